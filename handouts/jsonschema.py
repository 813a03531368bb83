"""One JSON Schema for every kind of content file, so an editor (VS Code with the YAML
extension, or any yaml-language-server client) flags a wrong key or a missing field while
a translator types, long before `validate` runs."""

from __future__ import annotations

import json

from pydantic import TypeAdapter

from . import schema

ContentFile = (
    schema.MedicineFile
    | schema.MedicineTranslation
    | schema.TemplateFile
    | schema.TemplateTranslation
    | schema.BrandFile
    | schema.LayoutFile
    | schema.StringsFile
    | schema.PatientFile
)


def content_schema() -> str:
    body = TypeAdapter[ContentFile](ContentFile).json_schema(by_alias=True)
    body = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Patient handout content file",
        "description": "A medicine, a translation, a shared template, a brand, a layout, interface strings "
        "or a patient's plan (build --patient).",
        **body,
    }
    return json.dumps(body, indent=2, ensure_ascii=False) + "\n"
