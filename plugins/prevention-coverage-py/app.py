"""The component's entry point: converts between the WIT bindings and `tiendo_plugin`, and calls `plugin.py`.

componentize-py builds the component from this module (`componentize-py -w metric-plugin componentize app`). It
also makes the sandbox's rules visible as Python errors rather than as a crash: anything printed goes to tiendo's
plugin log (at most 64 KiB per call are forwarded); an uncaught exception becomes an `internal` error naming its
type, message and line.

Written by `tiendo plugin new` from the SDK embedded in tiendo; do not edit: a newer tiendo writes a newer one.
"""

import io
import sys
import traceback

from componentize_py_types import Err
from wit_world import exports
from wit_world.exports import metric as wit
from wit_world.imports import host

import plugin
import tiendo_plugin

_LEVELS = {
    "debug": host.Level.DEBUG,
    "info": host.Level.INFO,
    "warn": host.Level.WARN,
    "error": host.Level.ERROR,
}

#: Printed text forwarded to the host per call; the rest is counted and reported once.
_PRINT_LIMIT = 64 * 1024


class _HostLog(io.TextIOBase):
    """`sys.stdout` and `sys.stderr` inside the component: whole lines go to the plugin log, up to `_PRINT_LIMIT`
    characters per call, so that printing never reaches WASI (which this component does not have)."""

    def __init__(self, level: str):
        self.level = level
        self.pending = ""
        self.forwarded = 0
        self.dropped = 0

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        room = _PRINT_LIMIT - self.forwarded - len(self.pending)
        if room <= 0:
            self.dropped += len(text)
            return len(text)
        kept = text[:room]
        self.dropped += len(text) - len(kept)
        self.pending += kept
        while "\n" in self.pending:
            line, self.pending = self.pending.split("\n", 1)
            self.forwarded += len(line) + 1
            host.log(_LEVELS[self.level], line)
        return len(text)

    def finish(self) -> None:
        if self.pending:
            self.forwarded += len(self.pending)
            host.log(_LEVELS[self.level], self.pending)
            self.pending = ""
        if self.dropped:
            host.log(host.Level.WARN, f"{self.dropped} more printed characters were dropped")
        self.forwarded = 0
        self.dropped = 0


_stdout = _HostLog("info")
_stderr = _HostLog("warn")
sys.stdout = _stdout
sys.stderr = _stderr
tiendo_plugin._set_sink(lambda level, message: host.log(_LEVELS[level], message))

_ERRORS = {
    "invalid-input": wit.MetricError_InvalidInput,
    "missing-input": wit.MetricError_MissingInput,
    "internal": wit.MetricError_Internal,
}


def _uncaught(error: BaseException) -> str:
    """`ValueError: boom (plugin.py:12 in compute)`: the exception and the innermost frame of the plugin's code.
    The traceback goes to the log without source lines (reading them would open files, which the sandbox stops)."""
    frames = traceback.StackSummary.extract(traceback.walk_tb(error.__traceback__), lookup_lines=False)
    where = ""
    for frame in reversed(frames):
        if not frame.filename.endswith("app.py"):
            where = f" ({frame.filename.rsplit('/', 1)[-1]}:{frame.lineno} in {frame.name})"
            break
    for frame in list(frames)[-10:]:
        host.log(host.Level.ERROR, f"  at {frame.filename.rsplit('/', 1)[-1]}:{frame.lineno} in {frame.name}")
    return f"uncaught {type(error).__name__}: {error}{where}"


def _optional_text(value, what: str):
    if value is None:
        return None
    if not isinstance(value, str):
        raise TypeError(f"{what} must be a str or None, got {type(value).__name__}")
    return value


def _to_wit(value) -> "wit.MetricValue":
    if not isinstance(value, tiendo_plugin.MetricValue):
        raise TypeError(f"compute() must return MetricValue items, got {type(value).__name__}")
    number = value.value
    if number is not None:
        if isinstance(number, bool) or not isinstance(number, (int, float)):
            raise TypeError(f"metric `{value.name}`: value must be a number or None, got {type(number).__name__}")
        number = float(number)
    return wit.MetricValue(
        str(value.name),
        number,
        _optional_text(value.unit, f"metric `{value.name}`: unit"),
        _optional_text(value.note, f"metric `{value.name}`: note"),
    )


class Metric(exports.Metric):
    """The exported interface `tiendo:plugin/metric`."""

    def info(self) -> wit.PluginInfo:
        info = plugin.INFO
        return wit.PluginInfo(info.id, info.version, info.description, list(info.inputs), list(info.metrics))

    def compute(self, input: wit.ComputeInput):
        request = tiendo_plugin.ComputeInput(
            input.org_unit,
            list(input.periods),
            [tiendo_plugin.InputValue(i.name, i.org_unit, i.period, i.value) for i in input.inputs],
            [(key, value) for key, value in input.params],
        )
        try:
            return [_to_wit(value) for value in plugin.compute(request)]
        except tiendo_plugin.MetricError as error:
            raise Err(_ERRORS.get(error.kind, wit.MetricError_Internal)(error.message))
        except Exception as error:  # noqa: BLE001 - every other exception is reported, not a crash
            raise Err(wit.MetricError_Internal(_uncaught(error)))
        finally:
            _stdout.finish()
            _stderr.finish()
