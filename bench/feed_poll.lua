-- wrk script of bench/bench_feeds.py: the requests are wrk's own (the URL and its -H headers),
-- so that no Lua runs per request (wrk sends a fixed request as fast as its fast path allows,
-- and reads the answers without handing them to Lua); done() prints one RESULT line.
--
--   wrk -t 2 -c 50 -d 6s -H 'Accept-Encoding: gzip' -s bench/feed_poll.lua http://127.0.0.1:PORT/feeds/events.ics

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    'RESULT {"requests": %d, "seconds": %.6f, "bytes": %d, "p50_ms": %.3f, "p99_ms": %.3f,'
      .. ' "max_ms": %.3f, "errors": {"connect": %d, "read": %d, "write": %d, "timeout": %d,'
      .. ' "status": %d}}\n',
    summary.requests, summary.duration / 1e6, summary.bytes, latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000, errors.connect, errors.read,
    errors.write, errors.timeout, errors.status
  ))
end
