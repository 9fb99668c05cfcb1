// Computed results: parsing their expressions, ordering them after what they read (cycles
// reported, every member at its place) and compiling them in that order.
#include <algorithm>
#include <unordered_set>

#include "base/text.hpp"
#include "definitions/definition_reader.hpp"

KELIAS_BEGIN_NAMESPACE
namespace detail {
namespace {

/// A depth-first order of a dependency graph, without recursion: every node after the
/// nodes it depends on. Each back edge found is a cycle, given as the path along it.
struct Ordering {
    std::vector<int> order;
    std::vector<std::vector<int>> cycles;  // each: members in path order
};

Ordering order_graph(const std::vector<std::vector<int>>& deps) {
    const std::size_t count = deps.size();
    Ordering out;
    enum : std::uint8_t { unvisited, on_stack, done };
    std::vector<std::uint8_t> state(count, unvisited);
    struct Frame {
        int node;
        std::size_t next_dep;
    };
    std::vector<Frame> stack;
    std::vector<int> path;  // the nodes of the stack, for cycle paths
    for (std::size_t root = 0; root < count; ++root) {
        if (state[root] != unvisited) continue;
        stack.push_back({static_cast<int>(root), 0});
        path.push_back(static_cast<int>(root));
        state[root] = on_stack;
        while (!stack.empty()) {
            Frame& f = stack.back();
            const auto& ds = deps[static_cast<std::size_t>(f.node)];
            if (f.next_dep < ds.size()) {
                const int w = ds[f.next_dep++];
                const auto wi = static_cast<std::size_t>(w);
                if (state[wi] == unvisited) {
                    state[wi] = on_stack;
                    stack.push_back({w, 0});
                    path.push_back(w);
                } else if (state[wi] == on_stack) {
                    const auto from = std::find(path.begin(), path.end(), w);
                    out.cycles.emplace_back(from, path.end());
                }
                continue;
            }
            state[static_cast<std::size_t>(f.node)] = done;
            out.order.push_back(f.node);
            stack.pop_back();
            path.pop_back();
        }
    }
    return out;
}

}  // namespace

int DefinitionReader::add_result(Computed c, const YAML::Node& where) {
    if (m_.results.size() >= max_results) {
        if (m_.results.size() == max_results)
            r_.error(where, DiagnosticCode::limit_exceeded,
                     "more than " + std::to_string(max_results) + " scores, conditions and decisions in one definition",
                     "split the definition");
        m_.results.push_back({});  // counted once, so the error is reported once
        return -1;
    }
    const int index = static_cast<int>(m_.results.size());
    m_.results.push_back(std::move(c));
    return index;
}

int DefinitionReader::read_result_scale(const YAML::Node& n) {
    if (!n.IsDefined() || !r_.expect_scalar(n, "scale")) return -1;
    auto s = m_.scale_index.find(n.Scalar());
    if (s != m_.scale_index.end() && !m_.scales[static_cast<std::size_t>(s->second)].numeric) return s->second;
    std::vector<std::string> ids;
    for (const auto& sc : m_.scales)
        if (!sc.numeric && m_.scale_index.count(sc.id)) ids.push_back(sc.id);
    if (s == m_.scale_index.end())
        r_.error(n, DiagnosticCode::unknown_scale, "unknown scale '" + for_message(n.Scalar()) + "'",
                 did_you_mean(n.Scalar(), ids));
    else
        r_.error(n, DiagnosticCode::unknown_scale,
                 "scale '" + n.Scalar() + "' holds numbers; a score's 'scale:' names a scale of codes",
                 "drop 'scale:' for a numeric score");
    return -1;
}

void DefinitionReader::report(const YAML::Node& expr_node, const std::vector<ExprError>& errors) {
    for (const auto& e : errors) r_.error(r_.at_offset(expr_node, e.offset), e.code, e.message, e.hint);
}

void DefinitionReader::parse(const YAML::Node& expr_node, PendingResult& pending) {
    pending.expr_node.reset(expr_node);
    std::vector<ExprError> errors;
    pending.ast = parse_expression(expr_node.Scalar(), errors);
    report(expr_node, errors);
}

void DefinitionReader::order_and_compile(std::vector<PendingResult>& pending, const CompileScope& scope,
                                         const std::function<std::vector<int>(const PendingResult&)>& depends,
                                         const std::function<std::string(int, bool)>& describe,
                                         const std::string& cycle_hint) {
    const std::size_t count = m_.results.size();
    std::vector<int> pending_of(count, -1);
    for (std::size_t i = 0; i < pending.size(); ++i)
        if (pending[i].result >= 0) pending_of[static_cast<std::size_t>(pending[i].result)] = static_cast<int>(i);
    std::vector<std::vector<int>> deps(count);
    for (const auto& p : pending)
        if (p.result >= 0) deps[static_cast<std::size_t>(p.result)] = depends(p);

    Ordering ordering = order_graph(deps);
    std::unordered_set<int> in_cycle;
    for (const auto& cycle : ordering.cycles) {
        std::string path;
        for (int member : cycle) {
            const std::string name = describe(member, false);
            if (!name.empty()) path += (path.empty() ? "" : " -> ") + name;
        }
        for (int member : cycle)  // back to where the path started
            if (const std::string name = describe(member, false); !name.empty()) {
                path += " -> " + name;
                break;
            }
        for (int member : cycle) {
            if (!in_cycle.insert(member).second) continue;
            const std::string name = describe(member, true);
            if (name.empty()) continue;  // structural members (groups) are not named
            r_.error(m_.results[static_cast<std::size_t>(member)].where, DiagnosticCode::cycle,
                     name + " is part of a cycle: " + path, cycle_hint);
        }
    }
    m_.order = std::move(ordering.order);

    std::vector<bool> ready(count, false);
    for (int i : m_.order) {
        const auto idx = static_cast<std::size_t>(i);
        if (pending_of[idx] < 0 || in_cycle.count(i)) continue;
        PendingResult& p = pending[static_cast<std::size_t>(pending_of[idx])];
        Computed& result = m_.results[idx];
        if (p.built) {
            // Built from parts that are ready (or reported): ready when they all are.
            const bool parts_ready = std::all_of(result.depends_on.begin(), result.depends_on.end(),
                                                 [&](int d) { return ready[static_cast<std::size_t>(d)]; });
            ready[idx] = parts_ready;
            continue;
        }
        if (!p.ast) continue;
        std::vector<ExprError> errors;
        std::vector<int> refs;
        CompileScope s = scope;
        s.result_refs = &refs;
        s.result_ready = &ready;
        s.result_scale = p.scale;
        Expr e = compile_expression(*p.ast, s, errors);
        report(p.expr_node, errors);
        if (e.type.kind == Kind::error) continue;
        if (p.must_be_bool && e.type.kind != Kind::boolean) {
            r_.error(r_.at_offset(p.expr_node, e.begin), DiagnosticCode::type_error,
                     p.bool_what + " must be a bool, not a " + type_name(e.type),
                     "compare the value, e.g. x == 'a' or x > 0");
            continue;
        }
        if (e.type.kind == Kind::duration || e.type.kind == Kind::list) {
            r_.error(r_.at_offset(p.expr_node, e.begin), DiagnosticCode::type_error,
                     "a score must be a number, bool, code or date, not a " + type_name(e.type));
            continue;
        }
        result.expr = std::move(e);
        std::sort(refs.begin(), refs.end());
        refs.erase(std::unique(refs.begin(), refs.end()), refs.end());
        result.depends_on = std::move(refs);
        ready[idx] = true;
    }
}

}  // namespace detail
KELIAS_END_NAMESPACE
