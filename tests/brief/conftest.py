"""The seed story's brief, shared by the brief and writer tests."""

import pytest

from triangulate.brief import brief_story
from triangulate.config import Settings


@pytest.fixture(scope="module")
def seeded(seeds, seed_store):
    story = seed_store.story_of(seeds["000"][0].id)
    return seed_store, brief_story(seed_store, story, Settings()), seeds
