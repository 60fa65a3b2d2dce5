"""Persistence: peewee models, opening and migrating the database, queries. No Qt."""
