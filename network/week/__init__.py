"""Min uge: the front page after sign-in (network/week/service.py computes its blocks)."""
