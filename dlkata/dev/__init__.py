"""Developer checks run by `make check`: the self-checks of every kata and the package's layering."""
