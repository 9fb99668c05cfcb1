#pragma once
/// \file csv_columns.hpp
/// Reading named columns of a CSV file for analysis (`kelias stats`, `kelias.stats`):
/// numeric columns as doubles with NaN for a missing value, categorical columns as text
/// with "" for a missing value. Every problem is reported with its line and column.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <kelias/diagnostic.hpp>

KELIAS_BEGIN_NAMESPACE

struct CsvColumnsOptions {
    std::vector<std::string> numeric{};                ///< columns read as numbers
    std::vector<std::string> categorical{};            ///< columns read as text
    char delimiter = 0;                                ///< `,` `;` or tab; 0 = found from the header
    std::string source_name{};                         ///< how messages call the input (default: the path)
    std::size_t max_errors = 20;                       ///< bad cells reported before reading stops
    std::uint64_t max_bytes = std::uint64_t{1} << 30;  ///< the input is read whole: larger is E801
    std::size_t max_columns = 10000;                   ///< cells of the header: more is E801
};

/// The columns asked for, in the order asked for. Missing values: in a numeric column an
/// empty cell, `NA` or `na` (NaN); in a categorical column an empty cell or `NA` (""). Cells are
/// trimmed of spaces.
struct CsvColumns {
    std::size_t rows = 0;
    std::vector<std::size_t> lines{};  ///< the line each row starts on (the header is line 1)
    std::vector<std::string> numeric_names{};
    std::vector<std::vector<double>> numeric{};
    std::vector<std::string> categorical_names{};
    std::vector<std::vector<std::string>> categorical{};

    /// The numeric column `name`; throws std::out_of_range when it was not asked for.
    std::span<const double> number(std::string_view name) const;
    /// The categorical column `name`; throws std::out_of_range when it was not asked for.
    std::span<const std::string> category(std::string_view name) const;
};

/// Reads the named columns of a CSV file ("-" = standard input); other columns are
/// ignored. RFC 4180 quoting, a UTF-8 byte-order mark is skipped, blank lines are skipped.
/// Errors, all at once (up to options.max_errors cells): E000 the file cannot be read;
/// E801 the input is over max_bytes (it is read whole) or its header over max_columns;
/// E501 a column asked for is not in the header (the hint lists the header); E502 a cell
/// of a numeric column that is not a number, or a row with another number of cells than
/// the header, each at FILE:LINE:COLUMN (the cell's value is never shown). Nothing is
/// returned when there is an error: statistics on silently thinned data would mislead.
Result<CsvColumns> read_csv_columns(const std::string& path, const CsvColumnsOptions& options);
/// The same from text in memory (`name` in messages).
Result<CsvColumns> read_csv_columns_text(std::string text, const std::string& name, const CsvColumnsOptions& options);

KELIAS_END_NAMESPACE
