// Instruments in Python: loading, what they declare, scoring borrowed NumPy columns
// (kelias::RatingsColumns: float64 buffers are read where they lie), text columns parsed
// cell by cell, explanations and whole files through kelias::RatingsReader.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <exception>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <kelias/kelias.hpp>

#include "arrow_text.hpp"
#include "bindings.hpp"

namespace kelias_python {
namespace {

using kelias::CellState;
using kelias::Instrument;
using DoubleArray = py::array_t<double, py::array::c_style>;
using StateArray = py::array_t<std::uint8_t, py::array::c_style>;

// A load: the instrument (or None) and every diagnostic.
py::tuple loaded(const kelias::Result<Instrument>& r) {
    return py::make_tuple(r ? py::cast(*r) : py::none(), diagnostics_to_python(r.diagnostics()));
}

py::list fields_of(const Instrument& i) {
    py::list out;
    for (const auto& f : i.fields()) {
        py::dict d;
        d["column"] = f.column;
        d["owner"] = f.owner;
        d["name"] = f.name;
        d["type"] = std::string(kelias::to_string(f.type));
        d["allows_na"] = f.allows_na;
        d["is_outcome"] = f.is_outcome;
        d["min"] = f.min ? py::cast(*f.min) : py::none();
        d["max"] = f.max ? py::cast(*f.max) : py::none();
        d["codes"] = f.codes;
        d["levels"] = f.levels;
        out.append(std::move(d));
    }
    return out;
}

std::string_view score_type(kelias::ScoreType t) {
    switch (t) {
    case kelias::ScoreType::number:
        return "number";
    case kelias::ScoreType::boolean:
        return "bool";
    case kelias::ScoreType::category:
        return "category";
    case kelias::ScoreType::date:
        return "date";
    }
    return "number";
}

py::list scores_of(const Instrument& i) {
    py::list out;
    for (const auto& s : i.scores()) {
        py::dict d;
        d["id"] = s.id;
        d["label"] = s.label;
        d["type"] = std::string(score_type(s.type));
        d["hidden"] = s.hidden;
        d["expression"] = s.expression;
        d["edition"] = s.edition;
        d["legacy"] = s.legacy;
        out.append(std::move(d));
    }
    return out;
}

py::list entries_of(const Instrument& i) {
    py::list out;
    for (const auto& e : i.entries()) {
        py::dict d;
        d["id"] = e.id;
        d["domain"] = e.domain;
        d["is_outcome"] = e.is_outcome;
        d["in_totals"] = e.in_totals;
        d["labels"] = e.labels;
        out.append(std::move(d));
    }
    return out;
}

// Collects the visible scores of many chunks: raw numbers, known flags and, for
// categories, the code texts.
struct ScoreColumns {
    explicit ScoreColumns(const Instrument& i) : instrument(i) {
        for (std::size_t s = 0; s < i.scores().size(); ++s)
            if (!i.scores()[s].hidden) visible.push_back(s);
        values.resize(visible.size());
        known.resize(visible.size());
        texts.resize(visible.size());
    }
    // Appends the rows of `scores` for which keep(row) holds.
    template <class Keep>
    void append(const kelias::ScoreBatch& scores, Keep keep) {
        for (std::size_t k = 0; k < visible.size(); ++k) {
            const std::size_t s = visible[k];
            const bool category = instrument.scores()[s].type == kelias::ScoreType::category;
            for (std::size_t r = 0; r < scores.rows(); ++r) {
                if (!keep(r)) continue;
                const bool is_known = scores.known(r, s);
                values[k].push_back(is_known ? scores.raw(r, s) : std::nan(""));
                known[k].push_back(is_known ? 1 : 0);
                if (category) texts[k].push_back(is_known ? scores.text(r, s) : std::string());
            }
        }
    }
    // {score id: (type, values float64, known bool, texts list or None)}
    py::dict to_python() const {
        py::dict out;
        for (std::size_t k = 0; k < visible.size(); ++k) {
            const auto& info = instrument.scores()[visible[k]];
            DoubleArray v(static_cast<py::ssize_t>(values[k].size()), values[k].data());
            py::array_t<bool> b(static_cast<py::ssize_t>(known[k].size()));
            auto bw = b.mutable_unchecked<1>();
            for (std::size_t r = 0; r < known[k].size(); ++r) bw(static_cast<py::ssize_t>(r)) = known[k][r] != 0;
            py::object texts_out = py::none();
            if (info.type == kelias::ScoreType::category) {
                py::list t(known[k].size());
                for (std::size_t r = 0; r < known[k].size(); ++r)
                    t[r] = known[k][r] ? py::object(py::str(texts[k][r])) : py::object(py::none());
                texts_out = std::move(t);
            }
            out[py::str(info.id)] = py::make_tuple(std::string(score_type(info.type)), v, b, texts_out);
        }
        return out;
    }

