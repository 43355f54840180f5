"""The entity registry keeps its surname index as entities are set, so no batch rebuilds it from the archive."""

from triangulate.language import analyse_many, analyse_stored
from triangulate.language.entities import Registry, _surname_index
from triangulate.model import Entity
from triangulate.store import open_store


def _sets(index):
    return {key: set(owners) for key, owners in index.items()}


def test_the_index_follows_every_change_as_a_fresh_build_would(seed_store):
    registry = Registry(seed_store.entities())
    people = [e for e in registry.values() if e.label == "PERSON" and len(e.name.split()) > 1]
    assert len(people) >= 5
    built = _sets(registry.surnames)
    assert built == _sets(_surname_index(dict(registry)))
    copy = registry.copy()
    putin = next(e for e in people if e.name.endswith("Putin"))
    registry[putin.id] = Entity(putin.id, "PERSON", "Vladimir Vladimirovich Putin", putin.aliases)
    registry["per:maria-zakharova"] = Entity("per:maria-zakharova", "PERSON", "Maria Zakharova")
    registry["gpe:uzhhorod"] = Entity("gpe:uzhhorod", "GPE", "Uzhhorod")
    registry[people[1].id] = Entity(people[1].id, "PERSON", people[1].name.split()[0])  # one word: no surname
    assert _sets(registry.surnames) == _sets(_surname_index(dict(registry)))
    assert "zakharova" in registry.surnames and "zakharova" not in copy.surnames
    assert _sets(copy.surnames) == built  # the copy shares nothing that changed
    registry.update({"per:ivan-petrov": Entity("per:ivan-petrov", "PERSON", "Ivan Petrov")})
    assert "surnames" not in registry.__dict__ and "petrov" in registry.surnames  # forgotten, then built again
    del registry["per:ivan-petrov"]
    assert "petrov" not in registry.surnames


def test_analyses_are_the_same_whether_the_registry_is_given_or_built(seeds, tmp_path):
    articles = [a for group in seeds.values() for a in group]
    store = open_store(str(tmp_path / "a.db"))
    for article in articles[:4]:
        store.add_article(article)
    analyse_stored(store, batch=2)
    known = store.entities()
    given = analyse_many(articles[4:], Registry(known))
    assert given == analyse_many(articles[4:], dict(known))
    assert [a.to_dict() for a in given] == [a.to_dict() for a in analyse_many(articles[4:], known)]
