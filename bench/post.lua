-- wrk script: POST one JSON body (path in BODY_FILE) and count every status.
-- Both servers answer 202 to a valid payload; any other status (also a 200,
-- which wiretap would send for a payload it ignores) and every socket error
-- is counted and reported, never ignored.
local path = os.getenv("BODY_FILE")
local f = assert(io.open(path, "rb"), "cannot open BODY_FILE " .. tostring(path))
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/json"

local threads = {}

function setup(thread)
    table.insert(threads, thread)
end

function init(args)
    counts = {}
end

function response(status, headers, body)
    counts[status] = (counts[status] or 0) + 1
end

function done(summary, latency, requests)
    local total, totals = 0, {}
    for _, t in ipairs(threads) do
        local c = t:get("counts")
        for status, n in pairs(c) do
            totals[status] = (totals[status] or 0) + n
        end
    end
    local non2xx, non202, parts = 0, 0, {}
    for status, n in pairs(totals) do
        total = total + n
        if status < 200 or status > 299 then non2xx = non2xx + n end
        if status ~= 202 then non202 = non202 + n end
        table.insert(parts, status .. "=" .. n)
    end
    table.sort(parts)
    local e = summary.errors
    local sockerr = e.connect + e.read + e.write + e.timeout
    -- One machine-readable line for intake.sh (latencies in microseconds).
    io.write(string.format(
        "BENCH requests=%d duration_us=%d rps=%.1f p50_us=%d p90_us=%d p99_us=%d max_us=%d non2xx=%d non202=%d sockerr=%d connect=%d read=%d write=%d timeout=%d statuses=%s\n",
        summary.requests, summary.duration, summary.requests / (summary.duration / 1e6),
        latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
        non2xx, non202, sockerr, e.connect, e.read, e.write, e.timeout, table.concat(parts, ",")))
end
