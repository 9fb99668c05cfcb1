#!/usr/bin/env bash
# Walks a case through the event files of a folder with `kelias pathway apply`, each step
# reading the case the last applied step wrote. Prints one line: the exit code of every
# step, then the placement, the moves allowed and the obligations at the end, e.g.
#   exits 4 0 4 0 0 | halfway_house | allowed: - | obligations: find_job=open
# Usage: pathway_walk.sh CASE EVENT_DIR   (KELIAS, KELIAS_TEST_TMPDIR set by the runner)
set -u
# The shipped pathway with the rule set it names (lt_release_pathway).
rules=(-p instruments/lt_pathway.yaml)
current=$1
exits=()
i=0
for event in "$2"/*.yaml; do
    i=$((i + 1))
    out="$KELIAS_TEST_TMPDIR/step$i.json"
    "$KELIAS" pathway apply "${rules[@]}" "$current" "$event" -o "$out" >"$KELIAS_TEST_TMPDIR/step$i.txt" 2>&1
    code=$?
    exits+=("$code")
    if [ "$code" -eq 0 ]; then
        current=$out
    elif [ -e "$out" ]; then
        echo "refused step $i wrote $out"
        exit 1
    fi
done
"$KELIAS" pathway moves "${rules[@]}" "$current" --format json | python3 -c '
import json, sys
m = json.load(sys.stdin)
allowed = [x["move"] for x in m["moves"] if x["allowed"]] or ["-"]
obligations = [o["obligation"] + "=" + o["status"] for o in m["obligations"]] or ["-"]
print("exits", *sys.argv[1:], "|", m["placement"], "| allowed:", ",".join(allowed), "| obligations:", ",".join(obligations))' "${exits[@]}"
