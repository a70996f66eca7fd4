"""How a scenario that fails is reported: in Swedish, at its feature file and line, with what
the scenario expected and what the decision gave (and a did-you-mean where a word of the
scenario is unknown), instead of a Python traceback.

The steps (test_features.py) raise ``ScenarioFailure``; conftest.py's hooks place it at the
step (and, in a Scenariomall, at the example row), record it for ``fundgov rules coverage``
and make it the test's report.
"""
from __future__ import annotations

import difflib
from pathlib import Path
from typing import Iterable

from governance.authoring.coverage import render_failure
from governance.errors import display_path
from governance.i18n import use_language


class ScenarioFailure(AssertionError):
    """What a step found wrong, in the words of the scenario."""

    def __init__(self, message: str, expected: str | None = None, got: str | None = None,
                 details: Iterable[str] = ()):
        self.message = message
        self.expected = expected
        self.got = got
        self.details = tuple(details)
        super().__init__(self.text())

    def text(self) -> str:
        lines = [self.message]
        if self.expected is not None:
            lines.append(f"väntat: {self.expected}")
        if self.got is not None:
            lines.append(f"fick:   {self.got}")
        lines.extend(self.details)
        return "\n".join(lines)


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """ " (menade du 'x'?)" where a choice is close, else the choices themselves."""
    choices = [str(c) for c in choices]
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    if close:
        return f" (menade du '{close[0]}'?)"
    return f" (att välja på: {', '.join(choices)})" if choices else ""


def example_line(path: str, scenario_line: int, example: dict[str, str] | None) -> int | None:
    """The line of the example row a Scenariomall was run with (None for a plain scenario)."""
    if not example:
        return None
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError:
        return None
    header = None
    for number, line in enumerate(lines[scenario_line:], start=scenario_line + 1):
        text = line.strip()
        if text.startswith(("Scenario", "Egenskap", "Bakgrund")):
            break  # the next scenario
        if not text.startswith("|"):
            header = None if text.startswith(("Exempel", "Scenarier")) else header
            continue
        cells = [c.strip() for c in text.strip("|").split("|")]
        if header is None:
            header = cells
        elif len(cells) == len(header) and all(example.get(k) == v for k, v in zip(header, cells)):
            return number
    return None


def step_failure(request, feature, scenario, step, exception: BaseException) -> dict:
    """The failure of one step as a record: where, which step, and what it found."""
    example = getattr(getattr(request.node, "callspec", None), "params", {}).get("_pytest_bdd_example")
    if isinstance(exception, ScenarioFailure):
        message = exception.text()
    elif type(exception).__name__ == "StepDefinitionNotFoundError":
        message = f"inget steg passar: {step.keyword} {step.name}"
    else:
        message = f"oväntat fel i steget: {type(exception).__name__}: {exception}"
    return {"file": display_path(feature.filename), "line": step.line_number,
            "example_line": example_line(feature.filename, scenario.line_number, example),
            "step": f"{step.keyword} {step.name}".strip(), "scenario": scenario.name, "message": message,
            "expected": isinstance(exception, ScenarioFailure)}


def render(failure: dict) -> str:
    """A failure record as the author reads it (as ``fundgov rules coverage`` prints it)."""
    with use_language("sv"):
        return render_failure(failure)
