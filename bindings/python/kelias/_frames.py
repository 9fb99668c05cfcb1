"""Tables in and out: pandas, polars, pyarrow, a dict of arrays or a list of dicts.

Numeric columns are handed to the engine as NumPy float64 buffers without a copy where
their type allows (a float64 NumPy array or pandas column, a polars Float64 column without
nulls, a single-chunk pyarrow float64 array without nulls). Other columns are converted
(integers and booleans to float64) or parsed as text (codes, ``"na"``, dates): Arrow text
(pandas' Arrow-backed ``str``, polars ``String``, pyarrow ``string``, ``large_string`` and
``string_view``) in C++ straight from the Arrow buffers; dictionary arrays and pandas
``category`` columns by parsing each distinct entry once and mapping the codes; anything
else (NumPy object arrays, lists) cell by cell from Python objects.
"""
from __future__ import annotations

import datetime as _dt
from typing import Any, Dict, List, Optional, Sequence, Tuple

import numpy as np

NUMBER_TYPES = ("rating", "integer", "number", "bool")


def _module_name(data: Any) -> str:
    return type(data).__module__.split(".")[0]


def kind_of(data: Any) -> str:
    """``pandas``, ``polars``, ``arrow``, ``dict`` or ``list``; TypeError otherwise."""
    mod = _module_name(data)
    name = type(data).__name__
    if mod == "pandas" and name == "DataFrame":
        return "pandas"
    if mod == "polars" and name == "DataFrame":
        return "polars"
    if mod == "pyarrow" and name == "Table":
        return "arrow"
    if isinstance(data, dict):
        return "dict"
    if isinstance(data, (list, tuple)) and all(isinstance(r, dict) for r in data):
        return "list"
    raise TypeError(
        "expected a pandas or polars DataFrame, a pyarrow Table, a dict of arrays or a list of dicts, "
        f"not {type(data).__name__}"
    )


def to_days(value: Any) -> Optional[int]:
    """A date (datetime.date, numpy.datetime64, pandas.Timestamp or ``YYYY-MM-DD``) as days since 1970-01-01."""
    if value is None:
        return None
    if isinstance(value, str):
        day = np.datetime64(value, "D")
    elif isinstance(value, _dt.datetime):
        day = np.datetime64(value.date(), "D")
    elif isinstance(value, _dt.date):
        day = np.datetime64(value, "D")
    else:
        day = np.datetime64(value, "D")
    return int(day.astype("int64"))


def from_days(days: Optional[float]) -> Optional[_dt.date]:
    if days is None or (isinstance(days, float) and np.isnan(days)):
        return None
    return _dt.date(1970, 1, 1) + _dt.timedelta(days=int(days))


def _days_array(values: np.ndarray) -> np.ndarray:
    """datetime64 values as float64 days, NaT as NaN."""
    days = values.astype("datetime64[D]")
    out = days.astype("int64").astype(np.float64)
    out[np.isnat(days)] = np.nan
    return out


class Column:
    """One input column, by how it reaches the engine: ``number`` (a float64 array, NaN =
    omitted), ``arrow`` (the chunks of an Arrow text array, parsed in C++ from its buffers),
    ``dictionary`` (``[(codes, entries)]``: int64 codes, -1 = null, and the entries as
    Python objects, parsed once each) or ``cells`` (a list of Python objects)."""

    __slots__ = ("kind", "values")

    def __init__(self, kind: str, values: Any):
        self.kind = kind
        self.values = values


def _float64(arr: np.ndarray) -> np.ndarray:
    if arr.dtype == np.float64 and arr.flags.c_contiguous:
        return arr  # the caller's own buffer
    return np.ascontiguousarray(arr, dtype=np.float64)


def _numpy_column(arr: np.ndarray, field_type: str) -> Column:
    if arr.dtype.kind == "M":
        return Column("number", _days_array(arr)) if field_type == "date" else Column("cells", arr.astype(str).tolist())
    if field_type in NUMBER_TYPES and arr.dtype.kind in "fiub":
        return Column("number", _float64(arr))
    return Column("cells", arr.tolist())


def _arrow_text(c: Any) -> Optional[Column]:
    """A pyarrow ChunkedArray of text or dictionary type as an ``arrow`` or ``dictionary``
    column; None for other types."""
    import pyarrow as pa
    import pyarrow.compute as pc

    t = c.type
    if pa.types.is_string(t) or pa.types.is_large_string(t) or _is_string_view(t):
        return Column("arrow", list(c.chunks))
    if pa.types.is_dictionary(t):
        parts = []
        for chunk in c.chunks:
            codes = pc.fill_null(chunk.indices.cast(pa.int64()), -1).to_numpy(zero_copy_only=False)
            parts.append((codes, chunk.dictionary.to_pylist()))
        return Column("dictionary", parts)
    return None


