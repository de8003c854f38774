"""wiretrace: where a news story came from, who reused it, and what they changed.

The pipeline runs read → extract → segment → fingerprint → candidates → align →
classify → cluster; each stage is a pure function over the records in :mod:`wiretrace.model`.
The embedded engine (:mod:`wiretrace.engines.local`) runs them against a SQLite store.

The public API is what this package exports (``__all__``)::

    import wiretrace

    result = wiretrace.analyze(["articles/"], db="w.sqlite")
    verdict = wiretrace.compare(article_a, article_b)

Its names load on first use, so importing one stage module (``wiretrace.model`` in a
Spark executor) does not import every engine.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from wiretrace.api import Article, Result, Store, analyze, compare, open
    from wiretrace.config import Config, load_config
    from wiretrace.errors import ConfigError, InputError, StoreError, WiretraceError
    from wiretrace.model import (
        Direction,
        Divergence,
        DivergenceKind,
        Document,
        Fact,
        PairReport,
        PairVerdict,
        Passage,
        ReuseType,
        StoryReport,
    )
    from wiretrace.pipeline import DetectConfig

__version__ = "0.1.0"

# Public name → the module that defines it.
_EXPORTS = {
    "Article": "wiretrace.api",
    "Result": "wiretrace.api",
    "Store": "wiretrace.api",
    "analyze": "wiretrace.api",
    "compare": "wiretrace.api",
    "open": "wiretrace.api",
    "story_similarity": "wiretrace.api",
    "Config": "wiretrace.config",
    "load_config": "wiretrace.config",
    "DetectConfig": "wiretrace.pipeline",
    "ConfigError": "wiretrace.errors",
    "InputError": "wiretrace.errors",
    "StoreError": "wiretrace.errors",
    "WiretraceError": "wiretrace.errors",
    "Direction": "wiretrace.model",
    "Divergence": "wiretrace.model",
    "DivergenceKind": "wiretrace.model",
    "Document": "wiretrace.model",
    "Fact": "wiretrace.model",
    "PairReport": "wiretrace.model",
    "PairVerdict": "wiretrace.model",
    "Passage": "wiretrace.model",
    "ReuseType": "wiretrace.model",
    "StoryReport": "wiretrace.model",
}

__all__ = [
    "Article",
    "Config",
    "ConfigError",
    "DetectConfig",
    "Direction",
    "Divergence",
    "DivergenceKind",
    "Document",
    "Fact",
    "InputError",
    "PairReport",
    "PairVerdict",
    "Passage",
    "Result",
    "ReuseType",
    "Store",
    "StoreError",
    "StoryReport",
    "WiretraceError",
    "__version__",
    "analyze",
    "compare",
    "load_config",
    "open",
    "story_similarity",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'wiretrace' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])
