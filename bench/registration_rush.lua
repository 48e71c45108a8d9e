-- wrk script of bench/bench_registration.py: every line of the plan file ("<path> <token>") is
-- sent exactly once, as POST <path> with body {} and that line's bearer token.
--
--   wrk -t 2 -c 1000 -s bench/registration_rush.lua http://127.0.0.1:PORT -- plan.txt 2
--
-- The threads split the lines (line i goes to thread i mod threads). A thread whose lines have
-- all been handed out keeps its connections idle (a long delay()) instead of sending more;
-- when its last answer is in it prints "thread-done" and stops. wrk's main thread still sleeps
-- for its -d, so the caller interrupts it (SIGINT) once every thread is done; done() then prints
-- one RESULT line: the answers by status, and the time from the first request sent to the last
-- answer received (a monotonic clock through LuaJIT's ffi: wrk's own rate divides by -d).

local ffi = require("ffi")
ffi.cdef([[
typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
int clock_gettime(int clock_id, bench_timespec *moment);
]])
local CLOCK_MONOTONIC = 1
local moment = ffi.new("bench_timespec")

local function now_us()
  ffi.C.clock_gettime(CLOCK_MONOTONIC, moment)
  return tonumber(moment.tv_sec) * 1000000 + tonumber(moment.tv_nsec) / 1000
end

local threads = {}

function setup(thread)
  thread:set("thread_number", #threads)
  table.insert(threads, thread)
end

function init(args)
  local thread_count = tonumber(args[2])
  planned_requests = {}
  local index = 0
  for line in io.lines(args[1]) do
    if index % thread_count == thread_number then
      local path, token = line:match("^(%S+) (%S+)$")
      planned_requests[#planned_requests + 1] = wrk.format("POST", path, {
        ["Authorization"] = "Bearer " .. token,
        ["Content-Type"] = "application/json",
      }, "{}")
    end
    index = index + 1
  end
  planned = #planned_requests
  reserved = 0
  sent = 0
  answered = 0
  first_sent_us = 0
  last_answer_us = 0
  statuses = {}
end

-- wrk asks delay() before each request of a connection and calls request() only when that delay
-- has passed, so several connections can be past delay() at once: the lines are handed out here,
-- where the wait is decided, not in request()
function delay()
  if reserved >= planned then
    return 3600 * 1000 -- this thread's lines are all out: wait for their answers, send nothing
  end
  reserved = reserved + 1
  return 0
end

function request()
  if reserved == 0 then
    -- wrk calls the first thread's request() once before the run, to count the requests it
    -- returns (pipelining): not a request sent, so no line is used up
    return planned_requests[1]
  end
  sent = sent + 1
  if sent == 1 then
    first_sent_us = now_us()
  end
  return planned_requests[math.min(sent, planned)]
end

function response(status, headers, body)
  answered = answered + 1
  statuses[status] = (statuses[status] or 0) + 1
  if answered == planned then
    last_answer_us = now_us()
    io.write("thread-done\n")
    io.flush()
    wrk.thread:stop()
  end
end

function done(summary, latency, requests)
  local first, last, answers, total_sent = math.huge, 0, 0, 0
  local by_status = {}
  for _, thread in ipairs(threads) do
    first = math.min(first, thread:get("first_sent_us"))
    last = math.max(last, thread:get("last_answer_us"))
    answers = answers + thread:get("answered")
    total_sent = total_sent + thread:get("sent")
    for status, count in pairs(thread:get("statuses")) do
      by_status[status] = (by_status[status] or 0) + count
    end
  end
  local parts = {}
  for status, count in pairs(by_status) do
    parts[#parts + 1] = string.format('"%d": %d', status, count)
  end
  local errors = summary.errors
  io.write(string.format(
    'RESULT {"sent": %d, "answered": %d, "seconds": %.6f, "p50_ms": %.3f, "p99_ms": %.3f,'
      .. ' "max_ms": %.3f, "statuses": {%s}, "errors": {"connect": %d, "read": %d,'
      .. ' "write": %d, "timeout": %d}}\n',
    total_sent, answers, (last - first) / 1e6, latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000, table.concat(parts, ", "),
    errors.connect, errors.read, errors.write, errors.timeout
  ))
end
