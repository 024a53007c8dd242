"""A local stand-in for GOV.UK Notify's API (v2), for tests: an HTTP server on 127.0.0.1 in a thread.

It speaks the part of the API the app uses, as Notify documents it: POST /v2/notifications/email and
/v2/notifications/sms with a JSON body, authenticated by a JWT (HS256) in `Authorization: Bearer`,
whose `iss` is the service id and which is signed with the API key's secret and issued within the
last 30 seconds; 201 with the notification's JSON on success, Notify's error JSON otherwise. It
keeps every request it accepted, and can be told to answer the next ones with an error (500, 429...).
"""

import json
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt

SERVICE_ID = str(uuid.UUID(int=0x5E41CE))
SECRET = str(uuid.UUID(int=0x5EC7E7))
API_KEY = f"casework_test-{SERVICE_ID}-{SECRET}"

ERRORS = {
    400: ("BadRequestError", "Can't send to this recipient using a team-only API key"),
    403: ("AuthError", "Invalid token: API key not found"),
    429: ("RateLimitError", "Exceeded rate limit for key type LIVE of 3000 requests per 60 seconds"),
    500: ("Exception", "Internal server error"),
}


@dataclass
class Received:
    path: str
    body: dict


@dataclass
class NotifyStandIn:
    url: str = ""
    received: list[Received] = field(default_factory=list)
    refused: list[tuple[int, str]] = field(default_factory=list)  # (status, why), for the token checks
    fail_next: list[int] = field(default_factory=list)  # statuses to answer the next requests with
    delay: float = 0.0  # seconds to wait before answering (a slow provider, to widen a race)

    def of(self, kind: str) -> list[dict]:
        return [r.body for r in self.received if r.path == f"/v2/notifications/{kind}"]


def _token_problem(header: str) -> str:
    if not header.startswith("Bearer "):
        return "Unauthorized: authentication token must be provided"
    try:
        claims = jwt.decode(header[len("Bearer "):], SECRET, algorithms=["HS256"], options={"verify_iat": True})
    except jwt.PyJWTError as error:
        return f"Invalid token: {error}"
    if claims.get("iss") != SERVICE_ID:
        return "Invalid token: service not found"
    if abs(time.time() - claims.get("iat", 0)) > 30:
        return "Invalid token: request not issued within 30 seconds"
    return ""


def start() -> tuple[NotifyStandIn, ThreadingHTTPServer]:
    state = NotifyStandIn()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def _answer(self, status: int, payload: dict):
            body = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _error(self, status: int, message: str | None = None):
            kind, default = ERRORS.get(status, ("Exception", "Error"))
            self._answer(status, {"status_code": status, "errors": [{"error": kind, "message": message or default}]})

        def do_POST(self):
            length = int(self.headers.get("Content-Length", 0))
            raw = self.rfile.read(length)
            problem = _token_problem(self.headers.get("Authorization", ""))
            if problem:
                state.refused.append((403, problem))
                return self._error(403, problem)
            if self.path not in ("/v2/notifications/email", "/v2/notifications/sms"):
                return self._error(404, "Not found")
            if state.fail_next:
                return self._error(state.fail_next.pop(0))
            try:
                body = json.loads(raw)
            except ValueError:
                return self._error(400, "Invalid JSON supplied in POST data")
            recipient = "email_address" if self.path.endswith("email") else "phone_number"
            missing = [k for k in (recipient, "template_id") if not body.get(k)]
            if missing:
                return self._error(400, f"{missing[0]} is a required property")
            time.sleep(state.delay)
            state.received.append(Received(self.path, body))
            notification_id = str(uuid.uuid4())
            template = {"id": body["template_id"], "version": 1,
                        "uri": f"{state.url}/v2/template/{body['template_id']}"}
            words = ", ".join(f"{k}: {v}" for k, v in (body.get("personalisation") or {}).items())
            if recipient == "email_address":
                content = {"subject": "Your case", "body": words, "from_email": "casework@notifications.service.gov.uk",
                           "one_click_unsubscribe_url": None}
            else:
                content = {"body": words, "from_number": "GOVUK"}
            self._answer(201, {"id": notification_id, "reference": body.get("reference"), "content": content,
                               "uri": f"{state.url}/v2/notifications/{notification_id}", "template": template,
                               "scheduled_for": None})

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return state, server
