"""The settings of the reward server and of its client, validated at construction.

:class:`ServeSettings` is what ``aligntune serve-reward`` takes (its options are derived
from these fields); :class:`RemoteSettings` is how a run talks to a server
(``reward_model_url=`` in ``create_rl_trainer``, or ``options`` of a
``RewardModelSourceConfig(source_type="remote")``). Neither imports a server or an
HTTP library.

A client that cannot get an answer gives up after at most
``retries + 1`` attempts of ``timeout_s`` each, with waits of ``backoff_s``,
``2 * backoff_s``, ... (each at most ``max_backoff_s``) between them:
:meth:`RemoteSettings.worst_case_s` is that bound.
"""

from __future__ import annotations

import os
import re
from typing import Any

from attrs import define, field

from aligntune import _validation as v
from aligntune.errors import ConfigurationError, show

#: The port ``aligntune serve-reward`` listens on unless told otherwise.
DEFAULT_PORT = 8477

_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _env_name(inst: Any, attribute: Any, value: Any) -> None:
    if value is None:
        return
    if not isinstance(value, str) or not _ENV_NAME.match(value):
        raise ConfigurationError(
            f"{type(inst).__name__}.{attribute.name} is the NAME of an environment variable holding the token "
            f"(e.g. ALIGNTUNE_REWARD_TOKEN), got {show(value)}; never pass the token itself"
        )


