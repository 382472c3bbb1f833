"""A progress bar on the terminal for builds that take more than a second."""
# Quiet when standard error is not a terminal (pipes, CI logs) or when CI is set, so logs hold
# only diagnostics and the summary line.
from __future__ import annotations

import os
import shutil
import sys
import time
from typing import TextIO


class Progress:
    """Call with (done, total) as models finish; `close()` clears the bar."""

    DELAY = 1.0  # seconds before the bar appears: a quick build shows none
    STEP = 0.1  # seconds between redraws

    def __init__(self, stream: TextIO = sys.stderr, enabled: bool | None = None):
        self.stream = stream
        if enabled is None:
            enabled = stream.isatty() and not os.environ.get("CI") and os.environ.get("TERM") != "dumb"
        self.enabled = enabled
        self.start = time.monotonic()
        self.drawn = 0.0
        self.visible = False

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if not self.enabled or now - self.start < self.DELAY or (now - self.drawn < self.STEP and done < total):
            return
        self.drawn = now
        width = max(10, min(40, shutil.get_terminal_size().columns - 40))
        filled = width * done // max(total, 1)
        rate = done / (now - self.start)
        self.stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} models, {rate:.0f}/s ")
        self.stream.flush()
        self.visible = True

    def close(self) -> None:
        if self.visible:
            self.stream.write("\r\033[K")
            self.stream.flush()
            self.visible = False
