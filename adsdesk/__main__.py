"""Run the desk with ``python -m adsdesk``."""

from adsdesk.cli import main

raise SystemExit(main())
