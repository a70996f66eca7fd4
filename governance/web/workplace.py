"""What the workplace holds while it runs: the checked rulebook, the register, the accounts,
the page templates, and the lock that lets one request at a time into the rule engine
(durable_rules is C code that keeps state per ruleset: requests take turns on it, the way
one command-line run decides one file after another)."""
from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from threading import RLock
from typing import Callable

from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy import insert, select

from governance import Governance
from governance.board import schema as t
from governance.board.register import Register
from governance.i18n import _, current_language, ngettext
from governance.project import TEMPLATES
from governance.web.accounts import Accounts
from governance.wording import fmt_date, fmt_money

#: the most a request body may hold (an uploaded file is at most the input limit, 4 MB)
MAX_BODY = 5 * 1024 * 1024


@dataclass
class WebConfig:
    """How the workplace runs: its register (a file or a database URL), rule and policy
    folders, whether it is served over HTTPS (Secure cookies), and its clock."""

    database: str
    rules: Path | None = None
    policies: Path | None = None
    https: bool = False
    today: Callable[[], dt.date] = dt.date.today  # the edge's clock; tests and demos may fix it
    max_body: int = MAX_BODY


@dataclass
class Workplace:
    config: WebConfig
    gov: Governance
    register: Register
    accounts: Accounts
    templates: Environment
    engine: RLock = field(default_factory=RLock)

    def today(self) -> dt.date:
        return self.config.today()

    def close(self) -> None:
        self.register.close()
        self.gov.close()


def session_secret(register: Register) -> str:
    """The key that signs session cookies: made once per register and kept in it, so that
    every server process on the same register (PostgreSQL) accepts the same sessions."""
    s = t.workplace_settings.c
    with register.db.reading() as conn:
        found = conn.execute(select(s.value).where(s.name == "session_secret")).scalar()
    if found:
        return found
    with register.db.writing() as conn:
        found = conn.execute(select(s.value).where(s.name == "session_secret")).scalar()
        if found:
            return found
        value = secrets.token_urlsafe(48)
        conn.execute(insert(t.workplace_settings).values(name="session_secret", value=value))
        return value


def page_templates() -> Environment:
    """The page templates (templates/web/), HTML-escaped, with the catalogue's gettext."""
    env = Environment(loader=FileSystemLoader(str(Path(TEMPLATES) / "web")), autoescape=select_autoescape(["html"]),
                      extensions=["jinja2.ext.i18n"], trim_blocks=True, lstrip_blocks=True)
    env.install_gettext_callables(gettext=_, ngettext=ngettext, newstyle=False)
    env.filters["money"] = lambda v: "–" if v is None else fmt_money(int(v), current_language())
    env.filters["day"] = lambda v: "–" if not v else fmt_date(dt.date.fromisoformat(str(v)[:10]),
                                                                current_language())
    env.filters["moment"] = lambda v: str(v or "–").replace("T", " ")[:16]
    env.filters["yesno"] = lambda v: _("yes") if v == "true" else _("no") if v == "false" else v
    from governance.board.register import REPORT_WORDS
    from governance.documents.letters import SEVERITY_WORDS

    env.globals["severity_word"] = lambda s: SEVERITY_WORDS[current_language()].get(s, s)
    from governance.board.case_records import outcome_word

    env.globals["outcome_name"] = outcome_word
    env.globals["report_word"] = lambda k: _(REPORT_WORDS[k]) if k in REPORT_WORDS else k
    return env


def open_workplace(config: WebConfig) -> Workplace:
    # one fund's broken policy files leave that fund out (its pages say why), not the workplace
    gov = Governance.load(config.rules, config.policies, isolate=True)
    register = Register(config.database)
    return Workplace(config, gov, register, Accounts(register.db), page_templates())
