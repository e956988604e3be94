# Sourced by `make test`: point the tests at the local PostgreSQL and Redis when
# nothing else is configured and they answer.
if [ -z "${DATABASE_URL:-}" ] && command -v pg_isready >/dev/null && pg_isready -q -h 127.0.0.1 -p 5432; then
  export DATABASE_URL="postgres://postgres@127.0.0.1:5432/postgres"
fi
if [ -z "${REDIS_URL:-}" ] && command -v redis-cli >/dev/null && [ "$(redis-cli -h 127.0.0.1 ping 2>/dev/null)" = PONG ]; then
  export REDIS_URL="redis://127.0.0.1:6379/0"
fi
echo "Tests use database ${DATABASE_URL:-SQLite} and broker ${REDIS_URL:-none (tests needing Redis are skipped)}"
