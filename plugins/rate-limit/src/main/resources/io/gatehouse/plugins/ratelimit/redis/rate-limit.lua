-- Gatehouse rate limits, one round trip per decision. Mirrors the Java algorithms of
-- io.gatehouse.plugins.ratelimit.limit (TokenBucket, SlidingWindow, Gcra), with times in
-- microseconds.
--
-- KEYS: one per limit that applies to the request.
-- ARGV[1]: "acquire" (admit one request of cost ARGV[3] if every limit allows it, and charge
--          nothing anywhere otherwise) or "charge" (add ARGV[3] requests admitted elsewhere,
--          whatever the limits say, and return each key's state).
-- ARGV[2]: now in microseconds, or 0 for the Redis server's TIME (the same clock for every
--          Gatehouse instance).
-- ARGV[3]: the cost.
-- Then four values per key: algorithm (1 token bucket, 2 sliding window, 3 GCRA), count,
-- period in microseconds, burst.
--
-- acquire returns {admitted, then per key: admitted, remaining, reset us, retry-after us}.
-- charge returns, per key: {level, previous, elapsed us} (level as a string: it is fractional).

local mode = ARGV[1]
local now = tonumber(ARGV[2])
if now == 0 then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000000 + tonumber(t[2])
end
local cost = tonumber(ARGV[3])
local charge = mode == 'charge'

local function num(s)
  return string.format('%.17g', s)
end

local function int(s)
  return string.format('%.0f', s)
end

local out = {}
local writes = {}
local all = 1

for i = 1, #KEYS do
  local key = KEYS[i]
  local base = 3 + (i - 1) * 4
  local algo = tonumber(ARGV[base + 1])
  local count = tonumber(ARGV[base + 2])
  local period = tonumber(ARGV[base + 3])
  local burst = tonumber(ARGV[base + 4])
  local ok, remaining, reset, retry = 1, 0, 0, 0
  local level, previous, elapsed = 0, 0, 0

  if algo == 1 then
    local h = redis.call('HMGET', key, 't', 'ts')
    local tokens = tonumber(h[1]) or burst
    local ts = tonumber(h[2]) or now
    if now > ts then
      tokens = math.min(burst, tokens + (now - ts) * count / period)
      ts = now
    end
    local fill = burst * period / count
    if charge or tokens >= cost - 1e-9 then
      tokens = tokens - cost
      remaining = math.floor(math.max(0, tokens + 1e-9))
      reset = math.ceil((burst - tokens) * period / count)
    else
      ok = 0
      reset = math.ceil((burst - tokens) * period / count)
      retry = math.ceil((cost - tokens) * period / count)
    end
    level = tokens
    writes[i] = function()
      redis.call('HSET', key, 't', num(tokens), 'ts', int(ts))
      redis.call('PEXPIRE', key, math.ceil(fill / 1000) + 1000)
    end
  elseif algo == 2 then
    local h = redis.call('HMGET', key, 'w', 'c', 'p')
    local window = math.floor(now / period)
    local stored = tonumber(h[1])
    local c, p = 0, 0
    if stored == window then
      c, p = tonumber(h[2]) or 0, tonumber(h[3]) or 0
    elseif stored == window - 1 then
      p = tonumber(h[2]) or 0
    end
    local start = window * period
    local into = now - start
    local estimate = p * (1 - into / period) + c
    if charge or estimate + cost <= count + 1e-9 then
      c = c + cost
      remaining = math.floor(math.max(0, count - estimate - cost + 1e-9))
      reset = start + 2 * period - now
    else
      ok = 0
      if c > 0 then
        reset = start + 2 * period - now
      else
        reset = start + period - now
      end
      local to_next = start + period - now
      if c + cost > count then
        local share = math.max(0, 1 - (count - cost) / c)
        retry = to_next + math.ceil(share * period)
      else
        local share = 1 - (count - cost - c) / p
        retry = math.max(1, math.min(start + math.ceil(share * period) - now, to_next))
      end
    end
    level, previous, elapsed = c, p, into
    writes[i] = function()
      redis.call('HSET', key, 'w', int(window), 'c', int(c), 'p', int(p))
      redis.call('PEXPIRE', key, math.ceil(2 * period / 1000) + 1000)
    end
  else
    local interval = period / count
    local tolerance = interval * burst
    local tat = tonumber(redis.call('GET', key)) or now
    local next_tat = math.max(tat, now) + cost * interval
    local ahead = next_tat - now
    if charge or ahead <= tolerance then
      remaining = math.floor(math.max(0, (tolerance - ahead) / interval))
      reset = math.ceil(ahead)
      level = burst - ahead / interval
    else
      ok = 0
      reset = math.max(0, math.ceil(tat - now))
      retry = math.ceil(ahead - tolerance)
      level = burst - math.max(0, tat - now) / interval
    end
    writes[i] = function()
      redis.call('SET', key, int(next_tat), 'PX', math.ceil(ahead / 1000) + 1000)
    end
  end

  if ok == 0 then
    all = 0
  end
  if charge then
    out[i] = {num(level), previous, elapsed}
  else
    out[#out + 1] = ok
    out[#out + 1] = remaining
    out[#out + 1] = reset
    out[#out + 1] = retry
  end
end

if charge or all == 1 then
  for i = 1, #KEYS do
    writes[i]()
  end
end

if charge then
  return out
end
table.insert(out, 1, all)
return out
