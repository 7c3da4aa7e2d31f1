#!/usr/bin/env bash
# The GPU check: the first thing to run when a session is lent a GPU (issue 23, item 6).
#
# It runs the CUDA paths nothing else has run: GRPO and PPO through the trl backend in bf16 with a trained
# reward model, LoRA and gradient checkpointing; GRPO with use_vllm when vLLM is installed; GRPO and PPO
# through the unsloth backend with a tiny local Llama when unsloth is installed. The tests are
# tests/test_gpu_check.py (marked gpu); this script installs what they need, runs them and prints ONE table:
# each check, what ran, seconds per RL step (model loading included), peak CUDA memory, or the error.
# On a machine without CUDA it runs to the same table with the GPU rows "skipped: no CUDA".
#
# Device machines have torch, transformers, accelerate and peft, but no trl, datasets or network, and at
# most 64 MiB of ignored files travel with the working tree. So, on this (CPU) machine first:
#
#   bash scripts/gpu_check.sh --prepare
#
# which fills build/gpu_check/ (about 55 MB): wheels/ (trl 1.12.0, datasets and the dependencies a bare
# image lacks, pyarrow without its Flight libraries, for CPython 3.11) and reward_model/ (a tiny
# reward model aligntune trains on CPU (length + sentiment rules), used by the RL rows when the device has no scipy to train one).
# Then, in one device call of at most 8 minutes:
#
#   run(command="bash scripts/gpu_check.sh", carry=["build/gpu_check"], timeout_s=480)
#
# Environment: GPU_CHECK_HOME (default build/gpu_check), PYTHON (default: .venv/bin/python if present,
# else python3), GPU_CHECK_TIMEOUT (seconds for the tests, default 420), GPU_CHECK_ON_CPU=1 (run the rows on
# CPU in fp32: a rehearsal of the device run, e.g. with PYTHON= a fresh venv holding only torch, transformers,
# accelerate and peft, as the device has).
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
HOME_DIR="${GPU_CHECK_HOME:-build/gpu_check}"
WHEELS="$HOME_DIR/wheels"
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 HF_DATASETS_OFFLINE=1 TRL_EXPERIMENTAL_SILENCE=1
export TOKENIZERS_PARALLELISM=false PYTHONUNBUFFERED=1 GPU_CHECK_HOME="$HOME_DIR"
if [ -n "${PYTHON:-}" ]; then PY="$PYTHON"; elif [ -x .venv/bin/python ]; then PY=.venv/bin/python; else PY=python3; fi

# Packages a bare device image lacks (pure-Python wheels, or CPython 3.11 builds).
DEVICE_WHEELS=(trl==1.12.0 datasets==4.8.5 pandas==2.2.3 pyarrow==25.0.1 xxhash dill==0.4.1 multiprocess==0.70.19
               fsspec==2026.2.0 aiohttp aiohappyeyeballs aiosignal frozenlist multidict propcache yarl requests urllib3
               idna charset-normalizer certifi jinja2 markupsafe pluggy attrs click python-dateutil pytz tzdata six
               vaderSentiment "setuptools>=77" pytest iniconfig pygments)

prepare() {
  mkdir -p "$WHEELS"
  "$PY" -m pip download --quiet --no-deps --only-binary=:all: --python-version 3.11 -d "$WHEELS" \
    "${DEVICE_WHEELS[@]}" || return 1
  # pyarrow's Flight libraries (a quarter of the wheel) are not used by datasets: drop them so
  # everything fits the 64 MiB carry.
  "$PY" - "$WHEELS" <<'EOF' || return 1
import base64, hashlib, pathlib, sys, zipfile
wheels = pathlib.Path(sys.argv[1])
for whl in wheels.glob("pyarrow-*.whl"):
    drop = ("flight",)  # lib.so links the others
    with zipfile.ZipFile(whl) as src:
        names = [n for n in src.namelist() if not any(d in n.rsplit("/", 1)[-1].lower() for d in drop)]
        if len(names) == len(src.namelist()):
            continue
        tmp = whl.with_suffix(".tmp")
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as out:
            record = next(n for n in names if n.endswith(".dist-info/RECORD"))
            rows = []
            for name in names:
                if name == record:
                    continue
                data = src.read(name)
                out.writestr(name, data)
                digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
                rows.append(f"{name},sha256={digest},{len(data)}")
            rows.append(f"{record},,")
            out.writestr(record, "\n".join(rows) + "\n")
    tmp.replace(whl)
    print(f"trimmed {whl.name}: {whl.stat().st_size / 1e6:.1f} MB")
EOF
  # A reward model trained here on CPU by aligntune (tiny Llama base, length + sentiment rules).
  rm -rf "$HOME_DIR/reward_model" "$HOME_DIR/.base"
  "$PY" - "$HOME_DIR" <<'EOF' || return 1
import sys
from pathlib import Path
from aligntune.data.corpus import load_bundled_corpus
from aligntune.demo.tiny_policy import build_tiny_policy
sys.path.insert(0, "tests")
from test_gpu_check import train_reward_model
home = Path(sys.argv[1])
corpus = load_bundled_corpus(300, seed=5)
build_tiny_policy(home / ".base", corpus.texts + corpus.prompts, vocab_size=512, hidden=64, n_head=4,
                  architecture="llama", seed=1)
print("reward model:", train_reward_model(home / ".base", corpus, home / "reward_model", bf16=False))
EOF
  rm -rf "$HOME_DIR/.base"
  du -sh "$HOME_DIR"
}

