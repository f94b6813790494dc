"""Grading untrusted submissions: the student's code in a confined worker, the tests in a trusted process.

    python -m dlkata.sandbox ch02 submissions/* --out results/

See README ("Grading safely") for what is enforced where; `grade.py` for the API.
Nothing here is imported by the worker except `worker`, `jail` and `protocol`.
"""
