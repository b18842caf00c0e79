#!/usr/bin/python3
"""Turns bench/run.sh's results.jsonl into the markdown table of docs/PERFORMANCE.md.

    /usr/bin/python3 bench/summarize.py bench/results/<run>/results.jsonl [machine.txt]
"""
import json
import re
import statistics
import sys
from collections import defaultdict

ORDER = ["toy", "dcgan28", "dcgan64", "dcgan64-b128", "generate"]


def key(result):
    model = result["model"]
    if model == "dcgan64" and result.get("batch") == 128:
        return "dcgan64-b128"
    return model


def fail(message):
    print(f"summarize.py: {message}", file=sys.stderr)
    sys.exit(2)


def read_text(path):
    try:
        with open(path, encoding="utf-8") as file:
            return file.read()
    except (OSError, UnicodeDecodeError) as e:
        fail(f"cannot read {path}: {getattr(e, 'strerror', None) or e}")


def read_rows(path):
    rows = []
    for number, line in enumerate(read_text(path).splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except ValueError:
            row = None
        if not isinstance(row, dict) or not isinstance(row.get("result"), dict) or "load1" not in row:
            fail(f"{path}:{number} is not a line of bench/run.sh's results.jsonl "
                 '({"round":…,"load1":…,"result":{…}})')
        rows.append(row)
    return rows


def main():
    if len(sys.argv) not in (2, 3) or sys.argv[1] in ("-h", "--help"):
        print("usage: /usr/bin/python3 bench/summarize.py RESULTS.jsonl [machine.txt]",
              file=sys.stdout if len(sys.argv) == 2 else sys.stderr)
        sys.exit(0 if len(sys.argv) == 2 else 2)
    rows = read_rows(sys.argv[1])
    if len(sys.argv) > 2:
        machine = read_text(sys.argv[2])
        print("```")
        print(machine.rstrip())
        print("```\n")
        if "cpu caches: not reported" in machine:
            # the launcher's library named on machine.txt's "onednn caches (gan4j)" line: oneDNN's sizes corrected
            corrected = "the launcher's libgan4j-onednn-caches.so" in machine
            print("**This machine's processor reports no cache sizes** (CPUID leaves 4 and 0x8000001D are empty, as in "
                  "some virtual machines). "
                  + ("gan4j's launcher gave oneDNN 3.7 the sizes of AMD's older cache leaves (or oneDNN's defaults) "
                     "instead of the 1-byte caches it reads here, "
                     if corrected else
                     "gan4j's oneDNN 3.7 sized its kernels for the 1-byte caches it reads here and skipped its brgemm "
                     "convolutions (the launcher's correction was off: slower DCGAN steps, wrong input gradients for "
                     "convolutions with few channels), ")
                  + "while Debian PyTorch's oneDNN 2.6 reads no AMD cache sizes on any machine: the ratios below are "
                  "not those of a machine that reports its caches (docs/PERFORMANCE.md, "
                  "\"Machines that hide their cache sizes\").\n")
        # which PyTorch processes had gan4j's glibc allocator settings (bench/run.sh --torch-malloc; runs whose
        # command line names no such option had none)
        chosen = re.search(r"--torch-malloc (\w+)", machine)
        malloc = chosen.group(1) if chosen else "default"
        print({"best": "PyTorch's best ran with gan4j's glibc allocator settings (MALLOC_ARENA_MAX=1 and its two "
                       "thresholds), PyTorch as users write it with glibc's defaults (bench/run.sh --torch-malloc best).",
               "tuned": "Both PyTorch versions ran with gan4j's glibc allocator settings (--torch-malloc tuned).",
               "default": "Both PyTorch versions ran with glibc's default allocator settings (--torch-malloc default, "
                          "or a run before the option): on machines where page faults are slow that slows PyTorch's "
                          "DCGAN steps, and the ratios against its best then flatter gan4j."}.get(
            malloc, f"PyTorch's allocator settings: --torch-malloc {malloc}.") + "\n")
    by = defaultdict(list)
    per_round = defaultdict(dict)
    loads = []
    for row in rows:
        result = row["result"]
        if "medianSeconds" not in result:
            continue
        by[(key(result), result["side"])].append(result)
        per_round[(key(result), result["side"])][row.get("round", 1)] = result["medianSeconds"]
        loads.append(row["load1"])
    def rate(r, field):
        return r.get(field) or r["gflopsPerSecond"]

    rates = {side: {field: statistics.median(rate(r, field) for r in by[("matmul", side)])
                    for field in ("gflopsPerSecond", "convGflopsPerSecond", "sustainedGflopsPerSecond")}
             for side in ("gan4j", "pytorch-best") if by.get(("matmul", side))}
    # the physical limit: the fastest sustained GEMM measured on this machine (BLAS matmul or a 1×1 convolution)
    peak = max(r["sustainedGflopsPerSecond"] for r in rates.values()) if rates else None
    if peak:
        def text(side):
            r = rates[side]
            return (f"matmul {r['gflopsPerSecond']:.1f}, as a 1×1 convolution "
                    f"**{r['convGflopsPerSecond']:.1f} GFLOP/s**")
        line = "Sustained 2048² GEMM through libtorch, median of rounds: gan4j/DJL (libtorch 2.7.1) " + (
            text("gan4j") if "gan4j" in rates else "–")
        if "pytorch-best" in rates:
            line += "; Debian PyTorch 1.13: " + text("pytorch-best")
        print(line + f". Shares below are of the highest, {peak:.1f} GFLOP/s.\n")
    elif any(model != "matmul" for model, _ in by):
        print("No `matmul` in this run: the GFLOP/s below have no share of the machine's GEMM rate "
              "(add matmul to bench/run.sh --models).\n")
    threads = defaultdict(set)
    for (model, side), results in by.items():
        for r in results:
            if "threads" in r:
                threads[model].add((side, r["threads"]))
    mixed = {model: pairs for model, pairs in threads.items() if len({n for _, n in pairs}) > 1}
    if mixed:
        print("**Warning: the sides did not all run with the same number of intra-op threads**: " + "; ".join(
            f"{model}: " + ", ".join(f"{side} {n}" for side, n in sorted(pairs)) for model, pairs in sorted(mixed.items()))
              + ".\n")
    if loads:
        print(f"Load average (1 min) when each process started: median {statistics.median(loads):.1f}, "
              f"min {min(loads):.1f}, max {max(loads):.1f}.\n")
    print("| model | batch | steps×rounds | gan4j ms | PyTorch best ms | PyTorch plain ms | gan4j / best | gan4j / plain "
          "| CPU s/step gan4j / best / plain | gan4j GFLOP/s (share of the GEMM peak) | best GFLOP/s "
          "| peak RSS MiB gan4j / best / plain | gan4j data wait |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for model in ORDER:
        sides = {side: by.get((model, side)) for side in ("gan4j", "pytorch-best", "pytorch-plain")}
        if not sides["gan4j"]:
            continue
        med = {s: statistics.median(r["medianSeconds"] for r in v) if v else None for s, v in sides.items()}
        # a result written without bench/run.sh's wrapper (gan4j bench alone) has no peak RSS
        rss = {s: max((r["peakRssMiB"] for r in v if "peakRssMiB" in r), default=None) if v else None
               for s, v in sides.items()}

        def ms(s):
            return f"{med[s] * 1000:.2f}" if med[s] is not None else "–"

        def ratio(s):
            return f"**{med['gan4j'] / med[s]:.2f}**" if med[s] else "–"

        g = sides["gan4j"]
        gflops = statistics.median(r["gflopsPerSecond"] for r in g)
        share = f" ({gflops / peak:.0%})" if peak else ""
        best_gflops = (f"{statistics.median(r['gflopsPerSecond'] for r in sides['pytorch-best']):.2f}"
                       if sides["pytorch-best"] else "–")
        wait = (f"{statistics.median(r['dataWaitShare'] for r in g):.2%}" if "dataWaitShare" in g[0] else "–")
        label = model
        if model == "generate":
            label = "generate (10,000 samples)"
            rate = {s: (g[0]["batch"] / med[s] if med[s] else None) for s in med}
            label += " — samples/s: " + " / ".join(f"{rate[s]:.0f}" if rate[s] else "–" for s in med)
        steps = f"{g[0]['steps']}×{len(g)}"
        cpu = {s: statistics.median(r["cpuSecondsPerStep"] for r in v) if v and "cpuSecondsPerStep" in v[0] else None
               for s, v in sides.items()}
        cpu_text = " / ".join(f"{cpu[s] * 1000:.1f} ms" if cpu[s] is not None else "–" for s in cpu)
        rss_text = " / ".join(f"{rss[s]:.0f}" if rss[s] else "–" for s in rss)
        print(f"| {label} | {g[0]['batch']} | {steps} | {ms('gan4j')} | {ms('pytorch-best')} | {ms('pytorch-plain')} "
              f"| {ratio('pytorch-best')} | {ratio('pytorch-plain')} | {cpu_text} | {gflops:.2f}{share} | {best_gflops} | {rss_text} "
              f"| {wait} |")
    targets(by, per_round)


# the performance issue's targets: (model, largest gan4j / PyTorch-best time ratio, what it says)
TARGETS = [
    ("dcgan28", 0.8, "DCGAN 28×28 training step ≤ 0.8 × PyTorch's best"),
    ("dcgan64", 0.8, "DCGAN 64×64 training step, batch 64, ≤ 0.8 × PyTorch's best"),
    ("dcgan64-b128", 0.8, "DCGAN 64×64 training step, batch 128, ≤ 0.8 × PyTorch's best"),
    ("toy", 1.0, "toy GAN step ≤ 1.0 × PyTorch's best"),
    ("generate", 1.0, "generation ≥ PyTorch's samples/s (time ≤ 1.0 ×)"),
]


def targets(by, per_round):
    """Prints each target with the run's ratio (median of the rounds' medians), the ratio per round, and whether it
    is met."""
    lines = []
    for model, limit, what in TARGETS:
        g, b = by.get((model, "gan4j")), by.get((model, "pytorch-best"))
        if not g or not b:
            continue
        ratio = statistics.median(r["medianSeconds"] for r in g) / statistics.median(r["medianSeconds"] for r in b)
        rounds = sorted(set(per_round[(model, "gan4j")]) & set(per_round[(model, "pytorch-best")]))
        each = ", ".join(f"{per_round[(model, 'gan4j')][n] / per_round[(model, 'pytorch-best')][n]:.2f}"
                         for n in rounds)
        lines.append(f"- {what}: **{ratio:.2f} ×** (per round: {each}): {'met' if ratio <= limit else 'not met'}")
    for model in ("dcgan28", "dcgan64"):
        g = by.get((model, "gan4j"))
        if g and "dataWaitShare" in g[0]:
            wait = statistics.median(r["dataWaitShare"] for r in g)
            lines.append(f"- {model}: the trainer's wait for the next batch < 5 % of the step: {wait:.2%}: "
                         f"{'met' if wait < 0.05 else 'not met'}")
    if lines:
        print("\nTargets of the performance issue (gan4j's time / PyTorch's best formulation's):\n")
        print("\n".join(lines))


if __name__ == "__main__":
    main()
