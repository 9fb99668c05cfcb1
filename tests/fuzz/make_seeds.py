#!/usr/bin/env python3
"""Writes the seed corpora tests/fuzz/corpus/<harness>/ from the repository's own inputs.

    python3 tests/fuzz/make_seeds.py

Sources: tests/data/malformed*, the shipped and example instruments and rule sets,
examples/cases, examples/data, tests/cli/data, tests/data/store, examples/store, the expressions
inside every definition, and the hand-written seeds below. Files larger than 64 KB are skipped. Seeds must not crash (a crashing seed stops
libFuzzer at start-up): inputs that do go to tests/fuzz/regressions/<harness>/. Each seed is named
`<origin>__<name>`; the script (re)writes its own files and never deletes any, so seeds
added by hand (or minimized findings promoted to seeds) stay. Re-run it when the data
changes, then commit the corpus.
"""
import csv
import io
import json
import pathlib
import re
import sys

import yaml

ROOT = pathlib.Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "fuzz" / "corpus"
MAX_SEED = 64 * 1024

written = {}


def seed(harness, name, data):
    if isinstance(data, str):
        data = data.encode("utf-8")
    if len(data) > MAX_SEED:
        print(f"make_seeds: skipped {harness}/{name}: {len(data)} bytes", file=sys.stderr)
        return
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", name)[:120]
    folder = CORPUS / harness
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    if not path.exists() or path.read_bytes() != data:
        path.write_bytes(data)
    written[harness] = written.get(harness, 0) + 1


def files(pattern):
    return sorted(ROOT.glob(pattern))


def load_yaml(path):
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError):
        return None


def is_rules(doc):
    return isinstance(doc, dict) and doc.get("kind") == "rules"


def is_plan_policy(doc):
    return isinstance(doc, dict) and doc.get("kind") == "plan_policy"


def is_pathway(doc):
    return isinstance(doc, dict) and doc.get("kind") == "pathway"


# --- definitions -------------------------------------------------------------------------
for p in files("tests/data/malformed/*.yaml"):
    seed("instrument_loader", "malformed__" + p.name, p.read_bytes())
for p in files("tests/data/malformed_rules/*.yaml"):
    seed("rules_loader", "malformed_rules__" + p.name, p.read_bytes())
for p in files("tests/data/malformed_plans/*.yaml"):
    seed("plan_policy_loader", "malformed_plans__" + p.name, p.read_bytes())
for p in files("tests/data/malformed_pathways/*.yaml"):
    seed("pathway_loader", "malformed_pathways__" + p.name, p.read_bytes())
for p in files("examples/cases/events/*/*.yaml"):
    seed("pathway_event", f"examples__{p.parent.name}_{p.name}", p.read_bytes())
for pattern in ("instruments/*.yaml", "examples/instruments/*.yaml", "tests/cli/data/*.yaml"):
    for p in files(pattern):
        origin = pattern.split("/")[0] if not pattern.startswith("tests") else "cli_data"
        doc = load_yaml(p)
        harness = ("rules_loader" if is_rules(doc) else
                   "plan_policy_loader" if is_plan_policy(doc) else
                   "pathway_loader" if is_pathway(doc) else "instrument_loader")
        seed(harness, f"{origin}__{p.name}", p.read_bytes())

# --- expressions: every expr / when in every definition ----------------------------------
expressions = set()


def collect_expressions(node):
    if isinstance(node, dict):
        for k, v in node.items():
            if k in ("expr", "when") and isinstance(v, str):
                expressions.add(v)
            else:
                collect_expressions(v)
    elif isinstance(node, list):
        for v in node:
            collect_expressions(v)


for pattern in ("instruments/*.yaml", "examples/instruments/*.yaml", "tests/cli/data/*.yaml"):
    for p in files(pattern):
        collect_expressions(load_yaml(p))
for i, e in enumerate(sorted(expressions)):
    seed("expression", f"defs__{i:03d}", e)

