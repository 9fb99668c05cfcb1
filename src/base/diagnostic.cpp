#include <kelias/diagnostic.hpp>

#include <algorithm>
#include <array>

KELIAS_BEGIN_NAMESPACE
namespace {

struct CodeRow {
    DiagnosticCode code;
    std::string_view text;
    std::string_view summary;
};

// The one table of codes. instruments/README.md repeats it for readers; a unit test checks
// that both say the same.
constexpr std::array code_table{
    CodeRow{DiagnosticCode::unreadable_file, "E000",
            "the file cannot be read (missing, a folder, no permission, too large)"},
    CodeRow{DiagnosticCode::yaml_syntax, "E001", "YAML syntax error, text that is not UTF-8, or a control character"},
    CodeRow{DiagnosticCode::format_version, "E002", "unsupported `kelias` format version"},
    CodeRow{DiagnosticCode::unknown_key, "E101", "unknown key"},
    CodeRow{DiagnosticCode::missing_key, "E102", "missing required key"},
    CodeRow{DiagnosticCode::wrong_node_type, "E103", "wrong node type (expected a map, a list or a scalar)"},
    CodeRow{DiagnosticCode::invalid_value, "E104",
            "invalid value (bad id, number, duration, boolean, date, language code)"},
    CodeRow{DiagnosticCode::duplicate_id, "E105", "duplicate id or key"},
    CodeRow{DiagnosticCode::wrong_definition_kind, "E106",
            "the file is another kind of definition (a rule set read as an instrument, or the reverse)"},
    CodeRow{DiagnosticCode::limit_exceeded, "E107",
            "a definition exceeds a limit (YAML nesting or alias expansion, number of scores)"},
    CodeRow{DiagnosticCode::unknown_scale, "E201", "unknown scale"},
    CodeRow{DiagnosticCode::unknown_domain, "E202", "unknown domain"},
    CodeRow{DiagnosticCode::unknown_reference, "E203",
            "unknown item, outcome or field reference (in `na:`, checks, instrument files of rule sets)"},
    CodeRow{DiagnosticCode::invalid_scale, "E204",
            "invalid scale (empty, mixed numbers and codes, duplicate values, label count)"},
    CodeRow{DiagnosticCode::invalid_field, "E205",
            "invalid field spec (wrong type, `min` > `max`, `na` on a field of the wrong kind)"},
    CodeRow{DiagnosticCode::invalid_table, "E206",
            "invalid table (row without value, bad condition, unknown output scale)"},
    CodeRow{DiagnosticCode::unknown_pathway_name, "E207",
            "a pathway names a placement, role, event type or move it does not declare"},
    CodeRow{DiagnosticCode::unknown_guard, "E208",
            "a pathway names a programme or fact its rule set does not have, or a fact value it does not allow"},
    CodeRow{DiagnosticCode::invalid_move, "E209",
            "invalid pathway move (to where it starts, a return without grounds, a step no role may take)"},
    CodeRow{DiagnosticCode::table_coverage, "E210",
            "a keyed table whose combinations are not each covered once (a missing or extra cell, overlapping "
            "bands, a code listed twice or missing)"},
    CodeRow{DiagnosticCode::unknown_name, "E301", "unknown name in an expression"},
    CodeRow{DiagnosticCode::expression_syntax, "E302", "expression syntax error"},
    CodeRow{DiagnosticCode::type_error, "E303", "type error in an expression"},
    CodeRow{DiagnosticCode::unknown_function, "E304", "unknown function or wrong number of arguments"},
    CodeRow{DiagnosticCode::expression_too_deep, "E305", "expression nested too deeply or too long"},
    CodeRow{DiagnosticCode::invalid_aggregate, "E306",
            "aggregate over a field of the wrong type, or an unknown domain or item in its scope"},
    CodeRow{DiagnosticCode::cycle, "E307", "cycle among scores or programmes"},
    CodeRow{DiagnosticCode::code_not_in_scale, "E308", "code not in scale (`violence.estimate == 'hgh'`)"},
    CodeRow{DiagnosticCode::invalid_test, "E401",
            "invalid test case (unknown score, column, fact or programme, bad value)"},
    CodeRow{DiagnosticCode::unknown_column, "E501", "unknown column in ratings"},
    CodeRow{DiagnosticCode::invalid_cell, "E502", "a cell that is not valid for its field"},
    CodeRow{DiagnosticCode::unknown_score, "E503", "unknown score (asked to explain one the instrument does not have)"},
    CodeRow{DiagnosticCode::row_out_of_range, "E504", "a row that is not in the batch"},
    CodeRow{DiagnosticCode::wrong_definition, "E505",
            "a batch used with another instrument or rule set than the one it was built for"},
    CodeRow{DiagnosticCode::invalid_header, "E506",
            "an assessment header that does not fit the instrument (a required field missing, a bad value, an unknown "
            "field)"},
    CodeRow{DiagnosticCode::case_mismatch, "E601",
            "a fact, record field or assessment of a case that does not fit the rules"},
    CodeRow{DiagnosticCode::case_outside_pathway, "E602",
            "a case whose placement the pathway does not know, or that has no placement"},
    CodeRow{DiagnosticCode::malformed_date, "E702", "a malformed date in a case"},
    CodeRow{DiagnosticCode::malformed_case, "E703", "a case of the wrong shape, or not valid JSON"},
    CodeRow{DiagnosticCode::duplicate_key, "E704", "a key given twice in a case or a ratings row"},
    CodeRow{DiagnosticCode::input_limit, "E801",
            "input over a limit (line length, number of columns, size of a stream)"},
    CodeRow{DiagnosticCode::input_changed, "E802", "an input file changed (shrank or grew) while it was read"},
    CodeRow{DiagnosticCode::unwritable_output, "E803",
            "an output cannot be written (no permission, disk full, or it is one of the inputs)"},
    CodeRow{DiagnosticCode::store_failure, "E901",
            "the case store cannot be opened, read or written (or its schema is newer than this kelias)"},
    CodeRow{DiagnosticCode::permission_denied, "E902",
            "the actor's role may not do this (the pathway's roles), or the role is unknown"},
    CodeRow{DiagnosticCode::stale_version, "E903",
            "the case changed since the version given (reread it and try again; nothing was changed)"},
    CodeRow{DiagnosticCode::unknown_record, "E904",
            "no such case or record in the store, or a case id that is already there"},
    CodeRow{
        DiagnosticCode::invalid_transition, "E905",
        "a step out of order (a finalised record changed, an override approved by its author), or a name in a case"},
    CodeRow{DiagnosticCode::statistic_undefined, "E910",
            "a statistic the data cannot give (one outcome class only, a constant item, too few rows or raters)"},
    CodeRow{DiagnosticCode::no_effect, "W101", "a setting that has no effect"},
    CodeRow{DiagnosticCode::absent_columns, "W501",
            "ratings without columns for some of the instrument's item fields (they count as omitted)"},
    CodeRow{DiagnosticCode::duplicate_row_id, "W502", "an id that appears on more than one row or case"},
    CodeRow{DiagnosticCode::age_outside_range, "W503",
            "an assessment of a person outside the ages the instrument is meant for (`age_range`)"},
};

// The table lists every code once, in the enum's order, so a code is its own row index.
constexpr bool table_in_enum_order() {
    for (std::size_t i = 0; i < code_table.size(); ++i)
        if (static_cast<std::size_t>(code_table[i].code) != i) return false;
    return true;
}
static_assert(table_in_enum_order(), "every DiagnosticCode has one row in code_table, in enum order");
static_assert(code_table.size() == static_cast<std::size_t>(DiagnosticCode::age_outside_range) + 1,
              "age_outside_range is the last DiagnosticCode: add new codes before it and to the table");

const CodeRow& row_of(DiagnosticCode code) noexcept {
    const auto index = static_cast<std::size_t>(code);
    return index < code_table.size() ? code_table[index] : code_table.front();
}

}  // namespace

