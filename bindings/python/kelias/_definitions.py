"""Instruments, rule sets, plan policies and pathways: loading, scoring, deciding."""
from __future__ import annotations

import datetime as _dt
import json
import math
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple, Union

import numpy as np

from . import _core
from ._errors import DefinitionError, KeliasError, RowError, RowProblem, diagnostics, raise_core_error
from ._frames import Frame, arrow_chunk, to_days
from ._results import CaseDecisions, Explanation, Moves, Plan

PathLike = Union[str, "os.PathLike[str]"]
DateLike = Union[str, _dt.date, "np.datetime64", None]

_PACKAGE_DEFINITIONS = Path(__file__).resolve().parent / "instruments"


def definitions_dir() -> Path:
    """The folder of the definitions shipped inside the package (``kelias/instruments``)."""
    return _PACKAGE_DEFINITIONS


def find_definition(id_or_path: PathLike) -> Optional[Path]:
    """The file of a definition: an existing path as it is; an id (``start_av``) in the
    folders of ``KELIAS_PATH``, then among the definitions shipped with the package."""
    text = os.fspath(id_or_path)
    found = _core.find_definition(text)
    if found:
        return Path(found)
    if "/" not in text and not text.endswith(".yaml"):
        shipped = _PACKAGE_DEFINITIONS / f"{text}.yaml"
        if shipped.is_file():
            return shipped
    return None


def _read_definition(id_or_path: PathLike, what: str) -> Tuple[str, str]:
    path = find_definition(id_or_path)
    if path is None:
        raise DefinitionError(
            diagnostics(
                [
                    {
                        "severity": "error",
                        "code": "E000",
                        "message": f"no {what} '{os.fspath(id_or_path)}': not a file, and no such id in KELIAS_PATH or the package",
                        "hint": "give a path to a YAML file or the id of a shipped definition",
                        "file": os.fspath(id_or_path),
                        "line": 0,
                        "column": 0,
                        "text": f"{os.fspath(id_or_path)}: error[E000]: no {what} with this path or id",
                    }
                ]
            )
        )
    try:
        return path.read_bytes().decode("utf-8", errors="surrogateescape"), str(path)
    except OSError as e:
        raise DefinitionError(
            diagnostics(
                [
                    {
                        "severity": "error",
                        "code": "E000",
                        "message": f"cannot read the file: {e.strerror}",
                        "hint": "",
                        "file": str(path),
                        "line": 0,
                        "column": 0,
                        "text": f"{path}: error[E000]: cannot read the file: {e.strerror}",
                    }
                ]
            )
        ) from None


def _checked(result: Tuple[Any, list]) -> Tuple[Any, list]:
    value, found = result
    if value is None:
        raise DefinitionError(diagnostics(found))
    return value, diagnostics(found)


def _reload(loader, text: str, file: str, expected_hash: str, what: str):
    core, _ = _checked(loader(text, file))
    if core.hash != expected_hash:
        raise DefinitionError(
            diagnostics(
                [
                    {
                        "severity": "error",
                        "code": "E505",
                        "message": f"the pickled {what} has hash {expected_hash} but its text compiles to {core.hash}",
                        "hint": "pickle and unpickle with the same kelias version and an unaltered definition",
                        "file": file,
                        "line": 0,
                        "column": 0,
                        "text": f"{file}: error[E505]: the pickled {what}'s text does not match its hash",
                    }
                ]
            )
        )
    return core


@dataclass(frozen=True)
class Field:
    """One input column of an instrument (``coping.strength``)."""

    column: str
    owner: str
    name: str
    type: str
    allows_na: bool
    is_outcome: bool
    min: Optional[float]
    max: Optional[float]
    codes: List[str]
    levels: List[float]


@dataclass(frozen=True)
class Score:
    """One score an instrument computes, in definition order."""

    id: str
    label: str
    type: str
    hidden: bool
    expression: str
    edition: str = ""  #: the older edition a legacy score comes from ("2003"), or ""
    legacy: bool = False  #: True for a score kept from an older edition of the instrument


@dataclass(frozen=True)
class ItemInfo:
    """One item of an instrument (not an outcome), as its definition declares it.

    ``domain`` is ``""`` for an item outside the domains (START:AV's case-specific item);
    ``labels`` maps a language (``en``, ``lt``) to the label, for the languages the
    definition gives; ``fields`` are the item's input columns, in definition order.
    """

    id: str
    domain: str
    labels: Dict[str, str]
    in_totals: bool
    fields: List[Field]

    def label(self, lang: str = "en") -> str:
        """The label in ``lang``, else the English one, else the id with spaces."""
        return self.labels.get(lang) or self.labels.get("en") or self.id.replace("_", " ")


