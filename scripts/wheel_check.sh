#!/usr/bin/env bash
# The wheel check (issue 23's install acceptance): what a user gets from this checkout's built wheels.
#
#   1. builds the wheels of aligntune and its three plugins (from a copy of the tracked and untracked,
#      not ignored files, so no stale build/ or *.egg-info folder reaches a wheel) into $HOME_DIR/wheels,
#      and checks each carries its LICENSE and a README;
#   2. makes a fresh venv ($HOME_DIR/venv), installs torch==2.13.0 first (pinned: any other torch request
#      can pull multi-GB CUDA wheels), then `pip install --find-links $HOME_DIR/wheels 'aligntune[all]'`,
#      and checks pip took this project's wheels (0.2.x), not the unrelated aligntune 0.1.x on the index;
#   3. from a directory outside the checkout, with the installed package only: `aligntune plugins`, then a
#      tiny PPO (length rule) and a tiny GRPO with LoRA (peft comes with [all]), a few steps each on CPU;
#   4. `pip install --dry-run --ignore-installed --report ... 'aligntune[unsloth]'`: which trl, unsloth and
#      torch a machine resolves for the Unsloth backend, and whether that trl runs PPO (the guide's
#      algorithm) and GRPO by the trl engines' version ranges, which the unsloth backend runs on.
#
# Heavy (a venv, about 1.5 GB with torch, and two short trainings: about 2 min on 2 cores); needs the
# package index (or a wheelhouse) pip is configured with. Ends with one line per check, "ok" or "FAILED".
#
#   bash scripts/wheel_check.sh
#
# Environment: WHEEL_CHECK_HOME (default /tmp/aligntune-wheel-check; its wheels/, venv/, src/ and run/ are
# replaced), PYTHON (makes the venv; default python3.11, else python3), BUILD_PYTHON (builds the wheels
# without build isolation, so it needs setuptools>=77; default .venv/bin/python), WHEEL_CHECK_TORCH
# (default torch==2.13.0, the CPU build this machine's pip finds first), WHEEL_CHECK_REF (build from this
# commit, e.g. HEAD, instead of the working tree).
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
HOME_DIR="$(realpath -m "${WHEEL_CHECK_HOME:-/tmp/aligntune-wheel-check}")"
if [ -n "${PYTHON:-}" ]; then PY="$PYTHON"; elif command -v python3.11 >/dev/null; then PY=python3.11; else PY=python3; fi
if [ -n "${BUILD_PYTHON:-}" ]; then BPY="$BUILD_PYTHON"; elif [ -x "$ROOT/.venv/bin/python" ]; then BPY="$ROOT/.venv/bin/python"; else BPY=python3; fi
TORCH="${WHEEL_CHECK_TORCH:-torch==2.13.0}"
WHEELS="$HOME_DIR/wheels" VENV="$HOME_DIR/venv" SRC="$HOME_DIR/src" RUN="$HOME_DIR/run"
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 HF_DATASETS_OFFLINE=1 TRL_EXPERIMENTAL_SILENCE=1
export TOKENIZERS_PARALLELISM=false PYTHONUNBUFFERED=1
RESULTS=()
result() { RESULTS+=("$1: $2"); echo "== $1: $2"; }
finish() { echo; echo "wheel check ($HOME_DIR):"; printf '  %s\n' "${RESULTS[@]}"; exit "$1"; }

mkdir -p "$HOME_DIR" && rm -rf "$WHEELS" "$VENV" "$SRC" "$RUN" && mkdir -p "$WHEELS" "$SRC" "$RUN"
unset PYTHONPATH
cd "$RUN"  # every check runs outside the checkout (its *.egg-info would shadow the installed metadata)

# 1. Wheels.
if [ -n "${WHEEL_CHECK_REF:-}" ]; then
  git -C "$ROOT" archive "$WHEEL_CHECK_REF" | tar -xf - -C "$SRC"
else
  (cd "$ROOT" && git ls-files -z --cached --others --exclude-standard \
     | tar --null --ignore-failed-read -T - -cf - 2>/dev/null) | tar -xf - -C "$SRC"
