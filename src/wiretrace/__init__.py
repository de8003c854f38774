"""wiretrace: where did this news story come from, who reused it, and what did they change?

The pipeline runs read → extract → segment → fingerprint → candidates → align →
classify → cluster; each stage is a pure function over the records in :mod:`wiretrace.model`.
The embedded engine (:mod:`wiretrace.engines.local`) runs them against a SQLite store.
"""

__version__ = "0.1.0"
