"""Generation settings: one field table, validation, storage as JSON, the request mapping.

A provider entry holds defaults and a conversation holds overrides, both as a JSON
object of the fields that are set (`conversations.generation`, '' = none). A field left
empty is "the server's default" and is never sent. The editors (the conversation's
dialog and the providers page) are built from `GEN_FIELDS`, and every value they take
goes through `parse`, so nothing invalid is stored; what is read back from a file goes
through the same checks, so nothing invalid is sent either.

Only OpenAI-compatible servers take these: an AI Engine site runs its bot with the
model, temperature and length set on the site, and its chat route reads nothing of
them (PROTOCOL.md section 2), so for those kinds `request_options` gives nothing.
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from opchat_gui.core.text import QT_TRANSLATE_NOOP, Phrase

log = logging.getLogger(__name__)

CONTEXT = "Generation"
KINDS_TAKING_SETTINGS = frozenset({"openai"})
RESERVED_EXTRA = frozenset({"model", "messages", "stream"})  # the app writes these itself
EFFORTS = ("minimal", "low", "medium", "high")
INT_LIMIT = 2**63 - 1

Values = dict[str, Any]  # field name -> a valid value; unset fields are absent


class GenerationError(ValueError):
    """A value refused, with the reason as a Phrase the UI renders in its language."""

    def __init__(self, reason: Phrase) -> None:
        super().__init__(str(reason))
        self.reason = reason


def _why(source: str, *args: object) -> GenerationError:
    return GenerationError(Phrase(CONTEXT, source, args))


@dataclass(frozen=True)
class GenField:
    """One setting: how it is typed (`kind`), its limits and what it means."""

    name: str
    label: str
    kind: str  # "float" | "int" | "stop" | "effort" | "json"
    help: str
    minimum: float | None = None
    maximum: float | None = None


GEN_FIELDS: tuple[GenField, ...] = (
    GenField("temperature", QT_TRANSLATE_NOOP("Generation", "Temperature"), "float",
             QT_TRANSLATE_NOOP("Generation", "0 to 2: higher is more varied, lower more "
                               "predictable."), 0.0, 2.0),
    GenField("top_p", QT_TRANSLATE_NOOP("Generation", "Top p"), "float",
             QT_TRANSLATE_NOOP("Generation", "0 to 1: sample only from the most likely "
                               "tokens that add up to this share."), 0.0, 1.0),
    GenField("max_tokens", QT_TRANSLATE_NOOP("Generation", "Max tokens"), "int",
             QT_TRANSLATE_NOOP("Generation", "The longest reply, in tokens (1 or more)."),
             1, INT_LIMIT),
    GenField("seed", QT_TRANSLATE_NOOP("Generation", "Seed"), "int",
             QT_TRANSLATE_NOOP("Generation", "A whole number: the same seed and settings "
                               "give the same reply where the server supports it."),
             -INT_LIMIT, INT_LIMIT),
    GenField("stop", QT_TRANSLATE_NOOP("Generation", "Stop sequences"), "stop",
             QT_TRANSLATE_NOOP("Generation", "One sequence as typed, or several as a JSON "
                               "list such as [\"\\n\\n\", \"User:\"].")),
    GenField("presence_penalty", QT_TRANSLATE_NOOP("Generation", "Presence penalty"), "float",
             QT_TRANSLATE_NOOP("Generation", "-2 to 2: above 0 pushes towards new topics."),
             -2.0, 2.0),
    GenField("frequency_penalty", QT_TRANSLATE_NOOP("Generation", "Frequency penalty"),
             "float",
             QT_TRANSLATE_NOOP("Generation", "-2 to 2: above 0 makes repeating words less "
                               "likely."), -2.0, 2.0),
    GenField("reasoning_effort", QT_TRANSLATE_NOOP("Generation", "Reasoning effort"), "effort",
             QT_TRANSLATE_NOOP("Generation", "minimal, low, medium or high: how long a "
                               "reasoning model may think (OpenAI, gpt-oss, OpenRouter).")),
    GenField("extra", QT_TRANSLATE_NOOP("Generation", "Extra request fields"), "json",
             QT_TRANSLATE_NOOP("Generation", "A JSON object merged into the request, for "
                               "server options such as {\"chat_template_kwargs\": "
                               "{\"enable_thinking\": false}} or {\"think\": false}.")),
)
BY_NAME: dict[str, GenField] = {f.name: f for f in GEN_FIELDS}


def _number(text: str) -> float:
    try:
        value = float(text.replace(",", ".", 1) if text.count(",") == 1 and "." not in text
                      else text)
    except ValueError:
        raise _why(QT_TRANSLATE_NOOP("Generation", "“%1” is not a number"), text) from None
    if not math.isfinite(value):
        raise _why(QT_TRANSLATE_NOOP("Generation", "“%1” is not a finite number"), text)
    return value


def _in_range(field: GenField, value: float) -> None:
    low, high = field.minimum, field.maximum
    if (low is not None and value < low) or (high is not None and value > high):
        if field.kind == "int" and high == INT_LIMIT and low is not None:
            raise _why(QT_TRANSLATE_NOOP("Generation", "must be %1 or more"), f"{low:g}")
        raise _why(QT_TRANSLATE_NOOP("Generation", "must be from %1 to %2"),
                   f"{low:g}", f"{high:g}")


def check(name: str, value: Any) -> Any:
    """`value` (as stored or parsed) made canonical, or GenerationError saying why not."""
    field = BY_NAME.get(name)
    if field is None:
        raise _why(QT_TRANSLATE_NOOP("Generation", "unknown setting “%1”"), name)
    if field.kind == "float":
        if isinstance(value, bool) or not isinstance(value, int | float) \
                or not math.isfinite(value):
            raise _why(QT_TRANSLATE_NOOP("Generation", "expected a number"))
        _in_range(field, float(value))
        return float(value)
    if field.kind == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            raise _why(QT_TRANSLATE_NOOP("Generation", "expected a whole number"))
        _in_range(field, value)
        return value
    if field.kind == "stop":
        stops = [value] if isinstance(value, str) else value
        if not isinstance(stops, list) or not stops \
                or not all(isinstance(s, str) and s for s in stops):
            raise _why(QT_TRANSLATE_NOOP("Generation", "expected text or a JSON list of "
                                         "non-empty texts"))
        return list(stops)
    if field.kind == "effort":
        if value not in EFFORTS:
            raise _why(QT_TRANSLATE_NOOP("Generation", "expected one of %1"),
                       ", ".join(EFFORTS))
        return value
    if not isinstance(value, dict):
        raise _why(QT_TRANSLATE_NOOP("Generation", "expected a JSON object, {…}"))
    reserved = sorted(RESERVED_EXTRA & set(value))
    if reserved:
        raise _why(QT_TRANSLATE_NOOP("Generation", "“%1” is set by the app itself"),
                   reserved[0])
    return dict(value)


def parse(name: str, text: str) -> Any:
    """What the user typed into the field `name`: its value, None for empty ("server
    default"), or GenerationError with the reason."""
    field = BY_NAME[name]
    text = text.strip()
    if not text:
        return None
    if field.kind == "float":
        return check(name, _number(text))
    if field.kind == "int":
        try:
            number = int(text)
        except ValueError:
            raise _why(QT_TRANSLATE_NOOP("Generation", "“%1” is not a whole number"),
                       text) from None
        return check(name, number)
    if field.kind == "stop":
        if not text.startswith("["):
            return check(name, text)
        try:
            return check(name, json.loads(text))
        except ValueError as exc:
            raise _why(QT_TRANSLATE_NOOP("Generation", "not a JSON list: %1"), exc) from None
    if field.kind == "effort":
        return check(name, text.lower())
    try:
        loaded = json.loads(text)
    except ValueError as exc:
        raise _why(QT_TRANSLATE_NOOP("Generation", "not valid JSON: %1"), exc) from None
    return check(name, loaded)


def shown(name: str, value: Any) -> str:
    """A stored value as the field shows it (what `parse` reads back to the same value)."""
    if value is None:
        return ""
    kind = BY_NAME[name].kind
    if kind == "float":
        return f"{value:g}"
    if kind == "stop":
        return value[0] if len(value) == 1 and not value[0].startswith("[") \
            and value[0] == value[0].strip() else json.dumps(value, ensure_ascii=False)
    if kind == "json":
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def cleaned(raw: Any) -> Values:
    """The valid settings among `raw` (a stored object); the rest is dropped and logged."""
    if not isinstance(raw, Mapping):
        return {}
    values: Values = {}
    for name, value in raw.items():
        if value is None:
            continue
        try:
            values[str(name)] = check(str(name), value)
        except GenerationError as exc:
            log.warning("generation setting %s=%r ignored: %s", name, value, exc)
    return values


def loads(text: str) -> Values:
    """A conversation's stored overrides ('' or broken JSON: none)."""
    if not text.strip():
        return {}
    try:
        return cleaned(json.loads(text))
    except ValueError:
        log.warning("broken generation settings ignored: %.80s", text)
        return {}


def dumps(values: Mapping[str, Any]) -> str:
    """The text stored for `values`: '' when nothing is set."""
    values = cleaned(values)
    return json.dumps(values, sort_keys=True, ensure_ascii=False) if values else ""


def merged(defaults: Mapping[str, Any], overrides: Mapping[str, Any]) -> Values:
    """The provider's defaults with the conversation's overrides over them."""
    return {**cleaned(defaults), **cleaned(overrides)}


def request_options(kind: str, values: Mapping[str, Any]) -> dict[str, Any]:
    """The provider keyword options `values` become for a provider of `kind`: each set
    field by its own name (the OpenAI name), and the extra fields as `extra_body`."""
    if kind not in KINDS_TAKING_SETTINGS:
        return {}
    options = cleaned(values)
    extra = options.pop("extra", None)
    if extra:
        options["extra_body"] = extra
    return options


def sent_values(options: Mapping[str, Any]) -> Values:
    """The generation settings among a request's provider options (what `request_options`
    made of them), by field name: what a reply was made with, kept beside it."""
    values: Values = {name: options[name] for name in BY_NAME
                      if name != "extra" and options.get(name) is not None}
    extra = options.get("extra_body")
    if isinstance(extra, Mapping) and extra:
        values["extra"] = dict(extra)
    return cleaned(values)
