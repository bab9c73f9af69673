"""The web adapter: FastAPI app, pages, JSON API, accounts and security (see docs/web.md)."""

from myomap.web.app import create_app

__all__ = ["create_app"]
