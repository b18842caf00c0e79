#!/usr/bin/env bash
# gan4j vs PyTorch, side by side on this machine: alternating processes per model and round, medians, ratios, peak RSS.
#
#   bench/run.sh                                   the full benchmark, 3 rounds: 50 timed steps after 150 warm-up
#                                                  steps (the 64×64 DCGANs: after 20, --large-warmup)
#   bench/run.sh --rounds 5 --models "toy dcgan28" --steps 100
#   bench/run.sh --large-steps 10                  fewer steps for the 64×64 DCGANs (slow machines)
#   bench/run.sh --torch-malloc default            PyTorch's best without the allocator settings (runs before AQ)
#   The toy GAN's steps take about half a millisecond: it gets --toy-steps (default 1000) timed steps after
#   --toy-warmup (default 2000) warm-up steps on both sides, so that the JIT has compiled gan4j's step before timing
#   starts (after 200 warm-up steps gan4j's toy step was still 10 % slower and used twice the CPU time of steady state).
#   The same holds for the DCGANs: after 10 warm-up steps gan4j's 28×28 step took 63 / 49 / 43 ms, after 150 steps
#   44 / 36 / 40 ms (3 alternating rounds; PyTorch's best unchanged: 39.5 / 43.0 against 42.5 / 40.6 ms).
#
# Options (a whole number is >= 1, a warm-up >= 0):
#   --rounds N          alternating rounds (default 3)
#   --models "M …"      some of: matmul toy dcgan28 dcgan64 dcgan64-b128 generate (default: all six)
#   --steps N           timed steps per process (default 50; generate: batches of 500; matmul: products)
#   --warmup N          untimed steps first (default 150; matmul: always 10)
#   --large-steps N     timed steps of dcgan64 and dcgan64-b128 (default: --steps)
#   --large-warmup N    warm-up steps of dcgan64 and dcgan64-b128 (default 20)
#   --toy-steps N       timed steps of the toy GAN (default 1000)
#   --toy-warmup N      warm-up steps of the toy GAN (default 2000)
#   --threads N         intra-op threads of every process, both sides (default: GAN4J_THREADS, else all cores)
#   --torch-malloc M    the glibc allocator settings of the PyTorch processes: best (default: PyTorch's best gets
#                       the settings gan4j's launcher uses, the version as users write it glibc's defaults), tuned
#                       (both get them) or default (neither, as runs before AQ)
#   --out DIR           results folder, new or without results.jsonl (default bench/results/YYYYMMDD-HHMMSS)
#   -h, --help          this text
# Environment: GAN4J_BENCH_PYTHON, the Python with PyTorch (default /usr/bin/python3, Debian's python3-torch).
#
# Each model runs in its own process per side and round: gan4j (`gan4j bench`), PyTorch "plain" (as users write it)
# and PyTorch "best" (bench/torch_bench.py). The order of the sides alternates between rounds. Every result line is
# kept in OUT/results.jsonl with the round and the load average, each process's stderr in OUT/logs/; OUT/summary.md
# has the table (median over rounds of each process's median step time), OUT/machine.txt the machine. A process that
# fails or prints no result is named on stderr with the end of its log, and the script then exits 1 after the table.
# Needs Java 17 + Maven (gan4j builds itself) and Debian's python3-torch with OpenBLAS; as root the script installs
# python3-torch and libopenblas0-pthread itself.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
rounds=3
steps=50
warmup=150
large_steps=""
large_warmup=20
toy_steps=1000
toy_warmup=2000
threads="${GAN4J_THREADS:-$(nproc)}"
threads_from="GAN4J_THREADS"
[ -n "${GAN4J_THREADS:-}" ] || threads_from="--threads"
models="matmul toy dcgan28 dcgan64 dcgan64-b128 generate"
out="$root/bench/results/$(date +%Y%m%d-%H%M%S)"
torch_malloc=best

