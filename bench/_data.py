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
        lines = []
        url = None
        for number in sorted(sentences):
            tokens = sentences[number]
            if tokens and tokens[0].startswith("http"):
                url = "".join(tokens)
                continue
            lines.append(detokenize(tokens))
        topic = path.parent.name
        kind = "ecbplus" if path.stem.endswith("ecbplus") else "ecb"
        docs.append(EcbDocument(topic, f"{topic}{kind}", path.stem, tuple(lines), url))
    return docs


def polnear_texts(folder: str | Path) -> list[tuple[str, str]]:
    """(name, text) of every PolNeAR text under ``folder`` (train/ and dev/ or one split)."""
    return [(path.stem, path.read_text(encoding="utf-8")) for path in sorted(Path(folder).rglob("text/*.txt"))]
