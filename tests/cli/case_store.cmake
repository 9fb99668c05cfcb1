# CLI end-to-end tests of `kelias case ...` over a temporary case store (included from
# CMakeLists.txt). Each test sources case_store_lib.sh: a fresh store, the actors of the
# walk, and `refused CODE command...`, which checks the exit code and that an export
# before and after the command is byte for byte the same (a refused action changes nothing).
# `bash tests/cli/case_store_lib.sh SCRIPT` runs SCRIPT with them.

kelias_cli_test(NAME case_new EXIT 0 LABELS case_store STDOUT "^mode 600 600$"
    COMMAND bash tests/cli/case_store_lib.sh [=[umask 000; new_adult && k show $adult | head -1 &&
        echo mode $(stat -c %a "$KELIAS_DB") $(stat -c %a "$KELIAS_DB-wal" 2>/dev/null || echo 600)]=])
kelias_cli_test(NAME case_new_empty EXIT 0 LABELS case_store STDOUT "^Case LT-X-1 \\(version 1\\)$"
    COMMAND bash tests/cli/case_store_lib.sh [=[k new LT-X-1 --as-of 2025-06-01 && k show LT-X-1]=])
kelias_cli_test(NAME case_new_refusals EXIT 0 LABELS case_store
    STDOUT "^refused, unchanged: 4$" NOT_STDOUT "FAIL"
    COMMAND bash tests/cli/case_store_lib.sh [=[new_adult
        refused 4 k new $adult --facts examples/cases/adult_to_halfway_house.yaml
        refused 4 as NGO-1 ngo_worker new LT-X-2
        refused 4 as NGO-1 janitor new LT-X-2
        refused 4 as "" case_manager new LT-X-2
        refused 4 k new LT-NAMED-1 --facts tests/data/store/named_case.yaml 2>&1 | grep -v Petraitis]=])
kelias_cli_test(NAME case_new_named EXIT 4 LABELS case_store STDERR "E905.*person's name" NOT_STDERR "Petraitis"
    COMMAND bash tests/cli/case_store_lib.sh [=[k new LT-NAMED-1 --facts tests/data/store/named_case.yaml]=])
kelias_cli_test(NAME case_facts EXIT 0 LABELS case_store STDOUT "^  employed_or_studying: true$" NOT_STDOUT "FAIL"
    COMMAND bash tests/cli/case_store_lib.sh [=[new_adult
        k facts $adult --set employed_or_studying=true --expect-version 1 || exit 1
        refused 4 k facts $adult --set employed_or_studying=false --expect-version 1
        refused 3 k facts $adult --set no_such_fact=1
        refused 4 k facts NO-SUCH --set employed_or_studying=true
        refused 4 as CO-8 contact_officer facts $adult --set employed_or_studying=false
        k facts $adult --file examples/cases/adult_to_halfway_house.yaml || exit 1
        k facts $adult --set employed_or_studying=true --expect-version 3 || exit 1
        k show $adult]=])
kelias_cli_test(NAME case_facts_stale_message EXIT 4 LABELS case_store STDERR "E903.*at version 2, not 1"
    COMMAND bash tests/cli/case_store_lib.sh [=[new_adult; k facts $adult --set employed_or_studying=true >/dev/null
        k facts $adult --set employed_or_studying=false --expect-version 1]=])
kelias_cli_test(NAME case_assess EXIT 0 LABELS case_store NOT_STDOUT "FAIL"
    STDOUT "^  2 assessment finalised start_av@.* \\(amends 1\\) by PS-1"
    COMMAND bash tests/cli/case_store_lib.sh [=[new_adolescent
        refused 4 k assess $adolescent -i start_av --ratings tests/data/store/start_av_ratings.json
        refused 3 as PS-1 psychologist assess $adolescent -i start_av --ratings tests/data/store/bad_ratings.json
        refused 2 as PS-1 psychologist assess $adolescent -i start_av --ratings tests/data/store/no_such.json
        as PS-1 psychologist assess $adolescent -i start_av --ratings tests/data/store/start_av_ratings.json || exit 1
        refused 4 k assess $adolescent --record 1 --finalize
        as PS-1 psychologist assess $adolescent --record 1 --finalize || exit 1
        refused 4 as PS-1 psychologist assess $adolescent --record 1 --finalize
        as PS-1 psychologist assess $adolescent -i start_av --ratings tests/data/store/start_av_ratings_changed.json --finalize --amends 1 || exit 1
        k show $adolescent]=])
