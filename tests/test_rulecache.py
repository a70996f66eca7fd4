"""The rulebook cache: a one-shot command skips reading and checking the files again, and
never uses anything stale or anything someone else could have written."""
from __future__ import annotations

import os
import shutil

import pytest

from conftest import DECISION_DATE, EXAMPLES, ROOT
from governance import Governance
from governance.engine import rulecache


@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("FUNDGOV_CACHE_DIR", str(folder))
    monkeypatch.delenv("FUNDGOV_CACHE", raising=False)
    return folder


def _decide(gov):
    try:
        return [gov.decide_file(p, DECISION_DATE).as_json() for p in sorted(EXAMPLES.glob("*.yaml"))]
    finally:
        gov.close()


def test_a_cached_rulebook_decides_as_a_freshly_loaded_one(cache, monkeypatch):
    first = _decide(Governance.load())
    assert len(list(cache.glob("rulebook-*.pickle"))) == 1
    calls = []
    monkeypatch.setattr("governance.load_rulebook", lambda *a, **k: calls.append(a))  # must not be needed now
    assert _decide(Governance.load()) == first and calls == []


def test_a_cached_rulebook_holds_every_version_worked_out(cache, monkeypatch):
    """The cache keeps each policy version's ruleset definition: a one-shot command only hands
    it to the engine, and decides exactly as a rulebook that worked it out itself."""
    first = _decide(Governance.load())
    from governance.engine.rulebook import Rulebook

    def refuse(self, version):
        raise AssertionError(f"worked out {version.key} again")

    monkeypatch.setattr(Rulebook, "_recipe", refuse)
    gov = Governance.load()
    assert set(gov.rulebook._recipes) == {v.key for v in gov.policies.all_versions()}
    assert _decide(gov) == first


def test_a_changed_rule_file_is_never_served_from_the_cache(cache, tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    before = Governance.load(rules)
    before.close()
    text = (rules / "evaluation.yaml").read_text(encoding="utf-8")
    (rules / "evaluation.yaml").write_text(text.replace("title: {sv: Statistisk styrka", "title: {sv: Styrka"),
                                           encoding="utf-8")
    after = Governance.load(rules)
    try:
        assert any(r.spec.title.sv == "Styrka" for r in after.rulebook.rules)
    finally:
        after.close()
    assert len(list(cache.glob("rulebook-*.pickle"))) == 2


def test_a_cache_others_may_write_to_is_not_read(cache, monkeypatch):
    Governance.load().close()
    os.chmod(cache, 0o777)
    loads = []
    import governance

    real = governance.load_rulebook
    monkeypatch.setattr("governance.load_rulebook", lambda *a, **k: loads.append(1) or real(*a, **k))
    Governance.load().close()
    assert loads == [1]


def test_a_damaged_entry_is_loaded_afresh(cache):
    Governance.load().close()
    (entry,) = cache.glob("rulebook-*.pickle")
    entry.write_bytes(b"not a pickle")
    assert len(_decide(Governance.load())) == 5


def test_the_cache_can_be_turned_off(cache, monkeypatch):
    monkeypatch.setenv("FUNDGOV_CACHE", "off")
    Governance.load().close()
    assert not cache.exists()


def test_only_the_newest_entries_are_kept(cache):
    cache.mkdir(mode=0o700)
    for i in range(rulecache.KEEP + 5):
        (cache / f"rulebook-{i:03d}.pickle").write_bytes(b"x")
    Governance.load().close()
    assert len(list(cache.glob("*.pickle"))) == rulecache.KEEP


def test_nothing_is_worked_out_for_a_cache_that_cannot_be_kept(cache, monkeypatch):
    """Working every policy version out is worth it only where the rulebook is kept."""
    from governance.engine.rulebook import Rulebook

    cache.mkdir(mode=0o700)
    os.chmod(cache, 0o777)  # others may write to it: never read, never written
    calls = []
    real = Rulebook.prepare
    monkeypatch.setattr(Rulebook, "prepare", lambda self: calls.append(1) or real(self))
    Governance.load().close()
    assert calls == [] and not list(cache.glob("rulebook-*.pickle"))
    os.chmod(cache, 0o700)
    Governance.load().close()
    assert calls == [1] and len(list(cache.glob("rulebook-*.pickle"))) == 1
