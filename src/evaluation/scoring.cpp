// Scoring: every result of a model computed over a batch, in blocks spread over threads.
#include <kelias/scoring.hpp>

#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <exception>
#include <thread>

#include "base/checked.hpp"
#include "base/number_format.hpp"
#include "base/text.hpp"
#include "evaluation/evaluator.hpp"
#include "evaluation/score_batch_reuse.hpp"
#include "evaluation/score_text.hpp"
#include "model/instrument_data.hpp"

KELIAS_BEGIN_NAMESPACE
namespace detail {
namespace {

using Eigen::Index;

constexpr Index block_rows = 4096;

void run_checks(const Model& m, const std::vector<CheckModel>& checks, const std::vector<EntryInfo>& entries,
                const InputColumns& in, Index begin, Index n, const std::vector<Column>& results,
                std::vector<CheckFinding>& out) {
    std::vector<InputStats> stats;
    Block block{&m, &in, begin, n, &results, &stats};
    for (const auto& check : checks) {
        for (const auto& [entry, expr] : check.instances) {
            Column c = evaluate(expr, block, {});
            for (Index i = 0; i < n; ++i) {
                if (c.s[i] != 0 || c.v[i] == 0) continue;
                out.push_back(
                    {static_cast<std::size_t>(begin + i), check.id,
                     entry >= 0 ? std::string_view(entries[static_cast<std::size_t>(entry)].id) : std::string_view(),
                     check.severity, check.message});
            }
        }
    }
}

// One block of borrowed columns, made whole for the evaluator: values and states it can read
// from row 0 of the block. Clean columns (no NaN, zero under every cell without a value) are
// read in place; only the others are copied, one block at a time.
struct BlockView {
    InputColumns in;
    std::vector<double> values;  // per column: n numbers, for the columns copied
    std::vector<std::uint8_t> states;
    std::vector<std::uint8_t> all_known;
    std::vector<double> as_of;
    std::vector<std::uint8_t> as_of_state;
};

void block_view(const InputColumns& src, Index begin, Index n, BlockView& out) {
    const auto un = static_cast<std::size_t>(n);
    const std::size_t columns = src.values.size();
    out.in.values.assign(columns, nullptr);
    out.in.states.assign(columns, nullptr);
    out.in.rows = n;
    // Only the columns that are copied or omitted throughout are written here.
    out.values.resize(columns * un);
    out.states.resize(columns * un);
    out.all_known.assign(un, known_state);
    for (std::size_t c = 0; c < columns; ++c) {
        double* values = out.values.data() + c * un;
        std::uint8_t* states = out.states.data() + c * un;
        out.in.values[c] = values;
        out.in.states[c] = states;
        const double* v = src.values[c];
        if (!v) {  // omitted throughout
            std::fill_n(values, un, 0.0);
            std::fill_n(states, un, unknown_state);
            continue;
        }
        v += begin;
        const std::uint8_t* s = src.states[c] ? src.states[c] + begin : nullptr;
        bool clean = true;
        for (Index i = 0; i < n && clean; ++i) clean = s ? (s[i] == known_state || v[i] == 0) : !std::isnan(v[i]);
        if (clean) {
            out.in.values[c] = v;
            out.in.states[c] = s ? s : out.all_known.data();
            continue;
        }
        for (Index i = 0; i < n; ++i) {
            const std::uint8_t state = s ? s[i] : std::isnan(v[i]) ? unknown_state : known_state;
            states[i] = state;
            values[i] = state == known_state ? v[i] : 0.0;
        }
    }
    out.as_of.assign(un, 0.0);
    out.as_of_state.assign(un, unknown_state);
    for (Index i = 0; i < n; ++i) {
        const double day = src.as_of && !std::isnan(src.as_of[begin + i]) ? src.as_of[begin + i]
                           : src.as_of_default                            ? *src.as_of_default
                                                                          : std::nan("");
        if (std::isnan(day)) continue;
        out.as_of[static_cast<std::size_t>(i)] = day;
        out.as_of_state[static_cast<std::size_t>(i)] = known_state;
    }
    out.in.as_of = out.as_of.data();
    out.in.as_of_state = out.as_of_state.data();
}

}  // namespace

std::vector<Column> score_block(const Model& m, const InputColumns& in, const std::vector<ListStore>* lists,
                                Index begin, Index n, Tracer* tracer, const std::vector<char>* only) {
    std::vector<Column> columns(m.results.size());
    std::vector<InputStats> stats;
    Block block{&m, &in, begin, n, &columns, &stats, lists};
    for (int i : m.order) {
        const Computed& r = m.results[static_cast<std::size_t>(i)];
        if (only && !(*only)[static_cast<std::size_t>(i)]) {
            columns[static_cast<std::size_t>(i)] =
                Column{Eigen::ArrayXd::Zero(n), StateArray::Constant(n, unknown_state)};
            continue;
        }
        Column c = evaluate(r.expr, block, {r.policy, r.max_omitted}, tracer);
        // Overflow (exp of a large number, a huge product) has no number to report: unknown.
        c.s = (c.v.isFinite()).select(c.s, StateArray::Constant(n, unknown_state));
        columns[static_cast<std::size_t>(i)] = std::move(c);
    }
    return columns;
}

std::vector<char> results_needed(const Model& m, const std::vector<int>& targets) {
    std::vector<char> needed(m.results.size(), 0);
    std::vector<int> todo = targets;
    while (!todo.empty()) {
        const auto r = static_cast<std::size_t>(todo.back());
        todo.pop_back();
        if (needed[r]) continue;
        needed[r] = 1;
        todo.insert(todo.end(), m.results[r].depends_on.begin(), m.results[r].depends_on.end());
    }
    return needed;
}

ScoredColumns score_columns(const Model& m, const InputColumns& in, const std::vector<ListStore>* lists,
                            const ColumnsRequest& request) {
    ScoredColumns out;
    score_columns_into(out, m, in, lists, request);
    return out;
}

void score_columns_into(ScoredColumns& out, const Model& m, const InputColumns& in, const std::vector<ListStore>* lists,
                        const ColumnsRequest& request) {
    out.findings.clear();
    const Index rows = in.rows;
    const auto kept = request.keep ? request.keep->size() : m.results.size();
    out.rows = static_cast<std::size_t>(rows);
    out.columns = kept;
    out.values.assign(out.rows * kept, 0.0);
    out.states.assign(out.rows * kept, CellState::omitted);
    const Index blocks = (rows + block_rows - 1) / block_rows;
    unsigned threads = request.threads ? request.threads : std::max(1u, std::thread::hardware_concurrency());
    threads = static_cast<unsigned>(std::min<Index>(threads, std::max<Index>(blocks, 1)));
    // Findings are kept per block so the result is in row order without a global sort.
    std::vector<std::vector<CheckFinding>> findings(static_cast<std::size_t>(blocks));
    std::atomic<Index> next{0};
    auto work = [&] {
        BlockView local;  // borrowed columns: this block's rows, read from row 0
        AbsentView absent;
        for (Index b = next++; b < blocks; b = next++) {
            const Index begin = b * block_rows, n = std::min(block_rows, rows - begin);
            if (in.borrowed) block_view(in, begin, n, local);
            Index block_begin = in.borrowed ? 0 : begin;
            const InputColumns& block_in = with_absent_defaults(m, in.borrowed ? local.in : in, block_begin, n, absent);
            const std::vector<Column> columns = score_block(m, block_in, lists, block_begin, n, nullptr, request.only);
            for (std::size_t k = 0; k < kept; ++k) {
                const Column& c = columns[request.keep ? static_cast<std::size_t>((*request.keep)[k]) : k];
                double* values = out.values.data() + k * out.rows + static_cast<std::size_t>(begin);
                CellState* states = out.states.data() + k * out.rows + static_cast<std::size_t>(begin);
                std::copy(c.v.data(), c.v.data() + n, values);
                for (Index i = 0; i < n; ++i) states[i] = static_cast<CellState>(c.s[i]);
            }
            if (request.checks) {
                auto& mine = findings[static_cast<std::size_t>(b)];
                const std::size_t first = mine.size();
                run_checks(m, *request.checks, *request.entries, block_in, block_begin, n, columns, mine);
                for (std::size_t f = first; f < mine.size(); ++f)
                    mine[f].row += static_cast<std::size_t>(begin - block_begin);
                std::stable_sort(mine.begin(), mine.end(),
                                 [](const CheckFinding& x, const CheckFinding& y) { return x.row < y.row; });
            }
        }
    };
    if (threads <= 1) {
        work();
    } else {
        std::vector<std::exception_ptr> errors(threads);  // rethrown on the calling thread
        {
            std::vector<std::jthread> pool;
            for (unsigned t = 0; t < threads; ++t)
                pool.emplace_back([&work, &errors, t] {
                    try {
                        work();
                    } catch (...) {
                        errors[t] = std::current_exception();
                    }
                });
        }
        for (const auto& e : errors)
            if (e) std::rethrow_exception(e);
    }
    std::size_t total = 0;
    for (const auto& f : findings) total += f.size();
    out.findings.reserve(total);
    for (const auto& f : findings) out.findings.insert(out.findings.end(), f.begin(), f.end());
}

void check_same_instrument(const Instrument& instrument, const RatingsBatch& batch) {
    if (batch.instrument().same_definition(instrument)) return;
    throw Error({{Severity::error,
                  DiagnosticCode::wrong_definition,
                  "the ratings batch was built for " + batch.instrument().key() + " (" + batch.instrument().hash() +
                      "), not for " + instrument.key() + " (" + instrument.hash() + ")",
                  "build the RatingsBatch with the instrument you score it with",
                  {}}});
}

}  // namespace detail

