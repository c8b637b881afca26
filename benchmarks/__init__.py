"""Parc Fermé benchmark (issue 6): fan commands, autocomplete, admin, cold start, memory.

Run from the project root with the project's virtualenv::

    .venv/bin/python -m benchmarks            # the full run (S, M = 20 seasons, L = 200 seasons)
    .venv/bin/python -m benchmarks --quick    # a reduced run, well under a minute

Three databases are generated deterministically from ``--seed`` through the project's own
storage code (``repository.insert_season`` inside ``Database.transaction()``, then
``write_derived``) and cached under ``benchmarks/.data/`` keyed by (size, shape, seed, schema
version, generator version):

* **S**: the seeded 2023 season (``seeding.open_ready`` with the default seasons folder);
* **M**: one fictional series, 20 seasons x 7 rounds x 2 races x 40 entries, complete
  classifications with times, a few penalties per season;
* **L**: ten such series.

Every interaction goes through the real ``CommandTree`` with the console's ``Harness`` and
``RecordingAdapter`` (no network). A latency sample is the time from the start of
``Harness.dispatch`` to its return: ``parse_interaction_create``, the command, the recorded
response(s) and the harness waiting for the command's task. Floors measured in the same run:
(a) a do-nothing ``/bench-floor`` command registered on the same tree that replies a constant
embed, and (b) the raw stdlib ``sqlite3`` read of the rows each answer needs.

Results: a table on the terminal (with PASS/MISS against the issue's targets, and cProfile
findings for misses) and ``benchmarks/results.json``.
"""
