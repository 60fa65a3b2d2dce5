"""The desk's rules as plain functions: phones, wording, checks. No Qt, no database."""
