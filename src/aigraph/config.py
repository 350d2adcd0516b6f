"""Settings: one frozen record passed down the pipeline; no module-level state."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

#: Every IRI aigraph mints lives under this base.
BASE_IRI = "https://w3id.org/aigraph/"

#: Article suffixes read when a folder is given.
ARTICLE_SUFFIXES = (".txt", ".md", ".html", ".htm")


@dataclass(frozen=True)
class Settings:
    """What a run may be tuned with.

    Examples
    --------
    >>> s = Settings()
    >>> s.max_file_bytes
    5000000
    >>> s.with_changes(max_file_bytes=10).max_file_bytes
    10
    """

    #: Files larger than this are refused with :class:`aigraph.errors.FileTooLargeError`.
    max_file_bytes: int = 5_000_000
    #: Bodies shorter than this (in characters) count as "no article body".
    min_body_chars: int = 20
    #: Where the persistent store lives.
    store_dir: Path = field(default_factory=lambda: Path(".aigraph") / "store")
    #: Where the published graph of the seeds is written.
    graphs_dir: Path = field(default_factory=lambda: Path("graphs"))
    #: Base of every minted IRI.
    base_iri: str = BASE_IRI
    #: Seed of every randomised algorithm (community detection, sampling, layout).
    seed: int = 42

    def with_changes(self, **changes: object) -> Settings:
        return replace(self, **changes)
