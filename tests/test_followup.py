"""Follow-up (§5.3–§5.6, §7): each trigger and its boundaries."""
from __future__ import annotations

import datetime as dt
import json

import pytest
from typer.testing import CliRunner

from conftest import EXAMPLES, ROOT
from governance import InputError
from governance.i18n import use_language
from governance.cli.app import app

D = dt.date
MODEL = EXAMPLES / "model-familjestod.yaml"  # 2025-09-01 – 2028-08-31, 320 planned, grant 5 700 000


def report(tmp_path, name, **fields):
    data = {"format": "follow-up/1", "proposal": "MOD-2025-001", "fund": "model"} | fields
    path = tmp_path / f"{name}.yaml"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def progress(tmp_path, period, submitted, enrolled=200):
    return report(tmp_path, f"p{period}", kind="progress", period=period, submitted=submitted, enrolled=enrolled)


def effect(tmp_path, low, high, design="quasi_random", soc=3_000_000, pre=600_000, region=0, submitted="2029-10-01",
           name="e"):
    savings = [{"committee": "Socialnämnden", "year": 2029, "sek": soc},
               {"committee": "Förskolenämnden", "year": 2029, "sek": pre}]
    if region:
        savings.append({"committee": "Region Östergötland", "scope": "region", "year": 2029, "sek": region})
    return report(tmp_path, name, kind="effect", period=2029, submitted=submitted, design=design,
                  outcomes=[{"name": "Andel barn med orosanmälan inom 24 månader", "estimate": (low + high) / 2,
                             "ci_low": low, "ci_high": high}], verified_savings=savings)


def severities(result, clause):
    return [n.severity for n in result.notices if n.clause == clause]


@pytest.mark.parametrize("on, overdue", [(D(2026, 3, 31), False), (D(2026, 4, 1), True)])
def test_a_report_is_overdue_from_the_day_after_it_is_due(gov, on, overdue):
    result = gov.follow_up(MODEL, [], on)
    first = [n for n in result.notices if n.rule == "followup.report_overdue"]
    assert result.withheld is overdue
    assert (result.next_payment.year, result.next_payment.amount_sek) == (2026, 1_800_000)
    if overdue:
        assert len(first) == 1 and first[0].values["days_late"] == 1 and first[0].values["period"] == 2025


def test_a_late_report_is_noted_and_payment_released(gov, tmp_path):
    result = gov.follow_up(MODEL, [progress(tmp_path, 2025, "2026-04-15")], D(2026, 5, 1))
    assert not result.withheld
    (late,) = [n for n in result.notices if n.rule == "followup.report_late"]
    assert late.values["days_late"] == 15


@pytest.mark.parametrize("enrolled, review", [(160, False), (159, True)])
def test_enrolment_at_the_midpoint(gov, tmp_path, enrolled, review):
    # the midpoint of 2025-09-01 – 2028-08-31 is 2027-03-01; half of 320 planned is 160
    reports = [progress(tmp_path, 2025, "2026-03-20", 40), progress(tmp_path, 2026, "2027-03-20", enrolled)]
    result = gov.follow_up(MODEL, reports, D(2027, 4, 1))
    assert result.under_review is review


def test_enrolment_not_stated_asks_for_it(gov, tmp_path):
    path = report(tmp_path, "p2026", kind="progress", period=2026, submitted="2027-03-20")
    result = gov.follow_up(MODEL, [progress(tmp_path, 2025, "2026-03-20"), path], D(2027, 4, 1))
    assert severities(result, "7.2") == ["complete"]


@pytest.mark.parametrize("low, high, triggered", [
    (-0.05, -0.01, True),
    (-0.05, 0.0, False),     # the interval touches zero: it includes it
    (0.0, 0.04, False),
    (0.001, 0.04, True),
])
def test_repayment_trigger_at_the_interval_boundary(gov, tmp_path, low, high, triggered):
    result = gov.follow_up(MODEL, [effect(tmp_path, low, high)], D(2029, 12, 1))
    assert ("repay" in severities(result, "5.3")) is triggered
    assert bool(result.repayments) is triggered
    if not triggered:
        assert severities(result, "5.5") == ["notice"]


