"""Regenerate the committed JSON Schema: `python -m services.visitation.catalogue.schema`."""

from services.visitation.catalogue.loader import SCHEMA_FILE, schema_json

if __name__ == "__main__":
    SCHEMA_FILE.write_text(schema_json(), encoding="utf-8")
    print(f"wrote {SCHEMA_FILE}")
