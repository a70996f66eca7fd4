"""fundgov benchmark: prints figures, asserts nothing (speed goals live here, never in tests).

    .venv/bin/python bench/bench.py [--proposals 3000] [--stream 10000] [--memory 20000] [--letters 100]

Every figure is measured in this run against a plain-script baseline the benchmark carries
(bench/plain.py: PyYAML's C loader and the same clauses as plain Python), with min / median /
max over repetitions, and printed with the goal of issue #15:

  1. deciding from files, CPU per proposal, against the plain script        goal ≤ 0.8 ×
  2. deciding parsed proposals, against the plain script                   goal ≤ 2 ×
  3. one-shot `fundgov check one.yaml` against the plain script on one file goal ≤ 2.5 × (≤ 120 ms)
  4. peak memory of `check DIR --format json` at two folder sizes            goal flat, ≤ 120 MB
  5. the first output of a large run                                         goal within 1 s
  6. `check --record` against `check`                                        goal ≤ 1.1 ×
  7. PDF letters: all cores against one                                      goal all cores
and the cost of the durable_rules call itself, and RSS over many checks and reloads.
"""
from __future__ import annotations

import argparse
import copy
import datetime as dt
import gc
import inspect
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from governance import Governance  # noqa: E402
from governance.engine.facts import all_facts  # noqa: E402
from governance.engine.figures import derive  # noqa: E402
from governance.engine.judge import decide, engine_fact, policy_for  # noqa: E402
from governance.formats.loader import load_proposal  # noqa: E402
from plain import Plain  # noqa: E402

DATE = dt.date(2025, 6, 1)
FUND_DATES = {"model": ("2015-01-01", "2025-05-01"), "norrkoping": ("2012-01-01", "2025-05-01"),
              "orebro": ("2013-06-01", "2024-06-01"), "gavleborg": ("2016-01-01", "2025-05-01"),
              "lulea": ("2016-01-01", "2025-05-01")}
DESIGNS = ["rct", "quasi_random", "difference_in_differences", "matched_comparison", "comparison_group",
           "pre_post", "none"]


def varied(n: int, seed: int = 7) -> list[dict]:
    """n proposals made by changing the shipped examples at random (seeded: the same every run)."""
    rng = random.Random(seed)
    bases = [yaml.safe_load((ROOT / "examples" / f).read_text(encoding="utf-8"))
             for f in ("model-familjestod.yaml", "nkp-skolnarvaro.yaml", "gav-utkast.yaml")]
    out = []
    for i in range(n):
        p = copy.deepcopy(rng.choice(bases))
        p["id"] = f"BENCH-{i:06d}"
        p["fund"] = rng.choice(list(FUND_DATES))
        lo, hi = (dt.date.fromisoformat(x) for x in FUND_DATES[p["fund"]])
        p["submitted"] = lo + dt.timedelta(days=rng.randrange((hi - lo).days))
        for key in ("submitted", "start", "end"):
            p[key] = str(p[key])
        for row in p.get("budget", []):
            row["fund_sek"] = int(row["fund_sek"] * rng.uniform(0.3, 1.6))
        if "evaluation" in p and rng.random() < 0.5:
            p["evaluation"]["design"] = rng.choice(DESIGNS)
            p["evaluation"]["follow_up_months"] = rng.choice([12, 18, 24, 36])
        if rng.random() < 0.2:
            p["intervention"]["kind"] = rng.choice(["preventive", "early", "treatment"])
        if rng.random() < 0.15:
            p.pop(rng.choice(["budget_context", "repayment", "economics", "implementation"]), None)
        out.append(p)
    return out