def test_repayment_is_each_share_spread_over_three_years(gov, tmp_path):
    result = gov.follow_up(MODEL, [effect(tmp_path, -0.05, -0.01, soc=3_000_001)], D(2029, 12, 1))
    rows = [(r.committee, r.budget_year, r.amount_sek) for r in result.repayments]
    # Socialnämnden repays 75 % of 3 000 001 = 2 250 000,75, i.e. 2 250 001 (half a krona up), the first
    # year carrying the extra krona; Förskolenämnden 50 % of 600 000
    assert rows == [("Förskolenämnden", 2030, 100_000), ("Förskolenämnden", 2031, 100_000),
                    ("Förskolenämnden", 2032, 100_000), ("Socialnämnden", 2030, 750_001),
                    ("Socialnämnden", 2031, 750_000), ("Socialnämnden", 2032, 750_000)]


def test_an_amount_is_spread_with_the_earlier_years_carrying_the_extra_kronor(gov, tmp_path):
    result = gov.follow_up(MODEL, [effect(tmp_path, -0.05, -0.01, soc=0, pre=1_000_000)], D(2029, 12, 1))
    assert [r.amount_sek for r in result.repayments] == [166_667, 166_667, 166_666]  # §5.4's example


def test_where_the_cap_binds_the_room_is_shared_pro_rata(gov, tmp_path):
    # Socialnämnden would owe 6 000 000, Förskolenämnden 1 000 000: 7 000 000 against a cap of 5 700 000
    result = gov.follow_up(MODEL, [effect(tmp_path, -0.05, -0.01, soc=8_000_000, pre=2_000_000)], D(2029, 12, 1))
    due = {}
    for r in result.repayments:
        due[r.committee] = due.get(r.committee, 0) + r.amount_sek
    assert due == {"Socialnämnden": 4_885_714, "Förskolenämnden": 814_286}  # 6/7 and 1/7, the krona by remainder
    assert sum(due.values()) == result.cap_sek == 5_700_000
    (capped,) = result.capped
    assert (capped.cap_sek, capped.room_sek) == (5_700_000, 5_700_000)
    assert capped.shares == (("Förskolenämnden", 1_000_000, 814_286), ("Socialnämnden", 6_000_000, 4_885_714))
    years = [r.amount_sek for r in result.repayments if r.committee == "Förskolenämnden"]
    assert years == [271_429, 271_429, 271_428]
    text = CliRunner().invoke(app, ["follow-up", str(MODEL), str(effect(tmp_path, -0.05, -0.01, soc=8_000_000,
                                                                        pre=2_000_000)), "--date", "2029-12-01"])
    shown = text.stdout.replace("\u00a0", " ")
    assert "taket för återföring på 5 700 000 kr" in shown and "i proportion" in shown, shown


def test_the_final_report_is_due_months_after_the_end_counted_as_in_section_2(gov, tmp_path):
    from governance.board.followup import items
    from governance.formats.loader import load_proposal

    data = json.loads(json.dumps(load_proposal(MODEL).source.data))
    data["end"] = "2028-06-30"
    path = tmp_path / "p.yaml"
    path.write_text(json.dumps(data), encoding="utf-8")
    p = load_proposal(path).model
    version = gov.policies.version("model", p.submitted)
    final = [f for f in items(p, [], version.params, D(2029, 1, 1)) if f.get("report_kind") == "final"]
    assert final[0]["due"] == D(2028, 12, 30)  # 7.1's example


def test_a_review_ends_when_a_later_report_shows_enrolment_at_the_share(gov, tmp_path):
    reports = [progress(tmp_path, 2025, "2026-03-20", 40), progress(tmp_path, 2026, "2027-03-20", 150)]
    assert gov.follow_up(MODEL, reports, D(2027, 4, 1)).under_review
    later = reports + [progress(tmp_path, 2027, "2028-03-15", 170)]
    result = gov.follow_up(MODEL, later, D(2028, 4, 1))
    assert not result.under_review
    (ended,) = [n for n in result.notices if n.rule == "followup.review_ended"]
    assert ended.values["latest_submitted"] == D(2028, 3, 15) and ended.values["submitted"] == D(2027, 3, 20)
    assert gov.follow_up(MODEL, later, D(2028, 3, 14)).under_review  # a report not yet submitted does not count


