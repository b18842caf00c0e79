#!/usr/bin/env bash
# gan4j and PyTorch side by side on a GPU machine, on the machine's own libtorch (docs/PERFORMANCE.md, "On a GPU").
#
#   bench/gpu/run.sh            (in the checkout, with the bundle of bench/gpu/prepare.sh in .gpu; BUNDLE=DIR for another)
#
# Needs: python3 with a CUDA build of PyTorch (its libtorch serves both sides), g++, an NVIDIA GPU. It builds DJL's JNI
# against that libtorch (about 25 s on 16 cores), then times, each step synchronised with the GPU: gan4j bench (toy,
# dcgan28, dcgan64 at batch 64 and 128, generation, an 8192² matmul; the DCGANs also with DJL's per-parameter Adam,
# -Dgan4j.adam=per-parameter, and without cuDNN's autotuner, which gan4j turns on by default), bench/torch_bench.py
# plain, best, best with nn.ConvTranspose2d + cudnn.benchmark, and that with the fused Adam kernel, operator profiles of both sides' DCGAN 28×28 step
# ($OUT/profile-*.json.gz), `gan4j train` of the d2l toy and (with FASHION=IDX_FILE) of a DCGAN on the GPU, and the same
# models on the CPU cores (both sides on the same libtorch), two rounds (STOP_AFTER_S=N skips what starts after N
# seconds; SKIP_AB=1 leaves out the per-parameter Adam and autotuner-off runs; ONLY_CPU=1 runs only the CPU part,
# shaped by CPU_ROUNDS, CPU_MODELS, CPU_WARMUP and CPU_TOY=0). Results: $OUT/gpu.jsonl and $OUT/cpu.jsonl (OUT defaults to bench/results/gpu-DATE).
# Warm-up: 500 steps per model on the GPU (toy 1,000) on both sides, so that the JVM has compiled gan4j's step: on
# the GPU a step is a few milliseconds of host work, and the runs of 29 November (20 warm-up steps) may have timed
# gan4j's step before the JIT had finished with it (on the CPU the toy needed 2,000 steps, bench/run.sh).
set -u -o pipefail
case "${1:-}" in
  -h|--help) sed -n '2,/^set -u/{/^set -u/d;s/^# \{0,1\}//;p}' "$0"; exit 0 ;;
  "") ;;
  *) echo "bench/gpu/run.sh: takes no arguments (its settings are environment variables, see --help), got '$1'" >&2
     exit 2 ;;
esac
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
BUNDLE=${BUNDLE:-.gpu}
# what it needs, checked before it writes anything (without them it ran on through
# every failure: no set -e)
[ -f "$BUNDLE/jre.tgz" ] && [ -d "$BUNDLE/djl-native" ] || {
  echo "bench/gpu/run.sh: no bundle in $BUNDLE (jre.tgz, djl-native/): run bench/gpu/prepare.sh DJL_NATIVE_DIR first, or set BUNDLE=DIR" >&2
  exit 2; }
python3 -c "import torch" 2>/dev/null || {
  echo "bench/gpu/run.sh: python3 cannot import torch (a CUDA build of PyTorch is needed)" >&2; exit 2; }
[ -n "${ONLY_CPU:-}" ] || command -v nvidia-smi >/dev/null || {
  echo "bench/gpu/run.sh: no NVIDIA GPU here (nvidia-smi not found); ONLY_CPU=1 runs the CPU part only" >&2; exit 2; }
