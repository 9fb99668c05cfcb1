#pragma once
// The expression language: parsing text to a syntax tree and type-checking it into Expr.
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "model/model.hpp"

KELIAS_BEGIN_NAMESPACE
namespace detail {

/// A problem inside an expression, at a byte offset of its text.
struct ExprError {
    DiagnosticCode code = DiagnosticCode::expression_syntax;
    std::string message, hint;
    int offset = 0;
};

/// The operators of the language.
enum class Operator : std::uint8_t { or_, and_, not_, neg, eq, ne, lt, le, gt, ge, in, not_in, add, sub, mul, div };

/// How an operator is written (`and`, `==`, `not in`).
std::string_view spelling(Operator op) noexcept;

/// Syntax tree, before names are resolved.
struct Ast {
    enum class Kind : std::uint8_t {
        number,
        string,
        boolean,
        name,
        member,
        call,
        unary,
        binary,
        list
    } kind = Kind::number;
    int begin = 0, end = 0;
    int height = 1;  // levels of the tree below and including this node
    double number = 0;
    std::string text;              // name, string literal, function name, member's object
    std::string member;            // for a.b
    Operator op = Operator::and_;  // unary and binary nodes
    std::vector<Ast> args;
};

/// Brackets and prefix operators nested in one expression.
constexpr int max_expression_depth = 64;
/// Operators along one path of the tree (long chains such as a+b+c+... too): type checking
/// and evaluation recurse that deep.
constexpr int max_expression_operators = 256;

/// Parses one expression. On failure returns nullopt and appends the errors.
std::optional<Ast> parse_expression(std::string_view text, std::vector<ExprError>& errors);

/// The names an expression reads: bare names and member objects (`coping` of
/// `coping.strength`), and the programmes named by eligible('x').
struct References {
    std::vector<std::string> names;
    std::vector<std::string> programmes;
};
References collect_references(const Ast& ast);

/// What names mean where the expression lives. An instrument's scope names its scores; a
/// rule set's names its params and its programmes (read only through eligible()).
struct CompileScope {
    Model* model = nullptr;
    const std::unordered_map<std::string, std::size_t>* scores = nullptr;   // score id -> result
    const std::unordered_map<std::string, Expr>* params = nullptr;          // params.NAME
    const std::unordered_map<std::string, int>* programmes = nullptr;       // programme id -> decision result
    const std::unordered_map<std::string, ChoiceNames>* choices = nullptr;  // alias.member (instrument by age)
    int current_entry = -1;                                                 // each_item checks: bare field names
    int current_list = -1;                            // inside a list aggregate: bare names are record fields
    std::vector<int>* result_refs = nullptr;          // receives the results used
    const std::vector<bool>* result_ready = nullptr;  // results whose type is known
    int result_scale = -1;  // the scale a score declares (`scale:`): its codes and both if() branches' fit it
};

/// Type-checks and resolves a tree. Errors are appended; the result is then unusable.
Expr compile_expression(const Ast& ast, const CompileScope& scope, std::vector<ExprError>& errors);

/// The values an expression can take, when they are known when the file loads (codes of
/// its scale, a table's values, constants, and if()/coalesce() of those); nullopt when
/// they are not (composed_codes.cpp).
std::optional<std::vector<double>> possible_values(const Expr& e, const Model& m, int depth = 0);
/// How a part of concat() is written: a code, or a whole number 0 or more (else nullopt).
std::optional<std::string> part_text(const Model& m, const Expr& part, double value);
/// The values (codes) that are not codes of `scale`, as text, sorted.
std::vector<std::string> missing_codes(const Model& m, const std::vector<double>& values, int scale);

/// The names of the language's functions and aggregates (for hints and reserved words).
const std::vector<std::string>& function_names();

}  // namespace detail
KELIAS_END_NAMESPACE
