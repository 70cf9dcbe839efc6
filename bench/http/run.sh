#!/usr/bin/env bash
# bench/http/run.sh — HTTP throughput of zonegov against nginx, on 127.0.0.1.
#
# wrk (2 threads, 64 keep-alive connections) in turn against:
#   nginx-mem       nginx returning the ~200-byte body of GET /api/v1/me from memory
#   nginx-file      nginx serving the same bytes from a static file
#   zonegov-me      zonegov, GET /api/v1/me with a Bearer token (access log off)
#   zonegov-me-log  the same with the access log on (written to a file)
#   zonegov-healthz zonegov, GET /healthz (public: no session lookup), access log off
# then two keep-alive checks with `Connection: close` (zonegov-me, nginx-mem).
# Prints requests/s, p99 latency, server CPU per request and the ratio to
# nginx-mem, and checks the target: zonegov-me >= 0.6 x nginx-mem.
#
# wrk and the servers share the machine's cores; that holds for every
# target alike, so the ratios are fair even where the absolute figures are
# not those of a dedicated client machine.
#
#   bench/http/run.sh                  (or `make bench`, which installs nginx-light and wrk first)
#   BENCH_SECONDS=10   measured seconds per target (default 10)
#   BENCH_WARMUP=2     warm-up seconds per target before it is measured (default 2)
#   BENCH_ROUNDS=3     rounds over all targets; the table gives the medians of the rounds
#   BENCH_MAX_OTHER=10 a run during which other processes took more than this % of the CPU
#                      is run again (BENCH_RETRIES=2 times at most; the quietest counts), and
#                      the verdict is marked unreliable when the median for nginx-mem or
#                      zonegov-me stays above it
#   BENCH_THREADS=2 BENCH_CONNECTIONS=64   wrk -t and -c
#   BENCH_NGINX_WORKERS=2                  nginx worker_processes (a number or auto)
#   BENCH_TARGET=0.6   the required ratio zonegov-me / nginx-mem
#   BENCH_STRICT=1     exit 1 when the target is missed (default: report only)
#   BENCH_KEEP=1       keep the temporary directory (configs, logs, wrk output)
#   ZONEGOV_BIN=...    the server binary (default build/zonegov); other ZONEGOV_* settings in
#                      the environment (e.g. ZONEGOV_THREADS) reach both zonegov servers
set -euo pipefail
shopt -u patsub_replacement 2>/dev/null || true # bash 5.2: '&' in ${x//a/b} stays literal

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
bin=${ZONEGOV_BIN:-$root/build/zonegov}
secs=${BENCH_SECONDS:-10}
warm=${BENCH_WARMUP:-2}
wthreads=${BENCH_THREADS:-2}
wconns=${BENCH_CONNECTIONS:-64}
nworkers=${BENCH_NGINX_WORKERS:-2}
rounds=${BENCH_ROUNDS:-3}
max_other=${BENCH_MAX_OTHER:-10}
retries=${BENCH_RETRIES:-2}
target=${BENCH_TARGET:-0.6}
password=benchpass123

die() { echo "bench/http: $*" >&2; exit 1; }

for v in secs:SECONDS warm:WARMUP wthreads:THREADS wconns:CONNECTIONS rounds:ROUNDS; do
  name=${v%%:*}
  val=${!name}
  [[ $val =~ ^[0-9]+$ && $val -ge 1 && $val -le 3600 ]] || die "BENCH_${v#*:} must be a whole number from 1 to 3600 (got '$val')"
