#!/usr/bin/env bash
# PacGAN (Lin et al., NeurIPS 2018) Table 1 on gan4j: the 2-D ring (8 modes) and grid (25 modes) of VEEGAN, plain GAN
# versus PacGAN4 (D sees 4 samples packed together), over several seeds; prints mean ± standard error of modes
# captured, high-quality samples and reverse KL (2500 generated samples) next to the paper's rows.
#
#   bench/mixtures/run.sh                          # everything: 2 datasets × 2 packings × 3 seeds × 20000 steps
#   CONFIGS=grid25 PACKINGS=4 SEEDS="1 2 3" bench/mixtures/run.sh
#   STEPS=5000 bench/mixtures/run.sh               # shorter runs (not the paper's budget; say so when quoting)
#   bench/mixtures/run.sh --report                 # only aggregate the evaluations already written
#
# Environment: CONFIGS (grid25 ring8), PACKINGS (1 4), SEEDS (1 2 3), STEPS (20000; the paper trains 400 epochs of
# 1000 batches = 400000), PACKED_BATCH (100: packed samples per batch, as in the paper), TRAIN_ARGS (more `gan4j
# train` arguments for new runs, e.g. "--set model.mlp.initStd=0.02"), OUT (bench/mixtures/runs),
# GAN4J_THREADS (intra-op threads per run, default 1), BN_BATCHES (100: batches of precise batch norm before the
# 2500 samples are drawn, as the authors' monitor re-estimates them; 0 = training's running averages). Runs that exist are resumed, not restarted; evaluations are
# written to <run>/eval/eval-step-<STEPS>.json. A 20000-step PacGAN4 run (batch 400 points) takes about 8 minutes
# on one core: gan4j does about 40 steps/s there (two runs side by side on 2 cores, 29 November 2026; 400000 steps
# ≈ 2.8 h), the faithful PyTorch replica (pacgan_torch.py) about 9 (measured earlier on a busier machine).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
CONFIGS="${CONFIGS:-grid25 ring8}"
PACKINGS="${PACKINGS:-1 4}"
SEEDS="${SEEDS:-1 2 3}"
STEPS="${STEPS:-20000}"
PACKED_BATCH="${PACKED_BATCH:-100}"
BN_BATCHES="${BN_BATCHES:-100}"
OUT="${OUT:-$here/runs}"
export GAN4J_THREADS="${GAN4J_THREADS:-1}"
gan4j="$root/gan4j"

step_tag() { printf 'step-%06d' "$1"; }

case "${1:-}" in
  ""|--report) ;;
  -h|--help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) echo "bench/mixtures/run.sh: unknown argument '$1'; expected none (train, evaluate, report), --report or --help" >&2
     exit 2 ;;
esac

if [ "${1:-}" != --report ]; then
  mkdir -p "$OUT"
  for config in $CONFIGS; do
    for packing in $PACKINGS; do
      for seed in $SEEDS; do
        run="$OUT/$config-pack$packing-s$seed"
        if [ ! -f "$run/run.json" ]; then
          echo "== train $run ($STEPS steps)"
          # PacGAN's batch is 100 *packed* samples: 100·m real points and 100·m generated ones per step
          "$gan4j" train --config "$root/configs/$config.yaml" --set "model.packing=$packing" --set "seed=$seed" \
            --set "training.batchSize=$((PACKED_BATCH * packing))" --set "training.steps=400000" \
            ${TRAIN_ARGS:-} --max-steps "$STEPS" --no-progress --out "$run" >"$run.log" 2>&1
        elif [ ! -d "$run/checkpoints/$(step_tag "$STEPS")" ]; then
          echo "== resume $run to $STEPS steps"
          "$gan4j" train --resume "$run" --max-steps "$STEPS" --no-progress >>"$run.log" 2>&1
        fi
        if [ ! -f "$run/eval/eval-$(step_tag "$STEPS").json" ]; then
          "$gan4j" evaluate --run "$run" --checkpoint "$STEPS" -n 2500 --bn-batches "$BN_BATCHES" >/dev/null
        fi
      done
    done
  done
fi

# Aggregate: mean ± standard error over seeds (the evaluation JSON is pretty-printed, one metric per line).
# A value the JSON writes as a string ("NaN": reverse KL with no high-quality sample) or that is missing reads NaN, so
# every seed gives exactly three fields and columns never shift.
metric() {
  local value
  value=$(sed -n "s/^ *\"$2\" : \"\\{0,1\\}\\([-0-9.eE+a-zA-Z]*\\)\"\\{0,1\\},\\{0,1\\}$/\\1/p" "$1" | head -n 1)
  echo "${value:-NaN}"
}
paper() {
  case "$1-$2" in
    ring8-1) echo "6.3 98.2 0.45" ;; grid25-1) echo "17.3 94.8 0.70" ;;
    ring8-4) echo "7.8 95.9 0.07" ;; grid25-4) echo "24.8 93.6 0.04" ;;
    *) echo "- - -" ;;
  esac
}
printf '%-8s %-8s %5s %-15s %-15s %-15s   %s\n' data method seeds "modes" "high-quality %" "reverse KL" "paper (modes / HQ % / KL)"
for config in $CONFIGS; do
  for packing in $PACKINGS; do
    values=""
    n=0
    for seed in $SEEDS; do
      file="$OUT/$config-pack$packing-s$seed/eval/eval-$(step_tag "$STEPS").json"
      [ -f "$file" ] || continue
      values="$values $(metric "$file" modesCaptured) $(metric "$file" highQualityFraction) $(metric "$file" reverseKl)"
      n=$((n + 1))
    done
    method=$([ "$packing" = 1 ] && echo GAN || echo "PacGAN$packing")
    if [ "$n" = 0 ]; then
      printf '%-8s %-8s %5s %s\n' "$config" "$method" 0 "(no evaluation at step $STEPS)"
      continue
    fi
    echo "$values" | awk -v n="$n" -v config="$config" -v method="$method" -v paper="$(paper "$config" "$packing")" '
      # a NaN (e.g. reverse KL of a seed without high-quality samples) is left out of its column only; the column then
      # says over how many seeds it was taken
      { for (i = 1; i <= NF; i++) { k = (i - 1) % 3; v = $i; if (v ~ /^[Nn]a[Nn]$|^-?[Ii]nf/) continue
          v += 0; if (k == 1) v *= 100; c[k]++; s[k] += v; q[k] += v * v } }
      END {
        for (k = 0; k < 3; k++) {
          m[k] = c[k] > 0 ? s[k] / c[k] : 0
          se[k] = c[k] > 1 ? sqrt((q[k] - c[k] * m[k] * m[k]) / (c[k] - 1) / c[k]) : 0
          note[k] = c[k] < n ? sprintf("(%d of %d)", c[k], n) : ""
        }
        split(paper, p, " ")
        printf "%-8s %-8s %5d %6.2f ± %-6.2f%s %6.2f ± %-6.2f%s %6.3f ± %-6.3f%s   %s / %s / %s\n",
          config, method, n, m[0], se[0], note[0], m[1], se[1], note[1], m[2], se[2], note[2], p[1], p[2], p[3]
      }'
  done
done
echo "($STEPS steps per run; 2500 generated samples; high quality = within 3 std of a centre)"
