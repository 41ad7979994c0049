"""A WSGI app in the pre-fork style: its Sendivent client is created (and used) at import, in the
server's parent process, before the workers are forked; every worker sends through it.

Run by test_processes.py as ``gunicorn --preload --workers 3 prefork_app:app``.
"""

from __future__ import annotations

import json
import os
import uuid
from typing import Any, Callable, Dict, Iterable, List, Tuple

from sendivent import Sendivent

client = Sendivent(os.environ["SENDIVENT_API_KEY"], base_url=os.environ["SENDIVENT_BASE_URL"])
# Used before the fork: the runtime and the connection pool exist in the parent.
client.events.list()
PARENT = os.getpid()


def app(environ: Dict[str, Any], start_response: Callable[[str, List[Tuple[str, str]]], Any]) -> Iterable[bytes]:
    sent = client.send("invoice.due", to=f"prefork-{uuid.uuid4().hex[:12]}@example.com", payload={"pid": os.getpid()})
    body = json.dumps({"pid": os.getpid(), "parent": PARENT, "uuid": sent.deliveries[0].uuid}).encode()
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]