done
[[ $max_other =~ ^[0-9]+$ && $max_other -le 100 ]] || die "BENCH_MAX_OTHER must be a whole number from 0 to 100"
[[ $retries =~ ^[0-9]$ ]] || die "BENCH_RETRIES must be 0 to 9"
[[ $nworkers == auto || $nworkers =~ ^[1-9][0-9]?$ ]] || die "BENCH_NGINX_WORKERS must be a number or auto"
[[ $target =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "BENCH_TARGET must be a number"

# ---- tools ------------------------------------------------------------------
nginx_bin=$(command -v nginx || true)
[[ -z $nginx_bin && -x /usr/sbin/nginx ]] && nginx_bin=/usr/sbin/nginx
missing=()
[[ -n $nginx_bin ]] || missing+=(nginx)
for t in wrk curl ss awk timeout; do command -v "$t" >/dev/null || missing+=("$t"); done
[[ ${#missing[@]} -eq 0 ]] || die "missing: ${missing[*]} (install with: scripts/deps.sh bench, or run make bench)"
[[ -x $bin ]] || die "$bin not found: build it with make -j2 build/zonegov"

# ---- temporary directory, processes, cleanup -------------------------------
bench_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=../lib.sh
source "$bench_dir/lib.sh"
bench_workdir http


# TCP connections accepted so far on this machine (all servers; the kernel's PassiveOpens).
accepted() { awk '$1 == "Tcp:" { if (!n) { for (i = 2; i <= NF; i++) if ($i == "PassiveOpens") n = i } else print $n }' /proc/net/snmp; }

# ---- machine ----------------------------------------------------------------
cpu_model=$(awk -F': ' '/^model name/{print $2; exit}' /proc/cpuinfo)
read -r busy0 all0 < <(machine_ticks)
sleep 1
read -r busy1 all1 < <(machine_ticks)
idle_busy=$(((busy1 - busy0) * 100 / (all1 - all0 > 0 ? all1 - all0 : 1)))
echo "== zonegov HTTP benchmark =="
echo "machine: $(nproc) cores, ${cpu_model:-unknown CPU}, $(uname -sr)"
echo "tools:   $(wrk --version 2>&1 | awk 'NR==1{print $1, $2}'), $("$nginx_bin" -v 2>&1 | sed 's/.*: //'), libmicrohttpd $(pkg-config --modversion libmicrohttpd 2>/dev/null || echo '?')"
echo "wrk:     -t$wthreads -c$wconns -d${secs}s --latency, ${warm}s warm-up per target, $rounds round(s); nginx worker_processes $nworkers"
echo "busy:    ${idle_busy}% of the CPU in the second before the start"
((idle_busy <= 10)) ||
  echo "warning: the machine is busy; other work takes cores from wrk and the servers (see other% below)"
echo "note:    wrk and the servers share these $(nproc) cores (same for every target: the ratios are fair)"

# ---- zonegov -----------------------------------------------------------------
"$bin" demo --db "$tmp/z.db" --password "$password" >"$tmp/demo.log" 2>&1 || die "zonegov demo failed: $(cat "$tmp/demo.log")"

# start_zonegov NAME ACCESS_LOG: a server on a free port, in zport[NAME] and zpid[NAME].
declare -A zport zpid
start_zonegov() {
  free_port
  zport[$1]=$REPLY
  env -u ZONEGOV_CONFIG ZONEGOV_ACCESS_LOG="$2" \
    "$bin" serve --db "$tmp/z.db" --listen "127.0.0.1:${zport[$1]}" >>"$tmp/$1.log" 2>&1 &
  zpid[$1]=$!
  pids+=("$!")
  wait_http "$1" "${zpid[$1]}" "http://127.0.0.1:${zport[$1]}/healthz" 10
}
start_zonegov zonegov off
start_zonegov zonegov-log on
zthreads=$(sed -n 's/.*, \([0-9]*\) threads,.*/\1/p' "$tmp/zonegov.log" | head -1)
echo "zonegov: $bin ($("$bin" version 2>/dev/null | head -1)), ${zthreads:-?} worker threads"

base="http://127.0.0.1:${zport[zonegov]}"
login=$(curl -sS --max-time 30 -H 'Content-Type: application/json' \
  -d "{\"username\":\"admin\",\"password\":\"$password\"}" "$base/api/v1/auth/login") || die "login failed"
token=$(sed -n 's/.*"token":"\([^"]*\)".*/\1/p' <<<"$login")
[[ -n $token ]] || die "login gave no token: $login"
auth="Authorization: Bearer $token"

mkdir -p "$tmp/nginx/www"
code=$(curl -sS --max-time 10 -o "$tmp/nginx/www/me.json" -w '%{http_code}' -H "$auth" "$base/api/v1/me")
[[ $code == 200 ]] || die "GET /api/v1/me answered $code"
body=$(<"$tmp/nginx/www/me.json")
[[ $body != *[\'\\\$]* ]] || die "the /me body has a quote, backslash or \$; cannot inline it in nginx.conf"
echo "body:    GET /api/v1/me, $(wc -c <"$tmp/nginx/www/me.json") bytes"

# ---- nginx -------------------------------------------------------------------
free_port
nport=$REPLY
user_line=""
[[ $(id -u) -eq 0 ]] && user_line="user root;" # workers must read $tmp (mode 0700)
conf=$(<"$here/nginx.conf.in")
conf=${conf//@USER_LINE@/$user_line}
conf=${conf//@WORKERS@/$nworkers}
conf=${conf//@PREFIX@/$tmp/nginx}
conf=${conf//@PORT@/$nport}
conf=${conf//@BODY@/$body}
printf '%s\n' "$conf" >"$tmp/nginx/nginx.conf"
"$nginx_bin" -t -q -p "$tmp/nginx" -e "$tmp/nginx/error.log" -c "$tmp/nginx/nginx.conf" >"$tmp/nginx-t.log" 2>&1 ||
  die "nginx rejects its configuration: $(cat "$tmp/nginx-t.log" "$tmp/nginx/error.log" 2>/dev/null)"
"$nginx_bin" -p "$tmp/nginx" -e "$tmp/nginx/error.log" -c "$tmp/nginx/nginx.conf" >"$tmp/nginx.log" 2>&1 &
npid=$!
pids+=("$npid")
wait_http nginx "$npid" "http://127.0.0.1:$nport/mem" 10
for path in /mem /me.json; do
  curl -sS --max-time 5 -o "$tmp/check.json" "http://127.0.0.1:$nport$path"
  cmp -s "$tmp/check.json" "$tmp/nginx/www/me.json" || die "nginx $path does not answer the body of /api/v1/me"
done
# shellcheck disable=SC2046 # one word per pid
nginx_pids() { echo "$npid" $(ps -o pid= --ppid "$npid"); }

# Keep-alive, first look: curl asks twice on one connection.
curl -sv --max-time 5 -o /dev/null -o /dev/null -H "$auth" "$base/api/v1/me" "$base/api/v1/me" 2>"$tmp/curl-ka.log" || true
if grep -qi 're-using existing connection' "$tmp/curl-ka.log"; then
  echo "curl:    zonegov kept the connection open between two requests"
else
  echo "curl:    zonegov did NOT keep the connection open between two requests (see keep-alive below)"
fi

# ---- measuring --------------------------------------------------------------
# Per target, the values of every round (space-separated), then their medians.
declare -A all_rps all_p99 all_cpu all_wcpu all_other conns reqs errs rps p99 cpu wcpu other
labels=()
v_loglines=0 v_logbytes=0


# measure_once LABEL SECONDS URL "PIDS" [wrk args...]: one warm-up and one measured
# wrk run; sets the v_* variables.
measure_once() {
  local label=$1 d=$2 url=$3 mpids=$4 t0 t1 c0 c1 m0 m1 mt0 mt1 w0 w1
  shift 4
  timeout $((warm + 30)) wrk -t"$wthreads" -c"$wconns" -d"${warm}s" "$@" "$url" >"$tmp/wrk-$label-warm.txt" 2>&1 ||
    die "wrk warm-up of $label failed: $(cat "$tmp/wrk-$label-warm.txt")"
  t0=$(accepted)
  # shellcheck disable=SC2086
  c0=$(cpu_ticks $mpids)
  read -r m0 mt0 < <(machine_ticks)
  child_ticks
  w0=$REPLY
  v_out="$tmp/wrk-$label-$round-$try.txt"
  timeout $((d + 60)) wrk -t"$wthreads" -c"$wconns" -d"${d}s" --latency "$@" "$url" >"$v_out" 2>&1 ||
    die "wrk on $label failed: $(cat "$v_out")"
  # shellcheck disable=SC2086
  c1=$(cpu_ticks $mpids)
  read -r m1 mt1 < <(machine_ticks)
  child_ticks
  w1=$REPLY
  t1=$(accepted)
  v_rps=$(awk '/^Requests\/sec:/{print $2}' "$v_out")
  v_n=$(awk '/ requests in /{print $1}' "$v_out")
  v_p99=$(awk '$1 == "99%" {
      v = $2; u = v; sub(/^[0-9.]+/, "", u); sub(/[a-z]+$/, "", v)
      f = (u == "us") ? 0.001 : (u == "ms") ? 1 : (u == "s") ? 1000 : (u == "m") ? 60000 : 0
      printf "%.2f", v * f }' "$v_out")
  [[ -n $v_rps && -n $v_p99 && -n $v_n ]] || die "cannot read wrk output of $label: $(cat "$v_out")"
  v_cpu=$(awk -v c=$((c1 - c0)) -v hz="$hz" -v n="$v_n" 'BEGIN{ printf "%.1f", (n > 0 ? c / hz * 1e6 / n : 0) }')
  v_wcpu=$(awk -v c=$((w1 - w0)) -v hz="$hz" -v n="$v_n" 'BEGIN{ printf "%.1f", (n > 0 ? c / hz * 1e6 / n : 0) }')
  # CPU share of everything but the server and wrk (other processes, unattributed kernel time)
  v_other=$(awk -v b=$((m1 - m0)) -v t=$((mt1 - mt0)) -v s=$((c1 - c0)) -v w=$((w1 - w0)) \
    'BEGIN{ o = t > 0 ? (b - s - w) * 100 / t : 0; printf "%.0f", (o < 0 ? 0 : o) }')
  v_conns=$((t1 - t0))
  # The access log grows by ~130 bytes a request; keep only the last run's (opened O_APPEND).
  if [[ $label == zonegov-me-log ]]; then
    v_loglines=$(grep -c ' access ' "$tmp/zonegov-log.log" || true)
    v_logbytes=$(wc -c <"$tmp/zonegov-log.log")
    : >"$tmp/zonegov-log.log"
  fi
}

# measure LABEL SECONDS URL "PIDS" [wrk args...]: one round of a target. A run during
# which other processes took more than BENCH_MAX_OTHER % of the CPU is run again, up to
# BENCH_RETRIES times; the run with the least other work counts.
measure() {
  local label=$1 v_out v_rps v_n v_p99 v_cpu v_wcpu v_other v_conns try best="" b_rps b_n b_p99 b_cpu b_wcpu b_other b_conns b_out
  [[ " ${labels[*]} " == *" $label "* ]] || labels+=("$label")
  for ((try = 0; try <= retries; try++)); do
    measure_once "$@"
    if [[ -z $best ]] || ((v_other < b_other)); then
      best=$try b_rps=$v_rps b_n=$v_n b_p99=$v_p99 b_cpu=$v_cpu b_wcpu=$v_wcpu b_other=$v_other b_conns=$v_conns b_out=$v_out
    fi
    if ((v_other <= max_other)); then break; fi
    if ((try < retries)); then
      printf '  round %d/%d  %-17s other work took %s%% of the CPU: again\n' "$round" "$rounds" "$label" "$v_other"
    fi
  done
  all_rps[$label]+="$b_rps "
  all_p99[$label]+="$b_p99 "
  all_cpu[$label]+="$b_cpu "
  all_wcpu[$label]+="$b_wcpu "
  all_other[$label]+="$b_other "
  reqs[$label]=$((${reqs[$label]:-0} + b_n))
  # connections opened: the largest of the rounds
  conns[$label]=$((b_conns > ${conns[$label]:--1} ? b_conns : conns[$label]))
  errs[$label]+=$(awk '/Socket errors:/{sub(/^ */, ""); printf "%s; ", $0} /Non-2xx or 3xx/{printf "non-2xx %s; ", $NF}' "$b_out")
  printf '  round %d/%d  %-17s %9.0f req/s  p99 %7.2f ms  srv %6.1f µs/req  wrk %5.1f µs/req  other %3s%%\n' \
    "$round" "$rounds" "$label" "$b_rps" "$b_p99" "$b_cpu" "$b_wcpu" "$b_other"
}

ng="http://127.0.0.1:$nport"
zg="http://127.0.0.1:${zport[zonegov]}"
zl="http://127.0.0.1:${zport[zonegov-log]}"
kd=$((secs < 5 ? secs : 5)) # closing runs: every request opens a connection; a few seconds suffice
echo
for ((round = 1; round <= rounds; round++)); do
  measure nginx-mem "$secs" "$ng/mem" "$(nginx_pids)"
  measure nginx-file "$secs" "$ng/me.json" "$(nginx_pids)"
  measure zonegov-me "$secs" "$zg/api/v1/me" "${zpid[zonegov]}" -H "$auth"
  measure zonegov-me-log "$secs" "$zl/api/v1/me" "${zpid[zonegov-log]}" -H "$auth"
  measure zonegov-healthz "$secs" "$zg/healthz" "${zpid[zonegov]}"
  measure zonegov-me-close "$kd" "$zg/api/v1/me" "${zpid[zonegov]}" -H "$auth" -H "Connection: close"
  measure nginx-mem-close "$kd" "$ng/mem" "$(nginx_pids)" -H "Connection: close"
done
for l in "${labels[@]}"; do
  rps[$l]=$(median "${all_rps[$l]}")
  p99[$l]=$(median "${all_p99[$l]}")
  cpu[$l]=$(median "${all_cpu[$l]}")
  wcpu[$l]=$(median "${all_wcpu[$l]}")
  other[$l]=$(median "${all_other[$l]}")
done

# ---- report -----------------------------------------------------------------
ref=${rps[nginx-mem]}
echo
((rounds > 1)) && echo "medians of $rounds rounds:"
printf '%-17s %9s %8s %7s %8s %8s %7s %7s  %s\n' target "req/s" "p99 ms" "x mem" "srv µs" "wrk µs" "conns" "other%" "errors"
for l in "${labels[@]}"; do
  printf '%-17s %9.0f %8.2f %7.3f %8.1f %8.1f %7s %7.0f  %s\n' "$l" "${rps[$l]}" "${p99[$l]}" \
    "$(awk -v a="${rps[$l]}" -v b="$ref" 'BEGIN{printf "%.3f", a / b}')" "${cpu[$l]}" "${wcpu[$l]}" "${conns[$l]}" \
    "${other[$l]}" "${errs[$l]:-none}"
done
cat <<EOF

req/s, p99: wrk; x mem: req/s over nginx-mem; srv µs, wrk µs: CPU time (user+system,
all threads) per request of the server and of wrk; conns: TCP connections accepted on
the machine during the run (largest of the rounds): about $wconns (wrk's own, opened at
its start) when connections are kept alive, one per request when they are not; other%:
share of the machine's CPU used by anything but the server and wrk during the run:
other processes take cores from the benchmark, so the req/s and p99 of a run with a
high other% are low and noisy (its µs per request much less so).
EOF
echo "access log (zonegov-me-log): ${v_loglines:-0} lines, ${v_logbytes:-0} bytes written to a file in its last run (warm-up included)"

# Keep-alive verdict: a kept-alive run opens about one connection per wrk connection.
ka_ok=1
for l in nginx-mem zonegov-me zonegov-me-log zonegov-healthz; do
  if ((conns[$l] > 4 * wconns)); then
    ka_ok=0
    echo "keep-alive: $l: ${conns[$l]} connections opened in a round: connections are NOT kept alive"
  fi
done
((ka_ok)) && echo "keep-alive: yes; zonegov-me: at most ${conns[zonegov-me]} connections opened in a round of" \
  "$((reqs[zonegov-me] / rounds)) requests (with Connection: close: ${conns[zonegov-me-close]}, ${rps[zonegov-me-close]%.*} req/s)"

ratio=$(awk -v a="${rps[zonegov-me]}" -v b="$ref" 'BEGIN{printf "%.3f", a / b}')
vsfile=$(awk -v a="${rps[zonegov-me]}" -v b="${rps[nginx-file]}" 'BEGIN{printf "%.3f", a / b}')
echo "access log on: $(awk -v a="${rps[zonegov-me-log]}" -v b="${rps[zonegov-me]}" -v c="${cpu[zonegov-me-log]}" -v d="${cpu[zonegov-me]}" \
  'BEGIN{printf "req/s x %.2f, server CPU per request %+.1f µs (%+.0f%%)", a / b, c - d, (c / d - 1) * 100}') against access log off"
bad=""
for l in "${labels[@]}"; do [[ ${errs[$l]} == *non-2xx* ]] && bad+=" $l"; done
[[ -z $bad ]] || echo "warning: non-2xx answers in:$bad (their req/s do not count)"
echo
# The same ratio from CPU cost: requests per CPU-second of server + wrk, which is what
# bounds req/s on these shared cores; hardly moved by other work on the machine.
cpuratio=$(awk -v a="${cpu[nginx-mem]}" -v b="${wcpu[nginx-mem]}" -v c="${cpu[zonegov-me]}" -v d="${wcpu[zonegov-me]}" \
  'BEGIN{printf "%.3f", (a + b) / (c + d)}')
echo "cost:    zonegov-me needs $(awk -v a="${cpu[zonegov-me]}" -v b="${cpu[nginx-mem]}" 'BEGIN{printf "%.1f", a / b}')x the server CPU" \
  "per request of nginx-mem; ratio from CPU per request (server + wrk): $cpuratio"
unreliable=""
for l in nginx-mem zonegov-me; do
  awk -v o="${other[$l]}" -v m="$max_other" 'BEGIN{exit !(o > m)}' && unreliable+=" $l other ${other[$l]%.*}%"
done
echo
if [[ -z $bad ]] && awk -v r="$ratio" -v t="$target" 'BEGIN{exit !(r >= t)}'; then
  verdict=PASS
  echo "VERDICT: PASS  zonegov-me / nginx-mem = $ratio >= $target (x nginx-file = $vsfile)"
else
  verdict=FAIL
  echo "VERDICT: FAIL  zonegov-me / nginx-mem = $ratio, target $target (x nginx-file = $vsfile)"
fi
if [[ -n $unreliable ]]; then
  echo "         unreliable: other work ran during the runs (${unreliable# }); rerun on a quiet machine"
fi
[[ $verdict == FAIL && ${BENCH_STRICT:-0} == 1 ]] && exit 1
exit 0
