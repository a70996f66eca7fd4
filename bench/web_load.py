"""Load on the workplace: N concurrent sessions log in and upload applications (each opens a
case, assessed at once), against `fundgov serve` on a loopback port, on SQLite and on
PostgreSQL. Prints figures and asserts nothing but the register's count (nothing lost,
nothing twice).

    .venv/bin/python bench/web_load.py [--sessions 8] [--uploads 25] [--seconds 120] [--engine sqlite|postgresql|both]

Each session is an account of its own (officer of Norrköping's fund) with its own cookie;
each upload is a different application (the example with its own id), registered as a case
with the next diarienummer and assessed on the server. Traffic goes to 127.0.0.1 only;
every loop is bounded by the number of uploads and by --seconds. Afterwards the register
must hold exactly one case (and one assessment) per upload that was answered as
registered, each application once, and no diarienummer twice.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from governance.board.register import Register  # noqa: E402
from governance.web.accounts import Accounts  # noqa: E402

PASSWORD = "belastning-lösenord-1"
CSRF = re.compile(r'name="csrf" value="([^"]+)"')
MAX_SESSIONS, MAX_UPLOADS = 32, 200


def applications(sessions: int, uploads: int) -> list[list[tuple[str, bytes]]]:
    data = yaml.safe_load((ROOT / "examples" / "nkp-skolnarvaro.yaml").read_text(encoding="utf-8"))
    out = []
    for s in range(sessions):
        mine = []
        for u in range(uploads):
            data["id"] = f"NKP-LOAD-{s:02d}-{u:03d}"
            text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_style=None)
            mine.append((f"{data['id']}.yaml", text.encode("utf-8")))
        out.append(mine)
    return out


def prepare(target: str, sessions: int) -> None:
    with Register(target) as reg:
        accounts = Accounts(reg.db)
        for s in range(sessions):
            accounts.add(f"last{s:02d}", f"Last {s}", "officer", ["norrkoping"], "bench", PASSWORD)


def session(base: str, number: int, files: list[tuple[str, bytes]], deadline: float, latencies: list[float],
            errors: list[str], recorded: list[str]) -> None:
    import httpx2 as httpx

    with httpx.Client(base_url=base, follow_redirects=True, timeout=60) as client:
        page = client.get("/login")
        done = client.post("/login", data={"username": f"last{number:02d}", "password": PASSWORD,
                                           "csrf": CSRF.search(page.text).group(1), "next": "/"})
        if done.status_code != 200:
            errors.append(f"login {done.status_code}")
            return
        for name, body in files:
            if time.monotonic() > deadline:
                break
            token = CSRF.search(client.get("/upload").text).group(1)
            start = time.perf_counter()
            response = client.post("/upload", data={"csrf": token, "kind": "application", "date": "2025-06-01"},
                                   files=[("files", (name, body, "application/yaml"))])
            latencies.append(time.perf_counter() - start)
            if response.status_code == 200 and "/cases/" in str(response.url):
                recorded.append(name.removesuffix(".yaml"))
            else:
                errors.append(f"{name}: {response.status_code}")


def serve(target: str, port: int) -> subprocess.Popen:
    command = [str(ROOT / ".venv" / "bin" / "fundgov"), "serve", "--port", str(port)]
    command += ["--database", target] if "://" in target else ["--register", target]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    import httpx2 as httpx

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/login", timeout=2)
            return process
        except httpx.TransportError:
            if process.poll() is not None:
                raise RuntimeError(process.stderr.read().decode(errors="replace"))
            time.sleep(0.2)
    process.terminate()
    raise RuntimeError("the workplace did not start")


def run(engine: str, target: str, sessions: int, uploads: int, seconds: float) -> None:
    from web_helpers import free_port

    prepare(target, sessions)
    port = free_port()
    server = serve(target, port)
    latencies: list[float] = []
    errors: list[str] = []
    recorded: list[str] = []
    work = applications(sessions, uploads)
    deadline = time.monotonic() + seconds
    threads = [threading.Thread(target=session, args=(f"http://127.0.0.1:{port}", s, work[s], deadline, latencies,
                                                      errors, recorded)) for s in range(sessions)]
    start = time.perf_counter()
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=seconds + 120)
        wall = time.perf_counter() - start
    finally:
        server.terminate()
        server.wait(timeout=30)
    from governance.board.cases import list_cases

    with Register(target) as reg:
        cases = list_cases(reg, "norrkoping")
        assessed = [d["proposal"] for d in reg.decisions("norrkoping")]
    held = [c["proposal"] for c in cases]
    numbers = [c["diarienummer"] for c in cases]
    lost = sorted(set(recorded) - set(held))
    twice = sorted({p for p in held if held.count(p) > 1} | {p for p in assessed if assessed.count(p) > 1}
                   | {n for n in numbers if numbers.count(n) > 1})
    unknown = sorted(set(held) - set(recorded))
    ordered = sorted(latencies)
    p = (lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000) if ordered else (lambda q: 0.0)
    print(f"{engine:<11} sessions {sessions:>3}  uploads {len(latencies):>5}  {len(latencies) / wall:6.1f}/s  "
          f"p50 {p(0.50):7.1f} ms  p95 {p(0.95):7.1f} ms  errors {len(errors)}  "
          f"register: {len(held)} cases, lost {len(lost)}, twice {len(twice)}, unexpected {len(unknown)}")
    if errors[:3]:
        print("  first errors:", "; ".join(errors[:3]))
    if ordered:
        print(f"{'':<11} mean {statistics.mean(ordered) * 1000:.1f} ms, max {ordered[-1] * 1000:.1f} ms, "
              f"wall {wall:.1f} s")
    assert not lost and not twice and not unknown, "the register does not hold exactly what was recorded"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=8)
    parser.add_argument("--uploads", type=int, default=25, help="uploads per session")
    parser.add_argument("--seconds", type=float, default=120, help="stop uploading after this many seconds")
    parser.add_argument("--engine", choices=["sqlite", "postgresql", "both"], default="both")
    args = parser.parse_args()
    sessions = max(1, min(args.sessions, MAX_SESSIONS))
    uploads = max(1, min(args.uploads, MAX_UPLOADS))
    seconds = max(1.0, min(args.seconds, 600.0))
    folder = Path(tempfile.mkdtemp(prefix="fundgov-load-"))
    try:
        if args.engine in ("sqlite", "both"):
            run("SQLite", str(folder / "register.sqlite"), sessions, uploads, seconds)
        if args.engine in ("postgresql", "both"):
            from register_db import PostgresServer, _pg_bin

            bin_dir = _pg_bin()
            if bin_dir is None:
                print("PostgreSQL     not installed: skipped")
                return
            pg_folder = folder / "pg"
            pg_folder.mkdir()
            os.chmod(folder, 0o755)
            os.chmod(pg_folder, 0o755)
            server = PostgresServer(bin_dir, pg_folder, "postgres" if os.geteuid() == 0 else None)
            server.start()
            try:
                run("PostgreSQL", server.new_database(), sessions, uploads, seconds)
            finally:
                server.stop()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
