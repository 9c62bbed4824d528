"""Limits: setting and confirming them (setting.py), lifting imposed ones, what remains (usage.py)."""