HAND_EXPRESSIONS = [
    "", "1", "-0.5e-3", "'text'", '"x"', "true and not false", "P6M", "date('2024-01-31')",
    "sum(strength)", "sum(strength, individual)", "mean(strength, [coping, plans])", "n_known(estimate)",
    "count(key) >= 2 or any(key)", "all(key)", "min_of(vulnerability) + max_of(vulnerability)",
    "if(age >= 18, 1, 0)", "coalesce(income, weight, 0)", "is_known(age) and is_na(band) or is_omitted(sex)",
    "ln(1 + abs(income))", "exp(weight)", "logistic(1.2 - 0.03 * age)", "round(income, 2)", "round(1e300, 400)",
    "floor(weight / 0)", "ceil(-weight)", "clamp(age, 18, 65)", "min(age, 40, weight)", "max(1, 2)",
    "years_between(seen, as_of)", "months_between(seen, as_of)", "days_between(seen, as_of)",
    "seen + P6M", "seen - P1Y2M10D", "seen + wait", "as_of - P9999Y",
    "age_points(age)", "risk_band(total)", "sex_points(sex)", "total_band >= 'moderate'", "band in ['low', 'high']",
    "hue not in ['red']", "violence.estimate == 'high'", "coping.strength + plans.vulnerability", "key and strength == 0",
    "adult and review > as_of", "y * 1e308 * 10", "1 / 0", "-(-(-1))", "((((((((1))))))))",
    "1 + 2 * 3 - 4 / 5 == 3 and 1 < 2 and 2 <= 2 and 3 > 2 and 3 >= 3 and 1 != 2",
    "regime == 'closed'", "custodial and not sexual_offence", "eligible('halfway_house')",
    "count(penalties, active)", "any(penalties, active and date > as_of - P1Y)", "n_known(penalties)",
    "date_at_fraction(sentence_start, sentence_end, 1/4)", "add_days(sentence_start, 10)",
    "add_months(sentence_end, -12)", "fresh(start_av.date, P6M)", "as_of >= earliest_parole_date - P1Y",
    "params.hwh_min_share_served", "start_av.violence.estimate in ['low', 'moderate']",
    "sentence_end - sentence_start > P3Y", "1 +", "sum(", "'unterminated", "a.b.c.d", "f(,)", "[1, 2, [3]]",
    "not not not true", "1 in []", "@", "\u00e4\u00f6\u00fc == '\u017e'", "1 " + "+ 1 " * 300,
    "(" * 70 + "1" + ")" * 70, "-" * 70 + "1", "not " * 70 + "true",
    # Rule-set conditions must be bool to be evaluated.
    "as_of >= date_at_fraction(sentence_start, sentence_end, 1/4)", "add_days(sentence_start, 10) <= as_of",
    "add_months(sentence_end, -12) < as_of", "add_days(as_of, convictions_last_5y) > sentence_end",
    "add_months(date_of_birth, 12 * 18) <= as_of", "as_of - P6M < earliest_parole_date",
    "count(penalties, active and date >= as_of - P1Y) == 0", "eligible('halfway_house') or not custodial",
    # Large but harmless numbers, a mutation or two away from the limits of int days.
    "add_days(sentence_start, 1e9) <= as_of", "add_months(sentence_end, 100000) < as_of",
    "as_of >= date_at_fraction(sentence_start, sentence_end, 1e6)", "seen + P9999Y > as_of",
    "round(income * 1e300, 12) > weight",
]
for i, e in enumerate(HAND_EXPRESSIONS):
    seed("expression", f"hand__{i:03d}", e)

