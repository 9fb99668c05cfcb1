#pragma once
// Values written for a person, in English or Lithuanian: durations in words, fractions as
// common fractions, numbers, yes/no. Used to fill placeholders of rule texts.
#include <string>

#include <kelias/date.hpp>
#include <kelias/language.hpp>

KELIAS_BEGIN_NAMESPACE
namespace detail {

/// `1 year 6 months`, `12 months`, `60 days`; in Lithuanian with the noun form the number
/// takes (`1 metai`, `12 mėnesių`, `2 dienos`). `P0D` is `0 days` / `0 dienų`.
std::string duration_words(const Duration& d, Language language);
/// A share as a common fraction when it is one with a denominator up to 12 (`1/4`, `2/3`),
/// otherwise as a percentage (`37.5%`).
std::string fraction_text(double x);
/// A number rounded to two decimals, without trailing zeros (`3`, `0.33`).
std::string number_text(double x);
/// `yes` / `no`, `taip` / `ne`.
std::string yes_no(bool b, Language language);

}  // namespace detail
KELIAS_END_NAMESPACE
