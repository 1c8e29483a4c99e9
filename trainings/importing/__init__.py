"""The sheet import (CSV/XLSX sign-in sheets and session lists), one module per step, each only looking down:

1. sheets.py       reading bytes (sources.py: the file, read again for each pass): encoding
                   (encodings.py: UTF-8/CP932/UTF-16), XLSX rows with their
                   hidden/struck flags (xlsx.py), the table of each worksheet (tables.py: header
                   row searched, two-row headers, cells outside the table).
2. columns.py      finding the columns: which header names which column, which kind a sheet is;
   remembered.py   the columns staff chose for headers the portal does not know (見出しの対応),
                   kept by mappings.py (HeaderMapping) and consulted after the built-in names.
3. normalize.py    reading cells (wards, headcounts; dates come from core.dates),
   rows.py         validating rows with errors that name line, header and reason,
   participants.py, sessions.py   each kind's validation of a whole sheet into
4. plans.py        an ImportPlan (what would be written, every reason it cannot be),
5. services.py     the one service that writes a plan in one transaction.

messages.py words every row message the same for the admin and the command; counts.py
compares each session's participant count before and after a roster.

resources.py holds the django-import-export resource base (exports and `import_data`), kinds.py
the resource of each kind; admin.py, forms.py, tmp_storages.py and pending.py are the admin's
upload → preview → confirm. `manage.py import_attendance` uses the same resources.
"""
