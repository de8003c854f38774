"""Stage 1, read: turn files, folders, globs and stdin into raw records or rejections.

Every input unit (a file, a JSONL line, a CSV row, a Parquet row, a WARC record) ends as
exactly one :class:`~wiretrace.model.RawRecord` or :class:`~wiretrace.model.Rejection`.
"""

from wiretrace.read.options import ReadOptions
from wiretrace.read.sources import check_inputs, expand_inputs, scan_inputs

__all__ = ["ReadOptions", "check_inputs", "expand_inputs", "scan_inputs"]
