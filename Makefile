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
# L=ja or L=en for every command, the course's too (grading feedback in the teacher's choice).
ifneq ($(L),)
export DLKATA_LANG := $(L)
endif
JSON    ?=
# A kata not done yet is not a crash: when a learner's command ends with a non-zero status,
# make stops through SIGPIPE, which neither make nor the shell reports, instead of printing
# its own "make: *** [...] Error 1" line; scripts still see a non-zero status (141).
QUIET_FAIL = || kill -PIPE $$PPID
# Ctrl-C belongs to the command (watch and training stop cleanly on it): the recipe's shell
# waits for it instead of dying at once, which make would report as "Interrupt".
KEEP_CTRL_C = trap : INT;

.PHONY: help test hint exercises check constraints clean-venv
.DEFAULT_GOAL := help

# `make help` (and the first run's messages) in the language every other command uses: L=, else DLKATA_LANG, else the locale
# (as dlkata.i18n.lang() chooses). Both texts here, line for line (tests/meta/test_learner.py).
HELP_LANG := $(or $(filter ja en,$(L)),$(filter ja en,$(DLKATA_LANG)),$(if $(filter ja%,$(firstword $(LC_ALL) $(LC_MESSAGES) $(LANG) $(LANGUAGE))),ja,en))

help:
ifeq ($(HELP_LANG),ja)
	@echo "学習する人向け:"
	@echo "  make test ch05          exercises/ の第 5 章のカタを実行 (make test だけなら全章)"
	@echo "  make test ch05.affine   カタを 1 つだけ;  V=1 でトレースバック全体;  IMPL=solutions や IMPL=<dir> で別のツリー"
	@echo "  make test ch05 JSON=1   同じ結果を JSON で (エディタやスクリプト向け)"
	@echo "  make hint ch05.affine   次のヒント (L=ja か L=en で言語を選べます); make hint だけなら次のカタのヒント"
	@echo "  make progress           すべてのカタの状態、章ごとのバー、次のカタ"
	@echo "  make watch ch05         保存するたびに再実行 (Enter で再実行、q で終了)"
	@echo "  make reset ch05.affine  スタブに戻す。先にあなたのファイルを保存します (章ごとでも; FORCE=1 で確認なし)"
	@echo "  make solution ch05.affine  模範解答を表示。あなたのコードでカタが通ってから"
	@echo "  make figures ch06       あなたのコードで本の図を描いて PNG に (IMPL=solutions なら模範解答の図)"
	@echo "教える人向け (nbgrader; 別のコースフォルダや exchange には COURSE=<dir> EXCHANGE=<dir>):"
	@echo "  make release ch05       課題を作って配布; 学生は make fetch ch05、make submit ch05"
	@echo "  make submit-exercises ch05  (学生) exercises/ch05 をノートブックに入れて提出"
	@echo "  make collect ch05       続けて make autograde ch05、make feedback ch05、make grades"
	@echo "  make autograde ch05 DASK=tcp://host:8786  Dask クラスタのワーカーで採点 (成績簿はこちら側)"
	@echo "  make gradescope ch05    Gradescope 用の autograder zip (OUT=<file>; 既定は gradescope-ch05.zip)"
	@echo "  make zipcollect ch05 ZIP=dl.zip  LMS からダウンロードした提出を回収"
	@echo "  make roster FILE=students.csv  受講者名簿 (一度も提出しない学生も未提出として出ます)"
	@echo "  make duedate ch05 DUE=\"2026-05-01 23:59 Asia/Tokyo\"   make extension ch05 STUDENT=bob HOURS=48"
	@echo "  make remove ch05 STUDENT=bob   make replace ch05 STUDENT=bob FILE=bob.ipynb [TIME=...]"
	@echo "  make report ch05        クラスのレポート (グラフ入りの HTML と CSV) を <course>/report/ch05/ に"
	@echo "  make student-lab        (学生) 課題一覧つきの JupyterLab。検証と提出だけができます"
	@echo "開発する人向け:"
	@echo "  make check              プロジェクト自身のテストとセルフチェック"
	@echo "  make exercises          solutions/ から exercises/ を作り直す"
	@echo "  make notebooks          grader/source/ (課題) を作り直す"
