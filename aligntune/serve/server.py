"""Serve one aligntune reward over HTTP: :func:`serve_reward` (``aligntune serve-reward``).

The reward is built exactly as ``create_rl_trainer`` builds it, from the same keyword
arguments (or the same YAML keys): a reward model (trained here, from the hub or from a
directory), rule functions, or a weighted mix, with its gold. Or pass a built
``reward=`` (any object with the Reward interface).

Order of work, cheapest failure first: the settings and the token variable are checked,
the port is taken (a port in use is refused here, before any model loads), the reward is
built, loaded and warmed up on one text, and only then does the server listen and print
``aligntune serve-reward: listening on http://HOST:PORT``. Until that line, a client gets
"connection refused" and retries. SIGINT or SIGTERM stop it gracefully (requests in
flight finish).

>>> serve_reward(reward_model_path="./rm", reward_functions=["length"], reward_model_weight=0.5)  # doctest: +SKIP
"""

from __future__ import annotations

import errno
import logging
import socket
import sys
import threading
from collections.abc import Callable
from typing import Any

from aligntune.errors import ConfigurationError, show
from aligntune.rl.factory import REWARD_ARGS, build_rl_config
from aligntune.rl.sources import check_source
from aligntune.rl.trainer_base import load_reward
from aligntune.serve.app import build_app
from aligntune.serve.deps import need
from aligntune.serve.settings import ServeSettings, read_token

logger = logging.getLogger(__name__)

#: create_rl_trainer arguments that shape the reward (any other key describes the policy run, not the reward).
REWARD_KEYS = (
    "reward_functions", "reward_function_weights", "reward_model_weight", "reward_batch_size",
    "gold_reward_functions", "gold_reward_weights", "train_custom_reward_model", "reward_model_name",
    "reward_model_path", "reward_source", "seed", "output_dir", "overwrite",
)

#: The policy placeholder for validating reward-only arguments with the RL config (never loaded).
_NO_POLICY = "(none: serve-reward serves the reward only)"


