#!/usr/bin/env bash
# Runs one CLI end-to-end test for CTest (see kelias_cli_test() in
# tests/cli/CMakeLists.txt) and checks its exit code and output.
#
#   run_cli_test.sh --name NAME --kelias PATH --workdir DIR --exit CODE
#                   [--source-dir DIR] [--data-dir DIR]
#                   [--stdout RE] [--stderr RE] [--not-stdout RE] [--not-stderr RE]
#                   [--stdin FILE] [--stdout-file FILE]
#                   [--compare PRODUCED EXPECTED]... -- COMMAND [ARG...]
#
# A first word `kelias` in COMMAND is replaced by --kelias PATH. stdout and
# stderr are captured to DIR/stdout and DIR/stderr; DIR/tmp is exported as
# KELIAS_TEST_TMPDIR. Regexes are grep -E extended regexes matched per line.
# --stdout-file: stdout must equal FILE byte for byte. --compare: the file PRODUCED
# (relative to KELIAS_TEST_TMPDIR) must exist and equal EXPECTED byte for byte.
set -uo pipefail

name="" kelias="" workdir="" expected_exit="" source_dir="" data_dir="" stdin_file=/dev/null
stdout_re="" stderr_re="" not_stdout_re="" not_stderr_re=""
have_stdout=0 have_stderr=0 have_not_stdout=0 have_not_stderr=0
stdout_file="" compare_produced=() compare_expected=()

die() { echo "run_cli_test.sh: $*" >&2; exit 2; }

while [[ $# -gt 0 ]]; do
    case "$1" in
        --name)       name="${2?}"; shift 2 ;;
        --kelias)     kelias="${2?}"; shift 2 ;;
        --workdir)    workdir="${2?}"; shift 2 ;;
        --source-dir) source_dir="${2?}"; shift 2 ;;
        --data-dir)   data_dir="${2?}"; shift 2 ;;
        --exit)       expected_exit="${2?}"; shift 2 ;;
        --stdout)     stdout_re="${2?}"; have_stdout=1; shift 2 ;;
        --stderr)     stderr_re="${2?}"; have_stderr=1; shift 2 ;;
        --not-stdout) not_stdout_re="${2?}"; have_not_stdout=1; shift 2 ;;
        --not-stderr) not_stderr_re="${2?}"; have_not_stderr=1; shift 2 ;;
        --stdin)      stdin_file="${2?}"; shift 2 ;;
        --stdout-file) stdout_file="${2?}"; shift 2 ;;
        --compare)    compare_produced+=("${2?}"); compare_expected+=("${3?}"); shift 3 ;;
        --)           shift; break ;;
        *)            die "unknown option '$1'" ;;
    esac
done
[[ -n "$name" ]] || die "--name is required"
[[ -n "$kelias" ]] || die "--kelias is required"
[[ -n "$workdir" ]] || die "--workdir is required"
[[ "$expected_exit" =~ ^[0-9]+$ ]] || die "--exit CODE is required (got '$expected_exit')"
[[ $# -gt 0 ]] || die "no command given after --"
[[ -x "$kelias" ]] || die "kelias binary '$kelias' does not exist or is not executable (not built?)"
[[ -r "$stdin_file" ]] || die "stdin file '$stdin_file' is not readable"
[[ -z "$stdout_file" || -r "$stdout_file" ]] || die "expected stdout file '$stdout_file' is not readable"
for f in "${compare_expected[@]}"; do
    [[ -r "$f" ]] || die "expected file '$f' is not readable"
done

if [[ "$1" == "kelias" ]]; then
    shift
    set -- "$kelias" "$@"
fi

rm -rf -- "$workdir"
mkdir -p -- "$workdir/tmp" || die "cannot create $workdir"
out="$workdir/stdout"
err="$workdir/stderr"

export KELIAS="$kelias"
export KELIAS_TEST_TMPDIR="$workdir/tmp"
[[ -n "$source_dir" ]] && export KELIAS_SOURCE_DIR="$source_dir"
[[ -n "$data_dir" ]] && export KELIAS_TEST_DATA_DIR="$data_dir"

"$@" <"$stdin_file" >"$out" 2>"$err"
rc=$?

failures=()
if [[ "$rc" -ne "$expected_exit" ]]; then
    if [[ "$rc" -gt 128 && "$rc" -lt 160 ]]; then
        failures+=("exit code $rc (killed by signal $((rc - 128))), expected $expected_exit")
    elif [[ "$rc" -eq 127 ]]; then
        failures+=("exit code 127 (command not found?), expected $expected_exit")
    else
        failures+=("exit code $rc, expected $expected_exit")
    fi
fi
if [[ $have_stdout -eq 1 ]] && ! grep -Eq -e "$stdout_re" -- "$out"; then
    failures+=("stdout does not match /$stdout_re/")
fi
if [[ $have_stderr -eq 1 ]] && ! grep -Eq -e "$stderr_re" -- "$err"; then
    failures+=("stderr does not match /$stderr_re/")
fi
if [[ $have_not_stdout -eq 1 ]] && grep -Eq -e "$not_stdout_re" -- "$out"; then
    failures+=("stdout matches /$not_stdout_re/ but must not")
fi
if [[ $have_not_stderr -eq 1 ]] && grep -Eq -e "$not_stderr_re" -- "$err"; then
    failures+=("stderr matches /$not_stderr_re/ but must not")
fi
if [[ -n "$stdout_file" ]] && ! cmp -s -- "$stdout_file" "$out"; then
    failures+=("stdout differs from $stdout_file:"$'\n'"$(diff -- "$stdout_file" "$out" | head -n 40)")
fi
for i in "${!compare_produced[@]}"; do
    produced="$workdir/tmp/${compare_produced[$i]}"
    expected="${compare_expected[$i]}"
    if [[ ! -f "$produced" ]]; then
        failures+=("${compare_produced[$i]} was not written")
    elif ! cmp -s -- "$expected" "$produced"; then
        failures+=("${compare_produced[$i]} differs from $expected:"$'\n'"$(diff -- "$expected" "$produced" | head -n 40)")
    fi
done

show() { # label file
    local lines
    lines=$(wc -l <"$2")
    echo "--- $1 ($(wc -c <"$2") bytes, $2) ---"
    if [[ "$lines" -gt 200 ]]; then
        head -n 100 -- "$2"
        echo "[... $((lines - 200)) lines cut ...]"
        tail -n 100 -- "$2"
    else
        cat -- "$2"
    fi
    echo "--- end of $1 ---"
}

cmdline=$(printf '%q ' "$@")
if [[ ${#failures[@]} -eq 0 ]]; then
    echo "PASS $name: exit $rc: ${cmdline% }"
    exit 0
fi

echo "FAIL $name"
echo "  command:   ${cmdline% }"
echo "  directory: $(pwd)"
for f in "${failures[@]}"; do
    echo "  - $f"
done
show stdout "$out"
show stderr "$err"
exit 1
