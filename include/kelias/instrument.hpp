#pragma once
/// \file instrument.hpp
/// Loading and inspecting instruments: YAML definitions compiled into immutable values.
#include <cstddef>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <kelias/date.hpp>
#include <kelias/diagnostic.hpp>

namespace kelias {

class Instrument;
namespace detail {
struct InstrumentData;
Instrument make_instrument(std::shared_ptr<const InstrumentData> data);
}  // namespace detail

/// What kind of value a field holds.
enum class FieldType { rating, boolean, integer, number, category, date, duration };

/// One input field of an instrument: one column of a ratings table.
struct FieldInfo {
    std::string owner;      ///< the item or outcome id
    std::string name;       ///< the field name (`value` for single-field items)
    std::string column;     ///< `owner.name`, or `owner` for a single-field item
    FieldType type = FieldType::number;
    bool allows_na = false;
    bool is_outcome = false;
    std::optional<double> min, max;      ///< numeric range, when declared
    std::vector<std::string> codes;      ///< allowed codes (category and coded ratings)
    std::vector<double> levels;          ///< allowed numbers (numeric ratings)
};

/// What kind of value a score produces.
enum class ScoreType { number, boolean, category, date };

/// One computed score, in the order of the definition.
struct ScoreInfo {
    std::string id;
    std::string label;       ///< English label, or the id
    ScoreType type = ScoreType::number;
    bool hidden = false;     ///< an intermediate score, left out of outputs
    std::string expression;  ///< the source text
};

/// An item or outcome as declared (for display and reports).
struct EntryInfo {
    std::string id;
    std::string domain;       ///< empty when outside domains; the group for outcomes
    bool is_outcome = false;
    bool in_totals = true;
    std::vector<std::pair<std::string, std::string>> labels;  ///< (language, text)
};

/// A compiled instrument. Immutable and cheap to copy (shared); safe to use from many
/// threads at once.
class Instrument {
public:
    const std::string& id() const noexcept;
    const std::string& version() const noexcept;
    /// `id@version`, as stamped on every result.
    std::string key() const;
    /// `sha256:<hex>` of the definition's text: identifies the exact definition.
    const std::string& hash() const noexcept;
    /// The English title.
    const std::string& title() const noexcept;
    /// The file it was loaded from (or the name given to load_instrument).
    const std::string& file() const noexcept;
    /// How often to reassess, when the instrument says.
    std::optional<Duration> reassess_every() const noexcept;

    std::span<const FieldInfo> fields() const noexcept;
    std::span<const ScoreInfo> scores() const noexcept;
    std::span<const EntryInfo> entries() const noexcept;
    std::vector<std::string> domains() const;

    /// The field behind a column name such as `school_work.strength`.
    std::optional<std::size_t> find_field(std::string_view column) const noexcept;
    std::optional<std::size_t> find_score(std::string_view id) const noexcept;

    /// A human-readable summary of the definition (items, fields, scores).
    std::string describe() const;
    /// The same as a JSON document.
    std::string describe_json() const;

    const detail::InstrumentData& data() const noexcept { return *data_; }

private:
    explicit Instrument(std::shared_ptr<const detail::InstrumentData> d) : data_(std::move(d)) {}
    friend Instrument detail::make_instrument(std::shared_ptr<const detail::InstrumentData>);
    std::shared_ptr<const detail::InstrumentData> data_;
};

/// Loads and compiles an instrument from YAML text. `file_name` is used in diagnostics.
/// Returns the instrument (perhaps with warnings) or every problem found.
Result<Instrument> load_instrument(std::string_view yaml_text, std::string_view file_name = "<text>");

/// Reads a file and calls load_instrument(). An unreadable file is diagnostic E000.
Result<Instrument> load_instrument_file(const std::filesystem::path& path);

/// The folders find_definition() searches, in order: each folder of `KELIAS_PATH`
/// (colon-separated), then the installed and the source `instruments/` folders and the
/// source `examples/instruments/`.
std::vector<std::filesystem::path> definition_search_path();

/// Finds a shipped instrument or rule file by id: `KELIAS_PATH` (colon-separated
/// folders), then the installed and the source `instruments/` folders. A value that
/// names an existing file is returned as is.
std::optional<std::filesystem::path> find_definition(std::string_view id_or_path);

}  // namespace kelias
