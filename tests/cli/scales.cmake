# The scale features of instruments end to end (included from CMakeLists.txt, which defines
# kelias_cli_test), on examples/instruments/needs_screen.yaml: codes read in any case and
# written as declared, sums of code values, the most severe need (max_of of ordered codes),
# the higher of two levels and a score with a declared result scale. Row n4 has a code that
# is not on the scale and is rejected with its row number; the other rows go on.
kelias_cli_test(NAME scales_score_needs_screen EXIT 3 LABELS instrument
    STDOUT_FILE "${CMAKE_CURRENT_SOURCE_DIR}/data/expected/scales_needs.csv"
    STDERR "row 5 \\(id n4\\): column employment.need: not one of the field's codes"
    COMMAND kelias score -i examples/instruments/needs_screen.yaml tests/cli/data/scales/needs.csv)
kelias_cli_test(NAME scales_explain_most_severe_need EXIT 3 LABELS instrument
    STDERR "max_of\\(need\\)  ->  severe"
    COMMAND kelias score -i examples/instruments/needs_screen.yaml --explain n2 tests/cli/data/scales/needs.csv)
