// The shipped Lithuanian rule set speaks Lithuanian: every programme label and every
// condition text (the generated `requires_` ones too) has a Lithuanian version, and that
// version keeps every placeholder of the English text.
#include <doctest/doctest.h>
#include <string>
#include <vector>

#include <kelias/rules.hpp>

using namespace kelias;

namespace {

// The `{...}` placeholders of a condition text, braces included; `{{` and `}}` are
// literal braces, not placeholders.
std::vector<std::string> placeholders(const std::string& text) {
    std::vector<std::string> out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text.compare(i, 2, "{{") == 0 || text.compare(i, 2, "}}") == 0) {
            ++i;
            continue;
        }
        if (text[i] != '{') continue;
        const std::size_t close = text.find('}', i + 1);
        if (close == std::string::npos) break;  // the loader rejects an unclosed brace
        out.push_back(text.substr(i, close - i + 1));
        i = close;
    }
    return out;
}

}  // namespace

TEST_CASE("placeholders: params and expressions, not literal braces") {
    CHECK(placeholders("at least {params.x} (from {a - params.y})") ==
          std::vector<std::string>{"{params.x}", "{a - params.y}"});
    CHECK(placeholders("literal {{braces}} and {params.z}") == std::vector<std::string>{"{params.z}"});
    CHECK(placeholders("no placeholder").empty());
}

TEST_CASE("shipped LT rule set: every label and condition text has Lithuanian with the same placeholders") {
    auto r = load_rules_file(std::string(KELIAS_SOURCE_DIR) + "/instruments/lt_release_pathway.yaml");
    INFO(format(r.diagnostics()));
    REQUIRE(r.ok());
    const RuleSet& rules = *r;
    REQUIRE(!rules.programmes().empty());

    std::size_t conditions = 0, generated = 0;
    for (const ProgrammeInfo& p : rules.programmes()) {
        INFO("programme " << p.id);
        CHECK_MESSAGE(!p.label_text.lt.empty(), "label without Lithuanian: ", p.label_text.en);
        for (const ConditionInfo& c : p.conditions) {
            INFO("condition " << p.id << "." << c.id << ": " << c.texts.en);
            ++conditions;
            if (c.id.rfind("requires_", 0) == 0) ++generated;
            CHECK(!c.texts.en.empty());
            CHECK_MESSAGE(!c.texts.lt.empty(), "no Lithuanian text");
            if (c.texts.lt.empty()) continue;
            for (const std::string& ph : placeholders(c.texts.en)) {
                INFO("placeholder " << ph << " in: " << c.texts.lt);
                CHECK(c.texts.lt.find(ph) != std::string::npos);
            }
        }
    }
    CHECK(conditions > 0);
    CHECK(generated > 0);  // the rule set has `requires:`: its generated conditions are checked too
}
