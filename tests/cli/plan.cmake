# `kelias plan` and `kelias plan validate | test | show` (included from CMakeLists.txt,
# which defines kelias_cli_test). Exact outputs use a small rule set of their own
# (tests/cli/data/plan/rules.yaml), so that changes to the shipped rule set do not
# change them; the example cases are planned with the shipped rule set.
set(plan_data tests/cli/data/plan)
set(plan_case ${plan_data}/adolescent.yaml)
set(plan_rules ${plan_data}/rules.yaml)

# Every shipped plan policy (`kind: plan_policy`) validates and passes its embedded tests.
file(GLOB KELIAS_PLAN_POLICY_CANDIDATES CONFIGURE_DEPENDS "${PROJECT_SOURCE_DIR}/instruments/*.yaml")
foreach(file IN LISTS KELIAS_PLAN_POLICY_CANDIDATES)
    file(STRINGS "${file}" plan_policy_marker REGEX "^kind:[ ]*[\"']?plan_policy")
    if(NOT plan_policy_marker)
        continue()
    endif()
    get_filename_component(stem "${file}" NAME_WLE)
    file(RELATIVE_PATH rel "${PROJECT_SOURCE_DIR}" "${file}")
    kelias_cli_test(NAME "plan_validate_${stem}" EXIT 0 LABELS plan STDOUT "valid \\(${stem}@"
        COMMAND kelias plan validate "${rel}")
    kelias_cli_test(NAME "plan_test_${stem}" EXIT 0 LABELS plan STDOUT "^[1-9][0-9]* passed, 0 failed$"
        COMMAND kelias plan test "${rel}")
endforeach()

# Every example case gets a plan, in both languages, whose every line names its origin:
# each entry (indented) and the risk, needs and review lines end with [from: ...].
set(plan_origin_check [=[awk '(/^  / || /^(Risk level|Needs|Next review|Rizikos lygis|Poreikiai|Kita peržiūra):/) && !/  \[(from|iš): [^]]+\]$/ { print "no origin: " $0; bad = 1 } /^(Next review|Kita peržiūra):/ { review = 1 } END { if (!review) print "no review line"; exit bad || !review }']=])
file(GLOB KELIAS_EXAMPLE_CASES CONFIGURE_DEPENDS "${PROJECT_SOURCE_DIR}/examples/cases/*.yaml")
foreach(file IN LISTS KELIAS_EXAMPLE_CASES)
    get_filename_component(stem "${file}" NAME_WLE)
    file(RELATIVE_PATH rel "${PROJECT_SOURCE_DIR}" "${file}")
    foreach(lang en lt)
        kelias_cli_test(NAME "plan_example_${stem}_${lang}" EXIT 0 LABELS plan NOT_STDOUT "^no origin: "
            COMMAND bash -c "set -o pipefail; \"$KELIAS\" plan --policy lt_plan_policy --rules lt_release_pathway ${rel} --lang ${lang} | ${plan_origin_check}")
    endforeach()
endforeach()

# Exact plans, in English and Lithuanian.
kelias_cli_test(NAME plan_text_en EXIT 0 LABELS plan
    STDOUT_FILE "${expected}/plan_adolescent.en.txt"
    COMMAND kelias plan --policy lt_plan_policy --rules ${plan_rules} ${plan_case})
kelias_cli_test(NAME plan_text_lt EXIT 0 LABELS plan
    STDOUT_FILE "${expected}/plan_adolescent.lt.txt"
    COMMAND kelias plan -p instruments/lt_plan_policy.yaml -r ${plan_rules} ${plan_case} --lang lt)
kelias_cli_test(NAME plan_output_file EXIT 0 LABELS plan
    COMPARE plan.txt "${expected}/plan_adolescent.en.txt"
    COMMAND bash -c [=["$KELIAS" plan -p lt_plan_policy -r tests/cli/data/plan/rules.yaml tests/cli/data/plan/adolescent.yaml -o "$KELIAS_TEST_TMPDIR/plan.txt" && test "$(stat -c %a "$KELIAS_TEST_TMPDIR/plan.txt")" = 600]=])
