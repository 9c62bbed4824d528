"""The game screens: lotto, dice, roulette, slot, the casino state they share, fairness, results."""
