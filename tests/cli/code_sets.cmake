# CLI tests of sets of codes as instrument inputs (issue 12, point 6): `a|b` cells and `[]`
# in CSV, arrays in JSON lines, a bad code as a located row problem. Included by
# tests/cli/CMakeLists.txt.
set(code_sets tests/cli/data/code_sets)

kelias_cli_test(NAME code_sets_score_csv EXIT 3 STDOUT [=[^A,3,true,true,1,false,flags_screen@1\.0$]=]
    COMMAND kelias score -i examples/instruments/flags_screen.yaml ${code_sets}/flags.csv)
kelias_cli_test(NAME code_sets_score_csv_empty_set EXIT 3 STDOUT [=[^B,0,false,false,0,false,flags_screen@1\.0$]=]
    COMMAND kelias score -i examples/instruments/flags_screen.yaml ${code_sets}/flags.csv)
kelias_cli_test(NAME code_sets_score_csv_bad_code EXIT 3
    STDERR [=[^row 4 \(id C\): column risk_flags: not one of the field's codes$]=]
    COMMAND kelias score -i examples/instruments/flags_screen.yaml ${code_sets}/flags.csv)
kelias_cli_test(NAME code_sets_score_jsonl EXIT 0 STDOUT [=[^A,2,true,false,2,true,flags_screen@1\.0$]=]
    COMMAND kelias score -i examples/instruments/flags_screen.yaml ${code_sets}/flags.jsonl)
kelias_cli_test(NAME code_sets_explain EXIT 3 STDERR [=[risk_flags  ->  gang\|weapon\|escape]=]
    COMMAND kelias score -i examples/instruments/flags_screen.yaml ${code_sets}/flags.csv --explain A)
kelias_cli_test(NAME code_sets_show EXIT 0 STDOUT [=[^  risk_flags  codes]=]
    COMMAND kelias instrument show examples/instruments/flags_screen.yaml)