while [ $# -gt 0 ]; do
  case "$1" in
    --rounds|--steps|--warmup|--large-steps|--large-warmup|--toy-steps|--toy-warmup|--threads|--models|--out|--torch-malloc)
      [ $# -ge 2 ] || { echo "bench/run.sh: $1 needs a value (see --help)" >&2; exit 2; } ;;
  esac
  case "$1" in
    --rounds) rounds="$2"; shift 2 ;;
    --steps) steps="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --large-steps) large_steps="$2"; shift 2 ;;
    --large-warmup) large_warmup="$2"; shift 2 ;;
    --toy-steps) toy_steps="$2"; shift 2 ;;
    --toy-warmup) toy_warmup="$2"; shift 2 ;;
    --threads) threads="$2"; threads_from="--threads"; shift 2 ;;
    --models) models="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --torch-malloc) torch_malloc="$2"; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo pipefail/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"; exit 0 ;;
    *) echo "bench/run.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
large_steps="${large_steps:-$steps}"
# a mistyped number or model would otherwise run nothing (or bash would stop on the arithmetic) after the build
positive() {
  [[ "$2" =~ ^[1-9][0-9]*$ ]] || { echo "bench/run.sh: $1 takes a whole number >= 1, got '$2'" >&2; exit 2; }
}
not_negative() {
  [[ "$2" =~ ^[0-9]+$ ]] || { echo "bench/run.sh: $1 takes a whole number >= 0, got '$2'" >&2; exit 2; }
}
positive --rounds "$rounds"; positive --steps "$steps"; positive --large-steps "$large_steps"
positive --toy-steps "$toy_steps"; positive "$threads_from" "$threads"
not_negative --warmup "$warmup"; not_negative --large-warmup "$large_warmup"; not_negative --toy-warmup "$toy_warmup"
known_models="matmul toy dcgan28 dcgan64 dcgan64-b128 generate"
seen=""
[ -n "${models// /}" ] || { echo "bench/run.sh: --models is empty; expected some of: $known_models" >&2; exit 2; }
for model in $models; do
  case " $known_models " in
    *" $model "*) ;;
    *) echo "bench/run.sh: --models: unknown model '$model'; expected some of: $known_models" >&2; exit 2 ;;
  esac
  case " $seen " in
    *" $model "*) echo "bench/run.sh: --models names '$model' twice; name each model once (--rounds repeats them)" >&2; exit 2 ;;
  esac
  seen="$seen $model"
done
# an earlier run's results are never overwritten (a second run with the same --out used to empty its results.jsonl)
if [ -s "$out/results.jsonl" ]; then
  echo "bench/run.sh: --out $out already holds an earlier run's results.jsonl; name a new folder" >&2; exit 2
fi
# gan4j's launcher keeps freed blocks in glibc's heap (see the gan4j script). PyTorch at its best gets the same
# settings: they made its DCGAN steps faster and steadier (28×28 median 48.3 against 52.8 ms, 64×64 617–661 against
# 735–985 ms, alternating processes, 2 December), so the comparison is not against a PyTorch slowed by page faults.
# The version as users write it keeps glibc's defaults, as users run it.
tuned_malloc=(MALLOC_MMAP_THRESHOLD_=268435456 MALLOC_TRIM_THRESHOLD_=1073741824 MALLOC_ARENA_MAX=1)
plain_env=(GAN4J_BENCH_SIDE=torch)
best_env=(GAN4J_BENCH_SIDE=torch)
case "$torch_malloc" in
  best) best_env+=("${tuned_malloc[@]}") ;;
  tuned) best_env+=("${tuned_malloc[@]}"); plain_env+=("${tuned_malloc[@]}") ;;
  default) ;;
  *) echo "bench/run.sh: --torch-malloc takes best, tuned or default, got '$torch_malloc'" >&2; exit 2 ;;
esac