fi
DISTS=("$SRC" "$SRC/plugins/aligntune_rewards_basic" "$SRC/plugins/aligntune_backend_trl" "$SRC/plugins/aligntune_backend_unsloth")
if "$BPY" -m pip wheel --quiet --no-deps --no-build-isolation -w "$WHEELS" "${DISTS[@]}"; then
  if "$BPY" - "$WHEELS" <<'EOF'
import sys, zipfile
from email.parser import Parser
from pathlib import Path
bad = []
for whl in sorted(Path(sys.argv[1]).glob("*.whl")):
    with zipfile.ZipFile(whl) as z:
        names = z.namelist()
        meta = Parser().parsestr(z.read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode())
    has_license = any(n.endswith("LICENSE") and ".dist-info/" in n for n in names)
    readme = len(meta.get_payload() or "")
    print(f"  {whl.name}: LICENSE {'yes' if has_license else 'NO'}, README {readme} chars, "
          f"{len(meta.get_all('Classifier') or [])} classifiers")
    if not has_license or readme < 200:
        bad.append(whl.name)
sys.exit(1 if bad or len(list(Path(sys.argv[1]).glob("*.whl"))) != 4 else 0)
EOF
  then result "build 4 wheels (LICENSE, README)" "ok"; else result "build 4 wheels (LICENSE, README)" "FAILED"; fi
else
  result "build wheels" "FAILED"; finish 1
fi

# 2. A fresh venv: torch first, then aligntune[all] from the wheels.
"$PY" -m venv "$VENV" || { result "venv" "FAILED"; finish 1; }
VPY="$VENV/bin/python"
"$VPY" -m pip install --quiet --upgrade pip  # a pip that reads wheel metadata alone (the dry run below)
"$VPY" -m pip install --quiet "$TORCH" || { result "install $TORCH" "FAILED"; finish 1; }
if "$VPY" -m pip install --find-links "$WHEELS" 'aligntune[all]' > "$HOME_DIR/install_all.log" 2>&1; then
  grep -E "^Processing $WHEELS/" "$HOME_DIR/install_all.log" | sed "s#$WHEELS/#wheels/#; s/^/  /"
  echo "  $(tail -n 1 "$HOME_DIR/install_all.log" | wc -w) distributions installed (log: $HOME_DIR/install_all.log)"
  if "$VPY" - "$ROOT" <<'EOF'
import importlib.metadata as md, sys
from pathlib import Path
root = Path(sys.argv[1]).resolve()
ok = True
for name in ("aligntune", "aligntune-rewards-basic", "aligntune-backend-trl", "aligntune-backend-unsloth"):
    dist = md.distribution(name)
    where = Path(dist.locate_file("")).resolve()
    ours = dist.version.startswith("0.2") and root not in where.parents and "site-packages" in str(where)
    ok &= ours
    print(f"  {name} {dist.version} in {where}{'' if ours else '  <- not this project, or not from the wheels'}")
print("  " + ", ".join(f"{n} {md.version(n)}" for n in ("torch", "transformers", "trl", "peft", "datasets")))
sys.exit(0 if ok else 1)
EOF
  then result "pip install --find-links wheels 'aligntune[all]' resolves this project" "ok"
  else result "pip install --find-links wheels 'aligntune[all]' resolves this project" "FAILED"; fi
  "$VPY" -m pip check | tail -n 3
else
  tail -n 20 "$HOME_DIR/install_all.log"; result "pip install --find-links wheels 'aligntune[all]'" "FAILED"; finish 1
fi

# 3. PPO and GRPO through the installed package, outside the checkout.
"$VENV/bin/aligntune" plugins | sed 's/^/  /'
for algorithm in ppo grpo; do
  if "$VPY" - "$algorithm" "$ROOT" <<'EOF'
import json, sys, time
from pathlib import Path
import aligntune
from aligntune import create_rl_trainer
from aligntune.data.corpus import load_bundled_corpus
from aligntune.demo.tiny_policy import build_tiny_policy

