// Lexing and parsing of the expression language (a small Pratt-style recursive descent).
#include <algorithm>
#include <cctype>
#include <charconv>
#include <utility>

#include "language/expression.hpp"

KELIAS_BEGIN_NAMESPACE
namespace detail {
namespace {

struct Token {
    enum class Kind { end, number, string, name, punct, error } kind = Kind::end;
    std::string text;
    // Error tokens whose message replaces the parser's (the lexer knows better).
    std::string problem, hint;
    double number = 0;
    int begin = 0, end = 0;
};

bool is_name_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool is_name_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

class Lexer {
public:
    explicit Lexer(std::string_view s) : s_(s) {}

    Token next() {
        while (pos_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[pos_]))) ++pos_;
        Token t;
        t.begin = static_cast<int>(pos_);
        if (pos_ >= s_.size()) {
            // The end is placed right after the last token, not after trailing blanks
            // (a block scalar's final line break would put it on the next line).
            std::size_t e = s_.size();
            while (e > 0 && std::isspace(static_cast<unsigned char>(s_[e - 1]))) --e;
            t.begin = t.end = static_cast<int>(e);
            return t;
        }
        char c = s_[pos_];
        if (std::isdigit(static_cast<unsigned char>(c)) ||
            (c == '.' && pos_ + 1 < s_.size() && std::isdigit(static_cast<unsigned char>(s_[pos_ + 1])))) {
            std::size_t b = pos_;
            while (pos_ < s_.size() && (std::isdigit(static_cast<unsigned char>(s_[pos_])) || s_[pos_] == '.')) ++pos_;
            if (pos_ < s_.size() && (s_[pos_] == 'e' || s_[pos_] == 'E')) {
                std::size_t save = pos_++;
                if (pos_ < s_.size() && (s_[pos_] == '+' || s_[pos_] == '-')) ++pos_;
                if (pos_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[pos_]))) {
                    while (pos_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[pos_]))) ++pos_;
                } else {
                    pos_ = save;
                }
            }
            t.text = std::string(s_.substr(b, pos_ - b));
            auto [p, ec] = std::from_chars(t.text.data(), t.text.data() + t.text.size(), t.number);
            t.kind =
                (ec == std::errc() && p == t.text.data() + t.text.size()) ? Token::Kind::number : Token::Kind::error;
            if (t.kind == Token::Kind::error) t.problem = "'" + t.text + "' is not a number";
        } else if (is_name_start(c)) {
            std::size_t b = pos_;
            while (pos_ < s_.size() && is_name_char(s_[pos_])) ++pos_;
            t.kind = Token::Kind::name;
            t.text = std::string(s_.substr(b, pos_ - b));
        } else if (c == '\'' || c == '"') {
            std::size_t b = ++pos_;
            while (pos_ < s_.size() && s_[pos_] != c) ++pos_;
            if (pos_ >= s_.size()) {
                t.kind = Token::Kind::error;
                t.problem = "unterminated string";
                t.hint = std::string("close it with ") + c;
            } else {
                t.kind = Token::Kind::string;
                t.text = std::string(s_.substr(b, pos_ - b));
                ++pos_;
            }
        } else {
            static constexpr std::string_view two[] = {"==", "!=", "<=", ">="};
            t.kind = Token::Kind::punct;
            for (auto op : two)
                if (s_.substr(pos_, 2) == op) t.text = std::string(op);
            if (t.text.empty()) {
                if (std::string_view("+-*/()[],.<>").find(c) == std::string_view::npos) {
                    t.kind = Token::Kind::error;
                    t.text = std::string(1, c);
                    t.problem = c == '=' ? "unexpected '='" : "unexpected character '" + t.text + "'";
                    if (c == '=') t.hint = "compare with '=='";
                    ++pos_;
                    t.end = static_cast<int>(pos_);
                    return t;
                }
                t.text = std::string(1, c);
            }
            pos_ += t.text.size();
        }
        t.end = static_cast<int>(pos_);
        return t;
    }

private:
    std::string_view s_;
    std::size_t pos_ = 0;
};

class Parser {
public:
    Parser(std::string_view text, std::vector<ExprError>& errors) : lexer_(text), errors_(errors) { advance(); }

