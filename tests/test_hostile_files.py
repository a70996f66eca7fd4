"""Files that are not what they seem: never a hang, never memory without end, never a silent
skip, and the reason named (not "no such file")."""
from __future__ import annotations

import contextvars
import os
import threading

import pytest

from conftest import DECISION_DATE, EXAMPLES
from governance.engine.batch import check_paths
from governance.errors import InputError
from governance.formats.files import expand_paths, read_input
from governance.formats.limits import DEFAULT, Limits, parse_limit, use_limits
from governance.formats.yamlsource import parse_text


def _within(seconds: float, fn):
    """Run fn in a thread and fail (instead of hanging the suite) if it does not return in time."""
    result: dict = {}

    def target():
        try:
            result["value"] = fn()
        except BaseException as exc:  # noqa: BLE001 - handed back to the test
            result["error"] = exc

    context = contextvars.copy_context()  # the test's language and limits
    thread = threading.Thread(target=lambda: context.run(target), daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), "it hung"
    if "error" in result:
        raise result["error"]
    return result["value"]


@pytest.fixture
def folder(tmp_path):
    (tmp_path / "good.yaml").write_bytes((EXAMPLES / "model-familjestod.yaml").read_bytes())
    os.mkfifo(tmp_path / "fifo.yaml")
    os.symlink("/dev/zero", tmp_path / "zero.yaml")
    os.symlink(tmp_path / "gone.yaml", tmp_path / "dangling.yaml")
    os.symlink(tmp_path / "loop.yaml", tmp_path / "loop.yaml")
    (tmp_path / "folder.yaml").mkdir()
    (tmp_path / "notes.txt").write_text("not an input", encoding="utf-8")
    return tmp_path


def test_a_folder_with_special_files_decides_the_good_one_and_names_the_others(gov, folder):
    result = _within(20, lambda: check_paths(gov.rulebook, [folder], DECISION_DATE, jobs=1))
    assert [d.proposal for d in result.decisions] == ["MOD-2025-001"]
    reasons = {os.path.basename(p.file): p.message for p in result.errors}
    assert sorted(reasons) == ["dangling.yaml", "fifo.yaml", "folder.yaml", "loop.yaml", "zero.yaml"]
    assert "a FIFO (named pipe)" in reasons["fifo.yaml"]
    assert "a character device" in reasons["zero.yaml"]
    assert "which does not exist" in reasons["dangling.yaml"]
    assert "loop" in reasons["loop.yaml"]
    assert "folders are not searched" in reasons["folder.yaml"]


@pytest.mark.parametrize("name, words", [
    ("fifo.yaml", "this is a FIFO (named pipe), not a regular file"),
    ("zero.yaml", "this is a character device, not a regular file"),
    ("dangling.yaml", "which does not exist"),
    ("loop.yaml", "a link that leads round in a loop"),
    ("folder.yaml", None),
])
def test_special_files_named_directly_say_what_they_are(gov, folder, name, words):
    files, problems = expand_paths([folder / name])
    if words is None:  # a folder named directly is searched (and holds nothing)
        assert files == [] and "no *.yaml" in problems[0].message
    else:
        assert files == [] and words in problems[0].message


@pytest.mark.parametrize("name, words", [
    ("fifo.yaml", "FIFO"), ("zero.yaml", "character device"), ("dangling.yaml", "does not exist"),
    ("loop.yaml", "loop"), ("folder.yaml", "a folder"),
])
def test_reading_a_special_file_never_blocks(folder, name, words):
    with pytest.raises(InputError) as info:
        _within(10, lambda: read_input(folder / name))
    assert words in str(info.value)


def test_the_letter_command_does_not_hang_on_a_fifo(folder):
    from typer.testing import CliRunner

    from governance.cli.app import app

    result = _within(20, lambda: CliRunner().invoke(app, ["letter", str(folder / "fifo.yaml"), "--date", "2025-06-01",
                                                          "--lang", "en"]))
    assert result.exit_code == 1 and "FIFO" in result.stderr


def test_a_file_above_the_size_limit_is_refused_before_it_is_read(tmp_path):
    big = tmp_path / "big.yaml"
    big.write_bytes(b"# " + b"x" * 2000 + b"\n")
    with use_limits(Limits(file_size=1000)):
        with pytest.raises(InputError) as info:
            read_input(big)
    assert "2003 bytes, more than the limit of 1000" in str(info.value)
    assert "--limit file-size" in str(info.value)


