"""How the server names the files articles came from: never by a path of its own disk.

A document's ``source_path`` is the path ``analyze`` read it from, as it was given: often
absolute (``<the server's folders>/corpus/sub/a.txt``), which tells every visitor how the server's
disk is laid out. The server shows it relative to the input it was read under (the
folder ``<the server's folders>/corpus`` given to ``analyze`` → ``sub/a.txt``; a file given by
itself → its name). The inputs are the paths each run recorded in the store; a path under
none of them shows only its file name.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from wiretrace.store import SqliteStore

# The part of an input path from its first wildcard on (``corpus/2026-*/x.txt``).
_GLOB = re.compile(r"[*?\[]")
PATH_KEY = "source_path"


def _normal(path: str) -> str:
    """``path`` with ``/`` separators and no ``.``, ``..`` or doubled separators."""
    return posixpath.normpath(path.replace("\\", "/"))


def _root(input_path: str) -> str:
    """The folder (or file) an input names: a glob stands for the folder above it."""
    match = _GLOB.search(input_path)
    if match is None:
        return _normal(input_path)
    return _normal(posixpath.dirname(input_path[: match.start()].replace("\\", "/")) or ".")


class InputNames:
    """Names of source files relative to the inputs they were read under."""

    def __init__(self, inputs: Iterable[str]) -> None:
        roots = {_root(p) for p in inputs if p and p != "-"}
        # The deepest input that holds a file names it: the most specific relative name.
        self._roots = sorted(roots, key=len, reverse=True)

    @classmethod
    def of_store(cls, store: SqliteStore) -> InputNames:
        """The inputs every run of ``store`` recorded (``analyze``/``ingest`` paths)."""
        inputs: list[str] = []
        for run in store.runs():
            paths = run["config"].get("paths") if isinstance(run["config"], dict) else None
            if isinstance(paths, list):
                inputs.extend(p for p in paths if isinstance(p, str))
        return cls(inputs)

    def name(self, source_path: str) -> str:
        """``source_path`` relative to its input, else its file name."""
        if not source_path or source_path == "-":
            return source_path
        path = _normal(source_path)
        for root in self._roots:
            if path == root:
                break
            if root == ".":
                # The working folder was the input: a relative path is relative to it.
                if not path.startswith(("/", "../")):
                    return path
                continue
            prefix = root.rstrip("/") + "/"
            if path.startswith(prefix):
                return path[len(prefix) :]
        return posixpath.basename(path) or source_path


def hide_server_paths(record: Any, names: InputNames) -> Any:
    """``record`` with every ``source_path`` in it (at any depth) named by ``names``.

    Changes ``record`` in place (the views are built afresh for each request) and
    returns it.
    """
    if isinstance(record, dict):
        for key, value in record.items():
            if key == PATH_KEY and isinstance(value, str):
                record[key] = names.name(value)
            elif isinstance(value, dict | list):
                hide_server_paths(value, names)
    elif isinstance(record, list):
        for item in record:
            if isinstance(item, dict | list):
                hide_server_paths(item, names)
    return record
