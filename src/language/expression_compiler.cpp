// Name resolution and type checking: Ast -> Expr.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <unordered_map>
#include <utility>

#include <kelias/date.hpp>

#include "base/number_format.hpp"
#include "base/text.hpp"
#include "base/yaml_reader.hpp"
#include "language/expression.hpp"

KELIAS_BEGIN_NAMESPACE
namespace detail {

namespace {

const Type number_t{Kind::number}, bool_t{Kind::boolean}, date_t{Kind::date}, duration_t{Kind::duration};
const Type error_t{Kind::error};

struct FunctionSpec {
    Op op;
    int min_args, max_args;
};

const std::unordered_map<std::string, FunctionSpec>& functions() {
    static const std::unordered_map<std::string, FunctionSpec> f = {
        {"if", {Op::if_, 3, 3}},
        {"coalesce", {Op::coalesce, 2, 16}},
        {"is_known", {Op::is_known, 1, 1}},
        {"is_na", {Op::is_na, 1, 1}},
        {"is_omitted", {Op::is_omitted, 1, 1}},
        {"ln", {Op::ln, 1, 1}},
        {"exp", {Op::exp, 1, 1}},
        {"logistic", {Op::logistic, 1, 1}},
        {"round", {Op::round, 1, 2}},
        {"floor", {Op::floor, 1, 1}},
        {"ceil", {Op::ceil, 1, 1}},
        {"abs", {Op::abs, 1, 1}},
        {"min", {Op::min, 2, 16}},
        {"max", {Op::max, 2, 16}},
        {"clamp", {Op::clamp, 3, 3}},
        {"years_between", {Op::years_between, 2, 2}},
        {"months_between", {Op::months_between, 2, 2}},
        {"days_between", {Op::days_between, 2, 2}},
        {"date", {Op::date_fn, 1, 1}},
        {"date_at_fraction", {Op::date_at_fraction, 3, 3}},
        {"add_days", {Op::add_days, 2, 2}},
        {"add_months", {Op::add_months, 2, 2}},
        {"fresh", {Op::fresh, 2, 2}},
        {"value_of", {Op::code_value, 1, 1}},
        {"rank_of", {Op::code_rank, 1, 1}},
        {"concat", {Op::concat, 2, 8}},
        {"has", {Op::set_any, 2, 2}},
        {"has_any", {Op::set_any, 2, 2}},
        {"has_all", {Op::set_all, 2, 2}},
        {"n_codes", {Op::set_count, 1, 1}},
    };
    return f;
}

const std::unordered_map<std::string, AggregateFn>& aggregates() {
    static const std::unordered_map<std::string, AggregateFn> a = {
        {"sum", AggregateFn::sum},       {"count", AggregateFn::count},
        {"mean", AggregateFn::mean},     {"min_of", AggregateFn::min_of},
        {"max_of", AggregateFn::max_of}, {"any", AggregateFn::any},
        {"all", AggregateFn::all},       {"n_known", AggregateFn::n_known},
        {"n_na", AggregateFn::n_na},     {"n_omitted", AggregateFn::n_omitted},
    };
    return a;
}

class Compiler {
public:
    Compiler(const CompileScope& scope, std::vector<ExprError>& errors)
        : s_(scope), d_(*scope.model), errors_(errors) {}

    /// The scale the expression's value is declared to have (a score's `scale:`).
    void want_scale(int scale) { want_scale_ = scale; }

    /// The whole expression meets its declared scale: a category whose codes are all in it.
    Expr fit_result(Expr e, const Ast& a) {
        const int want = s_.result_scale;
        if (want < 0 || bad(e)) return e;
        const Scale& w = d_.scales[static_cast<std::size_t>(want)];
        if (e.type.kind != Kind::category)
            return fail(a, DiagnosticCode::type_error,
                        "the score declares scale '" + w.id + "' but gives a " + type_name(e.type),
                        "drop 'scale:' or make the expression give codes of '" + w.id + "'");
        if (!fits_scale(e, want, a)) return poisoned(a);
        e.type.scale = want;
        return e;
    }

    Expr compile(const Ast& a) {
        const int want = std::exchange(want_scale_, -1);  // only if() and coalesce() branches pass it on
        Expr e;
        e.begin = a.begin;
        e.end = a.end;
        switch (a.kind) {
        case Ast::Kind::number:
            e.type = number_t;
            e.number = a.number;
            return e;
        case Ast::Kind::boolean:
            e.type = bool_t;
            e.number = a.number;
            return e;
        case Ast::Kind::string:
            e.type = Type{Kind::category, -1};
            e.number = d_.intern(a.text);
            return e;
        case Ast::Kind::list:
            return compile_list(a);
        case Ast::Kind::name:
            return compile_name(a);
        case Ast::Kind::member:
            return compile_member(a);
        case Ast::Kind::call:
            return compile_call(a, want);
        case Ast::Kind::unary:
            return compile_unary(a);
        case Ast::Kind::binary:
            return compile_binary(a);
        }
        return e;
    }

private:
    Expr fail(const Ast& a, DiagnosticCode code, std::string message, std::string hint = {}) {
        errors_.push_back({code, std::move(message), std::move(hint), a.begin});
        Expr e;
        e.begin = a.begin;
        e.end = a.end;
        e.type = error_t;
        return e;
    }

    // An expression whose error was reported already.
    static Expr poisoned(const Ast& a) {
        Expr e;
        e.begin = a.begin;
        e.end = a.end;
        e.type = error_t;
        return e;
    }

    bool bad(const Expr& e) const { return e.type.kind == Kind::error; }

    std::vector<std::string> known_names() const {
        std::vector<std::string> names = {"as_of"};
        for (const auto& [id, _] : d_.entry_by_id) names.push_back(id);
        if (s_.scores)
            for (const auto& [id, _] : *s_.scores) names.push_back(id);
        for (const auto& [id, _] : d_.table_index) names.push_back(id);
        return names;
    }

    bool is_field_name(const std::string& name) const {
        for (const auto& f : d_.fields)
            if (f.name == name) return true;
        return false;
    }

    Expr field_ref(const Ast& a, int column) {
        Expr e;
        e.begin = a.begin;
        e.end = a.end;
        e.op = Op::field;
        e.index = column;
        e.type = d_.field_models[static_cast<std::size_t>(column)].type;
        return e;
    }

