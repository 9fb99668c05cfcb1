# Assessment metadata and instrument content (included from CMakeLists.txt): the header of
# an assessment, outcome groups, the age range and graded labels, shown by `instrument
# show` and checked by `kelias case assess`.

kelias_cli_test(NAME meta_show_text EXIT 0 STDOUT [=[^age range: 13-18 \(verified\)$]=]
    COMMAND kelias instrument show start_av)
kelias_cli_test(NAME meta_show_fields EXIT 0 STDOUT [=[^  threat  bool \(confidence: unverified\)$]=]
    COMMAND kelias instrument show start_av)
kelias_cli_test(NAME meta_show_groups EXIT 0 STDOUT [=[^  harm_to_others  Harm to Others and Rule Violations$]=]
    COMMAND kelias instrument show start_av)
kelias_cli_test(NAME meta_show_json EXIT 0 STDOUT [=["assessment_fields":\[\{"id":"status","column":"header\.status","type":"code"]=]
    COMMAND kelias instrument show start --json)
kelias_cli_test(NAME meta_show_unchanged_without EXIT 0 NOT_STDOUT [=[assessment fields|age range|outcome groups]=]
    COMMAND kelias instrument show ${data}/tiny.yaml)

# The demo's intake carries a header: recorded, and given back with the case.
kelias_cli_test(NAME meta_assess_header EXIT 0 LABELS case_store NOT_STDERR "W503"
    STDOUT [=[^  1 assessment finalised start_av@]=]
    COMMAND bash tests/cli/case_store_lib.sh [=[new_adolescent
        as PS-1 psychologist assess $adolescent -i start_av --ratings examples/store/start_av_intake.json --finalize --as-of 2025-06-01 >/dev/null || exit 1
        k show $adolescent]=])
# Every problem of a bad header at once; nothing is stored.
kelias_cli_test(NAME meta_assess_bad_header EXIT 0 LABELS case_store NOT_STDOUT "FAIL"
    STDOUT [=[^refused, unchanged: 3$]=]
    COMMAND bash tests/cli/case_store_lib.sh [=[new_adolescent
        refused 3 as PS-1 psychologist assess $adolescent -i start_av --ratings tests/data/store/start_av_bad_header.json]=])
kelias_cli_test(NAME meta_assess_bad_header_messages EXIT 3 LABELS case_store
    STDERR [=[error\[E506\]: assessments\.start_av: header\.assesor: start_av@2014 declares no such assessment field]=]
    COMMAND bash tests/cli/case_store_lib.sh [=[new_adolescent
        as PS-1 psychologist assess $adolescent -i start_av --ratings tests/data/store/start_av_bad_header.json]=])
# START:AV for an adult: kept, with a warning that names no age.
kelias_cli_test(NAME meta_assess_age_warning EXIT 0 LABELS case_store
    STDERR [=[warning\[W503\]: the person's age on the assessment date is above the ages start_av@2014 is meant for \(from 13 to 18\)]=]
    COMMAND bash tests/cli/case_store_lib.sh [=[new_adult
        as PS-1 psychologist assess $adult -i start_av --ratings examples/store/start_av_intake.json --as-of 2025-06-01]=])

# Batch scoring with header.ID columns (CSV) or keys and header maps (JSON lines): good rows
# scored exactly as without the header, bad headers rejected by row and column, never by value.
set(meta_data tests/cli/data/meta)
kelias_cli_test(NAME meta_score_header_csv EXIT 3
    NOT_STDERR [=[Jonas|PS-1|PS-2|yes]=]
    COMPARE out.csv ${meta_data}/ratings_header.expected.csv rejects.csv ${meta_data}/ratings_header.rejects.csv
    COMMAND bash -c "\"$KELIAS\" score -i start_av ${meta_data}/ratings_header.csv -o \"$KELIAS_TEST_TMPDIR/out.csv\" --rejects \"$KELIAS_TEST_TMPDIR/rejects.csv\"")
kelias_cli_test(NAME meta_score_header_jsonl EXIT 3
    NOT_STDERR [=[Jonas|PS-1|PS-2|yes]=]
    COMPARE out.csv ${meta_data}/ratings_header.expected.csv rejects.csv ${meta_data}/ratings_header.jsonl_rejects.csv
    COMMAND bash -c "\"$KELIAS\" score -i start_av ${meta_data}/ratings_header.jsonl -o \"$KELIAS_TEST_TMPDIR/out.csv\" --rejects \"$KELIAS_TEST_TMPDIR/rejects.csv\"")
kelias_cli_test(NAME meta_score_header_unknown EXIT 1
    STDERR [=[error\[E501\]: unknown column 'header\.assesor': start_av@2014 has no such field$]=]
    COMMAND bash -c "sed 's/header.assessor/header.assesor/' ${meta_data}/ratings_header.csv | \"$KELIAS\" score -i start_av -")
kelias_cli_test(NAME meta_score_header_unknown_hint EXIT 1
    STDERR [=[^  hint: did you mean 'header\.assessor'\?$]=]
    COMMAND bash -c "sed 's/header.assessor/header.assesor/' ${meta_data}/ratings_header.csv | \"$KELIAS\" score -i start_av -")
kelias_cli_test(NAME meta_score_header_kept EXIT 3
    STDOUT [=[^id,header\.assessor,strength_total,]=]
    NOT_STDOUT [=[institution|community|interview|PS-2]=]
    COMMAND kelias score -i start_av ${meta_data}/ratings_header.csv --keep header.assessor)
kelias_cli_test(NAME meta_score_header_stderr EXIT 3
    STDERR [=[^row 4 \(id A3\): column header\.consent: not true or false$]=]
    NOT_STDERR [=[Jonas|PS-1|PS-2|yes|interview]=]
    COMMAND kelias score -i start_av ${meta_data}/ratings_header.csv)
