"""Thin views: each asks the ``insights`` package for data and hands it to a template."""