    Expr compile_name(const Ast& a) {
        const std::string& n = a.text;
        Expr e;
        e.begin = a.begin;
        e.end = a.end;
        if (n == "as_of") {
            e.op = Op::as_of;
            e.type = date_t;
            return e;
        }
        if (s_.current_entry >= 0) {
            const auto& fields = d_.entry_models[static_cast<std::size_t>(s_.current_entry)].field_column;
            if (auto it = fields.find(n); it != fields.end()) return field_ref(a, it->second);
        }
        if (s_.current_list >= 0) {
            const ListModel& list = d_.lists[static_cast<std::size_t>(s_.current_list)];
            auto f = std::find(list.field_names.begin(), list.field_names.end(), n);
            if (f != list.field_names.end()) {
                e.op = Op::record_field;
                e.index = static_cast<int>(f - list.field_names.begin());
                e.type = list.field_models[static_cast<std::size_t>(e.index)].type;
                return e;
            }
        }
        if (d_.list_index.count(n))
            return fail(a, DiagnosticCode::type_error, "'" + n + "' is a list; read it with an aggregate",
                        "e.g. count(" + n + ") or count(" + n + ", CONDITION)");
        if (s_.programmes && s_.programmes->count(n))
            return fail(a, DiagnosticCode::unknown_name, "'" + n + "' is a programme, not a fact",
                        "read its decision with eligible('" + n + "')");
        if (s_.scores) {
            if (auto it = s_.scores->find(n); it != s_.scores->end())
                return result_reference(a, static_cast<int>(it->second));
        }
        if (auto it = d_.entry_by_id.find(n); it != d_.entry_by_id.end()) {
            const auto& fields = d_.entry_models[it->second].field_column;
            if (auto f = fields.find("value"); f != fields.end() && fields.size() == 1) return field_ref(a, f->second);
            std::string example = fields.empty() ? std::string() : n + "." + fields.begin()->first;
            for (const auto& f : d_.fields)
                if (f.owner == n) {
                    example = f.column;
                    break;
                }
            return fail(a, DiagnosticCode::type_error, "'" + n + "' has several fields; name one",
                        "write e.g. " + example);
        }
        if (d_.table_index.count(n))
            return fail(a, DiagnosticCode::type_error, "table '" + n + "' is used like a function",
                        "write " + n + "(x)");
        if (auto dur = parse_duration(n)) {
            e.op = Op::duration;
            e.duration = *dur;
            e.type = duration_t;
            return e;
        }
        if (is_field_name(n))
            return fail(a, DiagnosticCode::unknown_name, "field '" + n + "' needs an item or an aggregate",
                        "write item." + n + " for one item, or an aggregate such as sum(" + n + ")");
        return fail(a, DiagnosticCode::unknown_name, "unknown name '" + n + "'", did_you_mean(n, known_names()));
    }

    Expr compile_member(const Ast& a) {
        if (a.text == "params" && s_.params) {
            auto p = s_.params->find(a.member);
            if (p == s_.params->end()) {
                std::vector<std::string> names;
                for (const auto& [name, _] : *s_.params) names.push_back(name);
                return fail(a, DiagnosticCode::unknown_name, "unknown param '" + a.member + "'",
                            did_you_mean(a.member, names));
            }
            Expr e = p->second;
            e.begin = a.begin;
            e.end = a.end;
            return e;
        }
        if (s_.choices)
            if (auto ch = s_.choices->find(a.text); ch != s_.choices->end()) return choice_member(a, ch->second);
        if (auto c = d_.field_by_column.find(a.text + "." + a.member); c != d_.field_by_column.end())
            return field_ref(a, static_cast<int>(c->second));
        if (a.member.find('.') != std::string::npos) {
            std::vector<std::string> columns;
            for (const auto& f : d_.fields) columns.push_back(f.column);
            std::string path = a.text + "." + a.member;
            return fail(a, DiagnosticCode::unknown_name, "unknown name '" + path + "'", did_you_mean(path, columns));
        }
        auto it = d_.entry_by_id.find(a.text);
        if (it == d_.entry_by_id.end()) {
            std::vector<std::string> ids;
            for (const auto& [id, _] : d_.entry_by_id) ids.push_back(id);
            return fail(a, DiagnosticCode::unknown_name, "unknown item or outcome '" + a.text + "'",
                        did_you_mean(a.text, ids));
        }
        const auto& fields = d_.entry_models[it->second].field_column;
        auto f = fields.find(a.member);
        if (f == fields.end()) {
            std::vector<std::string> names;
            for (const auto& [name, _] : fields) names.push_back(name);
            std::string hint = did_you_mean(a.member, names);
            if (hint.empty()) {
                std::sort(names.begin(), names.end());
                hint = "its fields are:";
                for (const auto& n : names) hint += " " + n;
            }
            return fail(a, DiagnosticCode::unknown_name, "'" + a.text + "' has no field '" + a.member + "'", hint);
        }
        return field_ref(a, f->second);
    }

    // alias.member: the expression the loader built, placed where the name is written.
    Expr choice_member(const Ast& a, const ChoiceNames& choice) {
        if (auto it = choice.members.find(a.member); it != choice.members.end()) {
            Expr e = it->second;
            place(e, a.begin, a.end);
            if (s_.result_refs) note_results(e, *s_.result_refs);
            return e;
        }
        if (auto it = choice.partial.find(a.member); it != choice.partial.end())
            return fail(a, DiagnosticCode::unknown_name,
                        "'" + a.text + "." + a.member + "' is not a result of every instrument '" + a.text +
                            "' chooses from",
                        it->second);
        std::vector<std::string> names;
        for (const auto& [name, _] : choice.members) names.push_back(name);
        std::string hint = did_you_mean(a.member, names);
        if (hint.empty()) {
            std::sort(names.begin(), names.end());
            hint = "it reads:";
            for (const auto& n : names) hint += " " + n;
        }
        return fail(a, DiagnosticCode::unknown_name, "'" + a.text + "' has no result '" + a.member + "'", hint);
    }

    static void note_results(const Expr& e, std::vector<int>& out) {
        if (e.op == Op::result) out.push_back(e.index);
        for (const auto& arg : e.args) note_results(arg, out);
    }

    static void place(Expr& e, int begin, int end) {
        e.begin = begin;
        e.end = end;
        for (auto& arg : e.args) place(arg, begin, end);
    }

    Expr compile_list(const Ast& a) {
        Expr e;
        e.op = Op::list;
        e.begin = a.begin;
        e.end = a.end;
        e.type = Type{Kind::list};
        Kind element = Kind::error;
        for (const auto& item : a.args) {
            Expr x = compile(item);
            if (bad(x)) return x;
            if (x.op != Op::constant)
                return fail(item, DiagnosticCode::type_error, "list elements must be literal values",
                            "compute the value in a score first");
            if (element != Kind::error && x.type.kind != element)
                return fail(item, DiagnosticCode::type_error,
                            "list mixes " + type_name(Type{element}) + " and " + type_name(x.type));
            element = x.type.kind;
            e.list.push_back(x.number);
        }
        e.type.element = element;
        return e;
    }

