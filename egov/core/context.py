"""Per-request context (request id, client IP) that services and logs read without a request object."""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    request_id: str
    ip: str | None


_context: ContextVar[RequestContext | None] = ContextVar("egov_request_context", default=None)


def set_request_context(ctx: RequestContext | None) -> object:
    return _context.set(ctx)


def reset_request_context(token: object) -> None:
    _context.reset(token)  # type: ignore[arg-type]


def current_request_context() -> RequestContext | None:
    return _context.get()


def current_request_id() -> str | None:
    ctx = _context.get()
    return ctx.request_id if ctx else None
