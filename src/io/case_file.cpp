// read_case_file(): one case file, whole, from a path or standard input.
#include <kelias/case_io.hpp>

#include "io/input_source.hpp"

KELIAS_BEGIN_NAMESPACE
namespace {

std::vector<Diagnostic> too_large(const std::string& name) {
    return {{Severity::error,
             DiagnosticCode::input_limit,
             "larger than " + std::to_string(max_case_file_bytes >> 20) + " MiB",
             "one case per file; for many cases use JSON lines (--input-format jsonl)",
             {name, 0, 0}}};
}

Result<std::string> read_whole(detail::InputSource& input) {
    std::string text;
    for (;;) {
        const std::size_t before = text.size();
        // A file says its size; a stream grows the text 64 KiB at a time.
        const std::size_t block =
            input.size() ? static_cast<std::size_t>(*input.size() - input.bytes_read()) + 1 : std::size_t{65536};
        text.resize(before + block);
        auto got = input.read(text.data() + before, block);
        if (!got) return got.error();
        text.resize(before + *got);
        if (*got < block) return text;
    }
}

// Errors of reading carry the file's name as their place, as parse errors do.
std::vector<Diagnostic> placed(std::vector<Diagnostic> problems, const std::string& name) {
    for (Diagnostic& d : problems)
        if (d.where.file.empty()) d.where.file = name;
    return problems;
}

}  // namespace

Result<CaseInput> read_case_file(const std::string& path) {
    const std::string name = path == "-" ? std::string("<stdin>") : path;
    auto input = detail::InputSource::open(path, name, max_case_file_bytes);
    if (!input) return placed(input.error(), name);
    if (input->size() && *input->size() > max_case_file_bytes) return too_large(name);
    auto text = read_whole(*input);
    if (!text)
        return text.error().front().code == DiagnosticCode::input_limit ? too_large(name) : placed(text.error(), name);
    return parse_case(*text, name);
}

KELIAS_END_NAMESPACE
