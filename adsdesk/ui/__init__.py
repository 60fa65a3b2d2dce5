"""Widgets, item models and dialogs of the desk."""
