"""Responsible gaming: the player's page (page.py), the game screens' dialogs (play.py), rows."""
