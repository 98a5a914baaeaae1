"""Run the benchmarks: `python -m tests.bench.run [name…]`, all of them without a name.

Options (or BENCH_SECONDS, BENCH_WARMUP, BENCH_ROUNDS, BENCH_PROCESSES, BENCH_THREADS in
the environment, e.g. `BENCH_SECONDS=3 make bench`) shape the load of every benchmark.
Exit status: 0 whatever the figures, 1 when a benchmark could not measure (a page
answering anything but 200, a server that does not start).
"""

import argparse
import importlib
import os
import sys
from dataclasses import fields

from tests.bench.environment import SetupError, configured
from tests.bench.load import Load

# name → module of this package with `run(config: Load) -> int` (its exit status).
# Imported only once Django is set up: the load client's processes re-import this file.
BENCHMARKS = {
    "pages": "tests.bench.pages",
    "rush": "tests.bench.rush",
    "invoicing": "tests.bench.invoicing",
}


def parse(argv: list[str] | None) -> tuple[list[str], Load]:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.run", description=__doc__)
    parser.add_argument("names", nargs="*", metavar="name", help=", ".join(BENCHMARKS))
    for option in fields(Load):
        default = os.environ.get(f"BENCH_{option.name.upper()}", option.default)
        kind = float if option.type in (float, "float") else int
        parser.add_argument(f"--{option.name.replace('_', '-')}", type=kind, default=kind(default))
    args = parser.parse_args(argv)
    unknown = sorted(set(args.names) - set(BENCHMARKS))
    if unknown:
        parser.error(f"unknown benchmark {', '.join(unknown)}; known: {', '.join(BENCHMARKS)}")
    config = Load(**{option.name: getattr(args, option.name) for option in fields(Load)})
    return args.names or list(BENCHMARKS), config


def main(argv: list[str] | None = None) -> int:
    names, config = parse(argv)
    status = 0
    try:
        with configured():
            for name in names:
                print(f"\n== {name}")
                module = importlib.import_module(BENCHMARKS[name])
                try:
                    status |= module.run(config)
                except SetupError as exc:
                    print(f"{name}: cannot measure: {exc}", file=sys.stderr)
                    status = 1
    except KeyboardInterrupt:
        return 130
    return status


if __name__ == "__main__":
    sys.exit(main())
