"""Rendering chat templates: one sandboxed, time-limited renderer for every template aligntune renders.

A chat template is Jinja code that ships inside a model directory (``chat_template.jinja`` or the
``chat_template`` key of ``tokenizer_config.json``), so it is untrusted input like any other file
a user points aligntune at. Every place aligntune renders one (the RL prompts, preference pairs,
reward-model evaluation, the ``--dry-run`` check) goes through :func:`render`, which

* compiles the template in :class:`jinja2.sandbox.ImmutableSandboxedEnvironment` (what
  transformers' ``apply_chat_template`` uses), with the same options, filters and globals, so
  a rendered prompt is the string transformers would render;
* turns every failure into one :class:`ChatTemplateError` that names the template's origin and
  what went wrong: a syntax error, a ``raise_exception(...)`` in the template, an attribute the
  sandbox refuses (``__class__``), an undefined name;
* stops a render that takes longer than :data:`TIME_LIMIT_S` seconds (a loop that would run for
  hours), and refuses repetitions and powers that would build huge values in one step.

>>> render("{% for m in messages %}{{ m['role'] }}: {{ m['content'] }}\\n{% endfor %}",
...        [[{"role": "user", "content": "Hi"}]], origin="a test template")
['user: Hi\\n']
"""

from __future__ import annotations

import ctypes
import functools
import json
import operator
import threading
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from aligntune.errors import DataError, ModelLoadError, brief, show

#: The longest one conversation may take to render, in seconds.
TIME_LIMIT_S = 10.0
#: The most items (characters, list entries) one ``*`` may build, and the largest ``**`` exponent.
MAX_REPEAT = 1_000_000
MAX_EXPONENT = 4_096

FIX = ("fix the template (chat_template.jinja, or chat_template in tokenizer_config.json), or use a model "
       "whose tokenizer has a working chat template")


class ChatTemplateError(ModelLoadError, DataError):
    """A chat template could not be compiled or rendered (syntax, an error it raised, a refused attribute, time)."""


class _Stop(BaseException):
    """Raised inside a render thread that ran past its time limit."""


def _sandbox() -> Any:
    import jinja2
    import jinja2.ext
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    class Generation(jinja2.ext.Extension):
        """``{% generation %}...{% endgeneration %}`` (transformers marks assistant tokens with it): renders the body."""

        tags = {"generation"}

        def parse(self, parser: Any) -> Any:
            lineno = next(parser.stream).lineno
            body = parser.parse_statements(("name:endgeneration",), drop_needle=True)
            return jinja2.nodes.CallBlock(self.call_method("_body"), [], [], body).set_lineno(lineno)

        def _body(self, caller: Any) -> str:
            return str(caller())

    class Sandbox(ImmutableSandboxedEnvironment):
        intercepted_binops = frozenset({"*", "**"})

        def unsafe_undefined(self, obj: Any, attribute: str) -> Any:
            # the stock sandbox returns an undefined value that prints as '': reading one is an error here
            raise jinja2.exceptions.SecurityError(f"access to attribute {attribute!r} of a {type(obj).__name__} is unsafe")

        def call_binop(self, context: Any, operator_name: str, left: Any, right: Any) -> Any:
            if operator_name == "**":
                if isinstance(right, int) and abs(right) > MAX_EXPONENT and left not in (0, 1, -1):
                    raise jinja2.exceptions.SecurityError(f"the power {show(left)} ** {right} is too large to compute")
                return operator.pow(left, right)
            for seq, times in ((left, right), (right, left)):
                if isinstance(seq, (str, list, tuple)) and isinstance(times, int) and len(seq) * times > MAX_REPEAT:
                    raise jinja2.exceptions.SecurityError(
                        f"repeating a value of length {len(seq)} {times} times builds more than {MAX_REPEAT} items"
                    )
            return operator.mul(left, right)

    def raise_exception(message: Any) -> None:
        raise jinja2.exceptions.TemplateError(message)

    def tojson(x: Any, ensure_ascii: bool = False, indent: Any = None, separators: Any = None,
               sort_keys: bool = False) -> str:
        return json.dumps(x, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys)

    env = Sandbox(trim_blocks=True, lstrip_blocks=True, extensions=[Generation, jinja2.ext.loopcontrols])
    env.filters["tojson"] = tojson
    env.globals["raise_exception"] = raise_exception
    env.globals["strftime_now"] = lambda fmt: datetime.now().strftime(fmt)
    return env


@functools.lru_cache(maxsize=16)
def _compile(template: str) -> Any:
    return _sandbox().from_string(template)


def compile_template(template: Any, *, origin: str) -> Any:
    """The compiled template, or a :class:`ChatTemplateError` for one that is not a string or does not parse."""
    import jinja2

    if not isinstance(template, str) or not template.strip():
        raise ChatTemplateError(f"The chat template of {origin} must be a non-empty string, got {show(template, 80)}; {FIX}")
    try:
        return _compile(template)
    except jinja2.exceptions.TemplateSyntaxError as exc:
        raise ChatTemplateError(
            f"The chat template of {origin} is not valid Jinja: {exc.message} (line {exc.lineno}); {FIX}"
        ) from None
    except (jinja2.exceptions.TemplateError, RecursionError, MemoryError) as exc:
        raise ChatTemplateError(f"The chat template of {origin} could not be compiled: {brief(exc)}; {FIX}") from None


def _describe(exc: BaseException) -> str:
    import jinja2

    if isinstance(exc, jinja2.exceptions.SecurityError):
        return f"it tried something the sandbox refuses ({str(exc)[:300]})"
    if isinstance(exc, jinja2.exceptions.UndefinedError):
        return f"it uses a name that is not defined ({str(exc)[:300]})"
    if type(exc) is jinja2.exceptions.TemplateError:  # raise_exception(...) in the template
        return f"the template raised an error: {str(exc)[:300]!r}"
    return f"it failed with {brief(exc)}"


