"""A quick run of bench/hostile.py: real texts with every kind of hostile item, through the real CLI."""

import sys

from .conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))


def test_every_hostile_item_is_reported_and_everything_else_stored(data):
    from hostile import REFUSED, VALID, run

    result = run(data, texts=20, share=0.0)  # 20 real texts, each refused kind once, every valid kind
    assert result["hostile_refused"] == len(REFUSED) and result["hostile_valid"] == len(VALID)
    assert result["unexpected_errors"] == [] and result["unreported_hostile"] == []
    assert result["good_items_not_stored"] == [] and result["reported"] == len(REFUSED)
    assert result["exit_status"] == 1 and result["analysed"] == result["articles"] == result["clustered"]
