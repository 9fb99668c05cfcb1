#pragma once
/// \file case.hpp
/// A case document: facts, assessments (with their history), placements and events, as
/// read from a case file (YAML, JSON or a line of JSONL) and written back.
#include <compare>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <kelias/date.hpp>
#include <kelias/diagnostic.hpp>

KELIAS_BEGIN_NAMESPACE

/// Where a value of a case sits. Its text form names it in messages:
/// `facts.sentence_end`, `facts.penalties[0].date`, `assessments.start_av.date`,
/// `assessments.start_av.scores.violence.estimate`, `assessments.start_av.ratings.coping.strength`,
/// `assessments.start_av.header.status`.
struct CasePath {
    enum class Part : std::uint8_t {
        case_id,
        as_of,
        fact,
        record,
        record_field,
        assessment,
        assessment_date,
        score,
        rating,
        placement,
        event,
        header
    };
    Part part = Part::fact;
    std::string name;  ///< the fact or list; the instrument id for assessments
    /// record, record_field: the record's index in its list; placement, event: the index in
    /// its list; assessment parts: the index in the instrument's history (0 when one).
    std::size_t record = 0;
    std::string field;  ///< record_field: the field; score and rating: the result or column
    std::string to_string() const;
    friend auto operator<=>(const CasePath&, const CasePath&) = default;

    static CasePath case_id() { return {Part::case_id, {}, 0, {}}; }
    static CasePath as_of() { return {Part::as_of, {}, 0, {}}; }
    static CasePath fact(std::string name) { return {Part::fact, std::move(name), 0, {}}; }
    static CasePath record_at(std::string list, std::size_t index) {
        return {Part::record, std::move(list), index, {}};
    }
    static CasePath record_field(std::string list, std::size_t index, std::string field) {
        return {Part::record_field, std::move(list), index, std::move(field)};
    }
    static CasePath assessment(std::string instrument) { return {Part::assessment, std::move(instrument), 0, {}}; }
    static CasePath assessment_date(std::string instrument) {
        return {Part::assessment_date, std::move(instrument), 0, {}};
    }
    static CasePath score(std::string instrument, std::string name) {
        return {Part::score, std::move(instrument), 0, std::move(name)};
    }
    static CasePath rating(std::string instrument, std::string column) {
        return {Part::rating, std::move(instrument), 0, std::move(column)};
    }
    /// `assessments.start_av.header.status`.
    static CasePath header(std::string instrument, std::string field) {
        return {Part::header, std::move(instrument), 0, std::move(field)};
    }
    /// `placements[2]`, `placements[2].from`.
    static CasePath placement(std::size_t index, std::string field = {}) {
        return {Part::placement, {}, index, std::move(field)};
    }
    /// `events[0]`, `events[0].date`.
    static CasePath event(std::size_t index, std::string field = {}) {
        return {Part::event, {}, index, std::move(field)};
    }
};

/// One record of a list fact: field → cell text.
using RecordInput = std::map<std::string, std::string>;

/// An assessment attached to a case: either ratings (scored with the instrument) or
/// results already scored elsewhere (`scores`: score id or outcome field → text). A case
/// may hold several of one instrument (its history); see latest_assessment().
struct AssessmentInput {
    std::string instrument;
    std::optional<Date> date;
    std::map<std::string, std::string> ratings;
    std::map<std::string, std::string> scores;
    /// The assessment's header: assessment field id → cell text (`header:` in case files,
    /// `header.ID` keys in ratings files; lists of codes as `a|b`). Checked against the
    /// instrument's `assessment_fields` by check_assessment_header().
    std::map<std::string, std::string> header = {};
};

/// One stay in a placement, named by a pathway's placement id (`semi_open`,
/// `halfway_house`, ...).
struct PlacementStay {
    std::string placement;
    Date from;
    std::optional<Date> until;  ///< nullopt: the person is still there
    friend bool operator==(const PlacementStay&, const PlacementStay&) = default;
};

/// Something that happened in a case (a penalty, an incident, a job found, a move proposed,
/// decided or carried out, a plan review), recorded by someone acting in a role.
struct CaseEvent {
    std::string type;  ///< an identifier; its meaning belongs to the pathway or plan policy
    Date date;
    std::string role;                            ///< the recorder's role id ("" when not given)
    std::string by;                              ///< a staff pseudonym ("" when not given)
    std::map<std::string, std::string> details;  ///< every other key, as cell text
    friend bool operator==(const CaseEvent&, const CaseEvent&) = default;
};

/// One case: facts as cell text (`""` omitted, `na`), lists of records, assessments.
/// A fact that is absent is omitted (unknown).
struct CaseInput {
    std::string id;
    std::optional<Date> as_of;
    std::map<std::string, std::string> facts;
    std::map<std::string, std::optional<std::vector<RecordInput>>> lists;  ///< nullopt: omitted
    std::vector<AssessmentInput> assessments;
    std::vector<PlacementStay> placements;  ///< where the person has been, oldest first
    std::vector<CaseEvent> events;          ///< what happened, in the order recorded
    /// Where the case and each of its values were read (parse_case fills it), so that
    /// problems found later name their file, line and column.
    Location where;
    std::map<CasePath, Location> places;
};

/// Reads a case from YAML or JSON text (the case-file format of instruments/README.md).
/// A key given twice is an error (E704), never "the last one wins". Placements must be in
/// order (each `from` on or after the previous stay's, `until` not before `from`, only the
/// last stay open); an instrument's history needs a date on every assessment (E703).
Result<CaseInput> parse_case(std::string_view text, std::string_view file_name = "<case>");

/// The case as one line of JSON in the same format (a line of a JSONL case file), without
/// the newline. Cell text that is `true`, `false` or a JSON number is written bare, the
/// rest as strings; reading it back gives the same case.
std::string to_json(const CaseInput& c);

/// The assessment of `instrument` that speaks for the case on `as_of`: the latest one dated
/// on or before it; when none is, the only one or the earliest (so that rules see it and
/// report it as not yet valid). nullptr when the case has none of that instrument.
const AssessmentInput* latest_assessment(const CaseInput& c, std::string_view instrument, std::optional<Date> as_of);

/// The stay the person is in: the last one (stays are in order); nullptr when none is recorded.
const PlacementStay* current_placement(const CaseInput& c);

KELIAS_END_NAMESPACE
