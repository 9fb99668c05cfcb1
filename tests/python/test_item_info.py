"""Instrument.item_info (public item metadata), the shared definition base (ids, reprs,
pickling) and the stubs of kelias._core.stats."""
from __future__ import annotations

import ast
import dataclasses
import pickle
import re
from pathlib import Path

import pytest
import yaml

import kelias
from kelias import _core


@pytest.fixture(scope="module")
def start_av():
    return kelias.load_instrument("start_av")


def test_item_info_matches_the_definition(start_av, repo):
    declared = yaml.safe_load((repo / "instruments" / "start_av.yaml").read_text(encoding="utf-8"))
    items = start_av.item_info
    assert [i.id for i in items] == [d["id"] for d in declared["items"]] == start_av.items
    assert len(items) == 25 and sum(i.in_totals for i in items) == 24  # 24 items + case-specific
    for info, item in zip(items, declared["items"]):
        assert isinstance(info, kelias.ItemInfo)
        assert info.domain == item.get("domain", "")
        assert info.labels == item["label"]
        assert info.in_totals == item.get("in_totals", True)
        assert [f.name for f in info.fields] == list(declared["item_fields"])
        assert [f.column for f in info.fields] == [f"{info.id}.{name}" for name in declared["item_fields"]]
    assert {i.domain for i in items} == {d["id"] for d in declared["domains"]} | {""}


def test_item_info_spot_values(start_av):
    by_id = {i.id: i for i in start_av.item_info}
    school = by_id["school_work"]
    assert (school.domain, school.in_totals) == ("individual", True)
    assert school.label() == "School/Work" and school.label("lt") == "Mokykla / darbas"
    assert school.label("de") == "School/Work"  # falls back to English
    assert [f.type for f in school.fields] == ["rating", "rating", "bool", "bool"]
    assert all(f.owner == "school_work" and not f.is_outcome for f in school.fields)
    assert sum(i.domain == "individual" for i in start_av.item_info) == 12
    case = start_av.item_info[-1]
    assert case.id == "case_specific" and case.domain == "" and not case.in_totals
    assert case.label("en") == "Case-Specific Item"
    # Fields are the instrument's own Field objects; outcomes are not items.
    assert case.fields == [f for f in start_av.fields if f.owner == "case_specific"]
    assert not set(start_av.outcomes) & set(by_id)


def test_item_info_is_frozen_and_a_fresh_list(start_av):
    info = start_av.item_info
    with pytest.raises(dataclasses.FrozenInstanceError):
        info[0].domain = "other"  # type: ignore[misc]
    info.clear()
    assert len(start_av.item_info) == 25
    assert start_av.item_info[0] == start_av.item_info[0]


def test_profile_reads_labels_and_domains_from_item_info(start_av, monkeypatch):
    kplot = pytest.importorskip("kelias.plot")
    renamed = [dataclasses.replace(i, labels={"en": f"Item {n}"}) for n, i in enumerate(start_av.item_info)]
    monkeypatch.setattr(kelias.Instrument, "item_info", property(lambda self: renamed))
    row = {c: 1.0 for c in start_av.columns if c.endswith((".strength", ".vulnerability"))}
    fig = kplot.profile(start_av, row)
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert sorted(labels) == sorted(f"Item {n}" for n in range(25))


def test_definitions_share_ids_and_reprs(start_av):
    rules = kelias.load_rules("lt_release_pathway")
    policy = kelias.load_plan_policy("lt_plan_policy")
    pathway = kelias.load_pathway("lt_pathway", rules)
    assert repr(start_av) == f"<kelias.Instrument {start_av.key} {start_av.hash[:19]}>"
    assert repr(rules) == f"<kelias.RuleSet {rules.key} {rules.hash[:19]}>"
    assert repr(policy) == f"<kelias.PlanPolicy {policy.key}>"
    assert repr(pathway) == f"<kelias.Pathway {pathway.key}>"
    for d in (start_av, rules, policy, pathway):
        assert d.key == f"{d.id}@{d.version}" and d.hash.startswith("sha256:") and Path(d.file).is_file()
    for d in (start_av, rules):
        again = pickle.loads(pickle.dumps(d))
        assert type(again) is type(d) and repr(again) == repr(d) and again.title == d.title


def _stub_functions(tree: ast.Module, class_name: str) -> dict[str, list[str]]:
    cls = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == class_name)
    return {f.name: [a.arg for a in f.args.args] for f in cls.body if isinstance(f, ast.FunctionDef)}


def test_core_stats_stubs_match_the_bindings():
    stub = Path(_core.__file__).with_name("_core.pyi")
    tree = ast.parse(stub.read_text(encoding="utf-8"))
    stubbed = _stub_functions(tree, "_Stats")
    bound = {n for n in dir(_core.stats) if not n.startswith("_")}
    assert set(stubbed) == bound
    for name in bound:
        signature = getattr(_core.stats, name).__doc__.splitlines()[0]
        params = re.findall(r"[(,]\s*(\w+):", signature)
        assert stubbed[name] == params, name
    assert any(
        isinstance(n, ast.AnnAssign) and getattr(n.target, "id", None) == "stats" for n in tree.body
    ), "no `stats: _Stats` in _core.pyi"
