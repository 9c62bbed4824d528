"""Lotto tickets: what a player buys and what they are shown of it.

catalogue.py  the catalogue view, one-line ticket purchase (a bet on a draw round), history
purchase.py   tickets of several lines (quick pick per line) for several draws, one bet per draw
views.py      a ticket as the player sees it (its lines and draws), the player's tickets paged
outcome.py    a ticket's status and hits as readers show them (lost once its draw is settled)
proofs.py     a ticket's inclusion proof in its draw's ticket root (its receipt carries it)
"""
