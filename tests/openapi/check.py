#!/usr/bin/env python3
"""Checks api/openapi.json with independent validators, and validates against it what the SDK
does not write itself: the API reference's examples and the traffic sendivent-mock recorded
during the end-to-end suites.

    python tests/openapi/check.py [RECORDING.jsonl ...]

This breaks the circle between the mock and the client: both are built on the core's models, so
a field the core names wrong would be served and parsed identically on both sides. The document
is generated from the core too, so on its own it would only check the core against itself; the
reference's examples (api/reference-examples.json, restated from the API reference) anchor it to
the real API, and the recordings show the mock speaks what the document says.

Exit status 1 with one line per failure.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, Tuple

from jsonschema import Draft202012Validator
from openapi_spec_validator import validate as validate_spec
from referencing import Registry, Resource

ROOT = Path(__file__).resolve().parents[2]
SPEC_URI = "urn:sendivent:openapi"


def load_spec() -> Dict[str, Any]:
    spec: Dict[str, Any] = json.loads((ROOT / "api/openapi.json").read_text())
    validate_spec(spec)
    return spec


class Schemas:
    """JSON Schema validators for parts of the OpenAPI document, by JSON pointer."""

    def __init__(self, spec: Dict[str, Any]) -> None:
        self.spec = spec
        # The document is one resource; its schemas are reached by JSON pointer.
        resource = Resource.opaque(spec)
        self.registry = Registry().with_resource(SPEC_URI, resource)
        self.by_operation: Dict[str, Tuple[str, str, Dict[str, Any]]] = {}
        for path, item in spec["paths"].items():
            for method, op in item.items():
                self.by_operation.setdefault(op["operationId"], (path, method, op))

    def validator(self, pointer: str) -> Draft202012Validator:
        return Draft202012Validator({"$ref": f"{SPEC_URI}#{pointer}"}, registry=self.registry)

    @staticmethod
    def escape(segment: str) -> str:
        return segment.replace("~", "~0").replace("/", "~1")

    def pointer(self, path: str, method: str, *rest: str) -> str:
        parts = ["paths", path, method, *rest]
        return "/" + "/".join(self.escape(p) for p in parts)

    def for_request(self, path: str, method: str) -> Optional[str]:
        op = self.spec["paths"][path][method]
        if "requestBody" not in op:
            return None
        return self.pointer(path, method, "requestBody", "content", "application/json", "schema")

    def for_response(self, path: str, method: str, status: int) -> str:
        responses = self.spec["paths"][path][method]["responses"]
        key = str(status) if str(status) in responses else "default"
        if 200 <= status < 300 and key == "default":
            key = next(k for k in responses if k.startswith("2"))
        return self.pointer(path, method, "responses", key, "content", "application/json", "schema")


def errors_of(validator: Draft202012Validator, instance: Any) -> List[str]:
    return [
        f"{'/'.join(str(p) for p in e.absolute_path) or '(root)'}: {e.message}"
        for e in sorted(validator.iter_errors(instance), key=lambda e: list(e.absolute_path))
    ]


def check_reference_examples(schemas: Schemas) -> Tuple[int, List[str]]:
    examples = json.loads((ROOT / "api/reference-examples.json").read_text())["examples"]
    failures: List[str] = []
    for example in examples:
        op_id = example["operation"].replace(".", "_")
        label = f"reference example {example['operation']} {example['part']} {example['name']!r}"
        if example["part"] == "webhook":
            pointer = "/webhooks/delivery/post/requestBody/content/application~1json/schema"
        else:
            if op_id not in schemas.by_operation:
                failures.append(f"{label}: no operation {op_id} in the document")
                continue
            path, method, _ = schemas.by_operation[op_id]
            if example["part"] == "request":
                pointer = schemas.for_request(path, method) or ""
            elif example["part"] == "response":
                pointer = schemas.for_response(path, method, example.get("status", 200))
            else:
                pointer = schemas.for_response(path, method, 400)
        if not pointer:
            failures.append(f"{label}: the operation takes no body")
            continue
        failures += [f"{label}: {e}" for e in errors_of(schemas.validator(pointer), example["body"])]
    return len(examples), failures


def recorded(paths: List[str]) -> Iterator[Tuple[str, int, Dict[str, Any]]]:
    for name in paths:
        for number, line in enumerate(Path(name).read_text().splitlines(), 1):
            if line.strip():
                yield name, number, json.loads(line)


def check_recordings(schemas: Schemas, files: List[str]) -> Tuple[int, List[str]]:
    """Every answer must match the document; every request the mock answered 2xx must too (a
    request it refused may be malformed on purpose: the suites test refusals, including paths
    the document does not have). Requests and answers pair by server and request id: servers
    started with the same seed repeat each other's ids."""
    failures: List[str] = []
    entries = list(recorded(files))
    status = {
        (name, e.get("server"), e.get("request_id")): int(e.get("status", 0))
        for name, _, e in entries
        if e.get("kind") != "request"
    }
    count = 0
    for name, number, entry in entries:
        route, method = entry["route"], entry["method"].lower()
        label = f"{Path(name).name}:{number} {entry['method']} {route} {entry.get('status', '')}"
        answered = status.get((name, entry.get("server"), entry.get("request_id")), 0)
        if route not in schemas.spec["paths"] or method not in schemas.spec["paths"][route]:
            if 200 <= answered < 300:
                failures.append(f"{label}: the mock serves a route the document does not have")
            continue
        count += 1
        if entry.get("kind") == "request":
            pointer = schemas.for_request(route, method)
            if pointer is None or entry.get("body") is None or not 200 <= answered < 300:
                continue
        else:
            if entry.get("body") is None:
                if 200 <= int(entry.get("status", 200)) < 300 and int(entry["status"]) != 204:
                    failures.append(f"{label}: the answer is not JSON")
                continue
            pointer = schemas.for_response(route, method, int(entry["status"]))
        failures += [f"{label}: {e}" for e in errors_of(schemas.validator(pointer), entry["body"])]
    return count, failures


def main(argv: List[str]) -> int:
    spec = load_spec()
    print("api/openapi.json: a valid OpenAPI 3.1 document (openapi-spec-validator)")
    schemas = Schemas(spec)
    total, failures = check_reference_examples(schemas)
    print(f"reference examples: {total} validated")
    files = [a for a in argv if Path(a).exists() and Path(a).stat().st_size > 0]
    if argv and not files:
        failures.append(f"no recording among {argv}: did the suites run with SENDIVENT_MOCK_RECORD?")
    if files:
        count, more = check_recordings(schemas, files)
        failures += more
        print(f"recorded mock traffic: {count} requests and answers validated from {len(files)} file(s)")
    for failure in failures:
        print(f"FAIL {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