algorithm, root = sys.argv[1], Path(sys.argv[2]).resolve()
assert root not in Path(aligntune.__file__).resolve().parents, f"aligntune imported from the checkout: {aligntune.__file__}"
here = Path.cwd()
corpus = load_bundled_corpus(200, seed=1)
policy = here / "policy"
if not policy.is_dir():
    build_tiny_policy(policy, corpus.texts + corpus.prompts, vocab_size=512, hidden=32, seed=1)
prompts = here / "prompts.jsonl"
prompts.write_text("".join(json.dumps({"prompt": p}) + "\n" for p in sorted(set(corpus.prompts))[:16]))
common = dict(model_name=str(policy), dataset_name=str(prompts), backend="trl", reward_functions=["length"],
              output_dir=str(here / algorithm), seed=0)
if algorithm == "ppo":
    trainer = create_rl_trainer(algorithm="ppo", batch_size=4, num_epochs=1, max_samples=8, response_length=12,
                                num_ppo_epochs=1, learning_rate=1e-4, **common)
else:  # LoRA: peft comes with aligntune[all]
    trainer = create_rl_trainer(algorithm="grpo", batch_size=2, num_generations=2, total_episodes=8,
                                response_length=8, learning_rate=1e-3,
                                peft_config={"r": 4, "lora_alpha": 8, "target_modules": ["c_attn"]}, **common)
start = time.perf_counter()
trainer.train()
saved = Path(trainer.save_model())
print(f"  {algorithm}: trained in {time.perf_counter() - start:.1f} s with aligntune {aligntune.__version__} from "
      f"{Path(aligntune.__file__).parent}; saved {sorted(p.name for p in saved.iterdir())[:4]}")
EOF
  then result "$algorithm from the installed wheels (outside the checkout)" "ok"
  else result "$algorithm from the installed wheels (outside the checkout)" "FAILED"; fi
done

# 4. What 'aligntune[unsloth]' resolves (metadata only: nothing is downloaded in full or installed).
if timeout 900 "$VPY" -m pip install --quiet --dry-run --ignore-installed --find-links "$WHEELS" --report "$HOME_DIR/unsloth.json" \
     'aligntune[unsloth]' > "$HOME_DIR/unsloth_dry_run.log" 2>&1; then
  if "$VPY" - "$HOME_DIR/unsloth.json" <<'EOF'
import json, sys
from aligntune_backend_trl.backend import TRL_RANGES, _version_tuple
items = {i["metadata"]["name"].lower(): i["metadata"]["version"] for i in json.load(open(sys.argv[1]))["install"]}
cuda = sorted(n for n in items if n.startswith("nvidia-"))
print(f"  resolves: aligntune {items.get('aligntune')}, trl {items.get('trl')}, unsloth {items.get('unsloth')}, "
      f"unsloth_zoo {items.get('unsloth-zoo', items.get('unsloth_zoo'))}, torch {items.get('torch')}, "
      f"{len(cuda)} nvidia-* wheels, {len(items)} packages in all")
trl = items.get("trl")
accepted = {a: trl is not None and TRL_RANGES[a][0] <= _version_tuple(trl) < TRL_RANGES[a][1] for a in ("ppo", "grpo")}
print(f"  trl {trl}: " + ", ".join(f"{a} {'accepted' if ok else 'REFUSED'}" for a, ok in accepted.items()))
sys.exit(0 if all(accepted.values()) and items.get("aligntune", "").startswith("0.2") else 1)
EOF
  then result "pip install --dry-run 'aligntune[unsloth]': a trl the unsloth backend runs PPO and GRPO with" "ok"
  else result "pip install --dry-run 'aligntune[unsloth]': a trl the unsloth backend runs PPO and GRPO with" "FAILED"; fi
else
  tail -n 15 "$HOME_DIR/unsloth_dry_run.log"; result "pip install --dry-run 'aligntune[unsloth]'" "FAILED"
fi

failed=0
for line in "${RESULTS[@]}"; do case "$line" in *FAILED) failed=1 ;; esac; done
finish "$failed"
