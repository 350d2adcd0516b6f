"""The exception hierarchy: one class per condition, all under :class:`AigraphError`.

The command line turns any :class:`AigraphError` into a one-line message and exit code 1.
Library users catch the precise class they care about.
"""

from __future__ import annotations


class AigraphError(Exception):
    """Base class of every error aigraph raises on purpose."""


# --- reading articles -------------------------------------------------------------------


class IngestError(AigraphError):
    """An input file could not be turned into an article.

    The message always names the file and the reason, so a batch can report it in one line
    and go on with the other files.
    """

    reason = "cannot be read"

    def __init__(self, path: str, detail: str | None = None) -> None:
        self.path = str(path)
        self.detail = detail
        text = f"{self.path}: {self.reason}"
        if detail:
            text += f" ({detail})"
        super().__init__(text)


class EmptyFileError(IngestError):
    reason = "empty file"


class BinaryFileError(IngestError):
    reason = "binary file, not text"


class FileTooLargeError(IngestError):
    reason = "file is larger than the size limit"


class EncodingError(IngestError):
    reason = "cannot be decoded as UTF-8, GB18030/GBK or Big5"


class NoArticleBodyError(IngestError):
    reason = "no article body found"


class UnsupportedFileTypeError(IngestError):
    reason = "not a .txt, .md, .html or .htm file"


class NoInputError(AigraphError):
    """A path given on the command line does not exist or holds no article files."""


# --- extraction and evaluation ----------------------------------------------------------


class GoldFileError(AigraphError):
    """A gold-standard JSON Lines file is malformed."""


class GazetteerError(AigraphError):
    """A gazetteer data file is malformed (the message names the file and line)."""


# --- graph, store, queries --------------------------------------------------------------


class StoreError(AigraphError):
    """The on-disk store cannot be opened, or it is not an aigraph store."""


class StoreNotBuiltError(StoreError):
    """A command needs a built store, and there is none at the given location."""


class ArticleNotInStoreError(StoreError):
    """`aigraph remove` named an article the store does not hold."""


class RDFFormatError(AigraphError):
    """An RDF file is in a format aigraph does not accept, or cannot be parsed."""


class ShapeViolationError(AigraphError):
    """The graph does not satisfy the SHACL shapes."""


class QueryError(AigraphError):
    """A SPARQL query is malformed or failed."""


class QueryRejectedError(QueryError):
    """A query reaches outside the graph (SERVICE, LOAD, FROM <file:...>) or tries to update."""


class UnknownQueryError(QueryError):
    """No saved question has that name, and no such .rq file exists."""


class ParameterError(QueryError):
    """A query parameter is missing, unknown, or has a value of the wrong kind."""


class UnknownEntityError(AigraphError):
    """A name (Chinese, pinyin, English or alias) matches no entity of the graph."""


class AmbiguousEntityError(AigraphError):
    """A name matches several entities; the message lists them."""


class EndpointError(AigraphError):
    """A remote SPARQL endpoint refused a request or could not be reached."""


class ServerError(AigraphError):
    """The local SPARQL server could not be started."""


# --- analysis and export ----------------------------------------------------------------


class ProjectionError(AigraphError):
    """An unknown network projection was asked for, or it is empty."""


class ExportError(AigraphError):
    """An export selection or format cannot be satisfied."""


class UnknownFormatError(ExportError):
    """The output format is not one aigraph writes."""
