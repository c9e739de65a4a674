#!/usr/bin/env bash
# Sidecar scenarios, one run, same backend: direct vs through the Weft sidecar vs HAProxy vs nginx, each a plain
# reverse proxy with keep-alive upstream connections.
#
#   perf/run-proxies.sh              full run (about 15 s per point, 5 minutes in all)
#   perf/run-proxies.sh --smoke      seconds per point, to check that every scenario runs
#   perf/run-proxies.sh --no-build   reuse the jars already built
#
# Installs haproxy, nginx-light, wrk and nghttp2-client with apt-get when missing. Cores (taskset): the proxy
# alone on CPU 1; the backend and the load generators share CPU 0 (direct: the same), so a proxy never competes
# with the load for its core. Measured: added latency at fixed rates (the harness's own open-loop generator,
# coordinated omission corrected), maximum throughput (wrk, HTTP/1.1; h2load, HTTP/2 cleartext), the proxy's
# CPU per request and its RSS idle and under load. Tables go to perf/target/proxies.md.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
build=1
rates=1000,5000 warmup=5s duration=10s wrk_time=10s
while [[ $# -gt 0 ]]; do
  case "$1" in
    --smoke) rates=500 warmup=1s duration=2s wrk_time=2s; shift ;;
    --no-build) build=0; shift ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
done

