"""SHACL validation of a built graph against ``ontology/shapes.ttl``.

The shapes and the ontology ship inside the package (``aigraph/ontology/*.ttl``, copies of the
checkout's ``ontology/`` folder; a test keeps them identical).

Examples
--------
>>> from rdflib import Graph
>>> validate_graph(Graph()).conforms
True
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import pyshacl
from rdflib import RDFS, Graph, Literal, Namespace, URIRef
from rdflib.namespace import SKOS

from .publish import compact

SH = Namespace("http://www.w3.org/ns/shacl#")


def ontology_text(name: str = "aigraph.ttl") -> str:
    """The text of a packaged ontology file (``aigraph.ttl`` or ``shapes.ttl``).

    >>> "owl:Ontology" in ontology_text()
    True
    """
    return (resources.files("aigraph") / "ontology" / name).read_text(encoding="utf-8")


def shapes_graph() -> Graph:
    """The SHACL shapes as an rdflib Graph."""
    return Graph().parse(data=ontology_text("shapes.ttl"), format="turtle")


@dataclass(frozen=True)
class Violation:
    """One SHACL result, ready to print."""

    focus: str
    label: str
    path: str
    message: str
    value: str
    severity: str

    def __str__(self) -> str:
        where = f"{self.label} <{self.focus}>" if self.label else f"<{self.focus}>"
        text = f"{self.severity}: {where}"
        if self.path:
            text += f" {self.path}"
        text += f": {self.message}"
        if self.value and self.value != _show(URIRef(self.focus)):
            text += f" (value: {self.value})"
        return text


@dataclass(frozen=True)
class ValidationReport:
    """Whether a graph conforms, and every violation, sorted."""

    conforms: bool
    violations: tuple[Violation, ...]

    def text(self) -> str:
        """One line per violation, or a line saying the graph conforms."""
        if self.conforms:
            return "The graph conforms to the SHACL shapes."
        lines = [str(v) for v in self.violations]
        lines.append(f"{len(self.violations)} violation(s) of the SHACL shapes.")
        return "\n".join(lines)


def _label(data: Graph, node: object) -> str:
    if not isinstance(node, URIRef):
        return ""
    labels = sorted(
        str(o)
        for p in (SKOS.prefLabel, RDFS.label)
        for o in data.objects(node, p)
        if isinstance(o, Literal) and o.language == "zh"
    )
    return labels[0] if labels else ""


def _show(term: object) -> str:
    if term is None:
        return ""
    if isinstance(term, URIRef):
        return compact(str(term)) or f"<{term}>"
    return str(term)


def validate_graph(data: Graph) -> ValidationReport:
    """Validate a (merged) graph against the packaged SHACL shapes.

    Parameters
    ----------
    data
        The merged graph, e.g. :meth:`aigraph.store.Store.construct_union`.

    Returns
    -------
    ValidationReport
        Violations sorted by focus node, path and message; labels are the focus node's
        ``@zh`` preferred label where it has one.
    """
    conforms, results, _ = pyshacl.validate(
        data, shacl_graph=shapes_graph(), inference="none", advanced=True, allow_warnings=False
    )
    violations = []
    for result in results.subjects(SH.resultSeverity, None):
        focus = results.value(result, SH.focusNode)
        message = results.value(result, SH.resultMessage)
        severity = results.value(result, SH.resultSeverity)
        violations.append(
            Violation(
                focus=str(focus),
                label=_label(data, focus),
                path=_show(results.value(result, SH.resultPath)),
                message=str(message) if message is not None else "constraint not satisfied",
                value=_show(results.value(result, SH.value)),
                severity=str(severity).rpartition("#")[2] or "Violation",
            )
        )
    violations.sort(key=lambda v: (v.focus, v.path, v.message, v.value))
    return ValidationReport(bool(conforms), tuple(violations))


__all__ = [
    "ValidationReport",
    "Violation",
    "ontology_text",
    "shapes_graph",
    "validate_graph",
    "validate_store",
]


def validate_store(store_dir: Path) -> ValidationReport:
    """Validate the merged graph of the store at ``store_dir`` (opened read-only).

    Raises
    ------
    aigraph.errors.StoreNotBuiltError
        When there is no store there.
    """
    from .store import open_store

    with open_store(store_dir, read_only=True) as store:
        return validate_graph(store.construct_union())