std::string Value::to_string() const {
    std::string out;
    switch (kind) {
    case Kind::unknown:
        break;
    case Kind::number:
        detail::append_number(out, number);
        break;
    case Kind::boolean:
        out = number != 0 ? "true" : "false";
        break;
    case Kind::category:
        out = text;
        break;
    case Kind::date: {
        const auto date = detail::date_from_column(number);
        out = date ? kelias::to_string(*date) : std::string("?");
        break;
    }
    }
    return out;
}

Value ScoreBatch::value(std::size_t row, std::size_t score) const {
    Value v;
    if (!known(row, score)) return v;
    v.number = raw(row, score);
    switch (instrument_.scores()[score].type) {
    case ScoreType::number:
        v.kind = Value::Kind::number;
        break;
    case ScoreType::boolean:
        v.kind = Value::Kind::boolean;
        break;
    case ScoreType::date:
        v.kind = Value::Kind::date;
        break;
    case ScoreType::category:
        v.kind = Value::Kind::category;
        v.text = detail::code_text(instrument_.data(), v.number);
        break;
    }
    return v;
}

std::string ScoreBatch::text(std::size_t row, std::size_t score) const {
    std::string out;
    append_text(out, row, score);
    return out;
}

void ScoreBatch::append_text(std::string& out, std::size_t row, std::size_t score) const {
    if (!known(row, score)) return;
    detail::append_score_text(out, instrument_.data(), instrument_.scores()[score].type, raw(row, score));
}

