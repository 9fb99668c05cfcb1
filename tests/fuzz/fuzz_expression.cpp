// Fuzzes the expression language directly: the input is one expression, parsed
// (parse_expression), type-checked (compile_expression) and, when it compiles to a type a
// definition accepts, evaluated over fixed rows. Two scopes, each loaded once:
//
//  * an instrument (kInstrument below) with every field type, aggregates, tables, scores
//    and outcomes: compiled as a score, as a per-item check on `coping`, and evaluated
//    under each omission policy over five rows (typical values, extremes, na, omitted,
//    negatives);
//  * the rule set instruments/lt_release_pathway.yaml: compiled as a condition (facts,
//    list facts, params, instrument results, eligible(), the date functions) and evaluated
//    over the cases of examples/cases/.
//
// The compiler interns string literals into the definition's string pool; each scope works
// on its own copy of the data and the pool is cut back after every input, so runs do not
// depend on earlier inputs.
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <kelias/kelias.hpp>

#include "fuzz_support.hpp"

// Internal headers (src/): the only place this harness reaches inside the library.
#include "evaluation/evaluator.hpp"
#include "language/expression.hpp"
#include "model/instrument_data.hpp"
#include "model/rule_set_data.hpp"

namespace {

namespace kd = kelias::detail;
using kelias::fuzz::fail;

constexpr std::string_view kInstrument = R"yaml(kelias: 1
id: fuzz_expression
version: "1"
title: {en: Expression fuzzing scope}
scales:
  level: {values: [0, 1, 2]}
  risk: {values: [low, moderate, high], ordered: true}
  colour: {values: [red, green, blue]}
domains:
  - individual
  - {id: context}
item_fields:
  strength: level
  vulnerability: level
  key: bool
items:
  - {id: coping, domain: individual, na: [strength, vulnerability]}
  - {id: plans, domain: individual}
  - {id: peers, domain: context}
  - {id: extra, in_totals: false}
  - {id: age, type: integer, min: 0, max: 120}
  - {id: income, type: number}
  - {id: weight, type: number, min: -1000000, max: 1000000}
  - {id: seen, type: date}
  - {id: wait, type: duration}
  - {id: sex, type: category, values: [male, female]}
  - {id: hue, type: colour}
  - {id: band, type: risk, na: true}
outcome_fields:
  estimate: risk
  recent: bool
outcomes:
  - {id: violence, group: harm}
  - {id: suicide, group: self}
tables:
  age_points:
    kind: bands
    rows: [{max: 22, value: 2}, {min: 23, max: 40, value: 1}, {above: 40, value: 0}]
  risk_band:
    kind: cutoffs
    output: risk
    rows: [{below: 3, value: low}, {below: 5, value: moderate}, {value: high}]
  sex_points:
    kind: points
    rows: [{equals: male, value: 1}, {equals: female, value: 0}]
    default: null
scores:
  total: {expr: "sum(strength)", omitted: skip}
  prorated: {expr: "sum(strength)", omitted: prorate, max_omitted: 1}
  adult: {expr: "age >= 18"}
  total_band: {expr: "risk_band(total)"}
  review: {expr: "seen + P6M"}
  y: {expr: "1.2 - 0.03 * age + ln(1 + abs(weight))", hidden: true}
)yaml";

// Cells of the five fixed rows: (column, text per row). Empty text: omitted.
struct FixedColumn {
    std::string_view column;
    std::string_view rows[5];
};
constexpr FixedColumn kRows[] = {
    {"coping.strength", {"2", "2", "na", "", "0"}},
    {"coping.vulnerability", {"1", "0", "na", "", "2"}},
    {"coping.key", {"true", "true", "", "", "false"}},
    {"plans.strength", {"1", "2", "", "", "0"}},
    {"plans.vulnerability", {"0", "2", "", "", "1"}},
    {"plans.key", {"false", "true", "", "", "false"}},
    {"peers.strength", {"0", "2", "", "", "1"}},
    {"peers.key", {"false", "true", "", "", "true"}},
    {"extra.strength", {"2", "2", "", "", "0"}},
    {"age", {"30", "120", "", "", "0"}},
    {"income", {"52000.5", "1e308", "", "", "-1e308"}},
    {"weight", {"3", "1000000", "", "", "-1000000"}},
    {"seen", {"2024-02-29", "9999-12-31", "", "", "0001-01-01"}},
    {"wait", {"P1Y2M", "P9999Y11M", "", "", "P0D"}},
    {"sex", {"female", "male", "", "", "male"}},
    {"hue", {"green", "blue", "", "", "red"}},
    {"band", {"high", "low", "na", "", "moderate"}},
    {"violence.estimate", {"moderate", "high", "", "", "low"}},
    {"violence.recent", {"true", "false", "", "", "true"}},
    {"suicide.estimate", {"low", "high", "", "", "high"}},
};
constexpr std::string_view kAsOf[5] = {"2025-06-01", "9999-12-31", "", "", "0001-01-01"};

// One scope: a private copy of a definition's data, fixed input rows and their scores.
struct Scope {
    std::shared_ptr<kd::Model> data;  // mutable copy: compile_expression interns
    kd::InputColumns in;
    const std::vector<kd::ListStore>* lists = nullptr;
    std::vector<kd::Column> scores;
    std::vector<bool> ready;
    std::size_t pool_size = 0;

    void finish_setup() {
        scores = kd::score_block(*data, in, lists, 0, in.rows);
        ready.assign(data->results.size(), true);
        pool_size = data->strings.size();
    }

    // Drops the strings interned by the last input.
    void reset_pool() {
        for (std::size_t i = pool_size; i < data->strings.size(); ++i) data->string_ids.erase(data->strings[i]);
        data->strings.resize(pool_size);
    }

