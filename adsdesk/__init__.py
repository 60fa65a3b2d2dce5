"""adsdesk: the 便民信息 classified-ads desk."""

__version__ = "0.1.0"
