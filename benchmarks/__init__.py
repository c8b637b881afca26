"""Parc Fermé benchmark (issue 6): fan commands, autocomplete, admin, cold start, memory.

Run from the project root with the project's virtualenv::

    .venv/bin/python -m benchmarks            # the full run (S, M = 20 seasons, L = 200 seasons)
    .venv/bin/python -m benchmarks --quick    # a reduced run, well under a minute

Options: ``--seed N`` (default 2024), ``--out PATH`` (default ``benchmarks/results.json``),
``--data-dir PATH`` (default ``benchmarks/.data``), ``--profile`` / ``--no-profile`` (cProfile
of every missed target; on by default in the full run only), ``--tiny`` (seconds; what the
smoke test ``tests/test_benchmark_smoke.py`` runs). Run it on an otherwise idle machine: it reports
involuntary context switches and warns when other processes took the CPU.

Three databases are generated deterministically from ``--seed`` through the project's own
storage code (``repository.insert_season`` inside ``Database.transaction()``) and cached
under ``benchmarks/.data/`` keyed by (size, shape, seed, schema version, generator version):

* **S**: the seeded 2023 season (``seeding.open_ready`` with the default seasons folder);
* **M**: one fictional series, 20 seasons x 7 rounds x 2 races x 40 entries, complete
  classifications with times, a few penalties per season;
* **L**: ten such series.

Every interaction goes through the real ``CommandTree`` with the console's ``Harness`` and
``RecordingAdapter`` (no network). A latency sample is the time from the start of
``Harness.dispatch`` to its return: ``parse_interaction_create``, the command, the recorded
response(s) and the harness waiting for the command's task. Floors measured in the same run:
(a) a do-nothing ``/bench-floor`` command registered on the same tree that replies a constant
embed, sampled alternately with each command (``ratio_to_floor`` = p50 of the command over
p50 of those floor samples), and (b) the raw stdlib ``sqlite3`` read of the rows each answer
needs. Throughput: 100 payloads handed to ``parse_interaction_create`` at once, then settled,
repeated; batches of the public-command mix alternate with batches of the floor command.
``/penalty add`` is previewed and confirmed (Confirm pressed) on a per-run copy of each
database, so every run starts from the same data. The cold start is the wall time of
``parcferme ask "/standings rookie"`` on S (median of several processes); the peak RSS is
``VmHWM`` of a child process that loads L as ``parcferme run`` would and answers a few
commands (``benchmarks/rss_child.py``).

Modules: ``datasets`` (generator and cache), ``cases`` (what is asked, and the SQL of the
floor b), ``measure`` (timing through the harness), ``procs`` (subprocess measurements),
``report`` (tables, targets, JSON), ``run`` (the command line).

Results: a table on the terminal (with PASS/MISS against the issue's targets, and cProfile
findings for misses) and ``benchmarks/results.json``.
"""
