-- wrk script: wrong logins against one account, paced. Args: email, delay_ms between a
-- connection's requests (connections * 1000 / delay_ms ~ the rate asked for).
-- Prints: "RESULT rps=... p50_ms=... p99_ms=... s401=... s429=... other=... errors=..."

local threads = {}

function setup(thread) table.insert(threads, thread) end

function init(args)
  email = args[1]
  pause = tonumber(args[2] or "33")
  s401, s429, other = 0, 0, 0
  wrk.method = "POST"
  wrk.path = "/api/v1/auth/login"
  wrk.headers["Content-Type"] = "application/json"
  wrk.body = '{"email":"' .. email .. '","password":"not-the-password-1"}'
end

function delay() return pause end

function response(status, headers, body)
  if status == 401 then s401 = s401 + 1 elseif status == 429 then s429 = s429 + 1 else other = other + 1 end
end

function done(summary, latency, requests)
  local a, b, c = 0, 0, 0
  for _, t in ipairs(threads) do a, b, c = a + t:get("s401"), b + t:get("s429"), c + t:get("other") end
  local e = summary.errors
  io.write(string.format("RESULT rps=%.1f p50_ms=%.2f p99_ms=%.2f s401=%d s429=%d other=%d errors=%d\n",
                         summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
                         latency:percentile(99) / 1000, a, b, c, e.connect + e.read + e.write + e.timeout))
end
