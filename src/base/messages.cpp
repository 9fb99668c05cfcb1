// The fixed words of output for a person (see messages.hpp).
#include "base/messages.hpp"

#include <array>

KELIAS_BEGIN_NAMESPACE
namespace detail {
namespace {

struct Row {
    Message message;
    std::string_view en, lt;
};

// In the order of the enum (checked below).
constexpr std::array rows = {
    Row{Message::case_word, "Case", "Byla"},
    Row{Message::on, "on", "data"},
    Row{Message::rules, "rules", "taisyklės"},
    Row{Message::no_id, "(no id)", "(be numerio)"},
    Row{Message::no_date, "(no date)", "(be datos)"},
    Row{Message::eligible, "ELIGIBLE", "ATITINKA SĄLYGAS"},
    Row{Message::not_eligible, "NOT ELIGIBLE", "NEATITINKA SĄLYGŲ"},
    Row{Message::undetermined, "UNDETERMINED", "NENUSTATYTA"},
    Row{Message::fails, "fails:", "netenkinama:"},
    Row{Message::excluded, "excluded:", "pašalina:"},
    Row{Message::unknown, "unknown:", "nežinoma:"},
    Row{Message::met, "met:", "tenkinama:"},
    Row{Message::not_excluded, "not excluded:", "nepašalina:"},
    Row{Message::not_met, "not met:", "netaikoma:"},
    Row{Message::with, "with", "duomenys:"},
    Row{Message::params, "params", "parametrai:"},
    Row{Message::computed, "computed", "apskaičiuota:"},
    Row{Message::missing, "missing:", "trūksta:"},
    Row{Message::earliest_date, "earliest date:", "anksčiausia data:"},
    Row{Message::if_nothing_changes, "if nothing else changes", "jei niekas kitas nepasikeis"},
    Row{Message::no_rule, "no rule:", "taisyklėse nėra:"},
    Row{Message::table, "table", "lentelė"},
    Row{Message::no_row_for, "no row for", "nėra eilutės, kai"},
    Row{Message::needed_then, "needed on that date:", "tą dieną reikės:"},
    Row{Message::dated_from, "dated on or after", "atlikto ne anksčiau kaip"},
    Row{Message::requires_, "requires", "reikalaujama"},
    Row{Message::excluded_when, "excluded when", "pašalinama, kai"},
};

constexpr bool in_order() {
    for (std::size_t i = 0; i < rows.size(); ++i)
        if (static_cast<std::size_t>(rows[i].message) != i) return false;
    return true;
}
static_assert(in_order(), "the message table follows the enum");
static_assert(rows.size() == static_cast<std::size_t>(Message::excluded_when) + 1, "a row per message");

}  // namespace

std::string_view message(Message m, Language language) noexcept {
    const Row& row = rows[static_cast<std::size_t>(m)];
    return language == Language::lt ? row.lt : row.en;
}

}  // namespace detail
KELIAS_END_NAMESPACE
