"""Give the admin's yes/no icons a Japanese alternative text, without patching Django.

Django's admin draws booleans (lists, read-only fields, history, third-party admins such as
auth and axes) as <img … alt="True">, which a screen reader reads out in English. The project's
own list columns use core.admin.display.boolean_column; this middleware covers every other place
by rewriting the three known icon tags in the admin's HTML responses.
"""

from django.templatetags.static import static

from core.admin.display import BOOLEAN_WORDS

ENGLISH_ALT = {True: "True", False: "False", None: "None"}


def _replacements():
    pairs = []
    for value, (icon, word) in BOOLEAN_WORDS.items():
        src = static(f"admin/img/icon-{icon}.svg")
        english = f'<img src="{src}" alt="{ENGLISH_ALT[value]}">'
        pairs.append((english.encode(), f'<img src="{src}" alt="{word}">'.encode()))
    return pairs


class AdminBooleanAltTextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            request.path.startswith("/admin/")
            and not getattr(response, "streaming", False)
            and response.get("Content-Type", "").startswith("text/html")
        ):
            content = response.content
            for english, japanese in _replacements():
                content = content.replace(english, japanese)
            response.content = content
        return response
