// Static checks of rule sets (kelias rules lint): conversion tables that miss a category
// value a condition can give them, unverified params, programmes no case can enter, texts
// that state a param's value by hand; findings the rule file explains are marked so.
#include <kelias/rules_lint.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <functional>
#include <map>
#include <set>

#include "base/number_format.hpp"
#include "model/rule_set_data.hpp"

KELIAS_BEGIN_NAMESPACE

std::string_view to_string(LintKind kind) noexcept {
    switch (kind) {
    case LintKind::table_gap:
        return "table_gap";
    case LintKind::unverified_param:
        return "unverified_param";
    case LintKind::never_eligible:
        return "never_eligible";
    case LintKind::literal_number:
        return "literal_number";
    case LintKind::stale_accept:
        return "stale_accept";
    }
    return "?";
}

std::size_t LintReport::unexplained() const noexcept {
    return static_cast<std::size_t>(
        std::count_if(findings.begin(), findings.end(), [](const LintFinding& f) { return !f.explained(); }));
}

namespace {

using detail::ConditionNode;
using detail::Expr;
using detail::Kind;
using detail::Op;

class Linter {
public:
    explicit Linter(const RuleSet& rules) : rd_(rules.data()), m_(rd_.model) {}

    LintReport run() {
        table_gaps();
        unverified_params();
        never_eligible();
        literal_numbers();
        count_confidence();
        explain();
        return std::move(report_);
    }

private:
    void add(LintKind kind, std::string id, std::string message, std::string hint, Location where) {
        for (const auto& f : report_.findings)
            if (f.id == id) return;
        report_.findings.push_back({kind, std::move(id), std::move(message), std::move(hint), std::move(where), {}});
    }

    // Calls `visit` on every node of a leaf's expression, through the results it reads.
    void walk(const Expr& root, const std::function<void(const Expr&)>& visit) const {
        std::vector<const Expr*> todo{&root};
        std::set<int> seen;
        while (!todo.empty()) {
            const Expr* e = todo.back();
            todo.pop_back();
            visit(*e);
            if (e->op == Op::result && seen.insert(e->index).second &&
                m_.results[static_cast<std::size_t>(e->index)].kind == detail::ResultKind::condition)
                todo.push_back(&m_.results[static_cast<std::size_t>(e->index)].expr);
            for (const auto& a : e->args) todo.push_back(&a);
        }
    }

    const Expr& leaf_expr(const detail::LeafModel& leaf) const {
        return m_.results[static_cast<std::size_t>(leaf.result)].expr;
    }

    // A category fact's codes (pool ids), or empty when `column` is not one.
    std::vector<int> category_codes(int column) const {
        const auto& fm = m_.field_models[static_cast<std::size_t>(column)];
        if (fm.type.kind != Kind::category || fm.scale < 0) return {};
        return m_.scales[static_cast<std::size_t>(fm.scale)].codes;
    }

    std::string fact_name(int column) const {
        const auto c = static_cast<std::size_t>(column);
        return c < rd_.column_owners.size() ? rd_.column_owners[c].name : m_.fields[c].column;
    }

    void table_gaps() {
        for (const auto& prog : rd_.programmes)
            for (const auto& leaf : prog.leaves)
                walk(leaf_expr(leaf), [&](const Expr& e) {
                    if (e.op != Op::table || e.args.empty() || e.args[0].op != Op::field) return;
                    const detail::Table& table = m_.tables[static_cast<std::size_t>(e.index)];
                    if (table.has_default || !table.keys.empty()) return;  // keyed: coverage checked at load
                    for (int code : category_codes(e.args[0].index)) {
                        const bool covered = std::any_of(table.rows.begin(), table.rows.end(), [&](const auto& row) {
                            return row.equals && *row.equals == static_cast<double>(code);
                        });
                        if (covered) continue;
                        const std::string& value = m_.strings[static_cast<std::size_t>(code)];
                        add(LintKind::table_gap, "table_gap." + table.id + "." + value,
                            "table '" + table.id + "' has no row for " + fact_name(e.args[0].index) + " '" + value +
                                "' (read by condition '" + leaf.info.id + "' of '" + prog.info.id +
                                "'): such cases stay undetermined",
                            "add a row, a default, or explain the gap under lint: accept:", table.where);
                    }
                });
    }