def write(proposals: list[dict], folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for p in proposals:
        path = folder / f"{p['id']}.yaml"
        path.write_text(yaml.dump(p, Dumper=yaml.CSafeDumper, allow_unicode=True, sort_keys=False), encoding="utf-8")
        paths.append(path)
    return paths


def spread(values: list[float], unit: str = "", scale: float = 1) -> str:
    v = sorted(x * scale for x in values)
    return f"{v[0]:.{_places(v[0])}f} / {statistics.median(v):.{_places(v[0])}f} / {v[-1]:.{_places(v[0])}f}{unit}"


def _places(x: float) -> int:
    return 0 if x >= 100 else 1 if x >= 10 else 2 if x >= 1 else 3


def ratio(ours: list[float], base: list[float]) -> str:
    rs = sorted(o / b for o, b in zip(ours, base))
    return f"{rs[0]:.2f} / {statistics.median(rs):.2f} / {rs[-1]:.2f} ×"


def cpu_per_item(fn, n: int, repeat: int) -> list[float]:
    """CPU seconds per item of fn(), each of ``repeat`` runs (process time: the machine's load aside)."""
    out = []
    for _ in range(repeat):
        gc.collect()
        t = time.process_time()
        fn()
        out.append((time.process_time() - t) / n)
    return out


def wall(cmd: list[str], repeat: int, ok: tuple[int, ...] = (0,)) -> list[float]:
    """Wall seconds of each of ``repeat`` runs; a run that ends otherwise than ``ok`` stops the
    benchmark (a crashing baseline is fast and would make every ratio a lie)."""
    out = []
    for _ in range(repeat):
        t = time.perf_counter()
        run = subprocess.run(cmd, capture_output=True, check=False)
        out.append(time.perf_counter() - t)
        if run.returncode not in ok:
            sys.exit(f"bench: {' '.join(cmd)} ended with {run.returncode}:\n{run.stderr.decode(errors='replace')}")
    return out


def wall_pair(ours: list[str], base: list[str], repeat: int, ok: tuple[int, ...] = (0,)) -> tuple[list[float], list[float]]:
    """Wall seconds of two commands run turn about (a machine that slows down or speeds up
    mid-way then weighs on both alike)."""
    a, b = [], []
    for _ in range(repeat):
        a += wall(ours, 1, ok)
        b += wall(base, 1, ok)
    return a, b


def peak_rss_mb(cmd: list[str]) -> float:
    run = subprocess.run(["/usr/bin/time", "-f", "%M", *cmd], capture_output=True, text=True, check=False)
    return int(run.stderr.strip().splitlines()[-1]) / 1024


def first_output(cmd: list[str]) -> tuple[float, float]:
    """Seconds to the first byte on standard output, and to the end."""
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    proc.stdout.read(1)
    first = time.perf_counter() - t
    proc.stdout.read()
    proc.wait()
    return first, time.perf_counter() - t


def plain_oneshot_script(rulebook, folder: Path) -> Path:
    """A standalone script: PyYAML, the figures' code, and the clauses of every policy version
    written out as Python (what an analyst would write by hand); it imports nothing of fundgov."""
    from governance import dates
    from governance.engine import figures
    from governance.engine.compiler import fold
    import plain

    figures_src = "\n".join(line for line in inspect.getsource(figures).splitlines()
                            if not line.startswith(("from governance", "import governance", "from __future__")))
    lines = ["from __future__ import annotations", "import sys, datetime as dt, math, calendar", "from statistics import NormalDist",
             "from dataclasses import dataclass", "from typing import Any, Callable, Iterable, Mapping",
             "import yaml", inspect.getsource(dates).replace("from governance.i18n import _", "_ = str")
             .replace("from __future__ import annotations", ""),
             figures_src, inspect.getsource(plain._Ns), inspect.getsource(plain._flatten)]
    versions = []
    k = 0
    for version in rulebook.policies.all_versions():
        funcs = []
        for rule in rulebook.rules:
            if rule.clause not in version.clauses:
                continue
            applies = plain._py(fold(rule.applies, version.params), version.params) if rule.applies else "True"
            when = plain._py(fold(rule.when, version.params), version.params) if rule.when else "False"
            needs = " and ".join(f"{n!r} in f" for n in rule.needs) or "True"
            lines.append(f"def r{k}(f):\n    try:\n        if not ({applies}):\n            return False\n"
                         f"    except (KeyError, TypeError):\n        return False\n    if not ({needs}):\n"
                         f"        return None\n    try:\n        return bool({when})\n"
                         f"    except (KeyError, TypeError):\n        return None\n")
            funcs.append(f"({rule.id!r}, r{k})")
            k += 1
        versions.append(f"({version.fund!r}, {version.version.isoformat()!r}, {dict(version.params)!r}, "
                        f"[{', '.join(funcs)}])")
    lines.append("VERSIONS = [" + ",\n".join(versions) + "]")
    lines.append('''
def main():
    for path in sys.argv[1:]:
        data = yaml.load(open(path, encoding="utf-8"), Loader=yaml.CSafeLoader)
        day = str(data["submitted"])
        fund, version, params, checks = max((v for v in VERSIONS if v[0] == data["fund"] and v[1] <= day),
                                            key=lambda v: v[1])
        facts = {}
        _flatten(data, "", facts)
        facts.update(derive(_Ns(data), params))
        found = [(r, check(facts)) for r, check in checks]
        print(path, [(r, v) for r, v in found if v is not False])

main()
''')
    script = folder / "plain_oneshot.py"
    script.write_text("\n".join(lines), encoding="utf-8")
    return script


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--proposals", type=int, default=3000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--stream", type=int, default=10_000, help="files of the large run (first output)")
    ap.add_argument("--memory", type=int, default=20_000, help="files of the larger folder for peak memory")
    ap.add_argument("--letters", type=int, default=100)
    ap.add_argument("--engine-checks", type=int, default=100_000)
    args = ap.parse_args()
    fundgov = str(Path(sys.executable).parent / "fundgov")
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}; "
          "figures as min / median / max over repetitions\n")

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        proposals = varied(args.proposals)
        paths = write(proposals, tmp / "in")
        texts = [p.read_text(encoding="utf-8") for p in paths]
        gov = Governance.load()
        rb = gov.rulebook
        plain = Plain(rb)
        n = len(paths)

        # agreement: the baseline gives the same findings, or it would not be the same work
        loaded = [load_proposal(p) for p in paths]
        same = sum(1 for one, text in zip(loaded[:300], texts)
                   if sorted((f.rule, "missing" if f.missing else "fire") for f in decide(rb, one, DATE).findings)
                   == sorted(plain.decide_text(text)))
        print(f"the plain script gives the same findings on {same} of {min(300, n)} proposals "
              "(it repeats a completion request that fundgov gives once per clause)\n")

        # 1. from files
        for one in loaded[:50]:
            decide(rb, one, DATE)
            plain.decide_text(texts[0])
        ours = cpu_per_item(lambda: [decide(rb, load_proposal(p), DATE) for p in paths], n, args.repeat)
        base = cpu_per_item(lambda: [plain.decide_text(t) for t in texts], n, args.repeat)
        print(f"1. deciding from files, CPU per proposal: fundgov {spread(ours, ' µs', 1e6)}, "
              f"plain {spread(base, ' µs', 1e6)}; ratio {ratio(ours, base)}   (goal ≤ 0.8 ×)")
        parse = cpu_per_item(lambda: [load_proposal(p) for p in paths], n, args.repeat)
        print(f"   of which reading, validating and placing: {spread(parse, ' µs', 1e6)}")

        # 2. parsed
        datas = [yaml.load(t, Loader=yaml.CSafeLoader) for t in texts]
        ours = cpu_per_item(lambda: [decide(rb, one, DATE) for one in loaded], n, args.repeat)
        base = cpu_per_item(lambda: [plain.decide_data(d) for d in datas], n, args.repeat)
        print(f"2. deciding parsed proposals: fundgov {spread(ours, ' µs', 1e6)}, plain {spread(base, ' µs', 1e6)}; "
              f"ratio {ratio(ours, base)}   (goal ≤ 2 ×)")
        versions = [policy_for(rb, one) for one in loaded]
        compiled = [rb.compiled(v) for v in versions]
        facts = [engine_fact(all_facts(one.facts, derive(one.model, v.params)), c.fact_keys)
                 for one, v, c in zip(loaded, versions, compiled)]
        engine = cpu_per_item(lambda: [c.ruleset.fire(f) for c, f in zip(compiled, facts)], n, args.repeat)
        print(f"   of which the durable_rules call (fact JSON, assert, actions, session): {spread(engine, ' µs', 1e6)}")

        # 3. one-shot
        script = plain_oneshot_script(rb, tmp)
        one = str(paths[0])
        wall([fundgov, "check", one, "--date", "2025-06-01"], 1)  # the rulebook cache is filled once, as on any machine
        ours, base = wall_pair([fundgov, "check", one, "--date", "2025-06-01"], [sys.executable, str(script), one],
                               max(11, args.repeat))
        print(f"3. one-shot, wall: fundgov check one.yaml {spread(ours, ' ms', 1e3)}, plain script "
              f"{spread(base, ' ms', 1e3)}; ratio {ratio(ours, base)}   (goal ≤ 2.5 ×, ≤ 120 ms)")

        # 4. peak memory at two sizes
        small = write(proposals[: args.memory // 4] if args.memory // 4 <= n else varied(args.memory // 4, 3),
                      tmp / "small")
        large_props = varied(args.memory, 11)
        large = write(large_props, tmp / "large")
        del large_props
        mem_small = peak_rss_mb([fundgov, "check", str(small[0].parent), "--date", "2025-06-01", "--format", "json"])
        mem_large = peak_rss_mb([fundgov, "check", str(large[0].parent), "--date", "2025-06-01", "--format", "json"])
        print(f"4. peak memory of check --format json: {len(small)} files {mem_small:.0f} MB, {len(large)} files "
              f"{mem_large:.0f} MB ({(mem_large - mem_small) / (len(large) - len(small)) * 1024:+.2f} KB per file)"
              "   (goal flat, ≤ 120 MB)")

        # 5. first output
        big = large[0].parent if len(large) >= args.stream else write(varied(args.stream, 13), tmp / "stream")[0].parent
        firsts, ends = zip(*(first_output([fundgov, "check", str(big), "--date", "2025-06-01", "--format", "jsonl"])
                             for _ in range(3)))
        print(f"5. first output of a {len(list(Path(big).iterdir()))}-file run: after {spread(list(firsts), ' s')} "
              f"of {spread(list(ends), ' s')}   (goal within 1 s)")

        # 6. --record
        folder = str(tmp / "in")
        checks = wall([fundgov, "check", folder, "--date", "2025-06-01", "--format", "json"], 3)
        records = []
        for i in range(3):
            register = tmp / f"r{i}.sqlite"
            records += wall([fundgov, "check", folder, "--date", "2025-06-01", "--format", "json", "--record",
                             "--register", str(register)], 1)
        print(f"6. check --record against check ({n} files): {spread(records, ' s')} against {spread(checks, ' s')}; "
              f"ratio {ratio(records, checks)}   (goal ≤ 1.1 ×)")

        # 7. PDF letters
        pdf_in = write(proposals[: args.letters], tmp / "pdf")
        one_core = wall([fundgov, "check", str(pdf_in[0].parent), "--date", "2025-06-01", "--letters",
                         str(tmp / "l1"), "--letter-format", "pdf", "--jobs", "1"], 1)
        all_cores = wall([fundgov, "check", str(pdf_in[0].parent), "--date", "2025-06-01", "--letters",
                          str(tmp / "l2"), "--letter-format", "pdf"], 1)
        print(f"7. {len(pdf_in)} PDF letters: one core {one_core[0]:.1f} s, all {os.cpu_count()} cores "
              f"{all_cores[0]:.1f} s ({one_core[0] / all_cores[0]:.2f} × faster)   (goal: all cores)")

        # memory over many engine checks and reloads
        before = _rss_kib()
        k = 0
        while k < args.engine_checks:
            for c, f in zip(compiled, facts):
                c.ruleset.fire(f)
                k += 1
                if k >= args.engine_checks:
                    break
        after = _rss_kib()
        print(f"\nRSS over {k:,} engine checks: {after - before:+,} KiB; peak RSS of this benchmark "
              f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
        gov.close()


def _rss_kib() -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


if __name__ == "__main__":
    main()