def render(
    template: Any,
    conversations: Sequence[Sequence[Mapping[str, Any]]],
    *,
    origin: str,
    add_generation_prompt: bool = False,
    variables: Mapping[str, Any] | None = None,
    time_limit: float | None = None,
) -> list[str]:
    """Render each conversation with ``template`` (as ``apply_chat_template(..., tokenize=False)`` would).

    ``variables``: what else the template sees (a tokenizer's special tokens: ``bos_token``,
    ``eos_token``...). Raises :class:`ChatTemplateError` naming ``origin``, the conversation's
    row and the problem; no single conversation may take longer than ``time_limit`` seconds
    (default :data:`TIME_LIMIT_S`).
    """
    compiled = compile_template(template, origin=origin)
    extra = {k: v for k, v in (variables or {}).items() if k not in ("messages", "add_generation_prompt")}

    def one(messages: Sequence[Mapping[str, Any]]) -> str:
        return str(compiled.render(messages=list(messages), tools=None, documents=None,
                                   add_generation_prompt=add_generation_prompt, **extra))

    limit = TIME_LIMIT_S if time_limit is None else time_limit
    return _run_limited(one, list(conversations), limit=limit, origin=origin)


def _run_limited(fn: Callable[[Any], str], items: list[Any], *, limit: float, origin: str) -> list[str]:
    """``[fn(item) for item in items]`` in a worker thread; stopped when one item takes longer than ``limit``."""
    results: list[str] = []
    failure: list[BaseException] = []

    def work() -> None:
        try:
            for item in items:
                results.append(fn(item))
        except _Stop:
            pass
        except BaseException as exc:  # reported below with the row it failed on
            failure.append(exc)

    worker = threading.Thread(target=work, name="aligntune-chat-template", daemon=True)
    worker.start()
    try:
        while True:
            done = len(results)
            worker.join(limit)
            if not worker.is_alive():
                break
            if len(results) == done:  # no conversation finished in `limit` seconds
                _stop(worker)
                raise ChatTemplateError(
                    f"The chat template of {origin} took more than {limit:g} s to render conversation {done} "
                    f"(of {len(items)}) and was stopped: it loops too long for a chat template; {FIX}"
                )
    except BaseException:
        _stop(worker)
        raise
    if failure:
        row = len(results)
        raise ChatTemplateError(
            f"The chat template of {origin} could not render conversation {row} "
            f"({show(items[row], 120)}): {_describe(failure[0])}; {FIX}"
        ) from None
    return results


def _stop(worker: threading.Thread) -> None:
    """Raise :class:`_Stop` inside ``worker`` (delivered at its next Python instruction) and wait a moment."""
    if worker.is_alive() and worker.ident is not None:
        ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(worker.ident), ctypes.py_object(_Stop))
        worker.join(2.0)


def tokenizer_variables(tokenizer: Any) -> dict[str, Any]:
    """The special tokens a tokenizer passes to its template (``bos_token``, ``eos_token``, ...)."""
    tokens = getattr(tokenizer, "special_tokens_map", None) or {}
    return {k: v for k, v in tokens.items() if isinstance(v, str)}


def tokenizer_template(tokenizer: Any) -> str | None:
    """A tokenizer's chat template (the ``default`` one when it has several), or ``None``."""
    template = getattr(tokenizer, "chat_template", None)
    if isinstance(template, dict):
        template = template.get("default")
    return template if isinstance(template, str) and template.strip() else None


def render_with(tokenizer: Any, conversations: Sequence[Sequence[Mapping[str, Any]]], *, origin: str,
                add_generation_prompt: bool = False) -> list[str]:
    """:func:`render` with ``tokenizer``'s chat template and special tokens."""
    return render(tokenizer_template(tokenizer) or getattr(tokenizer, "chat_template", None), conversations,
                  origin=origin, add_generation_prompt=add_generation_prompt, variables=tokenizer_variables(tokenizer))


def read_json_object(path: Path) -> dict[str, Any]:
    """The JSON object in ``path``; ``{}`` when the file is missing, unreadable or not an object."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def directory_template(model_dir: str | Path) -> tuple[str | None, dict[str, Any]]:
    """``(template, special tokens)`` saved in a model directory, read without loading the tokenizer.

    The template comes from ``chat_template.jinja`` (transformers >= 4.43 writes it), else the
    ``chat_template`` key of ``tokenizer_config.json``; ``None`` when the directory has none.
    """
    directory = Path(model_dir)
    config = read_json_object(directory / "tokenizer_config.json")
    variables: dict[str, Any] = {}
    for source in (config, read_json_object(directory / "special_tokens_map.json")):
        for key, value in source.items():
            if key.endswith("_token") and key not in variables:
                value = value.get("content") if isinstance(value, dict) else value
                if isinstance(value, str):
                    variables[key] = value
    jinja = directory / "chat_template.jinja"
    if jinja.is_file():
        try:
            return jinja.read_text(encoding="utf-8"), variables
        except (OSError, UnicodeDecodeError) as exc:
            raise ChatTemplateError(f"Could not read the chat template {show(str(jinja))}: {brief(exc)}; {FIX}") from None
    template = config.get("chat_template")
    if isinstance(template, list):  # several named templates: [{"name": ..., "template": ...}]
        named = {t.get("name"): t.get("template") for t in template if isinstance(t, dict)}
        template = named.get("default")
    return (template if template is not None else None), variables
