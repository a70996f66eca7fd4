"""Whole kronor that add up (§5.4): rounding half up, even spreads, pro-rata shares.

Every amount the register records is a whole krona. These functions never lose or make a
krona: a spread adds up to its amount, and a shared room adds up to the room.
"""
from __future__ import annotations

from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal


def exact(value: int | float | str | Decimal) -> Decimal:
    """A number as the decimal it was written as (0.75 is 0.75, not 0.75000000000000002)."""
    return value if isinstance(value, Decimal) else Decimal(str(value))


def whole_kronor(amount: int | float | Decimal) -> int:
    """Rounded to the nearest krona, half a krona up (2 250 000,50 → 2 250 001)."""
    return int(exact(amount).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def share_of(sek: int, share: float) -> int:
    """``share`` of ``sek``, in whole kronor (half up)."""
    return whole_kronor(exact(sek) * exact(share))


def cap_of(grant_sek: int, cap_share: float) -> int:
    """``cap_share`` of the grant, whole kronor down: the cap is never exceeded by rounding."""
    return int((exact(grant_sek) * exact(cap_share)).quantize(Decimal(1), rounding=ROUND_FLOOR))


def spread(amount: int, years: int) -> list[int]:
    """``amount`` over ``years`` as evenly as possible, the earlier years carrying the extra
    kronor: 500 000 over 3 years is 166 667, 166 667, 166 666."""
    if years < 1:
        raise ValueError("a spread needs at least one year")
    base, extra = divmod(amount, years)
    return [base + (1 if k < extra else 0) for k in range(years)]


def pro_rata(room: int, wants: dict[str, int]) -> dict[str, int]:
    """``room`` shared in proportion to ``wants`` (largest remainder): whole kronor that add up
    to ``room`` (or to what is wanted, where that is less); ties go to the earlier name in
    the order given. Nobody gets more than it wants."""
    total = sum(wants.values())
    if total <= room:
        return dict(wants)
    if room <= 0 or total == 0:
        return {name: 0 for name in wants}
    floors = {name: want * room // total for name, want in wants.items()}
    remainders = sorted(wants, key=lambda name: (-(wants[name] * room % total), list(wants).index(name)))
    for name in remainders[: room - sum(floors.values())]:
        floors[name] += 1
    return floors
