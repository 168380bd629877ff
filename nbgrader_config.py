"""nbgrader configuration for the course.

solutions/NN-name/NN-name.ipynb is the single source; `make chapters` releases the student
versions into chapters/NN-name/. Instructors grade from a course directory that uses this same
file (see INSTRUCTORS.md).
"""

import logging
import warnings

from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
from nbgrader.preprocessors import GetGrades

from graphcourse.grading import HideTestOutput

c = get_config()  # noqa: F821 - provided by nbgrader when it loads this file

c.CourseDirectory.course_id = "graphs-and-attention"
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "chapters"
# Only notebooks are part of an assignment; nothing else from solutions/ is copied.
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", "*.db"]

# Restore locked cells and re-add deleted test cells before grading: without this a student who
# deletes a test cell silently loses no points.
c.OverwriteCells.add_missing_cells = True

# Only registered students are graded: a misspelled folder in submitted/ is refused with
# "No student with ID ... exists in the database" instead of becoming a phantom student.
c.Autograde.create_student = False

# Each cell of a submission gets this long when autograded; an endless loop fails only its cell.
c.Execute.timeout = 120
c.Execute.interrupt_on_timeout = True
# Tracebacks show only the exception and its message: a traceback with code context would print
# lines of the hidden tests into the feedback. The checks' messages say what went wrong.
# The kernel's own log stays at errors: its TCP-transport notice on every start is expected.
c.Execute.extra_arguments = ["--InteractiveShell.xmode=Minimal", "--IPKernelApp.log_level=ERROR"]

# Feedback must not reveal hidden tests: their code is removed, and what ran in a graded test
# cell (a student's print of the hidden inputs included) is reduced to the one-line error.
c.GenerateFeedback.preprocessors = [GetGrades, HideTestOutput, CSSHTMLHeaderPreprocessor]


# Expected messages, silenced so that a real warning stands out (INSTRUCTORS.md lists them):
# - "Attribute 'checksum' for cell exN-tests has changed": the gradebook keeps each test cell
#   with its hidden tests, the student version without them, so every submission differs;
#   nbgrader then restores the cell from the source, which is what grading needs.
# - "Alternative text is missing on N image(s)": the feedback HTML of a chapter's figures.
# - SQLAlchemy's "Object of type <Submitted...> not in session": nbgrader's own gradebook code.
class _ExpectedMessages(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        return not ((message.startswith("Attribute 'checksum' for cell")
                     and "-tests has changed" in message)
                    or message.startswith("Alternative text is missing on"))


for _app in ("AutogradeApp", "GenerateFeedbackApp"):
    logging.getLogger(_app).addFilter(_ExpectedMessages())
warnings.filterwarnings("ignore", message=r"Object of type <Submitted\w+> not in session")
