// Explanations: how one score of one assessment was reached.
#include <kelias/scoring.hpp>

#include <algorithm>

#include "base/json_writer.hpp"
#include "base/text.hpp"
#include "evaluation/evaluator.hpp"
#include "evaluation/score_text.hpp"
#include "model/instrument_data.hpp"

KELIAS_BEGIN_NAMESPACE
namespace detail {
void check_same_instrument(const Instrument& instrument, const RatingsBatch& batch);
}  // namespace detail

namespace {

using detail::Column;
using Eigen::Index;

/// Scores used by scores are expanded this many levels deep; a longer chain says so.
constexpr int max_explained_depth = 32;

const char* policy_name(detail::Policy p) {
    switch (p) {
    case detail::Policy::strict:
        return "strict";
    case detail::Policy::skip:
        return "skip";
    case detail::Policy::prorate:
        return "prorate";
    }
    return "?";
}

const char* aggregate_name(detail::AggregateFn f) {
    using detail::AggregateFn;
    switch (f) {
    case AggregateFn::sum:
        return "sum";
    case AggregateFn::count:
        return "count";
    case AggregateFn::mean:
        return "mean";
    case AggregateFn::min_of:
        return "min_of";
    case AggregateFn::max_of:
        return "max_of";
    case AggregateFn::any:
        return "any";
    case AggregateFn::all:
        return "all";
    case AggregateFn::n_known:
        return "n_known";
    case AggregateFn::n_na:
        return "n_na";
    case AggregateFn::n_omitted:
        return "n_omitted";
    }
    return "?";
}

class Explainer {
public:
    Explainer(const detail::InstrumentData& d, const RatingsBatch& batch, std::size_t row)
        : d_(d), batch_(batch), row_(row) {
        const detail::InputColumns in = detail::input_columns(batch);
        detail::AbsentView absent;
        auto begin = static_cast<Index>(row);
        const detail::InputColumns& used = detail::with_absent_defaults(d, in, begin, 1, absent);
        scores_ = detail::score_block(d, used, nullptr, begin, 1, &tracer_);
    }

    Explanation score(int index, int depth) const {
        const auto& info = d_.score_infos[static_cast<std::size_t>(index)];
        const auto& s = d_.results[static_cast<std::size_t>(index)];
        Explanation e;
        e.what = info.id +
                 (info.edition.empty()
                      ? std::string()
                      : std::string(info.legacy ? " [legacy edition " : " [edition ") + info.edition + "]") +
                 " = " + info.expression;
        e.value = column_text(scores_[static_cast<std::size_t>(index)], s.expr.type);
        if (uses_aggregates(s.expr)) {
            std::string note = std::string("omitted inputs: ") + policy_name(s.policy);
            if (s.max_omitted >= 0) note += ", at most " + std::to_string(s.max_omitted);
            e.notes.push_back(note);
        }
        if (depth >= max_explained_depth) {
            e.notes.push_back("the scores it reads are not expanded (more than " + std::to_string(max_explained_depth) +
                              " levels)");
            return e;
        }
        collect(s.expr, info.expression, depth, e.children);
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
        detail::append_score_text(out, d_, detail::score_type_of(type), c.v[0]);
        return out;
    }

    std::string node_text(const detail::Expr& e) const {
        auto it = tracer_.values.find(&e);
        return it == tracer_.values.end() ? "unknown" : column_text(it->second, e.type);
    }

    std::string field_text(int column) const {
        const auto c = static_cast<std::size_t>(column);
        const detail::FieldModel& fm = d_.field_models[c];
        if (batch_.state(row_, c) == CellState::omitted && fm.absent_state != detail::unknown_state)
            // An absent cell shows what it counts as (`absent:`), marked so.
            return detail::cell_text(d_, d_.fields[c], fm.absent_value,
                                     fm.absent_state == detail::na_state ? CellState::na : CellState::value) +
                   " (absent)";
        return detail::cell_text(d_, d_.fields[c], batch_.value(row_, c), batch_.state(row_, c));
    }