def _is_string_view(t: Any) -> bool:
    import pyarrow as pa

    return bool(getattr(pa.types, "is_string_view", lambda _: False)(t))  # pyarrow >= 16


def arrow_chunk(chunk: Any) -> Tuple[str, int, int, int, int, Tuple[int, ...]]:
    """What Instrument.parse_arrow_columns needs of one Arrow text array: its layout,
    length, offset and buffer addresses (the array must outlive the call)."""
    import pyarrow as pa

    t = chunk.type
    layout = "string" if pa.types.is_string(t) else "large_string" if pa.types.is_large_string(t) else "string_view"
    buffers = chunk.buffers()
    validity = buffers[0].address if buffers[0] is not None and chunk.null_count > 0 else 0
    offsets = buffers[1].address if buffers[1] is not None else 0
    data = tuple(b.address if b is not None else offsets for b in buffers[2:]) or (offsets,)
    return (layout, len(chunk), chunk.offset, validity, offsets, data)


def _pandas_arrow(s: Any) -> Optional[Any]:
    """The Arrow array behind a pandas column (Arrow-backed ``str``/``string[pyarrow]`` or
    an ``ArrowDtype``), without a copy; None when it has none."""
    import pandas as pd

    dtype = s.dtype
    arrow_backed = isinstance(dtype, pd.StringDtype) and str(getattr(dtype, "storage", "")).startswith("pyarrow")
    if not (arrow_backed or type(dtype).__name__ == "ArrowDtype") or not hasattr(s.array, "__arrow_array__"):
        return None
    import pyarrow as pa

    arr = s.array.__arrow_array__()
    return arr if isinstance(arr, pa.ChunkedArray) else pa.chunked_array([arr])


def _pandas_column(s: Any, field_type: str) -> Column:
    import pandas as pd

    dtype = s.dtype
    if isinstance(dtype, np.dtype):
        return _numpy_column(s.to_numpy(copy=False), field_type)
    if field_type in NUMBER_TYPES and (pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_bool_dtype(dtype)):
        return Column("number", s.to_numpy(dtype=np.float64, na_value=np.nan))
    if pd.api.types.is_datetime64_any_dtype(dtype):
        return _numpy_column(s.dt.tz_localize(None).to_numpy() if getattr(dtype, "tz", None) else s.to_numpy(), field_type)
    if isinstance(dtype, pd.CategoricalDtype):
        codes = np.asarray(s.cat.codes.to_numpy(), dtype=np.int64)
        return Column("dictionary", [(codes, dtype.categories.tolist())])
    arrow = _pandas_arrow(s)
    if arrow is not None:
        text = _arrow_text(arrow)
        if text is not None:
            return text
    return Column("cells", s.to_numpy(dtype=object, na_value=None).tolist())


def _polars_column(s: Any, field_type: str) -> Column:
    import polars as pl

    dtype = s.dtype
    if field_type in NUMBER_TYPES and (dtype.is_numeric() or dtype == pl.Boolean):
        if dtype == pl.Float64 and s.null_count() == 0 and s.n_chunks() == 1:
            return Column("number", _float64(s.to_numpy()))  # a view of the polars buffer
        return Column("number", _float64(s.cast(pl.Float64).fill_null(float("nan")).to_numpy()))
    if field_type == "date" and dtype in (pl.Date, pl.Datetime):
        days = s.cast(pl.Date).cast(pl.Int32).cast(pl.Float64).fill_null(float("nan"))
        return Column("number", _float64(days.to_numpy()))
    if dtype in (pl.String, pl.Categorical, pl.Enum) or isinstance(dtype, (pl.Categorical, pl.Enum)):
        try:
            import pyarrow as pa
        except ImportError:  # without pyarrow: cell by cell
            return Column("cells", s.to_list())
        try:  # string_view: polars' own buffers, no conversion
            arr = s.to_arrow(compat_level=pl.CompatLevel.newest())
        except (AttributeError, TypeError):
            arr = s.to_arrow()
        text = _arrow_text(arr if isinstance(arr, pa.ChunkedArray) else pa.chunked_array([arr]))
        if text is not None:
            return text
    return Column("cells", s.to_list())


