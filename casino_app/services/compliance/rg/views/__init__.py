"""What the responsible-gaming pages read, beyond what the command modules already answer.

dto.py      the DTOs, and the permissions that guard reading them
player.py   the player's page in one read: limits with used and remaining and pending raises
            (`rg.usage`), reality-check settings, the block in force, the time-out and
            self-exclusion choices, the helplines; the player's own RG history
history.py  a player's RG history lines: limit changes, blocks, reality checks (requested,
            effective, confirmed at, by whom)
ops.py      the back office: a player's RG record (found by id or email) with their cases
"""
