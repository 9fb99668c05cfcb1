// The scale system of the definition format: ordered codes (comparison, min/max, max_of,
// rank_of), codes that carry values (arithmetic, sums), codes as manuals write them
// (declared spelling out, any case in) and a score's declared result scale (if() across
// scales).
#include "test_support.hpp"

#include <kelias/rules.hpp>

#include <map>
#include <string>

using namespace kelias;
using kelias::testing::must_load;

namespace {

const char* base = R"(kelias: 1
id: scales_test
version: "1"
title: Scales test
scales:
  level: {values: [LOW, MODERATE, HIGH, VERY_HIGH], ordered: true}
  need:
    values: {no_need: 0, standard: 1, severe: 2}
    ordered: true
    labels: {en: [No need, Standard, Severe], lt: [Nėra poreikio, Įprastas, Didelis]}
  weight: {values: {light: 0.5, heavy: 3}}
  tier: {values: [A, B, C, D]}
  band: {values: [A, B]}
  kind: {values: [red, green]}
item_fields:
  need: need
items:
  - {id: housing}
  - {id: work}
  - {id: money, in_totals: false}
  - {id: sexual, scale: level}
  - {id: violent, scale: level}
  - {id: general, scale: level}
  - {id: load, scale: weight}
  - {id: colour, scale: kind}
  - {id: grade, type: category, values: [IVa, IVb, M1]}
  - {id: flag, type: bool}
scores:
  r: {expr: "EXPR"SCALE}
)";

std::string yaml_for(const std::string& expr, const std::string& scale = "") {
    std::string yaml = base;
    yaml.replace(yaml.find("EXPR"), 4, expr);
    yaml.replace(yaml.find("SCALE"), 5, scale.empty() ? "" : ", scale: " + scale);
    return yaml;
}

std::string eval(const std::string& expr, const std::map<std::string, std::string>& cells = {},
                 const std::string& scale = "") {
    Instrument inst = must_load(yaml_for(expr, scale));
    Assessment a;
    a.id = "t";
    for (const auto& [k, v] : cells) a.cells[k] = v;
    return kelias::testing::score_text(inst, a, "r");
}

// The diagnostics of a definition that must fail, as one text.
std::string errors(const std::string& expr, const std::string& scale = "") {
    auto r = load_instrument(yaml_for(expr, scale), "inline.yaml");
    REQUIRE_FALSE(r.ok());
    return format(r.diagnostics());
}

const std::map<std::string, std::string> ratings = {{"sexual", "MODERATE"},    {"violent", "HIGH"},
                                                    {"general", "LOW"},        {"housing.need", "severe"},
                                                    {"work.need", "standard"}, {"money.need", "severe"}};

}  // namespace

TEST_CASE("ordered codes: comparison, min and max by the declared order") {
    CHECK(eval("violent > sexual", ratings) == "true");
    CHECK(eval("general >= 'MODERATE'", ratings) == "false");
    CHECK(eval("max(sexual, violent, general)", ratings) == "HIGH");
    CHECK(eval("min(sexual, violent, general)", ratings) == "LOW");
    CHECK(eval("max(general, 'MODERATE')", ratings) == "MODERATE");
    // Any unknown argument makes the result unknown, as min/max of numbers.
    CHECK(eval("max(sexual, violent)", {{"sexual", "HIGH"}}) == "");
    CHECK(eval("rank_of(violent)", ratings) == "3");
    CHECK(eval("rank_of(max(sexual, violent)) - rank_of(general)", ratings) == "2");
}

TEST_CASE("ordered codes: max_of and min_of over a field give a code") {
    CHECK(eval("max_of(need)", ratings) == "severe");
    CHECK(eval("min_of(need)", ratings) == "standard");
    CHECK(eval("max_of(need, [work, money])", ratings) == "severe");
    // Omitted inputs follow the score's policy: strict gives unknown.
    CHECK(eval("max_of(need)", {{"work.need", "standard"}}) == "");
    CHECK(eval("max_of(need) == 'severe'", ratings) == "true");
}

TEST_CASE("unordered codes refuse ordering with a hint") {
    const std::string e = errors("max(colour, 'red')");
    CHECK(e.find("E303") != std::string::npos);
    CHECK(e.find("needs an ordered scale") != std::string::npos);
    CHECK(e.find("ordered: true") != std::string::npos);
    CHECK(errors("colour < 'green'").find("mark scale 'kind' 'ordered: true'") != std::string::npos);
    CHECK(errors("rank_of(colour)").find("E303") != std::string::npos);
    CHECK(errors("max(sexual, housing.need)").find("different scales") != std::string::npos);
    CHECK(errors("max(sexual, 'HGH')").find("E308") != std::string::npos);
    CHECK(errors("max(grade, 'M1')").find("rate the field on a scale declared with 'ordered: true'") !=
          std::string::npos);
}

TEST_CASE("codes with values: numbers in arithmetic, codes in comparisons") {
    CHECK(eval("sum(need)", ratings) == "3");
    CHECK(eval("sum(need, [housing, work, money])", ratings) == "5");
    CHECK(eval("mean(need)", ratings) == "1.5");
    CHECK(eval("housing.need + work.need", ratings) == "3");
    CHECK(eval("2 * housing.need", ratings) == "4");
    CHECK(eval("-work.need", ratings) == "-1");
    CHECK(eval("housing.need == 'severe'", ratings) == "true");
    CHECK(eval("housing.need > work.need", ratings) == "true");
    CHECK(eval("work.need >= 1", ratings) == "true");
    CHECK(eval("value_of(housing.need)", ratings) == "2");
    CHECK(eval("load * 2", {{"load", "light"}}) == "1");
    CHECK(eval("round(load + 0.26, 1)", {{"load", "heavy"}}) == "3.3");
    // Unknown stays unknown; na is left out of sums like any na input.
    CHECK(eval("housing.need + 1") == "");
    CHECK(eval("sum(need)", {{"housing.need", "no_need"}}) == "");
    CHECK(eval("sum(need)", {{"housing.need", "no_need"}, {"work.need", "severe"}}) == "2");
}

