"""Writing a streamed import's rows while the next ones are validated: COPY on a second thread (PostgreSQL).

A 200,000-row import spends about as long in Python (reading, validating, building rows) as in
PostgreSQL (the COPY, its indexes, its triggers and the foreign-key checks); written one after the
other they add up. BackgroundWriter hands each chunk of valid rows to a thread that COPYs it
(copy_writer.write_batch) while the caller goes on validating, so the two overlap on two cores.

- One connection, one transaction: the thread writes on the caller's connection (shared with
  `inc_thread_sharing()`), inside the caller's transaction, so all-or-nothing holds as before.
- Never two statements at once: while the writer is installed, any query the caller runs first
  waits until every queued row is written and no COPY is open (an execute wrapper calls pause()).
  Queries therefore run in the order the code issues them, as without the thread.
- Chunks queued one after another go into one COPY of at most `statement_rows` rows; a COPY ends
  early when nothing more is queued, so its statement triggers run while the caller works.
- Bounded memory: at most `queued` chunks wait (write() blocks meanwhile).
- Errors: an error in the thread (the database's, or any other) is raised again, the same
  exception object, by the caller's next write(), pause() or by leaving the block. When the caller
  leaves the block by an exception, an open COPY is abandoned (the transaction is rolled back by
  the caller anyway) and the thread is waited for before the exception goes on.

SQLite gains nothing from a thread (the database works inside this process, under the same GIL)
and its Django connection cannot be shared: `attendance_writer()` returns the plain synchronous
writer there.
"""

import sys
import threading
from queue import Queue

from django.db import connections

from trainings.importing import copy_writer

_STOP = object()
_FLUSH = object()  # pause(): end the open COPY now
# While the writer runs, Python hands the GIL over every millisecond instead of every 5: the writer
# thread wakes often (each time the socket takes more of the COPY) and, the database being the
# slower of the two, should not wait up to 5 ms behind the validating thread each time (a 200,000-row
# import: about 6 % faster, medians of four interleaved runs each).
SWITCH_INTERVAL = 0.001


class _Abandoned(Exception):
    """Raised inside an open COPY when the caller left the block by an exception (the COPY is cancelled)."""


class SyncWriter:
    """The writer without a thread: write() writes at once (copy_writer.write_attendances)."""

    def __init__(self, using, *, statement_rows, batch_size):
        self.using, self.statement_rows, self.batch_size = using, statement_rows, batch_size

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        return False

    def write(self, rows):
        copy_writer.write_attendances(
            rows, using=self.using, batch_size=self.batch_size, copy_batch_size=self.statement_rows
        )

    def pause(self):
        """Nothing is ever pending."""


class BackgroundWriter:
    """Write chunks of unsaved Attendance rows by COPY on a second thread; see the module docstring."""

    def __init__(self, using, *, statement_rows, queued=2):
        self.connection = connections[using]
        self.statement_rows = statement_rows
        self.queue = Queue(maxsize=queued)
        self.error = None
        self.abandon = False
        self._thread = None
        self._wrapper = None
        self._rows, self._offset, self._finished, self._stopped = None, 0, 0, False

    def __enter__(self):
        self.connection.ensure_connection()
        # The foreign keys are checked at the end of each COPY, in the thread, instead of all at
        # the commit after it (3.7 s for 200,000 rows); set back below, as Django's
        # check_constraints() does. A rolled-back savepoint undoes the setting by itself.
        with self.connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        self.connection.inc_thread_sharing()
        self._switch_interval = sys.getswitchinterval()
        sys.setswitchinterval(min(SWITCH_INTERVAL, self._switch_interval))
        self._wrapper = self.connection.execute_wrapper(self._before_query)
        self._wrapper.__enter__()
        self._thread = threading.Thread(target=self._run, name="attendance-copy", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, exc_type, exc, traceback):
        if exc_type is not None:
            self.abandon = True
        self.queue.put(_STOP)
        self._thread.join()
        sys.setswitchinterval(self._switch_interval)
        self._wrapper.__exit__(None, None, None)
        self.connection.dec_thread_sharing()
        if exc_type is None:
            self._raise_error()
            with self.connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        return False

    def write(self, rows):
        """Queue a list of unsaved Attendance rows (copied: the caller may clear its list); raise the writer's error."""
        self._raise_error()
        if rows:
            self.queue.put(list(rows))

    def pause(self):
        """Return once every queued row is written and no COPY is open; raise the writer's error."""
        if threading.current_thread() is not self._thread:
            self.queue.put(_FLUSH)
            self.queue.join()
            self._raise_error()

    def _raise_error(self):
        if self.error is not None:
            raise self.error

    def _before_query(self, execute, sql, params, many, context):
        # The caller's queries wait for the writer; the writer's own COPY goes straight on.
        if threading.current_thread() is not self._thread:
            self.pause()
        return execute(sql, params, many, context)

    # --- the writer thread ----------------------------------------------------------------------

    def _run(self):
        try:
            while not self._stopped:
                if not self._next_chunk():
                    continue
                while self._rows is not None:
                    copy_writer.write_batch(self.connection, self._statement_rows())
                    self._done()
        except BaseException as error:  # noqa: BLE001 - handed to the caller, who raises it
            if not isinstance(error, _Abandoned):
                self.error = error
            self._drain()

    def _next_chunk(self):
        """Take the next chunk (waiting for it); return False at a flush or at the end."""
        item = self.queue.get()
        if item is _STOP or item is _FLUSH:
            self.queue.task_done()
            self._stopped = self._stopped or item is _STOP
            return False
        self._rows, self._offset = item, 0
        return True

    def _statement_rows(self):
        """Yield the rows of one COPY: up to statement_rows, or fewer at a flush or at the end."""
        count = 0
        while True:
            if self.abandon:
                raise _Abandoned
            rows, start = self._rows, self._offset
            end = min(len(rows), start + self.statement_rows - count)
            yield from rows[start:end]
            count += end - start
            if end < len(rows):
                self._offset = end  # the statement is full: the rest of this chunk opens the next one
                return
            self._rows, self._finished = None, self._finished + 1
            # Caught up with the caller: end the COPY, so that its statement triggers and checks run
            # while the caller validates the next chunk, not all at the end.
            if count >= self.statement_rows or self.queue.empty() or not self._next_chunk():
                if self.abandon:
                    raise _Abandoned
                return

    def _done(self):
        """Mark the chunks the finished COPY completed as written (pause() waits for them)."""
        for _ in range(self._finished):
            self.queue.task_done()
        self._finished = 0

    def _drain(self):
        """After an error: mark what was taken as done, then take and drop every chunk until the end."""
        self._finished += self._rows is not None
        self._rows = None
        self._done()
        while not self._stopped:
            if self._next_chunk():
                self._rows = None
                self.queue.task_done()


def attendance_writer(using, *, statement_rows, batch_size):
    """Return the writer for an import's rows on `using`: BackgroundWriter on PostgreSQL, else SyncWriter.

    Use as a context manager inside the caller's transaction: `with attendance_writer(...) as w: w.write(rows)`.
    """
    if connections[using].vendor == "postgresql":
        return BackgroundWriter(using, statement_rows=statement_rows)
    return SyncWriter(using, statement_rows=statement_rows, batch_size=batch_size)