    Expr compile_unary(const Ast& a) {
        Expr x = compile(a.args[0]);
        if (bad(x)) return x;
        Expr e;
        e.begin = a.begin;
        e.end = a.end;
        if (a.op == Operator::not_) {
            if (x.type.kind != Kind::boolean)
                return fail(a, DiagnosticCode::type_error, "'not' needs a bool, not a " + type_name(x.type));
            e.op = Op::not_;
            e.type = bool_t;
        } else {
            if (!numeric(x))
                return fail(a, DiagnosticCode::type_error, "'-' needs a number, not a " + type_name(x.type));
            e.op = Op::neg;
            e.type = number_t;
        }
        e.args.push_back(std::move(x));
        return e;
    }

    // A string literal meeting a category of scale `scale`: the literal must be a code of it.
    bool check_code(const Expr& literal, int scale, const Ast& where) {
        if (scale < 0 || literal.op != Op::constant) return true;
        const Scale& sc = d_.scales[static_cast<std::size_t>(scale)];
        if (sc.rank.count(static_cast<int>(literal.number))) return true;
        std::vector<std::string> codes;
        for (int c : sc.codes) codes.push_back(d_.strings[static_cast<std::size_t>(c)]);
        std::string hint = did_you_mean(d_.strings[static_cast<std::size_t>(literal.number)], codes);
        if (hint.empty()) {
            hint = "the codes of '" + sc.id + "' are:";
            for (const auto& c : codes) hint += " " + c;
        }
        errors_.push_back(
            {DiagnosticCode::code_not_in_scale,
             "'" + d_.strings[static_cast<std::size_t>(literal.number)] + "' is not a code of scale '" + sc.id + "'",
             hint, where.begin});
        return false;
    }

    // Unifies two category types (a free literal takes the other side's scale).
    std::optional<Type> unify_categories(const Expr& l, const Expr& r, const Ast& lw, const Ast& rw) {
        if (l.type.scale >= 0 && r.type.scale >= 0 && l.type.scale != r.type.scale) return std::nullopt;
        if (l.type.scale < 0 && !check_code(l, r.type.scale, lw)) return Type{Kind::error};
        if (r.type.scale < 0 && !check_code(r, l.type.scale, rw)) return Type{Kind::error};
        return Type{Kind::category, std::max(l.type.scale, r.type.scale)};
    }

    Expr compile_binary(const Ast& a) {
        Expr l = compile(a.args[0]);
        Expr r = compile(a.args[1]);
        if (bad(l) || bad(r)) return bad(l) ? l : r;
        Expr e;
        e.begin = a.begin;
        e.end = a.end;
        const Operator op = a.op;
        const std::string shown(spelling(op));
        const bool arithmetic =
            op == Operator::add || op == Operator::sub || op == Operator::mul || op == Operator::div;
        auto mismatch = [&](std::string what) {
            const bool codes = l.type.kind == Kind::category || r.type.kind == Kind::category;
            return fail(a, DiagnosticCode::type_error,
                        "'" + shown + "' " + what + ", not " + type_name(l.type) + " and " + type_name(r.type),
                        codes && arithmetic ? "codes count as numbers only on a scale with values, e.g. values: "
                                              "{low: 0, high: 1}"
                                            : "");
        };
        // Codes of scales with values take part in arithmetic (and meet numbers) as numbers.
        if ((arithmetic && (has_values(l.type) || has_values(r.type))) ||
            (l.type.kind == Kind::number && has_values(r.type)) ||
            (r.type.kind == Kind::number && has_values(l.type))) {
            numeric(l);
            numeric(r);
        }
        switch (op) {
        case Operator::and_:
        case Operator::or_:
            if (l.type.kind != Kind::boolean || r.type.kind != Kind::boolean) return mismatch("needs two bools");
            e.op = op == Operator::and_ ? Op::and_ : Op::or_;
            e.type = bool_t;
            break;
        case Operator::add:
        case Operator::sub:
            if (l.type.kind == Kind::number && r.type.kind == Kind::number) {
                e.type = number_t;
            } else if (l.type.kind == Kind::date && r.type.kind == Kind::duration) {
                e.type = date_t;
            } else if (op == Operator::add && l.type.kind == Kind::duration && r.type.kind == Kind::date) {
                std::swap(l, r);
                e.type = date_t;
            } else if (l.type.kind == Kind::date && r.type.kind == Kind::date) {
                return fail(a, DiagnosticCode::type_error, "dates cannot be subtracted directly",
                            "use days_between(a, b) or months_between(a, b)");
            } else {
                return mismatch("needs two numbers, or a date and a duration");
            }
            e.op = op == Operator::add ? Op::add : Op::sub;
            break;
        case Operator::mul:
        case Operator::div:
            if (l.type.kind != Kind::number || r.type.kind != Kind::number) return mismatch("needs two numbers");
            e.op = op == Operator::mul ? Op::mul : Op::div;
            e.type = number_t;
            break;
        case Operator::in:
        case Operator::not_in:
            if (r.op != Op::list)
                return fail(a.args[1], DiagnosticCode::type_error, "'" + shown + "' needs a list such as ['a', 'b']");
            e.op = op == Operator::in ? Op::in : Op::not_in;
            e.type = bool_t;
            if (!r.list.empty() && r.type.element != l.type.kind)
                return mismatch("compares a value with a list of another type");
            if (l.type.kind == Kind::category && l.type.scale >= 0) {
                for (std::size_t i = 0; i < r.list.size(); ++i) {
                    Expr lit;
                    lit.number = r.list[i];
                    if (!check_code(lit, l.type.scale, a.args[1].args[i])) return poisoned(a);
                }
            }
            break;
        case Operator::eq:
        case Operator::ne:
        case Operator::lt:
        case Operator::le:
        case Operator::gt:
        case Operator::ge: {
            e.op = op == Operator::eq   ? Op::eq
                   : op == Operator::ne ? Op::ne
                   : op == Operator::lt ? Op::lt
                   : op == Operator::le ? Op::le
                   : op == Operator::gt ? Op::gt
                                        : Op::ge;
            e.type = bool_t;
            const bool ordering = e.op != Op::eq && e.op != Op::ne;
            if (l.type.kind != r.type.kind) return mismatch("compares values of different types");
            if (l.type.kind == Kind::category) {
                auto u = unify_categories(l, r, a.args[0], a.args[1]);
                if (!u) return mismatch("compares codes of different scales");
                if (u->kind == Kind::error) return poisoned(a);
                if (ordering && (u->scale < 0 || !d_.scales[static_cast<std::size_t>(u->scale)].ordered))
                    return fail(a, DiagnosticCode::type_error, "'" + shown + "' needs an ordered scale",
                                unordered_hint(*u) + ", or compare with == / in");
                // Both sides carry the scale so the evaluator can compare ranks.
                l.type.scale = r.type.scale = u->scale;
            } else if (ordering && l.type.kind != Kind::number && l.type.kind != Kind::date &&
                       l.type.kind != Kind::duration) {
                return mismatch("orders numbers, dates or durations");
            } else if (l.type.kind == Kind::list) {
                return mismatch("cannot compare");
            }
            break;
        }
        case Operator::not_:
        case Operator::neg:
            return fail(a, DiagnosticCode::expression_syntax, "'" + shown + "' takes one operand");
        }
        e.args.push_back(std::move(l));
        e.args.push_back(std::move(r));
        return e;
    }

