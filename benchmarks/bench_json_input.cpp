// JSON lines of cases into case columns: the project's scanner (CaseBatch::add_json)
// against simdjson's On-Demand API doing the same work (issue 10: "JSONL through simdjson's
// On-Demand API or a scanner measured to beat it").
//
//   kelias_bench --benchmark_filter=json_input
//
// Both read the same generated Lithuanian case lines (lt_cases.hpp; ~870 bytes a line),
// held in one buffer with simdjson's padding after the last line, into the same columns
// through the same row builder (detail::CaseRowBuilder: fact lookup, cell parsing and
// checks, the commit into the columns). The simdjson reader does what add_json does for
// these lines: every key dispatched, duplicate and unknown keys refused, value kinds
// checked (a scalar where a scalar belongs, an object or list where one belongs), numbers
// validated and passed as spelled, dates parsed, nothing after the object. It leaves out
// what the generated lines never contain (assessment histories, ratings) and the located
// messages of add_json's error paths (on a malformed line it only counts a failure).
//
// Built only when simdjson is installed (Debian: libsimdjson-dev); the scanner's figure is
// printed either way by BM_json_input_scanner.
#include <benchmark/benchmark.h>

#include <string>
#include <string_view>
#include <vector>

#include <kelias/kelias.hpp>

#include "base/json_scanner.hpp"
#include "cases/case_rows.hpp"
#include "lt_cases.hpp"
#include "model/case_columns.hpp"
#include "model/rule_set_data.hpp"

#if KELIAS_BENCH_SIMDJSON
#include <simdjson.h>
#endif

namespace {

using kelias_bench::CaseGenerator;
using kelias_bench::lt_rules;

constexpr std::size_t padding = 64;  // at least SIMDJSON_PADDING

/// The first `rows` generated cases as JSON lines in one buffer (each line a view into it).
struct Lines {
    std::string text;
    std::vector<std::string_view> lines;
    std::size_t bytes = 0;  // with the line breaks
};

const Lines& lines(std::size_t rows) {
    static const Lines made = [rows] {
        Lines l;
        CaseGenerator gen(42);
        std::vector<std::size_t> ends;
        for (std::size_t i = 0; i < rows; ++i) {
            l.text += kelias::to_json(gen.next(i));
            ends.push_back(l.text.size());
            l.text += '\n';
        }
        l.bytes = l.text.size();
        l.text.append(padding, ' ');
        std::size_t begin = 0;
        for (std::size_t end : ends) {
            l.lines.emplace_back(l.text.data() + begin, end - begin);
            begin = end + 1;
        }
        return l;
    }();
    if (made.lines.size() != rows) throw std::invalid_argument("json_input: one size per run");
    return made;
}

void report(benchmark::State& state, const Lines& l) {
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(l.lines.size()));
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(l.bytes));
    state.counters["rows"] = static_cast<double>(l.lines.size());
}

