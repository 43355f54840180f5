"""Readers for the evaluation data in ../shared/data, shared by the bench scripts."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

_NO_SPACE_BEFORE = re.compile(r" ([,.;:!?%)\]}]|'s\b|'re\b|'ve\b|'ll\b|'d\b|'m\b|n't\b|'')")
_NO_SPACE_AFTER = re.compile(r"([(\[{$#]|``) ")
_TIME = re.compile(r"(\d) : (\d)")


@dataclass(frozen=True)
class EcbDocument:
    topic: str
    subtopic: str  # "<topic>ecb" or "<topic>ecbplus": each half reports a different event
    name: str  # "1_10ecbplus"
    sentences: tuple[str, ...]
    url: str | None
    numbers: tuple[int, ...] = ()  # each sentence's number in the XML
    path: Path | None = None

    @property
    def text(self) -> str:
        """The document as a pasted page: one sentence a line, as ECB+ keeps no paragraphs."""
        return "\n".join(self.sentences)


def detokenize(tokens: list[str]) -> str:
    """ECB+ tokens back to running text ("Calif . ," → "Calif.,")."""
    text = " ".join(tokens)
    text = _NO_SPACE_BEFORE.sub(r"\1", text)
    text = _NO_SPACE_AFTER.sub(r"\1", text)
    text = _TIME.sub(r"\1:\2", text)
    return text.replace("``", "“").replace("''", "”")


def ecb_documents(folder: str | Path) -> list[EcbDocument]:
    """All ECB+ documents under ``folder`` (topics 1–35), in a stable order."""
    docs = []
    for path in sorted(Path(folder).glob("*/*.xml"), key=lambda p: (int(p.parent.name), p.name)):
        root = ET.parse(path).getroot()
        sentences: dict[int, list[str]] = {}
        for token in root.iter("token"):
            sentences.setdefault(int(token.get("sentence")), []).append(token.text or "")
        lines, numbers = [], []
        url = None
        for number in sorted(sentences):
            tokens = sentences[number]
            if tokens and tokens[0].startswith("http"):
                url = "".join(tokens)
                continue
            lines.append(detokenize(tokens))
            numbers.append(number)
        topic = path.parent.name
        kind = "ecbplus" if path.stem.endswith("ecbplus") else "ecb"
        docs.append(EcbDocument(topic, f"{topic}{kind}", path.stem, tuple(lines), url, tuple(numbers), path))
    return docs


def ecb_event_chains(path: str | Path) -> dict[int, set[str]]:
    """Sentence number → the cross-document event chains (``CROSS_DOC_COREF`` notes of action mentions) it mentions."""
    root = ET.parse(path).getroot()
    sentence_of = {t.get("t_id"): int(t.get("sentence")) for t in root.iter("token")}
    mention_sentences: dict[str, set[int]] = {}
    for markable in root.find("Markables") or []:
        if markable.tag.startswith("ACTION") or markable.tag.startswith("NEG_ACTION"):
            anchors = [
                sentence_of[a.get("t_id")] for a in markable.iter("token_anchor") if a.get("t_id") in sentence_of
            ]
            mention_sentences[markable.get("m_id")] = set(anchors)
    chains: dict[int, set[str]] = {}
    for relation in root.iter("CROSS_DOC_COREF"):
        note = relation.get("note") or ""
        if not note.startswith("ACT"):
            continue
        for source in relation.iter("source"):
            for number in mention_sentences.get(source.get("m_id"), ()):
                chains.setdefault(number, set()).add(note)
    return chains


def ecb_annotated_sentences(folder: str | Path) -> set[tuple[str, int]]:
    """(document name, sentence number) of the sentences ECB+ annotated (``ECBplus_coreference_sentences.csv``)."""
    import csv

    with open(Path(folder) / "ECBplus_coreference_sentences.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return {(f"{r['Topic']}_{r['File']}", int(r["Sentence Number"])) for r in rows}


def analysed(articles: list, store) -> dict:
    """Article id → its language analysis, made once and kept in ``store`` (a --cache file keeps it between runs)."""
    from triangulate.language import VERSION, analyse_many

    found = {}
    for article in articles:
        store.add_article(article)
        stored = store.analysis(article.id)
        found[article.id] = stored if stored is not None and stored.version == VERSION else None
    todo = [a for a in articles if found[a.id] is None]
    for analysis in analyse_many(todo, store=store) if todo else []:
        store.save_analysis(analysis)
        found[analysis.article_id] = analysis
    return found


def polnear_texts(folder: str | Path) -> list[tuple[str, str]]:
    """(name, text) of every PolNeAR text under ``folder`` (train/ and dev/ or one split)."""
    return [(path.stem, path.read_text(encoding="utf-8")) for path in sorted(Path(folder).rglob("text/*.txt"))]


OPENING_MARKS = "\"“«„‘'"
CLOSING_MARKS = "\"”»“’'"


@dataclass(frozen=True)
class Attribution:
    """One PolNeAR attribution relation: character spans into the text."""

    content: tuple[int, int]
    source: tuple[int, int] | None
    cue: tuple[int, int] | None
    direct: bool


def _is_direct(text: str, start: int, end: int) -> bool:
    """True when the content sits inside quotation marks (it may end before the closing punctuation)."""
    before = text[max(0, start - 2) : start].strip()
    inner = text[start:end].rstrip(".,;:!? ")
    after = text[end : end + 3].lstrip(".,;:!? ")
    opens = (bool(before) and before[-1] in OPENING_MARKS) or (text[start : start + 1] in OPENING_MARKS)
    closes = (after[:1] in CLOSING_MARKS and after[:1] != "") or (inner[-1:] in CLOSING_MARKS)
    return opens and closes


def polnear_attributions(folder: str | Path) -> list[tuple[str, str, list[Attribution]]]:
    """(annotation file, text, attributions) for every ``attributions/*.ann`` under ``folder``.

    A text annotated by two annotators appears twice, once per annotator. A
    discontinuous span (``T3 Content 10 20;30 40``) is taken from its smallest
    to its largest offset (fragments are not always listed in order).
    """
    out = []
    for ann in sorted(Path(folder).rglob("attributions/*.ann")):
        stem = ann.stem.rsplit("_", 1)[0]
        text = (ann.parent.parent / "text" / f"{stem}.txt").read_text(encoding="utf-8")
        spans: dict[str, tuple[int, int]] = {}
        relations = []
        for line in ann.read_text(encoding="utf-8").splitlines():
            parts = line.split("\t")
            if len(parts) < 2:
                continue
            if parts[0].startswith("T"):
                numbers = [int(n) for n in re.findall(r"\d+", parts[1].split(" ", 1)[1])]
                spans[parts[0]] = (min(numbers), max(numbers))
            elif parts[0].startswith("E"):
                roles = dict(r.split(":", 1) for r in parts[1].split() if ":" in r)
                relations.append(roles)
        found = []
        for roles in relations:
            content = spans.get(roles.get("Content", ""))
            if not content:
                continue
            found.append(
                Attribution(
                    content,
                    spans.get(roles.get("Source", "")),
                    spans.get(roles.get("Cue", "")),
                    _is_direct(text, *content),
                )
            )
        out.append((ann.name, text, found))
    return out