def _arrow_column(c: Any, field_type: str) -> Column:
    import pyarrow as pa
    import pyarrow.compute as pc

    t = c.type
    numeric = pa.types.is_integer(t) or pa.types.is_floating(t) or pa.types.is_boolean(t)
    if field_type in NUMBER_TYPES and numeric:
        if pa.types.is_float64(t) and c.num_chunks == 1 and c.null_count == 0:
            return Column("number", c.chunk(0).to_numpy(zero_copy_only=True))  # the Arrow buffer itself
        if c.num_chunks == 0:
            return Column("number", np.empty(0, dtype=np.float64))
        filled = pc.fill_null(pc.cast(c, pa.float64()), float("nan"))
        return Column("number", _float64(filled.to_numpy()))
    if field_type == "date" and (pa.types.is_date(t) or pa.types.is_timestamp(t)):
        days = pc.fill_null(pc.cast(pc.cast(c, pa.date32()), pa.int32()).cast(pa.float64()), float("nan"))
        return Column("number", _float64(days.to_numpy()))
    return _arrow_text(c) or Column("cells", c.to_pylist())


def as_cells(col: Column) -> List[Any]:
    """A column's cells as Python objects, whatever its kind (as the ``cells`` kind has them)."""
    if col.kind == "arrow":
        return [cell for chunk in col.values for cell in chunk.to_pylist()]
    if col.kind == "dictionary":
        out: List[Any] = []
        for codes, entries in col.values:
            out.extend(entries[c] if c >= 0 else None for c in codes.tolist())
        return out
    return list(col.values)


class Frame:
    """A read-only view of the input table with the operations scoring and deciding need."""

    def __init__(self, data: Any):
        self.data = data
        self.kind = kind_of(data)
        if self.kind == "pandas":
            self.names = [str(c) for c in data.columns]
            self.rows = len(data)
        elif self.kind == "polars":
            self.names = list(data.columns)
            self.rows = data.height
        elif self.kind == "arrow":
            self.names = list(data.column_names)
            self.rows = data.num_rows
        elif self.kind == "dict":
            self.names = [str(k) for k in data]
            lengths = {len(v) for v in data.values()}
            if len(lengths) > 1:
                raise ValueError("every column of the dict must have the same length")
            self.rows = lengths.pop() if lengths else 0
        else:
            seen: Dict[str, None] = {}
            for row in data:
                for k in row:
                    seen.setdefault(str(k), None)
            self.names = list(seen)
            self.rows = len(data)

    def column(self, name: str, field_type: str) -> Column:
        d = self.data
        if self.kind == "pandas":
            return _pandas_column(d[name], field_type)
        if self.kind == "polars":
            return _polars_column(d.get_column(name), field_type)
        if self.kind == "arrow":
            return _arrow_column(d.column(name), field_type)
        if self.kind == "dict":
            v = d[name]
            if _module_name(v) == "pandas":
                return _pandas_column(v, field_type)
            if isinstance(v, np.ndarray):
                return _numpy_column(v, field_type)
            if _module_name(v) == "polars" and type(v).__name__ == "Series":
                return _polars_column(v, field_type)
            if _module_name(v) == "pyarrow" and hasattr(v, "type"):  # an Array or ChunkedArray
                import pyarrow as pa

                return _arrow_column(v if isinstance(v, pa.ChunkedArray) else pa.chunked_array([v]), field_type)
            return Column("cells", list(v))
        return Column("cells", [row.get(name) for row in d])

    def cells(self, name: str) -> List[Any]:
        """Every cell of a column as Python objects (ids, dates)."""
        if self.kind == "list":
            return [row.get(name) for row in self.data]
        return as_cells(self.column(name, "text"))

    def labels(self, positions: Sequence[int]) -> List[Any]:
        """How rows are named in reports: the pandas index label, else the position."""
        if self.kind == "pandas":
            index = self.data.index
            return [index[p] for p in positions]
        return list(positions)

    def records(self) -> List[Dict[str, Any]]:
        """Every row as a dict, built in one pass over the table."""
        d = self.data
        if self.kind == "pandas":
            return [dict(zip(self.names, values)) for values in d.itertuples(index=False, name=None)]
        if self.kind == "polars":
            return d.to_dicts()
        if self.kind == "arrow":
            return d.to_pylist()
        if self.kind == "dict":
            columns = [d[k] for k in d]
            return [dict(zip(self.names, values)) for values in zip(*columns)]
        return [dict(r) for r in d]

    def row(self, position: int) -> Dict[str, Any]:
        if self.kind == "pandas":
            return dict(zip(self.names, self.data.iloc[position].tolist()))
        if self.kind == "polars":
            return self.data.row(position, named=True)
        if self.kind == "arrow":
            return self.data.slice(position, 1).to_pylist()[0]
        if self.kind == "dict":
            return {k: v[position] for k, v in self.data.items()}
        return dict(self.data[position])

    # ---- output -------------------------------------------------------------------------

    def build(self, keep_names: Sequence[str], keep: Optional[np.ndarray], results: Dict[str, Tuple]) -> Any:
        """The same kind of table: the kept input columns, then one column per result.

        ``results`` maps a name to ``(type, values, known, texts)`` (types ``number``,
        ``bool``, ``category``, ``date``) for the kept rows only.
        """
        d = self.data
        if self.kind == "pandas":
            import pandas as pd

            base = d[list(keep_names)] if keep is None else d.loc[keep, list(keep_names)]
            cols = {name: _pandas_result(r) for name, r in results.items()}
            out = pd.DataFrame(cols, index=base.index)
            return pd.concat([base, out], axis=1) if len(keep_names) else out
        if self.kind == "polars":
            import polars as pl

            base = d.select(list(keep_names))
            if keep is not None:
                base = base.filter(pl.Series(keep))
            return base.with_columns([pl.from_arrow(_arrow_result(r)).alias(n) for n, r in results.items()])
        if self.kind == "arrow":
            import pyarrow as pa

            base = d.select(list(keep_names))
            if keep is not None:
                base = base.filter(pa.array(keep))
            for n, r in results.items():
                base = base.append_column(n, _arrow_result(r))
            return base
        if self.kind == "dict":
            out: Dict[str, Any] = {}
            for n in keep_names:
                v = np.asarray(d[n]) if not isinstance(d[n], np.ndarray) else d[n]
                out[n] = v if keep is None else v[keep]
            for n, r in results.items():
                out[n] = _numpy_result(r)
            return out
        rows = [row for i, row in enumerate(d) if keep is None or keep[i]]
        names = set(keep_names)
        out_rows = [{k: v for k, v in row.items() if k in names} for row in rows]
        for n, r in results.items():
            for out_row, value in zip(out_rows, _python_result(r)):
                out_row[n] = value
        return out_rows

    def table(self, columns: Dict[str, List[Any]]) -> Any:
        """Plain columns (rejects) as the same kind of table (pandas for dicts too)."""
        if self.kind == "polars":
            import polars as pl

            return pl.DataFrame({k: pl.Series(k, v, dtype=pl.String if k != "row" else None) for k, v in columns.items()})
        if self.kind == "arrow":
            import pyarrow as pa

            return pa.table(columns)
        if self.kind == "list":
            names = list(columns)
            return [dict(zip(names, values)) for values in zip(*columns.values())]
        import pandas as pd

        return pd.DataFrame(columns)


