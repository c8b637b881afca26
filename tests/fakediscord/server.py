"""A local Discord stand-in: the REST routes and the gateway the bot uses, on 127.0.0.1.

The bot process reaches it through ``PARCFERME_API_BASE_URL`` (``base_url``); ``GET
/gateway/bot`` points it at the websocket here. It answers as Discord does (shapes, status
codes, error codes, rate-limit headers), checks every message and command definition against
Discord's limits (``bot.rendering.limits``), records every request and gateway frame, and
measures each interaction from the INTERACTION_CREATE it sent to the bot's first answer.

Faults on demand: 429 or 500 on the interaction-callback path for the next N requests, and a
dropped gateway connection (the bot must RESUME; missed dispatches are replayed).
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import email.policy
import json
import re
import time
import zlib
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.parser import BytesParser
from typing import Any

from aiohttp import WSMsgType, web

from bot.rendering.limits import CHOICES, command_problems, payload_problems
from tests.fakediscord import payloads as p

API_PREFIX = "/api/v10"
INTERACTION_DEADLINE_S = 3.0

# Gateway opcodes.
DISPATCH, HEARTBEAT, IDENTIFY, PRESENCE_UPDATE, RESUME = 0, 1, 2, 3, 6
RECONNECT, INVALID_SESSION, HELLO, HEARTBEAT_ACK = 7, 9, 10, 11

# Interaction callback types, and which an interaction type may use.
PONG, MESSAGE, DEFER, DEFER_UPDATE, UPDATE, AUTOCOMPLETE_RESULT, MODAL = 1, 4, 5, 6, 7, 8, 9
ALLOWED_CALLBACKS = {
    p.APPLICATION_COMMAND: {MESSAGE, DEFER, MODAL},
    p.MESSAGE_COMPONENT: {MESSAGE, DEFER, DEFER_UPDATE, UPDATE, MODAL},
    p.AUTOCOMPLETE: {AUTOCOMPLETE_RESULT},
    p.MODAL_SUBMIT: {MESSAGE, DEFER, DEFER_UPDATE, UPDATE},
}


@dataclass
class Exchange:
    """One REST request and the answer the fake gave."""

    number: int
    at: float  # time.monotonic()
    method: str
    path: str  # after the API prefix, e.g. /interactions/1/abc/callback
    query: dict[str, str]
    body: Any
    files: list[dict[str, Any]]
    status: int
    response: Any
    route: str  # the route's name, "unknown" when the fake has no such route
    interaction_id: int | None = None

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300


@dataclass
class InteractionRecord:
    """One interaction the fake sent, and what the bot did with it."""

    id: int
    token: str
    kind: int
    payload: dict[str, Any]
    sent_at: float
    seq: int | None = None
    attempts: list[Exchange] = field(default_factory=list)  # every callback request
    response: dict[str, Any] | None = None  # the accepted initial response body
    answered_at: float | None = None
    message_id: int | None = None  # the message the answer created (or updated)
    followup_ids: list[int] = field(default_factory=list)  # messages its follow-ups created
    followups: list[Exchange] = field(default_factory=list)  # follow-ups, edits, deletes
    answered: asyncio.Event = field(default_factory=asyncio.Event)
    followed_up: asyncio.Event = field(default_factory=asyncio.Event)  # a follow-up or edit

    @property
    def first_callback_at(self) -> float | None:
        return self.attempts[0].at if self.attempts else None

    @property
    def latency(self) -> float | None:
        """Seconds from INTERACTION_CREATE to the accepted first response."""
        return None if self.answered_at is None else self.answered_at - self.sent_at

    @property
    def accepted(self) -> list[Exchange]:
        return [e for e in self.attempts if e.ok]

    @property
    def rejected(self) -> list[Exchange]:
        """Answers Discord would refuse (400/404), not the injected 429/500 faults."""
        return [e for e in self.attempts if 400 <= e.status < 500 and e.status != 429]

    @property
    def retried_after(self) -> list[int]:
        """The statuses of injected faults this interaction's answer went through."""
        return [e.status for e in self.attempts if e.status == 429 or e.status >= 500]


@dataclass
class GatewayFrame:
    at: float
    direction: str  # "in" (from the bot) or "out"
    op: int
    event: str | None
    seq: int | None


@dataclass
class _Fault:
    status: int
    retry_after: float


