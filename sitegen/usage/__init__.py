"""Use this model: the code a user runs, per library, built from what load read of the repo."""
