"""The names the JSON Feed reader and writer share."""

from __future__ import annotations

__all__ = ["EXTENSION_KEY", "VERSION"]

VERSION = "https://jsonfeed.org/version/1.1"
"""The JSON Feed version this format writes."""
EXTENSION_KEY = "_digestkit"
"""The name of digestkit's extension object, in the feed's top-level object."""
