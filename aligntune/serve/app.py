"""The reward server's HTTP application (Starlette): one reward, four routes.

``GET /health``
    ``{"status": "ok"}`` once the reward is loaded (no token needed, so a load balancer
    or ``RemoteReward.check()`` can ask).
``GET /info``
    The reward's description (kind, components, weights, gold, and for a reward model its
    path, manifest and fidelity), the server's limits and the library versions.
``POST /score``
    Prompts and completions in, the :class:`~aligntune.rl.reward.base.RewardBatch` JSON out
    (see :mod:`aligntune.serve.wire`).
``POST /get_reward`` (``ServeSettings.openrlhf_path``)
    OpenRLHF's request shape, answered in its shape.

Every request but ``/health`` must carry ``Authorization: Bearer <token>`` when the
server has a token. The token is compared in constant time and never logged. An error
inside the reward answers 422 when it is the texts' fault (an aligntune error: the reward
refused them) and 500 otherwise, with the message, so the client can say what happened.
"""

from __future__ import annotations

import hmac
import logging
import platform
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any


from aligntune.errors import AlignTuneError
from aligntune.serve.batching import Batcher
from aligntune.serve.deps import need
from aligntune.serve.settings import ServeSettings
from aligntune.serve.wire import WireError, openrlhf_answer, parse_openrlhf, parse_score
from aligntune.versions import installed_versions

if TYPE_CHECKING:
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import JSONResponse

logger = logging.getLogger(__name__)


def versions() -> dict[str, str | None]:
    """The versions of Python and the libraries that decide a served reward's numbers."""
    return {"python": platform.python_version(),
            **installed_versions(("aligntune", "torch", "transformers", "trl", "starlette", "uvicorn"))}


async def _body(request: Request, limit: int) -> bytes:
    """The request body, refused with 413 as soon as it passes ``limit`` bytes (before it is all read)."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise WireError(413, f"The request body is {int(declared)} bytes; this server takes at most {limit} "
                             "(max_request_bytes): send fewer or shorter texts per request")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise WireError(413, f"The request body passed {limit} bytes (max_request_bytes): send fewer or "
                                 "shorter texts per request")
    return bytes(body)


def build_app(reward: Any, settings: ServeSettings, *, token: str | None = None) -> Starlette:
    """The ASGI application serving ``reward`` (any object with the Reward interface).

    ``token``: the bearer token requests must carry (``None``: none needed); read it with
    :func:`aligntune.serve.settings.read_token`, never pass it on a command line.
    """
    need("starlette", "aligntune serve-reward")
    from starlette.applications import Starlette
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    batcher = Batcher(reward.score, batching=settings.batching, max_batch_size=settings.max_batch_size,
                      max_wait_ms=settings.max_wait_ms)
    description = reward.describe()
    device = getattr(getattr(reward, "reward_model", None), "device", None)
    info = {"reward": description, "limits": settings.limits(), "versions": versions(),
            "device": None if device is None else str(device),
            "endpoints": {"score": "/score", "openrlhf": settings.openrlhf_path, "health": "/health"}}
    expected = None if token is None else f"Bearer {token}".encode()

    def authorise(request: Request) -> None:
        if expected is None:
            return
        given = request.headers.get("authorization", "").encode()
        if not hmac.compare_digest(given, expected):
            what = "no Authorization header" if not given else "a wrong token"
            raise WireError(401, f"This reward server needs 'Authorization: Bearer <token>'; the request had {what}. "
                                 "Set the client's token_env to the variable holding the server's token")

    async def scored(prompts: list[str], completions: list[str]) -> dict[str, Any]:
        try:
            return await batcher.score(prompts, completions)
        except AlignTuneError as exc:
            raise WireError(422, f"The reward refused these texts: {exc}") from None
        except Exception as exc:  # noqa: BLE001 - reported to the client, which stops the run
            logger.exception("The reward failed")
            raise WireError(500, f"The reward failed on the server: {type(exc).__name__}: {exc}") from None

    def guarded(handler: Any) -> Any:
        async def endpoint(request: Request) -> JSONResponse:
            try:
                authorise(request)
                return JSONResponse(await handler(request))
            except WireError as exc:
                if exc.status >= 500:
                    logger.error("%s %s -> %d: %s", request.method, request.url.path, exc.status, exc.message)
                else:
                    logger.info("%s %s -> %d: %s", request.method, request.url.path, exc.status, exc.message)
                return JSONResponse({"error": exc.message}, status_code=exc.status)

        return endpoint

    async def score(request: Request) -> dict[str, Any]:
        body = await _body(request, settings.max_request_bytes)
        return await scored(*parse_score(body, max_texts=settings.max_request_texts))

    async def openrlhf(request: Request) -> dict[str, Any]:
        body = await _body(request, settings.max_request_bytes)
        prompts, completions = parse_openrlhf(body, max_texts=settings.max_request_texts,
                                              strip=settings.openrlhf_strip)
        return openrlhf_answer(await scored(prompts, completions))

    async def show_info(request: Request) -> dict[str, Any]:
        return {**info, "stats": dict(batcher.stats)}

    async def health(request: Request) -> JSONResponse:
        return JSONResponse({"status": "ok"})

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        batcher.start()
        try:
            yield
        finally:
            await batcher.stop()

    routes = [
        Route("/health", health, methods=["GET"]),
        Route("/info", guarded(show_info), methods=["GET"]),
        Route("/score", guarded(score), methods=["POST"]),
        Route(settings.openrlhf_path, guarded(openrlhf), methods=["POST"]),
    ]
    app = Starlette(routes=routes, lifespan=lifespan)
    app.state.batcher = batcher
    return app
