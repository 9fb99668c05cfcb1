// The parts of a case document every reader and writer shares: the names of its values in
// messages, and which assessment and stay speak for the case.
#include <kelias/case.hpp>

#include <algorithm>

KELIAS_BEGIN_NAMESPACE

namespace {

std::string indexed(std::string_view list, std::size_t index, const std::string& field) {
    std::string out = std::string(list) + "[" + std::to_string(index) + "]";
    if (!field.empty()) out += "." + field;
    return out;
}

}  // namespace

std::string CasePath::to_string() const {
    switch (part) {
    case Part::case_id:
        return "case";
    case Part::as_of:
        return "as_of";
    case Part::fact:
        return "facts." + name;
    case Part::record:
        return "facts." + indexed(name, record, {});
    case Part::record_field:
        return "facts." + indexed(name, record, field);
    case Part::assessment:
        return "assessments." + name;
    case Part::assessment_date:
        return "assessments." + name + ".date";
    case Part::score:
        return "assessments." + name + ".scores." + field;
    case Part::rating:
        return "assessments." + name + ".ratings." + field;
    case Part::placement:
        return indexed("placements", record, field);
    case Part::event:
        return indexed("events", record, field);
    case Part::header:
        return "assessments." + name + ".header." + field;
    }
    return "?";
}

const AssessmentInput* latest_assessment(const CaseInput& c, std::string_view instrument, std::optional<Date> as_of) {
    const AssessmentInput* latest = nullptr;    // dated on or before as_of
    const AssessmentInput* fallback = nullptr;  // the earliest otherwise
    for (const AssessmentInput& a : c.assessments) {
        if (a.instrument != instrument) continue;
        if (a.date && as_of && *a.date <= *as_of) {
            if (!latest || *latest->date <= *a.date) latest = &a;
        } else if (!fallback || (a.date && fallback->date && *a.date < *fallback->date)) {
            fallback = &a;
        }
    }
    return latest ? latest : fallback;
}

const PlacementStay* current_placement(const CaseInput& c) {
    return c.placements.empty() ? nullptr : &c.placements.back();
}

KELIAS_END_NAMESPACE
