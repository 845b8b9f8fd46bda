-- wrk script for bench/http_load.sh: readers. Each request is the next of a fixed mix of read
-- routes (list, current document, a revision, revisions, diff, unified diff, events); any status
-- other than 200/304 counts as an error. $PALIMPSEST_LOAD_DOC names the document.
local doc = os.getenv("PALIMPSEST_LOAD_DOC") or "001_c82fb13b72988b3d"
local paths = {
  "/api/documents?limit=10",
  "/api/documents/" .. doc,
  "/api/documents/" .. doc .. "?rev=1",
  "/api/documents/" .. doc .. "/revisions",
  "/api/documents/" .. doc .. "/diff",
  "/api/documents/" .. doc .. "/diff?from=1&to=2",
  "/api/events?after=0&limit=20",
}
local counter = 0
local errors = 0
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function request()
  counter = counter + 1
  return wrk.format("GET", paths[(counter % #paths) + 1])
end

function response(status, headers, body)
  if status ~= 200 and status ~= 304 then
    errors = errors + 1
  end
end

function done(summary, latency, requests)
  local bad = 0
  for _, t in ipairs(threads) do
    bad = bad + (t:get("errors") or 0)
  end
  io.write(string.format(
    "RESULT requests=%d seconds=%.2f rps=%.1f p50_ms=%.2f p99_ms=%.2f max_ms=%.2f " ..
    "status_errors=%d socket_errors=%d\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000, bad,
    summary.errors.connect + summary.errors.read + summary.errors.write +
      summary.errors.timeout + summary.errors.status))
end