if [ "${1:-}" = "--prepare" ]; then
  prepare || { echo "gpu_check --prepare failed" >&2; exit 1; }
  exit 0
fi

REPORT="$(mktemp -t gpu_check.XXXXXX.jsonl)"
export GPU_CHECK_REPORT="$REPORT"
note() { "$PY" -c 'import json,sys; print(json.dumps({"check": sys.argv[1], "status": sys.argv[2]}))' "$1" "$2" >> "$REPORT"; }

# 1. What is installed; install what is missing from the carried wheels (never from a network).
if ! "$PY" -c "import trl, datasets, pytest" 2>/dev/null; then
  if [ -d "$WHEELS" ]; then
    if "$PY" -m pip install --quiet --no-index --find-links "$WHEELS" "${DEVICE_WHEELS[@]}" > "$REPORT.pip" 2>&1; then
      note "install trl, datasets, pytest from $WHEELS" "ran"
    else
      note "install trl, datasets, pytest from $WHEELS" "failed: $(tail -c 300 "$REPORT.pip" | tr '\n' ' ')"
    fi
  else
    note "install trl, datasets" "failed: neither installed nor carried ($WHEELS missing: run --prepare here and carry $HOME_DIR)"
  fi
fi
if ! "$PY" -c "import aligntune_backend_trl" 2>/dev/null; then
  if "$PY" -m pip install --quiet --no-deps --no-build-isolation -e . -e plugins/aligntune_rewards_basic \
      -e plugins/aligntune_backend_trl -e plugins/aligntune_backend_unsloth > "$REPORT.pip" 2>&1; then
    note "install aligntune and its plugins (editable, no deps)" "ran"
  else
    note "install aligntune and its plugins" "failed: $(tail -c 300 "$REPORT.pip" | tr '\n' ' ')"
  fi
fi
if ! "$PY" -c "import vllm" 2>/dev/null && [ -d "$WHEELS" ] && ls "$WHEELS"/vllm-* >/dev/null 2>&1; then
  "$PY" -m pip install --quiet --no-index --find-links "$WHEELS" vllm > "$REPORT.pip" 2>&1 \
    && note "install vllm" "ran" || note "install vllm" "failed: $(tail -c 300 "$REPORT.pip" | tr '\n' ' ')"
fi
"$PY" - >> "$REPORT" <<'EOF'
import importlib.metadata as md, json, platform
def version(name):
    try:
        return md.version(name)
    except md.PackageNotFoundError:
        return "-"
try:
    import torch
    cuda = torch.cuda.get_device_name(0) if torch.cuda.is_available() else "no CUDA"
except Exception as exc:
    cuda = f"torch failed: {exc}"
stack = ", ".join(f"{n} {version(n)}" for n in ("torch", "transformers", "trl", "peft", "accelerate", "datasets",
                                                   "vllm", "unsloth", "deepspeed"))
print(json.dumps({"check": "environment", "status": "ran", "ran": f"Python {platform.python_version()}; {cuda}; {stack}"}))
EOF

# 2. The checks (tests marked gpu).
timeout "${GPU_CHECK_TIMEOUT:-420}" "$PY" -m pytest -q -p no:cacheprovider -m gpu tests/test_gpu_check.py --tb=line \
  -o addopts="" > "$REPORT.pytest" 2>&1
rc=$?
[ $rc -eq 124 ] && note "tests" "failed: timed out after ${GPU_CHECK_TIMEOUT:-420} s"
tail -n 3 "$REPORT.pytest"

# 3. One table.
"$PY" - "$REPORT" <<'EOF'
import json, sys
rows = [json.loads(line) for line in open(sys.argv[1], encoding="utf-8") if line.strip()]
head = ("check", "status", "s/step", "peak GiB", "what ran / error")
table = [head] + [(r["check"], r["status"], str(r.get("s_per_step", "")), str(r.get("peak_gib", "")),
                   r.get("error") or r.get("ran", "")) for r in rows]
width = [min(max(len(row[i]) for row in table), 72) for i in range(4)]
for row in table:
    print(" | ".join(cell[:w].ljust(w) for cell, w in zip(row[:4], width)) + " | " + row[4])
EOF
exit 0
