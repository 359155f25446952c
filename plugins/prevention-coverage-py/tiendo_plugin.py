"""tiendo's plugin SDK for Python: the types of the WIT interface `tiendo:plugin@0.1.1` as plain Python.

Python plugins export the world `metric-plugin` (`info` and `compute`, unchanged since 0.1.0); the cheaper
`columns.compute-columns` that 0.1.1 adds is used by the Rust SDK only, and tiendo calls `compute` when a plugin
lacks it.

A Python plugin is two files of your own: `plugin.py`, which defines `INFO` (a `PluginInfo`) and
`compute(input: ComputeInput) -> list[MetricValue]`, and its tests. This module gives those the same helpers as the
Rust SDK (`sum`, `require_sum`, `param_f64`, `MetricValue.ratio_percent`, logging), with nothing from the
WebAssembly bindings in it, so the logic runs and is tested with the ordinary `python -m unittest`.

Inside the component, `app.py` (written by `tiendo plugin new`, do not edit) converts between these types and the
WIT bindings, sends `log()` calls and anything printed to tiendo's plugin log, and turns a `MetricError` into the
WIT error and any other exception into an `internal` error naming it.

Written by `tiendo plugin new` from the SDK embedded in tiendo; do not edit: a newer tiendo writes a newer one.
"""

import decimal
import math
import re
from dataclasses import dataclass, field
from typing import Callable, Dict, Iterator, List, Optional, Tuple

#: The WIT interface version this SDK speaks (its world `metric-plugin`: `info` and `compute`).
INTERFACE_VERSION = "0.1.1"

LEVELS = ("debug", "info", "warn", "error")

# The grammar Rust's `str::parse::<f64>` accepts for finite numbers (no `_`, no hex, no spaces inside), so that a
# parameter means the same number to a Rust and a Python plugin.
_NUMBER = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


@dataclass(frozen=True)
class PluginInfo:
    """Who the plugin is (`id`: stable kebab-case), its version, what it reads and what it produces."""

    id: str
    version: str
    description: str
    inputs: List[str] = field(default_factory=list)
    metrics: List[str] = field(default_factory=list)


@dataclass(frozen=True)
class InputValue:
    """One declared input for an org unit and period; `value` is None when there is no data."""

    name: str
    org_unit: str
    period: str
    value: Optional[float]


@dataclass
class MetricValue:
    """One computed metric; `value` is None when it cannot be computed, and `note` says why."""

    name: str
    value: Optional[float]
    unit: Optional[str] = None
    note: Optional[str] = None

    def with_unit(self, unit: str) -> "MetricValue":
        self.unit = unit
        return self

    def with_note(self, note: str) -> "MetricValue":
        self.note = note
        return self

    @staticmethod
    def ratio(name: str, numerator: float, denominator: float, factor: float) -> "MetricValue":
        """`numerator / denominator * factor`; no value, with a note, when the denominator is zero."""
        if denominator == 0:
            return MetricValue(name, None, note="denominator is zero")
        return MetricValue(name, numerator / denominator * factor)

    @staticmethod
    def ratio_percent(name: str, numerator: float, denominator: float) -> "MetricValue":
        """`numerator / denominator * 100` in percent; no value, with a note, when the denominator is zero."""
        return MetricValue.ratio(name, numerator, denominator, 100.0).with_unit("%")


class MetricError(Exception):
    """Why the plugin refused to compute; `kind` is the WIT variant: invalid-input, missing-input or internal."""

    kind = "internal"

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class InvalidInput(MetricError):
    """The input is malformed, e.g. a parameter that is not a number."""

    kind = "invalid-input"


class MissingInput(MetricError):
    """A declared input is absent from the request."""

    kind = "missing-input"


class Internal(MetricError):
    """Anything else."""

    kind = "internal"


