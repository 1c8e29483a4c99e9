"""Read back a PDF that Chromium wrote: each page's text and how far down the page its text reaches.

Enough of PDF for the report test, without a PDF library: Chromium (Skia) writes plain objects,
Flate-compressed content streams, and fonts with a ToUnicode map; text is placed by `Tm` under
`cm` transforms. Not a general PDF reader.
"""

import re
import unicodedata
import zlib
from dataclasses import dataclass

START = re.compile(rb"(?<![\d])(\d+) 0 obj\b")
NUMBER = rb"(-?[\d.]+)"
MATRIX = re.compile(rb"^" + rb"\s+".join([NUMBER] * 6) + rb"\s+(cm|Tm)$")


@dataclass(frozen=True)
class PdfPage:
    width: float  # points
    height: float
    text: str  # the page's text in drawing order, without any white space
    baselines: tuple  # every text baseline, as a fraction of the page height from the top

    def text_bottom(self, above=1.0):
        """Return the lowest baseline above `above` (a fraction from the top; 0 when none): how far the text reaches."""
        return max((y for y in self.baselines if y < above), default=0.0)


def _objects(pdf):
    """Return {number: body}; a stream's body is its dictionary, b"stream", then exactly /Length bytes."""
    objects = {}
    position = 0
    while (found := START.search(pdf, position)) is not None:
        number, start = int(found.group(1)), found.end()
        end = pdf.index(b"endobj", start)
        head_end = pdf.find(b"stream", start, end)
        if head_end != -1:
            head = pdf[start:head_end]
            length = re.search(rb"/Length\s+(\d+)(\s+0 R)?", head)
            size = int(length.group(1))
            if length.group(2):  # an indirect length: read it from its object
                size = int(re.search(rb"%d 0 obj\s*(\d+)" % size, pdf).group(1))
            data_start = head_end + len(b"stream")
            data_start += 2 if pdf[data_start : data_start + 2] == b"\r\n" else 1
            objects[number] = head + b"stream" + pdf[data_start : data_start + size]
            end = pdf.index(b"endobj", data_start + size)
        else:
            objects[number] = pdf[start:end]
        position = end + len(b"endobj")
    return objects


def _stream(body):
    head, _, data = body.partition(b"stream")
    return zlib.decompress(data) if b"FlateDecode" in head else data


def _ref(body, key):
    found = re.search(rb"/" + key + rb"\s+(\d+) 0 R", body)
    return int(found.group(1)) if found else None


def _to_unicode(objects, font_number):
    """Return (bytes per code, {code: text}) of a font from its ToUnicode CMap."""
    cmap_number = _ref(objects[font_number], rb"ToUnicode")
    if cmap_number is None:
        return 1, {}
    cmap = _stream(objects[cmap_number])
    space = re.search(rb"begincodespacerange\s*<([0-9A-Fa-f]+)>", cmap)
    width = len(space.group(1)) // 2 if space else 1
    chars = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", cmap, re.DOTALL):
        for code, text in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            chars[int(code, 16)] = bytes.fromhex(text.decode()).decode("utf-16-be", "replace")
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", cmap, re.DOTALL):
        for first, last, start in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            base = int(start, 16)
            for offset, code in enumerate(range(int(first, 16), int(last, 16) + 1)):
                chars[code] = chr(base + offset)
    return width, chars


def _kangxi_to_unified(text):
    """Return `text` with Kangxi radicals (U+2F00–U+2FDF, which the fonts' ToUnicode maps use for
    common kanji such as 月 and 支) read as the unified ideographs they stand for."""
    return "".join(unicodedata.normalize("NFKC", ch) if "\u2f00" <= ch <= "\u2fdf" else ch for ch in text)


def _multiply(m, n):
    """Return the matrix m × n (PDF order: m applied first)."""
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (
        a * a2 + b * c2,
        a * b2 + b * d2,
        c * a2 + d * c2,
        c * b2 + d * d2,
        e * a2 + f * c2 + e2,
        e * b2 + f * d2 + f2,
    )


def _page(objects, body):
    width, height = (float(v) for v in re.search(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", body).groups())
    fonts_body = re.search(rb"/Font\s*<<(.*?)>>", body, re.DOTALL)
    fonts = {}
    for name, number in re.findall(rb"/(\w+)\s+(\d+) 0 R", fonts_body.group(1) if fonts_body else b""):
        fonts[name] = _to_unicode(objects, int(number))
    content = b"".join(_stream(objects[n]) for n in [_ref(body, rb"Contents")] if n is not None)

    identity = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    ctm, stack, font = identity, [], (1, {})
    text, baselines = [], []
    for line in content.split(b"\n"):
        line = line.strip()
        if line == b"q":
            stack.append(ctm)
        elif line == b"Q":
            ctm = stack.pop() if stack else identity
        elif (matrix := MATRIX.match(line)) is not None:
            values = tuple(float(v) for v in matrix.groups()[:6])
            if matrix.group(7) == b"cm":
                ctm = _multiply(values, ctm)
            else:
                baselines.append(_multiply(values, ctm)[5])
        elif (selected := re.match(rb"/(\w+)\s+[\d.]+\s+Tf$", line)) is not None:
            font = fonts.get(selected.group(1), (1, {}))
        for hex_codes in re.findall(rb"<([0-9A-Fa-f]+)>\s*Tj", line):
            size, chars = font
            raw = bytes.fromhex(hex_codes.decode())
            text.extend(chars.get(int.from_bytes(raw[i : i + size], "big"), "") for i in range(0, len(raw), size))
    # PDF y runs upwards from the bottom of the page.
    from_top = tuple(sorted((height - y) / height for y in baselines if 0 <= y <= height))
    return PdfPage(width, height, re.sub(r"\s+", "", _kangxi_to_unified("".join(text))), from_top)


def pdf_pages(pdf):
    """Return a PdfPage for every page of `pdf` (bytes), in page order."""
    objects = _objects(pdf)
    root = objects[_ref(re.search(rb"trailer\s*<<(.*?)>>", pdf, re.DOTALL).group(1), rb"Root")]
    order = []

    def walk(number):
        node = objects[number]
        if re.search(rb"/Type\s*/Pages\b", node):
            for kid in re.findall(rb"(\d+) 0 R", re.search(rb"/Kids\s*\[(.*?)\]", node, re.DOTALL).group(1)):
                walk(int(kid))
        else:
            order.append(number)

    walk(_ref(root, rb"Pages"))
    return [_page(objects, objects[number]) for number in order]
