"""Live updates: pushes to every open tab of a player, across tabs, devices and backend workers.

A committed notice (persistence/inbox.py) is published as `notification.created`; the worker's
hub (hub.py) hands it to its transport (in-process, or Redis pub/sub when `REFLEX_REDIS_URL` is
set), and every worker delivers it to the tabs of that player connected to it (registry.py),
which then refresh themselves (ui/state/session/live.py). Started by `lifespan.run_forever`.
"""
