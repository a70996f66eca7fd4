"""Helpers of the workplace's tests: a workplace on a fresh register with accounts, a client
that logs in and sends forms with their CSRF token, and a live server on a loopback port
for the browser tests and the load benchmark."""
from __future__ import annotations

import datetime as dt
import re
import socket
import threading
import time
from contextlib import contextmanager
from pathlib import Path

from governance.web.accounts import Accounts
from governance.web.app import create_app
from governance.web.workplace import WebConfig

TODAY = dt.date(2025, 6, 1)
PASSWORD = "rätt-häftklammer-12"
#: username -> (role, funds)
PEOPLE = {
    "anna": ("officer", ["norrkoping", "model"]),
    "bertil": ("board", ["norrkoping"]),
    "cecilia": ("officer", ["gavleborg"]),
    "admin": ("admin", ["norrkoping", "model", "gavleborg", "orebro", "lulea"]),
}


def add_people(target: str) -> None:
    from governance.board.register import Register

    with Register(target) as reg:
        accounts = Accounts(reg.db)
        for name, (role, funds) in PEOPLE.items():
            if accounts.by_username(name) is None:
                accounts.add(name, name.capitalize(), role, funds, "test", PASSWORD)


def make_app(target: str, today: dt.date = TODAY):
    add_people(target)
    return create_app(WebConfig(target, today=lambda: today))


CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def token(html: str) -> str:
    found = CSRF.search(html)
    assert found, "the page has no form with a CSRF token"
    return found.group(1)


def login(client, username: str, password: str = PASSWORD):
    page = client.get("/login")
    return client.post("/login", data={"username": username, "password": password, "csrf": token(page.text),
                                       "next": "/"})


def post_form(client, page_path: str, action: str, data: dict, files=None):
    """Send a form the way a browser does: the page first (for its token), then the form."""
    page = client.get(page_path)
    return client.post(action, data={**data, "csrf": token(page.text)}, files=files)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def live_server(app, port: int | None = None):
    """The app served by Uvicorn on 127.0.0.1 in a thread; stopped at the end."""
    import uvicorn

    port = port or free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the workplace did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=20)


CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def form_values(html: str, action: str) -> dict[str, str]:
    """What a browser sends for the form posting to ``action``, as it stands (no token)."""
    from html.parser import HTMLParser

    class Reader(HTMLParser):
        def __init__(self):
            super().__init__(convert_charrefs=True)
            self.inside, self.values, self.select, self.textarea, self.chosen = False, {}, None, None, None

        def handle_starttag(self, tag, attrs):
            a = dict(attrs)
            if tag == "form":
                self.inside = a.get("action") == action
            if not self.inside:
                return
            if tag == "input" and a.get("name") and a.get("name") != "csrf":
                if a.get("type") in ("checkbox", "radio"):
                    if "checked" in a:
                        self.values[a["name"]] = a.get("value", "on")
                elif a.get("type") != "file":
                    self.values[a["name"]] = a.get("value") or ""
            elif tag == "select":
                self.select, self.chosen = a.get("name"), ""
            elif tag == "option" and self.select is not None and "selected" in a:
                self.chosen = a.get("value", "")
            elif tag == "textarea":
                self.textarea, self.values[a.get("name")] = a.get("name"), ""

        def handle_endtag(self, tag):
            if tag == "form":
                self.inside = False
            elif tag == "select" and self.select is not None:
                self.values[self.select] = self.chosen
                self.select = None
            elif tag == "textarea":
                self.textarea = None

        def handle_data(self, data):
            if self.textarea is not None:
                self.values[self.textarea] += data

    reader = Reader()
    reader.feed(html)
    return reader.values


def case_number(response) -> int:
    """The case a response landed on (/cases/N)."""
    found = re.search(r"/cases/(\d+)$", str(response.url))
    assert found, f"not on a case page: {response.url}"
    return int(found.group(1))


def decide_at_meeting(client, fund: str, case: int, day: str, **decision) -> int:
    """Propose the case, put it on a new meeting of ``day`` and decide it there (as proposed,
    or as ``decision`` says); the protocol is adjusted the same day. Returns the meeting."""
    page = post_form(client, f"/cases/{case}", f"/cases/{case}/propose", {})
    assert page.status_code == 200, page.text[-500:]
    page = post_form(client, "/meetings", "/meetings", {"fund": fund, "date": day, "place": "Rådhuset"})
    meeting = int(str(page.url).rstrip("/").rsplit("/", 1)[-1])
    number = re.search(r'name="case" value="([^"]+)"', client.get(f"/meetings/{meeting}").text)
    post_form(client, f"/meetings/{meeting}", f"/meetings/{meeting}/agenda", {"case": number.group(1)})
    post_form(client, f"/meetings/{meeting}", f"/meetings/{meeting}/decide",
              {"case": number.group(1), "outcome": "", **decision})
    post_form(client, f"/meetings/{meeting}", f"/meetings/{meeting}/adjust", {"date": day, "adjuster": "Karin Ek"})
    return meeting
