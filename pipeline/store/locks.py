"""Who may write the database: one run at a time (`RunLock`), and a writer that, while it
holds the file, wins the GIL back quickly from the run's own threads (`prompt_gil`)."""

from __future__ import annotations

import contextlib
import fcntl
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from pipeline.store.errors import StoreBusy, classify

HOLD_SWITCH_INTERVAL = 0.0002  # seconds; see prompt_gil


class RunLock:
    """One run per database: an advisory lock on `<db>.lock`, held until the run ends
    (released by the kernel if the process dies, SIGKILL included). The file holds the
    holder's pid, for the message another run prints."""

    def __init__(self, db: Path) -> None:
        self.db = db
        self._handle: IO[str] | None = None

    @property
    def held(self) -> bool:
        return self._handle is not None

    def acquire(self) -> None:
        """Take the lock (StoreBusy if another process has it); a no-op when held."""
        if self._handle is not None:
            return
        try:
            handle = self.db.with_name(self.db.name + ".lock").open("a+", encoding="utf-8")
        except OSError as error:
            raise classify(self.db, error) from error
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.seek(0)
            holder = handle.read().strip()
            handle.close()
            raise StoreBusy(
                f"another claimdiff run{f' (pid {holder})' if holder else ''} is writing "
                f"{self.db}; try again when it has finished"
            ) from None
        with contextlib.suppress(OSError):
            handle.truncate(0)
            handle.write(str(os.getpid()))
            handle.flush()
        self._handle = handle

    def release(self) -> None:
        handle, self._handle = self._handle, None
        if handle is not None:
            with contextlib.suppress(OSError):
                fcntl.flock(handle, fcntl.LOCK_UN)
                handle.close()


@contextmanager
def prompt_gil() -> Iterator[None]:
    """A short GIL switch interval while this thread holds the file. Each statement DuckDB
    runs gives up the GIL and must win it back from the run's worker threads: at Python's
    default 5 ms a switch, 12 statements in one call took 0.3-0.6 s beside 8 busy threads
    (and readers waited as long); at 0.2 ms, 35-70 ms. It is process-wide, so it is lowered
    only while the file is held (the writer is the run's one thread that holds it)."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(HOLD_SWITCH_INTERVAL)
    try:
        yield
    finally:
        sys.setswitchinterval(before)


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