    void unverified_params() {
        for (const auto& p : rd_.params) {
            if (p.confidence == "verified" || p.confidence == "secondary") continue;
            add(LintKind::unverified_param, "unverified_param." + p.id,
                "param '" + p.id + "' = " + p.value + " is " +
                    (p.confidence.empty() ? std::string("of unknown confidence") : "unverified") +
                    (p.source.empty() ? "" : " (" + p.source + ")"),
                "verify it against a source, or explain why it stands under lint: accept:", p.where);
        }
    }

    // The value a node has for every case, when it has one: leaves that read no fact, list,
    // programme or date, folded through all/any/not.
    std::optional<bool> constant(const detail::ProgrammeModel& prog, int node) const {
        if (node < 0) return std::nullopt;
        const ConditionNode& n = prog.nodes[static_cast<std::size_t>(node)];
        switch (n.kind) {
        case ConditionNode::Kind::leaf: {
            const detail::LeafModel& leaf = prog.leaves[static_cast<std::size_t>(n.leaf)];
            if (!leaf.columns.empty() || !leaf.lists.empty() || !leaf.programmes.empty() || leaf.time_dependent ||
                leaf.fresh_instrument >= 0)
                return std::nullopt;
            return fold(leaf_expr(leaf));
        }
        case ConditionNode::Kind::not_: {
            if (n.children.empty()) return true;
            const auto v = constant(prog, n.children[0]);
            return v ? std::optional<bool>(!*v) : std::nullopt;
        }
        case ConditionNode::Kind::all:
        case ConditionNode::Kind::any: {
            const bool all = n.kind == ConditionNode::Kind::all;
            bool every = true;
            for (int c : n.children) {
                const auto v = constant(prog, c);
                if (v && *v != all) return !all;  // a false member of an all, a true one of an any
                every &= v.has_value();
            }
            return every ? std::optional<bool>(all) : std::nullopt;
        }
        }
        return std::nullopt;
    }

    // Folds an expression of constants (params, literals) to a number; nullopt otherwise.
    std::optional<double> number(const Expr& e) const {
        switch (e.op) {
        case Op::constant:
            return e.number;
        case Op::result:
            return number(m_.results[static_cast<std::size_t>(e.index)].expr);
        case Op::not_:
        case Op::neg: {
            const auto a = number(e.args[0]);
            if (!a) return std::nullopt;
            return e.op == Op::neg ? -*a : (*a == 0 ? 1.0 : 0.0);
        }
        case Op::add:
        case Op::sub:
        case Op::mul:
        case Op::eq:
        case Op::ne:
        case Op::lt:
        case Op::le:
        case Op::gt:
        case Op::ge:
        case Op::and_:
        case Op::or_: {
            if (e.args.size() != 2 || e.type.kind == Kind::date || e.type.kind == Kind::duration) return std::nullopt;
            if (e.args[0].type.kind == Kind::duration || e.args[1].type.kind == Kind::duration) return std::nullopt;
            const auto a = number(e.args[0]), b = number(e.args[1]);
            if (!a || !b) return std::nullopt;
            switch (e.op) {
            case Op::add:
                return *a + *b;
            case Op::sub:
                return *a - *b;
            case Op::mul:
                return *a * *b;
            case Op::eq:
                return *a == *b ? 1.0 : 0.0;
            case Op::ne:
                return *a != *b ? 1.0 : 0.0;
            case Op::lt:
                return *a < *b ? 1.0 : 0.0;
            case Op::le:
                return *a <= *b ? 1.0 : 0.0;
            case Op::gt:
                return *a > *b ? 1.0 : 0.0;
            case Op::ge:
                return *a >= *b ? 1.0 : 0.0;
            case Op::and_:
                return (*a != 0 && *b != 0) ? 1.0 : 0.0;
            default:
                return (*a != 0 || *b != 0) ? 1.0 : 0.0;
            }
        }
        default:
            return std::nullopt;
        }
    }

    std::optional<bool> fold(const Expr& e) const {
        if (e.type.kind != Kind::boolean) return std::nullopt;
        const auto v = number(e);
        return v ? std::optional<bool>(*v != 0) : std::nullopt;
    }

    // `fact == 'code'` (either way round) on a category fact: (column, code).
    std::optional<std::pair<int, double>> equality(const Expr& e) const {
        const Expr* x = &e;
        while (x->op == Op::result) x = &m_.results[static_cast<std::size_t>(x->index)].expr;
        if (x->op != Op::eq || x->args.size() != 2) return std::nullopt;
        for (int side = 0; side < 2; ++side) {
            const Expr& f = x->args[static_cast<std::size_t>(side)];
            const Expr& c = x->args[static_cast<std::size_t>(1 - side)];
            if (f.op == Op::field && c.op == Op::constant && f.type.kind == Kind::category)
                return std::make_pair(f.index, c.number);
        }
        return std::nullopt;
    }

