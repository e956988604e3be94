"""Run every benchmark, each in its own process so their Django set-ups stay apart."""

import subprocess
import sys

BENCHMARKS = ["tif_portal.bench.dashboard", "tif_portal.bench.pdf", "tif_portal.bench.outbox"]


def main() -> int:
    failed = 0
    for module in BENCHMARKS:
        print(f"\n== {module} ==", flush=True)
        failed |= subprocess.call([sys.executable, "-m", module]) != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
