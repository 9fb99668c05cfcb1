# Rule texts for people: Lithuanian output, labels, texts that follow their params.
# Included from tests/cli/CMakeLists.txt (kelias_cli_test is defined there).

kelias_cli_test(NAME eligibility_lang_lt_words EXIT 0 LABELS rules
    STDOUT "^Byla LT-2025-0102 data 2025-06-01 \\(taisyklės lt_release_pathway@2026.1\\)$"
    COMMAND kelias eligibility --rules lt_release_pathway examples/cases/hwh_eligible_later.yaml --lang lt)
kelias_cli_test(NAME eligibility_lang_lt_labels EXIT 0 LABELS rules
    STDOUT "^Pusiaukelės namai \\[halfway_house\\]: NEATITINKA SĄLYGŲ$"
    COMMAND kelias eligibility --rules lt_release_pathway examples/cases/hwh_eligible_later.yaml --lang lt)
kelias_cli_test(NAME eligibility_lang_lt_texts EXIT 0 LABELS rules
    STDOUT "^  netenkinama: atlikta ne mažiau kaip 1/4 bausmės \\(H1: nuo 2025-08-23\\)  \\[hwh_quarter_served\\]"
    COMMAND kelias eligibility --rules lt_release_pathway examples/cases/hwh_eligible_later.yaml --lang lt)
kelias_cli_test(NAME eligibility_lang_lt_earliest EXIT 0 LABELS rules
    STDOUT "^  anksčiausia data: 2025-08-23 jei niekas kitas nepasikeis$"
    NOT_STDOUT "ELIGIBLE|earliest date"
    COMMAND kelias eligibility --rules lt_release_pathway examples/cases/hwh_eligible_later.yaml --lang lt)
kelias_cli_test(NAME eligibility_lang_lt_batch_text EXIT 3 LABELS rules
    STDOUT "^Byla LT-2025-0201 data 2025-06-01"
    COMMAND kelias eligibility --rules lt_release_pathway examples/cases/batch.jsonl --format text --lang lt)
kelias_cli_test(NAME eligibility_lang_json_keeps_ids EXIT 0 LABELS rules
    STDOUT "\"programme\":\"halfway_house\",\"decision\":\"not_eligible\""
    NOT_STDOUT "Pusiaukelės"
    COMMAND kelias eligibility --rules lt_release_pathway examples/cases/hwh_eligible_later.yaml --format json --lang lt)
kelias_cli_test(NAME eligibility_lang_unknown EXIT 1 LABELS rules STDERR "--lang"
    COMMAND kelias eligibility --rules lt_release_pathway examples/cases/hwh_eligible_later.yaml --lang de)
kelias_cli_test(NAME eligibility_text_follows_params EXIT 0 LABELS rules
    STDOUT "fails: +has served at least 1/4 of the sentence \\(H1: from 2025-08-23\\)"
    COMMAND kelias eligibility --rules lt_release_pathway examples/cases/hwh_eligible_later.yaml)
kelias_cli_test(NAME eligibility_explain_params_computed EXIT 0 LABELS rules
    STDOUT "^ +computed date_at_fraction\\(sentence_start, sentence_end, params.hwh_min_share_served\\) = 2025-08-23$"
    COMMAND kelias eligibility --rules lt_release_pathway examples/cases/hwh_eligible_later.yaml --explain)
kelias_cli_test(NAME rules_show_lang_lt EXIT 0 LABELS rules
    STDOUT "^  halfway_house \\(placement\\): Pusiaukelės namai$"
    COMMAND kelias rules show lt_release_pathway --lang lt)
kelias_cli_test(NAME rules_show_param_types EXIT 0 LABELS rules
    STDOUT "^  tog_min_convictions = 3  \\(integer\\)  convictions  \\[unverified\\]"
    COMMAND kelias rules show lt_release_pathway)

# kelias rules lint: findings with their ids and places; exit 1 while some are unexplained.
kelias_cli_test(NAME rules_lint_findings EXIT 1 LABELS rules
    STDOUT "^tests/cli/data/lint_findings\\.yaml:19:3: explained\\[table_gap\\.share\\.grave\\]: table 'share' has no row for category 'grave'"
    COMMAND kelias rules lint tests/cli/data/lint_findings.yaml)
kelias_cli_test(NAME rules_lint_never_eligible EXIT 1 LABELS rules
    STDOUT "lint\\[never_eligible\\.both_regimes\\]: .*ask regime to be 'closed' and 'open'"
    COMMAND kelias rules lint tests/cli/data/lint_findings.yaml)
kelias_cli_test(NAME rules_lint_literal_number EXIT 1 LABELS rules
    STDOUT "^  hint: write \\{params\\.min_convictions\\} instead$"
    COMMAND kelias rules lint tests/cli/data/lint_findings.yaml)
