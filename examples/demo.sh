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
pathways=()
policies=()
for file in instruments/*.yaml examples/instruments/*.yaml; do
    case "$(sed -nE "s/^kind:[ ]*[\"']?([a-z_]+).*/\1/p" "$file" | head -1)" in
    rules) rule_sets+=("$file") ;;
    pathway) pathways+=("$file") ;;
    plan_policy) policies+=("$file") ;;
    *) definitions+=("$file") ;;
    esac
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

    if [[ ${#pathways[@]} -gt 0 ]]; then
        heading "Check the release pathway against its rule set, with its embedded tests" pathway validate "${pathways[@]}"
        run pathway validate "${pathways[@]}"
    fi
    if [[ ${#policies[@]} -gt 0 ]]; then
        heading "Check the plan policy and run its embedded tests" plan test "${policies[@]}"
        run plan validate "${policies[@]}"
        run plan test "${policies[@]}"
    fi

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

# One adult's case from assessment to plan to a move: START ratings in the case file are
# scored by the rules, the plan follows from the scores and the decisions, and a move to
# the halfway house is refused for the wrong role, then proposed by the right one.
case_file=examples/cases/adult_to_halfway_house.yaml
if [[ -f instruments/lt_plan_policy.yaml && -f instruments/lt_pathway.yaml && -f "$case_file" ]]; then
    heading "One case: what the person may enter now, from the START assessment in the case" \
        eligibility --rules lt_release_pathway "$case_file"
    run eligibility --rules lt_release_pathway "$case_file"

    heading "The case plan: targets, interventions by risk, strengths, review date (each line names its origin)" \
        plan --policy lt_plan_policy --rules lt_release_pathway "$case_file"
    run plan --policy lt_plan_policy --rules lt_release_pathway "$case_file"

    heading "The same plan in Lithuanian" plan --policy lt_plan_policy --rules lt_release_pathway "$case_file" --lang lt
    run plan --policy lt_plan_policy --rules lt_release_pathway "$case_file" --lang lt

    heading "Which pathway moves are open to the case" pathway moves --pathway lt_pathway "$case_file"
    run pathway moves --pathway lt_pathway "$case_file"

    event_dir=examples/cases/events/adult_hwh
    heading "A contact officer proposes the halfway house: refused (exit 4), nothing written" \
        pathway apply --pathway lt_pathway "$case_file" "$event_dir/01_propose_by_contact_officer.yaml" -o "$work/case.json"
    rc=0
    "$KELIAS" pathway apply --pathway lt_pathway "$case_file" "$event_dir/01_propose_by_contact_officer.yaml" \
        -o "$work/case.json" || rc=$?
    if [[ $rc -ne 4 || -e "$work/case.json" ]]; then
        echo "demo: the refused move should exit 4 and write nothing (exit $rc)" >&2
        exit 1
    fi
    printf '(exit 4: refused; %s was not written)\n' "case.json"

    heading "The case manager proposes it: allowed, the new case document is written" \
        pathway apply --pathway lt_pathway "$case_file" "$event_dir/02_propose.yaml" -o "$work/case.json"
    run pathway apply --pathway lt_pathway "$case_file" "$event_dir/02_propose.yaml" -o "$work/case.json"

    heading "What happens next: the transfer commission decides" pathway moves --pathway lt_pathway case.json
    run pathway moves --pathway lt_pathway "$work/case.json"
fi

# The case store (`kelias case ...`): one adult's case kept in a SQLite file from intake to
# a halfway house, each step by the role the pathway allows, every change and read in the
# audit log; then an adolescent's START:AV assessments. The store and the reports are
# kept in build/demo/ so the reports can be opened after the demo.
if [[ -f examples/store/adult_intake.yaml ]]; then
    demo_dir="${KELIAS_DEMO_DIR:-build/demo}"
    mkdir -p "$demo_dir"
    export KELIAS_DB="$demo_dir/unit.db"
    rm -f -- "$KELIAS_DB" "$KELIAS_DB-wal" "$KELIAS_DB-shm"
    adult=LT-2024-0917
    # Runs `kelias case` as ACTOR ROLE; a refusal (exit 4) is expected only through `refused`.
    as() { local actor=$1 role=$2; shift 2; heading "$role $actor: $1 ${2:-}" case "$@" --actor "$actor" --role "$role"; run case "$@" --actor "$actor" --role "$role"; }
    refused() {
        local actor=$1 role=$2; shift 2
        heading "$role $actor: $1 ${2:-} (refused: exit 4, nothing changes)" case "$@" --actor "$actor" --role "$role"
        local rc=0
        "$KELIAS" case "$@" --actor "$actor" --role "$role" || rc=$?
        if [[ $rc -ne 4 ]]; then echo "demo: expected a refusal (exit 4), got $rc" >&2; exit 1; fi
    }
    as PA-1 prison_administration new $adult --facts examples/store/adult_intake.yaml --as-of 2024-09-02
    as PS-1 psychologist assess $adult -i start --ratings examples/store/start_intake.json --finalize --as-of 2024-09-05
    as CM-4 case_manager eligibility $adult --as-of 2024-09-05
    as CM-4 case_manager plan $adult --kind initial --as-of 2024-09-06
    as PA-1 prison_administration plan $adult --approve --as-of 2024-09-09
    # Three months on: the review assessment shows the risk come down.
    as PS-1 psychologist assess $adult -i start --ratings examples/store/start_review.json --finalize --as-of 2024-11-28
    as CM-4 case_manager event $adult plan_review --as-of 2024-11-28
    as CM-4 case_manager plan $adult --kind review --as-of 2024-11-28
    as PA-1 prison_administration plan $adult --approve --as-of 2024-11-29
    as CM-4 case_manager eligibility $adult --as-of 2024-11-28
    refused CM-4 case_manager propose $adult to_halfway_house --as-of 2024-11-28
    refused CO-8 contact_officer propose $adult to_halfway_house --as-of 2024-12-01
    as CM-4 case_manager propose $adult to_halfway_house --as-of 2024-12-01
    as TC-1 transfer_commission decide $adult to_halfway_house --decision granted --as-of 2024-12-01
    as PA-2 prison_administration carry-out $adult to_halfway_house --as-of 2024-12-01
    as HW-1 hwh_staff event $adult job_started --as-of 2024-12-20
    as CM-4 case_manager show $adult --as-of 2024-12-20
    as CM-4 case_manager report $adult --as-of 2024-12-20 -o "$demo_dir/$adult.html"
    as CM-4 case_manager report $adult --as-of 2024-12-20 --lang lt -o "$demo_dir/$adult.lt.html"

    adolescent=LT-2025-0301
    as PA-1 prison_administration new $adolescent --facts examples/cases/adolescent_kaunas_pathway.yaml --as-of 2025-06-01
    as PS-1 psychologist assess $adolescent -i start_av --ratings examples/store/start_av_intake.json --finalize --as-of 2025-06-01
    as PS-1 psychologist assess $adolescent -i start_av --ratings examples/store/start_av_review.json --finalize --as-of 2025-08-20
    as PS-1 psychologist report $adolescent --as-of 2025-08-20 --variant handover -o "$demo_dir/$adolescent.handover.html"
    as PA-1 prison_administration unit-report --as-of 2025-08-20 -o "$demo_dir/unit.html"
    as PA-1 prison_administration verify

    printf '\nThe case store is %s; the reports are:\n' "$KELIAS_DB"
    for f in "$demo_dir/$adult.html" "$demo_dir/$adult.lt.html" "$demo_dir/$adolescent.handover.html" "$demo_dir/unit.html"; do
        printf '  %s\n' "$(realpath "$f")"
    done
fi

printf '\nDemo finished.\n'
