#!/usr/bin/env bash
# A short walk through the reference CLI with the shipped START:AV definition
# and the synthetic example ratings. Run it with `make demo`, or directly after
# a build:  KELIAS=build/release/bin/kelias bash examples/demo.sh
#
# The example data are invented; no real person is in them.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
KELIAS="${KELIAS:-build/release/bin/kelias}"
if [[ ! -x "$KELIAS" ]]; then
    echo "demo: '$KELIAS' not found; run 'make build' first or set KELIAS" >&2
    exit 1
fi

# Output files go to a private scratch folder that is removed at the end.
work="$(mktemp -d "${TMPDIR:-/tmp}/kelias-demo.XXXXXX")"
trap 'rm -rf -- "$work"' EXIT

step=0
heading() {
    step=$((step + 1))
    printf '\n== %d. %s\n' "$step" "$1"
    shift
    printf '   $ kelias'
    printf ' %s' "$@"
    printf '\n\n'
}

# Runs kelias; exit 3 (done, some rows rejected) is reported, not fatal.
run() {
    local rc=0
    "$KELIAS" "$@" || rc=$?
    if [[ $rc -eq 3 ]]; then
        echo "(exit 3: done, but some rows were rejected; see the messages above)"
    elif [[ $rc -ne 0 ]]; then
        echo "demo: 'kelias $*' failed with exit code $rc" >&2
        exit "$rc"
    fi
}

shopt -s nullglob
definitions=()
rule_sets=()
for file in instruments/*.yaml examples/instruments/*.yaml; do
    if grep -qE "^kind:[ ]*[\"']?rules" "$file"; then rule_sets+=("$file"); else definitions+=("$file"); fi
done
if [[ ${#definitions[@]} -eq 0 ]]; then
    echo "demo: no instrument files in instruments/ or examples/instruments/" >&2
    exit 1
fi

heading "Check every definition file" instrument validate "${definitions[@]}"
run instrument validate "${definitions[@]}"

heading "Run the test cases embedded in each definition" instrument test "${definitions[@]}"
run instrument test "${definitions[@]}"

heading "Score the example START:AV assessments (CSV to stdout)" \
    score --instrument start_av examples/data/start_av_ratings.csv
run score --instrument start_av examples/data/start_av_ratings.csv

heading "Explain how one assessment's scores were reached" \
    score --instrument start_av examples/data/start_av_ratings.csv --explain Y0003 -o "$work/scores.csv"
run score --instrument start_av examples/data/start_av_ratings.csv --explain Y0003 -o "$work/scores.csv"

if [[ -f "$work/scores.csv" ]]; then
    printf '\nPermissions of the written scores file:\n'
    ls -l "$work/scores.csv" | sed "s|$work/||"
fi

if [[ ${#rule_sets[@]} -gt 0 ]]; then
    heading "Check the eligibility rule sets and run their embedded tests" rules test "${rule_sets[@]}"
    run rules validate "${rule_sets[@]}"
    run rules test "${rule_sets[@]}"

    heading "Decide one case: who may enter what on 2025-06-01, and why" \
        eligibility --rules lt_release_pathway examples/cases/hwh_eligible_later.yaml --as-of 2025-06-01
    run eligibility --rules lt_release_pathway examples/cases/hwh_eligible_later.yaml --as-of 2025-06-01

    heading "A case with missing facts, explained condition by condition" \
        eligibility --rules lt_release_pathway examples/cases/missing_facts.yaml --explain
    run eligibility --rules lt_release_pathway examples/cases/missing_facts.yaml --explain

    heading "A batch of cases as JSON lines (one line is malformed on purpose)" \
        eligibility --rules lt_release_pathway examples/cases/batch.jsonl -o "$work/decisions.jsonl"
    run eligibility --rules lt_release_pathway examples/cases/batch.jsonl -o "$work/decisions.jsonl"
    printf '\nDecisions per case (from %s):\n' "decisions.jsonl"
    python3 -c 'import json,sys
for line in open(sys.argv[1]):
    c = json.loads(line)
    print("  " + c["case"] + ": " + ", ".join(d["programme"] + "=" + d["decision"] for d in c["decisions"][:4]) + ", ...")' "$work/decisions.jsonl"
fi

printf '\nDemo finished.\n'