else
	@echo "For learners:"
	@echo "  make test ch05          run chapter 5's katas on exercises/ (make test = every chapter)"
	@echo "  make test ch05.affine   one kata;  V=1 full tracebacks;  IMPL=solutions or IMPL=<dir> another tree"
	@echo "  make test ch05 JSON=1   the same as JSON, for editors and scripts"
	@echo "  make hint ch05.affine   the next hint (L=ja or L=en to choose the language); make hint: the next kata's"
	@echo "  make progress           every kata's state, a bar per chapter, and the next kata"
	@echo "  make watch ch05         re-run on every save (Enter re-runs, q quits)"
	@echo "  make reset ch05.affine  back to the stub, your file saved first (or a chapter; FORCE=1 no question)"
	@echo "  make solution ch05.affine  the reference, once the kata passes on your code"
	@echo "  make figures ch06       the book's figures drawn by your code, as PNGs (IMPL=solutions: the reference's)"
	@echo "For teachers (nbgrader; COURSE=<dir> EXCHANGE=<dir> for another course folder or exchange):"
	@echo "  make release ch05       generate and release; students: make fetch ch05, make submit ch05"
	@echo "  make submit-exercises ch05  (student) put exercises/ch05 into the notebook and submit it"
	@echo "  make collect ch05       then make autograde ch05, make feedback ch05, make grades"
	@echo "  make autograde ch05 DASK=tcp://host:8786  grade on a Dask cluster's workers (gradebook here)"
	@echo "  make gradescope ch05    an autograder zip for Gradescope (OUT=<file>; default gradescope-ch05.zip)"
	@echo "  make zipcollect ch05 ZIP=dl.zip  collect an LMS download"
	@echo "  make roster FILE=students.csv  the class list (so a student who never submits shows as missing)"
	@echo "  make duedate ch05 DUE=\"2026-05-01 23:59 Asia/Tokyo\"   make extension ch05 STUDENT=bob HOURS=48"
	@echo "  make remove ch05 STUDENT=bob   make replace ch05 STUDENT=bob FILE=bob.ipynb [TIME=...]"
	@echo "  make report ch05        the class report (HTML with plots, and CSV) in <course>/report/ch05/"
	@echo "  make student-lab        (student) JupyterLab with the assignment list, validate and submit only"
	@echo "For developers:"
	@echo "  make check              the project's own tests and self-checks"
	@echo "  make exercises          regenerate exercises/ from solutions/"
	@echo "  make notebooks          regenerate grader/source/ (the assignments)"
endif

# The environment is made on first use and again whenever the pins change.
$(LEARN): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else $(if $(filter ja,$(HELP_LANG)),"Python 3.11 以降が必要です (見つかったのは " + sys.version.split()[0] + ")","Python 3.11 or newer is needed (found " + sys.version.split()[0] + ")"))'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@echo "$(if $(filter ja,$(HELP_LANG)),$(VENV) を用意しています (初回だけ) ...,Setting up $(VENV) (first run only) ...)"
	@$(PY) -m pip install -q -c constraints.txt -e .
	@touch $@

$(DEV): $(LEARN)
	@$(PY) -m pip install -q -c constraints.txt -e '.[dev]'
	@touch $@

test: $(LEARN)
	@$(LANG_OPT) $(if $(SLOW),DLKATA_SLOW=1) $(PY) -m dlkata test $(ARGS) --impl=$(IMPL) $(if $(V),--verbose) \
	  $(if $(OWN),--own) $(if $(JSON),--json) $(QUIET_FAIL)

hint: $(LEARN)
	@$(LANG_OPT) $(PY) -m dlkata hint $(ARGS) --impl=$(IMPL) $(if $(OWN),--own) $(if $(LEVEL),--level=$(LEVEL)) \
	  $(if $(RESTART),--restart) $(QUIET_FAIL)

exercises: $(LEARN)
	@$(PY) -m dlkata exercises

check: $(DEV)
	@$(PY) -m dlkata exercises --check
	@$(PY) -m dlkata mistakes --check
	@$(PY) -m pytest tests/meta -q

constraints: $(DEV)
	@$(PY) -m pip freeze --exclude-editable | grep -v '^dlkata' > .constraints.new
	@{ head -n 2 constraints.txt; cat .constraints.new; } > .constraints.all; mv .constraints.all constraints.txt; rm -f .constraints.new

# ---- learner: progress, watch, reset, solution, figures (README: For learners)
FORCE ?=
OUT   ?=
.PHONY: progress watch reset solution figures

progress: $(LEARN)
	@$(LANG_OPT) $(PY) -m dlkata progress --impl=$(IMPL) $(if $(OWN),--own) $(QUIET_FAIL)

watch: $(LEARN)
	@$(KEEP_CTRL_C) $(LANG_OPT) $(PY) -m dlkata watch $(ARGS) --impl=$(IMPL) $(if $(OWN),--own) $(QUIET_FAIL)

reset: $(LEARN)
	@$(LANG_OPT) $(PY) -m dlkata reset $(ARGS) --impl=$(IMPL) $(if $(FORCE),--force) $(QUIET_FAIL)

solution: $(LEARN)
	@$(LANG_OPT) $(PY) -m dlkata solution $(ARGS) --impl=$(IMPL) $(if $(OWN),--own) $(QUIET_FAIL)

# Figures need matplotlib (the `figures` extra), installed on first use, once we know
# the chapters asked for have figures at all.
figures: $(LEARN)
	@$(KEEP_CTRL_C) { $(LANG_OPT) $(PY) -m dlkata figures $(ARGS) --check && \
	  { $(PY) -c 'import matplotlib, importlib.util as u; assert u.find_spec("matplotlib_fontja")' 2>/dev/null \
	    || $(PY) -m pip install -q -c constraints.txt -e '.[figures]'; } && \
	  $(LANG_OPT) MPLBACKEND=Agg $(PY) -m dlkata figures $(ARGS) --impl=$(IMPL) $(if $(OWN),--own) \
	    $(if $(OUT),--out=$(OUT)); } $(QUIET_FAIL)
