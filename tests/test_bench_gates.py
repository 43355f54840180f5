"""Quality gates on the evaluation data: each bench script runs and its figures stay above their floors.

They skip, saying why, when ../shared/data is absent; CI has it.
"""

import json
import subprocess
import sys

from .conftest import ROOT


def bench(script: str, data_dir) -> dict:
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / script), str(data_dir)],
        capture_output=True,
        text=True,
        timeout=1800,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])  # every bench ends with one JSON line


def test_extraction_f1_floor(data):
    figures = bench("extraction.py", data / "extraction")
    assert figures["pages"] == 181
    assert figures["f1"] >= 0.955  # issue 2; published trafilatura 2.0: 0.958


def test_ingest_reads_every_ecb_and_polnear_text(data):
    figures = bench("ingest.py", data)
    assert figures["inputs"] == 772 + 924 and figures["refused"] == 0
    assert figures["articles"] >= figures["inputs"]


def test_segmentation_floor(data):
    figures = bench("segment.py", data)
    assert figures["kept_same_event"] >= 0.90  # a sub-heading of the same story rarely splits it
    assert figures["split_other_topic"] >= 0.75
    assert figures["balanced_accuracy"] >= 0.72


def test_quote_extraction_floor(data):
    figures = bench("quotes.py", data / "polnear" / "dev")
    assert figures["gold_direct_quotes"] >= 400
    assert figures["f1_30"] >= 0.86  # Gender Gap Tracker 83.7
    assert figures["f1_80"] >= 0.83  # Gender Gap Tracker 76.1; the issue target is 0.85
    assert figures["speaker_accuracy"] >= 0.90  # Gender Gap Tracker 86.5–87.4 %


def test_language_speed_bench_runs(data):
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "language.py"), str(data), "10"],
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    assert figures["articles"] == 10 and figures["records"] > 100
    assert figures["cached_articles_per_second"] > figures["articles_per_second"] > 0


def test_story_clustering_floor(data):
    figures = bench("stories.py", data)
    ecb, allsides = figures["ecb_subtopics"], figures["allsides"]
    assert ecb["items"] == 772 and allsides["items"] >= 700
    assert ecb["b3_f1"] >= 0.89  # TF-IDF average-link baseline at its best threshold: 0.885; the target is 0.95
    assert allsides["b3_f1"] >= 0.86  # baseline 0.815; the target is 0.93
    assert allsides["order_spread"] <= 0.02  # a dated stream; the undated ECB+ documents spread 0.03–0.05
    assert ecb["articles_per_second"] > 0  # speed is a benchmark figure (README), not a timed test


def test_story_scale_bench_runs(data):
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "stories_scale.py"), str(data), "--sizes", "800,1600"],
        capture_output=True, text=True, timeout=600, check=True,
    )  # fmt: skip
    runs = json.loads(result.stdout.strip().splitlines()[-1])["runs"]
    assert [r["articles"] for r in runs] == [800, 1600]
    assert all(r["articles_per_second"] > 100 and r["peak_mb"] > 0 for r in runs)


def test_claim_alignment_floor(data):
    figures = bench("alignment.py", data / "ecbplus")
    topic = figures["topic"]
    assert topic["gold_pairs"] > 10000
    assert topic["precision"] >= 0.80  # TF-IDF cosine at its best threshold: 0.58
    assert topic["f1"] >= 0.25  # the baseline's F1 is 0.64; the target (+0.15) is not met
    assert figures["story_of_50"]["claims"] > 100 and figures["story_of_50"]["seconds"] > 0  # timed in the README


def test_brief_rouge_and_neutrality(data):
    figures = bench("brief.py", data / "allsides")
    assert figures["stories"] >= 200
    assert figures["ours"]["rouge2"] > figures["lead3"]["rouge2"]  # issue 12: above lead-3 of the centre outlet
    assert figures["ours"]["rouge2"] >= 0.13
    assert figures["ours"]["rouge1"] > figures["lead3"]["rouge1"]
    assert figures["loaded_share_ours"] < min(figures["loaded_share_outlets"].values())  # more neutral than each
    assert figures["junk_share"] == 0  # issue 12: every line reads on its own, by the rules of brief/lines.py
    assert figures["gold_stated"]["share"] >= 0.70  # multi-outlet gold propositions the brief states
    assert figures["median_words"] <= 900
    assert figures["story_of_50"]["articles"] == 50 and figures["story_of_50"]["seconds_total"] > 0


def test_proposition_alignment_floor(data):
    figures = bench("propositions.py", data / "propositions" / "allsides_dev.json")
    assert figures["gold_pairs"] == 261 and figures["missing_snippets"] == 0
    assert figures["precision"] >= 0.88  # the target is 0.90 with F1 0.85; held-out (fit script): 0.90
    assert figures["f1"] >= 0.64  # TF-IDF at its best threshold 0.708, at our precision far lower
    assert figures["f1"] > figures["baseline_tfidf_at_our_precision"]["f1"]
    assert figures["multi_outlet_single_source_share"] <= 0.42  # was 0.72; the target is 0.10
    assert figures["false_contested_max_per_story"] <= 1


def test_check_against_sources_floor(data):
    figures = bench("check.py", data / "propositions" / "allsides_dev.json")
    assert figures["statements"] == 200
    assert figures["exact"] >= 0.25  # issue 13's target is 0.85; TF-IDF's 0.52 comes from supporting nearly everything
    assert figures["perturbed_refused"] >= 0.85  # target 0.90; TF-IDF refuses 0.06
    assert figures["other_story_unsupported"] >= 0.98
    assert figures["perturbed_refused"] > figures["baseline_tfidf"]["perturbed_refused"] + 0.5