    // A keyed table: one argument per key, numbers for bands, codes of the key for codes.
    // Every code of the argument's scale must have a place on the key (coverage).
    Expr compile_keyed_table(const Ast& a, int index) {
        const Table& t = d_.tables[static_cast<std::size_t>(index)];
        if (a.args.size() != t.keys.size()) {
            std::string names;
            for (const auto& k : t.keys) names += (names.empty() ? "" : ", ") + k.name;
            return fail(a, DiagnosticCode::unknown_function,
                        "table '" + t.id + "' takes " + std::to_string(t.keys.size()) + " arguments, not " +
                            std::to_string(a.args.size()),
                        "write " + t.id + "(" + names + ")");
        }
        Expr e = table_call(a, index, t);
        for (std::size_t k = 0; k < t.keys.size(); ++k) {
            const TableKey& key = t.keys[k];
            Expr x = compile(a.args[k]);
            if (bad(x)) return x;
            const Kind want = key.coded ? Kind::category : Kind::number;
            if (x.type.kind != want)
                return fail(a.args[k], DiagnosticCode::type_error,
                            "key '" + key.name + "' of table '" + t.id + "' looks up a " + type_name(Type{want}) +
                                ", not a " + type_name(x.type));
            if (key.coded && x.type.scale >= 0) {
                const Scale& sc = d_.scales[static_cast<std::size_t>(x.type.scale)];
                std::string extra, missing;
                for (double c : key.codes)
                    if (!sc.rank.count(static_cast<int>(c)))
                        extra += (extra.empty() ? "'" : ", '") + code_text(d_, c) + "'";
                for (int c : sc.codes)
                    if (std::find(key.codes.begin(), key.codes.end(), static_cast<double>(c)) == key.codes.end())
                        missing += (missing.empty() ? "'" : ", '") + d_.strings[static_cast<std::size_t>(c)] + "'";
                if (!extra.empty()) {
                    errors_.push_back({DiagnosticCode::code_not_in_scale,
                                       "key '" + key.name + "' of table '" + t.id + "' lists " + extra +
                                           ", not codes of scale '" + sc.id + "'",
                                       "", a.args[k].begin});
                    return poisoned(a);
                }
                if (!missing.empty()) {
                    errors_.push_back({DiagnosticCode::table_coverage,
                                       "key '" + key.name + "' of table '" + t.id + "' has no place for " + missing +
                                           " of scale '" + sc.id + "'",
                                       "add the codes to the key (null cells for deliberate gaps)", a.args[k].begin});
                    return poisoned(a);
                }
            }
            e.args.push_back(std::move(x));
        }
        return e;
    }

    Expr compile_table(const Ast& a, int index) {
        const Table& t = d_.tables[static_cast<std::size_t>(index)];
        if (!t.keys.empty()) return compile_keyed_table(a, index);
        if (a.args.size() != 1)
            return fail(a, DiagnosticCode::unknown_function, "table '" + t.id + "' takes one argument",
                        "write " + t.id + "(x)");
        Expr x = compile(a.args[0]);
        if (bad(x)) return x;
        if (t.input.kind == Kind::number) numeric(x);
        if (x.type.kind != t.input.kind)
            return fail(a.args[0], DiagnosticCode::type_error,
                        "table '" + t.id + "' looks up a " + type_name(t.input) + ", not a " + type_name(x.type));
        if (x.type.kind == Kind::category) {
            for (const auto& row : t.rows)
                if (row.equals && x.type.scale >= 0) {
                    if (!d_.scales[static_cast<std::size_t>(x.type.scale)].rank.count(static_cast<int>(*row.equals))) {
                        errors_.push_back({DiagnosticCode::code_not_in_scale,
                                           "table '" + t.id + "' matches '" +
                                               d_.strings[static_cast<std::size_t>(*row.equals)] +
                                               "', which is not a code of scale '" +
                                               d_.scales[static_cast<std::size_t>(x.type.scale)].id + "'",
                                           "", a.begin});
                        return poisoned(a);
                    }
                }
        }
        Expr e = table_call(a, index, t);
        e.args.push_back(std::move(x));
        return e;
    }

    // The call of table `index` written at `a`, its arguments still to add.
    static Expr table_call(const Ast& a, int index, const Table& t) {
        Expr e;
        e.begin = a.begin;
        e.end = a.end;
        e.op = Op::table;
        e.index = index;
        e.type = t.output;
        return e;
    }