    std::optional<Ast> parse() {
        auto e = parse_or(0);
        if (!e) return std::nullopt;
        if (tok_.kind != Token::Kind::end) {
            fail(tok_, "unexpected '" + tok_.text + "' after a complete expression",
                 "join conditions with 'and' / 'or', or check the parentheses");
            return std::nullopt;
        }
        return e;
    }

private:
    using P = std::optional<Ast>;

    void advance() {
        prev_end_ = tok_.end;
        tok_ = lexer_.next();
    }
    bool is_punct(std::string_view p) const { return tok_.kind == Token::Kind::punct && tok_.text == p; }
    bool is_word(std::string_view w) const { return tok_.kind == Token::Kind::name && tok_.text == w; }

    void fail(const Token& t, std::string message, std::string hint = {}) {
        if (failed_) return;
        failed_ = true;
        if (!t.problem.empty()) message = t.problem;
        if (!t.hint.empty()) hint = t.hint;
        errors_.push_back({DiagnosticCode::expression_syntax, std::move(message), std::move(hint), t.begin});
    }

    // `depth` counts nesting levels: brackets (groups, calls, lists) and prefix operators.
    // Entering level `depth` at token `at` past the limit is E305, reported at `at`.
    bool too_deep(int depth, const Token& at) {
        if (depth <= max_expression_depth) return false;
        if (!failed_) {
            failed_ = true;
            errors_.push_back({DiagnosticCode::expression_too_deep,
                               "expression nested more than " + std::to_string(max_expression_depth) + " levels deep",
                               "split it into intermediate scores", at.begin});
        }
        return true;
    }

    // A chain of operators longer than the tree may be deep (E305 at operator `at`).
    bool too_long(const Ast& a, const Token& at) {
        if (a.height - 1 <= max_expression_operators) return false;
        if (!failed_) {
            failed_ = true;
            errors_.push_back(
                {DiagnosticCode::expression_too_deep,
                 "expression too long: more than " + std::to_string(max_expression_operators) + " operators in a row",
                 "split it into intermediate scores", at.begin});
        }
        return true;
    }

    static Ast binary(Operator op, Ast l, Ast r) {
        Ast a;
        a.kind = Ast::Kind::binary;
        a.op = op;
        a.begin = l.begin;
        a.end = r.end;
        a.height = std::max(l.height, r.height) + 1;
        a.args.push_back(std::move(l));
        a.args.push_back(std::move(r));
        return a;
    }

    P parse_or(int depth) {
        auto l = parse_and(depth);
        while (l && is_word("or")) {
            Token at = tok_;
            advance();
            auto r = parse_and(depth);
            if (!r) return std::nullopt;
            l = binary(Operator::or_, std::move(*l), std::move(*r));
            if (too_long(*l, at)) return std::nullopt;
        }
        return l;
    }

    P parse_and(int depth) {
        auto l = parse_not(depth);
        while (l && is_word("and")) {
            Token at = tok_;
            advance();
            auto r = parse_not(depth);
            if (!r) return std::nullopt;
            l = binary(Operator::and_, std::move(*l), std::move(*r));
            if (too_long(*l, at)) return std::nullopt;
        }
        return l;
    }

    P parse_not(int depth) {
        if (is_word("not")) {
            if (too_deep(depth + 1, tok_)) return std::nullopt;
            int b = tok_.begin;
            advance();
            auto e = parse_not(depth + 1);
            if (!e) return std::nullopt;
            Ast a;
            a.kind = Ast::Kind::unary;
            a.op = Operator::not_;
            a.begin = b;
            a.end = e->end;
            a.height = e->height + 1;
            a.args.push_back(std::move(*e));
            return a;
        }
        return parse_comparison(depth);
    }

