"""Writing an import's attendance rows: PostgreSQL's COPY (psycopg 3's `cursor.copy()`), bulk_create elsewhere.

Called by trainings.importing.services inside its one transaction, so a failure in any batch
rolls back everything, as before. COPY is an insert for the database: the row triggers (the
row's fiscal year) and the statement triggers with their transition tables (the sessions' row
counts) fire as for an INSERT, the constraints are checked, and the stored values are those
bulk_create stores (each field's database value, the same columns; `tests/.../test_copy_writer.py`
compares the two). Each COPY is passed through the connection's execute wrappers
(`connection.execute_wrapper()`, e.g. the fault-injection tests) like any other statement.
"""

import functools
import operator

from django.db import connections
from django.db.models import signals
from django.db.models.base import ModelState

from trainings.models import Attendance


@functools.cache
def _defaults():
    """Return {attname: default} of every concrete field of Attendance (what Model.__init__ sets)."""
    return {field.attname: field.get_default() for field in Attendance._meta.concrete_fields}


def new_row(**values):
    """Return an unsaved Attendance with `values` (by attname: session_id, name, …) and defaults elsewhere.

    The instance Attendance(**values) gives (tests/trainings/importing/test_copy_writer.py compares
    their attributes), built without Model.__init__, which costs about 35 µs a row (7 s of a
    200,000-row import: it walks every field and sets each through its descriptor). While any
    pre_init/post_init receiver is connected (for any model), or for a name that is not a field,
    Model.__init__ builds it after all.
    """
    defaults = _defaults()
    if signals.pre_init.receivers or signals.post_init.receivers or not values.keys() <= defaults.keys():
        return Attendance(**values)
    row = Attendance.__new__(Attendance)
    # _state first, then the fields in the model's order, as __init__ sets them: the instances then
    # share their attribute names (PEP 412) and take less memory than __init__'s, not more.
    row._state = ModelState()
    row.__dict__.update(defaults)
    row.__dict__.update(values)
    return row


def _batches(items, size):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _fields():
    """Return the columns bulk_create writes (every concrete field but the primary key)."""
    return [field for field in Attendance._meta.concrete_fields if not field.primary_key]


def copy_statement(connection):
    """Return the COPY … FROM STDIN statement for the attendance table (quoted identifiers only)."""
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in _fields())
    return f"COPY {quote(Attendance._meta.db_table)} ({columns}) FROM STDIN"


def _with_wrappers(connection, cursor, sql, action):
    """Run action() the way Django runs a statement: through each execute wrapper of the connection."""

    def executor(sql, params, many, context):
        return action()

    for wrapper in reversed(connection.execute_wrappers):
        executor = functools.partial(wrapper, executor)
    return executor(sql, None, False, {"connection": connection, "cursor": cursor})


def write_batch(connection, rows):
    """Insert one batch of unsaved Attendance rows (any iterable) on `connection`; return how many were written.

    On PostgreSQL the rows are read as the COPY goes (BackgroundWriter hands a generator); the
    database's errors come as Django's (DatabaseError and its subclasses), as from any query.
    """
    if connection.vendor != "postgresql":
        rows = list(rows)
        Attendance.objects.using(connection.alias).bulk_create(rows)
        return len(rows)
    fields = _fields()
    values = operator.attrgetter(*(field.attname for field in fields))
    sql = copy_statement(connection)
    written = 0
    with connection.cursor() as cursor:

        def copy():
            nonlocal written
            # cursor.cursor is psycopg's own cursor. The import builds rows of plain ints, strs and
            # None, whose database value is the value itself (get_db_prep_save is the identity for
            # them; checked against bulk_create in the tests), so the attributes go as they are.
            with connection.wrap_database_errors, cursor.cursor.copy(sql) as copy:
                for row in rows:
                    copy.write_row(values(row))
                    written += 1

        _with_wrappers(connection, cursor, sql, copy)
    return written


def write_attendances(rows, *, using, batch_size, copy_batch_size):
    """Insert unsaved Attendance rows in batches (COPY on PostgreSQL); return how many were written.

    Must run inside the caller's transaction: this function opens none of its own.
    """
    connection = connections[using]
    size = copy_batch_size if connection.vendor == "postgresql" else batch_size
    return sum(write_batch(connection, batch) for batch in _batches(rows, size))
