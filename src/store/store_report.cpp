// Reports over a case store: the store is read through its audited API only, and the
// report library does the rest (kelias/report.hpp).
#include <kelias/store_report.hpp>

#include <algorithm>

#include "store/store_json.hpp"

KELIAS_BEGIN_NAMESPACE

namespace {

std::optional<OverrideRecord> override_record(const StoredRecord& r) {
    if (r.kind != RecordKind::override_ || r.state != RecordState::approved) return std::nullopt;
    auto doc = detail::read_flat_document(r.document);
    if (!doc) return std::nullopt;
    auto field = [&](const char* key) {
        const std::string* v = doc->find(key);
        return v ? *v : std::string();
    };
    OverrideRecord o{.case_id = r.case_id,
                     .instrument = field("instrument"),
                     .target = field("name"),
                     .computed = field("computed"),
                     .chosen = field("chosen"),
                     .staff = r.created_by};
    // The unit report counts overrides per assessment; the store keeps the assessment's date.
    const auto date = parse_date(field("as_of"));
    if (!date) return std::nullopt;
    o.date = *date;
    return o;
}

// Finalising an assessment in the store is the `assessment_finalised` event the unit
// report counts per staff member; the store keeps it on the record, not in the document.
void add_finalisation_event(const StoredRecord& r, CaseInput& document) {
    if (r.kind != RecordKind::assessment || r.state != RecordState::finalised) return;
    auto doc = detail::read_flat_document(r.document);
    const std::string* date_text = doc ? doc->find("date") : nullptr;
    const auto date = date_text ? parse_date(*date_text) : std::nullopt;
    if (!date) return;
    CaseEvent e{
        .type = "assessment_finalised", .date = *date, .role = r.decided_role, .by = r.decided_by, .details = {}};
    if (std::find(document.events.begin(), document.events.end(), e) == document.events.end())
        document.events.push_back(std::move(e));
}

struct StoreContents {
    std::vector<CaseInput> cases;
    std::vector<OverrideRecord> overrides;
};

Result<StoreContents> read_store(CaseStore& store, const Actor& actor) {
    auto listed = store.list_cases(actor);
    if (!listed) return listed.error();
    StoreContents out;
    for (const CaseSummary& summary : *listed) {
        auto stored = store.read_case(actor, summary.id);
        if (!stored) return stored.error();
        for (const StoredRecord& r : stored->records) {
            if (auto o = override_record(r)) out.overrides.push_back(std::move(*o));
            add_finalisation_event(r, stored->document);
        }
        out.cases.push_back(std::move(stored->document));
    }
    return out;
}

}  // namespace

Result<CaseReport> build_stored_case_report(CaseStore& store, const Actor& actor, std::string_view case_id,
                                            const ReportDefinitions& definitions, const ReportOptions& options) {
    auto stored = store.read_case(actor, case_id);
    if (!stored) return stored.error();
    return build_report(stored->document, definitions, options);
}

Result<UnitReport> build_store_unit_report(CaseStore& store, const Actor& actor, const ReportDefinitions& definitions,
                                           const UnitReportOptions& options) {
    auto contents = read_store(store, actor);
    if (!contents) return contents.error();
    return build_unit_report(contents->cases, contents->overrides, definitions, options);
}

KELIAS_END_NAMESPACE