    P parse_comparison(int depth) {
        auto l = parse_additive(depth);
        if (!l) return l;
        static constexpr std::pair<std::string_view, Operator> ops[] = {{"==", Operator::eq}, {"!=", Operator::ne},
                                                                        {"<", Operator::lt},  {"<=", Operator::le},
                                                                        {">", Operator::gt},  {">=", Operator::ge}};
        for (const auto& [text, op] : ops) {
            if (is_punct(text)) {
                Token at = tok_;
                advance();
                auto r = parse_additive(depth);
                if (!r) return std::nullopt;
                Ast a = binary(op, std::move(*l), std::move(*r));
                if (too_long(a, at)) return std::nullopt;
                return a;
            }
        }
        if (is_word("in") || is_word("not")) {
            Operator op = Operator::in;
            Token at = tok_;
            advance();
            if (at.text == "not") {
                if (!is_word("in")) {
                    fail(at, "expected 'in' after 'not' here", "write 'x not in [...]' or 'not (...)'");
                    return std::nullopt;
                }
                advance();
                op = Operator::not_in;
            }
            auto r = parse_additive(depth);
            if (!r) return std::nullopt;
            Ast a = binary(op, std::move(*l), std::move(*r));
            if (too_long(a, at)) return std::nullopt;
            return a;
        }
        return l;
    }

    P parse_additive(int depth) {
        auto l = parse_multiplicative(depth);
        while (l && (is_punct("+") || is_punct("-"))) {
            Token at = tok_;
            advance();
            auto r = parse_multiplicative(depth);
            if (!r) return std::nullopt;
            l = binary(at.text == "+" ? Operator::add : Operator::sub, std::move(*l), std::move(*r));
            if (too_long(*l, at)) return std::nullopt;
        }
        return l;
    }

    P parse_multiplicative(int depth) {
        auto l = parse_unary(depth);
        while (l && (is_punct("*") || is_punct("/"))) {
            Token at = tok_;
            advance();
            auto r = parse_unary(depth);
            if (!r) return std::nullopt;
            l = binary(at.text == "*" ? Operator::mul : Operator::div, std::move(*l), std::move(*r));
            if (too_long(*l, at)) return std::nullopt;
        }
        return l;
    }

    P parse_unary(int depth) {
        if (is_punct("-")) {
            if (too_deep(depth + 1, tok_)) return std::nullopt;
            int b = tok_.begin;
            advance();
            auto e = parse_unary(depth + 1);
            if (!e) return std::nullopt;
            Ast a;
            a.kind = Ast::Kind::unary;
            a.op = Operator::neg;
            a.begin = b;
            a.end = e->end;
            a.height = e->height + 1;
            a.args.push_back(std::move(*e));
            return a;
        }
        return parse_primary(depth);
    }

    bool parse_arguments(std::vector<Ast>& args, std::string_view close, int depth) {
        if (too_deep(depth + 1, tok_)) return false;
        advance();  // the opening bracket
        if (is_punct(close)) {
            advance();
            return true;
        }
        while (true) {
            auto e = parse_or(depth + 1);
            if (!e) return false;
            args.push_back(std::move(*e));
            if (is_punct(",")) {
                advance();
                continue;
            }
            if (is_punct(close)) {
                advance();
                return true;
            }
            fail(tok_, tok_.kind == Token::Kind::end
                           ? "missing '" + std::string(close) + "'"
                           : "expected ',' or '" + std::string(close) + "' but found '" + tok_.text + "'");
            return false;
        }
    }

