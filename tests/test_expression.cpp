// The expression language: three-valued logic, arithmetic, functions, tables and types.
#include "test_support.hpp"

#include <algorithm>
#include <map>

using namespace kelias;
using kelias::testing::must_load;

namespace {

const char* base = R"(kelias: 1
id: expr_test
version: "1"
title: Expression test
scales:
  risk: {values: [low, moderate, high], ordered: true}
  kind: {values: [a, b, c]}
items:
  - {id: p, type: bool}
  - {id: q, type: bool}
  - {id: x, type: number}
  - {id: y, type: number}
  - {id: start, type: date}
  - {id: sex, type: category, values: [male, female]}
  - {id: level, scale: risk}
  - {id: sort, scale: kind}
  - {id: med, type: integer, min: 0, max: 2, na: true}
tables:
  age_points:
    kind: bands
    rows:
      - {max: 22, value: 2}
      - {min: 23, value: 0}
  band:
    kind: cutoffs
    output: risk
    rows:
      - {below: 10, value: low}
      - {below: 20, value: moderate}
      - {value: high}
  female_weight:
    kind: points
    rows:
      - {equals: female, value: 0.5}
    default: 1
scores:
  r: {expr: "EXPR"}
)";

// Evaluates `expr` for one assessment with the given cells; "" means unknown.
std::string eval(const std::string& expr, const std::map<std::string, std::string>& cells = {},
                 std::optional<Date> as_of = std::nullopt) {
    std::string yaml = base;
    yaml.replace(yaml.find("EXPR"), 4, expr);
    Instrument inst = must_load(yaml);
    Assessment a;
    a.id = "t";
    a.as_of = as_of;
    for (const auto& [k, v] : cells) a.cells[k] = v;
    return kelias::testing::score_text(inst, a, "r");
}

// The three truth values as cell text: "" is omitted (unknown).
const char* values[] = {"true", "false", ""};

}  // namespace

TEST_CASE("and: false wins over unknown, unknown otherwise spreads") {
    // Kleene table, rows p, columns q.
    const std::string expected[3][3] = {{"true", "false", ""}, {"false", "false", "false"}, {"", "false", ""}};
    for (int i = 0; i < 3; ++i)
        for (int j = 0; j < 3; ++j) {
            INFO("p=" << values[i] << " q=" << values[j]);
            CHECK(eval("p and q", {{"p", values[i]}, {"q", values[j]}}) == expected[i][j]);
        }
}

TEST_CASE("or: true wins over unknown") {
    const std::string expected[3][3] = {{"true", "true", "true"}, {"true", "false", ""}, {"true", "", ""}};
    for (int i = 0; i < 3; ++i)
        for (int j = 0; j < 3; ++j) {
            INFO("p=" << values[i] << " q=" << values[j]);
            CHECK(eval("p or q", {{"p", values[i]}, {"q", values[j]}}) == expected[i][j]);
        }
}

TEST_CASE("not keeps unknown unknown") {
    CHECK(eval("not p", {{"p", "true"}}) == "false");
    CHECK(eval("not p", {{"p", "false"}}) == "true");
    CHECK(eval("not p", {}) == "");
}

TEST_CASE("arithmetic and precedence") {
    CHECK(eval("1 + 2 * 3") == "7");
    CHECK(eval("(1 + 2) * 3") == "9");
    CHECK(eval("10 / 4") == "2.5");
    CHECK(eval("-x + 1", {{"x", "3"}}) == "-2");
    CHECK(eval("x / y", {{"x", "3"}, {"y", "0"}}) == "");  // division by zero is unknown
    CHECK(eval("x + y", {{"x", "3"}}) == "");              // unknown spreads
    CHECK(eval("0.1 + 0.2") == "0.30000000000000004");     // shortest round-trip text
}

TEST_CASE("na is unknown in arithmetic but visible to state tests") {
    CHECK(eval("med + 1", {{"med", "na"}}) == "");
    CHECK(eval("is_na(med)", {{"med", "na"}}) == "true");
    CHECK(eval("is_omitted(med)", {{"med", "na"}}) == "false");
    CHECK(eval("is_omitted(med)", {}) == "true");
    CHECK(eval("is_known(med)", {{"med", "2"}}) == "true");
}

TEST_CASE("comparisons, categories and ordered scales") {
    CHECK(eval("x >= 2", {{"x", "2"}}) == "true");
    CHECK(eval("x != 2", {{"x", "2"}}) == "false");
    CHECK(eval("sex == 'female'", {{"sex", "female"}}) == "true");
    CHECK(eval("level >= 'moderate'", {{"level", "high"}}) == "true");
    CHECK(eval("level > 'moderate'", {{"level", "low"}}) == "false");
    CHECK(eval("level in ['moderate', 'high']", {{"level", "moderate"}}) == "true");
    CHECK(eval("level not in ['moderate', 'high']", {{"level", "low"}}) == "true");
    CHECK(eval("x in [1, 2, 3]", {{"x", "4"}}) == "false");
    CHECK(eval("x in [1, 2, 3]", {}) == "");
}