OUT=${OUT:-bench/results/gpu-$(date +%Y%m%d-%H%M)}; mkdir -p "$OUT"
exec 2>&1
t() { echo "== [$SECONDS s] $*"; }
# everything scratch (the JRE, the JNI build, runs, profiles) in a folder of its own, never fixed paths under /tmp
W=$(mktemp -d "${TMPDIR:-/tmp}/gan4j-gpu.XXXXXX"); echo "scratch folder $W (removed at the end)"
trap 'rm -rf "$W"' EXIT
t start; nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv; nproc; free -g | head -2
lscpu | grep -E "Model name|^CPU\(s\)|Thread|Socket" ; which java g++ c++ cmake
PY=python3
TORCH=$($PY -c "import torch,os;print(os.path.dirname(torch.__file__))")
SITE=$(dirname "$TORCH")
$PY -c "import torch;print('torch', torch.__version__, 'cuda', torch.version.cuda, 'cudnn', torch.backends.cudnn.version(), 'abi', torch._C._GLIBCXX_USE_CXX11_ABI, 'threads', torch.get_num_threads())"
ls "$TORCH/lib"
ABI=$($PY -c "import torch;print(int(torch._C._GLIBCXX_USE_CXX11_ABI))")
TV=$($PY -c "import torch;print(torch.__version__.split('+')[0])")
FLAVOR=$($PY -c "import torch;print('cu'+torch.version.cuda.replace('.',''))")
STD=$(grep -rhoE "cxx_std_[0-9]+" "$TORCH/share/cmake" 2>/dev/null | head -1 | sed 's/cxx_std_/c++/'); STD=${STD:-c++17}
echo "std $STD flavor $FLAVOR version $TV"
tar xzf $BUNDLE/jre.tgz -C $W && JAVA=$W/jre/bin/java && $JAVA -version
t "compile JNI"
B=$W/jni; mkdir -p $B; S=$W/src; cp -r $BUNDLE/djl-native $S
# torch 2.x: c10::optional is std::optional; AutoNonVariableTypeMode may be gone
sed -i 's/c10::optional/std::optional/g; s/c10::nullopt/std::nullopt/g' $S/*.cc $S/*.h
grep -rqs "AutoNonVariableTypeMode" "$TORCH/include/c10" "$TORCH/include/ATen" || \
  sed -i 's/torch::AutoNonVariableTypeMode guard;/c10::AutoDispatchBelowADInplaceOrView guard; torch::NoGradGuard no_grad_guard;/' $S/*.cc
cc1() { g++ -c -O2 -fPIC -std=$2 -w -D_GLIBCXX_USE_CXX11_ABI=$ABI -I"$TORCH/include" -I"$TORCH/include/torch/csrc/api/include" \
    -I$BUNDLE/jni-include -I$BUNDLE/jni-include/linux -I$S "$S/$1.cc" -o $B/$1.o 2> $B/$1.err; }
for f in $S/*.cc; do cc1 $(basename "$f" .cc) $STD & done; wait
for e in $B/*.err; do [ -s "$e" ] && { n=$(basename $e .err); echo "retry $n with c++20"; cc1 $n c++20 & }; done; wait
fail=0
for e in $B/*.err; do if [ -s "$e" ]; then echo "--- $e"; head -c 3000 "$e"; fail=1; fi; done
if [ $fail = 0 ]; then
  g++ -shared -o $B/libdjl_torch.so $B/*.o -L"$TORCH/lib" -Wl,--no-as-needed -ltorch -ltorch_cpu -lc10 -ltorch_cuda -lc10_cuda \
    -Wl,-rpath,"$TORCH/lib" && echo "JNI built" || fail=1
else fail=1; fi
t "compile done fail=$fail"
[ $fail = 1 ] && exit 1
CACHE=$(readlink -f $BUNDLE)/djl-cache; mkdir -p $CACHE/pytorch/$TV-$FLAVOR-linux-x86_64
cp $B/libdjl_torch.so $CACHE/pytorch/$TV-$FLAVOR-linux-x86_64/0.35.1-libdjl_torch.so
# DJL counts GPUs through libcudart.so (JNA), which PyTorch's wheels ship only with a version suffix
CUDART=$(readlink -f $BUNDLE)/cudart
RT=$(find "$SITE/nvidia" -name 'libcudart.so*' | head -1); mkdir -p $CUDART; ln -sf "$RT" $CUDART/libcudart.so; echo "cudart $RT"
cat > $BUNDLE/gpu-env.sh <<ENV
# source this, then ./gan4j runs on the GPU with this machine's libtorch (docs/PERFORMANCE.md, "On a GPU")
export PYTORCH_LIBRARY_PATH="$TORCH/lib" PYTORCH_VERSION=$TV PYTORCH_FLAVOR=$FLAVOR ENGINE_CACHE_DIR=$CACHE
export JAVA_OPTS="\${JAVA_OPTS:-} -Djna.library.path=$CUDART"
ENV
echo "to train on the GPU: source $BUNDLE/gpu-env.sh; ./gan4j info (device gpu(0)); ./gan4j train …"
# the bundle's FreeType, fontconfig and fonts, for the plots of gan4j train
FONTS=$(readlink -f $BUNDLE/fonts)
cat > $BUNDLE/fonts/fonts.conf <<CONF
<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig><dir>$FONTS/ttf</dir><cachedir>$W/fontconfig</cachedir></fontconfig>
CONF
echo "export LD_LIBRARY_PATH=$FONTS/lib\${LD_LIBRARY_PATH:+:\$LD_LIBRARY_PATH} FONTCONFIG_FILE=$FONTS/fonts.conf" >> $BUNDLE/gpu-env.sh
export PYTORCH_LIBRARY_PATH="$TORCH/lib" PYTORCH_VERSION=$TV PYTORCH_FLAVOR=$FLAVOR ENGINE_CACHE_DIR=$CACHE
export MALLOC_MMAP_THRESHOLD_=268435456 MALLOC_TRIM_THRESHOLD_=1073741824 MALLOC_ARENA_MAX=1
gan4j() { LD_LIBRARY_PATH=$FONTS/lib FONTCONFIG_FILE=$FONTS/fonts.conf $JAVA -XX:MaxNewSize=128m -XX:+UseParallelGC -XX:-UseAdaptiveSizePolicy -XX:NewSize=128m -Djna.library.path=$CUDART -Dai.djl.offline=true -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  "${JX[@]}" -cp "$BUNDLE/lib/*" org.gan4j.cli.Main "$@"; }
JX=()
cat > $W/many.py <<'PY'
import sys, runpy
sys.path.insert(0, "bench")
import torch_bench
import torch
torch.set_num_interop_threads(1)
torch.set_num_interop_threads = lambda n: None  # may be set once per process
for line in sys.stdin:
    sys.argv = ["torch_bench.py"] + line.split()
    try:
        torch_bench.main()
    except Exception as e:
        print("FAILED", line.strip(), repr(e), flush=True)
PY
if [ -z "${ONLY_CPU:-}" ]; then  # ONLY_CPU=1: only the CPU part (after the JNI build)
t "gan4j GPU"
gan4j info 2>&1 | grep -v AutoNonVariable
gan4j bench --model toy --steps 300 --warmup 1000 --synthetic 2>&1 | grep -v AutoNonVariable | tee -a "$OUT/gpu.jsonl" || { t "gan4j on the GPU failed"; exit 2; }
gan4j bench --model dcgan28 --model generate --steps 100 --warmup 500 --synthetic 2>&1 | grep -v AutoNonVariable | tee -a "$OUT/gpu.jsonl"
gan4j bench --model dcgan64 --steps 100 --warmup 500 2>&1 | grep -v AutoNonVariable | tee -a "$OUT/gpu.jsonl"
gan4j bench --model dcgan64 --batch 128 --steps 100 --warmup 500 2>&1 | grep -v AutoNonVariable | tee -a "$OUT/gpu.jsonl"
gan4j bench --model matmul --size 8192 --steps 20 --warmup 5 2>&1 | grep -v AutoNonVariable | tee -a "$OUT/gpu.jsonl"
if [ -z "${SKIP_AB:-}" ]; then  # SKIP_AB=1: leave out the A/B runs (per-parameter Adam, autotuner off)
t "gan4j GPU, DJL's per-parameter Adam"
JX=(-Dgan4j.adam=per-parameter)
for m in "--model dcgan28 --synthetic" "--model dcgan64" "--model dcgan64 --batch 128"; do
  gan4j bench $m --steps 100 --warmup 500 2>&1 | grep -v AutoNonVariable | sed 's/"side":"gan4j"/"side":"gan4j","adam":"per-parameter"/' | tee -a "$OUT/gpu.jsonl"
done
JX=()
fi
t "gan4j GPU profile"
gan4j bench --model dcgan28 --synthetic --steps 20 --warmup 500 --profile $W/profile-gan4j-dcgan28.json 2>&1 | grep -v AutoNonVariable
gzip -c $W/profile-gan4j-dcgan28.json > "$OUT/profile-gan4j-dcgan28.json.gz"
t "gan4j train on the GPU"
gan4j train --config configs/d2l-gaussian.yaml --out $W/runs/toy --no-progress 2>&1 | grep -v AutoNonVariable | tail -5
tail -2 $W/runs/toy/metrics.jsonl 2>/dev/null | cut -c1-400; ls $W/runs/toy/ 2>/dev/null | head -20
if [ -n "${FASHION:-}" ]; then
  gan4j train --config configs/dcgan-fashion-mnist.yaml --data "$FASHION" --max-steps 1000 --out $W/runs/dcgan --no-progress 2>&1 | grep -v AutoNonVariable | tail -8
  ls $W/runs/dcgan; tail -1 $W/runs/dcgan/metrics.jsonl | cut -c1-600
  tar czf "$OUT/gpu-runs.tgz" -C $W/runs --exclude="checkpoints*" dcgan toy 2>/dev/null; ls -la "$OUT"
fi
t "pytorch GPU"
D="--device cuda --synthetic"
{ for v in "--variant plain" "--variant best" "--variant best --convt native --cudnn-benchmark" \
      "--variant best --convt native --cudnn-benchmark --adam fused"; do
    echo "--model toy --steps 300 --warmup 1000 $D $v"
    echo "--model dcgan28 --steps 100 --warmup 500 $D $v"
    echo "--model dcgan64 --steps 100 --warmup 500 $D $v"
    echo "--model dcgan64 --batch 128 --steps 100 --warmup 500 $D $v"
    echo "--model generate --steps 100 --warmup 500 $D $v"
  done; echo "--model matmul --size 8192 --steps 20 --warmup 5 $D"
  echo "--model dcgan28 --steps 20 --warmup 500 $D --variant best --convt native --cudnn-benchmark --adam fused --profile $W/profile-torch-dcgan28.json"
  } | $PY $W/many.py 2>&1 | tee -a "$OUT/gpu.jsonl"
gzip -c $W/profile-torch-dcgan28.json > "$OUT/profile-torch-dcgan28.json.gz"
[ $SECONDS -gt ${STOP_AFTER_S:-99999} ] && { t "no time for cudnn"; exit 0; }
if [ -z "${SKIP_AB:-}" ]; then
t "gan4j GPU without cudnn benchmark (gan4j turns it on by default)"
JX=(-Dai.djl.pytorch.cudnn_benchmark=false)
for m in "--model dcgan28 --synthetic" "--model dcgan64" "--model dcgan64 --batch 128"; do
  gan4j bench $m --steps 100 --warmup 500 2>&1 | grep -v AutoNonVariable | sed 's/"side":"gan4j"/"side":"gan4j","cudnnBenchmark":false/' | tee -a "$OUT/gpu.jsonl"
done
JX=()
fi
[ $SECONDS -gt ${STOP_AFTER_S:-99999} ] && { t "no time for the CPU part"; exit 0; }
fi
t "CPU, all cores (same libtorch both sides)"
# CPU_ROUNDS, CPU_MODELS (default "dcgan28 dcgan64 generate"), CPU_WARMUP (default 10 steps), CPU_TOY=0 (no toy)
export CUDA_VISIBLE_DEVICES=; JX=()
CPU_MODELS=${CPU_MODELS:-dcgan28 dcgan64 generate}; CPU_WARMUP=${CPU_WARMUP:-10}
for r in $(seq 1 ${CPU_ROUNDS:-2}); do
  # the toy's steps take a millisecond: 2,000 warm-up steps so that the JIT has compiled gan4j's step (bench/run.sh)
  [ "${CPU_TOY:-1}" = 1 ] && gan4j bench --model toy --steps 1000 --warmup 2000 --synthetic 2>&1 | grep -v AutoNonVariable | tee -a "$OUT/cpu.jsonl"
  gan4j bench $(printf -- "--model %s " $CPU_MODELS) --steps 50 --warmup $CPU_WARMUP --synthetic 2>&1 | grep -v AutoNonVariable | tee -a "$OUT/cpu.jsonl"
  { for v in "--variant best" "--variant best --convt native --adam fused" "--variant plain"; do
      [ "${CPU_TOY:-1}" = 1 ] && echo "--model toy --steps 1000 --warmup 2000 --synthetic $v"
      for m in $CPU_MODELS; do echo "--model $m --steps 50 --warmup $CPU_WARMUP --synthetic $v"; done
    done; } | $PY $W/many.py 2>&1 | tee -a "$OUT/cpu.jsonl"
  [ $SECONDS -gt ${STOP_AFTER_S:-99999} ] && break
done
t end
