"""A pytest plugin for changing a route's response model without changing its answer.

    SVARVAGT_LOG=/tmp/svar.log .venv/bin/python -m pytest -p tests.svarvagt tests/integration/...

Every answer a route builds as plain data (dicts and lists, not models) and FastAPI sends
through a response model is also serialised the untyped way it was before (pydantic's
serialisation of `Any`, what an endpoint annotated `-> dict[str, Any]` got). Each answer
writes a line to the log: `ok <route>`, or `MISMATCH <route>` with both JSON texts, key
order included. Used for issue 17's response models: the API tests ran with it and logged
no mismatch.
"""

from __future__ import annotations

import json
import os
from typing import Any

import fastapi.routing
from pydantic import BaseModel
from pydantic_core import to_jsonable_python

_serialize = fastapi.routing.serialize_response


def _has_model(x: Any, depth: int = 0) -> bool:
    if isinstance(x, BaseModel):
        return True
    if depth < 2 and isinstance(x, list | tuple):
        return any(_has_model(i, depth + 1) for i in x[:3])
    return False


async def _checked(**kwargs: Any) -> Any:
    actual = await _serialize(**kwargs)
    content = kwargs.get("response_content")
    if kwargs.get("field") is None or _has_model(content):
        return actual
    before = json.dumps(to_jsonable_python(content), ensure_ascii=False)
    got = json.loads(actual) if isinstance(actual, bytes | str) else actual
    after = json.dumps(got, ensure_ascii=False)
    route = (kwargs.get("endpoint_ctx") or {}).get("path", "?")
    with open(os.environ.get("SVARVAGT_LOG", "svarvagt.log"), "a") as log:
        if before == after:
            log.write(f"ok {route}\n")
        else:
            log.write(f"MISMATCH {route}\n  before {before}\n  after  {after}\n")
    return actual


fastapi.routing.serialize_response = _checked
