# CLI regression tests for the defects of the core hardening issue, one or more per defect
# (the name says which). Included by tests/cli/CMakeLists.txt; see kelias_cli_test() there.
set(defects tests/cli/data/defects)

# 1. A typo in a condition of a rule set with tests: located errors, not SIGSEGV.
kelias_cli_test(NAME defect_01_typo_in_rules_with_tests EXIT 1 LABELS rules
    STDERR [=[rules_test_typo\.yaml:12:63: error\[E308\]: 'semi-open' is not a code of scale 'regime'$]=]
    COMMAND kelias rules validate ${defects}/rules_test_typo.yaml)

# 2. Durations keep their days; out-of-range durations are refused cases.
kelias_cli_test(NAME defect_02_durations EXIT 3 LABELS rules
    STDOUT [=[^d1: long_sentence=eligible$]=]
    STDERR [=[^line 2 \(case d2\): facts\.length: expected an ISO-8601 duration]=]
    COMMAND kelias eligibility -r ${defects}/rules_duration.yaml ${defects}/durations.jsonl --brief --format text)

# 6. --brief JSON is escaped like every other JSON output.
kelias_cli_test(NAME defect_06_brief_json_is_valid EXIT 0 LABELS rules STDOUT "^valid 2$"
    COMMAND bash -c [=["$KELIAS" eligibility -r tests/cli/data/defects/rules_quoted_version.yaml tests/cli/data/defects/quoted.jsonl --brief | python3 -c 'import json,sys
lines = [json.loads(l) for l in sys.stdin]
assert lines[0]["rules"] == "quoted@1 \"draft\" \\ two", lines[0]
assert lines[1]["case"] == "q \"two\"", lines[1]
print("valid", len(lines))']=])

# 9. The CLI contract: an unwritable output is exit 2 for every command; a byte-order mark
#    starts JSON lines as it starts CSV; absent item columns are named in a warning.
kelias_cli_test(NAME defect_09_unwritable_output_eligibility EXIT 2 LABELS rules STDERR "error\\[E803\\]"
    COMMAND kelias eligibility -r tests/cli/data/rules_small.yaml ${defects}/cases_bom.jsonl -o /nonexistent-folder/out.jsonl)
kelias_cli_test(NAME defect_09_bom_ratings_jsonl EXIT 0 STDOUT [=[^J2,1,1,3,]=]
    COMMAND kelias score -i tests/cli/data/tiny.yaml ${defects}/ratings_bom.jsonl)
kelias_cli_test(NAME defect_09_bom_cases_jsonl EXIT 0 LABELS rules STDOUT [=[^b1:]=]
    COMMAND kelias eligibility -r tests/cli/data/rules_small.yaml ${defects}/cases_bom.jsonl --brief --format text)
kelias_cli_test(NAME defect_09_absent_columns_warning EXIT 0
    STDERR [=[warning\[W501\]: 91 of 100 item fields of start_av@2014 have no column]=]
    COMMAND kelias score -i start_av tests/cli/data/start_av_small.csv)

# 10. A key given twice is refused (case files, JSON lines of cases and of ratings); ids that
#     are not UTF-8 are refused rows, so JSON output stays valid.
kelias_cli_test(NAME defect_10_duplicate_fact_in_case_file EXIT 2 LABELS rules
    STDERR [=[case_duplicate_fact\.yaml:6:3: error\[E704\]: facts\.a is given twice]=]
    COMMAND kelias eligibility -r tests/cli/data/rules_small.yaml ${defects}/case_duplicate_fact.yaml)
kelias_cli_test(NAME defect_10_duplicate_fact_in_jsonl EXIT 3 LABELS rules
    STDERR [=[^line 1 \(case t1\): facts\.a: given twice]=] STDOUT [=[^t2:]=]
    COMMAND kelias eligibility -r tests/cli/data/rules_small.yaml ${defects}/cases_duplicate_key.jsonl --brief --format text)
kelias_cli_test(NAME defect_10_duplicate_key_in_ratings_jsonl EXIT 3
    STDERR [=[^row 1 \(id J1\): column coping\.strength: given twice in the row$]=] STDOUT [=[^J2,]=]
    COMMAND kelias score -i tests/cli/data/tiny.yaml ${defects}/ratings_duplicate_key.jsonl)
kelias_cli_test(NAME defect_10_bad_utf8_id_in_ratings EXIT 3
    STDERR [=[column id: the id is not valid UTF-8$]=] STDOUT [=[^ok,]=]
    COMMAND kelias score -i tests/cli/data/tiny.yaml ${defects}/ratings_bad_utf8_id.csv)
kelias_cli_test(NAME defect_10_bad_utf8_id_in_cases EXIT 3 LABELS rules
    STDERR [=[^line 2 \(case bad\?\): case: the id is not valid UTF-8]=]
    COMMAND kelias eligibility -r tests/cli/data/rules_small.yaml ${defects}/cases_bad_utf8_id.jsonl -o "/dev/null")

# 11. An output that is one of the inputs (or the other output) is refused before anything
#     is written; the input survives.
kelias_cli_test(NAME defect_11_output_is_input EXIT 0 STDOUT "^input intact$"
    COMMAND bash -c [=[cp tests/cli/data/tiny.csv "$KELIAS_TEST_TMPDIR/r.csv" && ln -s r.csv "$KELIAS_TEST_TMPDIR/link.csv" && cp tests/cli/data/tiny.yaml "$KELIAS_TEST_TMPDIR/t.yaml" &&
        ! "$KELIAS" score -i "$KELIAS_TEST_TMPDIR/t.yaml" "$KELIAS_TEST_TMPDIR/r.csv" -o "$KELIAS_TEST_TMPDIR/r.csv" 2>/dev/null &&
        ! "$KELIAS" score -i "$KELIAS_TEST_TMPDIR/t.yaml" "$KELIAS_TEST_TMPDIR/r.csv" -o "$KELIAS_TEST_TMPDIR/link.csv" 2>/dev/null &&
        ! "$KELIAS" score -i "$KELIAS_TEST_TMPDIR/t.yaml" "$KELIAS_TEST_TMPDIR/r.csv" -o "$KELIAS_TEST_TMPDIR/t.yaml" 2>/dev/null &&
        ! "$KELIAS" score -i "$KELIAS_TEST_TMPDIR/t.yaml" "$KELIAS_TEST_TMPDIR/r.csv" -o "$KELIAS_TEST_TMPDIR/x.csv" --rejects "$KELIAS_TEST_TMPDIR/x.csv" 2>/dev/null &&
        cmp -s tests/cli/data/tiny.csv "$KELIAS_TEST_TMPDIR/r.csv" && cmp -s tests/cli/data/tiny.yaml "$KELIAS_TEST_TMPDIR/t.yaml" &&
        test ! -e "$KELIAS_TEST_TMPDIR/x.csv" && echo input intact]=])
kelias_cli_test(NAME defect_11_output_is_input_message EXIT 2 STDERR [=[error\[E803\]: will not write '.*r\.csv': it is also an input]=]
    COMMAND bash -c [=[cp tests/cli/data/tiny.csv "$KELIAS_TEST_TMPDIR/r.csv" && "$KELIAS" score -i tests/cli/data/tiny.yaml "$KELIAS_TEST_TMPDIR/r.csv" -o "$KELIAS_TEST_TMPDIR/r.csv"]=])
kelias_cli_test(NAME defect_11_eligibility_output_is_rules EXIT 2 LABELS rules STDERR [=[it is also an input]=]
    COMMAND bash -c [=[cp tests/cli/data/rules_small.yaml "$KELIAS_TEST_TMPDIR/r.yaml" && "$KELIAS" eligibility -r "$KELIAS_TEST_TMPDIR/r.yaml" tests/cli/data/defects/cases_bom.jsonl -o "$KELIAS_TEST_TMPDIR/r.yaml"]=])

# 12. Inputs that never end, or change: a clear error, fast, and no temporary file left.
kelias_cli_test(NAME defect_12_dev_zero EXIT 2 STDERR "/dev/zero is not a text file"
    COMMAND kelias score -i start_av /dev/zero)
kelias_cli_test(NAME defect_12_endless_stream EXIT 2 STDERR [=[error\[E801\]: <stdin> is longer than the limit of 100000 bytes]=]
    COMMAND bash -c [=[{ printf 'id,coping.strength\n'; yes 'a,1'; } | "$KELIAS" score -i tests/cli/data/tiny.yaml --max-input 100000 -o /dev/null]=])
kelias_cli_test(NAME defect_12_endless_line EXIT 2 STDERR [=[error\[E801\]: <stdin>:2: a record longer than 4096 bytes]=]
    COMMAND bash -c [=[{ printf 'id,coping.strength\n'; tr '\0' 'x' </dev/zero; } | "$KELIAS" score -i tests/cli/data/tiny.yaml --max-line 4096 -o /dev/null]=])
kelias_cli_test(NAME defect_12_stale_temporary_removed EXIT 0 STDOUT "^stale file removed$"
    COMMAND bash -c [=[touch "$KELIAS_TEST_TMPDIR/.out.csv.tmp-stale1" && "$KELIAS" score -i tests/cli/data/tiny.yaml tests/cli/data/tiny.csv -o "$KELIAS_TEST_TMPDIR/out.csv" 2>/dev/null &&
        test ! -e "$KELIAS_TEST_TMPDIR/.out.csv.tmp-stale1" && test -s "$KELIAS_TEST_TMPDIR/out.csv" && echo stale file removed]=])
kelias_cli_test(NAME defect_12_killed_run_leaves_nothing EXIT 0 STDOUT "^nothing left$"
    COMMAND bash -c [=[python3 benchmarks/compare_pandas.py --help >/dev/null 2>&1 || true
        { head -1 examples/data/start_av_ratings.csv; for i in $(seq 1 400); do tail -n +2 examples/data/start_av_ratings.csv; done; } > "$KELIAS_TEST_TMPDIR/in.csv"
        for i in 1 2 3; do "$KELIAS" score -i start_av "$KELIAS_TEST_TMPDIR/in.csv" --threads 1 -o "$KELIAS_TEST_TMPDIR/out.csv" 2>/dev/null & pid=$!
            sleep 0.0$i; kill -9 $pid 2>/dev/null; wait $pid 2>/dev/null; done
        if ls -a "$KELIAS_TEST_TMPDIR" | grep -q '\.tmp-'; then ls -a "$KELIAS_TEST_TMPDIR"; else echo nothing left; fi]=])

# 13. Quadratic paths: a header of many unknown columns is answered at once.
kelias_cli_test(NAME defect_13_many_unknown_columns EXIT 1 STDERR [=[error\[E501\]: 4980 more unknown columns]=]
    COMMAND bash -c [=[python3 -c 'print("id," + ",".join("c%d" % i for i in range(5000)))' | "$KELIAS" score -i start_av]=])
kelias_cli_test(NAME defect_13_too_many_columns EXIT 2 STDERR [=[error\[E801\]: <stdin>:1: the header has 200001 columns, more than the limit of 10000]=]
    COMMAND bash -c [=[python3 -c 'print("id," + ",".join("c%d" % i for i in range(200000)))' | "$KELIAS" score -i start_av]=])

# 14. Small ones.
foreach(command "instrument show start_av" "instrument validate start_av" "instrument test start_av" "rules show tests/cli/data/rules_small.yaml")
    string(MAKE_C_IDENTIFIER "${command}" id)
    kelias_cli_test(NAME "defect_14_full_stdout_${id}" EXIT 2 STDERR "cannot write standard output"
        COMMAND bash -c "\"$KELIAS\" ${command} >/dev/full")
endforeach()
kelias_cli_test(NAME defect_14_full_stdout_explain EXIT 2 STDERR "cannot write standard output"
    COMMAND bash -c [=["$KELIAS" score -i start_av examples/data/start_av_ratings.csv --explain Y0003 -o "$KELIAS_TEST_TMPDIR/s.csv" >/dev/full]=])
kelias_cli_test(NAME defect_14_empty_definition_placed EXIT 1 STDERR [=[empty\.yaml:1:1: error\[E103\]]=]
    COMMAND kelias instrument validate ${defects}/empty.yaml)
kelias_cli_test(NAME defect_14_case_fact_located EXIT 3 LABELS rules
    STDERR [=[^tests/cli/data/defects/case_bad_fact\.yaml:5:6: error\[E601\]: facts\.a: expected true or false$]=]
    COMMAND kelias eligibility -r tests/cli/data/rules_small.yaml ${defects}/case_bad_fact.yaml)
kelias_cli_test(NAME defect_14_negative_year EXIT 1 LABELS rules STDERR "--as-of must be a date"
    COMMAND kelias eligibility -r tests/cli/data/rules_small.yaml ${defects}/case_bad_fact.yaml --as-of -001-01-01)
kelias_cli_test(NAME defect_14_duplicate_row_ids EXIT 0 STDERR [=[warning\[W502\]: row 4 \(id A\): the id is also on row 2]=]
    COMMAND kelias score -i tests/cli/data/tiny.yaml ${defects}/ratings_duplicate_ids.csv)
kelias_cli_test(NAME defect_14_duplicate_ids_explained_each EXIT 0 STDOUT [=[^explanation of row 4 \(tiny@1\.0\):$]=]
    COMMAND bash -c [=["$KELIAS" score -i tests/cli/data/tiny.yaml tests/cli/data/defects/ratings_duplicate_ids.csv --explain A -o "$KELIAS_TEST_TMPDIR/s.csv" 2>/dev/null | grep '^explanation' | tail -1]=])
kelias_cli_test(NAME defect_14_duplicate_case_ids EXIT 0 LABELS rules STDERR [=[warning\[W502\]: line 2 \(case same\): the case id is also on line 1]=]
    COMMAND kelias eligibility -r tests/cli/data/rules_small.yaml ${defects}/cases_duplicate_ids.jsonl -o /dev/null)
kelias_cli_test(NAME defect_14_long_id_cut EXIT 0 STDOUT "^message cut$"
    COMMAND bash -c [=[python3 -c 'print("id,coping.strength"); print("x" * 100000 + ",7")' | "$KELIAS" score -i tests/cli/data/tiny.yaml -o /dev/null 2>"$KELIAS_TEST_TMPDIR/err"
        test "$(wc -c <"$KELIAS_TEST_TMPDIR/err")" -lt 1000 && grep -q '(100000 bytes)' "$KELIAS_TEST_TMPDIR/err" && echo message cut]=])
