"""wiretrace: where a news story came from, who reused it, and what they changed.

The pipeline runs read → extract → segment → fingerprint → candidates → align →
classify → cluster; each stage is a pure function over the records in :mod:`wiretrace.model`.
The embedded engine (:mod:`wiretrace.engines.local`) runs them against a SQLite store.
"""

__version__ = "0.1.0"