# ---- learner (end)

# Chapter and kata words are arguments, not targets.
ch%:
	@:

# ---- classroom (begin): an nbgrader course of the katas; see README, For teachers
# Words after the target are chapters (make release ch05). COURSE=<dir> and EXCHANGE=<dir>
# point at another course folder and exchange (defaults: grader/ and grader/exchange/);
# STUDENT=<id> and WORKDIR=<dir> are a student's id and folder (defaults: your user name, assignments/<id>/).
COURSE_OPTS := $(if $(COURSE),--course=$(COURSE)) $(if $(EXCHANGE),--exchange=$(EXCHANGE)) \
               $(if $(STUDENT),--student=$(STUDENT)) $(if $(WORKDIR),--workdir=$(WORKDIR)) \
               $(if $(CACHE),--cache=$(CACHE))
COURSE_RUN  := $(PY) -m dlkata.classroom
.PHONY: notebooks kernel release fetch submit submit-exercises collect zipcollect autograde \
        feedback fetch-feedback grades validate roster duedate extension remove replace report student-lab gradescope
STUDENT_ENV := $(VENV)/.student

notebooks: $(DEV)
	@$(COURSE_RUN) notebooks $(ARGS)
# The "python3" kernel nbgrader runs: this environment's own Python.
kernel: $(DEV)
	@$(PY) -m ipykernel install --sys-prefix --name python3 >/dev/null && echo "kernel python3 -> $(PY)"
release: $(DEV)
	@$(COURSE_RUN) release $(ARGS) $(COURSE_OPTS) $(if $(FORCE),--force)
fetch: $(DEV)
	@$(COURSE_RUN) fetch $(ARGS) $(COURSE_OPTS)
submit: $(DEV)
	@$(COURSE_RUN) submit $(ARGS) $(COURSE_OPTS)
submit-exercises: $(DEV)
	@$(COURSE_RUN) submit-exercises $(ARGS) $(COURSE_OPTS) --impl=$(IMPL)
collect: $(DEV)
	@$(COURSE_RUN) collect $(ARGS) $(COURSE_OPTS)
zipcollect: $(DEV)
	@$(COURSE_RUN) zipcollect $(ARGS) $(COURSE_OPTS) --zip $(ZIP) $(if $(ZIPREGEX),--regex='$(ZIPREGEX)')
# An autograder zip for Gradescope (setup.sh, run_autograder, the chapter's tests and the sandbox).
gradescope: $(DEV)
	@$(PY) -m dlkata.classroom.gradescope build $(ARGS) $(if $(OUT),--out=$(OUT))
autograde: $(DEV)
	@$(if $(ENGINE),ENGINE=$(ENGINE)) $(COURSE_RUN) autograde $(ARGS) $(COURSE_OPTS) $(if $(DEPENDENTS),--dependents=$(DEPENDENTS)) $(if $(DASK),--dask=$(DASK))
roster: $(DEV)
	@$(COURSE_RUN) roster $(COURSE_OPTS) --file='$(FILE)'
duedate: $(DEV)
	@$(COURSE_RUN) duedate $(ARGS) $(COURSE_OPTS) --due='$(DUE)'
extension: $(DEV)
	@$(COURSE_RUN) extension $(ARGS) $(COURSE_OPTS) $(if $(HOURS),--hours=$(HOURS))
remove: $(DEV)
	@$(COURSE_RUN) remove $(ARGS) $(COURSE_OPTS)
replace: $(DEV)
	@$(COURSE_RUN) replace $(ARGS) $(COURSE_OPTS) --file='$(FILE)' $(if $(TIME),--time='$(TIME)')
report: $(DEV)
	@$(COURSE_RUN) report $(ARGS) $(COURSE_OPTS)
# A student's JupyterLab: the notebook, the assignment list, validate and submit; no
# formgrader, no Create Assignment, no course list (grader/student/ is its Jupyter config).
$(STUDENT_ENV): $(LEARN)
	@$(PY) -m pip install -q -c constraints.txt -e '.[student]'
	@touch $@
student-lab: $(STUDENT_ENV)
	@$(PY) -m dlkata.classroom student-config $(COURSE_OPTS)
	@cd "$(or $(WORKDIR),assignments/$(or $(STUDENT),$(shell id -un)))" && \
	  JUPYTER_CONFIG_DIR=$(CURDIR)/grader/student $(abspath $(VENV))/bin/jupyter lab $(if $(filter 0,$(shell id -u)),--allow-root)
feedback: $(DEV)
	@$(COURSE_RUN) feedback $(ARGS) $(COURSE_OPTS)
fetch-feedback: $(DEV)
	@$(COURSE_RUN) fetch-feedback $(ARGS) $(COURSE_OPTS)
grades: $(DEV)
	@$(COURSE_RUN) grades $(COURSE_OPTS)
validate: $(DEV)
	@$(COURSE_RUN) validate $(ARGS) $(COURSE_OPTS)
# ---- classroom (end)
