"""Benchmarks: `make bench` (or `python -m tests.bench.run [name…]`), never part of `make test`.

They print figures, they do not pass or fail; only a broken setup (a page that answers
anything but 200) makes them exit non-zero. Each benchmark is a module of this package
listed in `run.BENCHMARKS`; the shared pieces are:

- `environment`: the bench settings and database (`<name>_bench`, kept between runs),
- `data`: the families and the logged-in parent the pages are measured with,
- `server`: the production server (gunicorn, DEBUG=false) started and stopped around a run,
- `load`: the HTTP load client (processes × threads, fixed duration).
"""
