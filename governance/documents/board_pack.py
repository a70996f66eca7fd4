"""The board pack of a meeting (kallelse med föredragningslista och handlingar): the agenda
and, in its order, the officer's report of every case on it, as one HTML document or one
PDF/A (each report on a page of its own)."""
from __future__ import annotations

from typing import Any

from governance.board.meetings import show_meeting
from governance.board.register import Register
from governance.documents.letters import letter_fund_words
from governance.documents.officer_report import report_context
from governance.documents.papers import TOKENS, Papers, body_words, day
from governance.engine.rulebook import Rulebook


def pack_context(rules: Rulebook, followup: Rulebook, register: Register, meeting: int | str,
                 lang: str = "sv") -> dict[str, Any]:
    """The agenda of the meeting and the officer's report of each item still on it."""
    row = show_meeting(register, meeting, rules.policies)
    items = [i for i in row["items"] if i["state"] != "withdrawn"]
    reports = [report_context(rules, followup, register, i["diarienummer"], lang, i["version"], fund=row["fund"])
               for i in items]
    fund = reports[0]["fund"] if reports else letter_fund_words(rules, row["fund"], lang)
    return {
        "lang": lang, "fund": fund, "body": body_words(rules, row["fund"], lang),
        "meeting": {"id": row["id"], "date": day(row["date"], lang), "place": row["place"]},
        "agenda": [{"position": str(i["position"]), "title": i["title"], "diarienummer": i["diarienummer"],
                    "proposal": TOKENS[i["proposed_outcome"]]} for i in items],
        "struck": [{"position": str(i["position"]), "title": i["title"], "diarienummer": i["diarienummer"]}
                   for i in row["items"] if i["state"] == "withdrawn"],
        "items": reports,
    }


def render_board_pack(rules: Rulebook, followup: Rulebook, register: Register, meeting: int | str,
                      fmt: str = "pdf", lang: str = "sv") -> str | bytes:
    """The whole board pack as md, html (text) or pdf (bytes)."""
    return Papers().render(f"{lang}/kallelse.j2", pack_context(rules, followup, register, meeting, lang), fmt)