// (a) The project's scanner: CaseBatch::add_json, as `kelias eligibility` calls it.
void BM_json_input_scanner(benchmark::State& state) {
    const Lines& l = lines(static_cast<std::size_t>(state.range(0)));
    for (auto _ : state) {
        kelias::CaseBatch batch(lt_rules());
        batch.reserve(l.lines.size());  // as `kelias eligibility` does for each part of a chunk
        for (std::string_view line : l.lines) benchmark::DoNotOptimize(batch.add_json(line));
        if (batch.rows() != l.lines.size()) state.SkipWithError("a generated case was refused");
    }
    report(state, l);
}
BENCHMARK(BM_json_input_scanner)->ArgName("rows")->Arg(100'000)->Unit(benchmark::kMillisecond)->UseRealTime();

#if KELIAS_BENCH_SIMDJSON
namespace od = simdjson::ondemand;
using kelias::detail::CaseRowBuilder;

/// One case line through simdjson On-Demand into the row builder; false on any problem.
class SimdjsonCaseReader {
public:
    explicit SimdjsonCaseReader(CaseRowBuilder& rows) : rows_(rows) {}

    bool read(std::string_view line, std::size_t capacity) {
        id_.clear();
        as_of_.reset();
        od::document doc;
        if (parser_.iterate(line.data(), line.size(), capacity).get(doc)) return false;
        od::object object;
        if (doc.get_object().get(object)) return false;
        bool seen[kelias::detail::case_member_slots] = {};
        for (auto member : object) {
            std::string_view key;
            if (member.unescaped_key().get(key)) return false;
            const int slot = kelias::detail::case_member_slot(key);
            if (slot < 0 || seen[slot]) return false;  // unknown or given twice
            seen[slot] = true;
            od::value v;
            if (member.value().get(v)) return false;
            bool ok = true;
            switch (slot) {
            case 0: {
                std::optional<std::string_view> text;
                ok = scalar(v, text);
                if (ok) id_.assign(text.value_or(""));
                break;
            }
            case 1:
                ok = date(v, as_of_);
                break;
            case 2:
                ok = facts(v);
                break;
            case 3:
                ok = assessments(v);
                break;
            default:
                ok = skip(v);
                break;
            }
            if (!ok) return false;
        }
        return doc.current_location().error() == simdjson::OUT_OF_BOUNDS;  // nothing after the object
    }

    const std::string& id() const noexcept { return id_; }
    std::optional<kelias::Date> as_of() const noexcept { return as_of_; }

private:
    // A scalar as cell text (strings unescaped, numbers validated and as spelled); nullopt
    // for null; false for an object or array.
    bool scalar(od::value& v, std::optional<std::string_view>& text) {
        od::json_type type;
        if (v.type().get(type)) return false;
        switch (type) {
        case od::json_type::string: {
            std::string_view s;
            if (v.get_string().get(s)) return false;
            text = s;
            return true;
        }
        case od::json_type::number: {
            std::string_view raw = v.raw_json_token();
            while (!raw.empty() &&
                   (raw.back() == ' ' || raw.back() == '\t' || raw.back() == '\r' || raw.back() == '\n'))
                raw.remove_suffix(1);
            double ignored;
            if (v.get_double().get(ignored)) return false;
            text = raw;
            return true;
        }
        case od::json_type::boolean: {
            bool b;
            if (v.get_bool().get(b)) return false;
            text = b ? "true" : "false";
            return true;
        }
        case od::json_type::null:
            if (!v.is_null()) return false;
            text.reset();
            return true;
        default:
            return false;
        }
    }

    bool date(od::value& v, std::optional<kelias::Date>& out) {
        std::optional<std::string_view> text;
        if (!scalar(v, text)) return false;
        if (!text) return true;
        out = kelias::parse_date(*text);
        return out.has_value();
    }

    // Values no reader looks at: walked to the end, so that they are checked.
    bool skip(od::value& v) {
        od::json_type type;
        if (v.type().get(type)) return false;
        if (type == od::json_type::object) {
            od::object o;
            if (v.get_object().get(o)) return false;
            for (auto member : o) {
                od::value inner;
                if (member.value().get(inner) || !skip(inner)) return false;
            }
            return true;
        }
        if (type == od::json_type::array) {
            od::array a;
            if (v.get_array().get(a)) return false;
            for (auto element : a) {
                od::value inner;
                if (element.get(inner) || !skip(inner)) return false;
            }
            return true;
        }
        std::optional<std::string_view> ignored;
        return scalar(v, ignored);
    }

    bool facts(od::value& v) {
        if (v.is_null()) return true;
        od::object o;
        if (v.get_object().get(o)) return false;
        std::size_t position = 0;
        for (auto member : o) {
            std::string_view name;
            od::value fact;
            if (member.unescaped_key().get(name) || member.value().get(fact)) return false;
            od::json_type type;
            if (fact.type().get(type)) return false;
            if (type == od::json_type::array) {
                if (!list(position++, std::string(name), fact)) return false;
                continue;
            }
            std::optional<std::string_view> text;
            if (!scalar(fact, text)) return false;
            rows_.fact(position++, name, text.value_or(""));
        }
        return true;
    }

    bool list(std::size_t position, const std::string& name, od::value& v) {
        od::array a;
        if (v.get_array().get(a)) return false;
        const int list = rows_.begin_list(position, name);
        bool recording = list >= 0;
        std::size_t i = 0;
        for (auto element : a) {
            od::value record;
            if (element.get(record)) return false;
            if (recording) recording = rows_.add_record(list, name);
            if (record.is_null()) {
                ++i;
                continue;
            }
            od::object o;
            if (record.get_object().get(o)) return false;
            for (auto member : o) {
                std::string_view field;
                od::value value;
                if (member.unescaped_key().get(field) || member.value().get(value)) return false;
                std::optional<std::string_view> text;
                if (!scalar(value, text)) return false;
                if (recording) rows_.record_field(list, name, i, field, text.value_or(""));
            }
            ++i;
        }
        return true;
    }

    bool assessments(od::value& v) {
        if (v.is_null()) return true;
        od::object o;
        if (v.get_object().get(o)) return false;
        for (auto member : o) {
            std::string_view id;
            od::value a;
            if (member.unescaped_key().get(id) || member.value().get(a)) return false;
            if (!assessment(std::string(id), a)) return false;
        }
        return true;
    }

    bool assessment(const std::string& id, od::value& v) {
        const kelias::detail::RequiredInstrument* req = rows_.begin_assessment(id);
        od::object o;
        if (v.get_object().get(o)) return false;  // a history (array) is not in the generated lines
        bool seen[kelias::detail::assessment_member_slots] = {};
        for (auto member : o) {
            std::string_view key;
            od::value value;
            if (member.unescaped_key().get(key) || member.value().get(value)) return false;
            const int slot = kelias::detail::assessment_member_slot(key);
            if (slot >= 0 && seen[slot]) return false;
            if (slot >= 0) seen[slot] = true;
            if (slot == 0) {
                std::optional<kelias::Date> date;
                if (!this->date(value, date)) return false;
                if (req && date) rows_.assessment_date(*req, *date);
            } else if (slot == 2) {
                if (value.is_null()) continue;
                od::object scores;
                if (value.get_object().get(scores)) return false;
                std::size_t position = 0;
                for (auto score : scores) {
                    std::string_view name;
                    od::value text_value;
                    if (score.unescaped_key().get(name) || score.value().get(text_value)) return false;
                    std::optional<std::string_view> text;
                    if (!scalar(text_value, text)) return false;
                    if (req) rows_.assessment_score(*req, position, name, text.value_or(""));
                    ++position;
                }
            } else if (key == "assessor" || key == "purpose" || key == "header") {
                if (!skip(value)) return false;
            } else {
                return false;  // ratings are not in the generated lines; anything else is unknown
            }
        }
        return true;
    }

    CaseRowBuilder& rows_;
    od::parser parser_;
    std::string id_;
    std::optional<kelias::Date> as_of_;
};

// (b) simdjson On-Demand doing the same work into the same columns.
void BM_json_input_simdjson(benchmark::State& state) {
    const Lines& l = lines(static_cast<std::size_t>(state.range(0)));
    const kelias::RuleSet& rules = lt_rules();
    const kelias::detail::Model& m = rules.data().model;
    const char* const end = l.text.data() + l.text.size();
    for (auto _ : state) {
        kelias::CaseBatch::Storage columns{rules, {}, {}, {}, {}, {}, {}, {0}, {}};
        columns.values.resize(m.fields.size());
        columns.states.resize(m.fields.size());
        columns.lists.resize(m.lists.size());
        for (std::size_t k = 0; k < m.lists.size(); ++k) {
            columns.lists[k].values.resize(m.lists[k].fields.size());
            columns.lists[k].states.resize(m.lists[k].fields.size());
        }
        columns.ids.reserve(l.lines.size());  // as CaseBatch::reserve
        columns.as_of_days.reserve(l.lines.size());
        columns.as_of_states.reserve(l.lines.size());
        columns.assessment_offsets.reserve(l.lines.size() + 1);
        for (auto& column : columns.values) column.reserve(l.lines.size());
        for (auto& column : columns.states) column.reserve(l.lines.size());
        for (auto& list : columns.lists) {
            list.offsets.reserve(l.lines.size() + 1);
            list.list_state.reserve(l.lines.size());
        }
        CaseRowBuilder rows(rules.data());
        SimdjsonCaseReader reader(rows);
        std::size_t refused = 0;
        for (std::string_view line : l.lines) {
            rows.start();
            if (!reader.read(line, static_cast<std::size_t>(end - line.data())) ||
                !rows.commit(columns, reader.id(), reader.as_of()))
                ++refused;
        }
        benchmark::DoNotOptimize(columns.ids.data());
        if (refused || columns.ids.size() != l.lines.size()) state.SkipWithError("a generated case was refused");
    }
    report(state, l);
}
BENCHMARK(BM_json_input_simdjson)->ArgName("rows")->Arg(100'000)->Unit(benchmark::kMillisecond)->UseRealTime();

// simdjson's floor on these lines: every line iterated and every value visited (strings
// unescaped, numbers and literals checked), nothing stored. What On-Demand costs before
// any of kelias's work.
void BM_json_input_simdjson_walk_only(benchmark::State& state) {
    const Lines& l = lines(static_cast<std::size_t>(state.range(0)));
    const char* const end = l.text.data() + l.text.size();
    od::parser parser;
    auto walk = [](auto& self, od::value v) -> bool {
        od::json_type type;
        if (v.type().get(type)) return false;
        switch (type) {
        case od::json_type::object: {
            od::object o;
            if (v.get_object().get(o)) return false;
            for (auto member : o) {
                std::string_view key;
                od::value inner;
                if (member.unescaped_key().get(key) || member.value().get(inner) || !self(self, inner)) return false;
            }
            return true;
        }
        case od::json_type::array: {
            od::array a;
            if (v.get_array().get(a)) return false;
            for (auto element : a) {
                od::value inner;
                if (element.get(inner) || !self(self, inner)) return false;
            }
            return true;
        }
        case od::json_type::string: {
            std::string_view s;
            return !v.get_string().get(s);
        }
        case od::json_type::number: {
            double d;
            return !v.get_double().get(d);
        }
        case od::json_type::boolean: {
            bool b;
            return !v.get_bool().get(b);
        }
        case od::json_type::null:
            return v.is_null();
        }
        return false;
    };
    for (auto _ : state) {
        std::size_t bad = 0;
        for (std::string_view line : l.lines) {
            od::document doc;
            od::object o;
            if (parser.iterate(line.data(), line.size(), static_cast<std::size_t>(end - line.data())).get(doc) ||
                doc.get_object().get(o)) {
                ++bad;
                continue;
            }
            for (auto member : o) {
                std::string_view key;
                od::value inner;
                if (member.unescaped_key().get(key) || member.value().get(inner) || !walk(walk, inner)) ++bad;
            }
        }
        if (bad) state.SkipWithError("a generated line was refused");
    }
    report(state, l);
}
BENCHMARK(BM_json_input_simdjson_walk_only)
    ->ArgName("rows")
    ->Arg(100'000)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
#endif

// The project's scanner alone on the same lines, for the same floor: every value read,
// nothing stored.
void BM_json_input_scanner_walk_only(benchmark::State& state) {
    const Lines& l = lines(static_cast<std::size_t>(state.range(0)));
    for (auto _ : state) {
        std::size_t bad = 0;
        for (std::string_view line : l.lines) {
            kelias::detail::JsonScanner json(line);
            if (!json.skip_value() || !json.finish()) ++bad;
        }
        if (bad) state.SkipWithError("a generated line was refused");
    }
    report(state, l);
}
BENCHMARK(BM_json_input_scanner_walk_only)->ArgName("rows")->Arg(100'000)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