need=()
command -v haproxy >/dev/null || need+=(haproxy)
command -v nginx >/dev/null || need+=(nginx-light)
command -v wrk >/dev/null || need+=(wrk)
command -v h2load >/dev/null || need+=(nghttp2-client)
if [[ ${#need[@]} -gt 0 ]]; then
  echo "installing ${need[*]}"
  sudo=""; [[ "$(id -u)" -ne 0 ]] && sudo=sudo
  $sudo apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q "${need[@]}" >/dev/null
fi
haproxy_bin="$(command -v haproxy || echo /usr/sbin/haproxy)"
nginx_bin="$(command -v nginx || echo /usr/sbin/nginx)"

if [[ $build -eq 1 ]]; then
  (cd "$root" && mvn -B -q -pl perf,mesh-sidecar -am package -DskipTests)
fi
perf_jar="$here/target/weft-perf.jar"
sidecar_jar="$root/mesh-sidecar/target/weft-sidecar.jar"
for f in "$perf_jar" "$sidecar_jar"; do
  [[ -f "$f" ]] || { echo "missing $f: build first (drop --no-build)" >&2; exit 1; }
done

work="$(mktemp -d)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
cp "$perf_jar" "$work/weft-perf.jar"
cp "$sidecar_jar" "$work/weft-sidecar.jar"
core0=(); core1=()
if [[ "$(nproc)" -ge 2 ]]; then core0=(taskset -c 0); core1=(taskset -c 1); fi
jvm=(java -Xms256m -Xmx256m -XX:+UseParallelGC -Dorg.slf4j.simpleLogger.defaultLogLevel=warn)

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
wait_port() { for _ in $(seq 1 150); do (echo > "/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done; return 1; }
# A proxy's CPU and memory include its worker processes (nginx's master does no proxying itself).
family() { echo "$1"; pgrep -P "$1" || true; }
cpu_ticks() { local t=0; for p in $(family "$1"); do t=$((t + $(awk '{print $14+$15}' "/proc/$p/stat"))); done; echo "$t"; }
rss_mib() { local k=0; for p in $(family "$1"); do k=$((k + $(awk '/VmRSS/{print $2}' "/proc/$p/status"))); done; echo $((k / 1024)); }

"${core0[@]}" "${jvm[@]}" -cp "$work/weft-perf.jar" io.weft.perf.backend.FastBackend 0 1 > "$work/backend.out" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do grep -q '^READY ' "$work/backend.out" 2>/dev/null && break; sleep 0.1; done
bport="$(awk '/^READY /{print $2}' "$work/backend.out")"
[[ -n "$bport" ]] || { cat "$work/backend.out" >&2; exit 1; }
backend="127.0.0.1:$bport"
# The backend is a JVM: warm it up once, so that the first scenario (direct) does not pay for its JIT.
"${core0[@]}" wrk -t1 -c64 -d"$wrk_time" "http://$backend/hello" > /dev/null

out="$here/target/proxies.jsonl"; rows="$here/target/proxies-rows.txt"
mkdir -p "$here/target"; : > "$out"; : > "$rows"
echo "cores: $(nproc); backend $backend; rates $rates; $(java -version 2>&1 | head -n 1)"
echo "haproxy $("$haproxy_bin" -v | head -n 1 | awk '{print $3}'), nginx $("$nginx_bin" -v 2>&1 | awk -F/ '{print $2}'), $(wrk -v 2>&1 | head -n 1 | awk '{print $1, $2}'), h2load $(h2load --version | awk '{print $2}')"

# measure NAME PORT PID H2: fixed-rate latency through PORT (Host: backend), then wrk and h2load flat out.
measure() {
  local name="$1" port="$2" pid="$3" h2="$4"
  local rss_idle="-" t0 t1 reqs=0
  [[ "$pid" != "-" ]] && rss_idle="$(rss_mib "$pid")"
  # Unmeasured warm-up, the same for every path: a JVM proxy compiles its hot paths under load (C2 sharing the
  # proxy's one core), and a cold sidecar's first seconds say nothing of one that runs for days. HAProxy and nginx
  # lose nothing by it.
  "${core0[@]}" wrk -t1 -c64 -d"$wrk_time" -H 'Host: backend' "http://127.0.0.1:$port/hello" > /dev/null
  if [[ "$h2" == "yes" ]]; then h2_phase "$port" "$pid" > /dev/null; fi
  [[ "$pid" != "-" ]] && t0="$(cpu_ticks "$pid")"
  "${core0[@]}" "${jvm[@]}" -cp "$work/weft-perf.jar" io.weft.perf.load.LoadMain --scenario "$name" \
    --client okhttp --mesh none --backend "$backend" --url "http://127.0.0.1:$port/hello" --host backend \
    --rates "$rates" --warmup "$warmup" --duration "$duration" --concurrency 0 --out "$out" > "$work/$name.load" 2>&1 \
    || { cat "$work/$name.load" >&2; exit 1; }
  "${core0[@]}" wrk -t1 -c64 -d"$wrk_time" -H 'Host: backend' --latency "http://127.0.0.1:$port/hello" > "$work/$name.wrk"
  local rss_load="-"; [[ "$pid" != "-" ]] && rss_load="$(rss_mib "$pid")"
  local wrk_rps wrk_p50 wrk_p99
  wrk_rps="$(awk '/Requests\/sec/{print $2}' "$work/$name.wrk")"
  wrk_p50="$(awk '$1=="50%"{print $2}' "$work/$name.wrk")"
  wrk_p99="$(awk '$1=="99%"{print $2}' "$work/$name.wrk")"
  reqs="$(awk '/requests in/{print $1}' "$work/$name.wrk")"
  # wrk counts an error answer (a proxy's 503, say) as a request: the failures are reported beside the rate.
  local wrk_bad; wrk_bad="$(awk '/Non-2xx or 3xx responses:/{print $NF}' "$work/$name.wrk")"; wrk_bad="${wrk_bad:-0}"
  local cpu="-"
  if [[ "$pid" != "-" ]]; then
    t1="$(cpu_ticks "$pid")"
    # Ticks are 1/100 s: CPU microseconds per request over the fixed-rate and wrk phases.
    local total_reqs; total_reqs="$(python3 -c "import json;print(sum(json.loads(l)['completed'] for l in open('$out') if json.loads(l)['scenario']=='$name')+$reqs)")"
    cpu="$(python3 -c "print(f'{($t1-$t0)*10000/$total_reqs:.1f}')")"
  fi
  local h2_result="-|-"
  if [[ "$h2" == "yes" ]]; then h2_result="$(h2_phase "$port" "$pid")"; fi
  echo "$name|$wrk_rps|$wrk_bad|$wrk_p50|$wrk_p99|$cpu|$h2_result|$rss_idle|$rss_load" >> "$rows"
  echo "$name: wrk $wrk_rps req/s ($wrk_bad not 2xx; p50 $wrk_p50, p99 $wrk_p99), proxy CPU ${cpu} µs/req; h2load and its CPU ${h2_result}; RSS ${rss_idle}→${rss_load} MiB"
}

# h2_phase PORT PID: h2load flat out through PORT; prints "<rate>|<proxy CPU µs per request>" (CPU "-" without PID).
h2_phase() {
  local port="$1" pid="$2" t0 t1 cpu="-"
  [[ "$pid" != "-" ]] && t0="$(cpu_ticks "$pid")"
  "${core0[@]}" h2load -c16 -m16 -D "${wrk_time%s}" -H ':authority: backend' "http://127.0.0.1:$port/hello" > "$work/h2.out" 2>&1 || true
  if [[ "$pid" != "-" ]]; then
    t1="$(cpu_ticks "$pid")"
    local done_reqs; done_reqs="$(awk '/^requests:/{print $6}' "$work/h2.out")"
    [[ "${done_reqs:-0}" -gt 0 ]] && cpu="$(python3 -c "print(f'{($t1-$t0)*10000/$done_reqs:.1f}')")"
  fi
  echo "$(h2_rate "$work/h2.out")|$cpu"
}

stop() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }
# h2load's rate counts failed requests (errors, 4xx and 5xx) too: "<req/s> (<n> failed)", or "failed".
h2_rate() {
  awk '/^finished in/{gsub(",","",$4); rps=$4}
       /^requests:/{failed=$10}
       END{ if (rps=="") print "failed"; else printf "%s (%d failed)\n", rps, failed }' "$1"
}

# direct: the floor.
measure direct "$bport" - yes

# Weft sidecar: the outbound listener, routing by Host to the mesh service "backend".
port="$(free_port)"
printf 'service: backend\nendpoints: [ { address: %s } ]\npolicy: { loadBalancer: round-robin }\n' "$backend" > "$work/mesh.yaml"
"${core1[@]}" "${jvm[@]}" -jar "$work/weft-sidecar.jar" --service perf --config-file "$work/mesh.yaml" \
  --outbound-port "$port" --inbound-port "$(free_port)" --app-port 9 > "$work/sidecar.out" 2>&1 &
pid=$!; pids+=($pid)
wait_port "$port" || { cat "$work/sidecar.out" >&2; exit 1; }
measure weft-sidecar "$port" "$pid" yes
stop "$pid"

# HAProxy: one thread, keep-alive to the backend, HTTP/1.1 and h2c on the same port.
port="$(free_port)"
cat > "$work/haproxy.cfg" <<CFG
global
  nbthread 1
  maxconn 4000
defaults
  mode http
  timeout connect 5s
  timeout client 60s
  timeout server 60s
  option http-keep-alive
  http-reuse always
frontend fe
  # HTTP/1.1 and HTTP/2 prior knowledge (h2c) are both detected on a plain bind.
  bind 127.0.0.1:$port
  default_backend be
backend be
  server s1 $backend
CFG
"${core1[@]}" "$haproxy_bin" -f "$work/haproxy.cfg" -db > "$work/haproxy.out" 2>&1 &
pid=$!; pids+=($pid)
wait_port "$port" || { cat "$work/haproxy.out" >&2; exit 1; }
measure haproxy "$port" "$pid" yes
stop "$pid"

# nginx: one worker, keep-alive upstream; h2c on a second port (a port is either HTTP/1.1 or HTTP/2 in nginx).
port="$(free_port)"; port2="$(free_port)"
mkdir -p "$work/nginx"
cat > "$work/nginx.conf" <<CFG
daemon off;
worker_processes 1;
pid $work/nginx/nginx.pid;
error_log stderr warn;
events { worker_connections 10000; }
http {
  access_log off;
  client_body_temp_path $work/nginx;
  proxy_temp_path $work/nginx;
  fastcgi_temp_path $work/nginx;
  uwsgi_temp_path $work/nginx;
  scgi_temp_path $work/nginx;
  upstream be { server $backend; keepalive 64; }
  server {
    listen 127.0.0.1:$port;
    listen 127.0.0.1:$port2 http2;
    location / { proxy_pass http://be; proxy_http_version 1.1; proxy_set_header Connection ""; }
  }
}
CFG
"${core1[@]}" "$nginx_bin" -c "$work/nginx.conf" -e stderr > "$work/nginx.out" 2>&1 &
pid=$!; pids+=($pid)
wait_port "$port" || { cat "$work/nginx.out" >&2; exit 1; }
measure nginx "$port" "$pid" no
# nginx's worker is a child of the master; its HTTP/2 throughput on the second port (after a warm-up, as above).
h2_phase "$port2" "$pid" > /dev/null
nginx_h2="$(h2_phase "$port2" "$pid")"
sed -i "s/^nginx|\([^|]*\)|\([^|]*\)|\([^|]*\)|\([^|]*\)|\([^|]*\)|-|-|/nginx|\1|\2|\3|\4|\5|${nginx_h2}|/" "$rows"
stop "$pid"

{
  echo
  echo "**Maximum throughput and proxy cost** (wrk -t1 -c64, HTTP/1.1; h2load -c16 -m16, h2c)"
  echo
  echo "| path | wrk req/s | not 2xx | vs HAProxy | wrk p50 | wrk p99 | proxy CPU µs/req (HTTP/1.1) | h2load req/s | vs HAProxy | proxy CPU µs/req (h2) | RSS idle MiB | RSS under load MiB |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  haproxy_rps="$(awk -F'|' '$1=="haproxy"{print $2}' "$rows")"
  haproxy_h2="$(awk -F'|' '$1=="haproxy"{print $7}' "$rows" | awk '{print $1}')"
  while IFS='|' read -r name rps bad p50 p99 cpu h2 h2cpu rss0 rss1; do
    ratio="$(python3 -c "print(f'{float(\"$rps\")/float(\"$haproxy_rps\"):.2f}')" 2>/dev/null || echo -)"
    h2ratio="$(python3 -c "print(f'{float(\"${h2%% *}\")/float(\"$haproxy_h2\"):.2f}')" 2>/dev/null || echo -)"
    echo "| $name | $rps | $bad | $ratio | $p50 | $p99 | $cpu | $h2 | $h2ratio | $h2cpu | $rss0 | $rss1 |"
  done < "$rows"
  java -cp "$work/weft-perf.jar" io.weft.perf.load.LoadReport "$out" direct
} > "$here/target/proxies.md"
cat "$here/target/proxies.md"