def bind(host: str, port: int) -> socket.socket:
    """A socket bound to ``host:port`` (not yet listening); a port in use is a clear error."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise ConfigurationError(f"Cannot serve on host {show(host)}: {exc}; pass --host 127.0.0.1 or an address "
                                 "of this machine") from None
    family, _, _, _, address = infos[0]
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise ConfigurationError(
                f"Port {port} on {host} is already in use (another reward server, or another program); pass "
                "--port with a free port (--port 0 picks one and prints it), or stop what holds it "
                f"(e.g. `lsof -i :{port}`)"
            ) from None
        if exc.errno == errno.EACCES:
            raise ConfigurationError(f"Not allowed to listen on port {port} (ports below 1024 need privileges); "
                                     "pass --port 1024 or higher") from None
        raise ConfigurationError(f"Cannot listen on {host}:{port}: {exc}") from None
    return sock


def build_served_reward(**kwargs: Any) -> Any:
    """The reward ``create_rl_trainer(**kwargs)`` would build, loaded and ready (the policy is not needed).

    Policy and training keys (``model_name``, ``algorithm``, ...) are accepted, so one RL
    YAML file serves both, and logged as not used here.
    """
    unused = sorted(k for k in kwargs if k not in REWARD_KEYS and k not in REWARD_ARGS)
    if unused:
        logger.info("Not used by serve-reward (they describe the policy run, not the reward): %s", ", ".join(unused))
    kwargs.setdefault("model_name", _NO_POLICY)
    config = build_rl_config(**kwargs)
    if config.reward_source is not None and config.reward_source.source_type == "remote":
        raise ConfigurationError("serve-reward cannot serve a remote reward (reward_model_url); give the reward "
                                 "itself: reward_model_path, reward_model_name, reward_functions, ...")
    if config.reward_source is not None:
        check_source(config.reward_source)
    return load_reward(config)[0]


def place(reward: Any, device: str | None) -> str | None:
    """Move the reward's model (if it has one) to ``device`` (``None``: the first GPU torch sees, else
    the CPU); the device it runs on, or ``None`` for a reward without a model."""
    rm = getattr(reward, "reward_model", None)
    module = getattr(rm, "model", None)
    if module is None or not hasattr(module, "to"):
        return None
    import torch

    target = torch.device(device or ("cuda" if torch.cuda.is_available() else "cpu"))
    if target.type == "cuda" and not torch.cuda.is_available():
        raise ConfigurationError(f"--device {device} asks for a GPU, but torch sees none here "
                                 f"(torch {torch.__version__}); pass --device cpu or run on a GPU machine")
    rm.model = module.to(target)
    rm.device = target
    logger.info("Reward model on %s", target)
    return str(target)


def serve_reward(
    reward: Any = None,
    *,
    settings: ServeSettings | None = None,
    ready: Callable[[str], None] | None = None,
    **reward_kwargs: Any,
) -> None:
    """Serve a reward until SIGINT or SIGTERM (blocks).

    Args:
        reward: a built reward (``score``/``describe``/``check``/``close``); or leave it out and
            pass ``create_rl_trainer``'s reward keywords (``reward_model_path=``,
            ``reward_functions=``, ``reward_model_weight=``, ...).
        settings: host, port, batching, limits, token variable (default :class:`ServeSettings`).
        ready: called with the base URL once the server listens (default: print it to stderr).
    """
    sock, reward, server, url = _prepare(reward, settings, reward_kwargs, lambda u: (ready or _announce)(u))
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()
        reward.close()


class RunningServer:
    """A reward server running in a thread of this process (:func:`start_reward_server`); ``stop()`` ends it."""

    def __init__(self, url: str, server: Any, thread: threading.Thread) -> None:
        self.url = url
        self._server = server
        self._thread = thread

    @property
    def batcher_stats(self) -> dict[str, int]:
        """Calls of the reward, texts and requests scored so far."""
        return dict(self._server.config.app.state.batcher.stats)

    def stop(self, timeout: float = 30.0) -> None:
        """Finish the requests in flight, then stop."""
        self._server.should_exit = True
        self._thread.join(timeout)

    def __enter__(self) -> RunningServer:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop()


def start_reward_server(reward: Any = None, *, settings: ServeSettings | None = None,
                        **reward_kwargs: Any) -> RunningServer:
    """:func:`serve_reward` in a background thread (a notebook, a test, a benchmark); returns once it listens.

    >>> with start_reward_server(reward_functions=["length"], settings=ServeSettings(port=0)) as server:  # doctest: +SKIP
    ...     RemoteReward(server.url).score(["Hi?"], ["Hello!"])
    """
    listening = threading.Event()
    sock, reward, server, url = _prepare(reward, settings, reward_kwargs, lambda u: listening.set())
    failure: list[BaseException] = []

    def run() -> None:
        try:
            server.run(sockets=[sock])
        except BaseException as exc:  # noqa: BLE001 - reported by the caller's thread
            failure.append(exc)
        finally:
            sock.close()
            reward.close()
            listening.set()

    thread = threading.Thread(target=run, name="aligntune-reward-server", daemon=True)
    thread.start()
    listening.wait()
    if failure or not thread.is_alive():
        raise ConfigurationError(f"The reward server did not start: {failure[0] if failure else 'it stopped'}")
    return RunningServer(url, server, thread)


def _prepare(reward: Any, settings: ServeSettings | None, reward_kwargs: dict[str, Any],
             on_ready: Callable[[str], None]) -> tuple[socket.socket, Any, Any, str]:
    """Check, take the port, build the reward, build the server (cheapest failure first)."""
    uvicorn = need("uvicorn", "aligntune serve-reward")
    need("starlette", "aligntune serve-reward")
    settings = settings or ServeSettings()
    if reward is not None and reward_kwargs:
        raise ConfigurationError(f"serve_reward() got reward= and reward keywords {sorted(reward_kwargs)}; pass one")
    if reward is None and not reward_kwargs:
        raise ConfigurationError("serve_reward() needs a reward: reward=, or reward keywords such as "
                                 "reward_model_path= or reward_functions=")
    token = read_token(settings.token_env, who="serve-reward")
    if token is None and settings.host not in ("127.0.0.1", "localhost", "::1"):
        logger.warning("Serving on %s without a token: anyone who can reach this port can score and read the "
                       "reward's description; pass --token-env NAME (see docs/reward-service.md)", settings.host)
    sock = bind(settings.host, settings.port)
    try:
        if reward is None:
            reward = build_served_reward(**reward_kwargs)
        reward.check()
        place(reward, settings.device)
        reward.score(["Hello?"], ["Hello, glad to help."])  # warm up (lazy imports, first forward) before listening
        app = build_app(reward, settings, token=token)
    except BaseException:
        sock.close()
        raise
    host, port = sock.getsockname()[:2]
    url = f"http://{f'[{host}]' if ':' in host else host}:{port}"
    config = uvicorn.Config(app, log_level="info" if settings.access_log else "warning", access_log=settings.access_log, lifespan="on",
                            timeout_graceful_shutdown=30)
    logger.info("Serving %r on %s (token %s)", reward, url, "required" if token else "not required")
    return sock, reward, _server_class()(config, lambda: on_ready(url)), url


def _announce(url: str) -> None:
    print(f"aligntune serve-reward: listening on {url}", file=sys.stderr, flush=True)


def _server_class() -> type:
    import uvicorn

    class Server(uvicorn.Server):
        """uvicorn's server, announcing the URL once it really listens."""

        def __init__(self, config: Any, on_ready: Callable[[], None]) -> None:
            super().__init__(config)
            self._on_ready = on_ready

        async def startup(self, sockets: Any = None) -> None:
            await super().startup(sockets)
            if not self.should_exit:
                self._on_ready()

    return Server
