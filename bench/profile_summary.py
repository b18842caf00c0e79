#!/usr/bin/env python3
"""Summarise a Chrome trace from `gan4j bench --profile` or `bench/torch_bench.py --profile`: self time per operator
(time inside the operator minus the operators it called), summed over all traced steps and divided by --steps.

  /usr/bin/python3 bench/profile_summary.py gan4j.json torch.json --steps 10 --top 25

With two traces the table puts them side by side (ms per step), so the operators where one side loses stand out.
"""
import argparse, collections, gzip, json, sys


def self_times(path):
    try:
        with (gzip.open(path, "rt") if path.endswith(".gz") else open(path)) as f:
            data = json.load(f)
    except (ValueError, EOFError, gzip.BadGzipFile):
        sys.exit(f"profile_summary.py: {path} is not a Chrome trace (JSON, or JSON.gz as bench/gpu/run.sh writes)")
    events = data["traceEvents"] if isinstance(data, dict) else data
    by_thread = collections.defaultdict(list)
    for e in events:
        if e.get("ph") == "X" and "dur" in e and e.get("cat", "cpu_op") in ("cpu_op", "Operator", "operator", ""):
            by_thread[(e.get("pid"), e.get("tid"))].append(e)
    totals = collections.Counter()
    calls = collections.Counter()
    for evs in by_thread.values():
        evs.sort(key=lambda e: (float(e["ts"]), -float(e["dur"])))
        stack = []  # [end, name, time in children, duration]
        for e in evs:
            ts, dur = float(e["ts"]), float(e["dur"])
            while stack and stack[-1][0] <= ts:
                finish(stack, totals)
            if stack:
                stack[-1][2] += dur
            stack.append([ts + dur, e["name"], 0.0, dur])
            calls[e["name"]] += 1
        while stack:
            finish(stack, totals)
    return totals, calls


def finish(stack, totals):
    end, name, child, dur = stack.pop()
    totals[name] += max(dur - child, 0.0)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("traces", nargs="+")
    parser.add_argument("--steps", type=int, default=1, help="traced steps, to report per-step times")
    parser.add_argument("--top", type=int, default=30)
    args = parser.parse_args()
    sides = [self_times(t) for t in args.traces]
    names = collections.Counter()
    for totals, _ in sides:
        names.update(totals)
    header = "operator".ljust(44) + "".join(f"{t[-28:]:>30}" for t in args.traces)
    print(header)
    print("".join(f"{'':44}") + "".join(f"{'ms/step (calls/step)':>30}" for _ in args.traces))
    for name, _ in names.most_common(args.top):
        row = name[:43].ljust(44)
        for totals, calls in sides:
            row += f"{totals[name] / 1000 / args.steps:>20.2f} ({calls[name] / args.steps:>6.0f})"
        print(row)
    row = "all operators".ljust(44)
    for totals, calls in sides:
        row += f"{sum(totals.values()) / 1000 / args.steps:>20.2f} ({sum(calls.values()) / args.steps:>6.0f})"
    print(row)


if __name__ == "__main__":
    try:
        main()
    except OSError as e:  # a missing or unreadable file: one line, not a traceback
        print(f"profile_summary.py: cannot read {e.filename}: {e.strerror}", file=sys.stderr)
        sys.exit(2)