TEST_CASE("codes with values: codes of scales without values are not numbers") {
    CHECK(errors("sexual + 1").find("E303") != std::string::npos);
    CHECK(errors("sum(value, [grade])").find("needs a scale with values; 'value' has none") != std::string::npos);
    const std::string e = errors("value_of(sexual)");
    CHECK(e.find("value_of() needs a code of a scale with values") != std::string::npos);
    CHECK(e.find("values: {low: 0, high: 1}") != std::string::npos);
}

TEST_CASE("codes as the manual writes them: any case in, the declared spelling out") {
    CHECK(eval("violent", {{"violent", "very_high"}}) == "VERY_HIGH");
    CHECK(eval("violent", {{"violent", "Very_High"}}) == "VERY_HIGH");
    CHECK(eval("grade", {{"grade", "iva"}}) == "IVa");
    CHECK(eval("grade == 'M1'", {{"grade", "m1"}}) == "true");
    CHECK(eval("housing.need", {{"housing.need", "SEVERE"}}) == "severe");
    // Definitions write codes exactly as declared.
    const std::string e = errors("violent == 'very_high'");
    CHECK(e.find("E308") != std::string::npos);
    CHECK(e.find("VERY_HIGH") != std::string::npos);
}

TEST_CASE("codes as the manual writes them: codes differing only by case are refused") {
    auto r = load_instrument(R"(kelias: 1
id: dup
version: "1"
title: Dup
scales:
  level: {values: [High, HIGH]}
items:
  - {id: x, scale: level}
  - {id: y, type: category, values: [M1, m1]}
)",
                             "dup.yaml");
    REQUIRE_FALSE(r.ok());
    const std::string text = format(r.diagnostics());
    CHECK(text.find("dup.yaml:6:26: error[E204]: codes 'High' and 'HIGH' of scale 'level' differ only by case") !=
          std::string::npos);
    CHECK(text.find("dup.yaml:9:42: error[E205]: codes 'M1' and 'm1' differ only by case") != std::string::npos);
}

TEST_CASE("a declared result scale lets if() mix codes of several scales") {
    // tier has A-D; band has A-B; a literal 'D' is a code of tier.
    CHECK(eval("if(flag, max(sexual, violent), 'VERY_HIGH')", {{"flag", "false"}}, "level") == "VERY_HIGH");
    const std::string yaml = yaml_for("if(flag, b, 'D')", "tier");
    std::string with_b = yaml;
    with_b.replace(with_b.find("scores:\n"), 8,
                   "tables:\n  pick_band:\n    output: band\n    rows:\n      - {below: 1, value: A}\n      - "
                   "{value: B}\nscores:\n  b: {expr: \"pick_band(work.need)\"}\n");
    Instrument inst = must_load(with_b);
    Assessment a;
    a.id = "t";
    a.cells = {{"flag", "true"}, {"work.need", "severe"}};
    CHECK(kelias::testing::score_text(inst, a, "r") == "B");
    a.cells["flag"] = "false";
    CHECK(kelias::testing::score_text(inst, a, "r") == "D");
    // Without a declared scale the branches must share one; the hint says how to declare it.
    CHECK(errors("if(flag, housing.need, violent)").find("declare the score's result scale with 'scale:'") !=
          std::string::npos);
    // A branch code outside the declared scale is E308, at the branch, with a hint.
    const std::string e = errors("if(flag, violent, 'E')", "level");
    CHECK(e.find("E308") != std::string::npos);
    CHECK(errors("if(flag, housing.need, violent)", "level").find("scale 'level' does not have: 'no_need'") !=
          std::string::npos);
    CHECK(errors("sum(need)", "level").find("declares scale 'level' but gives a number") != std::string::npos);
    CHECK(errors("violent", "levle").find("E201") != std::string::npos);
}

TEST_CASE("codes as the manual writes them in rule sets: category facts and code params") {
    auto r = load_rules(R"yaml(kelias: 1
kind: rules
id: capital_codes
version: "1"
title: Capital codes
facts:
  placement: {type: category, values: [HALFWAY_HOUSE, OPEN_PRISON, CLOSED_PRISON]}
params:
  target: {value: OPEN_PRISON, type: code}
programmes:
  - id: move_on
    eligible_when:
      any:
        - {id: at_halfway_house, expr: "placement == 'HALFWAY_HOUSE'"}
        - {id: at_target, expr: "placement == params.target"}
)yaml",
                        "capital_codes.yaml");
    INFO(format(r.diagnostics()));
    REQUIRE(r.ok());
    auto decision = [&](const char* placement) {
        CaseInput c;
        c.id = "c1";
        c.as_of = parse_date("2025-06-01");
        c.facts = {{"placement", placement}};
        auto d = decide(*r, c);
        INFO(format(d.diagnostics()));
        REQUIRE(d.ok());
        return d->find("move_on")->decision;
    };
    CHECK(decision("halfway_house") == Decision::eligible);
    CHECK(decision("Open_Prison") == Decision::eligible);
    CHECK(decision("CLOSED_PRISON") == Decision::not_eligible);
}
