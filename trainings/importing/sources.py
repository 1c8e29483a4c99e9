"""The bytes of an uploaded sheet, read again for each pass of the reader (trainings.importing.sheets).

A Source holds bytes in memory or names a file on disk (the command's file, the admin's
temporary upload file, the stored upload copied back for the confirm); the reader never needs
the whole file in memory when it is on disk.
"""

import io
from pathlib import Path

BLOCK = 1 << 20  # bytes read at a time


class Source:
    """The bytes of an uploaded file, read again for each pass: from memory or from a file on disk.

    `sha256` is the bytes' SHA-256 when whoever made the Source computed it on the way (else None).
    """

    def __init__(self, data=None, *, path=None, sha256=None):
        self.data, self.path, self.sha256 = data, path, sha256
        self.size = len(data) if data is not None else Path(path).stat().st_size

    def open(self):
        """Return a new binary file object at the start of the bytes."""
        return io.BytesIO(self.data) if self.data is not None else Path(self.path).open("rb")

    def blocks(self, size=BLOCK):
        """Yield the bytes in blocks of `size`."""
        with self.open() as file:
            while block := file.read(size):
                yield block

    def read(self):
        """Return all the bytes (to store the upload)."""
        if self.data is not None:
            return self.data
        return Path(self.path).read_bytes()

    def head(self, size=8):
        """Return the first `size` bytes."""
        with self.open() as file:
            return file.read(size)


def as_source(data):
    """Return a Source for bytes, a path (str or Path) or a Source."""
    if isinstance(data, Source):
        return data
    if isinstance(data, bytes | bytearray | memoryview):
        return Source(bytes(data))
    return Source(path=data)
