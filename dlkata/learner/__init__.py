"""The learner's commands beside `make test`: hint, progress, watch, reset, solution (figures live in dlkata.figures)."""
