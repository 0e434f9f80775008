-- wrk script: GET the URL given to wrk (run.sh passes /api/v1/rifas/{id}). Counts non-200 answers.
-- Prints one line that run.sh reads: "RESULT rps=... p50_ms=... p99_ms=... s200=... other=... errors=..."

local threads = {}

function setup(thread) table.insert(threads, thread) end

function init(args) s200, other = 0, 0 end

function response(status, headers, body)
  if status == 200 then s200 = s200 + 1 else other = other + 1 end
end

function done(summary, latency, requests)
  local a, b = 0, 0
  for _, t in ipairs(threads) do a, b = a + t:get("s200"), b + t:get("other") end
  local e = summary.errors
  io.write(string.format("RESULT rps=%.1f p50_ms=%.2f p99_ms=%.2f s200=%d other=%d errors=%d\n",
                         summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
                         latency:percentile(99) / 1000, a, b, e.connect + e.read + e.write + e.timeout))
end