    Expr compile_aggregate(const Ast& a, AggregateFn fn) {
        if (a.args.empty() || a.args.size() > 2)
            return fail(a, DiagnosticCode::unknown_function,
                        "'" + a.text + "' takes a field name and an optional scope",
                        "write " + a.text + "(strength) or " + a.text + "(strength, domain)");
        const Ast& field = a.args[0];
        if (field.kind == Ast::Kind::name && d_.list_index.count(field.text)) return compile_list_aggregate(a, fn);
        if (field.kind != Ast::Kind::name)
            return fail(field, DiagnosticCode::invalid_aggregate,
                        "the first argument of '" + a.text + "' must be a field name",
                        "aggregates run over a field of many items, e.g. sum(strength)");
        std::vector<int> entries;  // candidate entries, before the field filter
        bool explicit_list = false;
        if (a.args.size() == 2) {
            const Ast& scope = a.args[1];
            if (scope.kind == Ast::Kind::name) {
                auto it = std::find(d_.domains.begin(), d_.domains.end(), scope.text);
                if (it == d_.domains.end())
                    return fail(scope, DiagnosticCode::invalid_aggregate, "unknown domain '" + scope.text + "'",
                                did_you_mean(scope.text, d_.domains));
                for (std::size_t i = 0; i < d_.entries.size(); ++i)
                    if (d_.entries[i].domain == scope.text && !d_.entries[i].is_outcome)
                        entries.push_back(static_cast<int>(i));
            } else if (scope.kind == Ast::Kind::list) {
                explicit_list = true;
                for (const auto& item : scope.args) {
                    auto it = item.kind == Ast::Kind::name ? d_.entry_by_id.find(item.text) : d_.entry_by_id.end();
                    if (it == d_.entry_by_id.end()) {
                        std::vector<std::string> ids;
                        for (const auto& [id, _] : d_.entry_by_id) ids.push_back(id);
                        return fail(item, DiagnosticCode::invalid_aggregate,
                                    "a scope list names items: '" +
                                        (item.kind == Ast::Kind::name ? item.text : std::string("?")) + "' is not one",
                                    item.kind == Ast::Kind::name ? did_you_mean(item.text, ids) : std::string());
                    }
                    entries.push_back(static_cast<int>(it->second));
                }
            } else {
                return fail(scope, DiagnosticCode::invalid_aggregate,
                            "the scope of '" + a.text + "' must be a domain or a list of items");
            }
        } else {
            for (std::size_t i = 0; i < d_.entries.size(); ++i) entries.push_back(static_cast<int>(i));
        }
        Expr e;
        e.begin = a.begin;
        e.end = a.end;
        e.op = Op::aggregate;
        e.aggregate = fn;
        Kind field_kind = Kind::error;
        for (int i : entries) {
            const auto& entry = d_.entries[static_cast<std::size_t>(i)];
            if (!explicit_list && !entry.in_totals) continue;
            const auto& fields = d_.entry_models[static_cast<std::size_t>(i)].field_column;
            auto f = fields.find(field.text);
            if (f == fields.end()) continue;
            e.columns.push_back(f->second);
            field_kind = d_.field_models[static_cast<std::size_t>(f->second)].type.kind;
        }
        if (e.columns.empty()) {
            if (!is_field_name(field.text)) {
                std::vector<std::string> names;
                for (const auto& f : d_.fields) names.push_back(f.name);
                return fail(field, DiagnosticCode::invalid_aggregate, "no item has a field '" + field.text + "'",
                            did_you_mean(field.text, names));
            }
            return fail(a, DiagnosticCode::invalid_aggregate, "no item in this scope has a field '" + field.text + "'");
        }
        bool numeric =
            fn == AggregateFn::sum || fn == AggregateFn::mean || fn == AggregateFn::min_of || fn == AggregateFn::max_of;
        if (numeric && field_kind == Kind::category) return coded_aggregate(a, field, std::move(e));
        bool logical = fn == AggregateFn::count || fn == AggregateFn::any || fn == AggregateFn::all;
        if (numeric && field_kind != Kind::number)
            return fail(a, DiagnosticCode::invalid_aggregate,
                        "'" + a.text + "' needs a numeric field; '" + field.text + "' holds " +
                            type_name(Type{field_kind}),
                        field_kind == Kind::boolean ? "use count(" + field.text + ") to count true values" : "");
        if (logical && field_kind != Kind::boolean)
            return fail(a, DiagnosticCode::invalid_aggregate,
                        "'" + a.text + "' needs a bool field; '" + field.text + "' holds " +
                            type_name(Type{field_kind}),
                        "use n_known(" + field.text + ") to count rated items");
        e.type = (fn == AggregateFn::any || fn == AggregateFn::all) ? bool_t : number_t;
        return e;
    }

    // count(list), count(list, COND), any/all(list, COND), sum/min_of/max_of(list, EXPR).
    Expr compile_list_aggregate(const Ast& a, AggregateFn fn) {
        const int list = d_.list_index.at(a.args[0].text);
        Expr e;
        e.begin = a.begin;
        e.end = a.end;
        e.op = Op::list_aggregate;
        e.index = list;
        e.aggregate = fn;
        const bool logical = fn == AggregateFn::count || fn == AggregateFn::any || fn == AggregateFn::all;
        const bool numeric = fn == AggregateFn::sum || fn == AggregateFn::min_of || fn == AggregateFn::max_of;
        if (!logical && !numeric)
            return fail(a, DiagnosticCode::invalid_aggregate, "'" + a.text + "' does not apply to lists",
                        "use count, any, all, sum, min_of or max_of");
        if (a.args.size() == 1) {
            if (fn != AggregateFn::count)
                return fail(a, DiagnosticCode::unknown_function, "'" + a.text + "' over a list needs a second argument",
                            "e.g. " + a.text + "(" + a.args[0].text + ", CONDITION)");
            e.type = number_t;
            return e;
        }
        CompileScope inner = s_;
        inner.current_list = list;
        Compiler sub(inner, errors_);
        Expr body = sub.compile(a.args[1]);
        if (bad(body)) return body;
        if (logical && body.type.kind != Kind::boolean)
            return fail(a.args[1], DiagnosticCode::type_error,
                        "the condition of '" + a.text + "' must be a bool, not a " + type_name(body.type));
        if (numeric && !this->numeric(body) && !(fn != AggregateFn::sum && body.type.kind == Kind::date))
            return fail(a.args[1], DiagnosticCode::type_error,
                        "'" + a.text + "' needs a number, not a " + type_name(body.type));
        e.type = fn == AggregateFn::count ? number_t : logical ? bool_t : body.type;
        e.args.push_back(std::move(body));
        return e;
    }

    // A reference to result `index`, typed when the result is compiled already.
    Expr result_reference(const Ast& a, int index) {
        if (s_.result_refs) s_.result_refs->push_back(index);
        Expr e;
        e.begin = a.begin;
        e.end = a.end;
        e.op = Op::result;
        e.index = index;
        const bool ready = s_.result_ready && (*s_.result_ready)[static_cast<std::size_t>(index)];
        e.type = ready ? d_.results[static_cast<std::size_t>(index)].expr.type : error_t;
        return e;
    }

    Expr compile_eligible(const Ast& a) {
        if (a.args.size() != 1 || a.args[0].kind != Ast::Kind::string)
            return fail(a, DiagnosticCode::unknown_function, "eligible() takes one programme id in quotes",
                        "write eligible('halfway_house')");
        const std::string& id = a.args[0].text;
        const auto found =
            s_.programmes ? s_.programmes->find(id) : std::unordered_map<std::string, int>::const_iterator{};
        if (!s_.programmes || found == s_.programmes->end()) {
            std::vector<std::string> ids;
            if (s_.programmes)
                for (const auto& [name, _] : *s_.programmes) ids.push_back(name);
            return fail(a.args[0], DiagnosticCode::unknown_name, "unknown programme '" + id + "'",
                        did_you_mean(id, ids));
        }
        Expr e = result_reference(a, found->second);
        e.type = bool_t;  // a decision is a bool, compiled or not yet
        return e;
    }