@dataclass
class ComputeInput:
    """One request: the org unit, the periods (the one under evaluation first), the inputs and the parameters."""

    org_unit: str
    periods: List[str]
    inputs: List[InputValue] = field(default_factory=list)
    params: List[Tuple[str, str]] = field(default_factory=list)

    @staticmethod
    def from_json(data: Dict) -> "ComputeInput":
        """The request from the JSON shape of `tiendo plugin test --input` (an input's org unit and period default
        to the request's own), for native tests."""
        org_unit = data["org_unit"]
        periods = list(data.get("periods", []))
        period = periods[0] if periods else ""
        inputs = [
            InputValue(
                item["name"],
                item.get("org_unit", org_unit),
                item.get("period", period),
                None if item.get("value") is None else float(item["value"]),
            )
            for item in data.get("inputs", [])
        ]
        params = sorted((str(key), str(value)) for key, value in data.get("params", {}).items())
        return ComputeInput(org_unit, periods, inputs, params)

    def with_value(self, name: str, org_unit: str, period: str, value: Optional[float]) -> "ComputeInput":
        """Adds one input value, for tests."""
        self.inputs.append(InputValue(name, org_unit, period, value))
        return self

    def with_param(self, name: str, value: str) -> "ComputeInput":
        """Adds one parameter, for tests."""
        self.params.append((name, value))
        return self

    def period(self) -> Optional[str]:
        """The period under evaluation (the first of `periods`), if any."""
        return self.periods[0] if self.periods else None

    def values(self, name: str) -> Iterator[float]:
        """The values of input `name` for the evaluated period (all periods when none is given), skipping missing
        ones."""
        period = self.period()
        for item in self.inputs:
            if item.name == name and (period is None or item.period == period) and item.value is not None:
                yield item.value

    def sum(self, name: str) -> Optional[float]:
        """The sum of input `name` over the evaluated period (added in input order), or None when there is no
        value at all."""
        total = None
        for value in self.values(name):
            total = (0.0 if total is None else total) + value
        return total

    def require_sum(self, name: str) -> float:
        """Like `sum`, but a missing input raises `MissingInput`."""
        total = self.sum(name)
        if total is None:
            raise MissingInput(f"no value of `{name}` for {self.period() or 'any period'}")
        return total

    def param(self, name: str) -> Optional[str]:
        """The parameter `name` from the TOML catalogue, if given."""
        for key, value in self.params:
            if key == name:
                return value
        return None

    def param_f64(self, name: str, default: float) -> float:
        """The parameter `name` as a number, `default` when absent; `InvalidInput` when it is not a finite number
        (same grammar as the Rust SDK: `1`, `-0.5`, `2e3`; not `1_000`, `0x10`, `inf` or `nan`)."""
        text = self.param(name)
        if text is None:
            return default
        stripped = text.strip()
        if _NUMBER.fullmatch(stripped):
            value = float(stripped)
            if math.isfinite(value):
                return value
        raise InvalidInput(f"parameter `{name}` is not a number: `{text}`")


def format_number(value: float) -> str:
    """`value` as Rust's `{}` writes an f64 (shortest digits, never an exponent: `-1`, `0.5`, `0.0000001`), so that
    messages read the same from a Rust and a Python plugin."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    text = format(decimal.Decimal(repr(float(value))), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


_native_logs: List[Tuple[str, str]] = []
_sink: Optional[Callable[[str, str], None]] = None


def log(level: str, message: str) -> None:
    """Records a message in tiendo's plugin log (`level`: debug, info, warn or error). tiendo keeps at most 100
    messages per call, each cut to 1 KiB. Natively the messages are kept for `take_native_logs()`."""
    if level not in LEVELS:
        raise ValueError(f"log level must be one of {', '.join(LEVELS)}, got {level!r}")
    if _sink is None:
        _native_logs.append((level, str(message)))
    else:
        _sink(level, str(message))


def debug(message: str) -> None:
    log("debug", message)


def info(message: str) -> None:
    log("info", message)


def warn(message: str) -> None:
    log("warn", message)


def error(message: str) -> None:
    log("error", message)


def take_native_logs() -> List[Tuple[str, str]]:
    """The messages logged natively since the last call, as (level, message), for tests."""
    taken = list(_native_logs)
    _native_logs.clear()
    return taken


def _set_sink(sink: Callable[[str, str], None]) -> None:
    """Used by `app.py` inside the component: sends `log()` calls to the host."""
    global _sink
    _sink = sink
