"""Precision, recall and F1 of an extraction against a gold file (the contract's JSON Lines).

Matching follows the extraction contract (``GUIDELINE.md``): an entity matches a gold entity
of the same type when any of their surface forms are equal after normalisation; a relation
matches when its name is equal and both ends match (either order for ``cooperatesWith``); a
fact matches on subject, metric, year and a value within 1%. Matching is one-to-one (a
maximum bipartite matching), so two predicted nodes for one gold entity cost precision.

Examples
--------
>>> gold = {"d": {"doc": "d", "entities": [{"name": "合肥市", "type": "City", "aliases": ["合肥"]}]}}
>>> pred = {"d": {"doc": "d", "entities": [{"name": "合肥", "type": "City", "aliases": []}]}}
>>> score(gold, pred).entities.f1
1.0
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .errors import GoldFileError
from .ingest import normalise_name

SYMMETRIC = frozenset({"cooperatesWith"})


@dataclass
class Tally:
    """True positives, predictions and gold items of one category."""

    tp: int = 0
    pred: int = 0
    gold: int = 0

    def add(self, tp: int, pred: int, gold: int) -> None:
        self.tp += tp
        self.pred += pred
        self.gold += gold

    @property
    def precision(self) -> float:
        return self.tp / self.pred if self.pred else 0.0

    @property
    def recall(self) -> float:
        return self.tp / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Scores:
    """Micro-averaged scores over all documents."""

    entities: Tally = field(default_factory=Tally)
    relations: Tally = field(default_factory=Tally)
    facts: Tally = field(default_factory=Tally)
    entities_by_type: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    relations_by_name: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    documents: int = 0
    missing: list[str] = field(default_factory=list)

    def rows(self) -> list[tuple[str, Tally]]:
        """Rows for a table: overall, then by type / by relation, then facts."""
        out: list[tuple[str, Tally]] = [("ENTITIES", self.entities)]
        out += [("  " + k, v) for k, v in sorted(self.entities_by_type.items())]
        out.append(("RELATIONS", self.relations))
        out += [("  " + k, v) for k, v in sorted(self.relations_by_name.items())]
        out.append(("FACTS", self.facts))
        return out

    def to_dict(self) -> dict:
        def d(t: Tally) -> dict:
            return {
                "precision": round(t.precision, 4),
                "recall": round(t.recall, 4),
                "f1": round(t.f1, 4),
                "tp": t.tp,
                "pred": t.pred,
                "gold": t.gold,
            }

        return {
            "documents": self.documents,
            "missing_predictions": self.missing,
            "entities": d(self.entities),
            "relations": d(self.relations),
            "facts": d(self.facts),
            "entities_by_type": {k: d(v) for k, v in sorted(self.entities_by_type.items())},
            "relations_by_name": {k: d(v) for k, v in sorted(self.relations_by_name.items())},
        }


def load_jsonl(path: str | Path) -> dict[str, dict]:
    """Read a gold or prediction file: one article a line, keyed by ``doc``."""
    docs: dict[str, dict] = {}
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise GoldFileError(f"{path}: cannot be read ({exc})") from exc
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:
            raise GoldFileError(f"{path}:{n}: not JSON ({exc.msg})") from exc
        if not isinstance(rec, dict) or "doc" not in rec:
            raise GoldFileError(f"{path}:{n}: a line must be an object with a 'doc' key")
        docs[rec["doc"]] = rec
    return docs


def _forms(entity: dict) -> set[str]:
    out = {normalise_name(entity.get("name", "")).lower()}
    out.update(normalise_name(a).lower() for a in entity.get("aliases", []) or [])
    out.discard("")
    return out


def _max_matching(n_left: int, n_right: int, edges: dict[int, list[int]]) -> int:
    """Size of a maximum bipartite matching (augmenting paths)."""
    match_right = [-1] * n_right

    def augment(u: int, seen: list[bool]) -> bool:
        for v in edges.get(u, ()):
            if not seen[v]:
                seen[v] = True
                if match_right[v] == -1 or augment(match_right[v], seen):
                    match_right[v] = u
                    return True
        return False

    return sum(augment(u, [False] * n_right) for u in range(n_left))


def _table(entities: Iterable[dict]) -> dict[str, set[str]]:
    table: dict[str, set[str]] = {}
    for e in entities:
        table.setdefault(normalise_name(e.get("name", "")).lower(), set()).update(_forms(e))
    return table


def _ends(name: str, table: dict[str, set[str]]) -> set[str]:
    key = normalise_name(name).lower()
    return table.get(key, {key})


def _score_doc(gold: dict, pred: dict, s: Scores) -> None:
    g_ents, p_ents = gold.get("entities", []), pred.get("entities", [])
    for etype in sorted({e["type"] for e in g_ents} | {e["type"] for e in p_ents}):
        ge = [_forms(e) for e in g_ents if e["type"] == etype]
        pe = [_forms(e) for e in p_ents if e["type"] == etype]
        edges = {i: [j for j, g in enumerate(ge) if p & g] for i, p in enumerate(pe)}
        tp = _max_matching(len(pe), len(ge), edges)
        s.entities_by_type[etype].add(tp, len(pe), len(ge))
        s.entities.add(tp, len(pe), len(ge))

    g_tab, p_tab = _table(g_ents), _table(p_ents)
    g_rels, p_rels = gold.get("relations", []), pred.get("relations", [])
    for rname in sorted({r["relation"] for r in g_rels} | {r["relation"] for r in p_rels}):
        gr = [
            (_ends(r["head"], g_tab), _ends(r["tail"], g_tab))
            for r in g_rels
            if r["relation"] == rname
        ]
        pr = [
            (_ends(r["head"], p_tab), _ends(r["tail"], p_tab))
            for r in p_rels
            if r["relation"] == rname
        ]
        edges = {
            i: [
                j
                for j, (gh, gt) in enumerate(gr)
                if (h & gh and t & gt) or (rname in SYMMETRIC and h & gt and t & gh)
            ]
            for i, (h, t) in enumerate(pr)
        }
        tp = _max_matching(len(pr), len(gr), edges)
        s.relations_by_name[rname].add(tp, len(pr), len(gr))
        s.relations.add(tp, len(pr), len(gr))

    g_facts, p_facts = gold.get("facts", []), pred.get("facts", [])

    def same(p: dict, g: dict) -> bool:
        if p.get("metric") != g.get("metric") or p.get("year") != g.get("year"):
            return False
        if not (_ends(p.get("subject", ""), p_tab) & _ends(g.get("subject", ""), g_tab)):
            return False
        try:
            pv, gv = float(p["value"]), float(g["value"])
        except (KeyError, TypeError, ValueError):
            return False
        return abs(pv - gv) <= 0.01 * max(abs(gv), 1e-9)

    edges = {i: [j for j, g in enumerate(g_facts) if same(p, g)] for i, p in enumerate(p_facts)}
    s.facts.add(_max_matching(len(p_facts), len(g_facts), edges), len(p_facts), len(g_facts))


def score(
    gold: dict[str, dict], pred: dict[str, dict], docs: Iterable[str] | None = None
) -> Scores:
    """Score predictions against gold, both keyed by ``doc``.

    Only the gold's documents (or ``docs``) are scored; a document without a prediction counts
    as an empty prediction and is listed in ``Scores.missing``.
    """
    s = Scores()
    names = sorted(docs) if docs is not None else sorted(gold)
    for d in names:
        s.documents += 1
        if d not in pred:
            s.missing.append(d)
        _score_doc(gold.get(d, {"doc": d}), pred.get(d, {"doc": d}), s)
    return s


def format_scores(s: Scores) -> str:
    """A fixed-width table of the scores."""
    lines = [f"{'':22}{'P':>7}{'R':>7}{'F1':>7}{'tp':>6}{'pred':>6}{'gold':>6}"]
    for label, t in s.rows():
        lines.append(
            f"{label:22}{t.precision:7.3f}{t.recall:7.3f}{t.f1:7.3f}{t.tp:6d}{t.pred:6d}{t.gold:6d}"
        )
    if s.missing:
        lines.append("no prediction for: " + ", ".join(s.missing))
    return "\n".join(lines)
