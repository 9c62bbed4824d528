"""The player's inbox (notifications written with their facts, persistence/inbox.py)."""
