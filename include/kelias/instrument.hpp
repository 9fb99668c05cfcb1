#pragma once
/// \file instrument.hpp
/// Loading and inspecting instruments: YAML definitions compiled into immutable values.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <kelias/date.hpp>
#include <kelias/diagnostic.hpp>

KELIAS_BEGIN_NAMESPACE

class Instrument;
namespace detail {
struct InstrumentData;
Instrument make_instrument(std::shared_ptr<const InstrumentData> data);
}  // namespace detail

/// What kind of value a field holds. `codes` is a set of codes (instrument inputs only):
/// its one column holds bit i set for the field's i-th code (at most 52 codes).
enum class FieldType { rating, boolean, integer, number, category, date, duration, codes };

/// The type's name as definitions spell it: `rating`, `bool`, `integer`, ...
std::string_view to_string(FieldType t) noexcept;

/// One input field of an instrument: one column of a ratings table.
struct FieldInfo {
    std::string owner;   ///< the item or outcome id
    std::string name;    ///< the field name (`value` for single-field items)
    std::string column;  ///< `owner.name`, or `owner` for a single-field item
    FieldType type = FieldType::number;
    bool allows_na = false;
    bool is_outcome = false;
    std::optional<double> min, max;  ///< numeric range, when declared
    std::vector<std::string> codes;  ///< allowed codes (category, coded ratings, sets of codes)
    std::vector<double> levels;      ///< allowed numbers (numeric ratings)
    /// Other column names an input may give this field under (`column_aliases:`), e.g. an
    /// export's own heading; Instrument::find_field() and the ratings readers accept them.
    std::vector<std::string> column_aliases;
    /// Other spellings of codes (`code_aliases:`): (alias as written, the code it reads as).
    std::vector<std::pair<std::string, std::string>> code_aliases;
    /// What an absent cell counts as (`absent:`), as written (`0`, `na`, a code); empty:
    /// an absent cell stays omitted (unknown).
    std::string absent;
};

/// What kind of value a score produces.
enum class ScoreType { number, boolean, category, date };

/// One computed score, in the order of the definition.
struct ScoreInfo {
    std::string id;
    std::string label;  ///< English label, or the id
    ScoreType type = ScoreType::number;
    bool hidden = false;     ///< an intermediate score, left out of outputs
    std::string expression;  ///< the source text
    std::string edition;     ///< the edition of the instrument the score belongs to; empty: current
    bool legacy = false;     ///< from an older edition, kept so old and new reports can be compared
};

/// An item or outcome as declared (for display and reports).
struct EntryInfo {
    std::string id;
    std::string domain;  ///< empty when outside domains; the group for outcomes
    bool is_outcome = false;
    bool in_totals = true;
    std::vector<std::pair<std::string, std::string>> labels;  ///< (language, text)
};

/// How well public sources support a piece of instrument content (a flag, a label), in the
/// grades rule sets use: `verified` (stated in a cited source), `secondary` (pieced together
/// from partial sources), `unverified` (no source found; check it against the manual).
enum class ContentConfidence : std::uint8_t { verified, secondary, unverified };

/// `verified`, `secondary`, `unverified`.
std::string_view to_string(ContentConfidence c) noexcept;

/// What an assessment-level field holds: one code of its list, a list of such codes, free
/// text, a date, true/false, a whole number.
enum class HeaderFieldType : std::uint8_t { code, codes, text, date, boolean, integer };

/// `code`, `codes`, `text`, `date`, `bool`, `integer`.
std::string_view to_string(HeaderFieldType t) noexcept;

/// A field of the assessment as a whole (its header: status, purpose, sources of
/// information, consent, assessor), not of an item. Declared under `assessment_fields:`.
struct AssessmentFieldInfo {
    std::string id;
    HeaderFieldType type = HeaderFieldType::text;
    bool required = false;
    /// Personal data (the assessor): kept with the assessment, never printed in summaries,
    /// logs or audit entries.
    bool personal = false;
    std::vector<std::string> codes;                           ///< allowed codes (code, codes)
    std::optional<ContentConfidence> confidence;              ///< when the file grades it
    std::vector<std::pair<std::string, std::string>> labels;  ///< (language, text)
};

/// A group of outcomes (`harm_to_others`) with its labels, declared under `outcome_groups:`.
struct OutcomeGroupInfo {
    std::string id;
    std::vector<std::pair<std::string, std::string>> labels;  ///< (language, text)
};

/// The ages, in whole years and inclusive, an instrument is meant for (`age_range:`).
struct AgeRange {
    std::optional<int> min, max;
    std::optional<ContentConfidence> confidence;  ///< when the file grades it
    /// True when `age` lies inside the range.
    bool contains(int age) const noexcept { return (!min || age >= *min) && (!max || age <= *max); }
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
    /// The assessment-level fields, in file order (empty when the file declares none).
    std::span<const AssessmentFieldInfo> assessment_fields() const noexcept;
    /// The outcome groups with their labels, in file order (empty when none is declared).
    std::span<const OutcomeGroupInfo> outcome_groups() const noexcept;
    /// The ages the instrument is meant for, when the file says (`age_range:`).
    std::optional<AgeRange> age_range() const noexcept;
    /// Scales whose labels the file grades (`labels_confidence:`): (scale id, grade).
    std::vector<std::pair<std::string, ContentConfidence>> scale_label_confidence() const;

    /// The field behind a column name such as `school_work.strength`; an unknown column is
    /// an E501 diagnostic with a "did you mean" hint (and `*` on it throws kelias::Error).
    Result<std::size_t> find_field(std::string_view column) const;
    /// The score with this id; an unknown id is E503 with a hint.
    Result<std::size_t> find_score(std::string_view id) const;

    /// A human-readable summary of the definition (items, fields, scores).
    std::string describe() const;
    /// The same as a JSON document.
    std::string describe_json() const;

    /// True when both were compiled from the same definition text (same hash).
    bool same_definition(const Instrument& other) const noexcept;

    /// The compiled form, for the library's own readers and evaluators.
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

/// The folders find_definition() searches, in order:
///   1. each folder of the environment variable `KELIAS_PATH` (separated by ':');
///   2. `share/kelias/instruments` of the installation this code belongs to, found from
///      the location of the kelias shared library or, when kelias is linked statically,
///      of the running program (`<prefix>/bin/app` looks in `<prefix>/share/kelias/instruments`).
/// A build tree mirrors that layout, so a freshly built CLI finds the shipped definitions
/// too. A source checkout is never searched.
std::vector<std::filesystem::path> definition_search_path();

/// Finds an instrument or rule file by id in definition_search_path(). A value that names
/// an existing file is returned as is; nullopt when nothing is found.
std::optional<std::filesystem::path> find_definition(std::string_view id_or_path);

KELIAS_END_NAMESPACE
