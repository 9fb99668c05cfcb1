#include <kelias/scoring.hpp>

#include <algorithm>
#include <atomic>
#include <thread>

#include "evaluation/evaluator.hpp"
#include "language/expression.hpp"
#include "base/json_writer.hpp"
#include "base/number_format.hpp"

namespace kelias {
namespace {

using detail::Column;
using Eigen::Index;

constexpr Index block_rows = 4096;

void append_value(std::string& out, const detail::InstrumentData& d, ScoreType type, double v) {
    switch (type) {
        case ScoreType::number: detail::append_number(out, v); break;
        case ScoreType::boolean: out += v != 0 ? "true" : "false"; break;
        case ScoreType::category: out += d.strings[static_cast<std::size_t>(v)]; break;
        case ScoreType::date: out += to_string(Date{static_cast<int>(v)}); break;
    }
}

ScoreType type_of(const detail::Type& t) {
    switch (t.kind) {
        case detail::Kind::boolean: return ScoreType::boolean;
        case detail::Kind::category: return ScoreType::category;
        case detail::Kind::date: return ScoreType::date;
        default: return ScoreType::number;
    }
}

}  // namespace

namespace detail {

std::vector<Column> score_block(const InstrumentData& d, const InputColumns& in, const std::vector<ListStore>* lists,
                                Index begin, Index n, Tracer* tracer, const std::vector<char>* only) {
    std::vector<Column> columns(d.scores.size());
    std::vector<InputStats> stats;
    Block block{&d, &in, begin, n, &columns, &stats, lists};
    for (int i : d.score_order) {
        const detail::Score& s = d.scores[static_cast<std::size_t>(i)];
        if (only && !(*only)[static_cast<std::size_t>(i)]) {
            columns[static_cast<std::size_t>(i)] = Column{Eigen::ArrayXd::Zero(n), StateArray::Constant(n, unknown_state)};
            continue;
        }
        Column c = evaluate(s.expr, block, {s.policy, s.max_omitted}, tracer);
        // Overflow (exp of a large number, a huge product) has no number to report: unknown.
        c.s = (c.v.isFinite()).select(c.s, StateArray::Constant(n, unknown_state));
        columns[static_cast<std::size_t>(i)] = std::move(c);
    }
    return columns;
}

std::vector<char> scores_needed(const InstrumentData& d, const std::vector<int>& targets) {
    std::vector<char> needed(d.scores.size(), 0);
    std::vector<int> todo = targets;
    while (!todo.empty()) {
        const auto s = static_cast<std::size_t>(todo.back());
        todo.pop_back();
        if (needed[s]) continue;
        needed[s] = 1;
        todo.insert(todo.end(), d.scores[s].depends_on.begin(), d.scores[s].depends_on.end());
    }
    return needed;
}

}  // namespace detail

namespace {

void run_checks(const detail::InstrumentData& d, const detail::InputColumns& in, Index begin, Index n,
                const std::vector<Column>& scores, std::vector<CheckFinding>& out) {
    std::vector<detail::InputStats> stats;
    detail::Block block{&d, &in, begin, n, &scores, &stats};
    for (const auto& check : d.checks) {
        for (const auto& [entry, expr] : check.instances) {
            Column c = detail::evaluate(expr, block, {});
            for (Index i = 0; i < n; ++i) {
                if (c.s[i] != 0 || c.v[i] == 0) continue;
                out.push_back({static_cast<std::size_t>(begin + i), check.id,
                               entry >= 0 ? std::string_view(d.entries[static_cast<std::size_t>(entry)].id) : std::string_view(),
                               check.severity, check.message});
            }
        }
    }
}

}  // namespace

std::string Value::to_string() const {
    std::string out;
    switch (kind) {
        case Kind::unknown: break;
        case Kind::number: detail::append_number(out, number); break;
        case Kind::boolean: out = number != 0 ? "true" : "false"; break;
        case Kind::category: out = text; break;
        case Kind::date: out = kelias::to_string(Date{static_cast<int>(number)}); break;
    }
    return out;
}

Value ScoreBatch::value(std::size_t row, std::size_t score) const {
    Value v;
    if (!known(row, score)) return v;
    v.number = raw(row, score);
    switch (instrument_.scores()[score].type) {
        case ScoreType::number: v.kind = Value::Kind::number; break;
        case ScoreType::boolean: v.kind = Value::Kind::boolean; break;
        case ScoreType::date: v.kind = Value::Kind::date; break;
        case ScoreType::category:
            v.kind = Value::Kind::category;
            v.text = instrument_.data().strings[static_cast<std::size_t>(v.number)];
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
    append_value(out, instrument_.data(), instrument_.scores()[score].type, raw(row, score));
}

bool ScoreBatch::rejected(std::size_t row) const noexcept { return row < rejected_.size() && rejected_[row] != 0; }

namespace detail {

ScoredColumns score_columns(const InstrumentData& d, const RatingsBatch& batch, const std::vector<ListStore>* lists,
                            unsigned threads, bool run_checks_too, const std::vector<int>* keep, const std::vector<char>* only) {
    return score_columns(d, input_columns(batch), lists, threads, run_checks_too, keep, only);
}

ScoredColumns score_columns(const InstrumentData& d, const InputColumns& in, const std::vector<ListStore>* lists,
                            unsigned threads, bool run_checks_too, const std::vector<int>* keep, const std::vector<char>* only) {
    ScoredColumns out;
    const Index rows = in.rows;
    const Index scores = static_cast<Index>(keep ? keep->size() : d.scores.size());
    out.values.resize(rows, scores);
    out.states.resize(rows, scores);
    const Index blocks = (rows + block_rows - 1) / block_rows;
    if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
    threads = static_cast<unsigned>(std::min<Index>(threads, std::max<Index>(blocks, 1)));
    // Findings are kept per block so the result is in row order without a global sort.
    std::vector<std::vector<CheckFinding>> findings(static_cast<std::size_t>(blocks));
    std::atomic<Index> next{0};
    auto work = [&] {
        for (Index b = next++; b < blocks; b = next++) {
            const Index begin = b * block_rows, n = std::min(block_rows, rows - begin);
            std::vector<Column> columns = score_block(d, in, lists, begin, n, nullptr, only);
            for (Index s = 0; s < scores; ++s) {
                const Column& c = columns[static_cast<std::size_t>(keep ? (*keep)[static_cast<std::size_t>(s)] : s)];
                out.values.col(s).segment(begin, n) = c.v.matrix();
                out.states.col(s).segment(begin, n) = c.s.matrix();
            }
            if (run_checks_too) {
                auto& mine = findings[static_cast<std::size_t>(b)];
                run_checks(d, in, begin, n, columns, mine);
                std::stable_sort(mine.begin(), mine.end(), [](const CheckFinding& x, const CheckFinding& y) { return x.row < y.row; });
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

}  // namespace detail

ScoreBatch score_batch(const Instrument& instrument, const RatingsBatch& batch, const ScoreOptions& options) {
    ScoreBatch out(instrument);
    out.key_ = instrument.key();
    out.hash_ = instrument.hash();
    detail::ScoredColumns scored = detail::score_columns(instrument.data(), batch, nullptr, options.threads, options.run_checks);
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
            std::vector<std::string> columns;
            for (const auto& f : instrument.fields()) columns.push_back(f.column);
            problems.push_back({Severity::error, "E501", "unknown column '" + column + "'", detail::did_you_mean(column, columns), {}});
            continue;
        }
        if (const char* error = batch.set_text(0, *field, text))
            problems.push_back({Severity::error, "E502", column + ": " + error, {}, {}});
    }
    if (!problems.empty()) return Result<AssessmentScores>(std::move(problems));
    ScoreBatch scored = score_batch(instrument, batch, {1, true});
    AssessmentScores out;
    out.instrument_key = scored.instrument_key();
    out.instrument_hash = scored.instrument_hash();
    for (std::size_t s = 0; s < scored.scores(); ++s) out.scores.emplace_back(instrument.scores()[s].id, scored.value(0, s));
    out.findings = scored.findings();
    return out;
}

// ---- explanations ----------------------------------------------------------------------

namespace {

const char* policy_name(detail::Policy p) {
    switch (p) {
        case detail::Policy::strict: return "strict";
        case detail::Policy::skip: return "skip";
        case detail::Policy::prorate: return "prorate";
    }
    return "?";
}

const char* aggregate_name(detail::AggregateFn f) {
    using detail::AggregateFn;
    switch (f) {
        case AggregateFn::sum: return "sum";
        case AggregateFn::count: return "count";
        case AggregateFn::mean: return "mean";
        case AggregateFn::min_of: return "min_of";
        case AggregateFn::max_of: return "max_of";
        case AggregateFn::any: return "any";
        case AggregateFn::all: return "all";
        case AggregateFn::n_known: return "n_known";
        case AggregateFn::n_na: return "n_na";
        case AggregateFn::n_omitted: return "n_omitted";
    }
    return "?";
}

class Explainer {
public:
    Explainer(const detail::InstrumentData& d, const RatingsBatch& batch, std::size_t row)
        : d_(d), batch_(batch), row_(row) {
        scores_ = detail::score_block(d, detail::input_columns(batch), nullptr, static_cast<Index>(row), 1, &tracer_);
    }

    Explanation score(int index) const {
        const auto& info = d_.score_infos[static_cast<std::size_t>(index)];
        const auto& s = d_.scores[static_cast<std::size_t>(index)];
        Explanation e;
        e.what = info.id + " = " + info.expression;
        e.value = column_text(scores_[static_cast<std::size_t>(index)], s.expr.type);
        if (uses_aggregates(s.expr)) {
            std::string note = std::string("omitted inputs: ") + policy_name(s.policy);
            if (s.max_omitted >= 0) note += ", at most " + std::to_string(s.max_omitted);
            e.notes.push_back(note);
        }
        collect(s.expr, info.expression, e.children);
        return e;
    }

private:
    static bool uses_aggregates(const detail::Expr& e) {
        if (e.op == detail::Op::aggregate) return true;
        return std::any_of(e.args.begin(), e.args.end(), [](const detail::Expr& a) { return uses_aggregates(a); });
    }

    std::string column_text(const Column& c, const detail::Type& type) const {
        if (c.s[0] == detail::na_state) return "na";
        if (c.s[0] != 0) return "unknown";
        std::string out;
        append_value(out, d_, type_of(type), c.v[0]);
        return out;
    }

    std::string node_text(const detail::Expr& e) const {
        auto it = tracer_.values.find(&e);
        return it == tracer_.values.end() ? "unknown" : column_text(it->second, e.type);
    }

    std::string field_text(int column) const {
        switch (batch_.state(row_, static_cast<std::size_t>(column))) {
            case CellState::na: return "na";
            case CellState::omitted: return "omitted";
            case CellState::value: return batch_.text(row_, static_cast<std::size_t>(column));
        }
        return "";
    }

    // Adds the nodes worth showing under `e`: inputs, aggregates, tables, scores used.
    void collect(const detail::Expr& e, const std::string& source, std::vector<Explanation>& out) const {
        using detail::Op;
        auto slice = [&](const detail::Expr& x) {
            return source.substr(static_cast<std::size_t>(x.begin), static_cast<std::size_t>(x.end - x.begin));
        };
        switch (e.op) {
            case Op::field:
                out.push_back({d_.fields[static_cast<std::size_t>(e.index)].column, field_text(e.index), {}, {}});
                return;
            case Op::as_of: out.push_back({"as_of", node_text(e), {}, {}}); return;
            case Op::score: out.push_back(score(e.index)); return;
            case Op::aggregate: {
                Explanation a{slice(e), node_text(e), {}, {}};
                auto counts = detail::count_inputs(e, batch_, row_);
                a.notes.push_back(std::string(aggregate_name(e.aggregate)) + " over " + std::to_string(e.columns.size()) + " inputs: " +
                                  std::to_string(counts.known) + " known, " + std::to_string(counts.na) + " na, " +
                                  std::to_string(counts.omitted) + " omitted");
                for (int c : e.columns) a.children.push_back({d_.fields[static_cast<std::size_t>(c)].column, field_text(c), {}, {}});
                out.push_back(std::move(a));
                return;
            }
            case Op::table: {
                const detail::Table& t = d_.tables[static_cast<std::size_t>(e.index)];
                Explanation x{slice(e), node_text(e), {}, {}};
                auto in = tracer_.values.find(&e.args[0]);
                if (in != tracer_.values.end() && in->second.s[0] == 0) {
                    int row = detail::match_table_row(t, in->second.v[0]);
                    x.notes.push_back(row >= 0 ? "table '" + t.id + "' row " + std::to_string(row + 1) + ": " + t.rows[static_cast<std::size_t>(row)].text
                                               : "table '" + t.id + "': no row matched, default used");
                } else {
                    x.notes.push_back("table '" + t.id + "': input unknown");
                }
                collect(e.args[0], source, x.children);
                out.push_back(std::move(x));
                return;
            }
            default:
                for (const auto& a : e.args) collect(a, source, out);
        }
    }

    const detail::InstrumentData& d_;
    const RatingsBatch& batch_;
    std::size_t row_;
    detail::Tracer tracer_;
    std::vector<Column> scores_;
};

void text_lines(const Explanation& e, int depth, std::string& out) {
    out.append(static_cast<std::size_t>(depth) * 2, ' ');
    out += e.what + "  ->  " + e.value + "\n";
    for (const auto& n : e.notes) {
        out.append(static_cast<std::size_t>(depth) * 2 + 4, ' ');
        out += "(" + n + ")\n";
    }
    for (const auto& c : e.children) text_lines(c, depth + 1, out);
}

void json_object(const Explanation& e, std::string& out) {
    out += "{\"what\":";
    detail::append_json_string(out, e.what);
    out += ",\"value\":";
    detail::append_json_string(out, e.value);
    out += ",\"notes\":[";
    for (std::size_t i = 0; i < e.notes.size(); ++i) {
        if (i) out += ',';
        detail::append_json_string(out, e.notes[i]);
    }
    out += "],\"children\":[";
    for (std::size_t i = 0; i < e.children.size(); ++i) {
        if (i) out += ',';
        json_object(e.children[i], out);
    }
    out += "]}";
}

}  // namespace

Result<Explanation> explain(const Instrument& instrument, const RatingsBatch& batch, std::size_t row, std::string_view score_id) {
    auto index = instrument.find_score(score_id);
    if (!index) {
        std::vector<std::string> ids;
        for (const auto& s : instrument.scores()) ids.push_back(s.id);
        return Result<Explanation>(std::vector<Diagnostic>{
            {Severity::error, "E503", "unknown score '" + std::string(score_id) + "'", detail::did_you_mean(score_id, ids), {}}});
    }
    if (row >= batch.rows())
        return Result<Explanation>(std::vector<Diagnostic>{{Severity::error, "E504", "row " + std::to_string(row) + " is not in the batch", {}, {}}});
    Explainer ex(instrument.data(), batch, row);
    return ex.score(static_cast<int>(*index));
}

std::string to_text(const Explanation& e) {
    std::string out;
    text_lines(e, 0, out);
    return out;
}

std::string to_json(const Explanation& e) {
    std::string out;
    json_object(e, out);
    return out;
}

}  // namespace kelias
