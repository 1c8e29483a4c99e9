"""Structural accessibility checks on rendered HTML (no browser needed)."""

from html.parser import HTMLParser

LANDMARKS = ("header", "nav", "main", "footer")
LABELLED_CONTROLS = ("input", "select", "textarea")


class _PageStructure(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.lang = None
        self.h1 = 0
        self.landmarks = set()
        self.images_without_alt = []
        self.controls = []  # ids of form controls that need a label
        self.label_targets = set()
        self.ids = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.append(attrs["id"])
        if tag == "html":
            self.lang = attrs.get("lang")
        elif tag == "h1":
            self.h1 += 1
        elif tag in LANDMARKS:
            self.landmarks.add(tag)
        elif tag == "img" and "alt" not in attrs:
            self.images_without_alt.append(attrs.get("src"))
        elif tag == "label" and attrs.get("for"):
            self.label_targets.add(attrs["for"])
        if tag in LABELLED_CONTROLS and attrs.get("type") not in ("hidden", "submit", "button"):
            self.controls.append(attrs.get("id"))


def accessibility_problems(html):
    """Return a list of problems: lang, one h1, landmarks, img alt, labelled controls, unique ids."""
    page = _PageStructure()
    page.feed(html)
    problems = []
    if page.lang != "ja":
        problems.append(f'html lang is {page.lang!r}, not "ja"')
    if page.h1 != 1:
        problems.append(f"{page.h1} h1 elements instead of exactly one")
    missing = [name for name in LANDMARKS if name not in page.landmarks]
    if missing:
        problems.append(f"missing landmarks: {missing}")
    if page.images_without_alt:
        problems.append(f"images without alt: {page.images_without_alt}")
    unlabelled = [c for c in page.controls if c is None or c not in page.label_targets]
    if unlabelled:
        problems.append(f"form controls without a label: {unlabelled}")
    duplicates = sorted({i for i in page.ids if page.ids.count(i) > 1})
    if duplicates:
        problems.append(f"duplicate ids: {duplicates}")
    return problems
