// Scoring: every result of a model computed over a batch, in blocks spread over threads.
#include <kelias/scoring.hpp>

#include <algorithm>
#include <atomic>
#include <thread>

#include "base/checked.hpp"
#include "base/number_format.hpp"
#include "base/text.hpp"
#include "evaluation/evaluator.hpp"
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
        for (Index b = next++; b < blocks; b = next++) {
            const Index begin = b * block_rows, n = std::min(block_rows, rows - begin);
            const std::vector<Column> columns = score_block(m, in, lists, begin, n, nullptr, request.only);
            for (std::size_t k = 0; k < kept; ++k) {
                const Column& c = columns[request.keep ? static_cast<std::size_t>((*request.keep)[k]) : k];
                double* values = out.values.data() + k * out.rows + static_cast<std::size_t>(begin);
                CellState* states = out.states.data() + k * out.rows + static_cast<std::size_t>(begin);
                std::copy(c.v.data(), c.v.data() + n, values);
                for (Index i = 0; i < n; ++i) states[i] = static_cast<CellState>(c.s[i]);
            }
            if (request.checks) {
                auto& mine = findings[static_cast<std::size_t>(b)];
                run_checks(m, *request.checks, *request.entries, in, begin, n, columns, mine);
                std::stable_sort(mine.begin(), mine.end(),
                                 [](const CheckFinding& x, const CheckFinding& y) { return x.row < y.row; });
            }
        }
    };
    if (threads <= 1) {
        work();
    } else {
        std::vector<std::jthread> pool;
        for (unsigned t = 0; t < threads; ++t) pool.emplace_back(work);
    }
    std::size_t total = 0;
    for (const auto& f : findings) total += f.size();
    out.findings.reserve(total);
    for (const auto& f : findings) out.findings.insert(out.findings.end(), f.begin(), f.end());
    return out;
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
    detail::check_same_instrument(instrument, batch);
    const detail::InstrumentData& d = instrument.data();
    ScoreBatch out(instrument);
    out.key_ = instrument.key();
    out.hash_ = instrument.hash();
    detail::ColumnsRequest request{.threads = options.threads};
    if (options.run_checks) {
        request.checks = &d.checks;
        request.entries = &d.entries;
    }
    detail::ScoredColumns scored = detail::score_columns(d, detail::input_columns(batch), nullptr, request);
    out.rows_ = scored.rows;
    out.scores_ = scored.columns;
    out.values_ = std::move(scored.values);
    out.states_ = std::move(scored.states);
    out.findings_ = std::move(scored.findings);
    out.rejected_.assign(batch.rows(), 0);
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