ScoreBatch score_batch(const Instrument& instrument, const RatingsBatch& batch, const ScoreOptions& options) {
    ScoreBatch out(instrument);
    detail::ScoreBatchReuse::score(out, instrument, batch, options);
    return out;
}

namespace detail {

ScoreBatch ScoreBatchReuse::make(const Instrument& instrument) { return ScoreBatch(instrument); }

void ScoreBatchReuse::score(ScoreBatch& out, const Instrument& instrument, const RatingsBatch& batch,
                            const ScoreOptions& options) {
    check_same_instrument(instrument, batch);
    const InstrumentData& d = instrument.data();
    out.instrument_ = instrument;
    out.key_ = instrument.key();
    out.hash_ = instrument.hash();
    ColumnsRequest request{.threads = options.threads};
    if (options.run_checks) {
        request.checks = &d.checks;
        request.entries = &d.entries;
    }
    ScoredColumns scored;
    scored.values = std::move(out.values_);
    scored.states = std::move(out.states_);
    scored.findings = std::move(out.findings_);
    score_columns_into(scored, d, input_columns(batch), nullptr, request);
    out.rows_ = scored.rows;
    out.scores_ = scored.columns;
    out.values_ = std::move(scored.values);
    out.states_ = std::move(scored.states);
    out.findings_ = std::move(scored.findings);
    out.rejected_.assign(batch.rows(), 0);
    for (const auto& f : out.findings_)
        if (f.severity == Severity::error) out.rejected_[f.row] = 1;
}

}  // namespace detail