TEST_CASE("conditionals and coalesce") {
    CHECK(eval("if(p, 1, 2)", {{"p", "true"}}) == "1");
    CHECK(eval("if(p, 1, 2)", {{"p", "false"}}) == "2");
    CHECK(eval("if(p, 1, 2)", {}) == "");
    CHECK(eval("if(p, 'high', 'low')", {{"p", "true"}}) == "high");
    CHECK(eval("coalesce(x, y, 7)", {{"y", "5"}}) == "5");
    CHECK(eval("coalesce(x, 7)", {}) == "7");
}

TEST_CASE("math functions") {
    CHECK(eval("round(2.5)") == "3");
    CHECK(eval("round(-2.5)") == "-3");
    CHECK(eval("round(2.675, 2)") == "2.68");  // decimal rounding, not binary
    CHECK(eval("round(43.75, 1)") == "43.8");
    CHECK(eval("floor(2.7) + ceil(2.1)") == "5");
    CHECK(eval("clamp(120, 0, 100)") == "100");
    CHECK(eval("clamp(-3, 0, 100)") == "0");
    CHECK(eval("max(1, x, 3)", {{"x", "5"}}) == "5");
    CHECK(eval("min(1, x, 3)", {{"x", "5"}}) == "1");
    CHECK(eval("max(1, x)", {}) == "");
    CHECK(eval("logistic(0)") == "0.5");
    CHECK(eval("round(exp(ln(5)), 9)") == "5");
    CHECK(eval("ln(0)") == "");  // no number to give
    CHECK(eval("abs(-4)") == "4");
    CHECK(eval("x * y", {{"x", "1e200"}, {"y", "1e200"}}) == "");  // overflow: no number, unknown
}

TEST_CASE("a rule set given to the instrument loader says what it is") {
    auto r = load_instrument("kelias: 1\nkind: rules\nid: r\nversion: '1'\ntitle: R\nprogrammes: []\n", "r.yaml");
    REQUIRE_FALSE(r.ok());
    REQUIRE(r.diagnostics().size() == 1);
    CHECK(kelias::code_text(r.diagnostics()[0].code) == "E106");
    CHECK(r.diagnostics()[0].where.line == 2);
    CHECK(r.diagnostics()[0].hint.find("kelias rules") != std::string::npos);
}

TEST_CASE("dates and durations") {
    CHECK(eval("start + P1M", {{"start", "2024-01-31"}}) == "2024-02-29");
    CHECK(eval("start - P1Y", {{"start", "2024-02-29"}}) == "2023-02-28");
    CHECK(eval("months_between(start, as_of)", {{"start", "2024-01-15"}}, parse_date("2024-07-14")) == "5");
    CHECK(eval("years_between(start, as_of)", {{"start", "2008-06-15"}}, parse_date("2025-06-15")) == "17");
    CHECK(eval("days_between(start, date('2024-03-01'))", {{"start", "2024-02-01"}}) == "29");
    CHECK(eval("as_of >= date('2025-01-01')", {}, parse_date("2025-01-01")) == "true");
    CHECK(eval("as_of >= date('2025-01-01')", {}) == "");  // no assessment date given
}

TEST_CASE("tables: first matching row, default, unknown input") {
    CHECK(eval("age_points(x)", {{"x", "22"}}) == "2");
    CHECK(eval("age_points(x)", {{"x", "23"}}) == "0");
    CHECK(eval("age_points(x)", {{"x", "22.5"}}) == "");  // falls between rows: no default
    CHECK(eval("band(x)", {{"x", "9.99"}}) == "low");
    CHECK(eval("band(x)", {{"x", "10"}}) == "moderate");
    CHECK(eval("band(x)", {{"x", "25"}}) == "high");
    CHECK(eval("band(x) >= 'moderate'", {{"x", "15"}}) == "true");
    CHECK(eval("female_weight(sex) * 10", {{"sex", "female"}}) == "5");
    CHECK(eval("female_weight(sex) * 10", {{"sex", "male"}}) == "10");  // default
    CHECK(eval("age_points(x)", {}) == "");
}

TEST_CASE("cells are checked against their field") {
    std::string yaml = base;
    yaml.replace(yaml.find("EXPR"), 4, "x");
    Instrument inst = must_load(yaml);
    auto check_bad = [&](const char* column, const char* text) {
        Assessment a;
        a.cells[column] = text;
        auto r = score(inst, a);
        INFO(column << "=" << text);
        CHECK_FALSE(r.ok());
    };
    check_bad("level", "hgh");
    check_bad("med", "3");    // above max
    check_bad("med", "1.5");  // integer field
    check_bad("x", "na");     // na not allowed here
    check_bad("p", "maybe");
    check_bad("start", "2024-02-30");
    check_bad("nosuch", "1");
}
