"""A scripted year of a fund (issue #10's "done when"), run as a treasurer runs it, and the
ledger checked against figures computed here independently."""
from __future__ import annotations

import csv
import io

import datetime as dt
import json
import re
from fractions import Fraction
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import EXAMPLES as EXAMPLE_DIR, as_yaml, example
from governance.cli.app import app

D = dt.date
runner = CliRunner()

SCALE = {1: Fraction(1), 2: Fraction(1, 2), 3: Fraction(3, 5), 4: Fraction(7, 10), 5: Fraction(4, 5),
         6: Fraction(9, 10), 7: Fraction(1), 8: Fraction(1, 2), 9: Fraction(3, 5), 10: Fraction(7, 10)}
BUDGET = {2025: 900_000, 2026: 1_800_000, 2027: 1_800_000, 2028: 1_200_000}
SHARES = {"Socialnämnden": Fraction(3, 4), "Förskolenämnden": Fraction(1, 2)}


def pid(i: int) -> str:
    return f"MOD-2025-{100 + i}"


def grant(i: int, year: int) -> int:
    return int(BUDGET[year] * SCALE[i])


#: the reports each project sends: (kind, period, submitted); what is not here never arrives
def reports_of(i: int) -> list[tuple[str, int, str]]:
    progress = {2025: "2026-03-20", 2026: "2027-03-15", 2027: "2028-03-10", 2028: "2029-03-10"}
    if i in (2, 9):
        progress[2025] = "2026-04-20" if i == 2 else "2026-05-10"  # late, before the next pay day
    if i == 5:
        progress[2025] = "2027-06-01"  # late past the 2027 pay day: that payment waits for it
    if i == 3:
        progress[2026] = "2028-02-01"  # late past the 2028 pay day
    if i == 8:
        del progress[2026]  # never arrives: the 2028 payment stays withheld
    out = [("progress", year, day) for year, day in progress.items()]
    out.append(("final", 2028, "2029-02-15"))
    return out


#: effect reports: project -> (period, submitted, savings per committee, interval)
EFFECTS = {
    1: [(2029, "2029-10-01", {"Socialnämnden": 8_000_000, "Förskolenämnden": 2_000_000}, (-0.05, -0.01)),
        (2030, "2030-10-01", {"Socialnämnden": 4_000_000}, (-0.06, -0.02))],  # the cap is already reached
    4: [(2029, "2029-10-01", {"Socialnämnden": 5_000_000, "Förskolenämnden": 1_000_000}, (-0.05, -0.01))],
    6: [(2029, "2029-10-01", {"Socialnämnden": 1_000_001}, (-0.05, -0.01))],
    7: [(2029, "2029-10-01", {"Socialnämnden": 3_000_000}, (-0.05, 0.02))],  # no effect: nothing repaid
}
FOLLOW_UPS = ["2026-06-01", "2027-06-01", "2028-06-01", "2029-06-01", "2029-12-01", "2030-12-01"]


def write_inputs(folder: Path) -> dict[int, dict]:
    files: dict[int, dict] = {}
    for i in SCALE:
        data = example("model-familjestod")
        data["id"], data["title"] = pid(i), f"Familjestöd {i}"
        for row in data["budget"]:
            row["fund_sek"] = int(row["fund_sek"] * SCALE[i])
            row["own_sek"] = int(row["own_sek"] * SCALE[i])
        for row in data["expected_savings"]:
            row["sek"] = int(row["sek"] * SCALE[i])
        proposal = folder / "ansokningar" / f"{pid(i)}.yaml"
        proposal.parent.mkdir(exist_ok=True)
        proposal.write_text(as_yaml(data), encoding="utf-8")
        reports = []
        for kind, period, day in reports_of(i):
            doc = {"format": "follow-up/1", "proposal": pid(i), "fund": "model", "kind": kind, "period": period,
                   "submitted": day, "enrolled": 200}
            reports.append((day, _write(folder / "rapporter" / f"{pid(i)}-{kind}-{period}.yaml", doc)))
        for period, day, savings, (low, high) in EFFECTS.get(i, []):
            doc = {"format": "follow-up/1", "proposal": pid(i), "fund": "model", "kind": "effect", "period": period,
                   "submitted": day, "design": "rct",
                   "outcomes": [{"name": "Andel barn med orosanmälan inom 24 månader", "ci_low": low, "ci_high": high}],
                   "verified_savings": [{"committee": c, "year": period, "sek": s} for c, s in savings.items()]}
            reports.append((day, _write(folder / "rapporter" / f"{pid(i)}-effect-{period}.yaml", doc)))
        files[i] = {"proposal": proposal, "reports": reports}
    return files


