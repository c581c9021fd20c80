"""`/docs` and `/redoc` of every service work on a network with no internet: the pages name
no other host, and every script, style and icon they load is served by the service."""

from __future__ import annotations

import re
from pathlib import Path
from types import ModuleType
from urllib.parse import urlparse

import pytest
from fastapi.testclient import TestClient

from services.provider import wiring as provider
from services.supervision import wiring as supervision
from services.visitation import wiring as visitation
from shared.infra.settings import ServiceSettings

pytestmark = pytest.mark.integration

#: Whatever the page loads or links: src/href attributes and any absolute URL in the text.
ASSET = re.compile(r"""(?:src|href)\s*=\s*["']([^"']+)["']""")
ABSOLUTE = re.compile(r"""(?:https?:)?//[A-Za-z0-9.-]+""")


@pytest.mark.parametrize("service", [visitation, provider, supervision], ids=lambda s: s.NAME)
@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_docs_pages_load_nothing_from_another_host(
    service: ModuleType, page: str, tmp_path: Path
) -> None:
    wiring = service.build(ServiceSettings(store="sqlite", data_dir=tmp_path))
    client = TestClient(wiring.api)

    r = client.get(page)  # no token: the docs are public, as before
    assert r.status_code == 200, r.text
    assert "text/html" in r.headers["content-type"]
    # No absolute URL at all, so nothing on another host (nor a scheme-relative //cdn...).
    assert ABSOLUTE.findall(r.text) == [], ABSOLUTE.findall(r.text)

    assets = ASSET.findall(r.text)
    scripts = [a for a in assets if a.endswith(".js")]
    assert scripts, f"{page} loads no script of its own: {assets}"
    for url in assets:
        parsed = urlparse(url)
        assert not parsed.netloc and url.startswith("/"), url
        got = client.get(url)
        assert got.status_code == 200, (url, got.status_code)
        assert len(got.content) > 1000, url  # the real bundle, not an error page
    # The page's spec is the service's own.
    assert "/openapi.json" in r.text
    assert client.get("/openapi.json").status_code == 200
