"""Markers of harm from recent activity, and the risk team's cases they open."""
