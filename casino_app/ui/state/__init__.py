"""The server state of every page, grouped by capability.

session/   the tab: who is signed in, the guard before every event, permissions, language,
           time zone, press times, the live channel, the demo banner
player/    the player's own pages: lobby, account, emailed links, wallet, history, inbox, privacy
rg/        responsible gaming: the player's page, the game screens' dialogs, the rows they show
games/     the game screens: lotto, dice, roulette, slot, their shared casino state, fairness,
           public results
operator/  the back office: dashboard, draws, people, reconciliation, RG cases, RNG, withdrawals
"""
