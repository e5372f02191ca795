"""The names the Atom reader and writer share."""

from __future__ import annotations

__all__ = ["NAMESPACE"]

NAMESPACE = "http://www.w3.org/2005/Atom"
"""The Atom namespace name."""
