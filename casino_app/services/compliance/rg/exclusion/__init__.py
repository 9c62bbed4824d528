"""Time-outs and self-exclusion (periods.py), and the blind indexes of excluded people."""
