"""A worker's traceback becomes the one line a person reads."""

from gui.errors import one_line

TRACEBACK = """Traceback (most recent call last):
  File "worker.py", line 80, in run
    result = self._job()
engine.mnist.idx.MnistDataError: train-images-idx3-ubyte.gz: the file ends early
"""


def test_the_last_line_without_the_exception_name():
    assert one_line(TRACEBACK) == "train-images-idx3-ubyte.gz: the file ends early"


def test_the_name_kept_when_asked_for_a_bug_report():
    assert one_line(TRACEBACK, keep_kind=True) == ("engine.mnist.idx.MnistDataError: "
                                                   "train-images-idx3-ubyte.gz: the file ends early")


def test_a_line_that_is_no_exception_stays_whole_and_empty_text_is_named():
    assert one_line("could not download: 404 Not Found\n\n") == "could not download: 404 Not Found"
    assert one_line("  \n") == "unknown error"
