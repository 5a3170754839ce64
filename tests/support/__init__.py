"""Helpers the tests share; none of them imports Playwright."""