    static std::string number_text(double v) {
        std::string out;
        append_number(out, v);
        return out;
    }

    // concat(part, ...): a code composed of parts, each with a known set of values (codes
    // of a scale, a table's values, constants); every combination is interned now, so the
    // evaluator only picks one, and a score's `scale:` can check them all.
    Expr compile_concat(const Ast& a) {
        if (a.args.size() < 2 || a.args.size() > 8)
            return fail(a, DiagnosticCode::unknown_function,
                        "'concat' takes 2 to 8 parts, not " + std::to_string(a.args.size()),
                        "write concat(letter, digit)");
        Expr e;
        e.begin = a.begin;
        e.end = a.end;
        e.op = Op::concat;
        e.type = Type{Kind::category, -1};
        std::size_t combinations = 1;
        for (std::size_t k = 0; k < a.args.size(); ++k) {
            Expr part = compile(a.args[k]);
            if (bad(part)) return part;
            if (part.type.kind != Kind::category && part.type.kind != Kind::number)
                return fail(a.args[k], DiagnosticCode::type_error,
                            "part " + std::to_string(k + 1) + " of 'concat' must be a code or a whole number, not a " +
                                type_name(part.type));
            auto values = possible_values(part, d_);
            if (!values || values->empty())
                return fail(a.args[k], DiagnosticCode::type_error,
                            "part " + std::to_string(k + 1) +
                                " of 'concat' can take values that are not known when the file loads",
                            "use a code of a scale, a table's value, a constant, or if() of those");
            for (double v : *values)
                if (!part_text(d_, part, v))
                    return fail(a.args[k], DiagnosticCode::type_error,
                                "part " + std::to_string(k + 1) + " of 'concat' can be " + number_text(v) +
                                    ", not a whole number 0 or more");
            combinations *= values->size();
            if (combinations > 10000)
                return fail(a, DiagnosticCode::limit_exceeded, "'concat' composes more than 10000 codes",
                            "use fewer or smaller parts");
            e.part_values.push_back(std::move(*values));
            e.args.push_back(std::move(part));
        }
        for (std::size_t c = 0; c < combinations; ++c) {
            std::string code;
            std::size_t rest = c;
            std::vector<std::string> texts(e.args.size());
            for (std::size_t k = e.args.size(); k-- > 0;) {
                const auto& values = e.part_values[k];
                texts[k] = *part_text(d_, e.args[k], values[rest % values.size()]);
                rest /= values.size();
            }
            for (const auto& t : texts) code += t;
            if (!is_code(code))
                return fail(a, DiagnosticCode::type_error,
                            "'concat' can compose '" + for_message(code) + "', not a code",
                            "codes are [A-Za-z][A-Za-z0-9_]*: start with a letter part");
            e.list.push_back(static_cast<double>(d_.intern(code)));
        }
        return e;
    }

    Expr compile_call(const Ast& a, int want) {
        if (a.text == "eligible") return compile_eligible(a);
        if (a.text == "concat") return compile_concat(a);
        if (auto it = d_.table_index.find(a.text); it != d_.table_index.end()) return compile_table(a, it->second);
        if (auto it = aggregates().find(a.text); it != aggregates().end()) return compile_aggregate(a, it->second);
        auto it = functions().find(a.text);
        if (it == functions().end()) {
            std::vector<std::string> names;
            for (const auto& [n, _] : functions()) names.push_back(n);
            for (const auto& [n, _] : aggregates()) names.push_back(n);
            for (const auto& [n, _] : d_.table_index) names.push_back(n);
            // A fixed order for the hint (the maps have none): names with the word's first
            // letter first, as typos rarely change it ('rnd': 'round', not 'ln').
            std::sort(names.begin(), names.end());
            std::stable_partition(names.begin(), names.end(),
                                  [&](const std::string& n) { return !a.text.empty() && n[0] == a.text[0]; });
            return fail(a, DiagnosticCode::unknown_function, "unknown function '" + a.text + "'",
                        did_you_mean(a.text, names));
        }
        const FunctionSpec& spec = it->second;
        int n = static_cast<int>(a.args.size());
        if (n < spec.min_args || n > spec.max_args) {
            std::string want = spec.min_args == spec.max_args
                                   ? std::to_string(spec.min_args)
                                   : std::to_string(spec.min_args) + " to " + std::to_string(spec.max_args);
            return fail(a, DiagnosticCode::unknown_function,
                        "'" + a.text + "' takes " + want + " argument" + (want == "1" ? "" : "s") + ", not " +
                            std::to_string(n));
        }
        Expr e;
        e.begin = a.begin;
        e.end = a.end;
        e.op = spec.op;
        if (spec.op == Op::date_fn) {
            const Ast& arg = a.args[0];
            auto d = arg.kind == Ast::Kind::string ? parse_date(arg.text) : std::nullopt;
            if (!d)
                return fail(arg, DiagnosticCode::type_error, "date() needs a literal 'YYYY-MM-DD'",
                            "write date('2024-01-31')");
            e.op = Op::constant;
            e.type = date_t;
            e.number = d->days;
            return e;
        }
        for (std::size_t i = 0; i < a.args.size(); ++i) {
            if ((spec.op == Op::if_ && i > 0) || spec.op == Op::coalesce) want_scale_ = want;
            e.args.push_back(compile(a.args[i]));
            if (bad(e.args.back())) return e.args.back();
        }
        auto need = [&](std::size_t i, Kind k) -> bool {
            if (e.args[i].type.kind == k || (k == Kind::number && numeric(e.args[i]))) return true;
            fail(a.args[i], DiagnosticCode::type_error,
                 "argument " + std::to_string(i + 1) + " of '" + a.text + "' must be a " + type_name(Type{k}) +
                     ", not a " + type_name(e.args[i].type));
            return false;
        };
        switch (spec.op) {
        case Op::if_: {
            if (!need(0, Kind::boolean)) return poisoned(a);
            auto t = same_type(e.args[1], e.args[2], a.args[1], a.args[2], a, want);
            if (!t) return poisoned(a);
            e.type = *t;
            break;
        }
        case Op::coalesce: {
            Type t = e.args[0].type;
            for (std::size_t i = 1; i < e.args.size(); ++i) {
                Expr probe;
                probe.type = t;
                probe.number = e.args[0].number;
                probe.op = e.args[0].op;
                auto u = same_type(probe, e.args[i], a.args[0], a.args[i], a, want);
                if (!u) return poisoned(a);
                t = *u;
            }
            e.type = t;
            break;
        }
        case Op::is_known:
        case Op::is_na:
        case Op::is_omitted:
            e.type = bool_t;
            break;
        case Op::years_between:
        case Op::months_between:
        case Op::days_between:
            if (!need(0, Kind::date) || !need(1, Kind::date)) return poisoned(a);
            e.type = number_t;
            break;
        case Op::min:
        case Op::max: {
            if (std::all_of(e.args.begin(), e.args.end(), [](const Expr& x) { return x.type.kind == Kind::category; }))
                return ordered_extreme(a, std::move(e));
            for (auto& x : e.args) numeric(x);
            Kind k = e.args[0].type.kind;
            if (k != Kind::number && k != Kind::date) {
                need(0, Kind::number);
                return poisoned(a);
            }
            for (std::size_t i = 1; i < e.args.size(); ++i)
                if (!need(i, k)) return poisoned(a);
            e.type = Type{k};
            break;
        }
        case Op::code_value:
        case Op::code_rank:
            return code_function(a, std::move(e));
        case Op::set_any:
        case Op::set_all:
        case Op::set_count:
            return set_function(a, std::move(e));
        case Op::date_at_fraction:
            if (!need(0, Kind::date) || !need(1, Kind::date) || !need(2, Kind::number)) return poisoned(a);
            e.type = date_t;
            break;
        case Op::add_days:
        case Op::add_months:
            if (!need(0, Kind::date) || !need(1, Kind::number)) return poisoned(a);
            e.type = date_t;
            break;
        case Op::fresh:
            // fresh() is true for a recent assessment and unknown otherwise (never false):
            // for records, whose dates are facts, that would leave every decision open.
            if (s_.current_list >= 0)
                return fail(a, DiagnosticCode::type_error, "fresh() cannot be used inside a list aggregate",
                            "compare the record's date instead, e.g. date > as_of - P6M");
            if (!need(0, Kind::date) || !need(1, Kind::duration)) return poisoned(a);
            e.type = bool_t;
            break;
        case Op::round:
            if (!need(0, Kind::number)) return poisoned(a);
            if (e.args.size() == 2 &&
                (e.args[1].op != Op::constant || e.args[1].type.kind != Kind::number || e.args[1].number < 0 ||
                 e.args[1].number > 12 || e.args[1].number != std::floor(e.args[1].number)))
                return fail(a.args[1], DiagnosticCode::type_error,
                            "the digits of round() must be a whole number from 0 to 12");
            e.type = number_t;
            break;
        default:
            for (std::size_t i = 0; i < e.args.size(); ++i)
                if (!need(i, Kind::number)) return poisoned(a);
            e.type = number_t;
        }
        return e;
    }

