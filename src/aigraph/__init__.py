"""aigraph: an evidence-backed knowledge graph of China's AI industry, from articles.

The library is what the command line and the notebooks both call::

    import aigraph
    articles = list(aigraph.read_articles(["seeds/"]))
"""

from __future__ import annotations

__version__ = "0.1.0"
