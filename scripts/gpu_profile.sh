#!/usr/bin/env bash
# Table 3 on a CUDA machine: `harmbench profile` (measured: 10 warm-up + 50 timed forwards, batch 1, fp32 with TF32
# off) for iS²AM and the four CDTNet variants at 1024² and 2048², one result folder each under $OUT, then the table
# beside the paper's rows. A few minutes on a recent GPU.
#
#   scripts/gpu_profile.sh                 # fp32 only
#   VARIANTS=1 scripts/gpu_profile.sh      # also AMP and channels-last at 2048²
#
# Environment: OUT (default results/reference/gpu, committed with its context), DEVICE (default cuda), HARMBENCH (the
# command; default .venv/bin/harmbench, else `harmbench` on PATH, else python3 running harmbench.cli from this
# checkout), and for a dry run on a CPU: SIZES (default "1024 2048"), METHODS (default the five of Table 3) and
# PROFILE_ARGS (more `harmbench profile` options, e.g. "--repeats 1 --warmup 0"). Without CUDA the first profile
# stops the script with one error line.
set -euo pipefail
cd "$(dirname "$0")/.."

OUT=${OUT:-results/reference/gpu}
DEVICE=${DEVICE:-cuda}
if [[ -n "${HARMBENCH:-}" ]]; then
    read -r -a hb <<<"$HARMBENCH"
elif [[ -x .venv/bin/harmbench ]]; then
    hb=(.venv/bin/harmbench)
elif command -v harmbench >/dev/null 2>&1; then
    hb=(harmbench)
else
    export PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}"
    hb=(python3 -c "from harmbench.cli import main; main()")
fi

read -r -a methods <<<"${METHODS:-iss2am cdtnet-256 cdtnet-512 cdtnet-256-sim cdtnet-512-sim}"
read -r -a sizes <<<"${SIZES:-1024 2048}"
read -r -a extra <<<"${PROFILE_ARGS:-}"
for size in "${sizes[@]}"; do
    for method in "${methods[@]}"; do
        echo "== $method @ $size"
        "${hb[@]}" profile --method "$method" --size "$size" --device "$DEVICE" ${extra[@]+"${extra[@]}"} \
            --out "$OUT/$method-$size-$DEVICE"
    done
done

if [[ "${VARIANTS:-0}" == 1 ]]; then
    for method in "${methods[@]}"; do
        "${hb[@]}" profile --method "$method" --size 2048 --device "$DEVICE" --amp --out "$OUT/$method-2048-$DEVICE-amp"
        "${hb[@]}" profile --method "$method" --size 2048 --device "$DEVICE" --channels-last \
            --out "$OUT/$method-2048-$DEVICE-cl"
    done
fi

"${hb[@]}" table --efficiency --paper --format md --out "$OUT/table3.md" "$OUT"
cat "$OUT/table3.md"
