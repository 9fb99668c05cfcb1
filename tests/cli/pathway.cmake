# CLI end-to-end tests of `kelias pathway` and `kelias due` (included from CMakeLists.txt).
# Most tests check moves against tests/data/pathway/rules.yaml, a small rule set with the
# programme ids of the shipped one, so that they do not depend on its conditions; the
# walks of the four example cases use the shipped rule set itself.
set(pw_rules -p instruments/lt_pathway.yaml -r tests/data/pathway/rules.yaml)

kelias_cli_test(NAME pathway_validate EXIT 0 LABELS pathway
    STDOUT "^instruments/lt_pathway.yaml: valid \\(lt_pathway@2025.1, 8 placements, 7 moves, 11 roles, checked against pathway_test_rules@1\\)$"
    COMMAND kelias pathway validate instruments/lt_pathway.yaml -r tests/data/pathway/rules.yaml)
kelias_cli_test(NAME pathway_validate_malformed EXIT 1 LABELS pathway
    STDERR "error\\[E208\\]: rule set 'pathway_test_rules' has no programme 'halfway_hose'"
    COMMAND kelias pathway validate tests/data/malformed_pathways/004_rule_set_mismatch.yaml -r tests/data/pathway/rules.yaml)
kelias_cli_test(NAME pathway_validate_missing_file EXIT 2 LABELS pathway STDERR "E000"
    COMMAND kelias pathway validate no/such/pathway.yaml -r tests/data/pathway/rules.yaml)
kelias_cli_test(NAME pathway_show_text EXIT 0 LABELS pathway
    STDOUT "^  hwh_return \\[return\\]: Return from the halfway house$"
    COMMAND kelias pathway show instruments/lt_pathway.yaml -r tests/data/pathway/rules.yaml)
kelias_cli_test(NAME pathway_show_lt EXIT 0 LABELS pathway STDOUT "^  hwh_return \\[grąžinimas\\]: Grąžinimas iš pusiaukelės namų$"
    COMMAND kelias pathway show instruments/lt_pathway.yaml -r tests/data/pathway/rules.yaml --lang lt)
kelias_cli_test(NAME pathway_show_json EXIT 0 LABELS pathway STDOUT "^ok 7$"
    COMMAND bash -c [=["$KELIAS" pathway show instruments/lt_pathway.yaml -r tests/data/pathway/rules.yaml --format json | python3 -c 'import json,sys; d=json.load(sys.stdin); print("ok", len(d["moves"]))']=])

# One exact output in each language.
kelias_cli_test(NAME pathway_moves_exact_en EXIT 0 LABELS pathway
    STDOUT_FILE tests/cli/data/expected/pathway_moves_adult.en.txt
    COMMAND kelias pathway moves ${pw_rules} examples/cases/adult_to_halfway_house.yaml)
kelias_cli_test(NAME pathway_moves_exact_lt EXIT 0 LABELS pathway
    STDOUT_FILE tests/cli/data/expected/pathway_moves_adult.lt.txt
    COMMAND kelias pathway moves ${pw_rules} --lang lt examples/cases/adult_to_halfway_house.yaml)
