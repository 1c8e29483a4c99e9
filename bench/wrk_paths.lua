-- wrk script: rotate over the paths in WRK_PATHS (comma-separated), send the session cookie
-- in WRK_COOKIE, and print one summary line per run that bench/loadtest.py parses.
local paths = {}
for p in string.gmatch(os.getenv("WRK_PATHS") or "/", "([^,]+)") do
  table.insert(paths, p)
end
local cookie = os.getenv("WRK_COOKIE") or ""
local counter = 0

request = function()
  counter = counter + 1
  local path = paths[(counter % #paths) + 1]
  local headers = { ["Host"] = "127.0.0.1" }
  if cookie ~= "" then headers["Cookie"] = cookie end
  return wrk.format("GET", path, headers)
end

done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.status + summary.errors.timeout
  io.write(string.format(
    "RESULT requests=%d duration_s=%.2f rps=%.1f p50_ms=%.1f p95_ms=%.1f p99_ms=%.1f max_ms=%.1f errors=%d non2xx=%d\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, errors, summary.errors.status))
end
