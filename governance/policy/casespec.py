"""How a fund registers and decides its cases (``policies/<fund>/case.yaml``): fund data.

* ``diarienummer``: the pattern of the registration number, with ``{year}`` (the year the
  application is registered) and ``{serial}`` (its serial within the fund and year, with
  at least ``serial_digits`` digits): ``"KS {year}/{serial}"`` gives ``KS 2025/0123``;
* ``body``: the body that decides (a nämnd, the kommunstyrelse or the regionstyrelse), with
  an ``id`` that numbers its §§ per year (two funds decided by one body share the numbering);
  its name is the ``board`` of the fund's ``letter.yaml``;
* ``administration``: the office that prepares the cases and writes the officer's reports
  (tjänsteskrivelser), e.g. Kommunledningskontoret.

Nothing of a municipality's case process is written into code or templates.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from governance.errors import PolicyError, Problem
from governance.formats.loader import load_checked
from governance.i18n import N_, _

CASE_FILE = "case.yaml"
#: the kinds of deciding body and the kind of organisation each belongs to
BODY_KINDS = {"nämnd": ("municipality", "region"), "kommunstyrelse": ("municipality",),
              "regionstyrelse": ("region",)}
ORGANISATIONS = {"municipality": N_("municipality"), "region": N_("region")}
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


class _Closed(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, defer_build=True)  # built on first use: start-up


class Words(_Closed):
    sv: str = Field(min_length=1, max_length=200)
    en: str = Field(min_length=1, max_length=200)


class Body(_Closed):
    id: str = Field(pattern=r"^[a-z][a-z0-9_-]*$", description="the body's id: its §§ are numbered per id and year")
    kind: Literal["nämnd", "kommunstyrelse", "regionstyrelse"]


class CaseSpec(_Closed):
    diarienummer: str = Field(min_length=1, max_length=60, description="the pattern of the registration number, "
                              "with {year} and {serial}, e.g. 'KS {year}/{serial}'")
    serial_digits: int = Field(4, ge=1, le=8, description="the serial's least number of digits (0123)")
    body: Body
    administration: Words

    @field_validator("diarienummer")
    @classmethod
    def _pattern(cls, value: str) -> str:
        names = _PLACEHOLDER.findall(value)
        if sorted(names) != ["serial", "year"]:
            raise ValueError(_("the pattern names {year} and {serial} once each, and nothing else in braces"))
        rest = _PLACEHOLDER.sub("", value)
        if "{" in rest or "}" in rest or any(ch in rest for ch in "\n\r\t"):
            raise ValueError(_("the pattern holds a stray brace or a line break"))
        return value

    def number(self, year: int, serial: int) -> str:
        """The diarienummer of a serial in a year: ``KS 2025/0123``."""
        return self.diarienummer.replace("{year}", str(year)).replace("{serial}",
                                                                      str(serial).zfill(self.serial_digits))


def load_case_spec(path: Path, organisation_kind: str | None, problems: list[Problem]) -> CaseSpec | None:
    """The fund's case.yaml, or None where it has none; its problems are added to ``problems``.

    ``organisation_kind`` (from letter.yaml: municipality or region) must fit the body's kind."""
    if not path.exists():
        return None
    checked = load_checked(path, CaseSpec, PolicyError, problems)
    if checked is None:
        return None
    source, spec = checked
    if organisation_kind is not None and organisation_kind not in BODY_KINDS[spec.body.kind]:
        problems.append(source.problem(("body", "kind"), _("a {organisation} has no {body}").format(
            organisation=_(ORGANISATIONS[organisation_kind]), body=spec.body.kind), _(
            "a municipality decides in a nämnd or the kommunstyrelse, a region in a nämnd or the regionstyrelse")))
    return spec
