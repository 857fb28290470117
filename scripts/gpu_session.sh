#!/usr/bin/env bash
# Every check that needs a GPU, in one command for a lent machine (a few minutes on an H200), so that a session's
# short device time goes to the checks, not to setting them up:
#   1. the tests marked `gpu` (skipped without CUDA): model, LUT, metrics and a whole run on the device against CPU;
#   2. scripts/gpu_eval_pipeline.py: cdtnet-256 at 2048 on the synthetic set, images/s and GPU busy share (issue 10);
#   3. scripts/gpu_profile.sh: Table 3 (time, memory) on this GPU beside the paper's rows.
# It runs with the python3 on PATH and this checkout on PYTHONPATH: the device image has torch, numba, numpy,
# scikit-image, scipy, Pillow, matplotlib, pandas, rich, typer and pytest; the study's web packages are not needed.
# Every step runs even when one before it fails; the exit status is the first failure's.
#
# Results, at most 8 files and none deeper than $OUT (what the device tool brings back): env.txt, gpu_tests.txt,
# eval.txt, gpu_eval_pipeline.json, profile.txt, table3.md and results.tar.gz (the result folders, for
# results/reference/gpu).
#
#   OUT=$OUT scripts/gpu_session.sh                            # on the device machine
#   DEVICE=cpu EVAL_ARGS="--size 64 --limit 4 --warmup 1" SIZES=64 PROFILE_ARGS="--repeats 1 --warmup 0" \
#       OUT=/tmp/dry scripts/gpu_session.sh                    # a dry run here (the gpu tests skip)
set -uo pipefail
cd "$(dirname "$0")/.."
OUT=${OUT:-results/gpu-session}
DEVICE=${DEVICE:-cuda}
PYTHON=${PYTHON:-python3}
export PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}" PYTHONUNBUFFERED=1
mkdir -p "$OUT"
status=0
step() {  # step NAME LOG COMMAND...: run, keep the output in $OUT/LOG, remember the first failure
    local name=$1 log=$2
    shift 2
    echo "== $name" | tee -a "$OUT/$log"
    "$@" 2>&1 | tee -a "$OUT/$log"
    local code=${PIPESTATUS[0]}
    echo "== $name: exit $code" | tee -a "$OUT/$log"
    [[ $status -ne 0 || $code -eq 0 ]] || status=$code
}

{
    date -u
    git rev-parse HEAD 2>/dev/null || echo "(no git)"
    nvidia-smi 2>&1 || echo "(no nvidia-smi)"
    "$PYTHON" -c "import torch, numba, numpy; print('torch', torch.__version__, 'cuda', torch.version.cuda, \
'available', torch.cuda.is_available()); print('numba', numba.__version__, 'numpy', numpy.__version__)"
} >"$OUT/env.txt" 2>&1

read -r -a eval_args <<<"${EVAL_ARGS:-}"
work=$(mktemp -d)
step "gpu tests" gpu_tests.txt "$PYTHON" -m pytest -q -rs -m gpu -p no:cacheprovider tests/cdtnet/test_cdtnet_model.py \
    tests/cdtnet/test_cdtnet_lut.py tests/harmbench/test_metrics_profiles.py tests/harmbench/test_runner_pipeline.py
step "pipelined evaluation" eval.txt "$PYTHON" scripts/gpu_eval_pipeline.py --device "$DEVICE" --out "$work/eval" \
    ${eval_args[@]+"${eval_args[@]}"}
cp "$work/eval/gpu_eval_pipeline.json" "$OUT/" 2>/dev/null
step "Table 3" profile.txt env OUT="$work/gpu" DEVICE="$DEVICE" HARMBENCH="$PYTHON -m harmbench" \
    scripts/gpu_profile.sh
cp "$work/gpu/table3.md" "$OUT/" 2>/dev/null
tar -czf "$OUT/results.tar.gz" -C "$work" . 2>/dev/null
rm -rf "$work"
exit $status
