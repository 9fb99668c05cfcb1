#include <kelias/diagnostic.hpp>

namespace kelias {

std::string format(const Diagnostic& d) {
    std::string out = d.where.file.empty() ? std::string("<input>") : d.where.file;
    if (d.where.line > 0) {
        out += ':' + std::to_string(d.where.line);
        if (d.where.column > 0) out += ':' + std::to_string(d.where.column);
    }
    out += d.severity == Severity::error ? ": error[" : ": warning[";
    out += d.code + "]: " + d.message + '\n';
    if (!d.hint.empty()) out += "  hint: " + d.hint + '\n';
    return out;
}

std::string format(const std::vector<Diagnostic>& ds) {
    std::string out;
    for (const auto& d : ds) out += format(d);
    return out;
}

bool has_errors(const std::vector<Diagnostic>& ds) {
    for (const auto& d : ds)
        if (d.severity == Severity::error) return true;
    return false;
}

}  // namespace kelias