def _write(path: Path, doc: dict) -> Path:
    path.parent.mkdir(exist_ok=True)
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def cli(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, (args, result.output)
    return result.stdout


# ------------------------------------------------------------------ figures computed independently

def due_dates(i: int) -> list[tuple[str, int, D]]:
    dues = [("progress", y, D(y + 1, 3, 31)) for y in range(2025, 2029)]
    return dues + [("final", 2028, D(2029, 2, 28))]  # the project ends 2028-08-31


def overdue_on(i: int, day: D) -> bool:
    got = {(k, p): D.fromisoformat(s) for k, p, s in reports_of(i)}
    return any(due < day and not (got.get((k, p)) and got[(k, p)] <= day) for k, p, due in due_dates(i))


def payment_state(i: int, year: int, on: D) -> tuple[str, D | None]:
    pay_day = max(D(year, 1, 1), D(2025, 6, 1))
    if pay_day > on:
        return "to_pay", None
    arrivals = sorted(D.fromisoformat(s) for _k, _p, s in reports_of(i))
    t = pay_day
    while overdue_on(i, t):
        later = [a for a in arrivals if a > t]
        if not later or later[0] > on:
            return "withheld", None
        t = later[0]
    return "paid", t


def round_half_up(x: Fraction) -> int:
    return int(x + Fraction(1, 2)) if x >= 0 else -int(-x + Fraction(1, 2))


def expected_repayments(on: D) -> dict[tuple[int, str], int]:
    """(project, committee) -> amount due, by §5.4 as the spec words it."""
    out: dict[tuple[int, str], int] = {}
    for i, effects in EFFECTS.items():
        cap = sum(grant(i, y) for y in BUDGET)
        for period, day, savings, (low, high) in effects:
            if D.fromisoformat(day) > on or not (low > 0 or high < 0):
                continue
            wants = {c: round_half_up(s * SHARES[c]) for c, s in sorted(savings.items())}
            room = cap - sum(a for (j, _c), a in out.items() if j == i)
            if sum(wants.values()) > room:  # the room shared pro rata, the kronor by largest remainder
                total = sum(wants.values())
                exact = {c: Fraction(w * room, total) for c, w in wants.items()}
                dues = {c: int(x) for c, x in exact.items()}
                for c in sorted(exact, key=lambda c: -(exact[c] - int(exact[c])))[: room - sum(dues.values())]:
                    dues[c] += 1
                wants = dues
            for c, a in wants.items():
                if a > 0:
                    out[(i, c)] = out.get((i, c), 0) + a
    return out


def spread(amount: int, years: int = 3) -> list[int]:
    return [amount // years + (1 if k < amount % years else 0) for k in range(years)]


# ------------------------------------------------------------------------------------ the year

@pytest.fixture(scope="module")
def season(tmp_path_factory):
    folder = tmp_path_factory.mktemp("season")
    register = str(folder / "fond.sqlite")
    files = write_inputs(folder)
    decided = runner.invoke(app, ["check", str(folder / "ansokningar"), "--date", "2025-06-01", "--record",
                                  "--register", register, "--format", "json"])
    assert decided.exit_code == 0, decided.output
    assert {d["outcome"] for d in json.loads(decided.stdout)["decisions"]} == {"approved"}
    from governance import Governance
    from governance.board.register import Register
    from governance.board.tracking import follow_up, read_proposal, read_report

    gov = Governance.load()
    try:
        for day in FOLLOW_UPS:
            for i, f in files.items():
                arrived = [path for submitted, path in f["reports"] if submitted <= day]  # every report so far, again
                if day >= "2029-12-01":  # as the secretary types it
                    cli("follow-up", str(f["proposal"]), *map(str, arrived), "--date", day, "--record", "--register",
                        register)
                    continue
                loaded, body = read_proposal(f["proposal"])  # the same through the library, faster
                with Register(register) as reg:
                    follow_up(gov.followup_rules(), loaded, body, [read_report(p) for p in arrived],
                              D.fromisoformat(day), "sv", reg, record=True)
    finally:
        gov.close()
    ids = {(r["proposal"], r["committee"], r["budget_year"]): r["id"] for r in json.loads(
        cli("register", "repayments", "--register", register, "--format", "json"))}
    paid = [(pid(1), "Förskolenämnden", 2030, 100_000, "2030-03-01"), (pid(1), "Socialnämnden", 2030, 1_000_000,
                                                                        "2030-05-01"),
            (pid(4), "Socialnämnden", 2030, None, "2030-04-01"), (pid(6), "Socialnämnden", 2030, 200_000, "2030-06-01"),
            (pid(1), "Förskolenämnden", 2030, None, "2030-09-01"), (pid(6), "Socialnämnden", 2031, 50_000, "2031-05-01")]
    payments = []
    for proposal, committee, year, amount, day in paid:
        rid = ids[(proposal, committee, year)]
        if amount is None:  # the rest of it
            rows = json.loads(cli("register", "repayments", "--register", register, "--format", "json"))
            amount = next(r["outstanding_sek"] for r in rows if r["id"] == rid)
        out = cli("register", "paid", rid, str(amount), "--date", day, "--register", register)
        assert out.startswith("registrerat:") and rid in out
        payments.append((proposal, committee, year, amount, D.fromisoformat(day)))
    return {"folder": folder, "register": register, "files": files, "payments": payments}


def ledger_json(season, on: str, *extra: str) -> dict:
    return json.loads(cli("fund", "status", "model", "--date", on, "--format", "json", "--register",
                          season["register"], *extra))


@pytest.mark.parametrize("on", ["2026-02-01", "2027-03-01", "2028-01-15", "2028-03-01", "2029-12-31", "2030-06-30",
                                "2031-06-30"])
def test_the_ledger_reconciles_and_matches_independent_figures(season, on):
    day = D.fromisoformat(on)
    ledger = ledger_json(season, on)
    years = {r["year"]: r for r in ledger["years"]}
    for row in [*ledger["years"], ledger["totals"]]:
        assert row["granted_sek"] - row["paid_out_sek"] - row["withheld_sek"] - row["held_sek"] == row["to_pay_sek"]
        assert row["repayment_due_sek"] - row["repaid_sek"] == row["outstanding_sek"]
    for key in ledger["totals"]:
        assert ledger["totals"][key] == sum(r[key] for r in ledger["years"])
    for year in BUDGET:
        expected = {"paid": 0, "withheld": 0, "to_pay": 0}
        for i in SCALE:
            expected[payment_state(i, year, day)[0]] += grant(i, year)
        assert (years[year]["paid_out_sek"], years[year]["withheld_sek"], years[year]["to_pay_sek"]) == (
            expected["paid"], expected["withheld"], expected["to_pay"]), year
        assert years[year]["granted_sek"] == sum(grant(i, year) for i in SCALE)
    due = expected_repayments(day)
    assert ledger["totals"]["repayment_due_sek"] == sum(due.values())
    repaid = sum(a for _p, _c, _y, a, paid_on in season["payments"] if paid_on <= day)
    assert ledger["totals"]["repaid_sek"] == repaid
    per_year: dict[int, int] = {}
    for (i, c), amount in due.items():
        submitted = min(D.fromisoformat(s) for _p, s, _sv, _ci in EFFECTS[i])
        for k, part in enumerate(spread(amount)):
            per_year[submitted.year + 1 + k] = per_year.get(submitted.year + 1 + k, 0) + part
    assert {y: r["repayment_due_sek"] for y, r in years.items() if r["repayment_due_sek"]} == per_year
    assert ledger["approved"] == 10 and ledger["totals"]["granted_sek"] == sum(grant(i, y) for i in SCALE for y in BUDGET)


def test_payments_withheld_are_shown_and_released(season):
    ledger = ledger_json(season, "2028-06-30")
    projects = {p["proposal"]: {pay["year"]: pay for pay in p["payments"]} for p in ledger["projects"]}
    assert projects[pid(3)][2028]["state"] == "paid" and projects[pid(3)][2028]["paid_on"] == "2028-02-01"
    assert projects[pid(3)][2028]["withheld_since"] == "2028-01-01"
    assert projects[pid(5)][2027]["paid_on"] == "2027-06-01"
    assert projects[pid(8)][2028]["state"] == "withheld"
    text = cli("fund", "status", "model", "--date", "2028-06-30", "--register", season["register"])
    assert "innehållet sedan 2028-01-01" in text and "frisläppt" in text
    # a table a treasurer can read: every head apart from the next, the projects in order
    head = next(line for line in text.splitlines() if line.strip().startswith("budgetår"))
    assert "  vilande  kvar att betala ut  att återföra  " in head
    rows = [line.split()[0] for line in text.split("Projekt\n", 1)[1].splitlines()
            if line.startswith("  ") and not line.startswith("    ") and line.split()[0].startswith("MOD-")]
    assert rows == sorted(rows) and len(rows) >= 8
    later = cli("fund", "status", "model", "--date", "2025-06-30", "--register", season["register"])
    assert re.search(r"kvar att betala ut den 20\d\d-01-01", later) and "utbetalningsdag" not in later


def test_conditions_recorded_without_a_case_are_said_to_be_untracked(tmp_path, season):
    """A decision with conditions recorded by check --record has no conditions in the register to
    meet: the ledger says so rather than hold or pay in silence; a case's conditions are followed."""
    target = str(tmp_path / "r.sqlite")
    cli("check", str(EXAMPLE_DIR), "--date", "2025-06-01", "--record", "--register", target)
    doc = json.loads(cli("fund", "status", "norrkoping", "--date", "2025-06-01", "--format", "json",
                         "--register", target))
    (project,) = doc["projects"]
    assert project["outcome"] == "approved_with_conditions" and project["conditions_untracked"] is True
    text = cli("fund", "status", "norrkoping", "--date", "2025-06-01", "--register", target)
    assert "villkoren följs inte upp i registret" in text
    assert not any(p["conditions_untracked"] for p in ledger_json(season, "2031-06-30")["projects"])


def test_the_cap_is_shown_where_it_binds(season):
    ledger = ledger_json(season, "2031-06-30")
    caps = {c["proposal"]: c for c in ledger["caps"]}
    assert set(caps) == {pid(1), pid(4)}
    assert caps[pid(1)]["cap_sek"] == caps[pid(1)]["due_sek"] == 5_700_000 and caps[pid(1)]["room_left_sek"] == 0
    shares = {s["committee"]: (s["without_cap_sek"], s["due_sek"]) for s in caps[pid(4)]["reports"][0]["shares"]}
    assert shares == {"Socialnämnden": (3_750_000, 3_520_588), "Förskolenämnden": (500_000, 469_412)}
    text = cli("fund", "status", "model", "--date", "2031-06-30", "--register", season["register"])
    assert "taket för återföring på 3\u00a0990\u00a0000\u00a0kr nås" in text and "i proportion" in text


def test_recording_again_adds_nothing(season):
    f = season["files"][1]
    before = cli("register", "repayments", "--register", season["register"], "--format", "json")
    every = [str(path) for _day, path in f["reports"]]
    result = runner.invoke(app, ["follow-up", str(f["proposal"]), *every, "--date", "2031-01-01", "--record",
                                 "--register", season["register"]])
    assert result.exit_code == 0, result.output
    assert "R" in result.stdout
    assert cli("register", "repayments", "--register", season["register"], "--format", "json") == before
    # and it says so: each report given again is one the register holds
    assert result.stderr.count("registret har redan den här rapporten; den registreras inte igen") == len(every)


def test_repayments_due_by_a_day_or_a_year(season):
    def listed(*args):
        return {r["budget_year"] for r in json.loads(cli("register", "repayments", "--register", season["register"],
                                                          "--format", "json", *args))}

    assert listed() == {2030, 2031, 2032}
    assert listed("--due-by", "2031-06-30") == listed("--due-by", "2031") == {2030, 2031}
    assert listed("--fund", "lulea") == set()
    text = cli("register", "repayments", "--due-by", "2030", "--register", season["register"])
    assert "R1 " in text and "återföringar:" in text and "utestående" in text
    bad = runner.invoke(app, ["register", "repayments", "--due-by", "next year", "--register", season["register"]])
    assert bad.exit_code == 2


def test_the_follow_up_letter_says_where_the_cap_binds(season, gov):
    from governance.documents.letters import Letters
    from governance.board.register import Register
    from governance.board.tracking import follow_up, read_proposal

    loaded, body = read_proposal(season["files"][4]["proposal"])
    with Register(season["register"]) as reg:
        result = follow_up(gov.followup_rules(), loaded, body, [], D(2029, 12, 1), "sv", reg)
    letter = Letters(gov.rulebook).render_followup(loaded, result, "sv", "md").replace("\u00a0", " ")
    assert "Taket för återföring nås: projektets återföring får sammanlagt uppgå till högst 3 990 000 kr" in letter
    assert "| Socialnämnden | 3 750 000 kr | 3 520 588 kr |" in letter, letter


def test_overpaying_is_refused_in_swedish_with_the_amount(season):
    rows = json.loads(cli("register", "repayments", "--register", season["register"], "--format", "json"))
    row = next(r for r in rows if r["outstanding_sek"] > 0)
    result = runner.invoke(app, ["register", "paid", row["id"], str(row["outstanding_sek"] + 1), "--register",
                                 season["register"]])
    assert result.exit_code == 1
    assert "vore 1\u00a0kr för mycket; ingenting registrerades" in result.stderr


def test_the_portfolio_from_the_register(season):
    doc = json.loads(cli("follow-up", "--from-register", "--date", "2028-06-30", "--format", "json", "--register",
                         season["register"]))
    by = {p["proposal"]: p for p in doc["projects"]}
    assert len(by) == 10
    assert [(o["report_kind"], o["period"], o["due"]) for o in by[pid(8)]["overdue"]] == [
        ("progress", 2026, "2027-03-31")]
    assert by[pid(8)]["withheld_payments"] == [{"year": 2028, "amount_sek": 600_000, "since": "2028-01-01"}]
    assert by[pid(1)]["overdue"] == [] and by[pid(1)]["under_review"] is None
    later = json.loads(cli("follow-up", "--from-register", "--date", "2029-12-31", "--format", "json", "--register",
                           season["register"]))
    coming = {p["proposal"]: p["coming_repayments"] for p in later["projects"]}
    assert {(c["committee"], c["budget_year"]) for c in coming[pid(4)]} == {("Socialnämnden", 2030),
                                                                            ("Förskolenämnden", 2030)}
    text = cli("follow-up", "--from-register", "--date", "2029-12-31", "--register", season["register"])
    assert "återföring budgetåret 2030: R" in text and "Uppföljning per 2029-12-31: 10 projekt" in text


def test_the_treasurer_gets_an_xlsx_that_adds_up(season):
    from openpyxl import load_workbook

    target = season["folder"] / "fond-2031.xlsx"
    cli("fund", "status", "model", "--date", "2031-06-30", "--format", "xlsx", "-o", str(target), "--register",
        season["register"])
    book = load_workbook(target)
    assert book.sheetnames == ["Redovisning", "Utbetalningar", "Nämnder", "Återföringar"]
    sheet = book["Redovisning"]
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["budgetår", "beviljat", "utbetalt"]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    total = rows[-1]
    assert total[0] == "summa" and all(total[k] == sum(r[k] for r in rows[:-1]) for k in range(1, len(header)))
    ledger = ledger_json(season, "2031-06-30")
    assert total[1:] == [ledger["totals"][k] for k in ("granted_sek", "paid_out_sek", "withheld_sek", "held_sek",
                                                       "to_pay_sek", "repayment_due_sek", "repaid_sek",
                                                       "outstanding_sek")]
    csv_text = cli("fund", "status", "model", "--date", "2031-06-30", "--format", "csv", "--year", "2030",
                   "--register", season["register"])
    assert csv_text.splitlines()[0].startswith("budgetår,beviljat") and csv_text.splitlines()[1].startswith("2030,")
    # for Swedish Excel by a double-click: a byte-order mark, ';' between values; the same figures
    excel = cli("fund", "status", "model", "--date", "2031-06-30", "--format", "csv", "--year", "2030", "--excel",
                "--register", season["register"])
    assert excel.startswith("\ufeffbudgetår;beviljat")
    assert list(csv.reader(io.StringIO(excel[1:]), delimiter=";")) == list(csv.reader(io.StringIO(csv_text)))
    exported = season["folder"] / "register.xlsx"
    cli("register", "export", "--format", "xlsx", "-o", str(exported), "--register", season["register"])
    assert load_workbook(exported).sheetnames == ["Beslut", "Uppföljningar", "Återföringar"]
    decided = load_workbook(exported)["Beslut"]
    heads = [c.value for c in decided[1]]
    day = decided.cell(row=2, column=heads.index("beslutsdatum") + 1)
    assert isinstance(day.value, dt.datetime) and day.number_format == "yyyy-mm-dd"  # a day, not text
    decisions = cli("register", "export", "--register", season["register"])
    assert decisions.count("\n") == 11 and "Beviljas" in decisions and "approved" not in decisions
