# 『ゼロから作るDeep Learning』 katas. `make help` lists the commands.
# Words after the command name chapters or katas: make test ch05, make hint ch05.affine

PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
# nbgrader runs `alembic` as a program: the environment's bin/ must be on PATH.
export PATH := $(abspath $(VENV))/bin:$(PATH)
export PYTHONPATH := $(CURDIR)
export PYTHONUTF8 := 1

CMD     := $(firstword $(MAKECMDGOALS))
ARGS    := $(filter-out $(CMD),$(MAKECMDGOALS))
IMPL    ?= exercises
LEARN   := $(VENV)/.learner
DEV     := $(VENV)/.dev
V       ?=
SLOW    ?=
OWN     ?=
LEVEL   ?=
RESTART ?=
LANG_OPT := $(if $(L),DLKATA_LANG=$(L))

.PHONY: help test hint exercises check constraints clean-venv
.DEFAULT_GOAL := help

help:
	@echo "For learners:"
	@echo "  make test ch05          run chapter 5's katas on exercises/ (make test = every chapter)"
	@echo "  make test ch05.affine   one kata;  V=1 full tracebacks;  IMPL=solutions or IMPL=<dir> another tree"
	@echo "  make hint ch05.affine   the next hint (L=ja or L=en to choose the language)"
	@echo "  make progress           every kata's state, a bar per chapter, and the next kata"
	@echo "  make watch ch05         re-run on every save (Enter re-runs, q quits)"
	@echo "  make reset ch05.affine  back to the stub, your file saved first (or a chapter; FORCE=1 no question)"
	@echo "  make solution ch05.affine  the reference, once the kata passes on your code"
	@echo "  make figures ch06       the book's figures drawn by your code, as PNGs (IMPL=solutions: the reference's)"
	@echo "For developers:"
	@echo "  make check              the project's own tests and self-checks"
	@echo "  make exercises          regenerate exercises/ from solutions/"

# The environment is made on first use and again whenever the pins change.
$(LEARN): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (found " + sys.version.split()[0] + ")")'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@echo "Setting up $(VENV) (first run only) ..."
	@$(PY) -m pip install -q -c constraints.txt -e .
	@touch $@

$(DEV): $(LEARN)
	@$(PY) -m pip install -q -c constraints.txt -e '.[dev]'
	@touch $@

test: $(LEARN)
	@$(LANG_OPT) $(if $(SLOW),DLKATA_SLOW=1) $(PY) -m dlkata test $(ARGS) --impl=$(IMPL) $(if $(V),--verbose) $(if $(OWN),--own)

hint: $(LEARN)
	@$(LANG_OPT) $(PY) -m dlkata hint $(ARGS) $(if $(LEVEL),--level=$(LEVEL)) $(if $(RESTART),--restart)

exercises: $(LEARN)
	@$(PY) -m dlkata exercises

check: $(DEV)
	@$(PY) -m dlkata exercises --check
	@$(PY) -m pytest tests/meta -q

constraints: $(DEV)
	@$(PY) -m pip freeze --exclude-editable | grep -v '^dlkata' > .constraints.new
	@{ head -n 2 constraints.txt; cat .constraints.new; } > constraints.txt; rm -f .constraints.new

# ---- learner: progress, watch, reset, solution, figures (docs/learners.md)
FORCE ?=
OUT   ?=
.PHONY: progress watch reset solution figures

progress: $(LEARN)
	@$(LANG_OPT) $(PY) -m dlkata progress --impl=$(IMPL) $(if $(OWN),--own)

watch: $(LEARN)
	@$(LANG_OPT) $(PY) -m dlkata watch $(ARGS) --impl=$(IMPL) $(if $(OWN),--own)

reset: $(LEARN)
	@$(LANG_OPT) $(PY) -m dlkata reset $(ARGS) --impl=$(IMPL) $(if $(FORCE),--force)

solution: $(LEARN)
	@$(LANG_OPT) $(PY) -m dlkata solution $(ARGS) --impl=$(IMPL) $(if $(OWN),--own)

# Figures need matplotlib (the `figures` extra), installed on first use.
figures: $(LEARN)
	@$(PY) -c 'import matplotlib' 2>/dev/null || $(PY) -m pip install -q -c constraints.txt -e '.[figures]'
	@$(LANG_OPT) MPLBACKEND=Agg $(PY) -m dlkata figures $(ARGS) --impl=$(IMPL) $(if $(OWN),--own) $(if $(OUT),--out=$(OUT))
# ---- learner (end)

# Chapter and kata words are arguments, not targets.
ch%:
	@:
