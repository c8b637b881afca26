"""``python -m benchmarks [--quick]``: see :mod:`benchmarks`."""

from benchmarks.run import main

raise SystemExit(main())