# --- dates and durations -----------------------------------------------------------------
HAND_DATES = [
    "2024-02-29", "2023-02-29", "0000-01-01", "9999-12-31", "-001-01-01", "1970-01-01", "2024-1-01", "2024-01-01x",
    "P6M", "P1Y2M10D", "P6W", "P0D", "P1Y", "P10D", "P", "P1M1Y", "PT1H", "P-1D", "P99999999999Y",
    "2024-01-31 P1M 2024-02-29", "2024-02-29 P1Y 2025-02-28", "1970-01-01 P6W 1970-02-12",
    "9999-12-31 P1D 0000-01-01", "0000-01-01 P9999Y11M30D 9999-12-31", "2025-06-01 P3Y",
    "2024-03-31\nP1M\n2024-04-30",
]
for i, d in enumerate(HAND_DATES):
    seed("dates", f"hand__{i:03d}", d)

# --- cases -------------------------------------------------------------------------------
for p in files("examples/cases/*.yaml"):
    seed("case_yaml", "examples__" + p.name, p.read_bytes())
    seed("report", "examples__" + p.name, p.read_bytes())
    doc = load_yaml(p)
    if isinstance(doc, dict):
        line = json.dumps(doc, default=str, separators=(",", ":"))
        seed("case_json", "examples__" + p.stem + ".jsonl", line + "\n")
        seed("case_json", "examples__" + p.stem + "_earliest.jsonl", " " + line + "\n")
for pattern in ("examples/cases/*.jsonl", "tests/cli/data/*.jsonl"):
    for p in files(pattern):
        if pattern.startswith("tests") and not p.name.startswith("batch"):
            continue  # ratings, not cases
        origin = "examples" if pattern.startswith("examples") else "cli_data"
        text = p.read_text(encoding="utf-8")
        seed("case_json", f"{origin}__{p.name}", text)
        seed("case_json", f"{origin}__{p.stem}_earliest.jsonl", " " + text)
        seed("case_json", f"{origin}__{p.stem}_as_of.jsonl", "\t" + text)
        for i, line in enumerate(text.splitlines()):
            if line.strip():
                seed("case_json", f"{origin}__{p.stem}_line{i + 1}.jsonl", line + "\n")
                seed("case_yaml", f"{origin}__{p.stem}_line{i + 1}.json", line + "\n")

# The embedded tests of the shipped rule sets, as cases.
for p in files("instruments/*.yaml"):
    doc = load_yaml(p)
    if not is_rules(doc):
        continue
    for i, t in enumerate(doc.get("tests") or []):
        case = {"case": str(t.get("name", i))}
        for key in ("as_of", "facts", "assessments"):
            if key in t:
                case[key] = t[key]
        seed("case_yaml", f"rules_tests__{p.stem}_{i:02d}.yaml", yaml.safe_dump(case, sort_keys=False))
        line = json.dumps(case, default=str, separators=(",", ":"))
        seed("case_json", f"rules_tests__{p.stem}_{i:02d}.jsonl", line + "\n")

HAND_CASES_JSON = [
    '{}', '[]', '{"case": "a"}', '{"case": "a", "as_of": "2025-06-01"}',
    '{"case": "a", "as_of": "2025-06-01", "facts": {"penalties": null}}',
    '{"case": "a", "as_of": "2025-06-01", "facts": {"penalties": [{"date": "2024-01-01", "active": true}]}}',
    '{"case": "a", "as_of": "2025-06-01", "facts": {"sentence_start": "2024-01-01", "sentence_end": "9999-12-31"}}',
    '{"case": 1, "as_of": "2025-02-30", "facts": {"custodial": "yes", "regime": 3}}',
    '{"case": "a", "as_of": "2025-06-01", "assessments": {"start_av": {"date": "2025-05-01", "scores": {"violence.estimate": "low"}}}}',
    '{"case": "a", "as_of": "2025-06-01", "assessments": {"start_av": {"date": "2025-05-01", "ratings": {"coping.strength": "2"}}}}',
    '{"case": "\\u0000\\ud800", "as_of": "2025-06-01", "facts": {"earliest_parole_date": 1e400}}',
    '{"case": "a", "case": "b"}', '{"case": "a",}', '{"case" "a"}', '\ufeff{"case": "bom"}',
]
for i, c in enumerate(HAND_CASES_JSON):
    seed("case_json", f"hand__{i:03d}.jsonl", c + "\n")
    seed("case_yaml", f"hand__{i:03d}.json", c + "\n")