kelias_cli_test(NAME plan_json EXIT 0 LABELS plan
    STDOUT [=[^\{"case":"PLAN-0001","as_of":"2025-06-01","policy":"lt_plan_policy@2025\.1","policy_hash":"sha256:[0-9a-f]{64}","rules":"plan_rules@1","assessment":"start_av@2014 2025-05-12","risk":\{"level":"high".*"unmet":\[\{"area":"health_wellbeing","reason":"no_programme".*"review":\{"date":"2025-06-04","overdue":false]=]
    COMMAND kelias plan -p lt_plan_policy -r ${plan_rules} ${plan_case} --format json)
# The progress facts come from the events: plan_compliance from the latest plan review.
kelias_cli_test(NAME plan_compliance_from_events EXIT 0 LABELS plan
    STDOUT [=[^  - One-to-One \(one_to_one\), 150 h, probation officer]=]
    COMMAND kelias plan -p lt_plan_policy -r ${plan_rules} ${plan_case})
kelias_cli_test(NAME plan_as_of_before_the_incident EXIT 0 LABELS plan
    STDOUT [=[^Next review: 2025-08-12  \[from: assessment start_av \(2025-05-12\)]=]
    COMMAND kelias plan -p lt_plan_policy -r ${plan_rules} ${plan_case} --as-of 2025-05-25)
kelias_cli_test(NAME plan_unmet_with_reasons EXIT 0 LABELS plan
    STDOUT [=[^      one_to_one: excluded: risk is low .*intensive measures can raise reoffending \[low_risk_guard\]  \[from: decision one_to_one \(not_eligible\)\]$]=]
    COMMAND kelias plan -p lt_plan_policy -r lt_release_pathway examples/cases/hwh_eligible_later.yaml)

# Policies: show, test failures, invalid files.
kelias_cli_test(NAME plan_show EXIT 0 LABELS plan STDOUT "^  high_many: high risk, many needs -> 300 h, intensive supervision$"
    COMMAND kelias plan show lt_plan_policy)
kelias_cli_test(NAME plan_test_failure_exit_1 EXIT 1 LABELS plan STDOUT "^[0-9]+ passed, 1 failed$"
    COMMAND bash -c [=[sed 's/      next_review: 2025-08-10/      next_review: 2025-08-11/' instruments/lt_plan_policy.yaml >"$KELIAS_TEST_TMPDIR/p.yaml" && cp instruments/start_av.yaml instruments/start.yaml "$KELIAS_TEST_TMPDIR/" && "$KELIAS" plan test "$KELIAS_TEST_TMPDIR/p.yaml"]=])
kelias_cli_test(NAME plan_validate_invalid EXIT 1 LABELS plan STDERR "error\\[E203\\]: 'substanse_use' is not an item of instrument 'start_av'"
    COMMAND kelias plan validate tests/data/malformed_plans/005_unknown_item.yaml)
kelias_cli_test(NAME plan_validate_rules_is_not_a_policy EXIT 1 LABELS plan STDERR "error\\[E106\\]: this is not a plan policy \\(kind 'rules'\\)"
    COMMAND kelias plan validate lt_release_pathway)
kelias_cli_test(NAME plan_unknown_policy EXIT 2 LABELS plan STDERR "unknown plan policy 'no_such_policy'"
    COMMAND kelias plan --policy no_such_policy --rules lt_release_pathway ${plan_case})
kelias_cli_test(NAME plan_invalid_policy EXIT 1 LABELS plan STDERR "error\\[E203\\]"
    COMMAND kelias plan --policy tests/data/malformed_plans/005_unknown_item.yaml --rules ${plan_rules} ${plan_case})

# Usage errors and unreadable inputs.
kelias_cli_test(NAME plan_requires_policy_and_rules EXIT 1 LABELS plan STDERR "--policy and --rules are required"
    COMMAND kelias plan ${plan_case})
kelias_cli_test(NAME plan_bad_language EXIT 1 LABELS plan STDERR "de"
    COMMAND kelias plan -p lt_plan_policy -r ${plan_rules} ${plan_case} --lang de)
kelias_cli_test(NAME plan_bad_as_of EXIT 1 LABELS plan STDERR "--as-of must be a date"
    COMMAND kelias plan -p lt_plan_policy -r ${plan_rules} ${plan_case} --as-of 2025-13-01)
kelias_cli_test(NAME plan_no_as_of EXIT 1 LABELS plan STDERR "no as_of date"
    COMMAND bash -c [=[printf 'case: c\nfacts: {violent_offence: true}\n' >"$KELIAS_TEST_TMPDIR/c.yaml" && "$KELIAS" plan -p lt_plan_policy -r tests/cli/data/plan/rules.yaml "$KELIAS_TEST_TMPDIR/c.yaml"]=])
kelias_cli_test(NAME plan_case_unreadable EXIT 2 LABELS plan STDERR "no_such_case.yaml"
    COMMAND kelias plan -p lt_plan_policy -r ${plan_rules} tests/cli/data/no_such_case.yaml)
kelias_cli_test(NAME plan_case_does_not_fit_rules EXIT 3 LABELS plan STDERR "facts.violent_offence: expected true or false"
    COMMAND bash -c [=[printf 'case: c\nas_of: 2025-06-01\nfacts: {violent_offence: maybe}\n' >"$KELIAS_TEST_TMPDIR/c.yaml" && "$KELIAS" plan -p lt_plan_policy -r tests/cli/data/plan/rules.yaml "$KELIAS_TEST_TMPDIR/c.yaml"]=])
kelias_cli_test(NAME plan_output_is_not_an_input EXIT 2 LABELS plan STDERR "E803"
    COMMAND kelias plan -p lt_plan_policy -r ${plan_rules} ${plan_case} -o ${plan_case})
# Progress facts are filled only where the rule set declares them (rules_small has neither).
kelias_cli_test(NAME plan_rules_without_progress_facts EXIT 0 LABELS plan STDOUT "^Assessment: none$"
    COMMAND bash -c [=[printf 'case: c\nas_of: 2025-06-01\nfacts: {a: true, b: true, x: false}\nevents: [{type: plan_review, date: 2025-05-01, compliance: true}]\n' >"$KELIAS_TEST_TMPDIR/c.yaml" && "$KELIAS" plan -p lt_plan_policy -r tests/cli/data/rules_small.yaml "$KELIAS_TEST_TMPDIR/c.yaml"]=])
