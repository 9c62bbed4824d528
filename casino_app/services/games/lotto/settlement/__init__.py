"""A drawn lotto draw settled: its money in one transaction, then its bookkeeping.

money.py           the money in one transaction: claimed, classified, figures, prize tickets paid
classification.py  prize tickets found by an SQL scan (sql.py builds it), the losers written lost
jackpot.py         the progressive jackpot on the ledger, a draw's settlement figures
recording.py       the draw marked settled; then its losing tickets written, one notice per player
"""