kelias_cli_test(NAME pathway_moves_json EXIT 0 LABELS pathway STDOUT "^semi_open to_halfway_house 2025-09-01$"
    COMMAND bash -c [=["$KELIAS" pathway moves -p instruments/lt_pathway.yaml -r tests/data/pathway/rules.yaml examples/cases/adult_to_halfway_house.yaml --format json | python3 -c 'import json,sys
m=json.load(sys.stdin); cr=[x for x in m["moves"] if x["move"]=="to_conditional_release"][0]
print(m["placement"], ",".join(x["move"] for x in m["moves"] if x["allowed"]), cr["earliest_date"])']=])
kelias_cli_test(NAME pathway_moves_as_of EXIT 0 LABELS pathway
    STDOUT "^  Conditional release \\(to_conditional_release\\) -> Conditional release \\(conditional_release\\): allowed$"
    COMMAND kelias pathway moves ${pw_rules} --as-of 2025-09-01 examples/cases/adult_to_halfway_house.yaml)
kelias_cli_test(NAME pathway_moves_adolescent_start_av EXIT 0 LABELS pathway
    STDOUT "^Next assessment: start_av, due 2025-05-10 \\(overdue\\)$"
    COMMAND kelias pathway moves ${pw_rules} examples/cases/adolescent_kaunas_pathway.yaml)
kelias_cli_test(NAME pathway_moves_unknown_placement EXIT 3 LABELS pathway
    STDERR "error\\[E602\\]: placement 'prison' is not one of pathway 'lt_pathway'"
    COMMAND bash -c [=[printf 'case: x\nas_of: 2025-01-01\nplacements: [{placement: prison, from: 2024-01-01}]\n' >"$KELIAS_TEST_TMPDIR/c.yaml"; "$KELIAS" pathway moves -p instruments/lt_pathway.yaml -r tests/data/pathway/rules.yaml "$KELIAS_TEST_TMPDIR/c.yaml"]=])

# The four example cases walked through their pathways, step by step.
# The walks use the shipped rule set the pathway names (lt_release_pathway).
kelias_cli_test(NAME pathway_validate_shipped_rules EXIT 0 LABELS pathway
    STDOUT "^instruments/lt_pathway.yaml: valid \\(lt_pathway@.*checked against lt_release_pathway@"
    COMMAND kelias pathway validate instruments/lt_pathway.yaml)
kelias_cli_test(NAME pathway_walk_adolescent EXIT 0 LABELS pathway
    STDOUT "^exits 4 0 0 \\| closed \\| allowed: - \\| obligations: -$"
    COMMAND bash tests/cli/data/pathway_walk.sh examples/cases/adolescent_kaunas_pathway.yaml examples/cases/events/adolescent)
kelias_cli_test(NAME pathway_walk_adult_to_halfway_house EXIT 0 LABELS pathway
    STDOUT "^exits 4 0 4 0 0 \\| halfway_house \\| allowed: to_conditional_release,to_conditional_release_em \\| obligations: find_job=open$"
    COMMAND bash tests/cli/data/pathway_walk.sh examples/cases/adult_to_halfway_house.yaml examples/cases/events/adult_hwh)
kelias_cli_test(NAME pathway_walk_hwh_return EXIT 0 LABELS pathway
    STDOUT "^exits 4 0 4 0 0 \\| semi_open \\| allowed: to_conditional_release,to_conditional_release_em \\| obligations: -$"
    COMMAND bash tests/cli/data/pathway_walk.sh examples/cases/hwh_resident_no_job.yaml examples/cases/events/hwh_return)
kelias_cli_test(NAME pathway_walk_cr_em EXIT 0 LABELS pathway
    STDOUT "^exits 0 4 4 0 0 0 0 \\| conditional_release_em \\| allowed: release_revoked \\| obligations: wear_em_device=open$"
    COMMAND bash tests/cli/data/pathway_walk.sh examples/cases/high_risk_cr_em.yaml examples/cases/events/cr_em)

# Refusals: exit 4, the reason and the roles that may act, nothing written.
kelias_cli_test(NAME pathway_apply_refused_role EXIT 0 LABELS pathway
    STDOUT "^4 nothing-written \\[role_not_permitted\\] role 'contact_officer' may not propose 'to_halfway_house' \\(roles that may: case_manager, social_worker\\)$"
    COMMAND bash -c [=["$KELIAS" pathway apply -p instruments/lt_pathway.yaml -r tests/data/pathway/rules.yaml examples/cases/adult_to_halfway_house.yaml examples/cases/events/adult_hwh/01_propose_by_contact_officer.yaml -o "$KELIAS_TEST_TMPDIR/n.json" >"$KELIAS_TEST_TMPDIR/out.txt"; code=$?; test -e "$KELIAS_TEST_TMPDIR/n.json" && w=written || w=nothing-written; echo $code $w $(sed -n 2p "$KELIAS_TEST_TMPDIR/out.txt")]=])
kelias_cli_test(NAME pathway_apply_refused_lt EXIT 4 LABELS pathway STDOUT "^    gali: Atvejo vadybininkas, Socialinis darbuotojas$"
    COMMAND kelias pathway apply ${pw_rules} --lang lt examples/cases/adult_to_halfway_house.yaml examples/cases/events/adult_hwh/01_propose_by_contact_officer.yaml -o -)
kelias_cli_test(NAME pathway_apply_decide_without_proposal EXIT 4 LABELS pathway STDOUT "^  \\[no_proposal\\] 'to_halfway_house' is not proposed"
    COMMAND kelias pathway apply ${pw_rules} examples/cases/adult_to_halfway_house.yaml examples/cases/events/adult_hwh/04_decide.yaml -o -)
kelias_cli_test(NAME pathway_apply_refused_guard_json EXIT 4 LABELS pathway
    STDOUT "\"kind\":\"guard_not_eligible\".*\"earliest_date\":\"2025-09-01\""
    COMMAND bash -c [=[printf '{type: move, move: to_conditional_release, step: proposed, date: 2025-06-02, role: release_commission}\n' >"$KELIAS_TEST_TMPDIR/e.yaml"; "$KELIAS" pathway apply -p instruments/lt_pathway.yaml -r tests/data/pathway/rules.yaml examples/cases/adult_to_halfway_house.yaml "$KELIAS_TEST_TMPDIR/e.yaml" -o "$KELIAS_TEST_TMPDIR/n.json" --format json]=])
kelias_cli_test(NAME pathway_apply_writes_private_case EXIT 0 LABELS pathway STDOUT "^600 move_proposed$"
    COMMAND bash -c [=["$KELIAS" pathway apply -p instruments/lt_pathway.yaml -r tests/data/pathway/rules.yaml examples/cases/adult_to_halfway_house.yaml examples/cases/events/adult_hwh/02_propose.yaml -o "$KELIAS_TEST_TMPDIR/n.json" >/dev/null && echo $(stat -c %a "$KELIAS_TEST_TMPDIR/n.json") $(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["events"][-1]["type"])' "$KELIAS_TEST_TMPDIR/n.json")]=])
kelias_cli_test(NAME pathway_apply_bad_event EXIT 3 LABELS pathway STDERR "error\\[E703\\]: a move step names no step"
    COMMAND bash -c [=[printf '{type: move, move: to_halfway_house, date: 2025-06-02, role: case_manager}\n' >"$KELIAS_TEST_TMPDIR/e.yaml"; "$KELIAS" pathway apply -p instruments/lt_pathway.yaml -r tests/data/pathway/rules.yaml examples/cases/adult_to_halfway_house.yaml "$KELIAS_TEST_TMPDIR/e.yaml" -o "$KELIAS_TEST_TMPDIR/n.json"]=])
kelias_cli_test(NAME pathway_apply_output_is_input EXIT 2 LABELS pathway STDERR "E803"
    COMMAND bash -c [=[cp examples/cases/adult_to_halfway_house.yaml "$KELIAS_TEST_TMPDIR/c.yaml"; "$KELIAS" pathway apply -p instruments/lt_pathway.yaml -r tests/data/pathway/rules.yaml "$KELIAS_TEST_TMPDIR/c.yaml" examples/cases/events/adult_hwh/02_propose.yaml -o "$KELIAS_TEST_TMPDIR/c.yaml"]=])

# Due dates over many cases.
kelias_cli_test(NAME due_text EXIT 0 LABELS pathway
    STDOUT "^  2025-05-01  obligation  Find a job or start studies \\(overdue\\)$"
    COMMAND kelias due ${pw_rules} examples/cases/pathway_batch.jsonl --as-of 2025-06-01)
kelias_cli_test(NAME due_window_lt EXIT 0 LABELS pathway
    STDOUT "^  2025-09-01  perkėlimas  Lygtinis paleidimas \\(to_conditional_release\\)$"
    COMMAND kelias due ${pw_rules} examples/cases/pathway_batch.jsonl --as-of 2025-06-01 --within P3M --lang lt)
kelias_cli_test(NAME due_json EXIT 0 LABELS pathway STDOUT "^4 3$"
    COMMAND bash -c [=["$KELIAS" due -p instruments/lt_pathway.yaml -r tests/data/pathway/rules.yaml examples/cases/pathway_batch.jsonl --as-of 2025-06-01 --format json | python3 -c 'import json,sys
rows=[json.loads(l) for l in sys.stdin]; print(len(rows), sum(len(r["due"]) for r in rows))']=])
kelias_cli_test(NAME due_rejected_line EXIT 3 LABELS pathway STDERR "^line 2: "
    COMMAND bash -c [=[{ head -1 examples/cases/pathway_batch.jsonl; echo '{"case": 1'; } >"$KELIAS_TEST_TMPDIR/b.jsonl"; "$KELIAS" due -p instruments/lt_pathway.yaml -r tests/data/pathway/rules.yaml "$KELIAS_TEST_TMPDIR/b.jsonl" --as-of 2025-06-01]=])
kelias_cli_test(NAME due_stdin_long_line EXIT 3 LABELS pathway STDERR "^line 2: line longer than 1 MiB$"
    COMMAND bash -c [=[{ head -1 examples/cases/pathway_batch.jsonl; head -c 1100000 /dev/zero | tr '\0' x; echo; } | "$KELIAS" due -p instruments/lt_pathway.yaml -r tests/data/pathway/rules.yaml - --as-of 2025-06-01 >/dev/null]=])
kelias_cli_test(NAME due_needs_as_of EXIT 1 LABELS pathway STDERR "due needs --as-of"
    COMMAND kelias due ${pw_rules} examples/cases/pathway_batch.jsonl)
