"""Lotto draws: the write-once record, the cycle that drives it, and what the public reads.

cycle.py         the draw cycle: schedule, close sales, draw, settle (run by the scheduler)
queries.py       the draw now selling, upcoming draws, results
record.py        a draw's write-once record: sealed seed, ticket root at close, the draw itself
cancellation.py  a cancelled draw: every stake refunded by reversal, audited
ops.py           the operator's draw pages
results.py       public results: the archive, a draw's page, the ticket checker
"""
