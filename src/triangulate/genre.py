"""What a document is: a news report, an opinion piece, a press release, wire copy, or an aggregator digest.

Documents are not all sources. A digest (an aggregator's roundup or an
AI-written summary) reports nothing of its own: it is listed, and it can be
checked, but it never counts as an independent source and never supplies the
brief's headline, lead or a quote's wording. An opinion piece is labelled and
never corroborates a fact on its own. Each verdict comes from general signals
and says which ones, so a reader can see why a document was taken as it was:

- *digest*: three or more of the section headings digests print ("Key
  Takeaways", "Verified Facts", "Bottom Line", …), or one of them in a
  document with no outlet, no dateline and no date of its own (an outlet's
  "Why it matters:" and "Context:" alone make a news report, not a digest);
- *opinion*: an opinion label in the outlet ("(Opinion)") or the headline
  ("Opinion:", "Op-Ed", "Editorial", "Commentary", "Analysis:", …), or the
  writer's own "I think" outside quotation marks, again and again;
- *press release*: release furniture ("FOR IMMEDIATE RELEASE", "Media
  contact", a closing "###"), or an outlet that is an institution's own site
  (a government domain);
- *wire copy*: an outlet that is a news agency, or an article whose dateline
  credits an agency or "Agencies" (it relays the agency's copy);
- *news report*: everything else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

from .model import Article

NEWS, OPINION, RELEASE, WIRE, DIGEST = "news report", "opinion", "press release", "wire copy", "digest"
KINDS = (NEWS, OPINION, RELEASE, WIRE, DIGEST)

DIGEST_HEADINGS = (
    "key takeaways", "takeaways", "key points", "verified facts", "established facts", "what we know",
    "what we don't know", "context & impact", "context and impact", "context", "why it matters", "official statements",
    "unconfirmed", "disputed", "bottom line", "the bottom line", "tl;dr", "summary", "at a glance", "lead",
)  # fmt: skip
_HEADING = re.compile(r"^[ \t]*([A-Za-z][A-Za-z&;' ]{1,30}?)[ \t]*(?::|$)", re.M)
_OPINION_OUTLET = re.compile(r"\((?:opinion|op-?ed|editorial|commentary|analysis|column)\)", re.I)
_OPINION_TITLE = re.compile(
    r"^\s*(?:opinion|op-?ed|editorial|commentary|analysis|column|perspective|viewpoint)\b\s*[:|—–-]", re.I
)
_FIRST_PERSON = re.compile(r"\b(?:I think|I believe|I would argue|in my view|I'm convinced|we must|let me)\b", re.I)
_QUOTED = re.compile(r"[\"“][^\"”]*[\"”]")
_RELEASE = re.compile(r"\bFOR IMMEDIATE RELEASE\b|^\s*(?:media|press) contacts?:|^\s*###\s*$", re.M)
_BLOG_HOST = re.compile(  # a writer's own site on a blogging platform: views, not reporting
    r"(?:^|\.)(?:blogspot\.[a-z.]+|livejournal\.com|wordpress\.com|typepad\.com|tumblr\.com|substack\.com|"
    r"medium\.com|blogger\.com)$"
)
_INSTITUTION = re.compile(r"(?:\.gov|\.gob|\.gouv|\.mil|\.int|\.europa\.eu|\.gov\.[a-z]{2}|kremlin\.ru)$")
_AGENCY = re.compile(
    r"^(?:Reuters|AFP|Agence France[- ]Presse|AP|Associated Press|TASS|RIA Novosti|Interfax|Xinhua|Yonhap|Kyodo|ANSA"
    r"|dpa|EFE|UNI|PTI|IANS|Anadolu|Agencies|agencies)$"
)
DIGEST_AT = 3  # digest headings that make a digest whoever publishes it
FIRST_PERSON_OPINION = 3  # the writer's own "I think", "in my view" … outside quotes, this often


@dataclass(frozen=True)
class Genre:
    """What a document was taken as, and why (the signals, in words)."""

    kind: str
    reasons: tuple[str, ...] = ()

    @property
    def counts(self) -> bool:
        """Whether the document counts as a source: a digest never does."""
        return self.kind != DIGEST

    @property
    def why(self) -> str:
        return "; ".join(self.reasons) if self.reasons else "reports in its own voice"


def digest_headings(text: str) -> list[str]:
    """The digest section headings a text prints on lines of their own (or as "Lead:" openers), in order.

    Example:
        >>> digest_headings("Lead: Putin spoke.\\n\\nKey Takeaways\\n\\n• One.\\n\\nBottom Line\\n\\nIt matters.")
        ['lead', 'key takeaways', 'bottom line']
    """
    found = []
    for match in _HEADING.finditer(text):
        heading = " ".join(match.group(1).lower().split())
        if heading in DIGEST_HEADINGS and heading not in found:
            found.append(heading)
    return found


@lru_cache(maxsize=4096)  # an article is a frozen record: corroboration and every brief section ask about it
def genre(article: Article) -> Genre:
    """What ``article`` is (``NEWS``, ``OPINION``, ``RELEASE``, ``WIRE`` or ``DIGEST``) and the signals that say so.

    Example:
        >>> genre(Article.build("Key Takeaways\\n\\nPutin spoke.\\n\\nBottom Line\\n\\nIt matters.")).kind
        'digest'
    """
    headings = digest_headings(article.text)
    unplaced = not article.outlet and not article.dateline.raw and not article.published
    if len(headings) >= DIGEST_AT or (headings and unplaced):
        named = ", ".join(_quoted(h) for h in headings[:3]) + (" …" if len(headings) > 3 else "")
        reasons = [f"{len(headings)} digest headings ({named})"]
        if unplaced:
            reasons.append("no outlet, dateline or date of its own")
        return Genre(DIGEST, tuple(reasons))
    outlet = article.outlet or ""
    if _OPINION_OUTLET.search(outlet):
        return Genre(OPINION, (f"the outlet labels it: {outlet}",))
    if _OPINION_TITLE.search(article.title):
        return Genre(OPINION, (f"the headline labels it: {article.title.split()[0].strip(':|—–-')}",))
    host = (urlsplit(article.url).hostname or "") if article.url else ""
    if _BLOG_HOST.search(host):
        return Genre(OPINION, (f"a personal blog ({host})",))
    own = _FIRST_PERSON.findall(_QUOTED.sub(" ", article.text))
    if len(own) >= FIRST_PERSON_OPINION:
        return Genre(OPINION, (f"the writer's own views ({len(own)} times “{own[0]}” outside quotes)",))
    release = _RELEASE.search(article.text)
    if release:
        return Genre(RELEASE, (f"release furniture ({_quoted(release.group(0).strip())})",))
    if host and _INSTITUTION.search(host):
        return Genre(RELEASE, (f"published on an institution's own site ({host})",))
    if _AGENCY.match(outlet):
        return Genre(WIRE, (f"{outlet} is a news agency",))
    credit = article.dateline.credit or ""
    if _AGENCY.match(credit):
        return Genre(WIRE, (f"its dateline credits {credit}",))
    return Genre(NEWS)


def _quoted(text: str) -> str:
    return f"“{text}”"


__all__ = ["DIGEST", "KINDS", "NEWS", "OPINION", "RELEASE", "WIRE", "Genre", "digest_headings", "genre"]