class _Definition:
    """What every compiled definition says about itself (read from its ``_core``), and its
    repr: ``<kelias.<name> id@version>``, with the start of the hash when
    ``_repr_hash``."""

    _repr_name = ""
    _repr_hash = False
    _core: Any

    id = property(lambda self: self._core.id, doc="The definition's id (``start_av``).")
    version = property(lambda self: self._core.version, doc="Its version as declared.")
    key = property(lambda self: self._core.key, doc="``id@version``, as stamped on every result.")
    hash = property(lambda self: self._core.hash, doc="``sha256:<hex>`` of the definition text.")
    file = property(lambda self: self._core.file, doc="The file it was loaded from.")

    def __repr__(self) -> str:
        if self._repr_hash:
            return f"<kelias.{self._repr_name} {self.key} {self.hash[:19]}>"
        return f"<kelias.{self._repr_name} {self.key}>"


def _threads(threads: Optional[int]) -> int:
    return 0 if threads is None else int(threads)


def _check_errors(errors: str) -> None:
    if errors not in ("raise", "collect"):
        raise ValueError(f"errors must be 'raise' or 'collect', not {errors!r}")


def _cell_text(value: Any) -> str:
    """A Python value as the cell text a CSV would hold."""
    if value is None:
        return ""
    if isinstance(value, (bool, np.bool_)):
        return "true" if value else "false"
    if isinstance(value, (float, np.floating)):
        if math.isnan(value):
            return ""
        return str(int(value)) if float(value).is_integer() else repr(float(value))
    if isinstance(value, (_dt.date, np.datetime64)):
        return str(np.datetime64(value, "D"))
    if type(value).__name__ in ("NAType", "NaTType"):
        return ""
    return str(value)


