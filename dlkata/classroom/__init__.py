"""The nbgrader course: the make targets (commands), the course model, notebook generation, plugins, autograde with the sandbox."""