    // The cell a keyed table gave: "table 't' cell (band, code): value", or why none.
    std::string keyed_note(const detail::Table& t, const detail::Expr& e) const {
        std::vector<double> x;
        std::string where;
        for (std::size_t k = 0; k < e.args.size(); ++k) {
            auto in = tracer_.values.find(&e.args[k]);
            if (in == tracer_.values.end() || in->second.s[0] != 0)
                return "table '" + t.id + "': key '" + t.keys[k].name + "' unknown";
            x.push_back(in->second.v[0]);
            const int pos = detail::match_table_key(t.keys[k], x.back());
            if (pos < 0) return "table '" + t.id + "': key '" + t.keys[k].name + "' on no band, default used";
            const auto p = static_cast<std::size_t>(pos);
            where += (where.empty() ? "" : ", ") +
                     (t.keys[k].coded ? detail::code_text(d_, t.keys[k].codes[p]) : t.keys[k].bands[p].text);
        }
        const long cell = detail::keyed_table_cell(t, x);
        const bool known = cell >= 0 && t.cell_known[static_cast<std::size_t>(cell)];
        return "table '" + t.id + "' cell (" + where + ")" + (known ? "" : ": a gap, unknown");
    }

    // Adds the nodes worth showing under `e`: inputs, aggregates, tables, scores used.
    void collect(const detail::Expr& e, const std::string& source, int depth, std::vector<Explanation>& out) const {
        using detail::Op;
        auto slice = [&](const detail::Expr& x) {
            if (x.begin < 0 || x.end < x.begin || static_cast<std::size_t>(x.end) > source.size())
                return std::string("?");
            return source.substr(static_cast<std::size_t>(x.begin), static_cast<std::size_t>(x.end - x.begin));
        };
        switch (e.op) {
        case Op::field:
            out.push_back({d_.fields[static_cast<std::size_t>(e.index)].column, field_text(e.index), {}, {}});
            return;
        case Op::as_of:
            out.push_back({"as_of", node_text(e), {}, {}});
            return;
        case Op::result:
            out.push_back(score(e.index, depth + 1));
            return;
        case Op::aggregate: {
            Explanation a{slice(e), node_text(e), {}, {}};
            const auto counts = detail::count_inputs(d_, e, batch_, row_);
            a.notes.push_back(std::string(aggregate_name(e.aggregate)) + " over " + std::to_string(e.columns.size()) +
                              " inputs: " + std::to_string(counts.known) + " known, " + std::to_string(counts.na) +
                              " na, " + std::to_string(counts.omitted) + " omitted");
            for (int c : e.columns)
                a.children.push_back({d_.fields[static_cast<std::size_t>(c)].column, field_text(c), {}, {}});
            out.push_back(std::move(a));
            return;
        }
        case Op::table: {
            const detail::Table& t = d_.tables[static_cast<std::size_t>(e.index)];
            Explanation x{slice(e), node_text(e), {}, {}};
            if (!t.keys.empty()) {
                x.notes.push_back(keyed_note(t, e));
                for (const auto& a : e.args) collect(a, source, depth, x.children);
                out.push_back(std::move(x));
                return;
            }
            auto in = tracer_.values.find(&e.args[0]);
            if (in != tracer_.values.end() && in->second.s[0] == 0) {
                const int row = detail::match_table_row(t, in->second.v[0]);
                x.notes.push_back(row >= 0 ? "table '" + t.id + "' row " + std::to_string(row + 1) + ": " +
                                                 t.rows[static_cast<std::size_t>(row)].text
                                           : "table '" + t.id + "': no row matched, default used");
            } else {
                x.notes.push_back("table '" + t.id + "': input unknown");
            }
            collect(e.args[0], source, depth, x.children);
            out.push_back(std::move(x));
            return;
        }
        default:
            for (const auto& a : e.args) collect(a, source, depth, out);
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

void json_object(const Explanation& e, detail::JsonWriter& w) {
    w.begin_object().key("what").string(e.what).key("value").string(e.value).key("notes").begin_array();
    for (const auto& n : e.notes) w.string(n);
    w.end_array().key("children").begin_array();
    for (const auto& c : e.children) json_object(c, w);
    w.end_array().end_object();
}

}  // namespace

Result<Explanation> explain(const Instrument& instrument, const RatingsBatch& batch, std::size_t row,
                            std::string_view score_id) {
    detail::check_same_instrument(instrument, batch);
    auto index = instrument.find_score(score_id);
    if (!index) return index.error();
    if (row >= batch.rows())
        return std::vector<Diagnostic>{
            {Severity::error,
             DiagnosticCode::row_out_of_range,
             "row " + std::to_string(row) + " is not in the batch (it has " + std::to_string(batch.rows()) + ")",
             {},
             {}}};
    const Explainer ex(instrument.data(), batch, row);
    return ex.score(static_cast<int>(*index), 0);
}

std::string to_text(const Explanation& e) {
    std::string out;
    text_lines(e, 0, out);
    return out;
}

std::string to_json(const Explanation& e) {
    std::string out;
    detail::JsonWriter w(out);
    json_object(e, w);
    return out;
}

KELIAS_END_NAMESPACE
