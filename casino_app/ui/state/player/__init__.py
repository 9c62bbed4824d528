"""The player's own pages: lobby, account, emailed links, wallet, history, inbox, privacy."""
