"""fundgov benchmark: prints figures, asserts nothing (speed goals live here, not in tests).

    .venv/bin/python bench/bench.py [--proposals 3000] [--folder 2000] [--memory-checks 100000]

Figures:
  1. decisions per second in one process once files are loaded, and the cost split
     (load/validate, derive, engine, aggregate) per proposal;
  2. the wall time of a one-shot `fundgov check one.yaml`;
  3. a folder of N proposals: parsing alone (one process) against `fundgov check` of the
     folder (all cores);
  4. peak memory, and RSS before and after many checks (it must stay flat).
"""
from __future__ import annotations

import argparse
import copy
import gc
import datetime as dt
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

from governance import Governance  # noqa: E402
from governance.engine.facts import all_facts  # noqa: E402
from governance.engine.figures import derive  # noqa: E402
from governance.engine.judge import decide, engine_fact, policy_for  # noqa: E402
from governance.formats.loader import load_proposal  # noqa: E402

DATE = dt.date(2025, 6, 1)
FUND_DATES = {"model": ("2015-01-01", "2026-01-01"), "norrkoping": ("2012-01-01", "2026-01-01"),
              "orebro": ("2013-06-01", "2024-06-01"), "gavleborg": ("2016-01-01", "2026-01-01"),
              "lulea": ("2016-01-01", "2026-01-01")}
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
    paths = []
    for p in proposals:
        path = folder / f"{p['id']}.yaml"
        path.write_text(yaml.safe_dump(p, allow_unicode=True, sort_keys=False), encoding="utf-8")
        paths.append(path)
    return paths


def rss_kib() -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def timed(fn, repeat: int = 3) -> float:
    runs = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - t)
    return statistics.median(runs)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--proposals", type=int, default=3000)
    ap.add_argument("--folder", type=int, default=2000)
    ap.add_argument("--memory-checks", type=int, default=100_000)
    args = ap.parse_args()
    fundgov = Path(sys.executable).parent / "fundgov"
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores")

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        paths = write(varied(args.proposals), tmp)
        gov = Governance.load()
        rb = gov.rulebook

        # 1. in-process
        t = time.perf_counter()
        loaded = [load_proposal(p) for p in paths]
        load_s = time.perf_counter() - t
        gc.freeze()  # the loaded files live for the whole run: keep the collector from rescanning them
        for one in loaded[:50]:
            decide(rb, one, DATE)  # compile every ruleset once
        decide_s = timed(lambda: [decide(rb, one, DATE) for one in loaded])
        versions = [policy_for(rb, one) for one in loaded]
        compiled = [rb.compiled(v) for v in versions]
        derive_s = timed(lambda: [all_facts(one.facts, derive(one.model, v.params)) for one, v in zip(loaded, versions)])
        facts = [engine_fact(all_facts(one.facts, derive(one.model, v.params)), c.fact_keys)
                 for one, v, c in zip(loaded, versions, compiled)]
        engine_s = timed(lambda: [c.ruleset.fire(f) for c, f in zip(compiled, facts)])
        n = len(loaded)
        outcomes = {}
        for one in loaded:
            d = decide(rb, one, DATE)
            outcomes[d.outcome] = outcomes.get(d.outcome, 0) + 1
        per = lambda s: f"{s / n * 1e6:7.1f} µs"  # noqa: E731
        print(f"\n1. in process, {n} varied proposals ({', '.join(f'{k} {v}' for k, v in sorted(outcomes.items()))})")
        print(f"   decisions per second (loaded files, one core): {n / decide_s:,.0f}")
        print(f"   load + validate {per(load_s)}  derive {per(derive_s)}  engine {per(engine_s)}  "
              f"aggregate {per(max(decide_s - derive_s - engine_s, 0))}  (decide in all {per(decide_s)})")

        # 2. one-shot CLI
        one = paths[0]
        wall = timed(lambda: subprocess.run([str(fundgov), "check", str(one), "--date", "2025-06-01"],
                                            capture_output=True, check=False), repeat=7)
        print(f"\n2. one-shot `fundgov check one.yaml`: {wall * 1000:.0f} ms wall (median of 7)")

        # 3. folder
        folder = tmp / "folder"
        folder.mkdir()
        for p in paths[: args.folder]:
            (folder / p.name).write_bytes(p.read_bytes())
        parse_s = timed(lambda: [load_proposal(p) for p in sorted(folder.iterdir())], repeat=1)
        check_s = timed(lambda: subprocess.run([str(fundgov), "check", str(folder), "--date", "2025-06-01",
                                                "--format", "json"], capture_output=True, check=False), repeat=1)
        inproc_s = timed(lambda: gov.check([folder], DATE), repeat=1)
        m = min(args.folder, n)
        print(f"\n3. folder of {m} proposals: parsing alone {parse_s:.2f} s (one process); "
              f"fundgov check {check_s:.2f} s wall = {check_s / parse_s:.2f} × parsing; "
              f"in process (check(), all cores) {inproc_s:.2f} s = {inproc_s / parse_s:.2f} ×")

        # 4. memory
        before = rss_kib()
        k = 0
        while k < args.memory_checks:
            for c, f in zip(compiled, facts):
                c.ruleset.fire(f)
                k += 1
                if k >= args.memory_checks:
                    break
        after = rss_kib()
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print(f"\n4. memory: RSS {before:,} KiB before and {after:,} KiB after {k:,} engine checks "
              f"({after - before:+,} KiB); peak RSS {peak:,} KiB")
        one_each = {c.version.key: (one, c) for one, c in zip(loaded, compiled)}
        before = rss_kib()
        cycles = 300
        for _ in range(cycles):  # reload: every ruleset freed and compiled again
            rb.close()
            for one, _c in one_each.values():
                decide(rb, one, DATE)
        after = rss_kib()
        print(f"   policy reloads: {cycles} cycles of freeing and recompiling all {len(one_each)} rulesets: "
              f"RSS {after - before:+,} KiB")
        gov.close()


if __name__ == "__main__":
    main()