def _port(inst: Any, attribute: Any, value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 65535:
        raise ConfigurationError(
            f"{type(inst).__name__}.{attribute.name} must be a port number from 0 to 65535 (0: any free port), "
            f"got {show(value)}"
        )


def _path(inst: Any, attribute: Any, value: Any) -> None:
    if not isinstance(value, str) or not value.startswith("/") or value in ("/score", "/health", "/info"):
        raise ConfigurationError(
            f"{type(inst).__name__}.{attribute.name} must be a URL path starting with '/' other than /score, "
            f"/health and /info, got {show(value)}"
        )


def _strings(inst: Any, attribute: Any, value: Any) -> None:
    if not isinstance(value, tuple) or not all(isinstance(s, str) and s for s in value):
        raise ConfigurationError(
            f"{type(inst).__name__}.{attribute.name} must be a list of non-empty strings, got {show(value)}"
        )


def read_token(env_name: str | None, *, who: str) -> str | None:
    """The bearer token held by environment variable ``env_name`` (``None`` when no name is given).

    A name whose variable is unset or empty is an error: a server that silently ran
    unguarded, or a client that silently sent no token, is what the name was meant to prevent.
    """
    if env_name is None:
        return None
    token = os.environ.get(env_name, "")
    if not token.strip():
        raise ConfigurationError(
            f"{who}: the environment variable {env_name} (token_env) is unset or empty; export the bearer token "
            f"there (export {env_name}=...), or drop token_env to run without a token"
        )
    return token.strip()


@define(frozen=True, kw_only=True)
class ServeSettings:
    """How ``aligntune serve-reward`` serves one reward.

    Network
        ``host`` (``127.0.0.1``: this machine only; ``0.0.0.0`` to accept other machines,
        with a token), ``port`` (0: any free port, printed when ready).
    Batching
        ``batching``: merge concurrent requests into one call of the reward, up to
        ``max_batch_size`` texts, waiting at most ``max_wait_ms`` for more after the first;
        off, every request is scored alone.
    Limits (a request over them is refused with 413, before it is scored)
        ``max_request_texts`` completions per request, ``max_request_bytes`` of JSON body.
    Security
        ``token_env``: the name of an environment variable holding a bearer token that
        every request except ``GET /health`` must carry (``Authorization: Bearer ...``).
    Device
        ``device``: where the reward model runs (``cuda``, ``cuda:1``, ``cpu``; default: the
        first GPU when torch sees one, else the CPU). Rules run on the CPU.
    OpenRLHF
        ``openrlhf_path``: where OpenRLHF's request shape is answered;
        ``openrlhf_strip``: end markers (the policy's end-of-sequence text, e.g.
        ``<|im_end|>``) removed from the end of each completion before it is scored.
    """

    host: str = field(default="127.0.0.1", validator=v.non_empty_str)
    port: int = field(default=DEFAULT_PORT, validator=_port)
    batching: bool = field(default=True, validator=v.boolean)
    max_batch_size: int = field(default=64, validator=v.positive_int)
    max_wait_ms: float = field(default=5.0, validator=v.non_negative)
    max_request_texts: int = field(default=1024, validator=v.positive_int)
    max_request_bytes: int = field(default=8 * 1024 * 1024, validator=v.positive_int)
    token_env: str | None = field(default=None, validator=_env_name)
    openrlhf_path: str = field(default="/get_reward", validator=_path)
    openrlhf_strip: tuple[str, ...] = field(default=(), converter=lambda x: tuple(x) if isinstance(x, list) else x,
                                            validator=_strings)
    access_log: bool = field(default=False, validator=v.boolean)
    device: str | None = field(default=None, validator=v.optional_str)

    def limits(self) -> dict[str, Any]:
        """What a client needs to know to stay within this server's limits (reported by ``GET /info``)."""
        return {
            "max_request_texts": self.max_request_texts,
            "max_request_bytes": self.max_request_bytes,
            "batching": self.batching,
            "max_batch_size": self.max_batch_size,
            "max_wait_ms": self.max_wait_ms,
            "token_required": self.token_env is not None,
        }


def _url(inst: Any, attribute: Any, value: Any) -> None:
    if not isinstance(value, str) or not re.match(r"^https?://[^/\s]+", value):
        raise ConfigurationError(
            f"The remote reward URL must start with http:// or https:// and name a host, got {show(value)}; "
            "e.g. reward_model_url='http://127.0.0.1:8477' (what aligntune serve-reward prints when ready)"
        )


def _retries(where: str, value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ConfigurationError(f"{where} must be a whole number >= 0, got {show(value)}")


@define(frozen=True, kw_only=True)
class RemoteSettings:
    """How a run scores through a reward server.

    ``url``: the server's base URL (``http://host:port``). ``timeout_s``: the longest one
    request may take. ``retries``: how many times a failed request (connection refused or
    reset, timeout, a 5xx or 429 answer, an unreadable answer) is tried again, waiting
    ``backoff_s`` and then twice as long each time (at most ``max_backoff_s``). A 4xx answer
    (bad token, too large, bad input) is not retried. ``token_env``: the name of the
    environment variable holding the server's bearer token. ``max_connections``: the
    connection pool's size. ``max_request_texts``: the most completions sent in one
    request (default: the server's own limit, read from ``GET /info``).
    """

    url: str = field(converter=lambda u: u.rstrip("/") if isinstance(u, str) else u, validator=_url)
    timeout_s: float = field(default=60.0, validator=v.positive)
    retries: int = field(default=5, validator=v.at_most(v.Rule(_retries), 100, "a run would wait for hours on a dead server"))
    backoff_s: float = field(default=0.5, validator=v.non_negative)
    max_backoff_s: float = field(default=8.0, validator=v.non_negative)
    token_env: str | None = field(default=None, validator=_env_name)
    max_connections: int = field(default=16, validator=v.positive_int)
    max_request_texts: int | None = field(default=None, validator=v.optional(v.positive_int))

    def wait_before(self, attempt: int) -> float:
        """Seconds to wait before retry number ``attempt`` (1, 2, ...)."""
        return min(self.max_backoff_s, self.backoff_s * 2 ** (attempt - 1))

    def worst_case_s(self) -> float:
        """The longest one call can take before it raises: every attempt timing out, every wait taken."""
        return (self.retries + 1) * self.timeout_s + sum(self.wait_before(i) for i in range(1, self.retries + 1))

    @classmethod
    def from_options(cls, url: str, options: dict[str, Any]) -> RemoteSettings:
        """From a source config's ``options`` dict (unknown keys are refused, naming the known ones)."""
        known = [f for f in cls.__attrs_attrs__ if f.name != "url"]  # type: ignore[attr-defined]
        names = [f.name for f in known]
        for key in options:
            if key not in names:
                raise ConfigurationError(
                    f"RewardModelSourceConfig(source_type='remote').options has an unknown key {show(key)}."
                    f"{v.did_you_mean(str(key), names)} Known keys: {', '.join(names)}"
                )
        return cls(url=url, **options)