    void evaluate(const kd::Expr& e, kd::Policy policy) const {
        std::vector<kd::InputStats> stats;
        kd::Block block{data.get(), &in, 0, in.rows, &scores, &stats, lists, nullptr, -1};
        const kd::Column c = kd::evaluate(e, block, {policy, policy == kd::Policy::prorate ? 1 : -1});
        kelias::fuzz::expect(c.v.size() == in.rows && c.s.size() == in.rows, "evaluate gives one value per row");
    }
};

struct InstrumentScope : Scope {
    kelias::Instrument instrument;
    std::shared_ptr<kd::InstrumentData> instrument_data;
    kelias::RatingsBatch batch;
    int coping = -1;

    static kelias::Instrument load() {
        auto loaded = kelias::load_instrument(kInstrument, "fuzz_expression.yaml");
        if (!loaded) fail("the expression harness's instrument does not load", kelias::format(loaded.diagnostics()));
        return *loaded;
    }

    InstrumentScope() : instrument(load()), batch(instrument, 5) {
        for (const auto& col : kRows) {
            const auto field = instrument.find_field(col.column);
            if (!field) fail("the expression harness's rows name an unknown column", col.column);
            for (std::size_t r = 0; r < 5; ++r)
                if (!col.rows[r].empty())
                    if (const char* error = batch.set_text(r, *field, col.rows[r]))
                        fail("the expression harness's rows hold an invalid cell",
                             std::string(col.column) + ": " + error);
        }
        for (std::size_t r = 0; r < 5; ++r)
            if (!kAsOf[r].empty()) batch.set_as_of(r, kelias::parse_date(kAsOf[r]));
        instrument_data = std::make_shared<kd::InstrumentData>(instrument.data());
        data = instrument_data;
        in = kd::input_columns(batch);
        coping = static_cast<int>(data->entry_by_id.at("coping"));
        finish_setup();
    }

    void run(const kd::Ast& ast, const std::vector<kd::ExprError>& parse_errors) {
        for (const int entry : {-1, coping}) {  // a score; a per-item check on `coping`
            std::vector<kd::ExprError> errors = parse_errors;
            std::vector<int> refs;
            const kd::CompileScope scope{.model = data.get(),
                                         .scores = &instrument_data->score_by_id,
                                         .current_entry = entry,
                                         .result_refs = entry < 0 ? &refs : nullptr,
                                         .result_ready = &ready};
            const kd::Expr e = kd::compile_expression(ast, scope, errors);
            // Evaluated only where a definition would accept it: no errors, and a score's
            // or a check's type.
            const kd::Kind k = e.type.kind;
            const bool accepted = entry < 0 ? k != kd::Kind::error && k != kd::Kind::duration && k != kd::Kind::list
                                            : k == kd::Kind::boolean;
            if (!errors.empty() || !accepted) continue;
            for (const auto policy : {kd::Policy::strict, kd::Policy::skip, kd::Policy::prorate}) evaluate(e, policy);
        }
        reset_pool();
    }
};

struct RulesScope : Scope {
    kelias::RuleSet rules;
    kelias::CaseBatch cases;

    static std::string read(const std::string& path) {
        std::ifstream f(path, std::ios::binary);
        if (!f) fail("cannot read " + path);
        return std::string(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
    }

    RulesScope() : rules(kelias::fuzz::case_rules()), cases(rules) {
        const std::string batch = read(kelias::fuzz::source_path("examples/cases/batch.jsonl"));
        std::string_view rest = batch;
        while (!rest.empty()) {
            const std::size_t end = rest.find('\n');
            const std::string_view line = rest.substr(0, end);
            rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
            if (!line.empty()) (void)cases.add_json(line);  // its last case is invalid on purpose
        }
        if (cases.rows() < 5) fail("examples/cases/batch.jsonl: fewer than 5 cases load");
        for (const char* name : {"hwh_eligible_later.yaml", "hwh_eligible_now.yaml", "missing_facts.yaml"}) {
            auto c = kelias::parse_case(read(kelias::fuzz::source_path(std::string("examples/cases/") + name)), name);
            if (!c) fail(std::string("examples/cases/") + name + " does not parse", kelias::format(c.diagnostics()));
            if (auto problems = cases.add(*c); !problems.empty())
                fail(std::string("examples/cases/") + name + " does not fit", kelias::format(problems));
        }
        const auto& storage = cases.storage();
        data = std::make_shared<kd::Model>(rules.data().model);
        in = kd::input_columns(storage);
        lists = &storage.lists;
        finish_setup();
    }

    void run(const kd::Ast& ast, const std::vector<kd::ExprError>& parse_errors) {
        std::vector<kd::ExprError> errors = parse_errors;
        std::vector<int> refs;
        const kd::CompileScope scope{.model = data.get(),
                                     .params = &rules.data().param_values,
                                     .programmes = &rules.data().programme_by_id,
                                     .result_refs = &refs,
                                     .result_ready = &ready};
        const kd::Expr e = kd::compile_expression(ast, scope, errors);
        if (errors.empty() && e.type.kind == kd::Kind::boolean) evaluate(e, kd::Policy::strict);  // as a condition
        reset_pool();
    }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static InstrumentScope instrument_scope;
    static RulesScope rules_scope;

    // As the loaders do: a tree that came with errors is still type-checked (for more
    // diagnostics), never evaluated.
    std::vector<kd::ExprError> errors;
    const auto ast = kd::parse_expression(kelias::fuzz::as_text(data, size), errors);
    if (!ast) return 0;
    (void)kd::collect_references(*ast);
    instrument_scope.run(*ast, errors);
    rules_scope.run(*ast, errors);
    return 0;
}
