"""The page's HTML: every value escaped on its way in, one shell around every page."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from html import escape

from server_stub.web.words import word

BASE = "/organizer"
ASSETS = f"{BASE}/assets"


def e(value: object) -> str:
    return escape("" if value is None else str(value), quote=True)


def table(headers: Iterable[str], rows: Iterable[Iterable[object]], empty: str, *,
          numeric: frozenset[int] = frozenset(), table_id: str = "") -> str:  # fmt: skip
    """A table (or the `empty` line): columns in `numeric` align right."""
    body = "".join(
        "<tr>" + "".join(
            f'<td class="num">{e(v)}</td>' if i in numeric else f"<td>{e(v)}</td>"
            for i, v in enumerate(row)
        ) + "</tr>"
        for row in rows
    )  # fmt: skip
    if not body:
        return f'<p class="empty">{e(empty)}</p>'
    head = "".join(f"<th>{e(h)}</th>" for h in headers)
    attr = f' id="{e(table_id)}"' if table_id else ""
    return (
        f'<div class="scroll"><table{attr}><thead><tr>{head}</tr></thead>'
        f"<tbody>{body}</tbody></table></div>"
    )


def say(lang: str) -> Callable[[str], str]:
    """The page's words in `lang`, escaped for HTML."""

    def words(text: str) -> str:
        return e(word(lang, text))

    return words


def csrf_field(token: str) -> str:
    return f'<input type="hidden" name="csrf" value="{e(token)}">'


def page(lang: str, title: str, body: str, *, nav: str = "", csrf: str = "",
         event_name: str = "") -> str:  # fmt: skip
    """The shell: language switch, navigation (when signed in) and sign-out."""
    other = "de" if lang == "en" else "en"
    name = "Deutsch" if other == "de" else "English"
    switch = f'<a class="lang" href="?lang={other}" hreflang="{other}" id="lang">{name}</a>'
    links = ""
    if nav:
        w = say(lang)
        items = (
            ("live", "Live", BASE),
            ("devices", "Devices", f"{BASE}/devices"),
            ("downloads", "Downloads", f"{BASE}/downloads"),
        )
        links = "".join(
            f'<a href="{href}"{" aria-current=page" if key == nav else ""}>{w(text)}</a>'
            for key, text, href in items
        )
        links += (
            f'<form method="post" action="{BASE}/sign-out" class="inline">{csrf_field(csrf)}'
            f'<button type="submit" class="link" id="sign-out">{w("Sign out")}</button></form>'
        )
    heading = e(event_name) if event_name else e(word(lang, "Organizer"))
    return (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{e(title)} · {heading}</title>"
        f'<link rel="stylesheet" href="{ASSETS}/style.css">'
        f'<script src="{ASSETS}/app.js" defer></script></head><body>'
        f"<header><h1>{heading}</h1><nav>{links}{switch}</nav></header>"
        f"<main>{body}</main></body></html>"
    )
