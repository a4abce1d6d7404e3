"""Widgets and control helpers that more than one tab uses; a lesson's own widgets live in its package."""
