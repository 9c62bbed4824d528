"""The player's inbox: which facts become notifications, and what each keeps (pure)."""