class _Connection:
    def __init__(self, ws: web.WebSocketResponse, request: web.Request, *, compress: bool) -> None:
        self.ws = ws
        self.request = request
        self.compressor = zlib.compressobj() if compress else None
        self.session: _Session | None = None

    @property
    def closed(self) -> bool:
        return self.ws.closed

    async def send(self, text: str) -> None:
        if self.compressor is None:
            await self.ws.send_str(text)
        else:  # zlib-stream: one deflate stream per connection, each message sync-flushed
            data = self.compressor.compress(text.encode()) + self.compressor.flush(
                zlib.Z_SYNC_FLUSH
            )
            await self.ws.send_bytes(data)


REPLAY_BUFFER = 5_000  # dispatches kept for RESUME; older ones cannot be replayed


@dataclass
class _Session:
    id: str
    seq: int = 0
    history: collections.deque[tuple[int, str]] = field(
        default_factory=lambda: collections.deque(maxlen=REPLAY_BUFFER)
    )
    connection: _Connection | None = None


Handler = Callable[["web.Request", "re.Match[str]", Any, list[dict[str, Any]]], Awaitable["_Reply"]]


@dataclass
class _Reply:
    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    interaction_id: int | None = None


def _error(status: int, code: int, message: str, **extra: Any) -> _Reply:
    return _Reply(status, {"code": code, "message": message, **extra})


