#!/bin/bash
# The compression benchmark: a 16 KiB and a 64 KiB text object gzipped at level 6 by nginx
# (2 workers, gzip on, gzip_proxied any, in front of the origin) and by Gatehouse's compression filter
# (docs/bench/compression.yaml), both proxying the same nginx origin, beside Gatehouse proxying
# without compression. wrk -t2 -c64 with Accept-Encoding: gzip, 3 rounds x 5 s per case after a
# warm-up. Run from the repository root after `mvn -B -q -DskipTests install`. Uses ports 18996
# (nginx gzip), 18998 (origin), 8080 (Gatehouse without compression), 8084.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
D=$ROOT/distribution/target/gatehouse-0.1.0-SNAPSHOT
OPTS=${JAVA_OPTS:-"-Xms512m -Xmx512m -XX:+UseParallelGC"}
WORK=$(mktemp -d /tmp/gatehouse-compression-bench.XXXXXX)
mkdir -p "$WORK/www" "$WORK/logs" "$WORK/tmp"
# text that compresses like HTML: words and markup, not one repeated line
python3 - "$WORK/www" <<'PY'
import random, sys
random.seed(7)
words = "the of and to in is that for it as with was on be by this are from or have an they which one you were her all she there would their we him been has when who will no more if out so said what up its about into than them can only other new some could time these two may then do first any my now such like our over man me even most made after also did many before must through back years where much your way well down should because each just those people how too little state good very make world still own see men work long get here between both life being under never day same another know while last might us great old year off come since against go came right used take three".split()
def text(size):
    out = []
    n = 0
    while n < size:
        w = random.choice(words)
        piece = ("<p>" + w + " ") if random.random() < 0.05 else (w + " ")
        out.append(piece)
        n += len(piece)
    return "".join(out)[:size]
for name, size in (("16k.html", 16384), ("64k.html", 65536)):
    open(sys.argv[1] + "/" + name, "w").write(text(size))
PY
chmod 755 "$WORK" "$WORK/www"; chmod 644 "$WORK/www/"*
temps() { echo "client_body_temp_path $WORK/tmp/$1b; proxy_temp_path $WORK/tmp/$1p; fastcgi_temp_path $WORK/tmp/$1f; uwsgi_temp_path $WORK/tmp/$1u; scgi_temp_path $WORK/tmp/$1s;"; }
cat > "$WORK/origin.conf" <<CONF
worker_processes 1; daemon off; pid $WORK/origin.pid; error_log $WORK/logs/origin.log warn;
events { worker_connections 4096; }
http { access_log off; $(temps o) sendfile on; tcp_nopush on; tcp_nodelay on; keepalive_requests 100000000;
  types { text/html html htm; }
  server { listen 127.0.0.1:18998 backlog=4096; root $WORK/www; } }
CONF
cat > "$WORK/nginx-gzip.conf" <<CONF
worker_processes 2; daemon off; pid $WORK/ngzip.pid; error_log $WORK/logs/ngzip.log warn;
events { worker_connections 4096; }
http { access_log off; $(temps n) tcp_nodelay on; keepalive_requests 100000000;
  gzip on; gzip_comp_level 6; gzip_proxied any; gzip_types text/html; gzip_min_length 1024; gzip_vary on;
  upstream origin { server 127.0.0.1:18998; keepalive 64; }
  server { listen 127.0.0.1:18996 backlog=4096;
    location / { proxy_pass http://origin; proxy_http_version 1.1; proxy_set_header Connection ""; } } }
CONF
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
nginx -p "$WORK" -c "$WORK/origin.conf" & PIDS+=($!)
nginx -p "$WORK" -c "$WORK/nginx-gzip.conf" & PIDS+=($!)
JAVA_OPTS="$OPTS" "$D/bin/gatehouse" --config "$ROOT/docs/bench/compression.yaml" --upstream http://127.0.0.1:18998 > "$WORK/logs/gzip.out" 2>&1 & PIDS+=($!)
JAVA_OPTS="$OPTS" "$D/bin/gatehouse" --config "$ROOT/docs/bench/bare.yaml" --upstream http://127.0.0.1:18998 > "$WORK/logs/bare.out" 2>&1 & PIDS+=($!)
for p in 18998 18996 8080 8084; do for i in $(seq 150); do curl -s -o /dev/null "http://127.0.0.1:$p/16k.html" && break; sleep 0.2; done; done
for p in 18996 8084; do
  enc=$(curl -s -H 'Accept-Encoding: gzip' -o /dev/null -w '%{http_code} %{content_type}' -D - "http://127.0.0.1:$p/64k.html" | tr -d '\r' | awk -F': ' 'tolower($1)=="content-encoding" {print $2}')
  [ "$enc" = "gzip" ] || { echo "port $p does not gzip (got '$enc')" >&2; exit 1; }
  size=$(curl -s --compressed -o /dev/null -w '%{size_download}' -H 'Accept-Encoding: gzip' "http://127.0.0.1:$p/64k.html")
  echo "port $p: 64k.html gzipped to $size bytes" >&2
done
declare -A PORT=([nginx-gzip]=18996 [gatehouse-gzip]=8084 [gatehouse-identity]=8080)
for s in nginx-gzip gatehouse-gzip gatehouse-identity; do for f in 16k.html 64k.html; do wrk -t2 -c64 -d8s -H 'Accept-Encoding: gzip' "http://127.0.0.1:${PORT[$s]}/$f" > /dev/null; done; done
echo "round object system req/s p99"
for round in 1 2 3; do
  for f in 16k.html 64k.html; do
    for s in nginx-gzip gatehouse-gzip gatehouse-identity; do
      out=$(wrk -t2 -c64 -d5s --latency -H 'Accept-Encoding: gzip' "http://127.0.0.1:${PORT[$s]}/$f")
      echo "$round $f $s $(echo "$out" | awk '/Requests\/sec/ {print $2}') $(echo "$out" | awk '$1=="99%" {print $2}')"
    done
  done
done
