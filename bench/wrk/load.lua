-- wrk script of the benchmark: one request shape per run, ids from a file, and a check of every answer.
--
-- wrk -t<T> -c<C> -d<D> -s load.lua <url> -- <shape> <pick> <ids file or -> <expected text> <T>
--   shape  ping  : GET /ping
--          live  : GET /health/live
--          route : POST /api/v1/conversations/route {"contactId": id}
--          get   : GET /api/v1/contacts/{id}
--   pick   random: each request takes a random id of the file
--          once  : each thread takes its own slice of the file and sends every id of it once; then the thread stops.
--                  Connections still open after their thread's slice is spent send GET /ping, which the counts skip;
--                  requests that never answer (wrk's socket errors and timeouts) stop the thread 12 s after the slice is spent.
--                  Each thread that stops prints SLICE-DONE on stderr.
-- An answer counts as ok when its body contains the expected text. done() prints one line: "RESULT {json}".

local ffi = require("ffi")
ffi.cdef[[
typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
int clock_gettime(int clock, bench_timespec *time);
]]
local clock = ffi.new("bench_timespec")

-- Microseconds on the monotonic clock: wrk's own duration is always the -d time, even when every thread stopped early.
local function now_us()
   ffi.C.clock_gettime(1, clock)
   return tonumber(clock.tv_sec) * 1000000 + math.floor(tonumber(clock.tv_nsec) / 1000)
end

local threads = {}

function setup(thread)
   table.insert(threads, thread)
   thread:set("index", #threads - 1)
end

function init(args)
   shape, pick, file, expected, thread_count = args[1], args[2], args[3], args[4], tonumber(args[5])
   ok, bad, sent = 0, 0, 0
   ids = {}
   if file ~= "-" then
      for line in io.lines(file) do
         if #line > 0 then table.insert(ids, line) end
      end
   end

   first, last = 1, #ids
   if pick == "once" then
      local size = math.floor(#ids / thread_count)
      first = index * size + 1
      last = (index == thread_count - 1) and #ids or (first + size - 1)
   end
   slice = last - first + 1
   math.randomseed(os.time() + index * 7919)
   wrk.headers["Content-Type"] = "application/json"
end

local function next_id()
   if pick == "random" then
      return ids[math.random(#ids)]
   end
   if sent >= slice then
      return nil
   end
   sent = sent + 1
   started_us = started_us or now_us()
   return ids[first + sent - 1]
end

function request()
   -- wrk calls request() once on the first thread's state to check the script, and drops that request: no id for it.
   if index == 0 and not checked then
      checked = true
      return wrk.format("GET", "/ping")
   end
   if shape == "ping" then
      return wrk.format("GET", "/ping")
   end
   if shape == "live" then
      return wrk.format("GET", "/health/live")
   end
   local id = next_id()
   if id == nil then
      return wrk.format("GET", "/ping")
   end
   if shape == "get" then
      return wrk.format("GET", "/api/v1/contacts/" .. id)
   end
   return wrk.format("POST", "/api/v1/conversations/route", nil, '{"contactId":"' .. id .. '"}')
end

-- wrk's main thread sleeps for the whole -d time whatever its threads do: the runner interrupts it (SIGINT, which wrk
-- answers with its normal summary) once every thread has said this line.
function slice_done()
   io.stderr:write("SLICE-DONE\n")
   wrk.thread:stop()
end

function response(status, headers, body)
   if shape ~= "ping" and body == "pong" then
      -- A slice is spent and some of its requests failed (socket error or timeout: no answer ever comes): stop once
      -- wrk's own timeout has surely passed.
      spent_at = spent_at or os.time()
      if os.time() - spent_at > 12 then
         slice_done()
      end
      return
   end
   if string.find(body, expected, 1, true) then
      ok = ok + 1
   else
      bad = bad + 1
      if bad <= 3 then io.stderr:write("unexpected answer " .. status .. ": " .. string.sub(body, 1, 300) .. "\n") end
   end
   if pick == "once" and ok + bad >= slice then
      finished_us = now_us()
      slice_done()
   end
end

function done(summary, latency, requests)
   local total_ok, total_bad = 0, 0
   local first_start, last_finish, all_finished = nil, 0, true
   for _, thread in ipairs(threads) do
      total_ok = total_ok + thread:get("ok")
      total_bad = total_bad + thread:get("bad")
      local started, finished = thread:get("started_us"), thread:get("finished_us")
      if started and (first_start == nil or started < first_start) then first_start = started end
      if finished == nil then all_finished = false elseif finished > last_finish then last_finish = finished end
   end
   -- The measured window: from the first id sent to the last slice answered when every thread spent its slice, else wrk's duration.
   local window = summary.duration
   -- done() runs in wrk's main Lua state, where init() never ran: the pick is read from a thread.
   if threads[1]:get("pick") == "once" and all_finished and first_start then window = last_finish - first_start end
   local e = summary.errors
   io.write(string.format(
      'RESULT {"requests":%d,"durationUs":%d,"windowUs":%d,"bytes":%d,"ok":%d,"bad":%d,' ..
      '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
      '"latencyUs":{"p50":%d,"p90":%d,"p99":%d,"p999":%d,"max":%d,"mean":%.1f}}\n',
      summary.requests, summary.duration, window, summary.bytes, total_ok, total_bad,
      e.connect, e.read, e.write, e.status, e.timeout,
      latency:percentile(50), latency:percentile(90), latency:percentile(99), latency:percentile(99.9),
      latency.max, latency.mean))
end
