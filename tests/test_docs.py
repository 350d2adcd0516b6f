"""The user guide (README.md) and the generated ontology page stay true to the code."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")

QUICK_START = """## Quick start

On a machine with Python ≥ 3.10 and pip, from a clone of this repository:

```bash
bash scripts/quickstart.sh   # venv, install, build the graph from seeds/ into graphs/
bash scripts/test.sh         # venv, install test dependencies, run the whole test suite
```

Then activate the environment (`source .venv/bin/activate`) and run `aigraph --help`.
"""


def _section(text: str, heading: str) -> str:
    start = text.index(heading)
    following = text.find("\n## ", start + len(heading))
    return text[start : following + 1 if following != -1 else len(text)]


def test_quick_start_is_the_two_commands_unchanged():
    assert _section(README, "## Quick start") == QUICK_START + "\n"


def _commands() -> list[str]:
    import typer

    from aigraph.cli import app

    group = typer.main.get_command(app)
    return sorted(group.commands)


def test_the_tour_shows_every_command_with_an_example():
    tour = _section(README, "## A tour of the commands")
    for name in _commands():
        assert f"### `aigraph {name}`" in tour, f"README tour misses `aigraph {name}`"
        assert f"$ aigraph {name}" in tour, f"README shows no run of `aigraph {name}`"


@pytest.mark.parametrize(
    "heading",
    [
        "## Bring your own articles",
        "## Annotate a sample and evaluate",
        "## Serve SPARQL and connect a client",
        "## Open the explorer",
        "## Cite evidence",
    ],
)
def test_guide_sections_exist(heading):
    assert len(_section(README, heading)) > 400, heading


def test_linked_files_exist():
    for target in re.findall(r"\]\(((?:docs|notebooks)/[^)#]+)\)", README):
        assert (ROOT / target).exists(), target


def test_the_evidence_query_in_the_guide_is_accepted():
    from aigraph.queries import check_query

    block = _section(README, "## Cite evidence").split("```sparql\n", 1)[1].split("```", 1)[0]
    check_query(block)


def test_ontology_page_is_up_to_date():
    sys.path.insert(0, str(ROOT / "docs"))
    import make_ontology_page

    page = make_ontology_page.render_page()
    committed = (ROOT / "docs" / "ontology.md").read_text(encoding="utf-8")
    assert committed == page, "run .venv/bin/python docs/make_ontology_page.py"


def test_ontology_page_covers_every_term():
    from rdflib import OWL, RDF, Graph, URIRef

    onto = Graph().parse(ROOT / "ontology" / "aigraph.ttl", format="turtle")
    page = (ROOT / "docs" / "ontology.md").read_text(encoding="utf-8")
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
    for kind in kinds:
        for term in onto.subjects(RDF.type, kind):
            if isinstance(term, URIRef):
                local = str(term).split("#")[-1]
                assert f"| `aig:{local}` |" in page, local
