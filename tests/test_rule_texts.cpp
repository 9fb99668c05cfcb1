// Rule-set features for people reading the output: typed params, texts with placeholders,
// Lithuanian output, lint findings, gaps named as gaps.
#include <algorithm>
#include <doctest/doctest.h>

#include <kelias/rules.hpp>

using namespace kelias;

namespace {

const std::string here = std::string(KELIAS_SOURCE_DIR) + "/instruments/inline_rules.yaml";

RuleSet must_load(const std::string& text) {
    auto r = load_rules(text, here);
    INFO(format(r.diagnostics()));
    REQUIRE(r.ok());
    return *r;
}

RuleSet shipped(const std::string& name) {
    auto r = load_rules_file(std::string(KELIAS_SOURCE_DIR) + "/instruments/" + name);
    INFO(format(r.diagnostics()));
    REQUIRE(r.ok());
    return *r;
}

const ParamInfo& param(const RuleSet& rules, const std::string& id) {
    const auto params = rules.params();
    const auto it = std::find_if(params.begin(), params.end(), [&](const ParamInfo& p) { return p.id == id; });
    REQUIRE(it != params.end());
    return *it;
}

// The first diagnostic's message and hint, for a rule set that must fail to load.
std::pair<std::string, std::string> first_error(const std::string& text) {
    auto r = load_rules(text, here);
    REQUIRE_FALSE(r.ok());
    REQUIRE_FALSE(r.error().empty());
    return {r.error().front().message, r.error().front().hint};
}

std::string with_params(const std::string& params) {
    return "kelias: 1\nkind: rules\nid: t\nversion: \"1\"\ntitle: T\nfacts:\n  a: bool\nparams:\n" + params +
           "programmes:\n  - id: p\n    eligible_when: {all: [{id: c, expr: \"a\"}]}\n";
}

}  // namespace

TEST_CASE("typed params: type, unit and range are exposed, untyped ones are inferred") {
    const RuleSet rules = must_load(with_params(
        "  share: {value: 0.25, type: fraction, unit: {en: of the sentence, lt: bausmės}}\n"
        "  convictions: {value: 3, type: integer, unit: convictions, min: 1, max: 20}\n"
        "  window: {value: P6M, type: duration}\n"
        "  legacy: {value: 0.5}\n"
        "  code: {value: minor}\n"));
    const ParamInfo& share = param(rules, "share");
    CHECK(share.typed);
    CHECK(share.type == ParamType::fraction);
    CHECK(share.unit.en == "of the sentence");
    CHECK(share.unit.in(Language::lt) == "bausmės");
    const ParamInfo& convictions = param(rules, "convictions");
    CHECK(convictions.type == ParamType::integer);
    CHECK(convictions.min == 1);
    CHECK(convictions.max == 20);
    CHECK(convictions.unit.in(Language::lt) == "convictions");  // English is the fallback
    CHECK(param(rules, "window").type == ParamType::duration);
    CHECK_FALSE(param(rules, "legacy").typed);
    CHECK(param(rules, "legacy").type == ParamType::number);
    CHECK(param(rules, "code").type == ParamType::code);
    CHECK(to_string(ParamType::code) == "category");
}

TEST_CASE("typed params: a value outside its type or range is E104 with a hint") {
    auto [message, hint] = first_error(with_params("  share: {value: 25, type: fraction}\n"));
    CHECK(message == "param 'share' is a fraction, 25 is outside [0, 1]");
    CHECK(hint == "a fraction is in [0, 1]; did you mean 0.25?");
    std::tie(message, hint) = first_error(with_params("  n: {value: 0, type: integer, min: 1}\n"));
    CHECK(message == "param 'n' is 0, outside its range [1, inf]");
    std::tie(message, hint) = first_error(with_params("  n: {value: 1.5, type: integer}\n"));
    CHECK(message == "param 'n' is an integer, not 1.5");
    auto r = load_rules(with_params("  share: {value: 25, type: fraction}\n"), here);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().front().code == DiagnosticCode::invalid_value);
}

TEST_CASE("typed params: the shipped rule sets type theirs") {
    for (const char* file : {"lt_release_pathway.yaml", "no_release_pathway.yaml"}) {
        INFO(file);
        const RuleSet rules = shipped(file);
        for (const ParamInfo& p : rules.params()) {
            INFO(p.id);
            CHECK(p.typed);
        }
    }
    CHECK(param(shipped("lt_release_pathway.yaml"), "hwh_min_share_served").type == ParamType::fraction);
}