std::string_view code_text(DiagnosticCode code) noexcept { return row_of(code).text; }
std::string_view code_summary(DiagnosticCode code) noexcept { return row_of(code).summary; }

std::vector<DiagnosticCode> all_codes() {
    std::vector<DiagnosticCode> out;
    for (const auto& row : code_table) out.push_back(row.code);
    return out;
}

std::string format(const Diagnostic& d) {
    std::string out = d.where.file.empty() ? std::string("<input>") : d.where.file;
    if (d.where.line > 0) {
        out += ':' + std::to_string(d.where.line);
        if (d.where.column > 0) out += ':' + std::to_string(d.where.column);
    }
    out += d.severity == Severity::error ? ": error[" : ": warning[";
    out += code_text(d.code);
    out += "]: " + d.message + '\n';
    if (!d.hint.empty()) out += "  hint: " + d.hint + '\n';
    return out;
}

std::string format(const std::vector<Diagnostic>& ds) {
    std::string out;
    for (const auto& d : ds) out += format(d);
    return out;
}

bool has_errors(const std::vector<Diagnostic>& ds) {
    return std::any_of(ds.begin(), ds.end(), [](const Diagnostic& d) { return d.severity == Severity::error; });
}

bool has_code(const std::vector<Diagnostic>& ds, DiagnosticCode code) {
    return std::any_of(ds.begin(), ds.end(), [&](const Diagnostic& d) { return d.code == code; });
}

Error::Error(std::vector<Diagnostic> diagnostics)
    : std::runtime_error(diagnostics.empty() ? std::string("kelias: no value") : format(diagnostics)),
      diagnostics_(std::move(diagnostics)) {}

KELIAS_END_NAMESPACE