class FakeDiscord:
    """Discord's REST API and gateway, for one bot, one application and one guild."""

    def __init__(
        self,
        *,
        token: str,
        heartbeat_interval_ms: int = 10_000,
        deadline_s: float = INTERACTION_DEADLINE_S,
    ) -> None:
        self.token = token
        self.heartbeat_interval_ms = heartbeat_interval_ms
        self.deadline_s = deadline_s
        self.exchanges: list[Exchange] = []
        self.interactions: dict[int, InteractionRecord] = {}
        self.frames: list[GatewayFrame] = []
        self.identifies: list[dict[str, Any]] = []
        self.resumes: list[dict[str, Any]] = []
        self.heartbeats = 0
        self.messages: dict[int, dict[str, Any]] = {}
        self.message_changed_at: dict[int, float] = {}  # message id -> when created or edited
        self.channel_messages: list[dict[str, Any]] = []  # POST /channels/{id}/messages
        self.commands: dict[int | None, list[dict[str, Any]]] = {}  # guild id (None: global)
        self.attachments: dict[str, tuple[bytes, str]] = {}
        self.ready = asyncio.Event()  # READY and GUILD_CREATE sent
        self.resumed = asyncio.Event()
        self._resumes_allowed = asyncio.Event()  # cleared: RESUMEs wait (an outage)
        self._resumes_allowed.set()
        self._faults: collections.deque[_Fault] = collections.deque()
        self._sessions: dict[str, _Session] = {}
        self._session: _Session | None = None
        self._gateway_lock = asyncio.Lock()
        self._originals: dict[str, int] = {}  # interaction token -> original message id
        self._by_token: dict[str, InteractionRecord] = {}
        self._runner: web.AppRunner | None = None
        self._connections: set[_Connection] = set()
        self._numbers = iter(range(1, 1 << 62))
        self.port = 0
        self._routes: list[tuple[str, re.Pattern[str], str, Handler, bool]] = []
        self._add_routes()

    # -- lifecycle --------------------------------------------------------------------------
    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}{API_PREFIX}"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/gateway"

    async def start(self) -> None:
        app = web.Application(client_max_size=32 * 1024 * 1024)
        app.router.add_get("/gateway", self._gateway)
        app.router.add_get("/attachments/{key:.+}", self._attachment)
        app.router.add_route("*", API_PREFIX + "/{tail:.*}", self._rest)
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        server = site._server
        assert server is not None
        self.port = server.sockets[0].getsockname()[1]  # type: ignore[attr-defined]

    async def close(self) -> None:
        for conn in list(self._connections):
            with contextlib.suppress(Exception):
                await asyncio.wait_for(conn.ws.close(code=1001), 2)
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeDiscord:
        await self.start()
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.close()

    # -- what the tests use ---------------------------------------------------------------------
    def fail_callbacks(self, status: int, count: int, *, retry_after: float = 0.25) -> None:
        """Answer the next ``count`` interaction callbacks with ``status`` (429 or 500)."""
        assert status in (429, 500, 502, 503, 504)
        self._faults.extend(_Fault(status, retry_after) for _ in range(count))

    def expect_new_session(self) -> None:
        """Before starting another bot process on this fake (a restart): ``ready`` is set
        again by its IDENTIFY."""
        self.ready.clear()

    @property
    def faults_pending(self) -> int:
        return len(self._faults)

    async def send_interaction(self, payload: dict[str, Any]) -> InteractionRecord:
        """Dispatch INTERACTION_CREATE (queued for replay if the bot is disconnected)."""
        record = InteractionRecord(
            id=int(payload["id"]),
            token=payload["token"],
            kind=payload["type"],
            payload=payload,
            sent_at=time.monotonic(),
        )
        self.interactions[record.id] = record
        self._by_token[record.token] = record
        record.seq = await self.dispatch("INTERACTION_CREATE", payload)
        return record

    async def dispatch(self, event: str, data: dict[str, Any]) -> int:
        """Send a dispatch on the current session; kept for RESUME like Discord does."""
        session = self._session
        if session is None:
            raise RuntimeError("the bot has not identified yet")
        async with self._gateway_lock:
            session.seq += 1
            seq = session.seq
            text = json.dumps({"op": DISPATCH, "t": event, "s": seq, "d": data}, ensure_ascii=False)
            session.history.append((seq, text))
            self._frame("out", DISPATCH, event, seq)
            if event == "INTERACTION_CREATE" and (record := self.interactions.get(int(data["id"]))):
                record.sent_at = time.monotonic()  # Discord's 3 s start when it leaves
            conn = session.connection
            if conn is not None and not conn.closed:
                with contextlib.suppress(ConnectionError, RuntimeError):
                    await conn.send(text)
        return seq

    async def drop_gateway(
        self, code: int = 4000, *, abort: bool = False, hold: bool = False
    ) -> None:
        """Close the bot's gateway connection as Discord (close ``code``) or, with ``abort``,
        a network fault (the TCP connection cut, no close frame) would; it should RESUME.
        With ``hold``, its RESUME waits for ``end_outage`` (dispatches meanwhile are queued
        and replayed then)."""
        if hold:
            self._resumes_allowed.clear()
        async with self._gateway_lock:
            session = self._session
            conn = session.connection if session else None
            if session is not None:
                session.connection = None
            self.resumed.clear()
        if conn is None:
            return
        transport = conn.request.transport
        if abort and transport is not None:
            transport.abort()
            return
        with contextlib.suppress(Exception):
            await asyncio.wait_for(conn.ws.close(code=code, message=b"fake drop"), 5)

    def end_outage(self) -> None:
        self._resumes_allowed.set()

    async def wait_answered(
        self, records: Iterable[InteractionRecord], within: float = 10.0
    ) -> list[InteractionRecord]:
        """Wait until each record has an accepted answer or ``within`` s; return the unanswered."""
        pending = [r for r in records if not r.answered.is_set()]
        if pending:
            waits = [asyncio.ensure_future(r.answered.wait()) for r in pending]
            _, not_done = await asyncio.wait(waits, timeout=within)
            for w in not_done:
                w.cancel()
        return [r for r in pending if not r.answered.is_set()]

    def add_attachment(
        self, filename: str, content: bytes, content_type: str = "text/csv"
    ) -> dict[str, Any]:
        """Host a file as Discord's CDN would; returns the ``resolved.attachments`` entry."""
        attachment_id = p.snowflake()
        key = f"{attachment_id}/{filename}"
        self.attachments[key] = (content, content_type)
        url = f"http://127.0.0.1:{self.port}/attachments/{key}"
        return p.attachment(attachment_id, filename, url, len(content), content_type)

    def original_message(self, record: InteractionRecord) -> dict[str, Any] | None:
        """The message the interaction's answer created or updated, as it is now."""
        return self.messages.get(record.message_id or 0)

    # -- figures for the tests ------------------------------------------------------------------
    def calls(self, route: str | None = None) -> list[Exchange]:
        return [e for e in self.exchanges if route is None or e.route == route]

    def bad_requests(self) -> list[Exchange]:
        """Every 4xx the fake answered, except the 429s it was told to give."""
        return [e for e in self.exchanges if 400 <= e.status < 500 and e.status != 429]

    def unknown_routes(self) -> list[Exchange]:
        return [e for e in self.exchanges if e.route == "unknown"]

    # -- REST -------------------------------------------------------------------------------
    def _add_routes(self) -> None:
        r = self._route
        r("GET", r"/gateway/bot", "gateway-bot", self._gateway_bot)
        r("GET", r"/gateway", "gateway", self._gateway_info, auth=False)
        r("GET", r"/users/@me", "me", self._me)
        r("GET", r"/(?:oauth2/)?applications/@me", "application", self._application)
        commands = r"/applications/(?P<app>\d+)(?:/guilds/(?P<guild>\d+))?/commands"
        r("GET", commands, "commands-get", self._commands_get)
        r("PUT", commands, "commands-put", self._commands_put)
        r("POST", commands, "commands-post", self._commands_post)
        callback = r"/interactions/(?P<id>\d+)/(?P<token>[^/]+)/callback"
        r("POST", callback, "callback", self._callback, auth=False)
        hook = r"/webhooks/(?P<app>\d+)/(?P<token>[^/]+)"
        r("POST", hook, "followup", self._followup, auth=False)
        message = hook + r"/messages/(?P<message>@original|\d+)"
        r("GET", message, "webhook-get", self._webhook_get, auth=False)
        r("PATCH", message, "webhook-edit", self._webhook_edit, auth=False)
        r("DELETE", message, "webhook-delete", self._webhook_delete, auth=False)
        r("GET", r"/channels/(?P<channel>\d+)", "channel-get", self._channel_get)
        r("POST", r"/channels/(?P<channel>\d+)/messages", "channel-post", self._channel_post)

    def _route(
        self, method: str, pattern: str, name: str, handler: Handler, *, auth: bool = True
    ) -> None:
        self._routes.append((method, re.compile(pattern + "$"), name, handler, auth))

    async def _rest(self, request: web.Request) -> web.StreamResponse:
        path = request.path[len(API_PREFIX) :]
        body, files = await self._read_body(request)
        name = "unknown"
        reply = _error(404, 0, "404: Not Found")
        for method, pattern, route_name, handler, auth in self._routes:
            match = pattern.match(path)
            if match is None or method != request.method:
                continue
            name = route_name
            if auth and request.headers.get("Authorization") != f"Bot {self.token}":
                reply = _error(401, 0, "401: Unauthorized")
            else:
                reply = await handler(request, match, body, files)
            break
        else:
            if any(pattern.match(path) for _, pattern, *_ in self._routes):
                reply = _error(405, 0, "405: Method Not Allowed")
        exchange = Exchange(
            number=next(self._numbers),
            at=time.monotonic(),
            method=request.method,
            path=path,
            query=dict(request.query),
            body=body,
            files=files,
            status=reply.status,
            response=reply.body,
            route=name,
            interaction_id=reply.interaction_id,
        )
        self.exchanges.append(exchange)
        if reply.interaction_id is not None:
            record = self.interactions.get(reply.interaction_id)
            if record is not None:
                (record.attempts if name == "callback" else record.followups).append(exchange)
                if name in ("followup", "webhook-edit") and exchange.ok:
                    record.followed_up.set()
                if name == "callback" and exchange.ok and record.answered_at is None:
                    record.answered_at = exchange.at
                    record.answered.set()
        headers = self._ratelimit_headers(name) | reply.headers
        if reply.status == 204 or reply.body is None:
            return web.Response(status=204, headers=headers)
        # Exactly "application/json" (no charset), as Discord sends and discord.py expects.
        return web.Response(
            body=json.dumps(reply.body).encode(),
            status=reply.status,
            headers=headers,
            content_type="application/json",
        )

    @staticmethod
    async def _read_body(request: web.Request) -> tuple[Any, list[dict[str, Any]]]:
        if not request.can_read_body:
            return None, []
        if request.content_type == "multipart/form-data":
            # Parsed with the standard library: aiohttp's own multipart reader warns about a
            # deprecated call inside aiohttp.
            head = f"Content-Type: {request.headers['Content-Type']}\r\n\r\n".encode()
            form = BytesParser(policy=email.policy.HTTP).parsebytes(head + await request.read())
            body: Any = None
            files: list[dict[str, Any]] = []
            for part in form.iter_parts() if isinstance(form, EmailMessage) else ():
                name = part.get_param("name", header="content-disposition")
                raw = part.get_payload(decode=True)
                raw = raw if isinstance(raw, bytes) else b""
                if name == "payload_json":
                    body = json.loads(raw)
                else:
                    files.append({"name": name, "filename": part.get_filename(), "size": len(raw)})
            return body, files
        raw_text = await request.text()
        if not raw_text:
            return None, []
        try:
            return json.loads(raw_text), []
        except json.JSONDecodeError:
            return raw_text, []

    @staticmethod
    def _ratelimit_headers(route: str) -> dict[str, str]:
        return {
            "X-RateLimit-Limit": "50",
            "X-RateLimit-Remaining": "49",
            "X-RateLimit-Reset": f"{time.time() + 1:.3f}",
            "X-RateLimit-Reset-After": "1.000",
            "X-RateLimit-Bucket": f"fake-{route}",
        }

    # -- login ------------------------------------------------------------------------------
    async def _gateway_bot(self, *_: Any) -> _Reply:
        return _Reply(
            200,
            {
                "url": self.gateway_url,
                "shards": 1,
                "session_start_limit": {
                    "total": 1000,
                    "remaining": 999,
                    "reset_after": 14_400_000,
                    "max_concurrency": 1,
                },
            },
        )

    async def _gateway_info(self, *_: Any) -> _Reply:
        return _Reply(200, {"url": self.gateway_url})

    async def _me(self, *_: Any) -> _Reply:
        return _Reply(200, p.bot_user())

    async def _application(self, *_: Any) -> _Reply:
        return _Reply(200, p.application())

    # -- application commands ------------------------------------------------------------------
    def _commands_scope(self, match: re.Match[str]) -> tuple[int | None, _Reply | None]:
        if int(match["app"]) != p.APPLICATION_ID:
            return None, _error(403, 50001, "Missing Access")
        guild = match["guild"]
        if guild is not None and int(guild) != p.GUILD_ID:
            return None, _error(403, 50001, "Missing Access")
        return (int(guild) if guild else None), None

    async def _commands_get(self, request: web.Request, match: re.Match[str], *_: Any) -> _Reply:
        scope, refused = self._commands_scope(match)
        return refused or _Reply(200, self.commands.get(scope, []))

    async def _commands_put(
        self, request: web.Request, match: re.Match[str], body: Any, _: Any
    ) -> _Reply:
        scope, refused = self._commands_scope(match)
        if refused:
            return refused
        if not isinstance(body, list):
            return _error(400, 50035, "Invalid Form Body")
        errors = {
            str(i): {"_errors": [{"code": "BASE_TYPE_INVALID", "message": m} for m in problems]}
            for i, d in enumerate(body)
            if (problems := command_problems(d))
        }
        names = [d.get("name") for d in body]
        if len(set(names)) != len(names):
            errors["_errors"] = {"_errors": [{"code": "DUPLICATE", "message": "duplicate name"}]}
        if errors:
            return _error(400, 50035, "Invalid Form Body", errors=errors)
        self.commands[scope] = [self._registered(d, scope) for d in body]
        return _Reply(200, self.commands[scope])

    async def _commands_post(
        self, request: web.Request, match: re.Match[str], body: Any, _: Any
    ) -> _Reply:
        scope, refused = self._commands_scope(match)
        if refused:
            return refused
        problems = command_problems(body) if isinstance(body, dict) else ["not an object"]
        if problems:
            return _error(400, 50035, "Invalid Form Body", errors={"_errors": problems})
        kept = [c for c in self.commands.get(scope, []) if c["name"] != body["name"]]
        command = self._registered(body, scope)
        self.commands[scope] = [*kept, command]
        return _Reply(201, command)

    @staticmethod
    def _registered(definition: dict[str, Any], guild: int | None) -> dict[str, Any]:
        command = {
            "type": 1,
            "options": [],
            "default_member_permissions": None,
            "dm_permission": True,
            "nsfw": False,
            **definition,
            "id": str(p.snowflake()),
            "application_id": str(p.APPLICATION_ID),
            "version": str(p.snowflake()),
        }
        if guild is not None:
            command["guild_id"] = str(guild)
        return command

    # -- interactions -----------------------------------------------------------------------
    async def _callback(
        self, request: web.Request, match: re.Match[str], body: Any, files: Any
    ) -> _Reply:
        record = self.interactions.get(int(match["id"]))
        if record is None or record.token != match["token"]:
            return _error(404, 10062, "Unknown interaction")
        reply = self._callback_reply(request, record, body)
        reply.interaction_id = record.id
        return reply

    def _callback_reply(self, request: web.Request, record: InteractionRecord, body: Any) -> _Reply:
        if self._faults:
            return self._fault_reply(self._faults.popleft())
        if record.response is not None:
            return _error(400, 40060, "Interaction has already been acknowledged.")
        if time.monotonic() - record.sent_at > self.deadline_s:
            return _error(404, 10062, "Unknown interaction")  # the token died at 3 s
        if not isinstance(body, dict):
            return _error(400, 50035, "Invalid Form Body")
        kind = body.get("type")
        if kind not in ALLOWED_CALLBACKS.get(record.kind, set()):
            return _error(
                400, 50035, "Invalid Form Body", errors={"type": f"{kind} for {record.kind}"}
            )
        data = body.get("data") or {}
        problems = payload_problems(body)
        if kind == AUTOCOMPLETE_RESULT and len(data.get("choices") or []) > CHOICES:
            problems.append("too many choices")
        if kind == MESSAGE and _empty(data):
            return _error(400, 50006, "Cannot send an empty message")
        if problems:
            return _error(400, 50035, "Invalid Form Body", errors={"data": problems})
        record.response = body
        if kind in (MESSAGE, DEFER):
            message = self._new_message(data, loading=kind == DEFER)
            record.message_id = int(message["id"])
            self._originals[record.token] = record.message_id
            resource: dict[str, Any] | None = {"type": kind, "message": message}
        elif kind in (UPDATE, DEFER_UPDATE):
            origin = int((record.payload.get("message") or {}).get("id") or 0)
            record.message_id = origin or None
            self._originals[record.token] = origin
            edited = self._edit(origin, data) if kind == UPDATE else self.messages.get(origin)
            resource = {"type": kind, "message": edited} if edited else None
        else:
            resource = None
        if request.query.get("with_response") not in ("1", "true", "True"):
            return _Reply(204)
        interaction: dict[str, Any] = {"id": str(record.id), "type": record.kind}
        if record.message_id:
            interaction["response_message_id"] = str(record.message_id)
            interaction["response_message_loading"] = kind == DEFER
            interaction["response_message_ephemeral"] = bool((data.get("flags") or 0) & 64)
        return _Reply(200, {"interaction": interaction, "resource": resource})

    @staticmethod
    def _fault_reply(fault: _Fault) -> _Reply:
        if fault.status != 429:
            return _error(fault.status, 0, f"{fault.status}: Internal Server Error")
        return _Reply(
            429,
            {
                "message": "You are being rate limited.",
                "retry_after": fault.retry_after,
                "global": False,
            },
            {
                "Retry-After": str(max(1, round(fault.retry_after))),
                "X-RateLimit-Remaining": "0",
                "X-RateLimit-Reset-After": f"{fault.retry_after:.3f}",
                "X-RateLimit-Scope": "user",
                "Via": "1.1 google",  # discord.py treats a 429 without it as a Cloudflare ban
            },
        )

    def _webhook_record(self, match: re.Match[str]) -> InteractionRecord | None:
        record = self._by_token.get(match["token"])
        if record is None or int(match["app"]) != p.APPLICATION_ID:
            return None
        return record

    async def _followup(
        self, request: web.Request, match: re.Match[str], body: Any, files: list[dict[str, Any]]
    ) -> _Reply:
        record = self._webhook_record(match)
        if record is None or record.response is None:
            return _error(404, 10015, "Unknown Webhook")
        refused = self._message_problems(body)
        if refused:
            refused.interaction_id = record.id
            return refused
        message = self._new_message(body, files=files)
        record.followup_ids.append(int(message["id"]))
        wait = request.query.get("wait") in ("1", "true", "True")
        return _Reply(200 if wait else 204, message if wait else None, interaction_id=record.id)

    def _webhook_message(self, record: InteractionRecord, match: re.Match[str]) -> int:
        which = match["message"]
        return self._originals.get(record.token, 0) if which == "@original" else int(which)

    async def _webhook_get(self, request: web.Request, match: re.Match[str], *_: Any) -> _Reply:
        record = self._webhook_record(match)
        message = self.messages.get(self._webhook_message(record, match)) if record else None
        if record is None or message is None:
            return _error(404, 10008, "Unknown Message")
        return _Reply(200, message, interaction_id=record.id)

    async def _webhook_edit(
        self, request: web.Request, match: re.Match[str], body: Any, _: Any
    ) -> _Reply:
        record = self._webhook_record(match)
        message_id = self._webhook_message(record, match) if record else 0
        if record is None or message_id not in self.messages:
            return _error(404, 10008, "Unknown Message")
        problems = payload_problems(body) if isinstance(body, dict) else ["not an object"]
        if problems:
            refused = _error(400, 50035, "Invalid Form Body", errors={"data": problems})
            refused.interaction_id = record.id
            return refused
        return _Reply(200, self._edit(message_id, body), interaction_id=record.id)

    async def _webhook_delete(self, request: web.Request, match: re.Match[str], *_: Any) -> _Reply:
        record = self._webhook_record(match)
        message_id = self._webhook_message(record, match) if record else 0
        if record is None or self.messages.pop(message_id, None) is None:
            return _error(404, 10008, "Unknown Message")
        return _Reply(204, interaction_id=record.id)

    # -- channels ----------------------------------------------------------------------------
    async def _channel_get(self, request: web.Request, match: re.Match[str], *_: Any) -> _Reply:
        channel = p.CHANNELS.get(int(match["channel"]))
        return _Reply(200, channel) if channel else _error(404, 10003, "Unknown Channel")

    async def _channel_post(
        self, request: web.Request, match: re.Match[str], body: Any, files: list[dict[str, Any]]
    ) -> _Reply:
        channel_id = int(match["channel"])
        if channel_id not in p.CHANNELS:
            return _error(404, 10003, "Unknown Channel")
        refused = self._message_problems(body)
        if refused:
            return refused
        message = self._new_message(body, channel_id=channel_id, files=files, kind=0)
        self.channel_messages.append(message)
        return _Reply(200, message)

    def _message_problems(self, body: Any) -> _Reply | None:
        if not isinstance(body, dict):
            return _error(400, 50035, "Invalid Form Body")
        if _empty(body):
            return _error(400, 50006, "Cannot send an empty message")
        problems = payload_problems(body)
        if problems:
            return _error(400, 50035, "Invalid Form Body", errors={"data": problems})
        return None

    # -- messages ----------------------------------------------------------------------------
    def _new_message(
        self,
        data: dict[str, Any],
        *,
        loading: bool = False,
        channel_id: int = p.CHANNEL_ID,
        files: list[dict[str, Any]] | None = None,
        kind: int = 20,  # 20: the answer to a slash command; 0: a plain channel message
    ) -> dict[str, Any]:
        flags = int(data.get("flags") or 0) | (128 if loading else 0)
        attachments = [
            {
                "id": str(p.snowflake()),
                "filename": f["filename"],
                "size": f["size"],
                "url": f"http://127.0.0.1:{self.port}/attachments/sent/{f['filename']}",
                "proxy_url": f"http://127.0.0.1:{self.port}/attachments/sent/{f['filename']}",
            }
            for f in files or []
        ]
        message: dict[str, Any] = {
            "id": str(p.snowflake()),
            "channel_id": str(channel_id),
            "guild_id": str(p.GUILD_ID),
            "type": kind,
            "content": data.get("content") or "",
            "embeds": data.get("embeds") or [],
            "components": data.get("components") or [],
            "attachments": attachments,
            "author": p.bot_user(),
            "mentions": [],
            "mention_roles": [],
            "mention_everyone": False,
            "pinned": False,
            "tts": False,
            "timestamp": p.iso_now(),
            "edited_timestamp": None,
            "flags": flags,
            "application_id": str(p.APPLICATION_ID),
            "webhook_id": str(p.APPLICATION_ID),
        }
        self.messages[int(message["id"])] = message
        self.message_changed_at[int(message["id"])] = time.monotonic()
        return message

    def _edit(self, message_id: int, body: dict[str, Any]) -> dict[str, Any] | None:
        message = self.messages.get(message_id)
        if message is None:
            return None
        for key in ("content", "embeds", "components"):
            if key in body:
                empty: Any = "" if key == "content" else []
                message[key] = body[key] if body[key] is not None else empty
        message["flags"] = int(message.get("flags") or 0) & ~128  # no longer "thinking"
        message["edited_timestamp"] = p.iso_now()
        self.message_changed_at[message_id] = time.monotonic()
        return message

    async def _attachment(self, request: web.Request) -> web.StreamResponse:
        found = self.attachments.get(request.match_info["key"])
        if found is None:
            return web.Response(status=404)
        content, content_type = found
        return web.Response(body=content, content_type=content_type)

    # -- gateway -------------------------------------------------------------------------------
    def _frame(self, direction: str, op: int, event: str | None, seq: int | None) -> None:
        self.frames.append(GatewayFrame(time.monotonic(), direction, op, event, seq))

    async def _gateway(self, request: web.Request) -> web.StreamResponse:
        ws = web.WebSocketResponse(autoping=True, max_msg_size=0)
        await ws.prepare(request)
        if request.query.get("encoding", "json") != "json":
            await ws.close(code=4002, message=b"Decode error")
            return ws
        conn = _Connection(ws, request, compress=request.query.get("compress") == "zlib-stream")
        self._connections.add(conn)
        try:
            async with self._gateway_lock:
                await conn.send(
                    json.dumps(
                        {"op": HELLO, "d": {"heartbeat_interval": self.heartbeat_interval_ms}}
                    )
                )
                self._frame("out", HELLO, None, None)
            async for msg in ws:
                if msg.type is not WSMsgType.TEXT:
                    continue
                frame = json.loads(msg.data)
                op = frame.get("op")
                self._frame("in", op, None, None)
                if op == HEARTBEAT:
                    self.heartbeats += 1
                    async with self._gateway_lock:
                        if not conn.closed:
                            await conn.send(json.dumps({"op": HEARTBEAT_ACK}))
                elif op == IDENTIFY:
                    await self._identify(conn, frame.get("d") or {})
                elif op == RESUME:
                    await self._resume(conn, frame.get("d") or {})
        finally:
            self._connections.discard(conn)
            if conn.session is not None and conn.session.connection is conn:
                conn.session.connection = None
        return ws

    async def _identify(self, conn: _Connection, data: dict[str, Any]) -> None:
        self.identifies.append(data)
        if data.get("token") != self.token:
            await conn.ws.close(code=4004, message=b"Authentication failed.")
            return
        session = _Session(id=f"fake-session-{p.snowflake():x}", connection=conn)
        conn.session = session
        self._sessions[session.id] = session
        self._session = session
        ready = {
            "v": 10,
            "user": p.bot_user(),
            "guilds": [{"id": str(p.GUILD_ID), "unavailable": True}],
            "session_id": session.id,
            "resume_gateway_url": self.gateway_url,
            "application": {"id": str(p.APPLICATION_ID), "flags": 0},
            "private_channels": [],
            "relationships": [],
            "user_settings": {},
            "presences": [],
            "guild_join_requests": [],
            "geo_ordered_rtc_regions": [],
        }
        await self.dispatch("READY", ready)
        await self.dispatch("GUILD_CREATE", p.guild())
        self.ready.set()

    async def _resume(self, conn: _Connection, data: dict[str, Any]) -> None:
        self.resumes.append(data)
        await self._resumes_allowed.wait()
        session = self._sessions.get(str(data.get("session_id")))
        if session is None or data.get("token") != self.token:
            async with self._gateway_lock:
                await conn.send(json.dumps({"op": INVALID_SESSION, "d": False}))
            return
        after = int(data.get("seq") or 0)
        if session.history and after < session.history[0][0] - 1:  # too far behind: IDENTIFY
            async with self._gateway_lock:
                await conn.send(json.dumps({"op": INVALID_SESSION, "d": False}))
            return
        async with self._gateway_lock:
            conn.session = session
            session.connection = conn
            for seq, text in session.history:
                if seq > after:
                    await conn.send(text)
                    self._frame("out", DISPATCH, "replay", seq)
            session.seq += 1
            text = json.dumps({"op": DISPATCH, "t": "RESUMED", "s": session.seq, "d": {}})
            session.history.append((session.seq, text))
            await conn.send(text)
            self._frame("out", DISPATCH, "RESUMED", session.seq)
        self._session = session
        self.resumed.set()


def _empty(data: dict[str, Any]) -> bool:
    keys = ("content", "embeds", "components", "attachments", "poll", "sticker_ids", "files")
    return not any(data.get(k) for k in keys)