seed("case_json", "hand__all.jsonl", "\n".join(HAND_CASES_JSON) + "\n")
HAND_CASES_YAML = [
    "case: a\nas_of: 2025-06-01\nfacts:\n  regime: closed\n  custodial: true\n",
    "case: a\nas_of: 2025-06-01\nfacts:\n  penalties:\n    - {date: 2024-09-12, active: false}\n    - {date: 2025-01-02, active: true}\n",
    "case: a\nas_of: 2025-06-01\nfacts: {penalties: ~}\n",
    "case: &x a\nas_of: 2025-06-01\nfacts: {regime: *x}\n",
    "case: a\nas_of: 2025-06-01\nassessments:\n  start_av:\n    date: 2025-01-01\n    scores: {violence.estimate: high}\n",
    "case: a\nfacts: [1, 2]\n", "- a\n- b\n", "case: |\n  multi\n  line\nas_of: 2025-06-01\n",
    "case: a\nas_of: 2025-06-01\nfacts:\n  sentence_start: 0000-01-01\n  sentence_end: 9999-12-31\n  earliest_parole_date: 5000-06-15\n",
]
for i, c in enumerate(HAND_CASES_YAML):
    seed("case_yaml", f"hand__{i:03d}.yaml", c)

# --- ratings (START:AV) ------------------------------------------------------------------
ratings_csv = (ROOT / "examples/data/start_av_ratings.csv").read_text(encoding="utf-8")
seed("ratings_csv", "examples__start_av_ratings.csv", ratings_csv)
rows = list(csv.reader(io.StringIO(ratings_csv)))
header, body = rows[0], rows[1:]
for n in (1, 3):
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([header] + body[:n])
    seed("ratings_csv", f"examples__start_av_ratings_{n}rows.csv", out.getvalue())
    seed("ratings_csv", f"examples__start_av_ratings_{n}rows_crlf.csv", out.getvalue().replace("\n", "\r\n"))
    seed("ratings_csv", f"examples__start_av_ratings_{n}rows_bom.csv", "\ufeff" + out.getvalue())


def jsonl(rows_):
    lines = []
    for r in rows_:
        obj = {}
        for k, v in zip(header, r):
            if v == "":
                continue
            obj[k] = v if not re.fullmatch(r"-?\d+(\.\d+)?", v) or k == "id" else (float(v) if "." in v else int(v))
            if v in ("true", "false"):
                obj[k] = v == "true"
        lines.append(json.dumps(obj, separators=(",", ":")))
    return "\n".join(lines) + "\n"


seed("ratings_jsonl", "examples__start_av_ratings_10rows.jsonl", jsonl(body[:10]))
seed("ratings_jsonl", "examples__start_av_ratings_1row.jsonl", jsonl(body[:1]))
seed("ratings_jsonl", "examples__start_av_ratings_3rows.jsonl", jsonl(body[:3]))
for p in files("tests/cli/data/*.csv"):
    seed("ratings_csv", "cli_data__" + p.name, p.read_bytes())
for p in files("tests/cli/data/tiny*.jsonl"):
    seed("ratings_jsonl", "cli_data__" + p.name, p.read_bytes())
for p in files("tests/cli/data/meta/ratings_header.csv"):
    seed("ratings_csv", "cli_data__meta__" + p.name, p.read_bytes())
for p in files("tests/cli/data/meta/ratings_header.jsonl"):
    seed("ratings_jsonl", "cli_data__meta__" + p.name, p.read_bytes())