kelias_cli_test(NAME case_eligibility EXIT 0 LABELS case_store STDOUT "halfway_house" NOT_STDOUT "FAIL"
    COMMAND bash tests/cli/case_store_lib.sh [=[new_adult
        k eligibility $adult --as-of 2025-06-01 --explain || exit 1
        k show $adult --format json | python3 -c 'import json,sys
d=json.load(sys.stdin); r=d["records"][0]; print(r["kind"], r["state"], r["subject"], r["hash"][:7])']=])
kelias_cli_test(NAME case_eligibility_json EXIT 0 LABELS case_store STDOUT "^eligibility recorded lt_release_pathway@"
    COMMAND bash tests/cli/case_store_lib.sh [=[new_adult
        k eligibility $adult --as-of 2025-06-01 --format json >/dev/null &&
        k show $adult --format json | python3 -c 'import json,sys
d=json.load(sys.stdin); r=d["records"][0]; print(r["kind"], r["state"], r["subject"])']=])
kelias_cli_test(NAME case_plan EXIT 0 LABELS case_store NOT_STDOUT "FAIL"
    STDOUT "^  1 plan approved initial by CM-4 \\(case_manager\\) .*[;] approved by PA-2 \\(prison_administration\\)"
    COMMAND bash tests/cli/case_store_lib.sh [=[new_adult
        refused 4 k plan $adult --approve
        k plan $adult --as-of 2025-06-01 >/dev/null || exit 1
        refused 4 k plan $adult --approve
        refused 4 as NGO-1 ngo_worker plan $adult --as-of 2025-06-01
        as PA-2 prison_administration plan $adult --approve || exit 1
        refused 4 as PA-2 prison_administration plan $adult --approve --record 1
        k show $adult]=])
kelias_cli_test(NAME case_override EXIT 0 LABELS case_store NOT_STDOUT "FAIL"
    STDOUT "^  2 override approved violence.estimate by PS-1 \\(psychologist\\) .*approved by PS-2"
    COMMAND bash tests/cli/case_store_lib.sh [=[new_adolescent
        as PS-1 psychologist assess $adolescent -i start_av --ratings tests/data/store/start_av_ratings.json --finalize || exit 1
        refused 4 as PS-1 psychologist override $adolescent -i start_av --name violence.estimate --chosen low
        refused 4 as PS-1 psychologist override $adolescent -i start_av --name no_such --chosen low --reason r
        refused 4 as CO-8 contact_officer override $adolescent -i start_av --name violence.estimate --chosen low --reason r
        as PS-1 psychologist override $adolescent -i start_av --name violence.estimate --chosen low --reason "progress in the last three months" || exit 1
        refused 4 as PS-1 psychologist override $adolescent --approve --record 2
        refused 4 k override $adolescent --approve --record 2
        as PS-2 psychologist override $adolescent --approve --record 2 || exit 1
        k show $adolescent]=])
kelias_cli_test(NAME case_event EXIT 0 LABELS case_store NOT_STDOUT "FAIL" STDOUT "^  2025-06-05 incident by CO-17 \\(contact_officer\\)$"
    COMMAND bash tests/cli/case_store_lib.sh [=[new_adolescent
        refused 4 as NGO-1 ngo_worker event $adolescent incident --as-of 2025-06-05
        refused 4 as CO-17 contact_officer event $adolescent no_such_type --as-of 2025-06-05
        as CO-17 contact_officer event $adolescent incident --as-of 2025-06-05 --detail kind=fight >/dev/null || exit 1
        refused 4 as CO-17 contact_officer event $adolescent incident --as-of 2025-05-01
        k show $adolescent --as-of 2025-06-05]=])
kelias_cli_test(NAME case_moves EXIT 0 LABELS case_store NOT_STDOUT "FAIL"
    STDOUT "^LT-2025-0302 v4 halfway_house "
    COMMAND bash tests/cli/case_store_lib.sh [=[new_adult
        refused 4 as CO-8 contact_officer propose $adult to_halfway_house --as-of 2025-06-02
        refused 4 k decide $adult to_halfway_house --decision granted --as-of 2025-06-02
        k propose $adult to_halfway_house --as-of 2025-06-02 >/dev/null || exit 1
        refused 4 k decide $adult to_halfway_house --decision granted --as-of 2025-06-10
        refused 4 as PA-2 prison_administration carry-out $adult to_halfway_house --as-of 2025-06-10
        as TC-1 transfer_commission decide $adult to_halfway_house --decision granted --as-of 2025-06-10 >/dev/null || exit 1
        as PA-2 prison_administration carry-out $adult to_halfway_house --as-of 2025-06-16 >/dev/null || exit 1
        k list --placement halfway_house; k list --placement closed]=])
kelias_cli_test(NAME case_show_json EXIT 0 LABELS case_store STDOUT "^LT-2025-0302 1 semi_open$"
    COMMAND bash tests/cli/case_store_lib.sh [=[new_adult; k show $adult --format json | python3 -c 'import json,sys
d=json.load(sys.stdin); print(d["case"]["case"], d["version"], d["case"]["placements"][-1]["placement"])']=])
kelias_cli_test(NAME case_show_unknown EXIT 4 LABELS case_store STDERR "E904.*no case 'NO-SUCH'"
    COMMAND bash tests/cli/case_store_lib.sh [=[new_adult; k show NO-SUCH]=])
kelias_cli_test(NAME case_list_due EXIT 0 LABELS case_store STDOUT "obligation +Find a job or start studies"
    COMMAND bash tests/cli/case_store_lib.sh [=[new_adult; new_adolescent
        k propose $adult to_halfway_house --as-of 2025-06-02 >/dev/null
        as TC-1 transfer_commission decide $adult to_halfway_house --decision granted --as-of 2025-06-10 >/dev/null
        as PA-2 prison_administration carry-out $adult to_halfway_house --as-of 2025-06-16 >/dev/null
        k list; k list --due --as-of 2025-06-20 --within P60D]=])
kelias_cli_test(NAME case_history EXIT 0 LABELS case_store
    STDOUT "^3 .* CM-4 \\(case_manager\\) read_case case$" NOT_STDOUT "Petraitis|strength"
    COMMAND bash tests/cli/case_store_lib.sh [=[new_adult; k facts $adult --set employed_or_studying=true >/dev/null
        k show $adult >/dev/null; k history $adult]=])
kelias_cli_test(NAME case_history_refused EXIT 0 LABELS case_store STDOUT "^refusals audited$" NOT_STDOUT "janitor|X-1"
    COMMAND bash tests/cli/case_store_lib.sh [=[new_adult
        as CO-8 contact_officer facts $adult --set employed_or_studying=false 2>/dev/null
        as X-1 janitor show $adult 2>/dev/null
        h=$(k history $adult); echo "$h"
        grep -qF 'CO-8 (contact_officer) refused edit_facts after={"why":"role_not_allowed"}' <<<"$h" &&
            grep -qF '(no valid actor) refused read_case after={"why":"unknown_role"}' <<<"$h" && echo "refusals audited"]=])
kelias_cli_test(NAME case_history_no_ratings EXIT 0 LABELS case_store STDOUT "record_assessment" NOT_STDOUT "strength|vulnerability"
    COMMAND bash tests/cli/case_store_lib.sh [=[new_adolescent
        as PS-1 psychologist assess $adolescent -i start_av --ratings tests/data/store/start_av_ratings.json >/dev/null
        k history $adolescent]=])
kelias_cli_test(NAME case_export_import EXIT 0 LABELS case_store STDOUT "^round trip: identical$" NOT_STDOUT "FAIL"
    COMMAND bash tests/cli/case_store_lib.sh [=[new_adult; new_adolescent
        as PS-1 psychologist assess $adolescent -i start_av --ratings tests/data/store/start_av_ratings.json --finalize >/dev/null
        k propose $adult to_halfway_house --as-of 2025-06-02 >/dev/null
        k plan $adult --as-of 2025-06-02 >/dev/null
        refused 4 k export -o "$KELIAS_TEST_TMPDIR/x.jsonl"
        as PA-2 prison_administration export -o "$KELIAS_TEST_TMPDIR/first.jsonl" || exit 1
        test "$(stat -c %a "$KELIAS_TEST_TMPDIR/first.jsonl")" = 600 || { echo "FAIL: export not 0600"; exit 1; }
        KELIAS_DB="$KELIAS_TEST_TMPDIR/second.db" as PA-2 prison_administration import "$KELIAS_TEST_TMPDIR/first.jsonl" || exit 1
        KELIAS_DB="$KELIAS_TEST_TMPDIR/second.db" as PA-2 prison_administration export -o "$KELIAS_TEST_TMPDIR/second.jsonl"
        KELIAS_DB="$KELIAS_TEST_TMPDIR/second.db" refused 4 as PA-2 prison_administration import "$KELIAS_TEST_TMPDIR/first.jsonl"
        cmp "$KELIAS_TEST_TMPDIR/first.jsonl" "$KELIAS_TEST_TMPDIR/second.jsonl" && echo "round trip: identical"]=])
kelias_cli_test(NAME case_import_malformed EXIT 3 LABELS case_store STDERR "E703"
    COMMAND bash tests/cli/case_store_lib.sh [=[echo '{"kelias":"case_store","format":"1"}
{"case":"A","version":"x"}' > "$KELIAS_TEST_TMPDIR/bad.jsonl"
        as PA-2 prison_administration import "$KELIAS_TEST_TMPDIR/bad.jsonl"]=])
kelias_cli_test(NAME case_verify EXIT 0 LABELS case_store STDOUT "^audit chain verified: 3 entries$"
    COMMAND bash tests/cli/case_store_lib.sh [=[new_adult; k facts $adult --set employed_or_studying=true >/dev/null
        k show $adult >/dev/null; k verify]=])
kelias_cli_test(NAME case_verify_tampered EXIT 3 LABELS case_store
    STDERR "does not verify at audit entry 2: its content does not match its hash"
    COMMAND bash tests/cli/case_store_lib.sh [=[new_adult; k facts $adult --set employed_or_studying=true >/dev/null
        k show $adult >/dev/null
        python3 -c 'import sqlite3,sys
db=sqlite3.connect(sys.argv[1])
try:
    db.execute("UPDATE audit SET actor = ? WHERE seq = 2", ("SOMEONE",)); sys.exit("the trigger let it through")
except sqlite3.DatabaseError: pass
db.execute("DROP TRIGGER audit_no_update"); db.execute("UPDATE audit SET actor = ? WHERE seq = 2", ("SOMEONE",)); db.commit()' "$KELIAS_DB" || exit 1
        k verify]=])
kelias_cli_test(NAME case_store_unopenable EXIT 2 LABELS case_store STDERR "E901"
    COMMAND bash tests/cli/case_store_lib.sh [=[k --db "$KELIAS_TEST_TMPDIR/no/such/dir/x.db" verify]=])
kelias_cli_test(NAME case_import_missing EXIT 2 LABELS case_store STDERR "E000.*cannot read the export"
    COMMAND bash tests/cli/case_store_lib.sh [=[as PA-2 prison_administration import "$KELIAS_TEST_TMPDIR/none.jsonl"]=])
kelias_cli_test(NAME case_show_lt EXIT 0 LABELS case_store STDOUT "^Byla LT-2025-0302 \\(versija 1\\)$"
    COMMAND bash tests/cli/case_store_lib.sh [=[new_adult; k show $adult --lang lt --as-of 2025-06-01]=])

# `case report`: the stored case (with its finalised assessments) through the report
# library; `case unit-report`: every case with the store's approved overrides.
kelias_cli_test(NAME case_report EXIT 0 LABELS case_store NOT_STDOUT "FAIL"
    STDOUT "^html 600 chart 1 lt 1 md 1 json strength 18 -> 24$"
    COMMAND bash tests/cli/case_store_lib.sh [=[k new LT-2025-0105 --facts examples/cases/adolescent_kaunas_review.yaml >/dev/null || exit 1
        out=$KELIAS_TEST_TMPDIR
        k report LT-2025-0105 --as-of 2025-06-15 -o $out/r.html || exit 1
        k report LT-2025-0105 --as-of 2025-06-15 --lang lt -o $out/r.lt.html || exit 1
        k report LT-2025-0105 --as-of 2025-06-15 --format md --variant handover -o $out/r.md || exit 1
        k report LT-2025-0105 --as-of 2025-06-15 --format json -o $out/r.json || exit 1
        refused 4 k report NO-SUCH -o $out/none.html
        [ -e $out/none.html ] && echo "FAIL: a report for an unknown case"
        refused 4 as X-1 janitor report LT-2025-0105 -o $out/none.html
        echo html $(stat -c %a $out/r.html) chart $(grep -c 'id="profile-chart"' $out/r.html) \
            lt $(grep -c 'lang="lt"' $out/r.lt.html) md $(grep -c '^# Handover' $out/r.md) \
            json $(python3 -c 'import json,sys
d=json.load(open(sys.argv[1]))
t=d["profile"]["totals"][0]; print(t["score"].split("_")[0], t["previous"], "->", t["value"])' $out/r.json)]=])
kelias_cli_test(NAME case_unit_report EXIT 0 LABELS case_store NOT_STDOUT "FAIL"
    STDOUT "PS-1 +1 +1 +1 +100\\.0 %"
    COMMAND bash tests/cli/case_store_lib.sh [=[new_adolescent
        as PS-1 psychologist assess $adolescent -i start_av --ratings tests/data/store/start_av_ratings.json --finalize >/dev/null || exit 1
        as PS-1 psychologist override $adolescent -i start_av --name violence.estimate --chosen low --reason "recent progress" >/dev/null || exit 1
        as PS-2 psychologist override $adolescent --approve --record 2 >/dev/null || exit 1
        k unit-report --as-of 2025-06-15 --format md -o - | sed 's/|/ /g']=])
