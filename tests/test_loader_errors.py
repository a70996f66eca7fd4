"""One bad file per failure mode; each gets a placed, plain message and no decision."""
from __future__ import annotations

import pytest

from conftest import DECISION_DATE, FIXTURES
from governance.engine.batch import check_paths

BAD = FIXTURES / "bad"

# file -> (line, column, field, words the message must contain)
CASES = {
    "yaml-syntax.yaml": (4, 5, None, "not valid YAML"),
    "duplicate-key.yaml": (12, 1, "id", "duplicate key 'id' (first given on line 2)"),
    "unknown-key.yaml": (14, 3, "target_group.age_mn", "unknown key 'age_mn' (did you mean 'age_min'?)"),
    "wrong-enum.yaml": (14, 13, "applicant.partners.0.kind", "'compnay' is not allowed; allowed: municipal, region"),
    "impossible-date.yaml": (5, 12, "submitted", "'2025-02-30' is not a real date"),
    "end-before-start.yaml": (7, 6, "end", "end (2024-08-31) must be after start (2025-09-01)"),
    "missing-required.yaml": (1, 1, "title", "required field is missing"),
    "wrong-type.yaml": (13, 9, "target_group.size", "must be a whole number, got 'many'"),
    "yes-no-boolean.yaml": (15, 19, "applicant.partners.0.non_profit", "write true or false"),
    "wrong-format.yaml": (1, 9, "format", "unsupported format 'proposal/2'"),
    "follow-up-given.yaml": (1, 9, "format", "this looks like a follow-up report"),
    "top-level-list.yaml": (1, 1, None, "expected a mapping of fields at the top level"),
    "empty.yaml": (1, 1, None, "the file is empty"),
    "two-documents.yaml": (13, 1, None, "one document per file"),
    "not-utf8.yaml": (2, None, None, "not UTF-8"),
    "unknown-fund.yaml": (4, 7, "fund", "unknown fund 'norrkoeping' (did you mean 'norrkoping'?)"),
    "before-first-version.yaml": (5, 12, "submitted", "no policy in force on 2014-05-01: its first version is from 2015-01-01"),
    "money-not-whole.yaml": (14, 15, "budget.0.fund_sek", "must be a whole number, got 1500000.0 (write 1500000 without"),
    # hostile input: bounded, refused with a placed error, never a hang, an overflow or a silent pass
    "alias-bomb.yaml": (17, 17, "lol6.1", "more than 200000 values once its aliases are expanded"),
    "deep-nesting.yaml": (12, 54, "target_group" + ".0" * 39, "nested more than 40 levels deep"),
    "str-tag.yaml": (3, 8, "title", "YAML tags such as !!str are not allowed"),
    "huge-number.yaml": (14, 15, "budget.0.fund_sek", "the number has 30 digits: too large to be meant"),
    "float-overflow.yaml": (13, 18, "economics.discount_rate", "the number 1e400 is too large to be meant"),
    "invisible-title.yaml": (3, 8, "title", "must not be blank"),
    "control-in-title.yaml": (3, 8, "title", "must not contain the control character \\x1b"),
    "newline-in-title.yaml": (3, 8, "title", "must not contain a line break"),
    "price-change-minus-one.yaml": (13, 17, "budget_context.price_change", "must be at least -0.5, got -1.0"),
    "year-9999.yaml": (5, 12, "submitted", "9999-12-31 lies outside the years 1900–2199"),
    "submitted-after-decision.yaml": (5, 12, "submitted", "dated 2025-07-01, after the decision date 2025-06-01"),
    "amount-too-large.yaml": (14, 15, "budget.0.fund_sek", "must be at most 1000000000000, got 2000000000000"),
    "python-tag.yaml": (9, 9, "applicant.lead", "YAML tags such as !!python/object:os.system are not allowed"),
    "json-unknown-key.json": (4, 17, "evaluation.desing", "did you mean 'design'?"),
    "json-syntax.json": (3, 1, None, "not valid JSON"),
    "json-nan.json": (3, 33, None, "not valid JSON: NaN is not a JSON number"),  # Python's json would read it
    "invisible-character.yaml": (11, 11, "applicant.lead.name", "contains a zero-width space (U+200B)"),
    "json-line-break.json": (3, 16, None, "the character \\x85 is a line break to YAML but not to JSON"),
}


