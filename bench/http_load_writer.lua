-- wrk script for bench/http_load.sh: writers. With -t1 -c1 one sequential stream; with more
-- connections, concurrent writers (the server's group commit). Each request POSTs a new capture
-- of one of $PALIMPSEST_LOAD_DOCS documents (default 16) per wrk thread ("load-1-0" …
-- "load-1-15") with a distinct body and capture time, so every write is a new revision. Every acknowledged
-- write (201, or 200 for an unchanged one) is appended to $PALIMPSEST_LOAD_ACKS as
-- "seq doc version"; anything else counts as an error.
local token = os.getenv("PALIMPSEST_LOAD_TOKEN") or "load-token"
local acks_path = os.getenv("PALIMPSEST_LOAD_ACKS") or "acks.txt"
local prefix = os.getenv("PALIMPSEST_LOAD_PREFIX") or "load"
local docs = tonumber(os.getenv("PALIMPSEST_LOAD_DOCS") or "16")
local acks = nil
local n = 0
local errors = 0
local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("thread_index", #threads)  -- a global of that thread's Lua state
end

function init(args)
  acks = io.open(acks_path, "a")
end

function request()
  n = n + 1
  -- Capture times one second apart from 2024-01-01, so they stay increasing per document.
  local t = 1704067200 + n
  local captured = os.date("!%Y-%m-%dT%H:%M:%SZ", t)
  local body = string.format(
    '{"id":"%s-%d-%d","source":"load","title":"Load test article %d","captured_at":"%s",' ..
    '"body":"Paragraph one of write %d.\\n\\nParagraph two, unchanged.\\n\\nParagraph %d."}',
    prefix, thread_index or 1, n % docs, n % docs, captured, n, n)
  return wrk.format("POST", "/api/documents", {
    ["Authorization"] = "Bearer " .. token,
    ["Content-Type"] = "application/json",
  }, body)
end

function response(status, headers, body)
  if status == 201 or status == 200 then
    local seq = body:match('"seq":(%d+)')
    local id = body:match('"id":"([^"]+)"')
    local version = body:match('"version":(%d+)')
    acks:write(string.format("%s %s %s\n", seq or "?", id or "?", version or "?"))
    acks:flush()
  else
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