namespace {

// Whether every one of the n numbers is NaN or a whole number in [lo, hi] (|lo|, |hi| <=
// 1e9), without a branch per number: each is clamped into [lo, hi] (NaN to lo), so the
// conversion to int32 is defined, and must equal its clamp.
bool whole_in_range_or_nan(const double* values, std::size_t n, double lo, double hi) noexcept {
    bool fits = true;
    for (std::size_t i = 0; i < n; ++i) {
        const double v = values[i];
        const double clamped = std::min(hi, std::max(lo, v));
        const bool whole = static_cast<double>(static_cast<std::int32_t>(clamped)) == clamped;
        fits &= ((clamped == v) & whole) | (v != v);  // NOLINT(misc-redundant-expression): NaN
    }
    return fits;
}

// The values check_value() accepts for a field when they are a few (booleans, the levels
// of a rating scale, the codes of a coded one); empty otherwise. Mirrors check_value().
std::vector<double> accepted_values(const detail::InstrumentData& d, std::size_t field) {
    const FieldInfo& f = d.fields[field];
    std::vector<double> values;
    if (f.type == FieldType::boolean) {
        values = {0.0, 1.0};
    } else if (f.type == FieldType::rating || f.type == FieldType::category) {
        if (!f.levels.empty()) {
            values = f.levels;
        } else if (const int scale = d.field_models[field].scale;
                   scale >= 0 && static_cast<std::size_t>(scale) < d.scales.size()) {
            const auto& codes = d.scales[static_cast<std::size_t>(scale)].codes;
            for (std::size_t i = 0; i < f.codes.size() && i < codes.size(); ++i)
                values.push_back(static_cast<double>(codes[i]));
        }
    }
    if (values.size() > 8 || !std::ranges::all_of(values, [](double v) { return std::isfinite(v); })) values.clear();
    return values;
}

// Whether every cell of a block with states is fine, without a branch per cell: omitted,
// `na` where allowed, or a value among `accepted`.
bool states_fit(const double* values, const CellState* states, std::size_t n, const std::vector<double>& accepted,
                bool na_allowed) noexcept {
    bool fits = true;
    for (std::size_t i = 0; i < n; ++i) {
        const double v = values[i];
        bool known = false;
        for (double a : accepted) known |= v == a;
        const auto s = static_cast<std::uint8_t>(states[i]);
        fits &= (s == static_cast<std::uint8_t>(CellState::omitted)) |
                ((s == static_cast<std::uint8_t>(CellState::na)) & na_allowed) |
                ((s == static_cast<std::uint8_t>(CellState::value)) & known);
    }
    return fits;
}

}  // namespace

std::vector<ColumnProblem> check_columns(const Instrument& instrument, const RatingsColumns& in) {
    std::vector<ColumnProblem> problems;
    const auto& fields = instrument.fields();
    std::vector<char> seen(fields.size(), 0);
    for (const ColumnView& c : in.columns) {
        if (c.field >= fields.size()) {
            problems.push_back({0, c.field, "no such field"});
            continue;
        }
        if (seen[c.field]++) problems.push_back({0, c.field, "the field is given twice"});
        if (!c.values) continue;
        // The common fields in a tight loop: ratings on a scale of whole numbers lo..hi
        // (0-2) and booleans; every other value through check_value().
        const FieldInfo& field = fields[c.field];
        std::optional<std::pair<double, double>> range;
        if (field.type == FieldType::boolean) range.emplace(0.0, 1.0);
        if (!field.levels.empty()) {
            const auto [lo, hi] = std::ranges::minmax(field.levels);
            bool contiguous = hi - lo + 1 == static_cast<double>(field.levels.size());
            for (double l : field.levels) contiguous &= l == std::floor(l);
            if (contiguous) range.emplace(lo, hi);
        }
        // A block whose cells all fit is passed over in one branch-free pass (numbers alone:
        // whole numbers in range or NaN; with states: omitted, `na` where allowed, or one
        // of a few accepted values); any other block is checked cell by cell.
        const bool numbers_in_range = range && !c.states && range->first >= -1e9 && range->second <= 1e9;
        const std::vector<double> accepted =
            c.states ? accepted_values(instrument.data(), c.field) : std::vector<double>{};
        constexpr std::size_t block = 2048;
        for (std::size_t r = 0; r < in.rows; ++r) {
            if (r % block == 0 && r + block <= in.rows &&
                ((numbers_in_range && whole_in_range_or_nan(c.values + r, block, range->first, range->second)) ||
                 (!accepted.empty() && states_fit(c.values + r, c.states + r, block, accepted, field.allows_na)))) {
                r += block - 1;
                continue;
            }
            const double v = c.values[r];
            const CellState state = c.states ? c.states[r] : std::isnan(v) ? CellState::omitted : CellState::value;
            if (range && state == CellState::value && v >= range->first && v <= range->second && v == std::floor(v))
                continue;
            const char* reason = nullptr;
            switch (state) {
            case CellState::value:
                reason = check_value(instrument, c.field, v);
                break;
            case CellState::na:
                if (!fields[c.field].allows_na) reason = "'na' is not allowed for this field";
                break;
            case CellState::omitted:
                break;
            default:
                reason = "not a cell state";
            }
            if (reason) problems.push_back({r, c.field, reason});
        }
    }
    if (in.as_of_days)
        for (std::size_t r = 0; r < in.rows; ++r) {
            const double day = in.as_of_days[r];
            if (!std::isnan(day) && (day != std::floor(day) || !detail::date_from_column(day)))
                problems.push_back({r, fields.size(), "as_of is not a date (whole days)"});
        }
    std::stable_sort(problems.begin(), problems.end(),
                     [](const ColumnProblem& a, const ColumnProblem& b) { return a.row < b.row; });
    return problems;
}