def test_a_reversed_interval_is_a_placed_error(gov, tmp_path):
    path = effect(tmp_path, -0.01, -0.05)
    with pytest.raises(InputError) as info, use_language("en"):
        gov.follow_up(MODEL, [path], D(2029, 12, 1))
    (problem,) = info.value.problems
    assert problem.field == "outcomes.0.ci_high" and "reversed" in problem.message and problem.line == 1


def test_repayments_are_capped_at_the_fund_grant_over_the_whole_project(gov, tmp_path):
    first = effect(tmp_path, -0.05, -0.01, soc=6_000_000, pre=0, submitted="2029-10-01", name="e1")
    second = effect(tmp_path, -0.05, -0.01, soc=6_000_000, pre=0, submitted="2030-10-01", name="e2")
    result = gov.follow_up(MODEL, [first, second], D(2030, 12, 1))
    total = sum(r.amount_sek for r in result.repayments)
    assert total == 5_700_000  # cap_share 1.0 of the grant: 4 500 000 from the first, 1 200 000 from the second
    assert sum(r.amount_sek for r in result.repayments if r.budget_year == 2033) == 400_000


def test_a_weak_design_cannot_trigger_repayment(gov, tmp_path):
    result = gov.follow_up(MODEL, [effect(tmp_path, -0.05, -0.01, design="pre_post")], D(2029, 12, 1))
    assert severities(result, "5.3") == ["notice"] and result.repayments == []


def test_savings_outside_the_municipality_are_reported_never_charged(gov, tmp_path):
    result = gov.follow_up(MODEL, [effect(tmp_path, -0.05, -0.01, region=900_000)], D(2029, 12, 1))
    assert severities(result, "5.6") == ["notice"]
    assert {r.committee for r in result.repayments} == {"Socialnämnden", "Förskolenämnden"}


def test_no_repayment_where_the_fund_has_none(gov, tmp_path):
    lulea = EXAMPLES / "lul-fritidsmentorer.yaml"
    path = tmp_path / "e.yaml"
    path.write_text(json.dumps({"format": "follow-up/1", "proposal": "LUL-2025-014", "fund": "lulea", "kind": "effect",
                                "period": 2028, "submitted": "2028-10-01", "design": "rct",
                                "outcomes": [{"name": "x", "ci_low": -0.2, "ci_high": -0.1}],
                                "verified_savings": [{"committee": "Socialnämnden", "year": 2028, "sek": 900000}]}),
                    encoding="utf-8")
    result = gov.follow_up(lulea, [path], D(2028, 12, 1))
    assert result.repayments == [] and severities(result, "5.3") == []


def test_a_report_for_another_proposal_is_a_placed_error(gov, tmp_path):
    path = report(tmp_path, "other", kind="progress", period=2025, submitted="2026-03-01", proposal="NKP-2021-003")
    with pytest.raises(InputError) as info, use_language("en"):
        gov.follow_up(MODEL, [path], D(2026, 4, 1))
    assert info.value.problems[0].field == "proposal" and "not 'MOD-2025-001'" in str(info.value)


