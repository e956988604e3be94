"""Run every benchmark, each in its own process so their Django set-ups stay apart."""

import os
import subprocess
import sys

from tif_portal.bench import database_url

# The page benchmark loads national data: into a database of its own, never the one in use.
PAGES_DATABASE = os.environ.get("BENCH_PAGES_DATABASE", "tif_bench_pages")

BENCHMARKS = ["tif_portal.bench.dashboard", "tif_portal.bench.http", "tif_portal.bench.pdf", "tif_portal.bench.outbox"]


def main() -> int:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres") or not os.environ.get("REDIS_URL"):
        print("Benchmarks need DATABASE_URL (PostgreSQL) and REDIS_URL.", file=sys.stderr)
        return 1
    env = {**os.environ, "DATABASE_URL": database_url(url, PAGES_DATABASE, fresh=False)}
    subprocess.check_call([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], env=env)
    failed = 0
    for module in BENCHMARKS:
        print(f"\n== {module} ==", flush=True)
        failed |= subprocess.call([sys.executable, "-m", module], env=env) != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
