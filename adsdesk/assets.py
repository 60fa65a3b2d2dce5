"""Locate the shipped resources (fonts, sample column, style) in a wheel or a source tree."""

from __future__ import annotations

from pathlib import Path


def resources_dir() -> Path:
    """The folder holding the shipped resources.

    An installed wheel carries them inside the package (``adsdesk/resources``, mapped in by
    the build); a source checkout keeps them in the top-level ``resources/``.
    """
    here = Path(__file__).resolve().parent
    packaged = here / "resources"
    if packaged.is_dir():
        return packaged
    return here.parent / "resources"


def resource_path(*parts: str) -> Path:
    """Path of one shipped resource, e.g. ``resource_path("fonts", "x.ttf")``."""
    return resources_dir().joinpath(*parts)
