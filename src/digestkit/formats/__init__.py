"""The built-in formats, one module each, reader and writer side by side.

They are found through the ``digestkit.formats`` entry points like any third-party format;
importing this package imports none of them.
"""
