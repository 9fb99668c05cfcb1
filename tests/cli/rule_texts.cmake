# Rule texts for people: Lithuanian output, labels, texts that follow their params.
# Included from tests/cli/CMakeLists.txt (kelias_cli_test is defined there).

kelias_cli_test(NAME eligibility_lang_lt_words EXIT 0 LABELS rules
    STDOUT "^Byla LT-2025-0102 data 2025-06-01 \\(taisyklės lt_release_pathway@2025.1\\)$"
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