    // ---- codes of scales: values, order, declared result scales ---------------------------

    bool has_values(const Type& t) const {
        return t.kind == Kind::category && t.scale >= 0 && !d_.scales[static_cast<std::size_t>(t.scale)].values.empty();
    }

    bool ordered_codes(const Type& t) const {
        return t.kind == Kind::category && t.scale >= 0 && d_.scales[static_cast<std::size_t>(t.scale)].ordered;
    }

    std::string unordered_hint(const Type& t) const {
        if (t.scale < 0) return "compare with the codes of an ordered scale, or with == / in";
        const Scale& sc = d_.scales[static_cast<std::size_t>(t.scale)];
        if (d_.scale_index.count(sc.id)) return "mark scale '" + sc.id + "' 'ordered: true' (lowest code first)";
        return "rate the field on a scale declared with 'ordered: true' (lowest code first)";
    }

    // Where a number is needed, a code of a scale with values stands for its number.
    bool numeric(Expr& x) {
        if (x.type.kind == Kind::number) return true;
        if (!has_values(x.type)) return false;
        Expr v;
        v.op = Op::code_value;
        v.begin = x.begin;
        v.end = x.end;
        v.index = x.type.scale;
        v.type = number_t;
        v.args.push_back(std::move(x));
        x = std::move(v);
        return true;
    }

    // A category meeting a declared scale `want`: a literal must be one of its codes, a
    // category of another scale must have only codes it has.
    // A free code that is not a literal (concat() of parts): every code it can give, worked
    // out now, must be a code of the scale.
    bool fits_composed(const Expr& x, int want, const Ast& where) {
        const Scale& w = d_.scales[static_cast<std::size_t>(want)];
        const auto values = possible_values(x, d_);
        if (!values) {
            errors_.push_back(
                {DiagnosticCode::type_error,
                 "cannot tell which codes the expression gives, so they cannot be checked against scale '" + w.id + "'",
                 "build it from codes of scales, tables, constants, concat() or if() of those", where.begin});
            return false;
        }
        const auto missing = missing_codes(d_, *values, want);
        if (missing.empty()) return true;
        std::string list;
        for (const auto& c : missing) list += (list.empty() ? "'" : ", '") + c + "'";
        errors_.push_back({DiagnosticCode::code_not_in_scale,
                           "the expression can give " + list + ", not code" + (missing.size() > 1 ? "s" : "") +
                               " of scale '" + w.id + "'",
                           "add the codes to the scale, or change the parts so they cannot occur", where.begin});
        return false;
    }

    bool fits_scale(const Expr& x, int want, const Ast& where) {
        if (x.type.scale == want) return true;
        if (x.type.scale < 0) return x.op == Op::constant ? check_code(x, want, where) : fits_composed(x, want, where);
        const Scale& from = d_.scales[static_cast<std::size_t>(x.type.scale)];
        const Scale& w = d_.scales[static_cast<std::size_t>(want)];
        std::string missing;
        for (int c : from.codes)
            if (!w.rank.count(c))
                missing += (missing.empty() ? "'" : ", '") + d_.strings[static_cast<std::size_t>(c)] + "'";
        if (missing.empty()) return true;
        errors_.push_back(
            {DiagnosticCode::code_not_in_scale,
             "this gives codes of scale '" + from.id + "' that scale '" + w.id + "' does not have: " + missing,
             "add them to scale '" + w.id + "', or declare a scale that has the codes of every branch", where.begin});
        return false;
    }

    // min(a, b, ...) / max(a, b, ...) over codes of one ordered scale: the lowest / highest.
    Expr ordered_extreme(const Ast& a, Expr e) {
        int scale = -1;
        for (std::size_t i = 0; i < e.args.size(); ++i) {
            const int s = e.args[i].type.scale;
            if (s < 0) continue;
            if (scale >= 0 && s != scale)
                return fail(a.args[i], DiagnosticCode::type_error,
                            "'" + a.text + "' compares codes of different scales ('" +
                                d_.scales[static_cast<std::size_t>(scale)].id + "' and '" +
                                d_.scales[static_cast<std::size_t>(s)].id + "')");
            scale = s;
        }
        const Type t{Kind::category, scale};
        if (!ordered_codes(t))
            return fail(a, DiagnosticCode::type_error, "'" + a.text + "' of codes needs an ordered scale",
                        unordered_hint(t));
        for (std::size_t i = 0; i < e.args.size(); ++i)
            if (!check_code(e.args[i], scale, a.args[i])) return poisoned(a);
        for (auto& x : e.args) x.type.scale = scale;
        e.type = t;
        return e;
    }

