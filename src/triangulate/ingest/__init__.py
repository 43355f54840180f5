"""Readers: text, HTML, URL, feed, JSONL, folders and stdin → articles."""