class Instrument(_Definition):
    """A compiled instrument (START:AV, START, an actuarial tool), immutable and safe to
    share between threads; pickles by its definition text and hash.

    >>> import kelias
    >>> start_av = kelias.load_instrument("start_av")
    >>> start_av.id, start_av.columns[:2]
    ('start_av', ['school_work.strength', 'school_work.vulnerability'])
    """

    def __init__(self, core: Any, text: str, warnings: Sequence[Any] = ()):
        self._core = core
        self._text = text
        self.warnings = list(warnings)
        self._fields = [Field(**f) for f in core.fields()]
        self._field_index = {f.column: i for i, f in enumerate(self._fields)}
        self._scores = [Score(**s) for s in core.scores()]

    _repr_name = "Instrument"
    _repr_hash = True

    # ---- what it declares (id, version, key, hash, file: see _Definition) -----------------
    title = property(lambda self: self._core.title)

    @property
    def items(self) -> List[str]:
        """The item ids (not outcomes), in definition order."""
        return [e["id"] for e in self._core.entries() if not e["is_outcome"]]

    @property
    def outcomes(self) -> List[str]:
        """The outcome ids (START:AV: violence, ...), in definition order."""
        return [e["id"] for e in self._core.entries() if e["is_outcome"]]

    @property
    def item_info(self) -> List[ItemInfo]:
        """Every item (not outcomes) in definition order with its domain, labels, whether it
        counts in totals, and its fields.

        >>> import kelias
        >>> school = kelias.load_instrument("start_av").item_info[0]
        >>> school.id, school.domain, school.label("en"), school.in_totals
        ('school_work', 'individual', 'School/Work', True)
        >>> [f.name for f in school.fields]
        ['strength', 'vulnerability', 'key', 'critical']
        """
        fields: Dict[str, List[Field]] = {}
        for f in self._fields:
            fields.setdefault(f.owner, []).append(f)
        return [
            ItemInfo(
                id=e["id"],
                domain=e["domain"],
                labels=dict(e["labels"]),
                in_totals=e["in_totals"],
                fields=list(fields.get(e["id"], [])),
            )
            for e in self._core.entries()
            if not e["is_outcome"]
        ]

    @property
    def scores(self) -> List[str]:
        """The ids of the scores outputs carry (hidden intermediate scores left out)."""
        return [s.id for s in self._scores if not s.hidden]

    @property
    def score_info(self) -> List[Score]:
        """Every score with its label, type and expression (hidden ones included)."""
        return list(self._scores)

    def _described(self, key: str, empty: Any) -> Any:
        return json.loads(self._core.describe_json()).get(key, empty)

    @property
    def assessment_fields(self) -> List[Dict[str, Any]]:
        """The assessment-level fields the definition declares (its header: status, purpose,
        sources, ...), as dicts with ``id``, ``column`` (``header.<id>``), ``type``,
        ``required``, ``personal``, ``values``, ``confidence`` and ``labels``; empty when it
        declares none.

        >>> import kelias
        >>> [f["id"] for f in kelias.load_instrument("start_av").assessment_fields][:3]
        ['status', 'purpose', 'sources']
        """
        return self._described("assessment_fields", [])

    @property
    def outcome_groups(self) -> List[Dict[str, Any]]:
        """The outcome groups with their labels (``id``, ``labels``); empty when none."""
        return self._described("outcome_groups", [])

    @property
    def age_range(self) -> Optional[Dict[str, Any]]:
        """The ages the instrument is meant for (``min``, ``max``, ``confidence``), or None.

        >>> import kelias
        >>> r = kelias.load_instrument("start_av").age_range
        >>> r["min"], r["max"]
        (13, 18)
        """
        return self._described("age_range", None)

    @property
    def columns(self) -> List[str]:
        """The input columns a ratings table may have: ``<item>.<field>``."""
        return [f.column for f in self._fields]

    @property
    def fields(self) -> List[Field]:
        return list(self._fields)

    @property
    def text(self) -> str:
        """The definition text it was compiled from."""
        return self._text

    def describe(self) -> str:
        return self._core.describe()

    def __reduce__(self):
        return (_unpickle_instrument, (self._text, self.file, self.hash))

    # ---- scoring --------------------------------------------------------------------------
    def _borrowed(self, frame: Frame, threads: int = 0) -> Tuple[list, list, List[str]]:
        """The engine's input columns (field, float64 values, states) and cell problems."""
        parsed, passed = self._parsed(frame, threads)
        columns, problems = [], []
        for name, index, kind, values, states, bad in parsed:
            columns.append((index, values, states))
            problems.extend((row, name, reason) for row, reason in bad)
        return columns, problems, passed

    def _parsed(self, frame: Frame, threads: int) -> Tuple[list, List[str]]:
        """[(column, field, kind, values, states or None, [(row, reason)])] in frame order,
        and the names of the other columns. Arrow text columns are parsed together in C++
        (from their buffers, the GIL released); dictionary columns entry by entry."""
        found, passed, arrow = [], [], []
        for name in frame.names:
            index = self._field_index.get(name)
            if index is None:
                passed.append(name)
                continue
            col = frame.column(name, self._fields[index].type)
            found.append((name, index, col))
            if col.kind == "arrow":
                arrow.append((index, frame.rows, [arrow_chunk(c) for c in col.values]))
        parsed_arrow = iter(self._core.parse_arrow_columns(arrow, threads) if arrow else [])
        out = []
        for name, index, col in found:
            if col.kind == "number":
                out.append((name, index, col.kind, col.values, None, []))
                continue
            if col.kind == "arrow":
                values, states, bad = next(parsed_arrow)
            elif col.kind == "dictionary":
                values, states, bad = self._dictionary(index, col.values)
            else:
                values, states, bad = self._core.parse_column(index, list(col.values))
            out.append((name, index, col.kind, values, states, bad))
        return out, passed

    def _dictionary(self, index: int, parts: list) -> Tuple[np.ndarray, np.ndarray, list]:
        """Dictionary-encoded cells: each entry parsed once, then the codes mapped (-1: null,
        omitted); a bad entry is a problem of every row that uses it."""
        values, states, bad = [], [], []
        base = 0
        for codes, entries in parts:
            # One extra entry, last, for nulls: a code of -1 indexes it.
            entry_values, entry_states, entry_bad = self._core.parse_column(index, list(entries) + [None])
            values.append(entry_values[codes])
            states.append(entry_states[codes])
            if entry_bad:
                reasons = dict(entry_bad)
                is_bad = np.zeros(len(entry_values), dtype=bool)
                is_bad[list(reasons)] = True
                for row in np.flatnonzero(is_bad[codes]).tolist():
                    bad.append((base + row, reasons[int(codes[row])]))
            base += len(codes)
        if not parts:
            return np.empty(0, dtype=np.float64), np.empty(0, dtype=np.uint8), bad
        return (np.ascontiguousarray(np.concatenate(values)), np.ascontiguousarray(np.concatenate(states)), bad)

    def input_kinds(self, data: Any) -> Dict[str, str]:
        """For each instrument column of ``data``, how its cells reach the engine: ``number``
        (float64 numbers, read in place when their dtype allows: see
        :meth:`input_addresses`), ``arrow`` (Arrow text parsed in C++ from its buffers, no
        Python object per cell), ``dictionary`` (categorical: each distinct entry parsed
        once) or ``cells`` (Python objects parsed one by one: NumPy object arrays, lists).

        >>> import pandas as pd, kelias
        >>> start_av = kelias.load_instrument("start_av")
        >>> df = pd.DataFrame({"coping.strength": [2.0], "violence.estimate": pd.Series(["low"], dtype="category")})
        >>> start_av.input_kinds(df)
        {'coping.strength': 'number', 'violence.estimate': 'dictionary'}
        """
        frame = Frame(data)
        return {
            name: frame.column(name, self._fields[self._field_index[name]].type).kind
            for name in frame.names
            if name in self._field_index
        }

    def score(
        self,
        data: Any,
        *,
        errors: str = "raise",
        id_column: str = "id",
        as_of: DateLike = None,
        date_column: Optional[str] = None,
        threads: Optional[int] = 0,
        checks: bool = True,
    ) -> Any:
        """Scores every row of ``data`` and returns the same kind of table, indexed like the
        input, with the columns that are not instrument fields passed through and one
        column per score (unknown scores are NaN / null).

        ``data`` is a pandas or polars DataFrame, a pyarrow Table, a dict of arrays or a
        list of dicts, with columns ``<item>.<field>``: a missing cell is omitted (never
        zero) and ``"na"`` is not applicable. Numeric float64 columns are read in place.
        Rows with invalid cells (or failing an error check): ``errors="raise"`` raises
        :class:`kelias.RowError` naming each (row, column, reason); ``errors="collect"``
        returns ``(scores, rejects)`` with the good rows scored and one reject per problem.

        >>> import pandas as pd, kelias
        >>> start_av = kelias.load_instrument("start_av")
        >>> df = pd.DataFrame({"id": ["Y1"], "coping.strength": [2.0], "coping.vulnerability": ["na"]})
        >>> start_av.score(df)[["id", "strength_total"]]          # doctest: +SKIP
        """
        _check_errors(errors)
        frame = Frame(data)
        columns, problems, passed = self._borrowed(frame, _threads(threads))
        as_of_days = None
        if date_column is not None:
            as_of_days = np.full(frame.rows, np.nan)
            for row, value in enumerate(frame.cells(date_column)):
                if not _cell_text(value):
                    continue  # no date: as_of
                try:
                    as_of_days[row] = to_days(value)
                except (TypeError, ValueError):
                    problems.append((row, date_column, "expected a date YYYY-MM-DD"))
        try:
            result = self._core.score_columns(columns, frame.rows, as_of_days, to_days(as_of), _threads(threads), checks)
        except _core.Error as e:
            raise_core_error(e)
        problems.extend(result["problems"])
        for row, check, item, severity, message in result["findings"]:
            if severity == "error":
                problems.append((row, "", f"error[{check}]: {message}" + (f" (item {item})" if item else "")))
        problems.sort(key=lambda p: p[0])
        keep = None
        if problems:
            ids = frame.cells(id_column) if id_column in frame.names else None
            labels = frame.labels([p[0] for p in problems])
            rows = [
                RowProblem(label, _cell_text(ids[p[0]]) if ids is not None else "", p[1], p[2])
                for label, p in zip(labels, problems)
            ]
            if errors == "raise":
                raise RowError(rows)
            keep = np.ones(frame.rows, dtype=bool)
            keep[[p[0] for p in problems]] = False
        scores = result["scores"]
        if keep is not None:
            scores = {k: (t, v[keep], k_[keep], None if x is None else [s for s, ok in zip(x, keep) if ok])
                      for k, (t, v, k_, x) in scores.items()}
        out = frame.build(passed, keep, scores)
        if frame.kind == "pandas":
            out.attrs["instrument"] = self.key
            out.attrs["instrument_hash"] = self.hash
            out.attrs["check_warnings"] = result["warnings"]
        if errors == "collect":
            rejects = frame.table(
                {
                    "row": [p.row for p in rows] if problems else [],
                    "id": [p.id for p in rows] if problems else [],
                    "column": [p.column for p in rows] if problems else [],
                    "reason": [p.reason for p in rows] if problems else [],
                }
            )
            return out, rejects
        return out

    def input_addresses(self, data: Any) -> Dict[str, int]:
        """For each numeric input column, the address of the float64 buffer the engine
        reads: equal to the caller's buffer when the column was not copied (a check for
        tests and the curious)."""
        frame = Frame(data)
        columns, _, _ = self._borrowed(frame)
        numeric = [c for c in columns if c[2] is None]
        addresses = self._core.column_addresses(numeric, frame.rows)
        return {self._fields[c[0]].column: a for c, a in zip(numeric, addresses)}

    def explain(self, row: Any, score: str, *, as_of: DateLike = None) -> Explanation:
        """How ``score`` was reached for one assessment (a dict, a pandas Series or a
        one-row table): the inputs, sub-scores, table rows and omission policy.

        >>> import kelias
        >>> start_av = kelias.load_instrument("start_av")
        >>> e = start_av.explain({"coping.strength": 2, "plans.strength": 1}, "strength_total")
        >>> e.value                        # omitted items are skipped, never zero
        '3'
        >>> print(e)                       # doctest: +ELLIPSIS
        strength_total = sum(strength)  ->  3
        ...
        """
        if not isinstance(row, dict):
            if type(row).__name__ == "Series":
                row = row.to_dict()
            else:
                frame = Frame(row)
                if frame.rows != 1:
                    raise ValueError("explain() takes one row")
                row = frame.row(0)
        cells = {str(k): _cell_text(v) for k, v in row.items() if str(k) in self._field_index}
        row_id = _cell_text(row.get("id", ""))
        node, text, found = self._core.explain(cells, score, row_id, to_days(as_of))
        if node is None:
            raise DefinitionError(diagnostics(found))
        return Explanation.from_core(node, text)

    def score_file(
        self,
        path: PathLike,
        *,
        format: Optional[str] = None,
        delimiter: Optional[str] = None,
        id_column: str = "id",
        pass_through: Sequence[str] = (),
        date_column: Optional[str] = None,
        as_of: DateLike = None,
        threads: Optional[int] = 0,
        checks: bool = True,
        errors: str = "collect",
    ) -> Any:
        """Scores a CSV or JSON-lines ratings file through the library's reader, in chunks
        (memory stays bounded by the chunk, not the file). Returns a pandas DataFrame
        (``id``, the ``pass_through`` columns, the scores, and ``line``: where each row
        starts), indexed by position; with ``errors="collect"`` (the default) also the
        rejects, as ``(scores, rejects)``; with ``errors="raise"`` a bad row raises.
        """
        import pandas as pd

        _check_errors(errors)
        p = os.fspath(path)
        fmt = format or ("jsonl" if p.endswith((".jsonl", ".ndjson", ".json")) else "csv")
        if fmt not in ("csv", "jsonl"):
            raise ValueError("format must be 'csv' or 'jsonl'")
        result = self._core.score_file(
            p, fmt, delimiter or "\0", id_column, list(pass_through), date_column, to_days(as_of), _threads(threads), checks
        )
        if not result["ok"]:
            raise DefinitionError(diagnostics(result["diagnostics"]))
        problems = [RowProblem(line, rid, column, reason) for line, rid, column, reason in result["problems"]]
        if problems and errors == "raise":
            raise RowError(problems)
        frame = Frame({"id": result["ids"]})
        out = frame.build([], None, result["scores"])
        df = pd.DataFrame({id_column: result["ids"], **result["pass_through"]})
        df = pd.concat([df, pd.DataFrame(out)], axis=1)
        df["line"] = np.asarray(result["lines"], dtype=np.int64)
        df.attrs["instrument"] = self.key
        df.attrs["instrument_hash"] = self.hash
        df.attrs["check_warnings"] = result["warnings"]
        if errors == "collect":
            rejects = pd.DataFrame(
                {
                    "line": [p.row for p in problems],
                    "id": [p.id for p in problems],
                    "column": [p.column for p in problems],
                    "reason": [p.reason for p in problems],
                }
            )
            return df, rejects
        return df


