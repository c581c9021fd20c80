"""What supervision's route modules share: the dependencies, clock and router factory every
service's routes use (shared/infra/ruter.py), and how a report is answered in the format
asked for."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

from fastapi import Response
from fastapi.responses import HTMLResponse

from shared.infra.ruter import Actor, Caller, Laesning, Laest, ruter

__all__ = [
    "HTML_ELLER_PDF",
    "Actor",
    "Caller",
    "Laesning",
    "Laest",
    "Rapportformat",
    "i_formatet",
    "ruter",
]

#: The formats a report is served in: its data as JSON, or the document built from it.
Rapportformat = Literal["json", "html", "pdf"]

#: A report route's other answers, documented beside its JSON response model.
HTML_ELLER_PDF: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/html": {}, "application/pdf": {}}}
}


def i_formatet(
    format: Rapportformat,
    data: Any,
    html: Callable[[], str],
    pdf: Callable[[], bytes],
    headers: dict[str, str] | None = None,
) -> Any:
    """A report in the format asked for: the HTML or PDF document (built only then), or
    the data itself for JSON."""
    if format == "html":
        return HTMLResponse(html())
    if format == "pdf":
        return Response(pdf(), media_type="application/pdf", headers=headers)
    return data
