"""durable_rules, used defensively (see durable-rules-notes.md).

Everything the project knows about the rule engine's traps lives here:

* the C extension is driven directly, with no ``Host`` and so no dispatcher thread
  (the stock Host's dispatcher races and crashed under this workload);
* every proposal is one fact in a session of its own (``assert_fact``: every matching
  rule fires; ``post`` would let only one rule consume it), and the session is always
  deleted, so memory stays flat and the 1 024-session cap is never near;
* rules that fire twice through ``$or`` are collected into a set;
* facts and rules are serialised by ``dumps`` below: only numbers, texts and booleans,
  floats always with a decimal point (the engine's JSON parser rejects ``1e-05``);
* every fact is handled by at least one rule (a sentinel that matches the anchor every
  fact carries): deleting the session of a fact no rule accepted (``assert_fact`` code 1)
  frees an invalid pointer inside the engine (seen here as ``free(): invalid pointer``);
* a ruleset is deleted when it is dropped, so reloading policies never leaks.
"""
from __future__ import annotations

import itertools
import json
import math
from typing import Any

import durable_rules_engine as _c

_names = itertools.count(1)


class EngineError(RuntimeError):
    """The rule engine failed on input that had passed every check: a defect, not a user error."""


def _float(x: float) -> str:
    if not math.isfinite(x):
        raise EngineError(f"cannot give the rule engine the number {x}")
    text = repr(x)
    if "e" in text and "." not in text.split("e")[0]:
        mantissa, exponent = text.split("e")
        text = f"{mantissa}.0e{exponent}"
    return text


def dumps(value: Any) -> str:
    """JSON that durable_rules reads back exactly."""
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return "null"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _float(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, dict):
        return "{" + ",".join(f"{json.dumps(str(k), ensure_ascii=False)}:{dumps(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(dumps(v) for v in value) + "]"
    raise EngineError(f"cannot give the rule engine a value of type {type(value).__name__}")


def _fact_json(fact: dict[str, Any]) -> str:
    """A flat fact as JSON: the C encoder, unless a float would be written with a bare exponent."""
    for value in fact.values():
        if type(value) is float and not (math.isfinite(value) and _plain_float(value)):
            return dumps(fact)
    return json.dumps(fact, ensure_ascii=False, check_circular=False)


def _plain_float(x: float) -> bool:
    return x == 0 or 1e-4 <= abs(x) < 1e16


def _rule_name(message: str) -> str:
    """The rule a fired action belongs to: the first key of ``{"<rule>":{"m":{...}}}``."""
    start = message.index('"') + 1
    return message[start:message.index('"', start)]


MAX_PROPERTIES = 250
#: rules whose whole condition is the same end in one node of the engine, which holds at most
#: 256 of them (error 108 beyond: measured with durable_rules 2.0.28)
MAX_SAME_CONDITION = 250
SENTINEL = "_handled"


def definition_text(rules: dict[str, dict], anchor: dict[str, Any]) -> str:
    """What the engine is given for ``rules`` (rule names to conditions): each rule, and the
    sentinel that handles every fact carrying ``anchor`` (EngineError where it cannot be written)."""
    if SENTINEL in rules:
        raise EngineError(f"the rule name {SENTINEL} is reserved")
    definition = {name: {"all": [{"m": cond}]} for name, cond in rules.items()}
    definition[SENTINEL] = {"all": [{"m": dict(anchor)}]}
    return dumps(definition)


class Ruleset:
    """One compiled ruleset in the C engine. Evaluate facts with ``fire``; ``close`` frees it."""

    def __init__(self, rules: dict[str, dict], anchor: dict[str, Any], label: str = "ruleset"):
        """``rules`` maps rule names to conditions; every fact given to ``fire`` must meet ``anchor``."""
        self._create(definition_text(rules, anchor), anchor, label)

    @classmethod
    def from_text(cls, text: str, anchor: dict[str, Any], label: str = "ruleset") -> "Ruleset":
        """The ruleset of a definition written before (``text``, by ``definition_text``)."""
        ruleset = cls.__new__(cls)
        ruleset._create(text, anchor, label)
        return ruleset

    def _create(self, text: str, anchor: dict[str, Any], label: str) -> None:
        self.label = label
        self.anchor = dict(anchor)
        self.text = text
        self.name = f"{label}#{next(_names)}"
        self._sid = itertools.count(1)
        try:
            self._handle = _c.create_ruleset(self.name, text)
        except Exception as exc:  # durable_rules raises bare errors with codes
            self._handle = None
            raise EngineError(f"the rule engine could not create the ruleset: {exc}") from None

    @property
    def definition(self) -> dict:
        """The definition the engine was given (for review and golden files)."""
        return json.loads(self.text)

    def fire(self, fact: dict[str, Any]) -> set[str]:
        """The names of all rules whose condition holds for ``fact``."""
        if self._handle is None:
            raise EngineError(f"the ruleset {self.name} is closed")
        if any(fact.get(k) != v for k, v in self.anchor.items()):
            raise EngineError("the fact does not carry the ruleset's anchor")
        if len(fact) > MAX_PROPERTIES:
            raise EngineError(f"a fact may have at most {MAX_PROPERTIES} fields, this one has {len(fact)}")
        sid = str(next(self._sid))
        payload = dict(fact)
        payload["sid"] = sid
        fired: set[str] = set()
        try:
            code, state = _c.assert_fact(self._handle, _fact_json(payload))
            if code != 0:
                raise EngineError(f"the rule engine refused the fact (code {code})")
            result = _c.start_action_for_state(self._handle, state)
            while result:
                message = result[1] if isinstance(result, tuple) else result
                fired.add(_rule_name(message))
                result = _c.complete_and_start_action(self._handle, state)
        except EngineError:
            raise
        except Exception as exc:  # durable_rules raises bare Exceptions with error codes
            raise EngineError(f"the rule engine failed: {exc}") from exc
        finally:
            try:
                _c.delete_state(self._handle, sid)
            except Exception:  # noqa: BLE001 - no state was made for an unhandled fact
                pass
        fired.discard(SENTINEL)
        return fired

    def close(self) -> None:
        if self._handle is not None:
            _c.delete_ruleset(self._handle)
            self._handle = None

    def __del__(self):  # pragma: no cover - best effort at interpreter exit
        try:
            self.close()
        except Exception:  # noqa: BLE001
            pass