def test_every_fixture_has_a_case():
    assert sorted(p.name for p in BAD.iterdir()) == sorted(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_file_gets_a_placed_error(gov, name):
    line, column, field, words = CASES[name]
    result = check_paths(gov.rulebook, [BAD / name], DECISION_DATE)
    assert result.decisions == []
    assert len(result.errors) == 1, [str(e) for e in result.errors]
    error = result.errors[0]
    assert error.file.endswith(name)
    assert (error.line, error.column, error.field) == (line, column, field)
    assert words in str(error)


def test_one_bad_file_never_stops_the_others(gov):
    result = check_paths(gov.rulebook, [BAD, FIXTURES.parent.parent / "examples"], DECISION_DATE, jobs=1)
    assert len(result.errors) == len(CASES)
    assert sorted(d.proposal for d in result.decisions) == ["GAV-2025-011", "LUL-2025-014", "MOD-2025-001",
                                                            "MOD-2025-009", "NKP-2021-003"]


def test_several_problems_in_one_file_are_all_reported(gov):
    from governance import parse_proposal, InputError

    text = (BAD / "wrong-enum.yaml").read_text(encoding="utf-8").replace("title: Trasig ansökan\n", "") + "evaluaton: {}\n"
    with pytest.raises(InputError) as info:
        parse_proposal(text, "x.yaml")
    fields = [p.field for p in info.value.problems]
    assert fields == ["title", "applicant.partners.0.kind", "evaluaton"]


def test_missing_path_is_an_error_not_a_crash(gov, tmp_path):
    result = check_paths(gov.rulebook, [tmp_path / "nope.yaml", tmp_path], DECISION_DATE)
    assert [e.message for e in result.errors] == ["no such file or folder", "no *.yaml, *.yml or *.json files in this folder"]


def test_duplicate_proposal_ids_in_one_batch_are_reported(gov, tmp_path):
    source = (FIXTURES.parent.parent / "examples" / "model-familjestod.yaml").read_text(encoding="utf-8")
    (tmp_path / "a.yaml").write_text(source, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(source, encoding="utf-8")
    result = check_paths(gov.rulebook, [tmp_path], DECISION_DATE)
    assert len(result.decisions) == 1
    assert "also in" in result.errors[0].message and result.errors[0].file.endswith("b.yaml")
    line = next(i for i, text in enumerate(source.splitlines(), 1) if text.startswith("id:"))
    assert (result.errors[0].line, result.errors[0].column, result.errors[0].field) == (line, 5, "id")


def test_a_windows_file_with_bom_and_crlf_is_read(gov, tmp_path):
    text = (FIXTURES.parent.parent / "examples" / "model-familjestod.yaml").read_text(encoding="utf-8")
    path = tmp_path / "windows.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    result = check_paths(gov.rulebook, [path], DECISION_DATE)
    assert result.errors == [] and result.decisions[0].outcome == "approved"


def test_a_json_export_with_bom_and_crlf_is_read(gov, tmp_path):
    """Windows and Excel write a byte-order mark before JSON too: read as its YAML twin is."""
    import json

    import yaml

    data = yaml.safe_load((FIXTURES.parent.parent / "examples" / "model-familjestod.yaml").read_text(encoding="utf-8"))
    path = tmp_path / "export.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(data, ensure_ascii=False, indent=2, default=str)
                     .replace("\n", "\r\n").encode("utf-8"))
    result = check_paths(gov.rulebook, [path], DECISION_DATE)
    assert result.errors == [] and result.decisions[0].outcome == "approved"


@pytest.mark.parametrize("written", [
    "Socialna\u0308mnden",  # decomposed, as some systems export it: looks the same
    '"Socialnämnden "',  # a space after, inside quotes
])
def test_a_name_written_differently_but_looking_the_same_is_the_same_name(gov, tmp_path, written):
    """The lead committee matches its budget and savings rows however its name was typed or
    exported: the decision is the plain example's, not a completion request for a budget
    that seems to be missing."""
    text = (FIXTURES.parent.parent / "examples" / "model-familjestod.yaml").read_text(encoding="utf-8")
    assert "name: Socialnämnden" in text
    path = tmp_path / "written.yaml"
    path.write_text(text.replace("name: Socialnämnden", f"name: {written}", 1), encoding="utf-8")
    plain = check_paths(gov.rulebook, [FIXTURES.parent.parent / "examples" / "model-familjestod.yaml"], DECISION_DATE)
    result = check_paths(gov.rulebook, [path], DECISION_DATE)
    assert result.errors == []
    assert [f.rule for f in result.decisions[0].findings] == [f.rule for f in plain.decisions[0].findings]
    assert result.decisions[0].outcome == plain.decisions[0].outcome == "approved"


@pytest.mark.parametrize("written, hint", [
    ("900 000", "write 900000: a number without quotes"),  # a space between the thousands
    ("900\u00a0000 kr", "write 900000: a number without quotes"),  # a no-break space and a unit
    ('"900000"', "write 900000: a number without quotes"),  # in quotes: a text
])
def test_a_number_written_as_people_write_it_gets_how_to_write_it(written, hint):
    from governance import InputError, parse_proposal

    text = (FIXTURES.parent.parent / "examples" / "model-familjestod.yaml").read_text(encoding="utf-8")
    with pytest.raises(InputError) as info:
        parse_proposal(text.replace("fund_sek: 900000", f"fund_sek: {written}", 1), "x.yaml")
    (problem,) = info.value.problems
    assert problem.field == "budget.0.fund_sek" and hint in (problem.hint or ""), problem


@pytest.mark.parametrize("written, hint", [("0,035", "write 0.035"), ("3,5 %", "3,5 % is 0.035")])
def test_a_share_written_as_people_write_it_gets_how_to_write_it(written, hint):
    from governance.formats.loader import number_hint

    assert hint in number_hint(written, whole=False)
    assert number_hint("many", whole=True) is None and number_hint("1,5", whole=True) is None


@pytest.mark.parametrize("written, meant", [("2025-5-20", "2025-05-20"), ("20/5/2025", "2025-05-20"),
                                           ("20.5.2025", "2025-05-20")])
def test_a_date_written_loosely_gets_the_iso_date_it_means(written, meant):
    from governance import InputError, parse_proposal

    text = (FIXTURES.parent.parent / "examples" / "model-familjestod.yaml").read_text(encoding="utf-8")
    submitted = next(line for line in text.splitlines() if line.startswith("submitted:"))
    with pytest.raises(InputError) as info:
        parse_proposal(text.replace(submitted, f"submitted: {written}", 1), "x.yaml")
    (problem,) = info.value.problems
    assert problem.field == "submitted" and f"did you mean {meant}?" in problem.message


def test_a_trailing_document_marker_and_a_merge_key_say_what_to_do():
    from governance import InputError, parse_proposal

    text = (FIXTURES.parent.parent / "examples" / "model-familjestod.yaml").read_text(encoding="utf-8")
    with pytest.raises(InputError) as info:
        parse_proposal(text + "---\n", "x.yaml")
    assert "remove it" in info.value.problems[0].hint
    assert info.value.problems[0].line == text.count("\n") + 1  # the line of the '---'
    with pytest.raises(InputError) as info:
        parse_proposal("a: &x {b: 1}\nc:\n  <<: *x\n", "x.yaml")
    assert "write the fields out in full" in info.value.problems[0].hint
