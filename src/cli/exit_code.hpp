#pragma once
/// \file exit_code.hpp
/// The exit codes every `kelias` command ends with (documented in `kelias --help`).

namespace kelias::cli {

enum ExitCode : int {
    exit_ok = 0,          ///< done, nothing rejected
    exit_usage = 1,       ///< usage error or invalid definition; nothing was processed
    exit_unreadable = 2,  ///< input unreadable: missing file, not CSV/JSONL/YAML, I/O error
    exit_rejected = 3,    ///< done, but some rows were rejected
    exit_refused = 4,     ///< `pathway apply`, `case ...`: refused; nothing was written
};

}  // namespace kelias::cli
