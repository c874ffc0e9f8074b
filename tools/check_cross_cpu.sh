#!/usr/bin/env bash
# Do the stored notebook outputs hold on another CPU? Runs nbval on the given notebooks
# (default: all) under settings that change floating-point results the way another
# machine would, and prints one line per setting. Usage (from the repository root):
#   bash tools/check_cross_cpu.sh [notebooks/06_classification.ipynb ...]
# Settings: one core (TensorFlow's thread pools shrink to 1), oneDNN on, an AVX2-only
# machine (oneDNN, XLA and OpenBLAS limited to AVX2), a pre-AVX machine (XLA and OpenBLAS
# limited to SSE), and the default. Takes about 3 min per setting for 06 + 07 on 2 cores.
set -uo pipefail
cd "$(dirname "$0")/.."
notebooks=("$@")
[ ${#notebooks[@]} -gt 0 ] || notebooks=(notebooks/*.ipynb)
status=0
run() {
  local name=$1; shift
  local log; log=$(mktemp)
  local start=$SECONDS
  env "$@" .venv/bin/python -m pytest -p no:cacheprovider -q --nbval "${notebooks[@]}" \
    --nbval-sanitize-with tests/nbval_sanitize.cfg >"$log" 2>&1 || status=1
  printf '%-10s %4ss  %s\n' "$name" $((SECONDS - start)) "$(tail -n 1 "$log")"
  grep '^FAILED' "$log" | sed 's/^/           /'
  rm -f "$log"
}
run default
run one-core taskset -c 0
run onednn TF_ENABLE_ONEDNN_OPTS=1
run avx2 TF_ENABLE_ONEDNN_OPTS=1 ONEDNN_MAX_CPU_ISA=AVX2 XLA_FLAGS=--xla_cpu_max_isa=AVX2 \
  OPENBLAS_CORETYPE=Haswell
run sse XLA_FLAGS=--xla_cpu_max_isa=SSE4_2 OPENBLAS_CORETYPE=Prescott
exit $status
