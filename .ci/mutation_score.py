"""Mutation score of `mutmut results --all true` (read on stdin), checked against a floor.

Usage: mutmut results --all true | python3 .ci/mutation_score.py MIN_PERCENT [PATTERN ...]
Counts the mutants whose names match a PATTERN (fnmatch; all when none is given) and exits 1
when fewer than MIN_PERCENT of them were killed (a timeout counts as killed, as mutmut does).
"""

from __future__ import annotations

import sys
from collections import Counter
from fnmatch import fnmatch


def main(argv: list[str]) -> int:
    floor = float(argv[1])
    patterns = argv[2:] or ["*"]
    counts: Counter[str] = Counter()
    survivors: list[str] = []
    for line in sys.stdin:
        name, _, status = line.strip().partition(": ")
        if not status or not any(fnmatch(name, p) for p in patterns):
            continue
        counts[status] += 1
        if status not in ("killed", "timeout"):
            survivors.append(f"{name}: {status}")
    total = sum(counts.values())
    killed = counts["killed"] + counts["timeout"]
    score = 100.0 * killed / total if total else 0.0
    print(f"mutants {total}: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    print(f"mutation score {score:.1f}% (floor {floor:g}%)")
    if score < floor:
        print("not killed:\n  " + "\n  ".join(survivors))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