python="${GAN4J_BENCH_PYTHON:-/usr/bin/python3}"
need_packages=()
if [ "$python" = /usr/bin/python3 ]; then
  "$python" -c "import torch" 2>/dev/null || need_packages+=(python3-torch)
  [ -e /usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3 ] || need_packages+=(libopenblas0-pthread)
elif ! "$python" -c "import torch" 2>/dev/null; then
  echo "bench/run.sh: GAN4J_BENCH_PYTHON=$python cannot import torch" >&2; exit 2
fi
if [ ${#need_packages[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "bench: installing ${need_packages[*]}…" >&2
    apt-get install -y -qq "${need_packages[@]}" >/dev/null 2>&1 ||
      { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq "${need_packages[@]}" >/dev/null; }
  else
    echo "bench: the PyTorch reference needs Debian packages: sudo apt-get install ${need_packages[*]}" >&2
    exit 2
  fi
fi

mkdir -p "$out" 2>/dev/null && [ -w "$out" ] ||
  { echo "bench/run.sh: --out $out: cannot create or write that folder" >&2; exit 2; }
results="$out/results.jsonl"
: > "$results"
"$root/gan4j" --version >/dev/null   # builds gan4j when needed, outside the timed window

{
  echo "date: $(date -Iseconds)"
  hypervisor="$(lscpu | sed -n 's/^Hypervisor vendor: *//p')"
  if [ -n "$hypervisor" ]; then virtual="virtualised ($hypervisor)"
  elif grep -qw hypervisor /proc/cpuinfo; then virtual="virtualised (the hypervisor does not name itself)"
  else virtual="not virtualised"; fi
  echo "cpu: $(lscpu | sed -n 's/^Model name: *//p') × $(nproc) cores ($virtual)"
  echo "memory: $(free -g | awk '/Mem:/ {print $2}') GiB"
  echo "kernel: $(uname -r)"
  echo "java: $(java -version 2>&1 | head -1)"
  echo "torch: $("$python" -c 'import torch; print(torch.__version__, "mkldnn" if torch.backends.mkldnn.is_available() else "")')"
  echo "blas (PyTorch): $(readlink -f /usr/lib/x86_64-linux-gnu/libblas.so.3)"
  info="$(GAN4J_QUIET_BUILD=1 "$root/gan4j" info 2>/dev/null || true)"
  echo "mkl code (gan4j): $(sed -n 's/^mkl code *//p' <<< "$info")"
  # oneDNN 3.7 (gan4j's libtorch) sizes its kernels from the caches CPUID reports; some virtual machines report none
  # (the kernel's sysfs then has no cache folder), and oneDNN chooses other kernels (docs/PERFORMANCE.md)
  caches=""
  for index in /sys/devices/system/cpu/cpu0/cache/index*; do
    [ -r "$index/size" ] || continue
    caches+="${caches:+, }L$(cat "$index/level") $(cat "$index/type" | tr 'A-Z' 'a-z') $(cat "$index/size")"
  done
  echo "cpu caches: ${caches:-not reported by CPUID (no /sys/devices/system/cpu/cpu0/cache)}"
  echo "onednn caches (gan4j): $(sed -n 's/^onednn caches *//p' <<< "$info")"
  echo "convolutions (gan4j): $(sed -n 's/^convolutions *//p' <<< "$info")"
  echo "threads: $threads intra-op on both sides"
  echo "command: bench/run.sh --rounds $rounds --steps $steps --warmup $warmup --large-steps $large_steps --large-warmup $large_warmup --toy-steps $toy_steps --toy-warmup $toy_warmup --threads $threads --models \"$models\" --torch-malloc $torch_malloc --out $out"
  # the settings that change either side's speed, as this run had them
  for var in JAVA_OPTS GAN4J_THREADS GAN4J_MALLOC GAN4J_MKL MALLOC_ARENA_MAX MALLOC_MMAP_THRESHOLD_ MALLOC_TRIM_THRESHOLD_ \
             OMP_NUM_THREADS MKL_NUM_THREADS OPENBLAS_NUM_THREADS LD_PRELOAD; do
    [ -z "${!var:-}" ] || echo "environment: $var=${!var}"
  done
} > "$out/machine.txt"
cat "$out/machine.txt" >&2

mkdir -p "$out/logs"
failed=0
record() { # round label command…: the process's JSON lines into results.jsonl, its stderr into logs/
  local round="$1" label="$2"; shift 2
  local load line stdout status=0 found=0 log="$out/logs/round$round-$label.log"
  load="$(cut -d' ' -f1 /proc/loadavg)"
  stdout="$("$@" 2>"$log")" || status=$?
  while IFS= read -r line; do
    case "$line" in
      "{"*) printf '{"round":%d,"load1":%s,"result":%s}\n' "$round" "$load" "$line" >> "$results"; found=1 ;;
    esac
  done <<< "$stdout"
  if [ "$status" != 0 ] || [ "$found" = 0 ]; then
    local reason="exit $status"
    [ "$found" = 1 ] || reason+=", no result"
    echo "bench: $label failed in round $round ($reason); $log ends:" >&2
    tail -n 3 "$log" | sed 's/^/  /' >&2
    failed=$((failed + 1))
  fi
}

for round in $(seq 1 "$rounds"); do
  for model in $models; do
    batch=(); name="$model"; n="$steps"; w="$warmup"
    case "$model" in
      toy) n="$toy_steps"; w="$toy_warmup" ;;
      matmul) w=10 ;;
      dcgan64-b128) name=dcgan64; batch=(--batch 128); n="$large_steps"; w="$large_warmup" ;;
      dcgan64) n="$large_steps"; w="$large_warmup" ;;
    esac
    gan4j=(env GAN4J_QUIET_BUILD=1 GAN4J_THREADS="$threads" "$root/gan4j" bench --model "$name" "${batch[@]}" --steps "$n" --warmup "$w" --threads "$threads")
    plain=(env "${plain_env[@]}" OPENBLAS_NUM_THREADS=1 "$python" "$here/torch_bench.py" --model "$name" "${batch[@]}" --steps "$n" --warmup "$w" --threads "$threads" --variant plain)
    # channels_last is part of PyTorch's best DCGAN formulation (28×28: 8 % less CPU time at one thread, even at two;
    # generation: 62.4 against 68.4 ms per batch of 500, medians of 7 alternating rounds, 30 November)
    layout=(); case "$name" in dcgan*|generate) layout=(--channels-last) ;; esac
    best=(env "${best_env[@]}" OPENBLAS_NUM_THREADS=1 "$python" "$here/torch_bench.py" --model "$name" "${batch[@]}" --steps "$n" --warmup "$w" --threads "$threads" --variant best "${layout[@]}")
    echo "bench: round $round/$rounds, $model (load $(cut -d' ' -f1 /proc/loadavg))" >&2
    if [ "$model" = matmul ]; then
      record "$round" "$model-gan4j" "${gan4j[@]}"; record "$round" "$model-pytorch-best" "${best[@]}"
    elif [ $((round % 2)) = 1 ]; then
      record "$round" "$model-gan4j" "${gan4j[@]}"; record "$round" "$model-pytorch-best" "${best[@]}"
      record "$round" "$model-pytorch-plain" "${plain[@]}"
    else
      record "$round" "$model-pytorch-plain" "${plain[@]}"; record "$round" "$model-pytorch-best" "${best[@]}"
      record "$round" "$model-gan4j" "${gan4j[@]}"
    fi
  done
done

"$python" "$here/summarize.py" "$results" "$out/machine.txt" | tee "$out/summary.md"
echo "bench: results in $out" >&2
if [ "$failed" -gt 0 ]; then
  echo "bench: $failed process(es) failed and are missing from the table; their logs are in $out/logs" >&2
  exit 1
fi
