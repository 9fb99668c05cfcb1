"""Errors of the kelias package: every diagnostic, located and printed as the CLI does."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, List, Sequence


@dataclass(frozen=True)
class Diagnostic:
    """One problem found in a definition, a case or a row.

    ``str(d)`` is the CLI's form: ``FILE:LINE:COL: error[E301]: message`` with an indented
    ``hint:`` line when there is a hint.
    """

    severity: str
    code: str
    message: str
    hint: str
    file: str
    line: int
    column: int
    text: str

    def __str__(self) -> str:
        return self.text.rstrip("\n")

    @staticmethod
    def from_core(item: dict) -> "Diagnostic":
        return Diagnostic(**{k: item[k] for k in Diagnostic.__dataclass_fields__})


def diagnostics(items: Iterable[dict]) -> List[Diagnostic]:
    return [Diagnostic.from_core(i) for i in items]


class KeliasError(Exception):
    """Base class of every error the package raises."""


class DefinitionError(KeliasError):
    """A definition (instrument, rule set, plan policy, pathway) or a case did not load.

    ``.diagnostics`` holds every problem found, each with ``file``, ``line``, ``column``,
    ``code``, ``message`` and ``hint``; ``str(error)`` prints them like the CLI::

        try:
            kelias.load_instrument("broken.yaml")
        except kelias.DefinitionError as e:
            for d in e.diagnostics:
                print(d.file, d.line, d.column, d.code, d.message)
    """

    def __init__(self, diagnostics: Sequence[Diagnostic]):
        self.diagnostics: List[Diagnostic] = list(diagnostics)
        super().__init__("\n".join(str(d) for d in self.diagnostics))


@dataclass(frozen=True)
class RowProblem:
    """Why one input row was not scored or decided (never its values)."""

    row: Any  # the row's label in the input (its index for pandas, its position otherwise)
    id: str
    column: str
    reason: str


class RowError(KeliasError, ValueError):
    """Rows of the input did not fit (``errors="raise"``); ``.problems`` lists them all."""

    def __init__(self, problems: Sequence[RowProblem]):
        self.problems: List[RowProblem] = list(problems)
        shown = [
            f"row {p.row}" + (f" (id {p.id})" if p.id else "") + (f", column {p.column}" if p.column else "") + f": {p.reason}"
            for p in self.problems[:20]
        ]
        more = len(self.problems) - len(shown)
        if more > 0:
            shown.append(f"... and {more} more")
        super().__init__(f"{len(self.problems)} problem(s) in the input rows:\n" + "\n".join(shown))


def raise_core_error(error: BaseException) -> None:
    """Turns kelias._core.Error (misuse of the API) into a DefinitionError."""
    args = getattr(error, "args", ())
    if len(args) == 2 and isinstance(args[1], list):
        raise DefinitionError(diagnostics(args[1])) from None
    raise KeliasError(str(error)) from None
