"""HTML forms without a multipart parser: the page posts application/x-www-form-urlencoded."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs

from fastapi import Request

MAX_FORM = 16 * 1024


async def read_form(request: Request) -> dict[str, str]:
    """The form's fields (the first value of each); a body too big or not text gives none."""
    body = await request.body()
    if len(body) > MAX_FORM:
        return {}
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return {}
    try:
        fields = parse_qs(text, keep_blank_values=True, max_num_fields=20)
    except ValueError:  # more fields than any of the page's forms has
        return {}
    return {k: v[0] for k, v in fields.items() if "\x00" not in k + v[0]}


def form_body(*fields: str, required: tuple[str, ...] = ()) -> dict[str, Any]:
    """The OpenAPI request body of a page form (the schemathesis run posts such forms)."""
    properties = {name: {"type": "string"} for name in fields}
    schema = {"type": "object", "properties": properties, "required": list(required)}
    return {
        "requestBody": {
            "required": True,
            "content": {"application/x-www-form-urlencoded": {"schema": schema}},
        }
    }
