// Instrument inputs as the source gives them: column aliases, code aliases and what an
// absent cell counts as (`column_aliases`, `code_aliases`, `absent` on a field).
#include <algorithm>

#include "base/text.hpp"
#include "definitions/definition_reader.hpp"
#include "model/case_columns.hpp"

KELIAS_BEGIN_NAMESPACE
namespace detail {

void DefinitionReader::read_input_keys(const YAML::Node& n, FieldSpec& f) {
    if (const YAML::Node& a = n["absent"]; a.IsDefined() && r_.expect_scalar(a, "absent")) f.absent = a;
    if (const YAML::Node& ca = n["column_aliases"]; ca.IsDefined() && r_.expect_list(ca, "column_aliases"))
        for (const auto& alias : ca)
            if (r_.expect_scalar(alias, "a column alias")) f.column_aliases.push_back(alias);
    if (const YAML::Node& ca = n["code_aliases"]; ca.IsDefined() && r_.expect_map(ca, "code_aliases"))
        for (auto it = ca.begin(); it != ca.end(); ++it)
            if (r_.expect_scalar(it->first, "a code alias") && r_.expect_scalar(it->second, "the code it reads as"))
                f.code_aliases.emplace_back(it->first, it->second);
}

void DefinitionReader::apply_input_keys(const FieldSpec& f, FieldInfo& info, FieldModel& fm) {
    // Code aliases first, so `absent:` may be written in either spelling.
    if (!f.code_aliases.empty() && info.codes.empty()) {
        r_.error(f.code_aliases.front().first, DiagnosticCode::invalid_field,
                 "field '" + info.column + "' has no codes to give aliases",
                 "code_aliases go with category fields and ratings on coded scales");
    } else {
        for (const auto& [alias_node, code_node] : f.code_aliases) {
            const std::string alias(trim(alias_node.Scalar()));
            const std::string& code = code_node.Scalar();
            if (alias.empty()) {
                r_.error(alias_node, DiagnosticCode::invalid_value, "a code alias is empty");
                continue;
            }
            if (std::find(info.codes.begin(), info.codes.end(), code) == info.codes.end()) {
                r_.error(code_node, DiagnosticCode::invalid_field,
                         "'" + for_message(code) + "' is not a code of field '" + info.column + "'",
                         did_you_mean(code, info.codes));
                continue;
            }
            if (std::find(info.codes.begin(), info.codes.end(), alias) != info.codes.end()) {
                r_.error(alias_node, DiagnosticCode::duplicate_id,
                         "code alias '" + for_message(alias) + "' is already a code of field '" + info.column + "'",
                         "an alias must not be another code's spelling");
                continue;
            }
            // Inputs match codes and aliases regardless of case: a spelling that differs
            // only by case may repeat a code or alias, but must read as the same code.
            const auto same = [&](const std::string& other) { return equal_ignoring_ascii_case(other, alias); };
            const auto code_like = std::find_if(info.codes.begin(), info.codes.end(), same);
            if (code_like != info.codes.end() && *code_like != code) {
                r_.error(alias_node, DiagnosticCode::duplicate_id,
                         "code alias '" + for_message(alias) + "' reads as code '" + *code_like + "' of field '" +
                             info.column + "', not as '" + for_message(code) + "'",
                         "codes are read regardless of case; choose another spelling");
                continue;
            }
            const bool taken = std::any_of(info.code_aliases.begin(), info.code_aliases.end(), [&](const auto& p) {
                return p.first == alias || (same(p.first) && p.second != code);
            });
            if (taken) {
                r_.error(alias_node, DiagnosticCode::duplicate_id,
                         "code alias '" + for_message(alias) + "' is given twice for field '" + info.column + "'",
                         "keep one of them (aliases are read regardless of case)");
                continue;
            }
            info.code_aliases.emplace_back(alias, code);
        }
    }
    if (f.absent) {
        const YAML::Node& absent = *f.absent;
        const std::string text(trim(absent.Scalar()));
        if (text == "na") {
            fm.absent_state = na_state;
            info.absent = text;
            m_.has_absent_defaults = true;
        } else if (text.empty() || text == "omitted") {
            r_.error(absent, DiagnosticCode::invalid_field,
                     "absent: omitted is what an absent cell is without 'absent:'", "drop it, or give a value or na");
        } else {
            const ParsedCell cell = parse_field_cell(m_, info, fm.scale, text);
            if (cell.error || cell.state != CellState::value) {
                r_.error(absent, DiagnosticCode::invalid_field,
                         "absent: '" + for_message(text) + "' is not a value of field '" + info.column +
                             "': " + (cell.error ? cell.error : "not a value"));
            } else {
                fm.absent_state = known_state;
                fm.absent_value = cell.value;
                info.absent = text;
                m_.has_absent_defaults = true;
            }
        }
    }
    for (const auto& alias : f.column_aliases) pending_column_aliases_.emplace_back(m_.fields.size(), alias);
}

void DefinitionReader::register_column_aliases() {
    for (const auto& [field, node] : pending_column_aliases_) {
        const std::string alias(trim(node.Scalar()));
        const std::string& column = m_.fields[field].column;
        if (alias.empty()) {
            r_.error(node, DiagnosticCode::invalid_value, "a column alias of '" + column + "' is empty");
            continue;
        }
        if (auto it = m_.field_by_column.find(alias); it != m_.field_by_column.end()) {
            r_.error(
                node, DiagnosticCode::duplicate_id,
                "column alias '" + for_message(alias) + "' of '" + column + "' is " +
                    (it->second == field ? "its own column" : "the column of '" + m_.fields[it->second].column + "'"),
                "a column name may give one field only");
            continue;
        }
        if (auto [it, fresh] = m_.field_by_alias.emplace(alias, field); !fresh) {
            r_.error(node, DiagnosticCode::duplicate_id,
                     "column alias '" + for_message(alias) + "' of '" + column + "' is already " +
                         (it->second == field ? "given" : "an alias of '" + m_.fields[it->second].column + "'"),
                     "a column name may give one field only");
            continue;
        }
        m_.fields[field].column_aliases.push_back(alias);
    }
    pending_column_aliases_.clear();
}

}  // namespace detail
KELIAS_END_NAMESPACE
