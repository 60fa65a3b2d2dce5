"""Subcommands of the command line that live in their own modules (configure + run)."""