    Instrument instrument;
    std::vector<std::size_t> visible;
    std::vector<std::vector<double>> values;
    std::vector<std::vector<std::uint8_t>> known;
    std::vector<std::vector<std::string>> texts;
};

// The visible scores of one batch, straight from its columns: {score id: (type, values
// float64 with NaN for unknown, known bool, texts list or None)}.
py::dict batch_to_python(const Instrument& instrument, const kelias::ScoreBatch& scores) {
    py::dict out;
    const auto rows = static_cast<py::ssize_t>(scores.rows());
    for (std::size_t s = 0; s < instrument.scores().size(); ++s) {
        const auto& info = instrument.scores()[s];
        if (info.hidden) continue;
        DoubleArray v(rows);
        py::array_t<bool> b(rows);
        double* vw = v.mutable_data();
        bool* bw = b.mutable_data();
        const auto values = scores.column(s);
        const auto states = scores.column_states(s);
        for (py::ssize_t r = 0; r < rows; ++r) {
            const bool known = states[static_cast<std::size_t>(r)] == CellState::value;
            bw[r] = known;
            vw[r] = known ? values[static_cast<std::size_t>(r)] : std::nan("");
        }
        py::object texts = py::none();
        if (info.type == kelias::ScoreType::category) {
            std::unordered_map<double, py::object> seen;  // a few codes, repeated
            py::list t(static_cast<std::size_t>(rows));
            for (py::ssize_t r = 0; r < rows; ++r) {
                if (!bw[r]) {
                    t[static_cast<std::size_t>(r)] = py::none();
                    continue;
                }
                auto it = seen.find(vw[r]);
                if (it == seen.end())
                    it = seen.emplace(vw[r], py::str(scores.text(static_cast<std::size_t>(r), s))).first;
                t[static_cast<std::size_t>(r)] = it->second;
            }
            texts = std::move(t);
        }
        out[py::str(info.id)] = py::make_tuple(std::string(score_type(info.type)), v, b, texts);
    }
    return out;
}

// One column handed to score_columns: a field, its float64 numbers and, optionally, states.
struct BorrowedColumn {
    std::size_t field = 0;
    DoubleArray values;
    std::optional<StateArray> states;
};

// Views of the buffers as given: no copy. The arrays must be C-contiguous float64 (and
// uint8 states); anything else is refused, so a copy can never happen here unseen.
kelias::RatingsColumns views_of(const std::vector<BorrowedColumn>& columns, std::size_t rows,
                                const std::optional<DoubleArray>& as_of_days, std::optional<int> as_of) {
    kelias::RatingsColumns in{.rows = rows};
    for (const auto& c : columns) {
        if (static_cast<std::size_t>(c.values.size()) != rows)
            throw py::value_error("every column must have as many rows as the frame");
        kelias::ColumnView view{.field = c.field, .values = c.values.data()};
        if (c.states) {
            if (static_cast<std::size_t>(c.states->size()) != rows)
                throw py::value_error("a states column must have as many rows as the frame");
            view.states = reinterpret_cast<const CellState*>(c.states->data());
        }
        in.columns.push_back(view);
    }
    if (as_of_days) {
        if (static_cast<std::size_t>(as_of_days->size()) != rows)
            throw py::value_error("as_of_days must have as many rows as the frame");
        in.as_of_days = as_of_days->data();
    }
    if (as_of) in.as_of = kelias::Date{*as_of};
    return in;
}

std::vector<BorrowedColumn> borrowed(const py::list& columns) {
    std::vector<BorrowedColumn> out;
    for (const auto& item : columns) {
        const auto t = item.cast<py::tuple>();
        BorrowedColumn c;
        c.field = t[0].cast<std::size_t>();
        // array_t's caster converts when it must; require the exact layout so it does not.
        const auto values = t[1].cast<py::array>();
        if (!py::isinstance<DoubleArray>(values) || !(values.flags() & py::array::c_style))
            throw py::type_error("column values must be C-contiguous float64 arrays");
        c.values = values.cast<DoubleArray>();
        if (!t[2].is_none()) {
            const auto states = t[2].cast<py::array>();
            if (!py::isinstance<StateArray>(states) || !(states.flags() & py::array::c_style))
                throw py::type_error("column states must be C-contiguous uint8 arrays");
            c.states = states.cast<StateArray>();
        }
        out.push_back(std::move(c));
    }
    return out;
}

// Parses a column of Python objects (str, None, NaN, bool, int, float) for one field,
// cell by cell as a CSV would be read; returns (values, states, [(row, reason)]).
py::tuple parse_column(const Instrument& instrument, std::size_t field, const py::list& cells) {
    const auto n = static_cast<py::ssize_t>(py::len(cells));
    DoubleArray values(n);
    StateArray states(n);
    auto v = values.mutable_unchecked<1>();
    auto s = states.mutable_unchecked<1>();
    py::list problems;
    std::unordered_map<std::string, kelias::ParsedCell> seen;  // columns repeat a few texts
    std::string text;
    for (py::ssize_t r = 0; r < n; ++r) {
        PyObject* o = PyList_GET_ITEM(cells.ptr(), r);
        kelias::ParsedCell cell;
        bool parsed = false;
        if (o == Py_None) {
            parsed = true;
        } else if (PyUnicode_Check(o)) {
            Py_ssize_t size = 0;
            const char* utf8 = PyUnicode_AsUTF8AndSize(o, &size);
            if (!utf8) throw py::error_already_set();
            text.assign(utf8, static_cast<std::size_t>(size));
        } else if (PyBool_Check(o)) {
            text = o == Py_True ? "true" : "false";
        } else if (PyFloat_Check(o)) {
            const double d = PyFloat_AS_DOUBLE(o);
            if (std::isnan(d)) {
                parsed = true;
            } else {
                text = py::str(py::handle(o));
                if (text.size() > 2 && text.ends_with(".0")) text.resize(text.size() - 2);
            }
        } else if (PyLong_Check(o) || PyNumber_Check(o)) {
            text = py::str(py::handle(o));
        } else {
            const std::string type = py::str(py::type::handle_of(py::handle(o)).attr("__name__"));
            if (type != "NAType" && type != "NaTType") {
                problems.append(py::make_tuple(r, "a " + type + " is not a cell"));
                v(r) = 0;
                s(r) = static_cast<std::uint8_t>(CellState::omitted);
                continue;
            }
            parsed = true;
        }
        if (!parsed) {
            auto it = seen.find(text);
            if (it == seen.end()) it = seen.emplace(text, kelias::parse_cell(instrument, field, text)).first;
            cell = it->second;
        }
        if (cell.error) problems.append(py::make_tuple(r, cell.error));
        v(r) = cell.state == CellState::value ? cell.value : 0.0;
        s(r) = static_cast<std::uint8_t>(cell.state);
    }
    return py::make_tuple(values, states, problems);
}

// kelias::check_columns() on row ranges, one per thread (0: every core): the same
// problems in the same order, as each range's rows come after the previous range's and a
// range keeps check_columns()'s order within it. Columns naming no field or a field twice
// (problems of row 0) are checked whole, as are small inputs.
std::vector<kelias::ColumnProblem> check_in_ranges(const Instrument& instrument, const kelias::RatingsColumns& in,
                                                   unsigned threads) {
    const std::size_t fields = instrument.fields().size();
    std::vector<char> seen(fields, 0);
    bool plain = true;
    for (const auto& c : in.columns) plain = plain && c.field < fields && !seen[c.field]++;
    const std::size_t parts =
        std::min<std::size_t>(threads ? threads : std::max(1U, std::thread::hardware_concurrency()), in.rows / 65536);
    if (!plain || parts < 2) return kelias::check_columns(instrument, in);
    const std::size_t step = (in.rows + parts - 1) / parts;
    std::vector<std::vector<kelias::ColumnProblem>> found(parts);
    std::vector<std::exception_ptr> failed(parts);
    const auto check = [&](std::size_t p) {
        try {
            const std::size_t lo = p * step;
            const std::size_t hi = std::min(in.rows, lo + step);
            kelias::RatingsColumns range{
                .rows = hi - lo, .as_of_days = in.as_of_days ? in.as_of_days + lo : nullptr, .as_of = in.as_of};
            for (const auto& c : in.columns)
                range.columns.push_back({.field = c.field,
                                         .values = c.values ? c.values + lo : nullptr,
                                         .states = c.states ? c.states + lo : nullptr});
            found[p] = kelias::check_columns(instrument, range);
            for (auto& problem : found[p]) problem.row += lo;
        } catch (...) {
            failed[p] = std::current_exception();
        }
    };
    std::vector<std::thread> pool;
    for (std::size_t p = 1; p < parts; ++p) pool.emplace_back(check, p);
    check(0);
    for (auto& t : pool) t.join();
    std::vector<kelias::ColumnProblem> out;
    for (std::size_t p = 0; p < parts; ++p) {
        if (failed[p]) std::rethrow_exception(failed[p]);
        out.insert(out.end(), found[p].begin(), found[p].end());
    }
    return out;
}

py::list findings_to_python(const std::vector<kelias::CheckFinding>& findings) {
    py::list out;
    for (const auto& f : findings)
        out.append(py::make_tuple(f.row, std::string(f.check), std::string(f.item),
                                  f.severity == kelias::Severity::error ? "error" : "warning", std::string(f.message)));
    return out;
}

// Scores borrowed columns: {"scores": ScoreColumns, "problems": [(row, field, reason)],
// "findings": [(row, check, item, severity, message)]}.
py::dict score_columns(const Instrument& instrument, const py::list& columns, std::size_t rows,
                       std::optional<DoubleArray> as_of_days, std::optional<int> as_of, unsigned threads,
                       bool run_checks) {
    const std::vector<BorrowedColumn> held = borrowed(columns);
    const kelias::RatingsColumns in = views_of(held, rows, as_of_days, as_of);
    std::vector<kelias::ColumnProblem> problems;
    std::optional<kelias::ScoreBatch> scores;
    {
        py::gil_scoped_release unlocked;  // the arrays are held by `held`
        problems = check_in_ranges(instrument, in, threads);
        scores = kelias::score_batch(instrument, in, {.threads = threads, .run_checks = run_checks});
    }
    py::list problem_list;
    const auto fields = instrument.fields();
    for (const auto& p : problems)
        problem_list.append(
            py::make_tuple(p.row, p.field < fields.size() ? fields[p.field].column : "as_of", std::string(p.reason)));
    py::dict result;
    result["scores"] = batch_to_python(instrument, *scores);
    result["problems"] = problem_list;
    // Failed checks of severity error reject their rows; warnings are only counted (a
    // million rows may fire millions of them).
    std::vector<kelias::CheckFinding> errors;
    std::size_t warnings = 0;
    for (const auto& f : scores->findings()) {
        if (f.severity == kelias::Severity::error)
            errors.push_back(f);
        else
            ++warnings;
    }
    result["findings"] = findings_to_python(errors);
    result["warnings"] = warnings;
    return result;
}

// The addresses score_columns() reads each column's numbers from (tests check that they
// are the caller's own buffers).
py::list column_addresses(const Instrument&, const py::list& columns, std::size_t rows) {
    const std::vector<BorrowedColumn> held = borrowed(columns);
    const kelias::RatingsColumns in = views_of(held, rows, std::nullopt, std::nullopt);
    py::list out;
    for (const auto& c : in.columns) out.append(reinterpret_cast<std::uintptr_t>(c.values));
    return out;
}

py::object explanation_to_python(const kelias::Explanation& e) {
    py::list children;
    for (const auto& c : e.children) children.append(explanation_to_python(c));
    return py::make_tuple(e.what, e.value, e.notes, children);
}

// Explains one score of one assessment given as column -> cell text.
py::tuple explain_one(const Instrument& instrument, const std::map<std::string, std::string>& cells,
                      const std::string& score_id, const std::string& row_id, std::optional<int> as_of) {
    kelias::RatingsBatch batch(instrument, 1);
    batch.id(0) = row_id;
    if (as_of) batch.set_as_of(0, kelias::Date{*as_of});
    std::vector<kelias::Diagnostic> problems;
    for (const auto& [column, text] : cells) {
        auto field = instrument.find_field(column);
        if (!field) {
            problems.insert(problems.end(), field.error().begin(), field.error().end());
            continue;
        }
        if (const char* error = batch.set_text(0, *field, text))
            problems.push_back(
                {kelias::Severity::error, kelias::DiagnosticCode::invalid_cell, column + ": " + error, {}, {}});
    }
    if (!problems.empty()) return py::make_tuple(py::none(), py::none(), diagnostics_to_python(problems));
    auto explained = kelias::explain(instrument, batch, 0, score_id);
    if (!explained) return py::make_tuple(py::none(), py::none(), diagnostics_to_python(explained.error()));
    return py::make_tuple(explanation_to_python(*explained), kelias::to_text(*explained), py::list());
}

// A whole ratings file through RatingsReader, chunk by chunk, the GIL released while
// reading and scoring. Rejected rows (cell problems and failed error checks) are left out
// and reported, as `kelias score` does.
py::dict score_file(const Instrument& instrument, const std::string& path, const std::string& format, char delimiter,
                    const std::string& id_column, const std::vector<std::string>& pass_through,
                    std::optional<std::string> date_column, std::optional<int> as_of, unsigned threads,
                    bool run_checks) {
    kelias::RatingsReaderOptions options{
        .format = format == "jsonl" ? kelias::RatingsFormat::jsonl : kelias::RatingsFormat::csv,
        .delimiter = delimiter,
        .id_column = id_column,
        .pass_through = pass_through,
        .date_column = date_column,
        .as_of = as_of ? std::optional<kelias::Date>(kelias::Date{*as_of}) : std::nullopt,
        .source_name = path,
        .threads = threads};
    auto opened = without_gil([&] { return kelias::RatingsReader::open(instrument, path, options); });
    py::dict result;
    result["diagnostics"] = diagnostics_to_python(opened.diagnostics());
    if (!opened) {
        result["ok"] = false;
        return result;
    }
    kelias::RatingsReader& reader = opened.value();
    ScoreColumns scores(instrument);
    std::vector<std::string> ids;
    std::vector<std::size_t> lines;
    std::vector<std::vector<std::string>> kept(reader.pass_through().size());
    py::list problems;
    std::size_t warnings = 0;  // checks of severity warning that fired, counted
    kelias::RatingsChunk chunk(instrument);
    for (;;) {
        std::optional<kelias::Result<std::size_t>> rows;
        std::optional<kelias::ScoreBatch> scored;
        {
            py::gil_scoped_release unlocked;
            rows.emplace(reader.next(chunk));
            if (*rows && **rows > 0)
                scored = kelias::score_batch(instrument, chunk.batch, {.threads = threads, .run_checks = run_checks});
        }
        if (!*rows) {
            result["ok"] = false;
            result["diagnostics"] = diagnostics_to_python(rows->error());
            return result;
        }
        if (**rows == 0) break;
        for (const auto& p : chunk.problems) problems.append(py::make_tuple(p.line, p.id, p.column, p.reason));
        const auto keep = [&](std::size_t r) { return !chunk.bad[r] && !scored->rejected(r); };
        for (const auto& f : scored->findings()) {
            if (chunk.bad[f.row]) continue;
            const std::string item = f.item.empty() ? std::string() : " (item " + std::string(f.item) + ")";
            if (f.severity != kelias::Severity::error) {
                ++warnings;
                continue;
            }
            problems.append(py::make_tuple(chunk.lines[f.row], chunk.batch.id(f.row), "",
                                           "error[" + std::string(f.check) + "]: " + std::string(f.message) + item));
        }
        scores.append(*scored, keep);
        for (std::size_t r = 0; r < chunk.batch.rows(); ++r) {
            if (!keep(r)) continue;
            ids.push_back(chunk.batch.id(r));
            lines.push_back(chunk.lines[r]);
            for (std::size_t c = 0; c < kept.size(); ++c) kept[c].push_back(chunk.pass_through[c][r]);
        }
    }
    py::dict pass;
    for (std::size_t c = 0; c < kept.size(); ++c) pass[py::str(reader.pass_through()[c])] = kept[c];
    result["ok"] = true;
    result["ids"] = ids;
    result["lines"] = lines;
    result["pass_through"] = pass;
    result["scores"] = scores.to_python();
    result["problems"] = problems;
    result["warnings"] = warnings;
    return result;
}

}  // namespace

void bind_instrument(py::module_& m) {
    py::class_<Instrument>(m, "Instrument")
        .def_property_readonly("id", &Instrument::id)
        .def_property_readonly("version", &Instrument::version)
        .def_property_readonly("key", &Instrument::key)
        .def_property_readonly("hash", &Instrument::hash)
        .def_property_readonly("title", &Instrument::title)
        .def_property_readonly("file", &Instrument::file)
        .def("fields", &fields_of)
        .def("scores", &scores_of)
        .def("entries", &entries_of)
        .def("domains", &Instrument::domains)
        .def("describe", &Instrument::describe)
        .def("describe_json", &Instrument::describe_json)
        .def("same_definition", &Instrument::same_definition)
        .def("score_columns", &score_columns, py::arg("columns"), py::arg("rows"), py::arg("as_of_days"),
             py::arg("as_of"), py::arg("threads"), py::arg("run_checks"))
        .def("column_addresses", &column_addresses, py::arg("columns"), py::arg("rows"))
        .def("parse_column", &parse_column, py::arg("field"), py::arg("cells"))
        .def("parse_arrow_columns", &parse_arrow_columns, py::arg("columns"), py::arg("threads"))
        .def("explain", &explain_one, py::arg("cells"), py::arg("score"), py::arg("row_id"), py::arg("as_of"))
        .def("score_file", &score_file, py::arg("path"), py::arg("format"), py::arg("delimiter"), py::arg("id_column"),
             py::arg("pass_through"), py::arg("date_column"), py::arg("as_of"), py::arg("threads"),
             py::arg("run_checks"));
    m.def(
        "load_instrument",
        [](const std::string& text, const std::string& file) { return loaded(kelias::load_instrument(text, file)); },
        py::arg("text"), py::arg("file"));
    m.def(
        "load_instrument_file", [](const std::string& path) { return loaded(kelias::load_instrument_file(path)); },
        py::arg("path"));
    m.def(
        "find_definition",
        [](const std::string& id) -> py::object {
            auto found = kelias::find_definition(id);
            return found ? py::cast(found->string()) : py::none();
        },
        py::arg("id_or_path"));
    m.def("parse_date", [](const std::string& text) -> py::object {
        auto d = kelias::parse_date(text);
        return d ? py::cast(d->days) : py::none();
    });
}

}  // namespace kelias_python