ScoreBatch score_batch(const Instrument& instrument, const RatingsColumns& columns, const ScoreOptions& options) {
    const detail::InstrumentData& d = instrument.data();
    detail::InputColumns in;
    in.borrowed = true;
    in.rows = static_cast<Eigen::Index>(columns.rows);
    in.values.assign(d.fields.size(), nullptr);
    in.states.assign(d.fields.size(), nullptr);
    for (const ColumnView& c : columns.columns) {
        if (c.field >= d.fields.size() || in.values[c.field]) {
            throw Error(
                {{Severity::error,
                  DiagnosticCode::unknown_column,
                  "column view " + std::to_string(c.field) +
                      (c.field >= d.fields.size() ? " names no field of " : " is given twice for ") + instrument.key(),
                  "give each field at most once, by Instrument::find_field",
                  {}}});
        }
        in.values[c.field] = c.values;
        in.states[c.field] = reinterpret_cast<const std::uint8_t*>(c.states);
    }
    in.as_of = columns.as_of_days;
    if (columns.as_of) in.as_of_default = static_cast<double>(columns.as_of->days);
    ScoreBatch out(instrument);
    out.key_ = instrument.key();
    out.hash_ = instrument.hash();
    detail::ColumnsRequest request{.threads = options.threads};
    if (options.run_checks) {
        request.checks = &d.checks;
        request.entries = &d.entries;
    }
    detail::ScoredColumns scored = detail::score_columns(d, in, nullptr, request);
    out.rows_ = scored.rows;
    out.scores_ = scored.columns;
    out.values_ = std::move(scored.values);
    out.states_ = std::move(scored.states);
    out.findings_ = std::move(scored.findings);
    out.rejected_.assign(columns.rows, 0);
    for (const auto& f : out.findings_)
        if (f.severity == Severity::error) out.rejected_[f.row] = 1;
    return out;
}

const Value* AssessmentScores::find(std::string_view score_id) const {
    for (const auto& [id, v] : scores)
        if (id == score_id) return &v;
    return nullptr;
}

Result<AssessmentScores> score(const Instrument& instrument, const Assessment& assessment) {
    RatingsBatch batch(instrument, 1);
    batch.id(0) = assessment.id;
    batch.set_as_of(0, assessment.as_of);
    std::vector<Diagnostic> problems;
    for (const auto& [column, text] : assessment.cells) {
        auto field = instrument.find_field(column);
        if (!field) {
            problems.insert(problems.end(), field.error().begin(), field.error().end());
            continue;
        }
        if (const char* error = batch.set_text(0, *field, text))
            problems.push_back({Severity::error, DiagnosticCode::invalid_cell, column + ": " + error, {}, {}});
    }
    if (!problems.empty()) return problems;
    const ScoreBatch scored = score_batch(instrument, batch, {.threads = 1, .run_checks = true});
    AssessmentScores out;
    out.instrument_key = scored.instrument_key();
    out.instrument_hash = scored.instrument_hash();
    for (std::size_t s = 0; s < scored.scores(); ++s)
        out.scores.emplace_back(instrument.scores()[s].id, scored.value(0, s));
    out.findings = scored.findings();
    return out;
}

KELIAS_END_NAMESPACE
