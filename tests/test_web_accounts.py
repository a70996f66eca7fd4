"""The workplace's accounts on both engines: argon2 hashes, roles tied to funds, throttled
logins, disabled accounts and changed passwords, and the fundgov user command."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from governance.board import schema as t
from governance.board.register import Register
from governance.cli.app import run
from governance.web.accounts import LOCK_MINUTES, MAX_FAILURES, AccountError, Accounts, LoginRefused

PASSWORD = "en-lång-lösenfras-1"


@pytest.fixture
def accounts(register_target):
    reg = Register(register_target)
    yield Accounts(reg.db)
    reg.close()


def test_an_account_keeps_an_argon2_hash_never_the_password(accounts):
    made = accounts.add("anna", "Anna Andersson", "officer", ["norrkoping", "model"], "test", PASSWORD)
    assert (made.role, made.funds, made.can_change) == ("officer", frozenset({"norrkoping", "model"}), True)
    with accounts.db.reading() as conn:
        digest = conn.execute(select(t.accounts.c.password_hash)).scalar()
        log = conn.execute(select(t.activity.c.actor, t.activity.c.action, t.activity.c.subject)).fetchall()
    assert digest.startswith("$argon2id$") and PASSWORD not in digest
    assert [tuple(r) for r in log] == [("test", "account.add", "anna")]
    assert accounts.login("anna", PASSWORD).username == "anna"


@pytest.mark.parametrize("args, message", [
    (("Anna Andersson", "officer", ["norrkoping"], "test", "kort"), "at least 12 characters"),
    (("Anna", "chef", ["norrkoping"], "test", PASSWORD), "unknown role 'chef'"),
    (("Anna", "officer", [], "test", PASSWORD), "at least one fund"),
    (("Anna", "officer", ["norrköping"], "test", PASSWORD), "unknown fund 'norrköping'"),
    (("Anna", "officer", ["norrkoping"], "test", None), "needs a password"),
])
def test_a_bad_account_is_refused(accounts, args, message):
    with pytest.raises(AccountError, match=message):
        accounts.add("anna", *args, known_funds=["norrkoping", "model"])
    assert accounts.list() == []


@pytest.mark.parametrize("name", ["", "an na", "anna\x1b[2J", "a" * 65, "anna/../x"])
def test_a_username_is_plain(accounts, name):
    with pytest.raises(AccountError):
        accounts.add(name, "Anna", "officer", ["norrkoping"], "test", PASSWORD)


def test_one_name_one_account(accounts):
    accounts.add("anna", "Anna", "officer", ["norrkoping"], "test", PASSWORD)
    with pytest.raises(AccountError, match="already an account 'anna'"):
        accounts.add("anna", "Anna B", "board", ["model"], "test", PASSWORD)


def test_guessing_locks_the_account_for_everyone(accounts):
    accounts.add("anna", "Anna", "officer", ["norrkoping"], "test", PASSWORD)
    now = dt.datetime(2025, 6, 1, 9, 0)
    for _ in range(MAX_FAILURES):
        with pytest.raises(LoginRefused) as refused:
            accounts.login("anna", "fel lösenord!!", now)
        assert refused.value.reason == "wrong"
    with pytest.raises(LoginRefused) as refused:  # even the right password, while locked
        accounts.login("anna", PASSWORD, now + dt.timedelta(minutes=1))
    assert refused.value.reason == "locked"
    later = now + dt.timedelta(minutes=LOCK_MINUTES, seconds=1)
    assert accounts.login("anna", PASSWORD, later).username == "anna"


def test_an_unknown_name_and_a_wrong_password_read_the_same(accounts):
    accounts.add("anna", "Anna", "officer", ["norrkoping"], "test", PASSWORD)
    with pytest.raises(LoginRefused) as unknown:
        accounts.login("okänd", PASSWORD)
    with pytest.raises(LoginRefused) as wrong:
        accounts.login("anna", "inte-lösenordet")
    assert str(unknown.value) == str(wrong.value)


def test_disabling_and_a_new_password_end_the_sessions(accounts):
    made = accounts.add("anna", "Anna", "officer", ["norrkoping"], "test", PASSWORD)
    accounts.set_password("anna", "ett-nytt-lösenord", "admin")
    after = accounts.get(made.id)
    assert after.session_epoch == made.session_epoch + 1
    with pytest.raises(LoginRefused):
        accounts.login("anna", PASSWORD)
    accounts.set_disabled("anna", True, "admin")
    with pytest.raises(LoginRefused) as refused:
        accounts.login("anna", "ett-nytt-lösenord")
    assert refused.value.reason == "disabled"
    accounts.set_disabled("anna", False, "admin")
    assert accounts.login("anna", "ett-nytt-lösenord").session_epoch == made.session_epoch + 3


def test_the_user_command(tmp_path, capsys, monkeypatch):
    target = str(tmp_path / "r.sqlite")
    code = run(["user", "add", "anna", "--role", "officer", "--fund", "norrkoping", "--name", "Anna Andersson",
                "--generate-password", "--register", target])
    out = capsys.readouterr().out
    assert code == 0 and "anna" in out
    password = out.strip().splitlines()[-1].split()[-1]
    assert len(password) == 20
    with Register(target) as reg:
        assert Accounts(reg.db).login("anna", password).display_name == "Anna Andersson"
    monkeypatch.setattr("sys.stdin", __import__("io").StringIO("ett-annat-lösenord\n"))
    assert run(["user", "passwd", "anna", "--password-stdin", "--register", target]) == 0
    assert run(["user", "disable", "anna", "--register", target]) == 0
    capsys.readouterr()
    assert run(["user", "list", "--register", target]) == 0
    listed = capsys.readouterr().out
    assert "anna" in listed and "inaktiverat" in listed
    assert run(["user", "add", "bo", "--role", "chef", "--fund", "norrkoping", "--generate-password",
                "--register", target]) == 2
    assert "chef" in capsys.readouterr().err
