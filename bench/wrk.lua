-- The one wrk script of bench/run.sh (bench/harness.py builds its arguments):
--   wrk -t2 -c64 -d10s -s bench/wrk.lua http://127.0.0.1:PORT -- METHOD PATH BODY COUNT
-- PATH and BODY may hold {id}: 1,000 requests with random row ids in 1..99991 are made up front and
-- sent in turn (a Lua call per request); without {id} the request is static (no Lua per request).
-- COUNT = 1 counts responses by status, and 503s by the problem "type" of their JSON body (a Lua
-- call per response: the saturation runs only). done() prints one line: "WRKJSON {...}".

local threads = {}
local next_seed = 1

function setup(thread)
   thread:set("seed", next_seed)
   next_seed = next_seed + 1
   table.insert(threads, thread)
end

statuses = {}
problems = {}

local requests = {}
local count, index = 0, 0

function init(args)
   local method, path, body, counting = args[1], args[2], args[3], args[4]
   local headers = {}
   for name, value in pairs(wrk.headers) do
      headers[name] = value
   end
   if body == nil or body == "" then
      body = nil
   else
      headers["Content-Type"] = "application/json"
   end
   if path:find("{id}", 1, true) or (body and body:find("{id}", 1, true)) then
      math.randomseed(seed * 7919)
      for i = 1, 1000 do
         local id = tostring(math.random(1, 99991))
         local p = (path:gsub("{id}", id))
         local b = body and (body:gsub("{id}", id))
         requests[i] = wrk.format(method, p, headers, b)
      end
      count = #requests
      request = function()
         index = index % count + 1
         return requests[index]
      end
   else
      wrk.method, wrk.path, wrk.headers, wrk.body = method, path, headers, body
   end
   if counting == "1" then
      response = function(status, headers, body)
         statuses[status] = (statuses[status] or 0) + 1
         if status == 503 then
            local kind = body and body:match('"type"%s*:%s*"([^"]*)"') or "(no problem type)"
            problems[kind] = (problems[kind] or 0) + 1
         end
      end
   end
end

local function json_map(map)
   local parts = {}
   for key, value in pairs(map) do
      parts[#parts + 1] = string.format('"%s":%d', (tostring(key):gsub('[\\"]', '')), value)
   end
   return "{" .. table.concat(parts, ",") .. "}"
end

function done(summary, latency, requests)
   local all_statuses, all_problems = {}, {}
   for _, thread in ipairs(threads) do
      for status, n in pairs(thread:get("statuses") or {}) do
         all_statuses[status] = (all_statuses[status] or 0) + n
      end
      for kind, n in pairs(thread:get("problems") or {}) do
         all_problems[kind] = (all_problems[kind] or 0) + n
      end
   end
   local e = summary.errors
   io.write(string.format(
      'WRKJSON {"requests":%d,"duration_us":%d,"bytes":%d,' ..
      '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
      '"latency_us":{"mean":%.1f,"stdev":%.1f,"max":%d,"p50":%d,"p90":%d,"p99":%d,"p999":%d},' ..
      '"statuses":%s,"problems":%s}\n',
      summary.requests, summary.duration, summary.bytes,
      e.connect, e.read, e.write, e.status, e.timeout,
      latency.mean, latency.stdev, latency.max,
      latency:percentile(50), latency:percentile(90), latency:percentile(99), latency:percentile(99.9),
      json_map(all_statuses), json_map(all_problems)))
end
