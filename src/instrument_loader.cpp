// YAML instrument definitions -> compiled InstrumentData, reporting every problem at once.
#include "definition_loader.hpp"

namespace kelias {
namespace detail {

Instrument make_instrument(std::shared_ptr<const InstrumentData> data) { return Instrument(std::move(data)); }

}  // namespace detail

Result<Instrument> load_instrument(std::string_view yaml_text, std::string_view file_name) {
    std::vector<Diagnostic> diagnostics;
    detail::DefinitionLoader loader{std::string(file_name), yaml_text, diagnostics};
    std::shared_ptr<detail::InstrumentData> data;
    try {
        data = loader.load();
    } catch (const YAML::Exception& e) {
        // A shape the reader did not foresee: still a located error, never a crash.
        diagnostics.push_back({Severity::error, "E103", "unexpected YAML structure: " + e.msg, {},
                               Location{std::string(file_name), e.mark.line + 1, e.mark.column + 1}});
        data = nullptr;
    }
    if (!data) return Result<Instrument>(std::move(diagnostics));
    return Result<Instrument>(detail::make_instrument(std::move(data)), std::move(diagnostics));
}

Result<Instrument> load_instrument_file(const std::filesystem::path& path) {
    std::error_code ec;
    const bool folder = std::filesystem::is_directory(path, ec);  // opens fine, reads nothing
    std::ifstream in(path, std::ios::binary);
    if (folder || !in) {
        Diagnostic d{Severity::error, "E000", folder ? "cannot read the file: it is a folder" : "cannot read the file",
                     "check the path and permissions", Location{path.string(), 0, 0}};
        return Result<Instrument>(std::vector<Diagnostic>{d});
    }
    std::ostringstream text;
    text << in.rdbuf();
    return load_instrument(text.str(), path.string());
}

}  // namespace kelias
