#!/bin/bash
# The cache benchmark: hits of 1 KiB and 64 KiB objects from Gatehouse's cache filter, beside
# nginx's proxy_cache serving hits and Gatehouse proxying the same objects without a cache.
# wrk -t2 -c64, 3 rounds x 5 s per case, after a warm-up. Run from the repository root after
# `mvn -B -q -DskipTests install`. Uses ports 18997 (nginx cache), 18998 (origin), 8080, 8082.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
D=$ROOT/distribution/target/gatehouse-0.1.0-SNAPSHOT
OPTS=${JAVA_OPTS:-"-Xms512m -Xmx512m -XX:+UseParallelGC"}
WORK=$(mktemp -d /tmp/gatehouse-cache-bench.XXXXXX)
mkdir -p "$WORK/www" "$WORK/logs" "$WORK/tmp" "$WORK/cache"
head -c 1024 /dev/urandom > "$WORK/www/1k"
head -c 65536 /dev/urandom > "$WORK/www/64k"
chmod 755 "$WORK" "$WORK/www"; chmod 644 "$WORK/www/"* # nginx workers run as another user
temps() { echo "client_body_temp_path $WORK/tmp/$1b; proxy_temp_path $WORK/tmp/$1p; fastcgi_temp_path $WORK/tmp/$1f; uwsgi_temp_path $WORK/tmp/$1u; scgi_temp_path $WORK/tmp/$1s;"; }
cat > "$WORK/origin.conf" <<CONF
worker_processes 1; daemon off; pid $WORK/origin.pid; error_log $WORK/logs/origin.log warn;
events { worker_connections 4096; }
http { access_log off; $(temps o) sendfile on; tcp_nopush on; tcp_nodelay on; keepalive_requests 100000000;
  default_type application/octet-stream;
  server { listen 127.0.0.1:18998 backlog=4096; root $WORK/www; location / { expires 1h; } } }
CONF
cat > "$WORK/nginx-cache.conf" <<CONF
worker_processes 1; daemon off; pid $WORK/ncache.pid; error_log $WORK/logs/ncache.log warn;
events { worker_connections 4096; }
http { access_log off; $(temps n) tcp_nodelay on; keepalive_requests 100000000;
  proxy_cache_path $WORK/cache levels=1:2 keys_zone=hits:10m max_size=256m inactive=1h use_temp_path=off;
  upstream origin { server 127.0.0.1:18998; keepalive 64; }
  server { listen 127.0.0.1:18997 backlog=4096;
    location / { proxy_pass http://origin; proxy_http_version 1.1; proxy_set_header Connection ""; proxy_cache hits; proxy_cache_valid 200 1h; } } }
CONF
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
nginx -p "$WORK" -c "$WORK/origin.conf" & PIDS+=($!)
nginx -p "$WORK" -c "$WORK/nginx-cache.conf" & PIDS+=($!)
JAVA_OPTS="$OPTS" "$D/bin/gatehouse" --config "$ROOT/docs/bench/cache.yaml" --upstream http://127.0.0.1:18998 > "$WORK/logs/cache.out" 2>&1 & PIDS+=($!)
JAVA_OPTS="$OPTS" "$D/bin/gatehouse" --config "$ROOT/docs/bench/bare.yaml" --upstream http://127.0.0.1:18998 > "$WORK/logs/bare.out" 2>&1 & PIDS+=($!)
for p in 18998 18997 8080 8082; do for i in $(seq 150); do curl -s -o /dev/null "http://127.0.0.1:$p/1k" && break; sleep 0.2; done; done
for p in 18998 18997 8080 8082; do
  size=$(curl -s -o /dev/null -w '%{http_code} %{size_download}' "http://127.0.0.1:$p/64k")
  [ "$size" = "200 65536" ] || { echo "sanity check failed on port $p: $size" >&2; exit 1; }
done
curl -s -D - -o /dev/null http://127.0.0.1:8082/64k | grep -q "Cache-Status: Gatehouse; hit" || { echo "the cache does not hit" >&2; exit 1; }
declare -A PORT=([nginx-proxy_cache]=18997 [gatehouse-cache]=8082 [gatehouse-no-cache]=8080)
for s in nginx-proxy_cache gatehouse-cache gatehouse-no-cache; do for f in 1k 64k; do wrk -t2 -c64 -d8s "http://127.0.0.1:${PORT[$s]}/$f" > /dev/null; done; done
echo "round object system req/s p99"
for round in 1 2 3; do
  for f in 1k 64k; do
    for s in nginx-proxy_cache gatehouse-cache gatehouse-no-cache; do
      out=$(wrk -t2 -c64 -d5s --latency "http://127.0.0.1:${PORT[$s]}/$f")
      echo "$round $f $s $(echo "$out" | awk '/Requests\/sec/ {print $2}') $(echo "$out" | awk '$1=="99%" {print $2}')"
    done
  done
done
