"""Where the MNIST files are: found, missing, downloading, or chosen by the user.

Without the files the rest of the tab still works with the shipped pretrained model; this panel
is how a user gets the data (download with progress and cancel, or point at a folder a teacher
copied), and it announces the loaded arrays with `dataReady`.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (QFileDialog, QGroupBox, QHBoxLayout, QLineEdit, QProgressBar,
                               QPushButton, QVBoxLayout, QWidget)

from engine.mnist import (ENV_VAR, MnistData, MnistProblem, default_data_dir, download_steps, find_mnist_dir,
                          load_data, mnist_files_present, normalise_mirror, remember_data_dir)
from engine.mnist.files import missing_files
from engine.mnist.fetch import Abort, Pace
from gui.errors import one_line
from gui.style import show_as_error
from gui.widgets.readout import Readout
from gui.worker import JobRunner


class MnistDataPanel(QGroupBox):
    """Finds, downloads and loads MNIST. Signals: dataReady(MnistData), dataMissing()."""

    dataReady = Signal(object)
    dataMissing = Signal()

    def __init__(self, data_dir: str | Path | None = None, search: bool = True,
                 download_dir: str | Path | None = None, mirrors: list[str] | None = None,
                 parent: QWidget | None = None, pace: Pace | None = None):
        super().__init__("MNIST data", parent)
        self.download_dir = Path(download_dir) if download_dir is not None else default_data_dir()
        self.mirrors = mirrors
        self.pace = pace or Pace()       # when a mirror counts as silent or too slow
        self.data: MnistData | None = None
        self.directory: Path | None = None
        self.remembered_folder: str | None = None   # where MNIST was read from last time
        self.jobs = JobRunner(self)                  # a load or a download, never both
        self._downloading = False                    # which of the two the current job is
        self._chosen = False                         # the folder being loaded was picked by the user
        self._given = data_dir is not None
        self._started = False
        self._initial = Path(data_dir) if data_dir is not None else (find_mnist_dir() if search else None)

        self.status = Readout("MNIST data status", "Whether the MNIST files are here, and where", parent=self)
        self.status.setWordWrap(True)
        self.error = Readout("MNIST data error", "Why the MNIST files could not be used", parent=self)
        self.error.setWordWrap(True)
        show_as_error(self.error)
        self.error.hide()
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 1000)
        self.progress.setAccessibleName("Download progress")
        self.progress.setToolTip("Bytes downloaded of the four MNIST files")
        self.progress.hide()
        self.download_button = QPushButton("Download MNIST (11 MB)", self)
        self.download_button.setToolTip(f"Fetch the four MNIST files into {self.download_dir}\n"
                                        "(checked with SHA-256; an interrupted download leaves nothing)")
        self.download_button.setAccessibleName("Download MNIST (11 MB)")
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.setToolTip("Stop the download; partial files are removed")
        self.cancel_button.setAccessibleName("Cancel download")
        self.cancel_button.hide()
        self.choose_button = QPushButton("Choose folder…", self)
        self.choose_button.setToolTip("Use MNIST files that are already on this computer")
        self.choose_button.setAccessibleName("Choose folder")
        self.mirror_edit = QLineEdit(self)
        self.mirror_edit.setPlaceholderText("optional: your own mirror, e.g. http://school-server/mnist/")
        self.mirror_edit.setToolTip("Download from this address instead of the public mirrors\n"
                                    "(a school server holding the four files); leave empty for the internet")
        self.mirror_edit.setAccessibleName("Own download mirror")
        self.download_button.clicked.connect(self.start_download)
        self.cancel_button.clicked.connect(self.cancel_download)
        self.choose_button.clicked.connect(self.choose_folder)
        self.jobs.progress.connect(self._download_progress)
        self.jobs.finished.connect(self._job_finished)
        self.jobs.failed.connect(self._job_failed)

        download_row = QHBoxLayout()  # two rows keep the column narrow enough for projector mode
        download_row.addWidget(self.download_button, 1)
        download_row.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(self.progress)
        layout.addWidget(self.error)
        layout.addLayout(download_row)
        layout.addWidget(self.choose_button)
        layout.addWidget(self.mirror_edit)
        self._show_missing()
        if self._initial is not None:
            self.status.setText(f"MNIST files found in {self._initial}.")

    # --- public API --------------------------------------------------------------------------
    def start(self) -> None:
        """Load the folder given, remembered or found (call once the tab is wired up)."""
        self._started = True
        if self._initial is not None:
            self.set_directory(self._initial)
        else:
            self._show_missing()
            self.dataMissing.emit()

    def remember_folder(self, folder: str | None) -> None:
        """The folder MNIST was read from last time: read at start, unless a folder was given
        (--mnist-dir) or $DESCENT_LAB_MNIST_DIR names one, or it no longer holds the files."""
        self.remembered_folder = folder
        if (folder and not self._started and not self._given and not os.environ.get(ENV_VAR)
                and mnist_files_present(folder)):
            self._initial = Path(folder)
            self.status.setText(f"MNIST files found in {self._initial}.")

    def busy(self) -> bool:
        return self.jobs.busy()

    def set_directory(self, directory: str | Path, chosen: bool = False) -> None:
        """Use the MNIST files in `directory` (loaded in the background). A folder the user `chosen`
        (picked, or downloaded into) is remembered once it loads, for the command line as well."""
        directory = Path(directory).expanduser()
        if not mnist_files_present(directory):
            self._show_error(f"The folder {directory} does not hold the four MNIST files "
                             f"({missing_files(directory)}).")
            return
        self.status.setText(f"Reading MNIST from {directory}…")
        self._set_buttons(busy=True)
        self._downloading = False
        self._chosen = chosen
        self.jobs.start(lambda: load_data(directory))  # a load or a failed download winding down is cancelled

    @Slot()
    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Folder with the four MNIST files",
                                                  str(self.download_dir))
        if folder:
            self.set_directory(folder, chosen=True)

    @Slot()
    def start_download(self) -> None:
        if self.busy() and self._downloading:
            return                      # already downloading
        target, mirrors = self.download_dir, self.mirrors
        own = self.mirror_edit.text().strip()
        if own:                         # e.g. a school server: used instead of the public mirrors
            try:
                mirrors = [normalise_mirror(own)]
            except ValueError as exc:
                self._show_error(f"That mirror cannot be used: {exc}.")
                return
        self.error.hide()
        self.progress.setValue(0)
        self.progress.setFormat("Connecting…")
        self.progress.show()
        self.status.setText(f"Downloading MNIST into {target}…")
        self._set_buttons(busy=True, downloading=True)
        self._downloading = True
        abort, pace = Abort(), self.pace
        # The stop reaches a download waiting on a silent server at once: trigger() closes its connection.
        self.jobs.start(lambda: download_steps(target, mirrors, pace, abort), on_stop=abort.trigger)

    @Slot()
    def cancel_download(self) -> None:
        if self.busy():
            self.jobs.cancel()   # the download's cleanup removes its partial files
            self.progress.hide()
            self._show_missing()
            self.status.setText("Download cancelled; no partial files were kept.")

    # --- job results -------------------------------------------------------------------------
    @Slot(object)
    def _job_finished(self, result) -> None:
        if self._downloading:
            self._download_finished(result)
        else:
            self._loaded(result)

    @Slot(str)
    def _job_failed(self, text: str) -> None:
        if self._downloading:
            self.progress.hide()
            self._show_missing()
            self._show_error("The download did not work: " + one_line(text))
        else:
            self._show_missing()
            self._show_error("These MNIST files cannot be used: " + one_line(text))

    @Slot(object)
    def _download_progress(self, record) -> None:
        fraction = (record.file_index + record.bytes_done / max(record.bytes_total, 1)) / record.file_count
        self.progress.setValue(int(round(1000 * fraction)))
        self.progress.setFormat(f"{record.file}  {record.file_index + 1} of {record.file_count}"
                                f"  ({record.bytes_done / 1e6:.1f} of {record.bytes_total / 1e6:.1f} MB)")

    def _download_finished(self, result) -> None:
        if isinstance(result, MnistProblem):
            self.progress.hide()
            self._show_missing()
            self._show_error("The download did not work: " + result.message)
            return
        if not mnist_files_present(self.download_dir):
            self._show_missing()
            return
        self.progress.setValue(1000)
        self.progress.setFormat("Downloaded and checked")
        self.set_directory(self.download_dir, chosen=True)

    def _loaded(self, data) -> None:
        if isinstance(data, MnistProblem):
            self._show_missing()
            self._show_error("These MNIST files cannot be used: " + data.message)
            return
        self.data = data
        self.directory = data.directory
        if self._chosen:
            remember_data_dir(data.directory)  # `mnist train` on the command line looks there too
        self.progress.hide()
        self.error.hide()
        self.status.setText(f"MNIST found in {data.directory}: {data.train_images.shape[0]:,} training "
                            f"and {data.test_images.shape[0]:,} test images.")
        self._set_buttons(busy=False, have_data=True)
        self.status.announce()
        self.dataReady.emit(data)

    # --- looks -------------------------------------------------------------------------------
    def _show_missing(self) -> None:
        self.status.setText("MNIST is not on this computer yet. Drawing, weights and the noise demo "
                            "use the shipped pretrained model; training needs the data.")
        self._set_buttons(busy=False, have_data=self.data is not None)

    def _show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()
        self.error.announce(urgent=True)

    def _set_buttons(self, busy: bool, downloading: bool = False, have_data: bool = False) -> None:
        self.download_button.setVisible(not have_data and not downloading)
        self.mirror_edit.setVisible(not have_data)
        self.mirror_edit.setEnabled(not busy)
        self.download_button.setEnabled(not busy)
        self.cancel_button.setVisible(downloading)
        self.choose_button.setEnabled(not busy)
