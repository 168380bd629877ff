"""nbgrader configuration for the course.

solutions/NN-name/NN-name.ipynb is the single source; `make chapters` releases the student
versions into chapters/NN-name/. Instructors grade from a course directory that uses this same
file (see INSTRUCTORS.md).
"""

from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
from nbgrader.preprocessors import ClearHiddenTests, GetGrades

c = get_config()  # noqa: F821 - provided by nbgrader when it loads this file

c.CourseDirectory.course_id = "graphs-and-attention"
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "chapters"
# Only notebooks are part of an assignment; nothing else from solutions/ is copied.
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", "*.db"]

# Restore locked cells and re-add deleted test cells before grading: without this a student who
# deletes a test cell silently loses no points.
c.OverwriteCells.add_missing_cells = True

# Each cell of a submission gets this long when autograded; an endless loop fails only its cell.
c.Execute.timeout = 120
c.Execute.interrupt_on_timeout = True
# Tracebacks show only the exception and its message: a traceback with code context would print
# lines of the hidden tests into the feedback. The checks' messages say what went wrong.
c.Execute.extra_arguments = ["--InteractiveShell.xmode=Minimal"]

# Feedback must not reveal hidden tests.
c.GenerateFeedback.preprocessors = [GetGrades, ClearHiddenTests, CSSHTMLHeaderPreprocessor]
