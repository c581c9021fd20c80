"""Regenerate the committed JSON Schemas: `python -m services.visitation.catalogue.schema`."""

from services.visitation.catalogue.loader import (
    KOMMUNE_SCHEMA_FILE,
    SCHEMA_FILE,
    kommune_schema_json,
    schema_json,
)

if __name__ == "__main__":
    for path, text in ((SCHEMA_FILE, schema_json()), (KOMMUNE_SCHEMA_FILE, kommune_schema_json())):
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path}")