def test_a_list_above_the_limit_is_refused_while_it_is_parsed():
    text = "budget:\n" + "".join(f"  - {{year: 2025, fund_sek: {i}}}\n" for i in range(30))
    with pytest.raises(InputError) as info:
        parse_text(text, "x.yaml", limits=Limits(list_items=20))
    (problem,) = info.value.problems
    assert (problem.line, problem.field) == (22, "budget") and "more than 20 items" in problem.message


def test_a_million_budget_rows_are_refused_quickly():
    text = "budget:\n" + "  - {year: 2025, fund_sek: 1}\n" * 1_000_000
    with pytest.raises(InputError) as info:
        _within(20, lambda: parse_text(text, "x.yaml", limits=Limits(file_size=10 ** 8)))
    assert "more than 20000 items" in str(info.value)


@pytest.mark.parametrize("depth", [41, 1000, 100_000])
def test_deep_nesting_is_refused_without_recursion(depth):
    text = "a: " + "[" * depth + "]" * depth + "\n"
    with pytest.raises(InputError) as info:
        parse_text(text, "x.yaml", limits=Limits(file_size=10 ** 7))
    assert "nested more than 40 levels deep" in str(info.value) or "exceeded maximum nesting depth" in str(info.value)


def test_deep_json_is_refused_too():
    text = "[" * 100_000 + "]" * 100_000
    with pytest.raises(InputError) as info:
        parse_text(text, "x.json", limits=Limits(file_size=10 ** 7))
    assert "nested" in str(info.value)


def test_aliases_are_bounded_by_count():
    text = "a: &x 1\nb: [" + ", ".join(["*x"] * 1500) + "]\n"
    with pytest.raises(InputError) as info:
        parse_text(text, "x.yaml")
    assert "aliases (*name) more than 1000 times" in str(info.value)


def test_an_alias_gives_a_copy_with_positions():
    source = parse_text("a: &x {k: 1}\nb: *x\n", "x.yaml")
    assert source.data == {"a": {"k": 1}, "b": {"k": 1}} and source.data["a"] is not source.data["b"]
    assert source.where(("b",)) == (2, 4)


@pytest.mark.parametrize("text, expected", [
    ("values=500000", {"values": 500000}), ("file-size=8M", {"file_size": 8 * 1024 ** 2}),
    ("depth=100", {"depth": 100}), ("list-items=5k", {"list_items": 5 * 1024}),
])
def test_limits_are_set_by_name(text, expected):
    limits = parse_limit(text)
    for key, value in expected.items():
        assert getattr(limits, key) == value


@pytest.mark.parametrize("text", ["values", "colour=3", "values=0", "values=-1", "values=x", "values=1T",
                                  "values=" + "9" * 40])
def test_a_bad_limit_is_a_plain_error(text):
    with pytest.raises(ValueError):
        parse_limit(text)


def test_the_default_limits_are_far_above_the_shipped_files():
    assert DEFAULT.values >= 100_000 and DEFAULT.depth >= 20 and DEFAULT.file_size >= 1024 ** 2


def test_an_unreadable_file_named_on_the_command_line_is_that_files_problem(tmp_path, monkeypatch):
    """Click would refuse the whole command line (exit 2, in English) for one file it may not
    read; the command decides the others and says, in the user's language, what is wrong."""
    from typer.testing import CliRunner

    from governance.cli.app import app

    good = tmp_path / "good.yaml"
    good.write_bytes((EXAMPLES / "model-familjestod.yaml").read_bytes())
    locked = tmp_path / "locked.yaml"
    locked.write_bytes(good.read_bytes().replace(b"MOD-2025-001", b"MOD-2025-077"))
    real_access, real_open = os.access, os.open

    def access(path, mode, *args, **kwargs):  # as for a user without the right to read it (the suite may run as root)
        return False if os.fspath(path) == str(locked) else real_access(path, mode, *args, **kwargs)

    def open_(path, flags, *args, **kwargs):
        if os.fspath(path) == str(locked):
            raise PermissionError(13, "Permission denied", str(locked))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "access", access)
    monkeypatch.setattr(os, "open", open_)
    result = CliRunner().invoke(app, ["check", str(locked), str(good), "--date", "2025-06-01", "--lang", "sv",
                                      "--jobs", "1"])
    assert result.exit_code == 1, result.stderr
    assert "åtkomst nekad" in result.stderr and "locked.yaml" in result.stderr
    assert "MOD-2025-001" in result.stdout and "is not readable" not in result.stderr