def _unpickle_instrument(text: str, file: str, expected_hash: str) -> Instrument:
    return Instrument(_reload(_core.load_instrument, text, file, expected_hash, "instrument"), text)


def load_instrument(id_or_path: PathLike) -> Instrument:
    """Loads an instrument by id (``"start_av"``: ``KELIAS_PATH``, then the definitions
    shipped in the package) or by path. Raises :class:`kelias.DefinitionError` with every
    problem found.

    >>> import kelias
    >>> kelias.load_instrument("start_av").key
    'start_av@2014'
    """
    text, file = _read_definition(id_or_path, "instrument")
    core, warnings = _checked(_core.load_instrument(text, file))
    return Instrument(core, text, warnings)


# ---- cases ----------------------------------------------------------------------------


def _json_default(value: Any) -> Any:
    if isinstance(value, (_dt.date, np.datetime64)):
        return str(np.datetime64(value, "D"))
    if isinstance(value, np.generic):
        return value.item()
    if type(value).__name__ == "Timestamp":
        return value.date().isoformat()
    raise TypeError(f"a {type(value).__name__} cannot be a case value")


def _missing(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return type(value).__name__ in ("NAType", "NaTType")


def case_from_row(row: Dict[str, Any]) -> Dict[str, Any]:
    """A case document from one flat row: ``case``, ``as_of``, ``facts.<name>``,
    ``assessments.<instrument>.date``, ``assessments.<instrument>.scores.<name>``,
    ``assessments.<instrument>.ratings.<column>``; missing values are left out (omitted)."""
    case: Dict[str, Any] = {}
    for key, value in row.items():
        if _missing(value) if not isinstance(value, (list, tuple, np.ndarray)) else False:
            continue
        if isinstance(value, np.ndarray):
            value = value.tolist()
        key = str(key)
        if key in ("case", "id"):
            case["case"] = value
        elif key == "as_of":
            case["as_of"] = value
        elif key.startswith("facts."):
            case.setdefault("facts", {})[key[6:]] = value
        elif key.startswith("assessments."):
            instrument, _, rest = key[12:].partition(".")
            entry = case.setdefault("assessments", {}).setdefault(instrument, {})
            if rest == "date":
                entry["date"] = value
            else:
                part, _, name = rest.partition(".")
                entry.setdefault(part, {})[name] = value
    return case


def cases_frame(cases: Iterable[Dict[str, Any]]) -> Any:
    """Case documents as a flat pandas DataFrame (the inverse of :func:`case_from_row`):
    one row per case, one column per fact and assessment value, lists kept as lists."""
    import pandas as pd

    rows = []
    for c in cases:
        row: Dict[str, Any] = {"case": c.get("case", c.get("id"))}
        if "as_of" in c:
            row["as_of"] = c["as_of"]
        for name, value in (c.get("facts") or {}).items():
            row[f"facts.{name}"] = value
        for instrument, entry in (c.get("assessments") or {}).items():
            for part, value in entry.items():
                if isinstance(value, dict):
                    for name, v in value.items():
                        row[f"assessments.{instrument}.{part}.{name}"] = v
                else:
                    row[f"assessments.{instrument}.{part}"] = value
        rows.append(row)
    return pd.DataFrame(rows)


def _case_lines(cases: Any) -> Tuple[List[str], List[Any]]:
    """JSON lines of cases, and how each is named in reports (its input label)."""
    if isinstance(cases, (str, os.PathLike)):
        path = Path(cases)
        text = path.read_text(encoding="utf-8-sig")
        if path.suffix in (".jsonl", ".ndjson"):
            lines = [line for line in text.splitlines() if line.strip()]
            return lines, list(range(len(lines)))
        line, found = _core.case_to_json(text, str(path))
        if line is None:
            raise DefinitionError(diagnostics(found))
        return [line], [0]
    if isinstance(cases, dict):
        cases = [cases]
    if isinstance(cases, (list, tuple)):
        # Case documents, or flat rows (dotted keys such as facts.x) as a frame's records.
        documents = [case_from_row(c) if any("." in str(k) for k in c) else c for c in cases]
        return [json.dumps(c, default=_json_default) for c in documents], list(range(len(cases)))
    frame = Frame(cases)
    rows = frame.records()
    return [json.dumps(case_from_row(r), default=_json_default) for r in rows], frame.labels(range(frame.rows))


class RuleSet(_Definition):
    """A compiled eligibility rule set (``lt_release_pathway``), immutable and safe to
    share between threads; pickles by its definition text and hash.

    >>> import kelias
    >>> rules = kelias.load_rules("lt_release_pathway")
    >>> "halfway_house" in rules.programmes
    True
    """

    def __init__(self, core: Any, text: str, warnings: Sequence[Any] = ()):
        self._core = core
        self._text = text
        self.warnings = list(warnings)

    _repr_name = "RuleSet"
    _repr_hash = True
    title = property(lambda self: self._core.title)

    @property
    def programmes(self) -> List[str]:
        """Programme ids in report order (priority)."""
        return [p["id"] for p in self._core.programmes()]

    @property
    def facts(self) -> List[str]:
        return [f["name"] for f in self._core.facts()]

    @property
    def text(self) -> str:
        return self._text

    def describe(self, lang: str = "en") -> str:
        return self._core.describe(lang)

    def __reduce__(self):
        return (_unpickle_rules, (self._text, self.file, self.hash))

    def decide(
        self,
        cases: Any,
        *,
        as_of: DateLike = None,
        earliest_dates: bool = True,
        threads: Optional[int] = 0,
        lang: str = "en",
        errors: str = "raise",
        brief: bool = False,
    ) -> Any:
        """Decides every case and returns a tidy pandas DataFrame, one row per case and
        programme (report order): ``case``, ``programme``, ``decision`` (``eligible``,
        ``not_eligible``, ``undetermined``), ``earliest_date``, ``missing`` (list of
        ``facts.x`` paths), ``reasons`` (list of texts of the conditions that fail, the
        exclusions that apply and the unknown ones).

        ``cases``: a list of case documents (dicts as in a JSONL case file), one dict, a
        path to a ``.jsonl``/``.yaml``/``.json`` case file, or a DataFrame of flat cases
        (see :func:`kelias.case_from_row`). ``as_of`` replaces each case's own date.
        ``brief=True`` gives only ``case``, ``programme`` and ``decision``, from the
        columnar fast path (``kelias eligibility --brief``). Cases
        that do not fit the rules raise :class:`kelias.RowError`, or with
        ``errors="collect"`` come back as ``(decisions, rejects)``.

        >>> import kelias
        >>> rules = kelias.load_rules("lt_release_pathway")
        >>> rules.decide("examples/cases/batch.jsonl").head()     # doctest: +SKIP
        """
        import pandas as pd

        _check_errors(errors)
        lines, labels = _case_lines(cases)
        out = self._core.decide_json(lines, to_days(as_of), earliest_dates, _threads(threads), lang, brief)
        rejects = [RowProblem(labels[i], cid, "", reason) for i, cid, reason in out["rejects"]]
        if rejects and errors == "raise":
            raise RowError(rejects)
        if brief:
            df = pd.DataFrame(
                {
                    "case": pd.Series(out["case"], dtype=object),
                    "programme": pd.Series(out["programme"], dtype=object),
                    "decision": pd.Series(out["decision"], dtype=object),
                }
            )
        else:
            df = self._frame(out)
        df.attrs["rules"] = self.key
        df.attrs["rules_hash"] = self.hash
        if errors == "collect":
            return df, pd.DataFrame(
                {
                    "row": [r.row for r in rejects],
                    "case": [r.id for r in rejects],
                    "reason": [r.reason for r in rejects],
                }
            )
        return df

    @staticmethod
    def _frame(out: Dict[str, Any]) -> Any:
        import pandas as pd

        earliest = pd.Series(
            [np.datetime64(d, "D") if d is not None else np.datetime64("NaT") for d in out["earliest_date"]],
            dtype="datetime64[s]",
        )
        df = pd.DataFrame(
            {
                "case": pd.Series(out["case"], dtype=object),
                "programme": pd.Series(out["programme"], dtype=object),
                "decision": pd.Series(out["decision"], dtype=object),
                "earliest_date": earliest,
                "missing": pd.Series(out["missing"], dtype=object),
                "reasons": pd.Series(out["reasons"], dtype=object),
            }
        )
        return df

    def explain(self, case: Any, *, as_of: DateLike = None, lang: str = "en") -> CaseDecisions:
        """Every programme's decision for one case with every condition, its inputs and
        params; ``str()`` is what ``kelias eligibility --explain`` prints."""
        lines, _ = _case_lines(case)
        if len(lines) != 1:
            raise ValueError("explain() takes one case")
        decided, text, found = self._core.explain_json(lines[0], to_days(as_of), lang)
        if decided is None:
            raise DefinitionError(diagnostics(found))
        return CaseDecisions.from_core(decided, text)


def _unpickle_rules(text: str, file: str, expected_hash: str) -> RuleSet:
    return RuleSet(_reload(_core.load_rules, text, file, expected_hash, "rule set"), text)


def load_rules(id_or_path: PathLike) -> RuleSet:
    """Loads a rule set by id (``"lt_release_pathway"``) or path, with the instruments it
    names (found beside it, or by id). Raises :class:`kelias.DefinitionError`."""
    text, file = _read_definition(id_or_path, "rule set")
    core, warnings = _checked(_core.load_rules(text, file))
    return RuleSet(core, text, warnings)


class PlanPolicy(_Definition):
    """A compiled plan policy (``lt_plan_policy``): turns a case's assessment and its
    eligibility decisions into a case plan."""

    def __init__(self, core: Any, warnings: Sequence[Any] = ()):
        self._core = core
        self.warnings = list(warnings)

    _repr_name = "PlanPolicy"

    def plan(self, case: Any, rules: RuleSet, *, as_of: DateLike = None, lang: str = "en") -> Plan:
        """The plan for one case (a dict or a case file), as ``kelias plan`` makes it."""
        lines, _ = _case_lines(case)
        made, text, found = self._core.plan_json(rules._core, lines[0], to_days(as_of), lang)
        if made is None:
            raise DefinitionError(diagnostics(found))
        return Plan.from_json(json.loads(made), text)


def load_plan_policy(id_or_path: PathLike) -> PlanPolicy:
    """Loads a plan policy by id (``"lt_plan_policy"``) or path."""
    text, file = _read_definition(id_or_path, "plan policy")
    core, warnings = _checked(_core.load_plan_policy(text, file))
    return PlanPolicy(core, warnings)


class Pathway(_Definition):
    """A compiled pathway (``lt_pathway``): placements and the moves between them, guarded
    by a rule set's programmes."""

    def __init__(self, core: Any, rules: RuleSet, warnings: Sequence[Any] = ()):
        self._core = core
        self.rules = rules
        self.warnings = list(warnings)

    _repr_name = "Pathway"

    def moves(self, case: Any, *, as_of: DateLike = None, lang: str = "en") -> Moves:
        """The moves out of the case's current placement, as ``kelias pathway moves``."""
        lines, _ = _case_lines(case)
        found_moves, text, found = self._core.moves_json(self.rules._core, lines[0], to_days(as_of), lang)
        if found_moves is None:
            raise DefinitionError(diagnostics(found))
        return Moves.from_core(found_moves, text)


def load_pathway(id_or_path: PathLike, rules: Optional[RuleSet] = None) -> Pathway:
    """Loads a pathway by id (``"lt_pathway"``) or path, checked against ``rules`` or the
    rule set it names (found beside it or by id)."""
    text, file = _read_definition(id_or_path, "pathway")
    core, warnings = _checked(_core.load_pathway(text, file, rules._core if rules else None))
    if rules is None:
        rules_core, _ = _checked(core.rules())
        rules = RuleSet(rules_core, "")
        rules_file = find_definition(rules_core.file)
        if rules_file is not None:
            rules._text = rules_file.read_text(encoding="utf-8")
    return Pathway(core, rules, warnings)


def plan(case: Any, policy: Union[PlanPolicy, PathLike], rules: Union[RuleSet, PathLike], *, as_of: DateLike = None,
         lang: str = "en") -> Plan:
    """The plan of one case: ``policy.plan(case, rules)`` with ids or paths allowed."""
    policy = policy if isinstance(policy, PlanPolicy) else load_plan_policy(policy)
    rules = rules if isinstance(rules, RuleSet) else load_rules(rules)
    return policy.plan(case, rules, as_of=as_of, lang=lang)


def moves(case: Any, pathway: Union[Pathway, PathLike], *, as_of: DateLike = None, lang: str = "en") -> Moves:
    """The open moves of one case: ``pathway.moves(case)`` with an id or path allowed."""
    pathway = pathway if isinstance(pathway, Pathway) else load_pathway(pathway)
    return pathway.moves(case, as_of=as_of, lang=lang)
