"""The one exception hierarchy of triangulate.

Every error names the item it is about and says what to do next. Each also
inherits the matching built-in, so callers may catch either::

    TriangulateError
    ├── InputError (ValueError)            an item that cannot be read as an article
    │   ├── EmptyInput                     nothing but whitespace or boilerplate
    │   ├── BinaryInput                    not text (PDF, image, archive …)
    │   ├── TooLarge                       over the configured size cap
    │   ├── NoArticleBody                  HTML with no extractable main text
    │   ├── MalformedInput                 broken JSONL line, feed or gzip stream
    │   └── InvalidField                   a metadata field that is not what it claims (a date, a language)
    ├── SourceNotFound (FileNotFoundError) a path that does not exist
    ├── FetchError (OSError)               a URL that could not be fetched
    │   └── BlockedAddress (PermissionError)  private, loopback or link-local target
    ├── TooSlow (TimeoutError)             one item's work ran past its deadline
    ├── SpanError (ValueError)             offsets that do not fall inside the text
    ├── StoreError (RuntimeError)          the database cannot be opened or migrated
    └── ModelMissing (ImportError)         a language model package is not installed
"""

from __future__ import annotations


class TriangulateError(Exception):
    """Base of every error raised by triangulate."""

    def __init__(self, message: str, *, item: str | None = None) -> None:
        self.item = item
        super().__init__(f"{item}: {message}" if item else message)


class InputError(TriangulateError, ValueError):
    """An item that cannot be read as an article."""


class EmptyInput(InputError):
    """The item holds no article text."""


class BinaryInput(InputError):
    """The item is binary data, not text."""


class TooLarge(InputError):
    """The item is over the size cap."""


class NoArticleBody(InputError):
    """HTML in which no main text could be found."""


class MalformedInput(InputError):
    """A broken JSONL line, feed, or compressed stream."""


class InvalidField(InputError):
    """A metadata field whose value is not what the field holds (a date out of range, a bad language code)."""


class TooSlow(TriangulateError, TimeoutError):
    """One item's work ran past its deadline; the item is skipped, the batch goes on."""


class SourceNotFound(TriangulateError, FileNotFoundError):
    """A path that does not exist."""


class FetchError(TriangulateError, OSError):
    """A URL that could not be fetched."""


class BlockedAddress(FetchError, PermissionError):
    """A URL that resolves to a private, loopback or link-local address."""


class SpanError(TriangulateError, ValueError):
    """Offsets that do not select a valid slice of the article text."""


class StoreError(TriangulateError, RuntimeError):
    """The database cannot be opened, migrated or written."""


class ModelMissing(TriangulateError, ImportError):
    """A language model package is not installed."""
