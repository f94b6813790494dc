"""nbgrader settings of the dlkata course.

The classroom targets (`make release ch05`, `make autograde ch05`, ...) run nbgrader with
this file, and so does plain `nbgrader ...` run in this folder. A course folder made
elsewhere with COURSE=<dir> gets a copy of it. The make targets pass the course root, the
exchange (EXCHANGE=<dir>) and the course id on the command line, which wins over this file.
"""
import os

c = get_config()  # noqa: F821 - provided by nbgrader when it reads this file
HERE = os.path.dirname(os.path.abspath(__file__))

c.CourseDirectory.root = HERE
c.CourseDirectory.course_id = "dlkata"
c.Exchange.root = os.path.join(HERE, "exchange")

# The per-cell time limit, in seconds, while autograding and validating. It is nbgrader's
# own Execute class that reads it: c.ExecutePreprocessor.timeout has no effect in nbgrader.
# A kata's test cell runs all of that kata's tests, slow training checks included.
c.Execute.timeout = 60

# Students delete or retype cells. Locked cells (given code, tests) are restored from the
# gradebook anyway; deleted test cells come back with add_missing_cells, and every other
# deleted cell with RestoreMissingCells (which must run before OverwriteCells). Our
# OverwriteCells is nbgrader's, without the checksum warning every test cell with hidden
# tests gave (nbgrader#1961): a warning means a student changed a locked cell.
c.OverwriteCells.add_missing_cells = True
c.Autograde.sanitize_preprocessors = [
    "nbgrader.preprocessors.ClearOutput",
    "nbgrader.preprocessors.DeduplicateIds",
    "nbgrader.preprocessors.OverwriteKernelspec",
    "dlkata.classroom.nbgrader_plugins.RestoreMissingCells",
    "dlkata.classroom.nbgrader_plugins.QuietOverwriteCells",   # nbgrader's, minus a false alarm
    "nbgrader.preprocessors.CheckCellMetadata",
]

# nbgrader's own autograde (formgrader's Autograde button, plain `nbgrader autograde`) would
# run the students' code unconfined with the teacher's rights, and write another feedback:
# RefuseUnconfined stops it before it touches anything, with the command to run
# (`make autograde chNN`, the sandbox). `make autograde chNN ENGINE=nbgrader` still runs
# nbgrader's engine on purpose.
c.Autograde.exporter_class = "dlkata.classroom.nbgrader_plugins.RefuseUnconfined"

# Deadlines: `make duedate ch05 DUE="2026-05-01 23:59 Asia/Tokyo"` and
# `make extension ch05 STUDENT=bob HOURS=48` (README, For teachers). What a late submission
# costs: nbgrader's LateSubmissionPlugin.penalty_method is "none" (flagged late, no
# penalty; its default) or "zero" (the whole score); LatePenaltyPerDay takes
# percent_per_day of the score off for each started day late. Re-grade after changing it.
c.LateSubmissionPlugin.penalty_method = "none"
# c.AssignLatePenalties.plugin_class = "dlkata.classroom.nbgrader_plugins.LatePenaltyPerDay"
# c.LatePenaltyPerDay.percent_per_day = 10

# A kata that builds on another one (catalogue.toml, builds_on) which fails: "reference"
# grades it with the reference of what it builds on, so one bug costs its own points only;
# "zero" scores it 0 as blocked (all-or-nothing). DEPENDENTS= overrides it for one run.
c.DlkataGrading.dependent_katas = "reference"

# nbgrader scores a test cell with any stderr output as zero. The test cells capture the
# warnings of the code they test; should a warning still reach stderr in a graded cell,
# drop it rather than zero a correct answer.
c.IgnorePattern.enabled = True
c.IgnorePattern.pattern = r"\w*Warning: "

# Feedback goes to students: it must not show the hidden part of the test cells.
c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.GetGrades",
    "dlkata.classroom.nbgrader_plugins.ClearHiddenTestsInFeedback",   # nbgrader's, minus a config warning
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
]

# Collecting from an LMS download (`make zipcollect ch05 ZIP=...`): files named
# <student id>_<anything>_ch05.ipynb or <student id>_ch05.ipynb; a re-submission named the
# way Canvas names it (alice_late_1234_5678_ch05-1.ipynb) too. Set ZIPREGEX to change it.
c.FileNameCollectorPlugin.named_regexp = (
    r".*[\\/](?P<student_id>[^_\\/]+)_(?:[^\\/]*_)?(?P<file_id>ch\d\d(?:-\d+)?\.ipynb)$"
)
