-- Prints one machine-readable line after a wrk run: requests, duration (µs), errors, p95 (µs).
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("WRK %d %d %d %d %d %d %d %d\n", summary.requests, summary.duration,
    e.connect, e.read, e.write, e.status, e.timeout, latency:percentile(95)))
end
