# The kata plugin: chapter import mapping (IMPL), kata markers, per-kata results.
pytest_plugins = ["dlkata.runner.plugin"]
