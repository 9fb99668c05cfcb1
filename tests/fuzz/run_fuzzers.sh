#!/usr/bin/env bash
# Runs the libFuzzer harnesses of the `fuzz` preset one after the other, each for a fixed
# time, and fails when any of them finds a crash, a leak, a timeout or an out-of-memory.
# `make fuzz` builds the preset and calls this script.
#
#   tests/fuzz/run_fuzzers.sh [--seconds N] [--jobs N] [--keep-going] [--build-dir DIR] [HARNESS...]
#
#   --seconds N     fuzzing time per harness (default: $FUZZ_SECONDS, else 60)
#   --jobs N        libFuzzer -jobs and -workers (default: $FUZZ_JOBS, else 1)
#   --keep-going    go on after a finding, to collect several in one run: libFuzzer's
#                   fork mode (-fork=N with N = --jobs, -ignore_crashes/_timeouts/_ooms)
#                   instead of -jobs (default: $FUZZ_KEEP_GOING = 1)
#   --build-dir DIR the fuzz preset's build folder (default: build/fuzz)
#   HARNESS         names such as `dates` or `rules_loader` (default: every
#                   tests/fuzz/fuzz_<name>.cpp)
#
# Per harness: the scratch corpus DIR/corpus/<name> (kept between runs) is fuzzed
# together with the committed seeds tests/fuzz/corpus/<name> (read only); findings are
# written to tests/fuzz/regressions/<name>/ as crash-*, leak-*, timeout-* or oom-*;
# libFuzzer's output goes to DIR/fuzz-logs/<name>/. At the end one line per harness gives
# the final exec/s, `cov` (covered code edges) and `ft` (features) from libFuzzer's last
# status line. Exits 1 when any harness produced a new artifact or failed to run.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
fuzz_src="$root/tests/fuzz"
seconds=${FUZZ_SECONDS:-60}
jobs=${FUZZ_JOBS:-1}
keep_going=${FUZZ_KEEP_GOING:-0}
build_dir="$root/build/fuzz"
harnesses=()

while [ $# -gt 0 ]; do
    case "$1" in
        --seconds) seconds=$2; shift 2 ;;
        --jobs) jobs=$2; shift 2 ;;
        --keep-going) keep_going=1; shift ;;
        --build-dir) build_dir=$2; shift 2 ;;
        -h|--help) sed -n '2,20s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; exit 0 ;;
        -*) echo "run_fuzzers: unknown option $1" >&2; exit 2 ;;
        *) harnesses+=("$1"); shift ;;
    esac
