# Keyed tables, composed codes and legacy editions through the CLI (included from
# CMakeLists.txt, which defines kelias_cli_test).
kelias_cli_test(NAME instrument_show_marks_legacy_scores EXIT 0 LABELS instrument
    STDOUT "^  risk_category_2003  category \\[legacy edition 2003\\]  = legacy_2003_cutoffs\\(total\\)$"
    COMMAND kelias instrument show examples/instruments/static99r.yaml)
kelias_cli_test(NAME instrument_show_json_marks_legacy_scores EXIT 0 LABELS instrument
    STDOUT "\"id\":\"v2_tier\".*\"edition\":\"V2\",\"legacy\":true"
    COMMAND kelias instrument show --json examples/instruments/hmpps_tier.yaml)
# A two-way lookup, the final tier (max over ordered codes), a needs map and a composed code
# scored from a CSV file (the needs map as one column per need, absent needs count as NO_NEED).
kelias_cli_test(NAME score_keyed_table_and_composed_code EXIT 0 LABELS instrument
    STDOUT "^p1,B,,D,G,B,27,B,8,12,2,B2,hmpps_tier@v3-2025$"
    COMMAND bash -c [=[printf 'id,arp,csrp,mappa,rosh,mappa_level,rsr,complexity_factors,women_factor_points,needs.thinking_and_behaviour,needs.attitudes,needs.accommodation,ogrs,iom_nominal,mandate_for_change\np1,80,4.0,false,high,1,3.5,1,0,SEVERE,standard,severe,45,false,true\n' >"$KELIAS_TEST_TMPDIR/in.csv" && "$KELIAS" score --instrument examples/instruments/hmpps_tier.yaml "$KELIAS_TEST_TMPDIR/in.csv" -o "$KELIAS_TEST_TMPDIR/out.csv" && cat "$KELIAS_TEST_TMPDIR/out.csv"]=])
# The same case from JSON lines, its needs given as one map (as the service's needs map is).
kelias_cli_test(NAME score_hmpps_needs_map_jsonl EXIT 0 LABELS instrument
    STDOUT "^p1,B,,D,G,B,27,B,8,12,2,B2,hmpps_tier@v3-2025$"
    COMMAND bash -c [=[printf '%s\n' '{"id": "p1", "arp": 80, "csrp": 4.0, "mappa": false, "rosh": "HIGH", "mappa_level": 1, "rsr": 3.5, "complexity_factors": 1, "women_factor_points": 0, "needs": {"thinking_and_behaviour": "SEVERE", "attitudes": "STANDARD", "accommodation": "SEVERE"}, "ogrs": 45, "iom_nominal": false, "mandate_for_change": true}' >"$KELIAS_TEST_TMPDIR/in.jsonl" && "$KELIAS" score --instrument examples/instruments/hmpps_tier.yaml "$KELIAS_TEST_TMPDIR/in.jsonl" -o "$KELIAS_TEST_TMPDIR/out.csv" && cat "$KELIAS_TEST_TMPDIR/out.csv"]=])
# A coverage error is located, with the missing combination named.
kelias_cli_test(NAME instrument_validate_keyed_table_gap EXIT 1 LABELS instrument
    STDERR "080_keyed_table_coverage.yaml:63:7: error\\[E210\\]: no cells for codes p, r of key 'a'"
    COMMAND kelias instrument validate tests/data/malformed/080_keyed_table_coverage.yaml)
