# `kelias report CASE` and `kelias report unit CASES...` (included from CMakeLists.txt,
# which defines kelias_cli_test), and the headless-Chromium rendering of the HTML report.
set(report_case examples/cases/adolescent_kaunas_review.yaml)
set(report_examples "${PROJECT_SOURCE_DIR}/examples/reports")

# The shipped example reports are what the CLI writes (regenerate with examples/reports/render.sh).
kelias_cli_test(NAME report_example_html_en EXIT 0 LABELS report
    COMPARE r.html "${report_examples}/adolescent_kaunas_review.en.html"
    COMMAND bash -c "\"$KELIAS\" report ${report_case} -o \"$KELIAS_TEST_TMPDIR/r.html\"")
kelias_cli_test(NAME report_example_html_lt EXIT 0 LABELS report
    COMPARE r.html "${report_examples}/adolescent_kaunas_review.lt.html"
    COMMAND bash -c "\"$KELIAS\" report ${report_case} --lang lt -o \"$KELIAS_TEST_TMPDIR/r.html\"")
kelias_cli_test(NAME report_example_md_en EXIT 0 LABELS report
    STDOUT_FILE "${report_examples}/adolescent_kaunas_review.en.md"
    COMMAND kelias report ${report_case} --format md)
kelias_cli_test(NAME report_example_json_en EXIT 0 LABELS report
    STDOUT_FILE "${report_examples}/adolescent_kaunas_review.en.json"
    COMMAND kelias report ${report_case} --format json)

# The file is 0600; the HTML holds the chart, the change and the earliest date.
kelias_cli_test(NAME report_html_file_mode EXIT 0 LABELS report STDOUT "^600 1 1 1$"
    COMMAND bash -c [=["$KELIAS" report examples/cases/adolescent_kaunas_review.yaml -o "$KELIAS_TEST_TMPDIR/r.html" && f="$KELIAS_TEST_TMPDIR/r.html" && echo $(stat -c %a "$f") $(grep -c '<svg id="profile-chart"' "$f") $(grep -c 'Non-Violent Offending: high → moderate' "$f") $(grep -c '<td>Halfway house</td><td class="not_eligible">NOT ELIGIBLE</td>.*<td>2025-11-01</td>' "$f")]=])
kelias_cli_test(NAME report_md_lt EXIT 0 LABELS report STDOUT "^\\| Pusiaukelės namai \\| NEATITINKA SĄLYGŲ \\|.*\\| 2025-11-01 \\|$"
    COMMAND kelias report ${report_case} --format md --lang lt)
