#pragma once
// The compiled form of a plan policy: typed values, each with its source, confidence and
// place in the file; the instruments it reads; its embedded tests.
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <kelias/plan.hpp>

KELIAS_BEGIN_NAMESPACE
namespace detail {

/// Where a policy value comes from.
struct Provenance {
    std::string source;
    std::string confidence;  // verified, secondary, unverified (or empty)
    Location where;
};

struct PolicyInstrument {
    std::string id;
    Instrument instrument = make_instrument(nullptr);
    std::vector<std::string> intensity_outcomes;  // their highest estimate is the risk level
    Provenance intensity;
    std::vector<std::pair<std::string, std::string>> items;  // item -> area, in the instrument's order
    Provenance items_from;
    /// The area of `item`, or nullptr.
    const std::string* area_of(const std::string& item) const {
        for (const auto& [i, a] : items)
            if (i == item) return &a;
        return nullptr;
    }
};

struct PolicyProgramme {
    std::string id;
    LocalText label;
    DeliveryRole role = DeliveryRole::contact_officer;
    bool intensive = false;
    Provenance from;
};

struct PolicyArea {
    std::string id;
    LocalText label;
    std::vector<std::string> programmes;  // in preference order
    Provenance from;
};

struct DosageBand {
    std::string id;
    RiskLevel risk = RiskLevel::low;
    std::optional<bool> many;  // nullopt: any number of needs
    int hours = 0;
    SupervisionLevel supervision = SupervisionLevel::minimal;
    Provenance from;
};

struct ResponsivityRule {
    enum class When : std::uint8_t { fact_equals, age_below, item_vulnerability };
    std::string id;
    LocalText label;
    When when = When::fact_equals;
    std::string fact;                // fact_equals
    std::string value;               // fact_equals: the cell text
    int age = 0;                     // age_below: years, from the fact date_of_birth
    std::vector<std::string> items;  // item_vulnerability: any of them
    int at_least = 2;
    std::vector<std::string> add, prefer, avoid;  // programmes
    LocalText note;
    Provenance from;
};

struct HarmRule {
    std::string id;
    LocalText label;
    std::vector<std::string> outcomes;
    RiskLevel at_least = RiskLevel::moderate;
    DeliveryRole role = DeliveryRole::psychologist;
    Provenance from;
};

struct ReviewEvent {
    std::string type;
    Duration within;
    Provenance from;
};

struct PlanTestCase {
    std::string name;
    Location where;
    CaseInput input;
    std::vector<std::pair<std::string, Decision>> decisions;
    struct Expect {
        std::string key;    // risk_level, dosage_band, hours, ...
        std::string value;  // scalar expectations as text; lists joined with ", "
        Location where;
    };
    std::vector<Expect> expect;
};

struct PlanPolicyData {
    std::string id, version, title, file, hash, source, licence;
    std::vector<PolicyInstrument> instruments;  // in preference order
    int need_at_least = 2;
    Provenance need_from;
    int many_needs = 3;
    Provenance many_from;
    int strength_at_least = 2;
    Provenance strength_from;
    std::vector<DosageBand> bands;
    std::string override_fact;  // empty: no override
    int override_band = -1;
    Provenance override_from;
    std::vector<PolicyProgramme> programmes;
    std::vector<PolicyArea> areas;
    std::vector<ResponsivityRule> responsivity;
    std::vector<HarmRule> harm;
    Duration review_interval{0, 3, 0};
    Provenance review_from;
    std::vector<ReviewEvent> review_events;
    std::vector<PlanTestCase> tests;

    const PolicyProgramme* programme(const std::string& id) const {
        for (const auto& p : programmes)
            if (p.id == id) return &p;
        return nullptr;
    }
    const PolicyArea* area(const std::string& id) const {
        for (const auto& a : areas)
            if (a.id == id) return &a;
        return nullptr;
    }
    const PolicyInstrument* instrument(const std::string& id) const {
        for (const auto& i : instruments)
            if (i.id == id) return &i;
        return nullptr;
    }
};

}  // namespace detail
KELIAS_END_NAMESPACE