    // Leaves reached from an `all` through nested `all` groups: each must hold.
    void required_leaves(const detail::ProgrammeModel& prog, int node, std::vector<int>& out) const {
        const ConditionNode& n = prog.nodes[static_cast<std::size_t>(node)];
        if (n.kind == ConditionNode::Kind::leaf) out.push_back(n.leaf);
        if (n.kind == ConditionNode::Kind::all)
            for (int c : n.children) required_leaves(prog, c, out);
    }

    void never_eligible() {
        for (const auto& prog : rd_.programmes) {
            const auto eligible = constant(prog, prog.eligible_root);
            const auto excluded = constant(prog, prog.excluded_root);
            if ((eligible && !*eligible) || (excluded && *excluded)) {
                add(LintKind::never_eligible, "never_eligible." + prog.info.id,
                    "programme '" + prog.info.id + "' can never be eligible: " +
                        (eligible && !*eligible ? "eligible_when is false whatever the case"
                                                : "excluded_when holds whatever the case"),
                    "check the params and constants its conditions compare", prog.where);
                continue;
            }
            std::vector<int> leaves;
            required_leaves(prog, prog.eligible_root, leaves);
            std::map<int, std::pair<double, int>> seen;  // column -> (code, leaf)
            for (int l : leaves) {
                const detail::LeafModel& leaf = prog.leaves[static_cast<std::size_t>(l)];
                const auto eq = equality(leaf_expr(leaf));
                if (!eq) continue;
                const auto [it, added] = seen.try_emplace(eq->first, eq->second, l);
                if (added || it->second.first == eq->second) continue;
                const detail::LeafModel& first = prog.leaves[static_cast<std::size_t>(it->second.second)];
                add(LintKind::never_eligible, "never_eligible." + prog.info.id,
                    "programme '" + prog.info.id + "' can never be eligible: conditions '" + first.info.id + "' and '" +
                        leaf.info.id + "' both must hold and ask " + fact_name(eq->first) + " to be '" +
                        m_.strings[static_cast<std::size_t>(it->second.first)] + "' and '" +
                        m_.strings[static_cast<std::size_t>(eq->second)] + "'",
                    "put them under 'any', or drop one", leaf.where);
                break;
            }
        }
    }

    // Numbers written in a text (placeholders left out), each with the word after it.
    static std::vector<std::pair<double, std::string>> numbers_in(const std::string& text) {
        std::vector<std::pair<double, std::string>> out;
        int depth = 0;
        for (std::size_t i = 0; i < text.size();) {
            const char c = text[i];
            if (c == '{') ++depth;
            if (c == '}' && depth > 0) --depth;
            const bool starts = std::isdigit(static_cast<unsigned char>(c)) &&
                                (i == 0 || (!std::isalnum(static_cast<unsigned char>(text[i - 1])) &&
                                            text[i - 1] != '.' && text[i - 1] != '_'));
            if (depth > 0 || !starts) {
                ++i;
                continue;
            }
            std::size_t j = i;
            while (j < text.size() &&
                   (std::isdigit(static_cast<unsigned char>(text[j])) ||
                    (text[j] == '.' && j + 1 < text.size() && std::isdigit(static_cast<unsigned char>(text[j + 1])))))
                ++j;
            double value = 0;
            if (std::from_chars(text.data() + i, text.data() + j, value).ec != std::errc()) {
                i = j;  // too long to be a param's value
                continue;
            }
            std::size_t k = j;
            while (k < text.size() && text[k] == ' ') ++k;
            std::size_t w = k;
            while (w < text.size() && (std::isalpha(static_cast<unsigned char>(text[w])) ||
                                       static_cast<unsigned char>(text[w]) >= 0x80 || text[w] == '%' || text[w] == '/'))
                ++w;
            out.emplace_back(value, text.substr(k, w - k));
            i = j;
        }
        return out;
    }