done
[[ "$seconds" =~ ^[1-9][0-9]*$ ]] || { echo "run_fuzzers: --seconds must be a positive integer, not '$seconds'" >&2; exit 2; }
[[ "$jobs" =~ ^[1-9][0-9]*$ ]] || { echo "run_fuzzers: --jobs must be a positive integer, not '$jobs'" >&2; exit 2; }
case "$build_dir" in /*) ;; *) build_dir="$root/$build_dir" ;; esac

if [ ${#harnesses[@]} -eq 0 ]; then
    for f in "$fuzz_src"/fuzz_*.cpp; do
        n=$(basename "$f" .cpp)
        harnesses+=("${n#fuzz_}")
    done
fi

# Limits: inputs up to 64 KB for whole files, less where more adds nothing. (CSV ratings
# used to need 8 KB, when every unknown header column cost an edit distance to each
# START:AV column; the reader now caps those hints, and a 1000-column header takes 0.1 s.)
max_len_of() {
    case "$1" in
        dates) echo 256 ;;
        expression) echo 4096 ;;
        *) echo 65536 ;;
    esac
}
dict_of() {
    case "$1" in
        case_json|ratings_jsonl|store_json) echo "$fuzz_src/json.dict" ;;
        ratings_csv|stats_csv) echo "$fuzz_src/csv.dict" ;;
        dates) echo "$fuzz_src/dates.dict" ;;
        *) echo "$fuzz_src/yaml.dict" ;;
    esac
}

artifacts_in() {  # the artifact files of a folder, one per line
    find "$1" -maxdepth 1 -type f \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) -printf '%f\n' 2>/dev/null | sort
}

# Prints a field of the last libFuzzer status line of the given logs ("-" when absent):
# `#N  DONE  cov: 1 ft: 2 corp: 3/4Kb ... exec/s: 5`, or in fork mode
# `#N: cov: 1 ft: 2 corp: 3 exec/s 5 ...`.
status_field() {  # status_field FIELD LOG...
    local line value
    line=$(grep -h -E '^#[0-9]+:?[[:space:]]+([A-Z]+[[:space:]]+)?cov: [0-9]+ ft: ' "${@:2}" 2>/dev/null | tail -n 1 || true)
    value=$(sed -n -E "s#.*[[:space:]]$1:? ([0-9]+[A-Za-z]*(/[0-9]+[A-Za-z]*)?).*#\1#p" <<<"$line" | head -n 1)
    echo "${value:--}"
}

# What an artifact does: the harness's own message, else the first sanitizer SUMMARY
# line, else libFuzzer's error; without the repository path.
signature_of() {  # signature_of BINARY ARTIFACT
    local out
    out=$(timeout 60 "$1" -runs=1 "$2" 2>&1 || true)
    {
        grep -m1 -E '^kelias fuzz: ' <<<"$out" ||
        grep -m1 -E '^SUMMARY: ' <<<"$out" ||
        grep -m1 -E 'ERROR: libFuzzer: ' <<<"$out" ||
        echo "does not reproduce"
    } | sed "s#$root/##g"
}

# Groups new artifacts by signature: one line per distinct finding, with the smallest
# file as its reproducer and the first `runtime error` or ASan line for it.
triage() {  # triage BINARY REGRESSIONS_DIR ARTIFACT...
    local bin=$1 dir=$2 a sig
    shift 2
    declare -A count=() smallest=()
    local order=()
    for a in "$@"; do
        sig=$(signature_of "$bin" "$dir/$a")
        if [ -z "${count[$sig]+x}" ]; then
            order+=("$sig"); count[$sig]=0; smallest[$sig]=$a
        fi
        count[$sig]=$((count[$sig] + 1))
        if [ "$(stat -c %s "$dir/$a")" -lt "$(stat -c %s "$dir/${smallest[$sig]}")" ]; then smallest[$sig]=$a; fi
    done
    for sig in "${order[@]}"; do
        echo "  - $sig"
        echo "    ${count[$sig]} file(s); smallest: ${dir#"$root"/}/${smallest[$sig]}"
        timeout 60 "$bin" -runs=1 "$dir/${smallest[$sig]}" 2>&1 |
            grep -m1 -E 'runtime error: |ERROR: AddressSanitizer|ERROR: LeakSanitizer|property violated' |
            sed -e "s#$root/##g" -e 's/^/    /' || true
    done
    distinct=${#order[@]}
}

summary=()
failed=0
for name in "${harnesses[@]}"; do
    bin="$build_dir/bin/fuzz_$name"
    if [ ! -x "$bin" ]; then
        echo "run_fuzzers: $bin is missing: build the fuzz preset first (make fuzz)" >&2
        summary+=("$(printf '%-18s %s' "$name" "NOT BUILT")")
        failed=1
        continue
    fi
    seeds="$fuzz_src/corpus/$name"
    regressions="$fuzz_src/regressions/$name"
    work="$build_dir/corpus/$name"
    logs="$build_dir/fuzz-logs/$name"
    mkdir -p "$seeds" "$regressions" "$work" "$logs"
    rm -f "$logs"/*.log
    before=$(artifacts_in "$regressions")

    args=(-max_total_time="$seconds" -max_len="$(max_len_of "$name")" -rss_limit_mb=2048 -timeout=10
          -dict="$(dict_of "$name")" -artifact_prefix="$regressions/" -print_final_stats=1)
    if [ "$keep_going" = 1 ]; then
        args+=(-fork="$jobs" -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1)
    elif [ "$jobs" -gt 1 ]; then
        args+=(-jobs="$jobs" -workers="$jobs")
    fi

    echo "run_fuzzers: $name for ${seconds}s (log: ${logs#"$root"/}/)"
    status=0
    # -jobs writes fuzz-<job>.log into the working folder: run there.
    (cd "$logs" && exec "$bin" "${args[@]}" "$work" "$seeds") >"$logs/libfuzzer.log" 2>&1 || status=$?

    new=$(comm -13 <(echo "$before") <(artifacts_in "$regressions") | sed '/^$/d' || true)
    cov=$(status_field cov "$logs"/*.log)
    ft=$(status_field ft "$logs"/*.log)
    execs=$(status_field exec/s "$logs"/*.log)
    corp=$(status_field corp "$logs"/*.log)
    if [ "$execs" = 0 ] || [ "$execs" = - ]; then  # fork mode reports 0: count runs / time
        runs=$(grep -h -o -E '^#[0-9]+' "$logs"/*.log | tail -n 1 | tr -d '#')
        took=$(status_field time "$logs"/*.log | tr -d 's')
        if [[ "$runs" =~ ^[0-9]+$ && "$took" =~ ^[1-9][0-9]*$ ]]; then execs=$((runs / took)); fi
    fi
    result="ok"
    if [ -n "$new" ]; then
        mapfile -t found <<<"$new"
        echo "run_fuzzers: $name wrote ${#found[@]} artifact(s) to ${regressions#"$root"/}/:"
        distinct=0
        triage "$bin" "$regressions" "${found[@]}"
        result="FOUND ${#found[@]} artifact(s), $distinct distinct"
        failed=1
    elif [ "$status" -ne 0 ]; then
        result="FAILED (exit $status, no artifact; see the log)"
        failed=1
        tail -n 20 "$logs/libfuzzer.log" | sed 's/^/  /'
    fi
    summary+=("$(printf '%-18s exec/s %-7s cov %-6s ft %-7s corp %-12s %s' "$name" "$execs" "$cov" "$ft" "$corp" "$result")")
done

echo
echo "run_fuzzers: ${seconds}s per harness, $jobs job(s)$([ "$keep_going" = 1 ] && echo ", fork mode (keep going)")"
printf '%s\n' "${summary[@]}"
if [ "$failed" -ne 0 ]; then
    echo
    echo "run_fuzzers: findings or failures above. Reproduce with build/fuzz/bin/fuzz_<name> FILE, minimize with"
    echo "  build/fuzz/bin/fuzz_<name> -minimize_crash=1 -runs=100000 -exact_artifact_path=OUT FILE,"
    echo "  and keep the reproducer in tests/fuzz/regressions/<name>/ under a descriptive name (see tests/fuzz/README.md)."
fi
exit "$failed"
