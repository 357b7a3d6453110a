"""Program administration: people, pairings, frameworks and program-level figures."""
