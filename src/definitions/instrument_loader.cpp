// YAML instrument definitions -> compiled InstrumentData, reporting every problem at once.
#include "definitions/definition_loader.hpp"

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
        diagnostics.push_back(detail::unexpected_structure(e, file_name));
        data = nullptr;
    }
    if (!data) return Result<Instrument>(std::move(diagnostics));
    return Result<Instrument>(detail::make_instrument(std::move(data)), std::move(diagnostics));
}

Result<Instrument> load_instrument_file(const std::filesystem::path& path) {
    std::vector<Diagnostic> problems;
    auto text = detail::read_definition_text(path, problems);
    if (!text) return Result<Instrument>(std::move(problems));
    return load_instrument(*text, path.string());
}

}  // namespace kelias
