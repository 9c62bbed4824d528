"""Signing in and staying signed in: login, server sessions, the session cookie, API tokens."""
