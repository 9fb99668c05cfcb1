# `kelias stats alpha | icc | kappa | auc | calibration | groups` (included from
# CMakeLists.txt, which defines kelias_cli_test). The datasets and the R values they are
# checked against are in tests/data/stats/ (make_references.R); the unit tests compare
# every digit, these check the commands print them and fail clearly.
set(stats_data tests/data/stats)
set(stats_cli_data tests/cli/data/stats)

kelias_cli_test(NAME stats_help EXIT 0 LABELS stats STDOUT "alpha +Cronbach's alpha"
    COMMAND kelias stats --help)
kelias_cli_test(NAME stats_alpha_text EXIT 0 LABELS stats STDOUT "^alpha 95% CI \\(Feldt\\) +\\[0\\.666, 0\\.777\\]$"
    COMMAND kelias stats alpha ${stats_data}/alpha_items.csv --items i1,i2,i3,i4,i5,i6)
kelias_cli_test(NAME stats_alpha_items EXIT 0 LABELS stats STDOUT "^i5 +1\\.114 +0\\.842 +0\\.552 +0\\.335 +0\\.723$"
    COMMAND kelias stats alpha ${stats_data}/alpha_items.csv --items i1,i2,i3,i4,i5,i6)
kelias_cli_test(NAME stats_alpha_json EXIT 0 LABELS stats STDOUT "\"alpha\":0\\.72547357261150[0-9]*,"
    COMMAND kelias stats alpha ${stats_data}/alpha_items.csv --items i1,i2,i3,i4,i5,i6 --format json)
kelias_cli_test(NAME stats_icc_shrout_fleiss EXIT 0 LABELS stats
    STDOUT "^ICC\\(2,1\\) +0\\.290 +11\\.03 +5 +15 +<0\\.001 +\\[0\\.019, 0\\.761\\]$"
    COMMAND kelias stats icc ${stats_data}/shrout_fleiss.csv --raters j1,j2,j3,j4)
kelias_cli_test(NAME stats_icc_missing EXIT 0 LABELS stats STDOUT "^3 rows left out \\(a rating missing\\)$"
    COMMAND kelias stats icc ${stats_data}/icc_ratings.csv --raters r1,r2,r3)
kelias_cli_test(NAME stats_kappa EXIT 0 LABELS stats STDOUT "^quadratic +0\\.698 +0\\.041 +\\[0\\.618, 0\\.778\\]$"
    COMMAND kelias stats kappa ${stats_data}/kappa_ratings.csv --raters rater1,rater2)
kelias_cli_test(NAME stats_kappa_psych_variance EXIT 0 LABELS stats
    STDOUT "^quadratic +0\\.698 +0\\.037 +\\[0\\.626, 0\\.770\\]$"
    COMMAND kelias stats kappa ${stats_data}/kappa_ratings.csv --raters rater1,rater2 --variance psych)
kelias_cli_test(NAME stats_kappa_three_raters EXIT 1 LABELS stats STDERR "--raters needs exactly 2 columns"
    COMMAND kelias stats kappa ${stats_data}/icc_ratings.csv --raters r1,r2,r3)
kelias_cli_test(NAME stats_auc EXIT 0 LABELS stats STDOUT "^95% CI \\(DeLong\\) +\\[0\\.638, 0\\.755\\]$"
    COMMAND kelias stats auc ${stats_data}/roc_scores.csv --score score1 --outcome outcome)
kelias_cli_test(NAME stats_auc_delong_test EXIT 0 LABELS stats STDOUT "^z = 1\\.826, p = 0\\.068 \\(two-sided\\)"
    COMMAND kelias stats auc ${stats_data}/roc_scores.csv --score score1 --outcome outcome --score2 score2)
kelias_cli_test(NAME stats_auc_curve EXIT 0 LABELS stats STDOUT "\"threshold\":\"inf\",\"tp\":0,\"fp\":0"
    COMMAND kelias stats auc ${stats_data}/roc_scores.csv --score score1 --outcome outcome --curve --format json)
kelias_cli_test(NAME stats_calibration EXIT 0 LABELS stats
    STDOUT "^high +10 +8 +0\\.800 +\\[0\\.490, 0\\.943\\] +0\\.686 +1\\.17$"
    COMMAND kelias stats calibration ${stats_data}/roc_scores.csv --category band --outcome outcome
        --expected expected --order low,moderate,elevated,high)
kelias_cli_test(NAME stats_groups EXIT 0 LABELS stats STDOUT "^Kaunas +125 +0\\.264 +0\\.742"
    COMMAND kelias stats groups ${stats_data}/roc_scores.csv --group site --score score1 --outcome outcome --cutoff 10)
# JSON output to a file: valid JSON, readable by its owner only.
kelias_cli_test(NAME stats_groups_json_file EXIT 0 LABELS stats STDOUT "^600 3$"
    COMMAND sh -c "\"$KELIAS\" stats groups ${stats_data}/roc_scores.csv --group site --score score1 --outcome outcome --cutoff 10 --expected expected --format json -o \"$KELIAS_TEST_TMPDIR/groups.json\" && printf '%s ' $(stat -c %a \"$KELIAS_TEST_TMPDIR/groups.json\") && python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))[\"groups\"]))' \"$KELIAS_TEST_TMPDIR/groups.json\"")

# Clear errors.
kelias_cli_test(NAME stats_one_class EXIT 1 LABELS stats STDERR "error\\[E910\\]: one class only: no row has outcome 1"
    COMMAND kelias stats auc ${stats_cli_data}/one_class.csv --score s --outcome y)
kelias_cli_test(NAME stats_constant_item EXIT 1 LABELS stats STDERR "error\\[E910\\]: item 2 is constant"
    COMMAND kelias stats alpha ${stats_cli_data}/one_class.csv --items a,b,c)
kelias_cli_test(NAME stats_unknown_column EXIT 1 LABELS stats
    STDERR "one_class.csv:1:1: error\\[E501\\]: no column 'd' in the header"
    COMMAND kelias stats alpha ${stats_cli_data}/one_class.csv --items a,d)
kelias_cli_test(NAME stats_bad_cells EXIT 2 LABELS stats
    STDERR "bad_cells.csv:3:2: error\\[E502\\]: column 'a': not a number"
    NOT_STDERR "secret"
    COMMAND kelias stats icc ${stats_cli_data}/bad_cells.csv --raters a,b)
kelias_cli_test(NAME stats_ragged_row EXIT 2 LABELS stats
    STDERR "bad_cells.csv:4:1: error\\[E502\\]: the row has 2 cells, the header has 3"
    COMMAND kelias stats icc ${stats_cli_data}/bad_cells.csv --raters a,b)
kelias_cli_test(NAME stats_missing_file EXIT 2 LABELS stats STDERR "error\\[E000\\]"
    COMMAND kelias stats icc ${stats_cli_data}/no_such_file.csv --raters a,b)
