"""What a definition declares beyond items and scores, as the package shows it: the
assessment header fields, outcome groups and age range (START:AV), and scores kept from an
older edition (Static-99R's 2003 categories)."""
from __future__ import annotations

import yaml

import kelias


def test_start_av_header_fields_match_the_definition(repo):
    declared = yaml.safe_load((repo / "instruments" / "start_av.yaml").read_text(encoding="utf-8"))
    fields = kelias.load_instrument("start_av").assessment_fields
    assert [f["id"] for f in fields] == list(declared["assessment_fields"])
    by_id = {f["id"]: f for f in fields}
    assert by_id["sources"]["type"] == "codes" and by_id["sources"]["column"] == "header.sources"
    assert by_id["sources"]["values"] == declared["assessment_fields"]["sources"]["values"]
    assert by_id["assessor"]["personal"] is True and by_id["status"]["personal"] is False
    assert by_id["status"]["confidence"] == "verified"
    assert by_id["status"]["labels"]["lt"] == "Vertinimo aplinka"


def test_start_av_outcome_groups_and_age_range():
    start_av = kelias.load_instrument("start_av")
    groups = start_av.outcome_groups
    assert [g["id"] for g in groups] == ["harm_to_others", "harm_to_self"]
    assert groups[1]["labels"]["en"] == "Harm to the Adolescent"
    assert start_av.age_range == {"min": 13, "max": 18, "confidence": "verified"}


def test_an_instrument_without_header_declares_nothing(repo):
    static99r = kelias.load_instrument(str(repo / "examples" / "instruments" / "static99r.yaml"))
    assert static99r.assessment_fields == [] and static99r.outcome_groups == []
    assert static99r.age_range is None


def test_legacy_scores_carry_their_edition(repo):
    static99r = kelias.load_instrument(str(repo / "examples" / "instruments" / "static99r.yaml"))
    info = {s.id: s for s in static99r.score_info}
    legacy = info["risk_category_2003"]
    assert (legacy.edition, legacy.legacy) == ("2003", True)
    current = [s for s in static99r.score_info if not s.legacy]
    assert current and all(s.edition == "" for s in current)
