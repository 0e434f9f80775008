-- wrk script: POST /api/v1/rifas/{id}/tickets, one ticket per request, as the jugadores listed in
-- the users file, round robin, each request with a new idempotency key.
--   wrk ... -s purchase.lua http://127.0.0.1:PORT -- RIFA_ID RUN_NONCE USERS_LUA
-- USERS_LUA (written by run.sh) sets `users = {{id = "...", token = "..."}, ...}`.
-- Prints one line that run.sh reads: "RESULT rps=... p50_ms=... p99_ms=... s201=... s409=... other=... errors=..."

local threads = {}
local next_thread = 1

function setup(thread)
  thread:set("thread_no", next_thread)
  next_thread = next_thread + 1
  table.insert(threads, thread)
end

function init(args)
  rifa_id, nonce = args[1], args[2]
  dofile(args[3])
  path = "/api/v1/rifas/" .. rifa_id .. "/tickets"
  counter, s201, s409, other = 0, 0, 0, 0
end

function request()
  counter = counter + 1
  local user = users[(counter + thread_no) % #users + 1]
  local body = string.format('{"user_id":"%s","quantity":1,"idempotency_key":"bench-%s-%d-%d"}', user.id, nonce,
                             thread_no, counter)
  return wrk.format("POST", path, {["Authorization"] = "Bearer " .. user.token,
                                   ["Content-Type"] = "application/json"}, body)
end

function response(status, headers, body)
  if status == 201 then s201 = s201 + 1
  elseif status == 409 then s409 = s409 + 1
  else
    other = other + 1
    if other <= 3 then io.stderr:write("purchase.lua: HTTP " .. status .. ": " .. body .. "\n") end
  end
end

function done(summary, latency, requests)
  local a, b, c = 0, 0, 0
  for _, t in ipairs(threads) do
    a, b, c = a + t:get("s201"), b + t:get("s409"), c + t:get("other")
  end
  local e = summary.errors
  io.write(string.format("RESULT rps=%.1f p50_ms=%.2f p99_ms=%.2f s201=%d s409=%d other=%d errors=%d\n",
                         summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
                         latency:percentile(99) / 1000, a, b, c,
                         e.connect + e.read + e.write + e.timeout))
end
