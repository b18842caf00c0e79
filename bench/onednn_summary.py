#!/usr/bin/env python3
"""Compare the oneDNN kernels of both sides, primitive by primitive: time per step from oneDNN's verbose log.

Both sides run their convolutions in oneDNN (gan4j through libtorch 2.7.1's oneDNN 3.7, Debian's PyTorch through its
oneDNN 2.6). Its verbose mode prints one line per executed primitive with its wall time; this script sums those
times per primitive and divides by the number of steps the process ran (warm-up and timed), so the kernels can be
compared layer by layer, and the rest of each step (everything outside oneDNN) follows by difference:

  ONEDNN_VERBOSE=1 ./gan4j bench --model dcgan28 --steps 30 --warmup 30 > gan4j.log
  DNNL_VERBOSE=1 OPENBLAS_NUM_THREADS=1 /usr/bin/python3 bench/torch_bench.py --model dcgan28 --variant best \\
      --channels-last --threads 2 --steps 30 --warmup 30 > torch.log
  /usr/bin/python3 bench/onednn_summary.py gan4j.log torch.log --steps 60

Each log's last JSON line (the benchmark's result) gives its median step time, printed next to the kernels' sum.
The verbose mode itself slows the step a little: compare the kernels with each other, not with an unlogged run.

--per-call median counts each primitive at the median of its calls' times (times its calls per step) instead of their
sum: the first calls of a process, in the warm-up, can take several times as long (JIT compilation, first touch of
memory), and a few slow calls in one of a virtual machine's slow periods then inflate the sum (on 2 December a 64×64
log read 190.1 ms of input gradients per step by sum and 157.4 ms by median).
"""
import argparse
import collections
import json
import statistics
import sys


def parse(path, per_call="sum"):
    """Returns ({(kind, implementation, propagation, problem): [milliseconds, calls]}, median step ms or None).

    per_call "median": the milliseconds are the median time of the primitive's calls times their number."""
    totals = collections.defaultdict(lambda: [0.0, 0])
    times = collections.defaultdict(list)
    median = None
    with open(path, errors="replace") as f:
        for line in f:
            line = line.strip()
            if line.startswith("{"):
                try:
                    median = json.loads(line).get("medianSeconds", median)
                except ValueError:
                    pass
                continue
            if not (line.startswith("onednn_verbose") or line.startswith("dnnl_verbose")):
                continue
            fields = line.split(",")
            # oneDNN 3.x: onednn_verbose,v1,primitive,exec,cpu,KIND,IMPL,PROP,...,PROBLEM,TIME
            # oneDNN 2.x: onednn_verbose,exec,cpu,KIND,IMPL,PROP,...,PROBLEM,TIME
            if "exec" not in fields[:4]:
                continue
            at = fields.index("exec")
            if len(fields) < at + 6:
                continue
            try:
                millis = float(fields[-1])
            except ValueError:
                continue
            key = (fields[at + 2], fields[at + 3], fields[at + 4], fields[-2])
            totals[key][0] += millis
            totals[key][1] += 1
            times[key].append(millis)
    if per_call == "median":
        for key, calls in times.items():
            totals[key][0] = statistics.median(calls) * len(calls)
    return totals, None if median is None else median * 1000


def by_kind(totals):
    kinds = collections.Counter()
    for (kind, _, prop, _), (millis, _) in totals.items():
        kinds[kind if kind == "reorder" else f"{kind} {prop}"] += millis
    return kinds


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("logs", nargs="+", help="verbose logs, one per side")
    parser.add_argument("--steps", type=int, required=True, help="steps each process ran, warm-up included")
    parser.add_argument("--top", type=int, default=25, help="primitives listed per log")
    parser.add_argument("--per-call", choices=["sum", "median"], default="sum",
                        help="each primitive's time: the sum of its calls (default), or its median call times its calls")
    args = parser.parse_args()
    if args.steps < 1:
        sys.exit("onednn_summary.py: --steps takes a whole number >= 1")
    sides = []
    for path in args.logs:
        totals, median = parse(path, args.per_call)
        if not totals:
            sys.exit(f"onednn_summary.py: {path} has no oneDNN verbose 'exec' lines "
                     "(run with ONEDNN_VERBOSE=1 for gan4j, DNNL_VERBOSE=1 for PyTorch 1.13)")
        sides.append((path, totals, median))
    for path, totals, median in sides:
        kernels = sum(m for m, _ in totals.values()) / args.steps
        print(f"== {path}: oneDNN {kernels:.2f} ms per step"
              + ("" if median is None else f", median step {median:.2f} ms, outside oneDNN {median - kernels:.2f} ms"))
        ranked = sorted(totals.items(), key=lambda kv: -kv[1][0])[: args.top]
        for (kind, impl, prop, problem), (millis, calls) in ranked:
            print(f"{millis / args.steps:9.2f} ms {calls / args.steps:6.1f} calls  {kind} {prop} {impl}  {problem}")
    print()
    side_kinds = [by_kind(totals) for _, totals, _ in sides]
    kinds = collections.Counter()
    for side in side_kinds:
        kinds.update(side)
    print("kind".ljust(42) + "".join(f"{p[-24:]:>26}" for p, _, _ in sides))
    for kind in sorted(kinds, key=lambda k: -kinds[k]):
        print(kind[:41].ljust(42) + "".join(f"{side[kind] / args.steps:>23.2f} ms" for side in side_kinds))
    print("all".ljust(42) + "".join(f"{sum(m for m, _ in t.values()) / args.steps:>23.2f} ms" for _, t, _ in sides))


if __name__ == "__main__":
    try:
        main()
    except OSError as e:  # a missing or unreadable file: one line, not a traceback
        print(f"onednn_summary.py: cannot read {e.filename}: {e.strerror}", file=sys.stderr)
        sys.exit(2)
