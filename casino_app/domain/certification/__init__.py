"""RNG certification: NIST SP 800-22 tests on raw bit streams and their second-level analysis.

Pure standard library (math only): `special` (erfc, the regularized upper incomplete gamma
function), `bits` (a bit sequence), `frequency` (monobit, block frequency, cumulative sums),
`runs` (runs, longest run of ones), `patterns` (serial, approximate entropy), `battery` (many
sequences: pass proportions and uniformity of p-values), `health` (the pre-draw self-test and
the OS RNG health check). Never imported by outcome code.
"""
