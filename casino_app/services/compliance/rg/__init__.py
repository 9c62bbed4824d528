"""Responsible gaming: limits, play sessions and reality checks, time-outs and exclusion, markers
of harm and the cases they open (rules in domain/compliance; docs/ARCHITECTURE.md).

state.py       the player's lock and RG row, profile, usage totals, limits in force, audit helpers
facts.py       the "rg" stake facts, loaded in the stake's transaction under the player's lock
checks.py      the same rules outside the bet engine: deposits, sign-in, registration, offers
sessions.py    play sessions, reality-check interval and acknowledgement, the position in play
export.py      the RG history and preferences of a player's data export
dto.py         what these take and return
limits/        setting.py: set, confirm, cancel, expire and impose limits; imposed.py: lift a
               limit the safer gambling team imposed; usage.py: what each limit allows, what
               is used and what remains, pending raises
exclusion/     periods.py: time-out, self-exclusion, time-outs and exclusions imposed by
               operators; identifiers.py: blind indexes of excluded emails and phones (they
               outlive an erasure)
harm/          activity.py: the recent activity markers read; markers.py: markers of harm per
               player and currency, they open cases; cases.py: the risk team's cases (assign,
               note, decide with a reason) and the player's appeal
views/         what the RG pages read (player, operator, history)
"""
