# CLI tests of instrument inputs as the source gives them (issue 12, points 7 and 9):
# `absent:` defaults, column aliases and code aliases. Included by tests/cli/CMakeLists.txt.
set(inputs tests/cli/data/inputs)

kelias_cli_test(NAME inputs_test_embedded EXIT 0 STDOUT "2 passed, 0 failed"
    COMMAND kelias instrument test ${inputs}/infractions.yaml)
# An export with its own heading and spelling: the absent count is 0, the bad code is a
# located row problem and the good rows are scored.
kelias_cli_test(NAME inputs_score_export EXIT 3 STDOUT [=[^B,4,infractions_demo@1$]=]
    STDERR [=[^row 4 \(id C\): column offence: not one of the field's codes$]=]
    COMMAND kelias score -i ${inputs}/infractions.yaml ${inputs}/export.csv)
kelias_cli_test(NAME inputs_score_export_absent EXIT 3 STDOUT [=[^A,1,infractions_demo@1$]=]
    COMMAND kelias score -i ${inputs}/infractions.yaml ${inputs}/export.csv)
kelias_cli_test(NAME inputs_explain_absent EXIT 3 STDERR [=[^  infractions  ->  0 \(absent\)$]=]
    COMMAND kelias score -i ${inputs}/infractions.yaml ${inputs}/export.csv --explain A)
kelias_cli_test(NAME inputs_show_aliases EXIT 0
    STDOUT [=[^  infractions  integer.*\(absent counts as 0\) \(also read as: Infractions\)$]=]
    COMMAND kelias instrument show ${inputs}/infractions.yaml)
# OGRS3 fed the MoJ service's request names: ACT-62 scenario 2, 1-year 11, 2-year 20, low.
kelias_cli_test(NAME inputs_ogrs3_moj_names EXIT 0 STDOUT [=[^S2,30,30,.*,11,20,low,ogrs3@3$]=]
    COMMAND kelias score -i examples/instruments/ogrs3.yaml ${inputs}/ogrs3_moj.csv)
