# Runs a `kelias case` CLI test (tests/cli/case_store.cmake), `bash case_store_lib.sh SCRIPT`:
# SCRIPT runs with a fresh store in the test's scratch folder, the actors of the walk and
# the helpers below.
set -u
export KELIAS_DB="$KELIAS_TEST_TMPDIR/cases.db"
export KELIAS_ACTOR=CM-4 KELIAS_ROLE=case_manager
k() { "$KELIAS" case "$@"; }
as() { local actor=$1 role=$2; shift 2; KELIAS_ACTOR=$actor KELIAS_ROLE=$role "$KELIAS" case "$@"; }
adult=LT-2025-0302
adolescent=LT-2025-0301
new_adult() { k new $adult --facts examples/cases/adult_to_halfway_house.yaml >/dev/null; }
new_adolescent() { k new $adolescent --facts examples/cases/adolescent_kaunas_pathway.yaml >/dev/null; }
# The store's content (not its audit log) as exported by the administration.
snapshot() { as PA-2 prison_administration export -o "$KELIAS_TEST_TMPDIR/$1.jsonl"; }
# Runs a command that must be refused with exit code $1 and must change nothing.
refused() {
    local want=$1; shift
    snapshot before
    "$@"
    local got=$?
    snapshot after
    if [ "$got" != "$want" ]; then echo "FAIL: exit $got, expected $want: $*"; exit 1; fi
    if ! cmp -s "$KELIAS_TEST_TMPDIR/before.jsonl" "$KELIAS_TEST_TMPDIR/after.jsonl"; then
        echo "FAIL: the store changed: $*"; exit 1
    fi
    echo "refused, unchanged: $want"
}

eval "$1"
