"""How `make test` runs a chapter: a forked pytest run (engine), the kata plugin, each kata's state, and the report."""
