#!/usr/bin/env python3
"""What the training thread does while libtorch's other OpenMP thread waits: `perf` samples of both, matched in time.

On two cores a step is only as fast as its serial part allows: whenever the training thread runs something that is
not split across threads (operator dispatch, autograd's bookkeeping, malloc, the JVM, a kernel whose last chunk is
its own), the OpenMP worker spins in libgomp. This script takes `perf script` output of an unprofiled run, pairs
each sample of the training thread with the worker's sample nearest in time, and reports

  * the share of the run in which the worker waited (so only one core did work), in ms per step with --step-ms;
  * what the training thread ran then, by library and by function (its top entries are where serial time goes).

  ./gan4j bench --model dcgan28 --steps 1500 --warmup 100 &        # or bench/torch_bench.py for PyTorch's side
  sleep 25; perf record -F 1999 -g -p <java pid> -o perf.data -- sleep 15
  perf script -i perf.data -F tid,time,ip,sym,dso > samples.txt
  /usr/bin/python3 bench/perf_threads.py samples.txt --step-ms 33.4

The two threads with the most samples are taken as the training thread and the worker (the one that spends more of
its samples in libgomp); --main and --worker name them instead. JVM frames show as addresses unless the run wrote a
perf map (JAVA_OPTS="-XX:+UnlockDiagnosticVMOptions -XX:+DumpPerfMapAtExit", read when the process has exited).
"""
import argparse
import bisect
import collections
import re
import sys

HEADER = re.compile(r"\s*(\d+)\s+([\d.]+):")
FRAME = re.compile(r"\s*([0-9a-f]+)\s+(.*)\s+\((.*)\)\s*$")


def read(path):
    """Returns [(tid, seconds, symbol, library)] for the leaf frame of each sample."""
    samples = []
    current = None
    with open(path, errors="replace") as f:
        for line in f:
            # a sample's header line starts with its thread id (perf right-aligns short ids with spaces), its
            # call-chain frames with a tab
            if line.strip() and not line.startswith("\t"):
                match = HEADER.match(line)
                current = [int(match.group(1)), float(match.group(2))] if match else None
                # without -g the frame follows on the same line
                rest = line[match.end():] if match else ""
                frame = FRAME.match(rest) if rest.strip() else None
                if current is not None and frame:
                    samples.append(leaf(current, frame))
                    current = None
            elif current is not None and line.strip():
                frame = FRAME.match(line)
                if frame:
                    samples.append(leaf(current, frame))
                current = None
    return samples


def leaf(header, frame):
    ip, symbol, library = frame.groups()
    library = library.rsplit("/", 1)[-1]
    if symbol == "[unknown]":
        symbol = "0x" + ip[:-4] + "…" if len(ip) > 6 else "0x" + ip
    return header[0], header[1], symbol, library


def waiting(sample):
    return "libgomp" in sample[3]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("samples", help="output of perf script -F tid,time,ip,sym,dso")
    parser.add_argument("--main", type=int, help="the training thread's id (default: found from the samples)")
    parser.add_argument("--worker", type=int, help="the OpenMP worker's id (default: found from the samples)")
    parser.add_argument("--step-ms", type=float, help="median step time of the run, to print ms per step")
    parser.add_argument("--window-ms", type=float, default=0.5, help="largest gap between paired samples")
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    samples = read(args.samples)
    by_thread = collections.defaultdict(list)
    for sample in samples:
        by_thread[sample[0]].append(sample)
    busiest = sorted(by_thread, key=lambda t: -len(by_thread[t]))[:2]
    if args.main is None or args.worker is None:
        if len(busiest) < 2:
            sys.exit("perf_threads.py: fewer than two threads have samples; was perf recording the whole process (-p)?")
        busiest.sort(key=lambda t: sum(map(waiting, by_thread[t])) / len(by_thread[t]))
    main_tid = args.main if args.main is not None else busiest[0]
    worker_tid = args.worker if args.worker is not None else busiest[1]
    worker = sorted(by_thread.get(worker_tid, []), key=lambda s: s[1])
    if not by_thread.get(main_tid) or not worker:
        sys.exit(f"perf_threads.py: no samples for thread {main_tid} or {worker_tid}")
    times = [s[1] for s in worker]
    paired = serial = 0
    libraries = collections.Counter()
    symbols = collections.Counter()
    for sample in by_thread[main_tid]:
        i = bisect.bisect_left(times, sample[1])
        nearest = min((worker[j] for j in (i - 1, i) if 0 <= j < len(worker)), key=lambda w: abs(w[1] - sample[1]))
        if abs(nearest[1] - sample[1]) > args.window_ms / 1000:
            continue
        paired += 1
        if waiting(nearest):
            serial += 1
            libraries[sample[3]] += 1
            symbols[(sample[3], sample[2])] += 1
    if paired == 0:
        sys.exit("perf_threads.py: no samples of the two threads fall within --window-ms of each other")
    share = serial / paired
    worker_wait = sum(map(waiting, worker)) / len(worker)
    main_wait = sum(map(waiting, by_thread[main_tid])) / len(by_thread[main_tid])
    print(f"training thread {main_tid}, OpenMP worker {worker_tid}: {paired} paired samples")
    line = f"worker waiting while the training thread works: {100 * share:.1f} % of the time"
    if args.step_ms:
        line += f" ({share * args.step_ms:.2f} ms of a {args.step_ms:g} ms step)"
    print(line)
    print(f"samples in libgomp: worker {100 * worker_wait:.1f} %, training thread {100 * main_wait:.1f} %")
    print("\nthe training thread in that time, by library:")
    for library, count in libraries.most_common(12):
        print(f"{100 * count / paired:7.2f} %  {library}")
    print("\nby function:")
    for (library, symbol), count in symbols.most_common(args.top):
        print(f"{100 * count / paired:7.2f} %  {library[:24]:24}  {symbol[:110]}")


if __name__ == "__main__":
    try:
        main()
    except OSError as e:  # a missing or unreadable file: one line, not a traceback
        print(f"perf_threads.py: cannot read {e.filename}: {e.strerror}", file=sys.stderr)
        sys.exit(2)
