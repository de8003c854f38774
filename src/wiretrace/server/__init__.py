"""The web UI and REST API (``wiretrace serve``); needs the ``web`` extra.

Importing this package does not import the web framework: :mod:`.templating` (shared with
the static HTML report) needs only Jinja2; :mod:`.app` builds the FastAPI application.
"""