def test_follow_up_command(tmp_path):
    runner = CliRunner()
    args = ["follow-up", str(MODEL), str(effect(tmp_path, -0.05, -0.01)), "--date", "2029-12-01", "--format", "json"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["payment_withheld"] is True  # no progress or final reports at all by 2029
    assert doc["next_payment"] is None  # the budget has no payment left after 2028
    assert sum(r["amount_sek"] for r in doc["repayments"]) == 2_550_000
    text = runner.invoke(app, args[:-2])
    assert "NÄSTA UTBETALNING HÅLLS INNE" in text.stdout and "Socialnämnden" in text.stdout
    assert (ROOT / "rules" / "follow-up" / "repayment.yaml").exists()


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_follow_up_notice_letter_golden(gov, tmp_path, lang):
    from golden_files import check_golden
    from governance.documents.letters import Letters
    from governance.formats.loader import load_proposal

    reports = [progress(tmp_path, 2025, "2026-03-20", 40), progress(tmp_path, 2026, "2027-03-20", 150),
               effect(tmp_path, -0.05, -0.01, region=900_000)]
    result = gov.follow_up(MODEL, reports, D(2029, 12, 1), lang)
    text = Letters(gov.rulebook).render_followup(load_proposal(MODEL), result, lang, "md")
    check_golden(f"letters/followup-model.{lang}.md", text)
    for notice in result.notices:
        assert notice.message.replace("*", "\\*") in text or notice.message in text
    pdf = Letters(gov.rulebook).render_followup(load_proposal(MODEL), result, lang, "pdf")
    assert pdf[:5] == b"%PDF-"


def test_follow_up_letter_from_the_command(tmp_path):
    out = tmp_path / "notice.html"
    result = CliRunner().invoke(app, ["follow-up", str(MODEL), str(effect(tmp_path, -0.05, 0.02)), "--date",
                                      "2029-12-01", "--letter", str(out), "--letter-format", "html", "--lang", "en"])
    assert result.exit_code == 0
    html = out.read_text(encoding="utf-8")
    assert "<h2>Payment withheld</h2>" in html and "nothing is repaid, the fund carries the risk" in html


def test_the_withheld_payment_is_named_in_the_notice(gov):
    from governance.documents.letters import Letters
    from governance.formats.loader import load_proposal

    result = gov.follow_up(MODEL, [], D(2026, 4, 1))
    text = Letters(gov.rulebook).render_followup(load_proposal(MODEL), result, "sv", "md").replace("\u00a0", " ")
    assert "Nästa utbetalning ur fonden (1 800 000 kr för 2026) hålls inne" in text
    out = CliRunner().invoke(app, ["follow-up", str(MODEL), str(MODEL), "--date", "2026-04-01"])
    assert out.exit_code == 1 and "follow-up/1" in out.stderr  # a proposal given as a report is a placed error
    nothing = CliRunner().invoke(app, ["follow-up", str(MODEL), "--date", "2026-04-01"])
    assert nothing.exit_code == 0 and "NÄSTA UTBETALNING HÅLLS INNE (2026: 1 800 000 kr)" in nothing.stdout.replace(
        "\u00a0", " ")


# one bad report per failure mode: file -> (line, field, words); every one is a placed error, never a trigger
BAD_REPORTS = {
    "reversed-interval.yaml": (11, "outcomes.0.ci_high", "intervallet är omvänt: ci_low (-0.01) är större än ci_high"),
    "other-proposal.yaml": (2, "proposal", "rapporten gäller 'NKP-2021-003', inte 'MOD-2025-001'"),
    "unknown-kind.yaml": (4, "kind", "'midterm' är inte tillåtet; tillåtna värden: progress, final, effect"),
    "two-for-one-period.yaml": (5, "period", "två olika rapporter (lägesrapport) för 2025"),  # beside p2025
    "extension-zero-months.yaml": (9, "extension.months", "måste vara minst 1, fick 0"),
    "extension-without-reason.yaml": (9, "extension.reason", "obligatoriskt fält saknas"),
}


def test_every_bad_report_has_a_case():
    from conftest import FIXTURES

    assert sorted(p.name for p in (FIXTURES / "reports_bad").iterdir()) == sorted(BAD_REPORTS)


@pytest.mark.parametrize("name", sorted(BAD_REPORTS))
def test_a_bad_report_gets_a_placed_error(tmp_path, monkeypatch, name):
    from conftest import FIXTURES

    monkeypatch.setenv("FUNDGOV_LANG", "sv")
    line, field, words = BAD_REPORTS[name]
    path = FIXTURES / "reports_bad" / name
    first = progress(tmp_path, 2025, "2026-03-20", 40)
    result = CliRunner().invoke(app, ["follow-up", str(MODEL), str(first), str(path), "--date", "2029-12-01",
                                      "--format", "json"])
    assert result.exit_code == 1 and result.stdout == ""
    (message,) = [x for x in result.stderr.splitlines() if x.startswith("fundgov:")]
    assert f"{name}:{line}:" in message and f"{field}: " in message and words in message, message
