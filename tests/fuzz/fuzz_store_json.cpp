// Fuzzes the case store's JSON reader, detail::read_flat_document (src/store/store_json.hpp),
// on the two kinds of text it is given:
//
// * the whole input as one document (a ratings file for `kelias case assess --ratings`,
//   a stored record document);
// * every line as one document, as CaseStore::import_json reads an export before it
//   touches the store (the rest of the import needs an open store and is not fuzzed here).
//
// Properties: a failure says why (`error` set); a document that reads writes back (with the
// one JSON writer, every value a string) and reads back to the same scalars and objects.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "fuzz_support.hpp"

#include "base/json_writer.hpp"
#include "store/store_json.hpp"

namespace {

std::string write_back(const kelias::detail::FlatDocument& doc) {
    std::string out;
    kelias::detail::JsonWriter w(out);
    w.begin_object();
    for (const auto& [k, v] : doc.scalars) w.key(k).string(v);
    for (const auto& [k, members] : doc.objects) {
        w.key(k).begin_object();
        for (const auto& [ik, iv] : members) w.key(ik).string(iv);
        w.end_object();
    }
    w.end_object();
    return out;
}

void read_one(std::string_view text) {
    std::string error;
    const auto doc = kelias::detail::read_flat_document(text, &error);
    if (!doc) {
        kelias::fuzz::expect(!error.empty(), "a text that does not read says why");
        return;
    }
    for (const auto& [k, v] : doc->scalars) {
        const std::string* found = doc->find(k);
        kelias::fuzz::expect(found != nullptr && *found == v, "find() gives every scalar");
    }
    const std::string written = write_back(*doc);
    std::string again_error;
    const auto again = kelias::detail::read_flat_document(written, &again_error);
    kelias::fuzz::expect(again.has_value(), "a document written back reads", again_error);
    kelias::fuzz::expect(again->scalars == doc->scalars && again->objects == doc->objects,
                         "a document written back reads the same", written);
    if (doc->objects.empty()) {
        std::vector<std::pair<std::string, std::string>> members(doc->scalars.begin(), doc->scalars.end());
        kelias::fuzz::expect(kelias::detail::flat_json(members) == written, "flat_json writes what JsonWriter writes");
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text = kelias::fuzz::as_text(data, size);
    read_one(text);
    if (text.find('\n') == std::string_view::npos) return 0;
    while (!text.empty()) {
        const std::size_t end = text.find('\n');
        const std::string_view line = text.substr(0, end);
        text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
        if (!line.empty()) read_one(line);
    }
    return 0;
}