kelias_cli_test(NAME rules_lint_summary EXIT 1 LABELS rules
    STDOUT "^7 findings, 1 explained, 6 to fix or explain$"
    COMMAND kelias rules lint tests/cli/data/lint_findings.yaml)
kelias_cli_test(NAME rules_lint_clean_exit_0 EXIT 0 LABELS rules
    STDOUT "^0 findings, 0 explained, 0 to fix or explain$"
    COMMAND kelias rules lint tests/cli/data/rules_small.yaml)
kelias_cli_test(NAME rules_lint_all_explained_exit_0 EXIT 0 LABELS rules
    STDOUT "^1 findings, 1 explained, 0 to fix or explain$"
    COMMAND bash -c [=[cp tests/cli/data/rules_small.yaml "$KELIAS_TEST_TMPDIR/r.yaml" && printf 'params:\n  guess: {value: 2, confidence: unverified}\nlint:\n  accept:\n    unverified_param.guess: "a test value"\n' >>"$KELIAS_TEST_TMPDIR/r.yaml" && "$KELIAS" rules lint "$KELIAS_TEST_TMPDIR/r.yaml"]=])
# The shipped rule set's cr_share gap is found, whether the file explains it or not.
kelias_cli_test(NAME rules_lint_shipped_cr_share_gap EXIT 0 LABELS rules
    STDOUT "(lint|explained)\\[table_gap\\.cr_share\\.serious\\]"
    COMMAND bash -c [=["$KELIAS" rules lint instruments/lt_release_pathway.yaml || true]=])

# Gaps named as gaps: no cr_share row for a serious crime.
kelias_cli_test(NAME eligibility_rule_gap_text EXIT 0 LABELS rules
    STDOUT "^  no rule:  table cr_share: no row for crime_category = serious$"
    COMMAND kelias eligibility -r lt_release_pathway tests/cli/data/case_serious_crime.yaml)
kelias_cli_test(NAME eligibility_rule_gap_json EXIT 0 LABELS rules
    STDOUT "\"programme\":\"conditional_release\",\"decision\":\"undetermined\",.*\"missing\":\\[\\],\"gaps\":\\[\\{\"table\":\"cr_share\",\"fact\":\"crime_category\",\"key\":\"serious\"\\}\\]"
    COMMAND kelias eligibility -r lt_release_pathway tests/cli/data/case_serious_crime.yaml --format json)
kelias_cli_test(NAME eligibility_rule_gap_lt EXIT 0 LABELS rules
    STDOUT "^  taisyklėse nėra:  lentelė cr_share: nėra eilutės, kai crime_category = serious$"
    COMMAND kelias eligibility -r lt_release_pathway tests/cli/data/case_serious_crime.yaml --lang lt)

# What is still needed on the earliest date: an assessment that will be fresh then.
kelias_cli_test(NAME eligibility_needed_on_earliest_text EXIT 0 LABELS rules
    STDOUT "^  needed on that date: assessments\\.start dated on or after 2025-05-23$"
    COMMAND kelias eligibility -r lt_release_pathway tests/cli/data/case_stale_on_earliest.yaml)
kelias_cli_test(NAME eligibility_needed_on_earliest_json EXIT 0 LABELS rules
    STDOUT "\"earliest_date\":\"2025-08-23\",\"needed_on_earliest\":\\[\\{\"need\":\"assessments\\.start\",\"dated_from\":\"2025-05-23\"\\}\\]"
    COMMAND kelias eligibility -r lt_release_pathway tests/cli/data/case_stale_on_earliest.yaml --format json)
kelias_cli_test(NAME eligibility_needed_on_earliest_only_when_undetermined EXIT 0 LABELS rules
    STDOUT "\"programme\":\"halfway_house\".*\"earliest_date\":\"2025-08-23\"\},\\{\"programme\":\"conditional_release\".*\"earliest_date\":\"2026-07-08\",\"needed_on_earliest\":\\[\\{\"need\":\"assessments\\.start\",\"dated_from\":\"2026-04-08\"\\}\\]"
    COMMAND kelias eligibility -r lt_release_pathway examples/cases/hwh_eligible_later.yaml --format json)
kelias_cli_test(NAME rules_lint_no_release_explained EXIT 0 LABELS rules
    STDOUT "^2 findings, 2 explained, 0 to fix or explain$"
    COMMAND kelias rules lint no_release_pathway)

# An adolescent whose earliest date is after the 18th birthday needs START (not START:AV) then.
kelias_cli_test(NAME eligibility_needed_on_earliest_after_birthday EXIT 0 LABELS rules
    STDOUT "^  needed on that date: assessments\\.start dated on or after 2025-10-20$"
    COMMAND kelias eligibility -r lt_release_pathway examples/cases/adolescent_kaunas.yaml)
