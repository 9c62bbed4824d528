"""RNG certification: the full report (`run`) and its stored records (`records`)."""
