"""Bytes to text: size caps, gzip, binary sniffing, encoding detection, mojibake repair."""

from __future__ import annotations

import re
import unicodedata
import zlib

import charset_normalizer
import ftfy

from ..errors import BinaryInput, EmptyInput, MalformedInput, TooLarge

_MAGIC = {
    b"%PDF": "a PDF document",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"PK\x03\x04": "a ZIP archive (or an Office document)",
    b"\x7fELF": "an executable",
    b"MZ": "a Windows executable",
    b"\xd0\xcf\x11\xe0": "an old Office document",
    b"7z\xbc\xaf": "a 7-Zip archive",
    b"BZh": "a bzip2 archive",
    b"\xfd7zXZ": "an xz archive",
    b"RIFF": "a RIFF media file",
    b"SQLite format 3": "an SQLite database",
}
_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_:.-]+)""", re.I)
_CONTROL = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f]")


def megabytes(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB"


def check_size(size: int, limit: int, item: str, at_least: bool = False) -> None:
    """Refuse an item over the cap; ``at_least`` when reading stopped at the cap, so ``size`` is a lower bound."""
    if size > limit:
        amount = f"more than {megabytes(limit)}" if at_least else megabytes(size)
        raise TooLarge(
            f"{amount} is over the {megabytes(limit)} limit for one document; "
            "split it, or raise max_document_bytes (TRIANGULATE_MAX_DOCUMENT_BYTES)",
            item=item,
        )


def gunzip(data: bytes, limit: int, item: str) -> bytes:
    """Decompress a gzip stream, refusing truncated streams and bombs over ``limit``."""
    inflater = zlib.decompressobj(wbits=31)
    try:
        out = inflater.decompress(data, limit + 1)
    except zlib.error as exc:
        raise MalformedInput(f"broken gzip data ({exc}); re-download the file", item=item) from None
    if len(out) > limit:
        raise TooLarge(
            f"it decompresses to more than the {megabytes(limit)} limit for one document (a compression bomb?); "
            "give the document uncompressed, or raise max_document_bytes if it is real",
            item=item,
        )
    if not inflater.eof:
        raise MalformedInput(
            "the gzip stream is truncated (it ends before its last block); re-download the file",
            item=item,
        )
    return out


def sniff_binary(data: bytes, item: str) -> None:
    """Raise ``BinaryInput`` for data that is not text."""
    for magic, kind in _MAGIC.items():
        if data.startswith(magic):
            raise BinaryInput(f"this is {kind}, not text; convert it to text or HTML first", item=item)
    if any(data.startswith(bom) for bom, _ in _BOMS):
        return
    head = data[:8192]
    if b"\x00" in head or len(_CONTROL.findall(head)) > len(head) * 0.05:
        raise BinaryInput(
            "this looks like binary data, not text; give a text, HTML, JSONL or feed file",
            item=item,
        )


def _declared(data: bytes) -> str | None:
    match = _META_CHARSET.search(data[:4096])
    return match.group(1).decode("ascii").lower() if match else None


def decode_bytes(data: bytes, item: str, limit: int) -> str:
    """Turn raw bytes into clean Unicode text, or raise an ``InputError`` naming ``item``.

    Order: size cap, gzip, binary sniff, byte-order mark, strict UTF-8, the
    charset an HTML page declares, then statistical detection (single-byte
    Latin guesses read as cp1252, as browsers do). Mojibake from an earlier
    wrong decoding ("â€™") is repaired with ftfy.

    Example:
        >>> decode_bytes("café".encode("cp1252"), "x.txt", 1000)
        'café'
    """
    if data[:2] == b"\x1f\x8b":
        data = gunzip(data, limit, item)
    check_size(len(data), limit, item)
    if not data.strip():
        raise EmptyInput("the file is empty; nothing to ingest", item=item)
    sniff_binary(data, item)
    text = None
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            text = data.decode(encoding, errors="replace")
            break
    if text is None:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = _mostly_utf8(data) or _decode_legacy(data)
    text = ftfy.fix_encoding(text)
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    if not text.strip():
        raise EmptyInput("the file holds only white space; nothing to ingest", item=item)
    return text


def _mostly_utf8(data: bytes) -> str | None:
    """UTF-8 with its few bad bytes replaced (U+FFFD), when valid multi-byte sequences outnumber them.

    Nine stray bytes in a UTF-8 article must not send the whole file to a
    legacy code page (every curly quote turned to mojibake); a text in a legacy
    code page has few or no valid multi-byte sequences.

    Example:
        >>> _mostly_utf8("“Yes,” he said — café.".encode() + b"\\xff").endswith("café.\\ufffd")
        True
        >>> _mostly_utf8("café".encode("cp1252")) is None
        True
    """
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data.count("\ufffd".encode())
    good = sum(1 for ch in text if ord(ch) > 127 and ch != "\ufffd")
    return text if good > bad else None


def _decode_legacy(data: bytes) -> str:
    candidates = []
    declared = _declared(data)
    if declared:
        candidates.append(declared)
    matches = charset_normalizer.from_bytes(data[:200_000])
    plausible = {m.encoding.lower().replace("_", "-") for m in matches}
    best = matches.best()
    if "cp1252" in plausible:  # short texts fit several code pages; Western pages are mostly cp1252
        candidates.append("cp1252")
    if best is not None:
        guess = best.encoding.lower().replace("_", "-")
        if not guess.startswith(("utf-16", "utf-32")):  # without a BOM, these would be full of NULs
            candidates.append("cp1252" if guess in {"latin-1", "iso-8859-1", "ascii"} else guess)
    candidates.append("cp1252")
    for encoding in candidates:
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    return data.decode("latin-1")