    // value_of(x): the number a code carries; rank_of(x): its place on an ordered scale.
    Expr code_function(const Ast& a, Expr e) {
        const Type& t = e.args[0].type;
        if (e.op == Op::code_value && !has_values(t))
            return fail(a.args[0], DiagnosticCode::type_error,
                        "value_of() needs a code of a scale with values, not a " + type_name(t) +
                            (t.kind == Kind::category && t.scale >= 0
                                 ? " of scale '" + d_.scales[static_cast<std::size_t>(t.scale)].id + "'"
                                 : std::string()),
                        "give the scale values as a map, e.g. values: {low: 0, high: 1}");
        if (e.op == Op::code_rank && !ordered_codes(t))
            return fail(a.args[0], DiagnosticCode::type_error, "rank_of() needs a code of an ordered scale",
                        unordered_hint(t));
        e.index = t.scale;
        e.type = number_t;
        return e;
    }

    // has(x, 'c'), has_any(x, [..]), has_all(x, [..]), n_codes(x) of a field of type codes:
    // the codes asked for become a mask of the field's bits, checked against its codes now.
    Expr set_function(const Ast& a, Expr e) {
        const Expr& x = e.args[0];
        if (x.op != Op::field || x.type.kind != Kind::list || x.type.scale < 0)
            return fail(a.args[0], DiagnosticCode::type_error,
                        "'" + a.text + "' needs a field of type codes, not a " + type_name(x.type),
                        "declare the field {type: codes, values: [...]}");
        std::uint64_t mask = 0;
        if (e.args.size() == 2) {
            const Expr& want = e.args[1];
            const bool single = a.text == "has";
            std::vector<double> codes;
            if (single && want.op == Op::constant && want.type.kind == Kind::category)
                codes.push_back(want.number);
            else if (!single && want.op == Op::list && want.type.element == Kind::category && !want.list.empty())
                codes = want.list;
            else
                return fail(a.args[1], DiagnosticCode::type_error,
                            single ? "has() takes one code written out, such as 'housing'"
                                   : "'" + a.text + "' takes a list of codes written out, such as ['a', 'b']");
            const Scale& sc = d_.scales[static_cast<std::size_t>(x.type.scale)];
            for (std::size_t i = 0; i < codes.size(); ++i) {
                Expr lit;
                lit.op = Op::constant;
                lit.number = codes[i];
                if (!check_code(lit, x.type.scale, single ? a.args[1] : a.args[1].args[i])) return poisoned(a);
                mask |= std::uint64_t{1} << sc.rank.at(static_cast<int>(codes[i]));
            }
            e.args.resize(1);
        }
        e.number = static_cast<double>(mask);
        e.type = e.op == Op::set_count ? number_t : bool_t;
        return e;
    }

    // sum / mean over codes of a scale with values (their numbers); min_of / max_of over
    // codes of an ordered scale (the lowest / highest code).
    Expr coded_aggregate(const Ast& a, const Ast& field, Expr e) {
        int scale = -1;
        for (int c : e.columns) {
            const int s = d_.field_models[static_cast<std::size_t>(c)].type.scale;
            if (scale >= 0 && s != scale)
                return fail(a, DiagnosticCode::invalid_aggregate,
                            "'" + a.text + "' runs over '" + field.text + "' fields of different scales",
                            "rate them on one declared scale");
            scale = s;
        }
        const Type t{Kind::category, scale};
        if (e.aggregate == AggregateFn::min_of || e.aggregate == AggregateFn::max_of) {
            if (!ordered_codes(t))
                return fail(a, DiagnosticCode::invalid_aggregate,
                            "'" + a.text + "' over codes needs an ordered scale; '" + field.text + "' is not on one",
                            unordered_hint(t));
            e.type = t;
            return e;
        }
        if (!has_values(t))
            return fail(a, DiagnosticCode::invalid_aggregate,
                        "'" + a.text + "' over codes needs a scale with values; '" + field.text + "' has none",
                        "give the scale values as a map, e.g. values: {no_need: 0, standard: 1, severe: 2}");
        e.index = scale;
        e.type = number_t;
        return e;
    }

    // The common type of two branches (if, coalesce), or nullopt after reporting.
    std::optional<Type> same_type(const Expr& l, const Expr& r, const Ast& lw, const Ast& rw, const Ast& where,
                                  int want = -1) {
        if (l.type.kind == Kind::category && r.type.kind == Kind::category && want >= 0) {
            // A declared result scale: each branch fits it on its own (no common scale needed).
            if (!fits_scale(l, want, lw) || !fits_scale(r, want, rw)) return std::nullopt;
            return Type{Kind::category, want};
        }
        if (l.type.kind != r.type.kind) {
            errors_.push_back({DiagnosticCode::type_error,
                               "'" + where.text + "' mixes " + type_name(l.type) + " and " + type_name(r.type),
                               "every branch must give the same type", rw.begin});
            return std::nullopt;
        }
        if (l.type.kind != Kind::category) return l.type;
        auto t = unify_categories(l, r, lw, rw);
        if (!t) {
            errors_.push_back({DiagnosticCode::type_error, "'" + where.text + "' mixes codes of different scales",
                               "declare the score's result scale with 'scale:', a scale that has the codes of both",
                               rw.begin});
            return std::nullopt;
        }
        if (t->kind == Kind::error) return std::nullopt;
        return t;
    }

    const CompileScope& s_;
    Model& d_;
    std::vector<ExprError>& errors_;
    int want_scale_ = -1;  // the declared scale the node being compiled gives its value to
};

}  // namespace

const std::vector<std::string>& function_names() {
    static const std::vector<std::string> names = [] {
        std::vector<std::string> out = {"eligible"};
        for (const auto& [name, _] : functions()) out.push_back(name);
        for (const auto& [name, _] : aggregates()) out.push_back(name);
        return out;
    }();
    return names;
}

Expr compile_expression(const Ast& ast, const CompileScope& scope, std::vector<ExprError>& errors) {
    std::size_t before = errors.size();
    Compiler c(scope, errors);
    c.want_scale(scope.result_scale);
    Expr e = c.fit_result(c.compile(ast), ast);
    if (errors.size() > before) e.type = Type{Kind::error};
    return e;
}

}  // namespace detail
KELIAS_END_NAMESPACE
