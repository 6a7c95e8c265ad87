"""Plumbing shared by the API, the worker and the launcher: settings, database, Temporal client."""
