"""Stage 1, read: turn files, folders, globs and stdin into raw records or rejections.

Every input unit (a file, a JSONL line, a CSV row, a Parquet row, a WARC record) ends as
exactly one :class:`~wiretrace.model.RawRecord` or :class:`~wiretrace.model.Rejection`.
"""

from wiretrace.read.options import ReadOptions
from wiretrace.read.sources import expand_inputs, scan_inputs

__all__ = ["ReadOptions", "expand_inputs", "scan_inputs"]
