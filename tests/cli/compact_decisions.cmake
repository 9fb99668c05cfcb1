# Compact batch outputs of `kelias eligibility`: --format csv (one column per programme)
# and --format jsonl (decisions keyed by programme), with and without --brief.
set(compact tests/cli/data/compact)
set(compact_rules benchmarks/data/lt_release_pathway_13.yaml)

kelias_cli_test(NAME eligibility_compact_csv EXIT 3 LABELS rules STDERR "1 of 6 cases rejected"
    COMPARE out.csv ${compact}/expected.csv rejects.csv ${compact}/expected_rejects.csv
    COMMAND bash -c "\"$KELIAS\" eligibility -r ${compact_rules} ${compact}/cases.jsonl --as-of 2025-06-01 --format csv -o \"$KELIAS_TEST_TMPDIR/out.csv\" --rejects \"$KELIAS_TEST_TMPDIR/rejects.csv\"")
kelias_cli_test(NAME eligibility_compact_csv_brief EXIT 3 LABELS rules
    STDOUT_FILE ${compact}/expected_brief.csv
    COMMAND kelias eligibility -r ${compact_rules} ${compact}/cases.jsonl --as-of 2025-06-01 --format csv --brief)
kelias_cli_test(NAME eligibility_compact_jsonl EXIT 3 LABELS rules
    STDOUT_FILE ${compact}/expected.jsonl
    COMMAND kelias eligibility -r ${compact_rules} ${compact}/cases.jsonl --as-of 2025-06-01 --format jsonl --threads 2 --chunk 2)
kelias_cli_test(NAME eligibility_compact_jsonl_brief_stdin EXIT 3 LABELS rules
    STDIN ${compact}/cases.jsonl STDOUT_FILE ${compact}/expected_brief.jsonl
    COMMAND kelias eligibility -r ${compact_rules} --input-format jsonl - --as-of 2025-06-01 --format jsonl --brief)
# The header alone when no case is decided.
kelias_cli_test(NAME eligibility_compact_csv_no_cases EXIT 0 LABELS rules
    STDOUT "^case,as_of,halfway_house,conditional_release,.*,foreign_nationals_support$"
    COMMAND bash -c "\"$KELIAS\" eligibility -r ${compact_rules} --input-format jsonl - --format csv --brief </dev/null")
kelias_cli_test(NAME eligibility_compact_one_case_refused EXIT 1 LABELS rules
    STDERR "--format csv is for cases as JSON lines"
    COMMAND kelias eligibility -r lt_release_pathway examples/cases/hwh_eligible_now.yaml --format csv)
