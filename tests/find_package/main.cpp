// Links against an installed kelias through find_package(kelias) and checks that the
// library answers, reports the version the package and its headers claim, and finds the
// shipped instruments both through kelias_INSTRUMENTS_DIR and through its default search.
//
//   kelias_consumer EXPECTED_PREFIX     (run from the installed bin/ of that prefix)
#include <kelias/kelias.hpp>

#include <filesystem>
#include <iostream>
#include <string>
#include <string_view>

namespace {

int fail(const std::string& message) {
    std::cerr << "kelias_consumer: " << message << '\n';
    return 1;
}

bool loads(const std::filesystem::path& path, std::string& why) {
    auto loaded = kelias::load_instrument_file(path);
    if (!loaded) {
        why = kelias::format(loaded.error());
        return false;
    }
    return loaded->id() == "start_av";
}

}  // namespace

int main(int argc, char** argv) {
    const std::string_view v = kelias::version();
    std::cout << "kelias " << v << '\n';
    if (v != KELIAS_VERSION_STRING)
        return fail("the library says " + std::string(v) + ", its header " KELIAS_VERSION_STRING);
#ifdef KELIAS_EXPECTED_VERSION
    if (v != std::string_view{KELIAS_EXPECTED_VERSION}) return fail("the package says " KELIAS_EXPECTED_VERSION);
#endif
    std::string why;
    // 1. Through the package's variable.
    if (!loads(std::filesystem::path(KELIAS_PACKAGE_INSTRUMENTS_DIR) / "start_av.yaml", why))
        return fail("start_av does not load from kelias_INSTRUMENTS_DIR:\n" + why);
    // 2. Through the default search, relative to where this program is installed.
    const auto found = kelias::find_definition("start_av");
    if (!found) {
        std::string dirs;
        for (const auto& d : kelias::definition_search_path()) dirs += "\n  " + d.string();
        return fail("find_definition(\"start_av\") found nothing; searched:" + dirs);
    }
    if (argc > 1) {
        const auto prefix = std::filesystem::weakly_canonical(argv[1]).string() + "/";
        if (std::filesystem::weakly_canonical(*found).string().rfind(prefix, 0) != 0)
            return fail("start_av was found at " + found->string() + ", outside the installation " + prefix);
    }
    if (!loads(*found, why)) return fail("start_av does not load from " + found->string() + ":\n" + why);
    std::cout << "start_av found at " << found->string() << '\n';
    // 3. The case store: a static libkelias needs SQLite, which the package must bring.
    const auto pathway_file = kelias::find_definition("lt_pathway");
    if (!pathway_file) return fail("find_definition(\"lt_pathway\") found nothing");
    auto pathway = kelias::load_pathway_file(*pathway_file);
    if (!pathway) return fail(kelias::format(pathway.error()));
    auto rules = kelias::load_pathway_rules(*pathway);
    if (!rules) return fail(kelias::format(rules.error()));
    const auto db = std::filesystem::temp_directory_path() / "kelias_consumer_store.db";
    std::filesystem::remove(db);
    {
        auto store = kelias::open_sqlite_store(db, *pathway, *rules);
        if (!store) return fail(kelias::format(store.error()));
        auto listed = store->list_cases({"C-1", "case_manager"});
        auto check = store->verify();
        if (!listed || !check || !check->ok) return fail("the case store does not answer");
    }
    std::filesystem::remove(db);
    std::cout << "case store schema " << kelias::case_store_schema_version << '\n';
    return 0;
}