    P parse_primary(int depth) {
        Ast a;
        a.begin = tok_.begin;
        switch (tok_.kind) {
        case Token::Kind::number:
            a.kind = Ast::Kind::number;
            a.number = tok_.number;
            a.end = tok_.end;
            advance();
            return a;
        case Token::Kind::string:
            a.kind = Ast::Kind::string;
            a.text = tok_.text;
            a.end = tok_.end;
            advance();
            return a;
        case Token::Kind::name: {
            if (tok_.text == "true" || tok_.text == "false") {
                a.kind = Ast::Kind::boolean;
                a.number = tok_.text == "true";
                a.end = tok_.end;
                advance();
                return a;
            }
            static constexpr std::string_view reserved[] = {"and", "or", "not", "in"};
            if (std::find(std::begin(reserved), std::end(reserved), tok_.text) != std::end(reserved)) {
                fail(tok_, "expected a value but found '" + tok_.text + "'");
                return std::nullopt;
            }
            a.text = tok_.text;
            a.end = tok_.end;
            advance();
            if (is_punct("(")) {
                a.kind = Ast::Kind::call;
                if (!parse_arguments(a.args, ")", depth)) return std::nullopt;
                a.end = last_end();
                for (const auto& x : a.args) a.height = std::max(a.height, x.height + 1);
                return a;
            }
            if (is_punct(".")) {
                advance();
                if (tok_.kind != Token::Kind::name) {
                    fail(tok_, "expected a field name after '.'", "write item.field, e.g. coping.strength");
                    return std::nullopt;
                }
                a.kind = Ast::Kind::member;
                a.member = tok_.text;
                a.end = tok_.end;
                advance();
                // Deeper paths (start_av.violence.estimate) keep the rest in `member`.
                while (is_punct(".")) {
                    advance();
                    if (tok_.kind != Token::Kind::name) {
                        fail(tok_, "expected a name after '.'");
                        return std::nullopt;
                    }
                    a.member += "." + tok_.text;
                    a.end = tok_.end;
                    advance();
                }
                return a;
            }
            a.kind = Ast::Kind::name;
            return a;
        }
        case Token::Kind::punct:
            if (tok_.text == "(") {
                if (too_deep(depth + 1, tok_)) return std::nullopt;
                advance();
                auto e = parse_or(depth + 1);
                if (!e) return std::nullopt;
                if (!is_punct(")")) {
                    fail(tok_,
                         tok_.kind == Token::Kind::end ? "missing ')'" : "expected ')' but found '" + tok_.text + "'");
                    return std::nullopt;
                }
                advance();
                return e;
            }
            if (tok_.text == "[") {
                a.kind = Ast::Kind::list;
                if (!parse_arguments(a.args, "]", depth)) return std::nullopt;
                a.end = last_end();
                for (const auto& x : a.args) a.height = std::max(a.height, x.height + 1);
                return a;
            }
            fail(tok_, "expected a value but found '" + tok_.text + "'");
            return std::nullopt;
        case Token::Kind::end:
            fail(tok_, "the expression ends too early", "an operand is missing");
            return std::nullopt;
        case Token::Kind::error:
            fail(tok_, tok_.problem);
            return std::nullopt;
        }
        return std::nullopt;
    }

    int last_end() const { return prev_end_; }

    Lexer lexer_;
    Token tok_;
    int prev_end_ = 0;
    std::vector<ExprError>& errors_;
    bool failed_ = false;
};

}  // namespace

std::optional<Ast> parse_expression(std::string_view text, std::vector<ExprError>& errors) {
    if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) {
        errors.push_back(
            {DiagnosticCode::expression_syntax, "empty expression", "write an expression such as sum(strength)", 0});
        return std::nullopt;
    }
    Parser p(text, errors);
    return p.parse();
}

namespace {

void collect(const Ast& ast, References& out) {
    if (ast.kind == Ast::Kind::name || ast.kind == Ast::Kind::member) out.names.push_back(ast.text);
    if (ast.kind == Ast::Kind::call && ast.text == "eligible" && ast.args.size() == 1 &&
        ast.args[0].kind == Ast::Kind::string) {
        out.programmes.push_back(ast.args[0].text);
        return;
    }
    for (const auto& a : ast.args) collect(a, out);
}

}  // namespace

References collect_references(const Ast& ast) {
    References out;
    collect(ast, out);
    return out;
}

std::string_view spelling(Operator op) noexcept {
    switch (op) {
    case Operator::or_:
        return "or";
    case Operator::and_:
        return "and";
    case Operator::not_:
        return "not";
    case Operator::neg:
        return "-";
    case Operator::eq:
        return "==";
    case Operator::ne:
        return "!=";
    case Operator::lt:
        return "<";
    case Operator::le:
        return "<=";
    case Operator::gt:
        return ">";
    case Operator::ge:
        return ">=";
    case Operator::in:
        return "in";
    case Operator::not_in:
        return "not in";
    case Operator::add:
        return "+";
    case Operator::sub:
        return "-";
    case Operator::mul:
        return "*";
    case Operator::div:
        return "/";
    }
    return "?";
}

}  // namespace detail
KELIAS_END_NAMESPACE
