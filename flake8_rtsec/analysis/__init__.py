"""Shared analysis: answers questions about one file; never decides what to report."""
