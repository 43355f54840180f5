"""The public surface is small and pinned: a change to it is a deliberate act."""

import triangulate


def test_exported_names_are_pinned():
    assert sorted(triangulate.__all__) == [
        "Analysis", "Article", "BinaryInput", "BlockedAddress", "Brief", "Claim", "Corroboration", "Dateline",
        "Document", "EmptyInput", "Entity", "FetchError", "InputError", "InvalidField", "MalformedInput", "Mention",
        "ModelMissing", "NoArticleBody", "Quantity", "Quote", "Sentence", "Settings", "SourceNotFound", "Span",
        "SpanError", "Speaker", "Store", "StoreError", "Story", "StoryIndex", "TimeExpr", "TooLarge", "TooSlow",
        "TriangulateError", "Workspace", "analyse", "analyse_many", "analyse_stored", "brief_story", "build_brief",
        "cluster_stored", "content_id", "corroborate", "embedder", "load_settings", "open_store", "read_html",
        "read_sources", "read_text", "recluster",
    ]  # fmt: skip
    assert all(hasattr(triangulate, name) for name in triangulate.__all__)


def test_errors_also_inherit_the_matching_builtin():
    assert issubclass(triangulate.InputError, ValueError)
    assert issubclass(triangulate.SourceNotFound, FileNotFoundError)
    assert issubclass(triangulate.BlockedAddress, PermissionError)
    assert issubclass(triangulate.FetchError, OSError)
    assert issubclass(triangulate.InvalidField, ValueError) and issubclass(triangulate.TooSlow, TimeoutError)