def _pandas_result(r: Tuple) -> Any:
    import pandas as pd

    kind, values, known, texts = r
    if kind == "number":
        return values
    if kind == "bool":
        return pd.arrays.BooleanArray(values == 1, ~known)
    if kind == "category":
        return pd.array(texts, dtype="string")
    return _numpy_result(r)


def _numpy_result(r: Tuple) -> np.ndarray:
    kind, values, known, texts = r
    if kind == "number":
        return values
    if kind == "bool":
        out = np.empty(len(values), dtype=object)
        out[:] = [bool(v == 1) if k else None for v, k in zip(values, known)]
        return out
    if kind == "category":
        out = np.empty(len(texts), dtype=object)
        out[:] = texts
        return out
    out = np.full(len(values), np.datetime64("NaT"), dtype="datetime64[D]")
    out[known] = values[known].astype("int64").astype("datetime64[D]")
    return out


def _arrow_result(r: Tuple) -> Any:
    import pyarrow as pa

    kind, values, known, texts = r
    mask = ~known
    if kind == "number":
        return pa.array(values, type=pa.float64(), mask=mask)
    if kind == "bool":
        return pa.array(values == 1, type=pa.bool_(), mask=mask)
    if kind == "category":
        return pa.array(texts, type=pa.string())
    return pa.array(np.where(known, values, 0).astype(np.int32), type=pa.date32(), mask=mask)


def _python_result(r: Tuple) -> List[Any]:
    kind, values, known, texts = r
    if kind == "number":
        return [float(v) if k else None for v, k in zip(values, known)]
    if kind == "bool":
        return [bool(v == 1) if k else None for v, k in zip(values, known)]
    if kind == "category":
        return list(texts)
    return [from_days(v) if k else None for v, k in zip(values, known)]