HAND_CSV = [
    "id,coping.strength,coping.key\nA,2,true\n",
    'id,coping.strength,coping.key\n"A ""quoted""",2,"true"\n"B\nmultiline",na,\n',
    "id,coping.strength\nA,2,extra\nB\n",
    "id,coping.strength,coping.strength\nA,1,2\n",
    " id , coping.strength \nA, 2 \n", "id\n\n\nA\n", "coping.strength\n1\n", "{\"id\": 1}\n",
    'id,coping.strength\n"A,1\n', 'id,coping.strength\nA"B,1\n', "id,coping.strength\r\nA,1\r\n",
    "id,violence.estimate,violence.history_recent\nA,high,true\nB,hgh,maybe\n",
    "id,age\nA,1\n", "id,coping.strength\nA,1e308\nB,-0\nC,nan\nD,inf\nE,0x1\n",
    # assessment header columns: good, bad, blank, quoted, unknown
    'id,coping.strength,header.status,header.sources,header.consent\nA,1,community," testing | other ",true\n'
    "B,2,prison,testing|testing,yes\nC,,,,\n",
    "id,header.statsu,header.status\nA,x,institution\n",
]
for i, c in enumerate(HAND_CSV):
    seed("ratings_csv", f"hand__{i:03d}.csv", c)
HAND_JSONL = [
    '{"id":"A","coping.strength":2,"coping.key":true}\n',
    '{"id":"A","coping.strength":null,"coping.key":"na"}\n{"id":"B","coping.strength":"2"}\n',
    '{"id":"A","coping.strength":[1]}\n{"id":"B","coping":{"strength":1}}\n',
    '{"id":"A","unknown":1}\n', '[1,2]\n', '"text"\n', '{"id":"A"\n', '\n\n{"id":"A"}\n\n',
    '{"id":1e400,"coping.strength":1.0}\n', '{"id":"A","coping.strength":-0}\n{"id":"A","coping.strength":18446744073709551615}\n',
    '\ufeff{"id":"A"}\n', '{"id":"A","id":"B"}\n', '{"id":"\\u0000"}\n',
    # assessment header keys and maps: good, bad, given twice, nested, unknown
    '{"id":"A","header":{"status":"institution","consent":true,"sources":"testing|other"}}\n'
    '{"id":"B","header.status":"prison","header":{"status":"community"}}\n',
    '{"id":"A","header":{"statsu":1}}\n{"id":"B","header":[1]}\n{"id":"C","header":{"assessor":{"x":1}}}\n',
]
for i, c in enumerate(HAND_JSONL):
    seed("ratings_jsonl", f"hand__{i:03d}.jsonl", c)

# --- case store JSON (store_json): ratings files and hand-written documents. The export
# seeds cli_export__case_store.jsonl and cli_export__record_document.json (its record line's
# document) were written by `kelias case export` (a store with two cases, a facts change and
# a finalised assessment; tests/cli/case_store_lib.sh) and are kept by hand: this script does
# not run the CLI.
for pattern in ("tests/data/store/*.json", "examples/store/*.json"):
    for p in files(pattern):
        origin = "tests_data" if pattern.startswith("tests") else "examples"
        seed("store_json", f"{origin}__{p.name}", p.read_bytes())
HAND_STORE_JSON = [
    '{}', '[]', '"text"', '{"a":"x","b":{"c":"y"}}', '{"a":1,"b":true,"c":null,"d":-0.5e3}',
    '{"a":"x","a":"y"}', '{"a":{"c":"y","c":"z"}}', '{"a":{"b":{"c":1}}}', '{"a":[1]}',
    '{"a":"\\u0000\\ud800\\n"}', '{"kelias":"case_store","format":"1"}\n{"case":"A","version":"1"}\n',
    '\ufeff{"a":"x"}', '{"a":"x"} {"b":"y"}', '{"a":"x"', '{"date":"2025-05-20","x.strength":"1"}',
]
for i, c in enumerate(HAND_STORE_JSON):
    seed("store_json", f"hand__{i:03d}.json", c)

total = sum(f.stat().st_size for f in CORPUS.rglob("*") if f.is_file())
for h in sorted(written):
    print(f"make_seeds: {h}: {written[h]} seeds")
print(f"make_seeds: {total // 1024} KB in {CORPUS.relative_to(ROOT)}")