kelias_cli_test(NAME report_json_change EXIT 0 LABELS report STDOUT "^high moderate better 18 24$"
    COMMAND bash -c [=["$KELIAS" report examples/cases/adolescent_kaunas_review.yaml --format json | python3 -c 'import json,sys
r=json.load(sys.stdin); e=[x for x in r["profile"]["estimates"] if x["outcome"]=="nonviolent_offending"][0]; t=r["profile"]["totals"][0]
print(e["previous"], e["value"], e["change"], int(t["previous"]), int(t["value"]))']=])
kelias_cli_test(NAME report_as_of_option EXIT 0 LABELS report STDOUT "^\"as_of\": \"2025-07-01\"$"
    COMMAND bash -c [=["$KELIAS" report examples/cases/adolescent_kaunas_review.yaml --format json --as-of 2025-07-01 | python3 -c 'import json,sys; print("\"as_of\": \"%s\"" % json.load(sys.stdin)["as_of"])']=])

# Variants: the commission pack without item ratings or harm-to-self estimates; the handover
# without eligibility.
kelias_cli_test(NAME report_variant_commission EXIT 0 LABELS report
    STDOUT "^# Pack for the commission or court$" NOT_STDOUT "Suicide|^\\| School/Work \\||^\\| EQUIP"
    COMMAND kelias report ${report_case} --format md --variant commission)
kelias_cli_test(NAME report_variant_handover EXIT 0 LABELS report
    STDOUT "^# Handover from prison to probation$" NOT_STDOUT "^## Eligibility$"
    COMMAND kelias report ${report_case} --format md --variant handover)
# An adult case: START, its placements and the move to the halfway house walked in.
kelias_cli_test(NAME report_adult_start EXIT 0 LABELS report STDOUT "^start@.*assessed on 2025-05-12"
    COMMAND kelias report examples/cases/adult_to_halfway_house.yaml --format md)

# Without a pathway: stays by their ids, no obligations or next assessment.
kelias_cli_test(NAME report_without_pathway EXIT 0 LABELS report STDOUT "^\\| closed \\| 2025-01-08 \\| current \\|$"
    NOT_STDOUT "^### Next assessment$"
    COMMAND kelias report ${report_case} --format md --pathway none)
# From standard input.
kelias_cli_test(NAME report_from_stdin EXIT 0 LABELS report STDOUT "^# Case report$" STDIN "${PROJECT_SOURCE_DIR}/${report_case}"
    COMMAND kelias report - --format md)

# Errors: usage (1), unreadable input or output (2); nothing is written.
kelias_cli_test(NAME report_bad_format EXIT 1 LABELS report STDERR "--format"
    COMMAND kelias report ${report_case} --format pdf)
kelias_cli_test(NAME report_no_case EXIT 1 LABELS report STDERR "a CASE file is required"
    COMMAND kelias report --format md)
kelias_cli_test(NAME report_missing_case EXIT 2 LABELS report STDERR "error\\[E000\\]"
    COMMAND kelias report examples/cases/no_such_case.yaml)
kelias_cli_test(NAME report_no_as_of EXIT 1 LABELS report STDERR "no as_of date" STDOUT "^absent$"
    COMMAND bash -c [=[sed '/^as_of:/d' examples/cases/adolescent_kaunas_review.yaml >"$KELIAS_TEST_TMPDIR/c.yaml"; "$KELIAS" report "$KELIAS_TEST_TMPDIR/c.yaml" -o "$KELIAS_TEST_TMPDIR/r.html"; code=$?; test -e "$KELIAS_TEST_TMPDIR/r.html" || echo absent; exit $code]=])
kelias_cli_test(NAME report_output_is_input EXIT 2 LABELS report STDERR "E803"
    COMMAND bash -c [=[cp examples/cases/adolescent_kaunas_review.yaml "$KELIAS_TEST_TMPDIR/c.yaml"; "$KELIAS" report "$KELIAS_TEST_TMPDIR/c.yaml" -o "$KELIAS_TEST_TMPDIR/c.yaml"]=])
kelias_cli_test(NAME report_bad_as_of EXIT 1 LABELS report STDERR "--as-of must be a date"
    COMMAND kelias report ${report_case} --as-of 2025-13-01)

# The unit report: due dates over a JSONL batch and single case files, override rates.
kelias_cli_test(NAME report_unit_md EXIT 0 LABELS report STDOUT "^\\| LT-2025-0301 \\| start\\\\_av \\| 2025-05-10 \\(overdue\\) \\|$"
    COMMAND kelias report unit examples/cases/pathway_batch.jsonl ${report_case} --as-of 2025-06-15 --format md)
kelias_cli_test(NAME report_unit_overrides EXIT 3 LABELS report
    STDOUT "^\\| start\\\\_av \\| 3 \\| 1 \\| 2 \\| 33.3 % \\|$" STDERR "overrides.jsonl:3: error\\[E703\\]"
    COMMAND bash -c [=[printf '%s\n' '{"case": "LT-2025-0105", "instrument": "start_av", "target": "violence.estimate", "computed": "moderate", "chosen": "high", "staff": "PS-1", "date": "2025-06-01"}' '{"case": "LT-2025-0105", "instrument": "start_av", "target": "substance_abuse.estimate", "computed": "moderate", "chosen": "high", "staff": "PS-1", "date": "2025-06-01"}' 'not json' >"$KELIAS_TEST_TMPDIR/overrides.jsonl" && cd "$KELIAS_TEST_TMPDIR" && "$KELIAS" report unit "$KELIAS_SOURCE_DIR/examples/cases/adolescent_kaunas_review.yaml" "$KELIAS_SOURCE_DIR/examples/cases/adolescent_kaunas_pathway.yaml" --as-of 2025-06-15 --format md --overrides overrides.jsonl]=])
kelias_cli_test(NAME report_unit_html_lt EXIT 0 LABELS report STDOUT "^600 1$"
    COMMAND bash -c [=["$KELIAS" report unit examples/cases/pathway_batch.jsonl --as-of 2025-06-15 --lang lt -o "$KELIAS_TEST_TMPDIR/u.html" && echo $(stat -c %a "$KELIAS_TEST_TMPDIR/u.html") $(grep -c '<h1>Padalinio ataskaita</h1>' "$KELIAS_TEST_TMPDIR/u.html")]=])
kelias_cli_test(NAME report_unit_rejects_line EXIT 3 LABELS report STDERR "line 2: " STDOUT "Cases 1$"
    COMMAND bash -c [=[head -1 examples/cases/pathway_batch.jsonl >"$KELIAS_TEST_TMPDIR/b.jsonl"; echo '{"case": 1' >>"$KELIAS_TEST_TMPDIR/b.jsonl"; "$KELIAS" report unit "$KELIAS_TEST_TMPDIR/b.jsonl" --as-of 2025-06-15 --format md]=])
kelias_cli_test(NAME report_unit_needs_as_of EXIT 1 LABELS report STDERR "needs --as-of"
    COMMAND kelias report unit examples/cases/pathway_batch.jsonl)

# Headless Chromium renders the report (English, Lithuanian, the commission pack) without
# console messages, with the chart in the DOM, and prints it to PDF. Skipped (77) only
# when chromium is absent outside CI.
add_test(NAME report_chromium_render
    COMMAND "${KELIAS_BASH}" "${CMAKE_CURRENT_SOURCE_DIR}/render_report_chromium.sh" "$<TARGET_FILE:kelias_cli>"
            "${PROJECT_SOURCE_DIR}" "${CMAKE_CURRENT_BINARY_DIR}/work/report_chromium_render")
set_tests_properties(report_chromium_render PROPERTIES LABELS "cli;report" SKIP_RETURN_CODE 77 TIMEOUT 600)
