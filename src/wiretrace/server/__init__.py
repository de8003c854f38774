"""The web UI and REST API (``wiretrace serve``); needs the ``web`` extra.

Importing this package does not import the web framework: :mod:`.templating` (shared with
the static HTML report) needs only Jinja2, and :mod:`.access` (``is_loopback``,
``allowed_hosts_for``, ``new_token``, which the CLI asks before binding) and :mod:`.guard`
only the standard library; :mod:`.app` builds the FastAPI application.
"""
