#pragma once
// The expression language: parsing text to a syntax tree and type-checking it into Expr.
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/model.hpp"

namespace kelias::detail {

/// A problem inside an expression, at a byte offset of its text.
struct ExprError {
    std::string code, message, hint;
    int offset = 0;
};

/// Syntax tree, before names are resolved.
struct Ast {
    enum class Kind { number, string, boolean, name, member, call, unary, binary, list } kind = Kind::number;
    int begin = 0, end = 0;
    int height = 1;      // levels of the tree below and including this node
    double number = 0;
    std::string text;    // name, string literal, function name, member's object
    std::string member;  // for a.b
    std::string op;      // operator spelling
    std::vector<Ast> args;
};

constexpr int max_expression_depth = 64;
/// Operators along one path of the tree (long chains such as a+b+c+... too): type
/// checking and evaluation recurse that deep.
constexpr int max_expression_operators = 256;

/// Parses one expression. On failure returns nullopt and appends the errors.
std::optional<Ast> parse_expression(std::string_view text, std::vector<ExprError>& errors);

/// Every bare name and member object in the tree (for dependency discovery).
void collect_names(const Ast& ast, std::vector<std::string>& names);

/// What names mean where the expression lives.
struct CompileScope {
    InstrumentData* data = nullptr;
    int current_entry = -1;                // each_item checks: bare field names
    int current_list = -1;                 // inside a list aggregate: bare names are record fields
    std::vector<int>* score_refs = nullptr;  // receives the scores used
    const std::vector<bool>* score_ready = nullptr;  // scores whose type is known
    bool condition = false;  // a rule set's condition: programmes are read only through eligible()
};

/// Type-checks and resolves a tree. Errors are appended; the result is then unusable.
Expr compile_expression(const Ast& ast, const CompileScope& scope, std::vector<ExprError>& errors);

/// The closest candidate within a small edit distance, for "did you mean" hints.
std::optional<std::string> closest(std::string_view word, const std::vector<std::string>& candidates);
/// "did you mean 'x'?" or empty.
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace kelias::detail
