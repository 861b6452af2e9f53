"""propwatch's web app: the analyze page, the corpus dashboard and the JSON API (``propwatch serve``).

Needs the ``web`` extra: ``pip install 'propwatch[web]'``.
"""

from propwatch.web.app import create_app

__all__ = ["create_app"]