    // Whether `number word` in a text states the value of param `p`.
    static bool states(const ParamInfo& p, const Expr& value, double n, const std::string& word) {
        auto begins = [&](std::initializer_list<const char*> stems) {
            return std::any_of(stems.begin(), stems.end(), [&](const char* s) { return word.starts_with(s); });
        };
        switch (p.type) {
        case ParamType::number:
        case ParamType::integer:
            return n == value.number;
        case ParamType::fraction:
            return (word.starts_with("%") && std::abs(n - value.number * 100) < 1e-9) || n == value.number;
        case ParamType::duration: {
            const Duration& d = value.duration;
            return (d.years && n == d.years && begins({"year", "met"})) ||
                   (d.months && n == d.months && begins({"month", "mėn", "men"})) ||
                   (d.days && n == d.days && begins({"day", "dien"})) ||
                   (!d.years && !d.days && d.months % 12 == 0 && n == d.months / 12 && begins({"year", "met"}));
        }
        default:
            return false;
        }
    }

    void literal_numbers() {
        for (const auto& prog : rd_.programmes)
            for (const auto& leaf : prog.leaves) {
                std::vector<std::string> read;  // params the expression reads
                for (const auto& id : leaf.info.params) read.push_back(id);
                for (const std::string* text : {&leaf.info.texts.en, &leaf.info.texts.lt})
                    for (const auto& [n, word] : numbers_in(*text))
                        for (const auto& id : read) {
                            const auto p = std::find_if(rd_.params.begin(), rd_.params.end(),
                                                        [&](const ParamInfo& x) { return x.id == id; });
                            if (p == rd_.params.end() || !states(*p, rd_.param_values.at(id), n, word)) continue;
                            std::string shown;
                            detail::append_number(shown, n);
                            add(LintKind::literal_number, "literal_number." + prog.info.id + "." + leaf.info.id,
                                "the text of condition '" + leaf.info.id + "' of '" + prog.info.id + "' states " +
                                    shown + (word.empty() ? "" : " " + word) + ", the value of param '" + id +
                                    "' it reads: the text will lie when the param changes",
                                "write {params." + id + "} instead", leaf.where);
                        }
            }
    }

    void count_confidence() {
        report_.confidence = {{"verified", 0}, {"secondary", 0}, {"unverified", 0}, {"", 0}};
        for (const auto& prog : rd_.programmes)
            for (const auto& leaf : prog.leaves) {
                if (leaf.fresh_instrument >= 0) continue;  // generated by `requires`
                for (auto& c : report_.confidence)
                    if (c.grade == leaf.info.confidence) ++c.conditions;
            }
    }

    void explain() {
        for (const auto& accept : rd_.lint_accepts) {
            const auto it = std::find_if(report_.findings.begin(), report_.findings.end(),
                                         [&](const LintFinding& f) { return f.id == accept.id; });
            if (it != report_.findings.end()) {
                it->explanation = accept.why;
                continue;
            }
            std::vector<std::string> ids;
            for (const auto& f : report_.findings) ids.push_back(f.id);
            add(LintKind::stale_accept, "stale_accept." + accept.id,
                "lint: accept: names '" + accept.id + "', which is not a finding of this rule set",
                "remove it (the finding was fixed), or correct the id", accept.where);
        }
        std::stable_sort(report_.findings.begin(), report_.findings.end(),
                         [](const LintFinding& a, const LintFinding& b) { return a.kind < b.kind; });
    }

    const detail::RuleSetData& rd_;
    const detail::Model& m_;
    LintReport report_;
};

}  // namespace

LintReport lint(const RuleSet& rules) { return Linter(rules).run(); }

std::string to_text(const LintReport& report) {
    std::string out;
    auto place = [](const Location& w) {
        return w.file + ":" + std::to_string(w.line) + ":" + std::to_string(w.column) + ": ";
    };
    for (const auto& f : report.findings) {
        out += place(f.where) + (f.explained() ? "explained" : "lint") + "[" + f.id + "]: " + f.message + "\n";
        if (f.explained())
            out += "  why: " + *f.explanation + "\n";
        else if (!f.hint.empty())
            out += "  hint: " + f.hint + "\n";
    }
    out += "conditions by confidence:";
    for (const auto& c : report.confidence)
        out += " " + (c.grade.empty() ? std::string("not given") : c.grade) + " " + std::to_string(c.conditions) + ",";
    out.back() = '\n';
    const std::size_t open = report.unexplained();
    out += std::to_string(report.findings.size()) + " findings, " + std::to_string(report.findings.size() - open) +
           " explained, " + std::to_string(open) + " to fix or explain\n";
    return out;
}

KELIAS_END_NAMESPACE
