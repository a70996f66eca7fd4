"""fundgov serve: the board's workplace in the browser; fundgov user: its accounts."""
from __future__ import annotations

import getpass
import sys
from pathlib import Path
from typing import Optional

import typer

from governance.cli.common import (DATABASE_OPT, EXIT_INPUT, EXIT_OK, EXIT_USAGE, POLICIES_OPT, REGISTER_OPT,
                                   RULES_OPT, app, fail, load_governance, register_target)
from governance.errors import FundgovError, UsageError
from governance.i18n import _

user_app = typer.Typer(rich_markup_mode=None, no_args_is_help=True,
                       help=_("The workplace's accounts (for administrators)."))
app.add_typer(user_app, name="user")


@app.command(help=_("Serve the workplace: applications, decisions, follow-up and the funds' ledgers in the browser."))
def serve(
    host: str = typer.Option("127.0.0.1", "--host", help=_("the address to listen on (default: this computer only)")),
    port: int = typer.Option(8000, "--port", min=1, max=65535),
    register: Optional[Path] = REGISTER_OPT,
    database: Optional[str] = DATABASE_OPT,
    rules: Optional[Path] = RULES_OPT,
    policies: Optional[Path] = POLICIES_OPT,
    https: bool = typer.Option(False, "--https", help=_("the workplace is reached over HTTPS (through a proxy, or "
                                                        "with --certificate): session cookies are then Secure")),
    certificate: Optional[Path] = typer.Option(None, "--certificate", help=_("a TLS certificate (PEM) to serve "
                                                                            "HTTPS with")),
    key: Optional[Path] = typer.Option(None, "--key", help=_("the certificate's private key (PEM)")),
) -> None:
    import uvicorn

    from governance.web.app import create_app
    from governance.web.workplace import WebConfig

    if (certificate is None) != (key is None):
        fail(UsageError(_("--certificate and --key go together")), EXIT_USAGE)
    # the rule and policy files are checked before anything is served; a fund whose own files
    # are broken is left out (its pages say why) and said here, the other funds are served
    gov = load_governance(rules, policies, isolate=True)
    for problem in gov.policies.broken_problems():
        print(f"fundgov: {problem}", file=sys.stderr)
    if gov.policies.broken:
        print("fundgov: " + _("these funds are not served until their policy files are mended: {funds}").format(
            funds=", ".join(gov.policies.broken)), file=sys.stderr)
    target = register_target(register, database)
    try:
        application = create_app(WebConfig(target, rules, policies, https=https or certificate is not None))
    except FundgovError as exc:
        fail(exc, EXIT_INPUT)
    if application.state.workplace.accounts.count() == 0:
        print(_("fundgov: there is no account yet: make one with fundgov user add"), file=sys.stderr)
    scheme = "https" if certificate else "http"
    print(_("The workplace is at {url} (stop it with Ctrl+C)").format(url=f"{scheme}://{host}:{port}/"),
          file=sys.stderr)
    uvicorn.run(application, host=host, port=port, log_level="warning", proxy_headers=https,
                ssl_certfile=str(certificate) if certificate else None, ssl_keyfile=str(key) if key else None)
    raise typer.Exit(EXIT_OK)


def _accounts(register: Optional[Path], database: Optional[str]):
    from governance.board.register import Register
    from governance.web.accounts import Accounts

    try:
        reg = Register(register_target(register, database))
    except FundgovError as exc:
        fail(exc, EXIT_INPUT)
    return reg, Accounts(reg.db)


def _operator() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):  # pragma: no cover - no user name in this environment
        return "cli"


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass(_("Password: "))
    if getpass.getpass(_("The same password again: ")) != first:
        fail(UsageError(_("the two passwords differ")), EXIT_USAGE)
    return first


@user_app.command("add", help=_("Make an account for a person who works in the workplace."))
def user_add(
    username: str = typer.Argument(..., metavar=_("USERNAME"), help=_("the account's user name")),
    role: str = typer.Option(..., "--role", help=_("officer (case officer), board (board member, reads only) or "
                                                   "admin (administrator)")),
    fund: list[str] = typer.Option(..., "--fund", help=_("a fund the account serves; may be repeated")),
    name: Optional[str] = typer.Option(None, "--name", help=_("the person's name as pages show it")),
    password_stdin: bool = typer.Option(False, "--password-stdin", help=_("read the password from standard input")),
    generate: bool = typer.Option(False, "--generate-password", help=_("make a password and print it once")),
    subject: Optional[str] = typer.Option(None, "--subject", help=_("the person's subject at the single sign-on "
                                                                    "(OIDC sub), for an account without a password")),
    register: Optional[Path] = REGISTER_OPT, database: Optional[str] = DATABASE_OPT,
    policies: Optional[Path] = POLICIES_OPT,
) -> None:
    from governance.web.accounts import generate_password

    gov = load_governance(None, policies)
    password = None
    if generate:
        password = generate_password()
    elif subject is None or password_stdin:
        password = _read_password(password_stdin)
    reg, accounts = _accounts(register, database)
    with reg:
        try:
            accounts.add(username, name or username, role, fund, _operator(), password, subject,
                         known_funds=list(gov.policies.funds))
        except FundgovError as exc:
            fail(exc, EXIT_USAGE)
    print(_("account {name} made ({role}; {funds})").format(name=username, role=role, funds=", ".join(sorted(fund))))
    if generate:
        print(_("password: {password}").format(password=password))
    raise typer.Exit(EXIT_OK)


@user_app.command("list", help=_("Every account with its role, funds and state."))
def user_list(register: Optional[Path] = REGISTER_OPT, database: Optional[str] = DATABASE_OPT) -> None:
    from governance.web.accounts import role_word

    reg, accounts = _accounts(register, database)
    with reg:
        rows = accounts.list()
    for a in rows:
        state = _("disabled") if a.disabled else _("active")
        print(f"{a.username:<20} {role_word(a.role):<28} {state:<10} {', '.join(sorted(a.funds))}")
    raise typer.Exit(EXIT_OK)


@user_app.command("passwd", help=_("Set a new password (every session of the account ends)."))
def user_passwd(username: str = typer.Argument(..., metavar=_("USERNAME"), help=_("the account's user name")),
                password_stdin: bool = typer.Option(False, "--password-stdin",
                                                    help=_("read the password from standard input")),
                register: Optional[Path] = REGISTER_OPT, database: Optional[str] = DATABASE_OPT) -> None:
    password = _read_password(password_stdin)
    reg, accounts = _accounts(register, database)
    with reg:
        try:
            accounts.set_password(username, password, _operator())
        except FundgovError as exc:
            fail(exc, EXIT_USAGE)
    print(_("the password of {name} is changed").format(name=username))
    raise typer.Exit(EXIT_OK)


@user_app.command("disable", help=_("Disable an account (its sessions end at once), or with --enable let it in again."))
def user_disable(username: str = typer.Argument(..., metavar=_("USERNAME"), help=_("the account's user name")),
                 enable: bool = typer.Option(False, "--enable", help=_("enable the account again")),
                 register: Optional[Path] = REGISTER_OPT, database: Optional[str] = DATABASE_OPT) -> None:
    reg, accounts = _accounts(register, database)
    with reg:
        try:
            accounts.set_disabled(username, not enable, _operator())
        except FundgovError as exc:
            fail(exc, EXIT_USAGE)
    print((_("the account {name} is enabled") if enable else _("the account {name} is disabled")).format(name=username))
    raise typer.Exit(EXIT_OK)
