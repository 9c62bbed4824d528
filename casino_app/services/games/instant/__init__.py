"""Instant casino games on the bet engine, provably fair (docs/ARCHITECTURE.md, "Instant games").

specs.py       the catalogue entries: dice, European roulette, the 5-reel slot (rules as data)
seeds.py       players' seed pairs: commitment before any bet, client seed, nonce, rotation
play.py        one round = one transaction (nonce, stake, outcome, settle); rounds with steps
dice.py, roulette.py, slot.py   each game's service: validate the choice, decide from the stream
unfinished.py  resume, settle after the completion window, void on malfunction
recall.py      the last rounds with balances and verification data
info.py        what is shown before the stake (rules, RTP, limits)
"""
