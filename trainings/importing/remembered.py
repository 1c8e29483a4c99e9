"""The columns staff chose for headers the portal does not know: looking them up, offering and checking a choice.

Pure (no database): trainings.importing.mappings keeps the choices (HeaderMapping) and loads them
into a Remembered once per import; the header search (tables.py), the kind detection and the
header mapping (columns.py) consult it after the built-in names.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from core.text import compact_key
from trainings.importing import columns as cols
from trainings.uploads import SheetKind

# Every column a header can be mapped to, by key (one table for all kinds).
COLUMNS_BY_KEY = {column.key: column for columns in (*cols.COLUMNS.values(), cols.NAME_PARTS) for column in columns}


def mapping_key(header):
    """Return the form under which a header spelling is remembered: NFKC, no spaces, lower case.

    Brackets and marks are kept: 「参加者氏名（漢字）」 and 「参加者氏名（ふりがな）」 are two spellings.
    """
    return compact_key(header).lower()


def column_choices():
    """Return the (value, label) choices of a remembered mapping: every column's key, then 「取り込まない」."""
    return [*((key, column.label) for key, column in COLUMNS_BY_KEY.items()), (cols.SKIP, cols.SKIP_LABEL)]


def options_for(kind):
    """Return the (value, label) options offered for an unknown header in a sheet of `kind`."""
    return [*((c.key, c.label) for c in cols.allowed_columns(SheetKind(kind))), (cols.SKIP, cols.SKIP_LABEL)]


@dataclass
class Remembered:
    """The mappings known for this import: {kind: {mapping key: column key or SKIP}}.

    `extra` holds choices given for this import only (the command's --map with --dry-run, or
    before its kind is known): they apply to every kind that has the column, before the stored ones.
    `loader`, when given, returns `by_kind` on first use: a file refused before its header is
    searched (unreadable bytes) costs no query.
    """

    by_kind: dict | None = None
    extra: dict = field(default_factory=dict)
    loader: Callable[[], dict] | None = None

    def _stored(self):
        if self.by_kind is None:
            self.by_kind = self.loader() if self.loader is not None else {}
        return self.by_kind

    def column(self, header, kind=None):
        """Return the Column (or cols.SKIP) remembered for `header` in `kind` (any kind when None), else None.

        A choice made for another kind applies when that kind's column is one `kind` has (a roster
        of one session and one of many share their participant columns).
        """
        key = mapping_key(header)
        allowed = None if kind is None else {c.key for c in cols.allowed_columns(SheetKind(kind))} | {cols.SKIP}
        stored = self._stored()
        found = [self.extra.get(key)]
        if kind is not None:
            found.append(stored.get(str(kind), {}).get(key))
        found += [mappings.get(key) for mappings in stored.values()]
        for value in found:
            if value is not None and (allowed is None or value in allowed):
                return cols.SKIP if value == cols.SKIP else COLUMNS_BY_KEY.get(value)
        return None

    def with_choices(self, choices):
        """Return a Remembered with `choices` ({header as written: value}) applied first, for this import only."""
        extra = {**self.extra, **{mapping_key(header): value for header, value in choices.items()}}
        return Remembered(self.by_kind, extra, self.loader)


def check_choices(kind, uses, choices):
    """Return the Japanese errors of `choices` ({header as written: value}) for the headers of a read table.

    `uses` are the HeaderUse of every table's headers. A choice must name a header of the sheet
    that is to be chosen, a column of `kind` (or 「取り込まない」), and a column no other header
    of the same table names or is chosen for.
    """
    errors = []
    options = dict(options_for(kind))
    by_key = {}
    for use in uses:
        by_key.setdefault(mapping_key(use.header), []).append(use)
    for header, value in choices.items():
        if value not in options:
            label = COLUMNS_BY_KEY[value].label if value in COLUMNS_BY_KEY else value
            errors.append(f"見出し「{header}」に選んだ「{label}」は「{SheetKind(kind).label}」の列ではありません。")
        elif mapping_key(header) not in by_key:
            errors.append(f"見出し「{header}」はこのファイルにありません。")
        elif all(use.source == cols.AUTO and use.column is not None for use in by_key[mapping_key(header)]):
            label = by_key[mapping_key(header)][0].column.label
            errors.append(f"見出し「{header}」は「{label}」として読んでいます（選ぶ必要はありません）。")
    if errors:
        return errors
    chosen = {mapping_key(header): value for header, value in choices.items()}
    for sheet in dict.fromkeys(use.sheet for use in uses):
        taken = {}
        for use in (u for u in uses if u.sheet == sheet):
            value = chosen.get(mapping_key(use.header))
            key = value if value is not None else (use.column.key if use.column is not None else None)
            if key is None or key == cols.SKIP:
                continue
            if key in taken:
                place = f"「{sheet}」シートの" if sheet else ""
                first = taken[key]
                errors.append(
                    f"{place}{use.letter}列「{use.header}」を「{options[key]}」にはできません: "
                    f"「{options[key]}」には{first.letter}列「{first.header}」があたっています。"
                    f"別の列か「{cols.SKIP_LABEL}」を選んでください。"
                )
                continue
            taken[key] = use
    return errors
