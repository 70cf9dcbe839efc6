#!/usr/bin/env bash
# bench/cases/run.sh — cases over HTTP on 127.0.0.1: durable creates, reads and
# filtered lists over 1,000,000 cases, each beside anchors measured in the same
# run. See bench/cases/README.md.
#
# Rounds (BENCH_ROUNDS, medians reported) of, with wrk (2 threads):
#   nginx-create     nginx answering POST /api/v1/cases with a create's 201 body from memory (c64)
#   public-cN        zonegov, POST /api/v1/public/cases (a resident's report; the last N of the creates)
#   creates-cN       zonegov, POST /api/v1/cases (source grid_patrol, random point in the demo zone,
#                    random category), synchronous=FULL, for each N in BENCH_CREATE_CONNECTIONS (64 256)
#   sqlite-1tx       raw SQLite (sqlite_anchor.c): the same rows, one case + its events per
#                    transaction, WAL, synchronous=FULL, one connection
#   sqlite-batch100  the same, 100 cases per transaction
#   nginx-read       nginx answering GET /api/v1/cases/{id} with a read's body from memory (c64)
#   reads            zonegov, GET /api/v1/cases/{id} over the cases filed by the creates (c64)
#   reads-1M         the same over a store of BENCH_CASES_FILL cases (random ids)
# then, once, on the filled store: filtered list pages (GET /api/v1/cases?…) one after the other
# on one kept-alive connection, p50/p99 per query, and EXPLAIN QUERY PLAN of the server's list SQL.
# Every 201 is counted by the wrk script (creates.lua) and any other answer stops the run; at the
# end the store must hold every case whose id came back in a 201 (durability accounting).
#
#   bench/cases/run.sh                   (full: ~15 minutes; a 1,000,000-case store needs ~1.3 GB in $TMPDIR)
#   BENCH_ROUNDS=1 BENCH_SECONDS=3 BENCH_CASES_FILL=100000 bench/cases/run.sh     (a quick look, ~2 min)
#   BENCH_SECONDS=10 BENCH_WARMUP=2 BENCH_ROUNDS=3 BENCH_THREADS=2
#   BENCH_CREATE_CONNECTIONS="64 256"   wrk -c for the creates
#   BENCH_CONNECTIONS=64                wrk -c for the reads and the nginx anchors
#   BENCH_CASES_FILL=1000000            cases in the list store (0: no list store, no reads-1M, no lists)
#   BENCH_LIST_RUNS=200                 requests per list query (fewer when one takes long:
#   BENCH_LIST_MAX_SECONDS=30           at most about this long per query)
#   BENCH_TARGET_CREATES=10000 BENCH_TARGET_READS=40000 BENCH_TARGET_LIST_MS=20
#   BENCH_STRICT=1                      exit 1 when a target is missed (default: report only;
#                                       a failed durability check always exits 1)
#   BENCH_MAX_OTHER=10 BENCH_RETRIES=2  rerun a run during which other processes took more CPU
#   BENCH_NGINX_WORKERS=2
#   BENCH_KEEP=1                        keep the temporary directory (stores, logs, wrk output)
#   ZONEGOV_BIN=...                     the server binary (default build/zonegov; copied into the
#                                       temporary directory so a rebuild during the run cannot change it)
set -euo pipefail
shopt -u patsub_replacement 2>/dev/null || true # bash 5.2: '&' in ${x//a/b} stays literal

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
bin_src=${ZONEGOV_BIN:-$root/build/zonegov}
secs=${BENCH_SECONDS:-10}
warm=${BENCH_WARMUP:-2}
rounds=${BENCH_ROUNDS:-3}
wthreads=${BENCH_THREADS:-2}
cconns=${BENCH_CREATE_CONNECTIONS:-64 256}
wconns=${BENCH_CONNECTIONS:-64}
fill=${BENCH_CASES_FILL:-1000000}
list_runs=${BENCH_LIST_RUNS:-200}
list_max_s=${BENCH_LIST_MAX_SECONDS:-30}
t_creates=${BENCH_TARGET_CREATES:-10000}
t_reads=${BENCH_TARGET_READS:-40000}
t_list=${BENCH_TARGET_LIST_MS:-20}
max_other=${BENCH_MAX_OTHER:-10}
retries=${BENCH_RETRIES:-2}
nworkers=${BENCH_NGINX_WORKERS:-2}
password=benchpass123

die() { echo "bench/cases: $*" >&2; exit 1; }

for v in secs:SECONDS warm:WARMUP wthreads:THREADS wconns:CONNECTIONS rounds:ROUNDS list_runs:LIST_RUNS \
  list_max_s:LIST_MAX_SECONDS; do
  name=${v%%:*}
  val=${!name}
  [[ $val =~ ^[0-9]+$ && $val -ge 1 && $val -le 3600 ]] || die "BENCH_${v#*:} must be a whole number from 1 to 3600 (got '$val')"
done
for c in $cconns; do [[ $c =~ ^[0-9]+$ && $c -ge 1 && $c -le 4000 ]] || die "BENCH_CREATE_CONNECTIONS: bad count '$c'"; done
[[ $fill =~ ^[0-9]+$ && $fill -le 100000000 ]] || die "BENCH_CASES_FILL must be a whole number (0 = no list store)"
for v in t_creates t_reads t_list; do [[ ${!v} =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "BENCH_TARGET_*: not a number: ${!v}"; done
[[ $max_other =~ ^[0-9]+$ && $max_other -le 100 ]] || die "BENCH_MAX_OTHER must be a whole number from 0 to 100"
[[ $retries =~ ^[0-9]$ ]] || die "BENCH_RETRIES must be 0 to 9"
[[ $nworkers == auto || $nworkers =~ ^[1-9][0-9]?$ ]] || die "BENCH_NGINX_WORKERS must be a number or auto"

# ---- tools ------------------------------------------------------------------
nginx_bin=$(command -v nginx || true)
[[ -z $nginx_bin && -x /usr/sbin/nginx ]] && nginx_bin=/usr/sbin/nginx
missing=()
[[ -n $nginx_bin ]] || missing+=(nginx)
for t in wrk curl ss awk timeout sqlite3 make cc pkg-config findmnt shuf sha256sum; do
  command -v "$t" >/dev/null || missing+=("$t")
done
[[ ${#missing[@]} -eq 0 ]] || die "missing: ${missing[*]} (scripts/deps.sh bench installs nginx-light and wrk; sqlite3, build-essential from apt)"
[[ -x $bin_src ]] || die "$bin_src not found: build it with make -j2 all"
bindir=$(cd "$(dirname "$bin_src")" && pwd)
[[ -d $bindir/data/holidays ]] || die "$bindir/data/holidays not found (the holiday calendars): run make -j2 all"
make -s -C "$here" OUT="$root/build/bench" >/dev/null || die "cannot build the helpers (make -C bench/cases)"
anchor_bin=$root/build/bench/cases-anchor
fill_bin=$root/build/bench/cases-fill

# ---- temporary directory, processes, cleanup -------------------------------
bench_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=../lib.sh
source "$bench_dir/lib.sh"
bench_workdir cases

cp "$bin_src" "$tmp/zonegov"
bin=$tmp/zonegov


# Cache flushes the disk under $tmp completed (field 16 of /sys/class/block/DEV/stat, Linux 5.5+):
# with synchronous=FULL every commit's fsync ends in one (the device has a write-back cache).
dev_src=$(findmnt -n -o SOURCE -T "$tmp" | head -1)
dev_fs=$(findmnt -n -o FSTYPE -T "$tmp" | head -1)
dev_name=$(basename "$dev_src")
dev_stat=/sys/class/block/$dev_name/stat
flushes() { if [[ -r $dev_stat ]]; then awk '{ print (NF >= 17 ? $16 : -1) }' "$dev_stat"; else echo -1; fi; }
dev_cache=$(cat "/sys/class/block/$dev_name/queue/write_cache" 2>/dev/null ||
  cat "/sys/block/$(basename "$(readlink -f "/sys/class/block/$dev_name/..")")/queue/write_cache" 2>/dev/null || echo unknown)

# wrk's latency ("1.23ms", "456.00us", "1.20s") in ms.
wrk_ms() { awk -v p="$1" '$1 == p {
    v = $2; u = v; sub(/^[0-9.]+/, "", u); sub(/[a-z]+$/, "", v)
    f = (u == "us") ? 0.001 : (u == "ms") ? 1 : (u == "s") ? 1000 : (u == "m") ? 60000 : 0
    printf "%.2f", v * f }' "$2"; }

# ---- machine ----------------------------------------------------------------
cpu_model=$(awk -F': ' '/^model name/{print $2; exit}' /proc/cpuinfo)
read -r busy0 all0 < <(machine_ticks)
sleep 1
read -r busy1 all1 < <(machine_ticks)
idle_busy=$(((busy1 - busy0) * 100 / (all1 - all0 > 0 ? all1 - all0 : 1)))
echo "== zonegov cases benchmark =="
echo "machine: $(nproc) cores, ${cpu_model:-unknown CPU}, $(uname -sr)"
echo "tools:   $(wrk --version 2>&1 | awk 'NR==1{print $1, $2}'), $("$nginx_bin" -v 2>&1 | sed 's/.*: //'), SQLite $(sqlite3 --version | awk '{print $1}'), libmicrohttpd $(pkg-config --modversion libmicrohttpd 2>/dev/null || echo '?')"
echo "store:   $tmp on $dev_src ($dev_fs), device write cache: $dev_cache"
[[ $dev_fs == tmpfs || $dev_fs == ramfs ]] &&
  echo "warning: $tmp is in memory ($dev_fs): fsync costs nothing there; set TMPDIR to a disk for durable figures"
echo "wrk:     -t$wthreads, creates -c${cconns// /,-c}, reads -c$wconns, -d${secs}s --latency, ${warm}s warm-up per run, $rounds round(s)"
echo "busy:    ${idle_busy}% of the CPU in the second before the start"
((idle_busy <= 10)) ||
  echo "warning: the machine is busy; other work takes cores from wrk and the servers (see other% below)"

# synchronous: the default of src/config.c as `serve --help` prints it, not overridden here.
sync_default=$("$bin" serve --help 2>&1 | awk '$1 == "synchronous" && $2 == "default" {print $3}')
[[ $sync_default == full ]] || die "zonegov's default synchronous is '$sync_default', not full (src/config.c)"
echo "zonegov: $bin_src ($("$bin" version 2>/dev/null | head -1); built $(date -u -r "$bin_src" '+%F %T UTC'), sha256 $(sha256sum "$bin" | cut -c1-12))"
echo "         synchronous=$sync_default (default of src/config.c; ZONEGOV_SYNCHRONOUS and ZONEGOV_CONFIG unset for the servers)"

# ---- stores -----------------------------------------------------------------
"$bin" demo --db "$tmp/z.db" --password "$password" >"$tmp/demo.log" 2>&1 || die "zonegov demo failed: $(cat "$tmp/demo.log")"

echo "schema:  version $(sqlite3 "$tmp/z.db" "SELECT max(version) FROM schema_migrations"); indexes on cases:" \
  "$(sqlite3 "$tmp/z.db" "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'cases'")," \
  "on case_events: $(sqlite3 "$tmp/z.db" "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'case_events'")" \
  "(every create writes each; the anchors print the WAL pages per transaction)"

# Categories for the creates: active leaf categories whose first deadline (handle stage when
# auto-accepted, else accept) stays within a few weeks, so the loaded holiday calendars cover it.
mapfile -t cats < <(sqlite3 "$tmp/z.db" "SELECT code FROM categories WHERE active = 1 AND parent_code IS NOT NULL
  AND NOT (handle_unit = 'work_days' AND handle_limit > 5) ORDER BY code")
[[ ${#cats[@]} -gt 0 ]] || die "no usable categories in the demo store"
ncat_auto=$(sqlite3 "$tmp/z.db" "SELECT count(*) FROM categories WHERE active = 1 AND parent_code IS NOT NULL
  AND NOT (handle_unit = 'work_days' AND handle_limit > 5) AND auto_accept = 1")
cat_list=$(printf '%s,' "${cats[@]}")
cat_list=${cat_list%,}
{
  sqlite3 "$tmp/z.db" "SELECT 'P ' || printf('%.7f', label_lat) || ' ' || printf('%.7f', label_lon) FROM units
    WHERE level = 'microgrid' AND label_lat IS NOT NULL"
  printf 'C %s\n' "${cats[@]}"
} >"$tmp/create.data"
npoints=$(grep -c '^P ' "$tmp/create.data")
echo "creates: ${#cats[@]} categories (${ncat_auto} auto-accepted: case + 3 events; the others case + 1 event)," \
  "$npoints micro-grid points ±1 m, source grid_patrol, as admin"

# The anchor's store: the migrations on a fresh file, plus the rows its foreign keys need.
"$bin" migrate --db "$tmp/anchor.db" >"$tmp/migrate.log" 2>&1 || die "zonegov migrate failed: $(cat "$tmp/migrate.log")"
sqlite3 "$tmp/anchor.db" "ATTACH '$tmp/z.db' AS d; INSERT INTO departments SELECT * FROM d.departments;
  INSERT INTO users SELECT * FROM d.users; INSERT INTO categories SELECT * FROM d.categories;
  INSERT INTO units SELECT * FROM d.units;" || die "cannot prepare the anchor store"

if ((fill > 0)); then
  "$bin" demo --db "$tmp/l.db" --password "$password" >"$tmp/demo-l.log" 2>&1 || die "zonegov demo (list store) failed"
  echo "fill:    $fill cases into a second demo store (fill_cases.c) …"
  t0=$(date +%s.%N)
  "$fill_bin" "$tmp/l.db" "$fill" >"$tmp/fill.txt" 2>"$tmp/fill.log" || die "fill failed: $(cat "$tmp/fill.log")"
  t1=$(date +%s.%N)
  fill_res=$(grep '^RESULT' "$tmp/fill.txt")
  kv() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$2"; }
  printf 'fill:    %s cases, %s events in %.0f s, %s MB; %s\n' "$(kv cases "$fill_res")" "$(kv events "$fill_res")" \
    "$(awk -v a="$t0" -v b="$t1" 'BEGIN{print b - a}')" "$(($(stat -c %s "$tmp/l.db") / 1000000))" \
    "$(sed 's/^RESULT //; s/ indexes=.*//; s/cases=[^ ]* events=[^ ]* //' <<<"$fill_res")"
  fk=$(sqlite3 "$tmp/l.db" "PRAGMA foreign_key_check" | head -3)
  [[ -z $fk ]] || die "the filled store breaks foreign keys: $fk"
fi

# ---- servers ------------------------------------------------------------------
# start_zonegov NAME DB [VAR=VALUE...]: a server on a free port, access log off, in zport[NAME]
# and zpid[NAME]; the VAR=VALUE go to its environment.
declare -A zport zpid
start_zonegov() {
  local name=$1 db=$2
  shift 2
  free_port
  zport[$name]=$REPLY
  # no overdue scans: a scan's writes (one transaction each) would compete with what is measured
  env -u ZONEGOV_CONFIG -u ZONEGOV_SYNCHRONOUS ZONEGOV_ACCESS_LOG=off ZONEGOV_OVERDUE_SCAN=0 \
    ZONEGOV_HOLIDAYS_DIR="$bindir/data/holidays" ZONEGOV_WEB_ROOT="$bindir/web" "$@" \
    "$bin" serve --db "$db" --listen "127.0.0.1:${zport[$name]}" >>"$tmp/$name.log" 2>&1 &
  zpid[$name]=$!
  pids+=("$!")
  wait_http "$name" "${zpid[$name]}" "http://127.0.0.1:${zport[$name]}/healthz"
}
# stop_zonegov NAME: stops that server (and forgets its pid).
stop_zonegov() {
  local p=${zpid[$1]} i keep=()
  kill -TERM "$p" 2>/dev/null || true
  for ((i = 0; i < 50; i++)); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$p" 2>/dev/null || true
  wait "$p" 2>/dev/null || true
  for i in "${pids[@]}"; do [[ $i == "$p" ]] || keep+=("$i"); done
  pids=("${keep[@]}")
}
# login BASE USER: a Bearer token, in $REPLY.
login() {
  local out
  out=$(curl -sS --max-time 30 -H 'Content-Type: application/json' \
    -d "{\"username\":\"$2\",\"password\":\"$password\"}" "$1/api/v1/auth/login") || die "login of $2 failed"
  REPLY=$(sed -n 's/.*"token":"\([^"]*\)".*/\1/p' <<<"$out")
  [[ -n $REPLY ]] || die "login of $2 gave no token: $out"
}

start_zonegov zonegov "$tmp/z.db"
zthreads=$(sed -n 's/.*, \([0-9]*\) threads,.*/\1/p' "$tmp/zonegov.log" | head -1)
zg="http://127.0.0.1:${zport[zonegov]}"
login "$zg" admin
auth="Authorization: Bearer $REPLY"
echo "server:  ${zthreads:-?} worker threads (one per core), access log off"

# One create and one read by hand: the bodies nginx will answer, and a first check.
p1=$(awk '$1 == "P" {print $2, $3; exit}' "$tmp/create.data")
code=$(curl -sS --max-time 30 -o "$tmp/create-body.json" -w '%{http_code}' -H "$auth" -H 'Content-Type: application/json' \
  -d "{\"category\":\"${cats[0]}\",\"description\":\"bench 0-0 道路不洁,请处理\",\"lat\":${p1% *},\"lon\":${p1#* },\"source\":\"grid_patrol\"}" \
  "$zg/api/v1/cases")
[[ $code == 201 ]] || die "POST /api/v1/cases answered $code: $(cat "$tmp/create-body.json")"
probe_id=$(sed -n 's/^{"id":\([0-9]*\).*/\1/p' "$tmp/create-body.json")
[[ -n $probe_id ]] || die "the 201 body does not start with the case id: $(head -c 300 "$tmp/create-body.json")"
code=$(curl -sS --max-time 30 -o "$tmp/read-body.json" -w '%{http_code}' -H "$auth" "$zg/api/v1/cases/$probe_id")
[[ $code == 200 ]] || die "GET /api/v1/cases/$probe_id answered $code"
echo "bodies:  create 201 $(wc -c <"$tmp/create-body.json") bytes, read 200 $(wc -c <"$tmp/read-body.json") bytes (case with its units and events)"

if ((fill > 0)); then
  start_zonegov zonegov-1m "$tmp/l.db"
  zl="http://127.0.0.1:${zport[zonegov-1m]}"
  login "$zl" admin
  auth_l="Authorization: Bearer $REPLY"
  # reads over the filled store: random ids
  awk -v n="$fill" 'BEGIN { srand(7); for (i = 0; i < 20000; i++) print 1 + int(rand() * n) }' >"$tmp/ids-1m.txt"
fi

# ---- nginx ---------------------------------------------------------------------
free_port
nport=$REPLY
mkdir -p "$tmp/nginx"
user_line=""
[[ $(id -u) -eq 0 ]] && user_line="user root;" # workers must read $tmp (mode 0700)
cbody=$(<"$tmp/create-body.json")
rbody=$(<"$tmp/read-body.json")
for b in "$cbody" "$rbody"; do
  [[ $b != *[\'\\\$]* ]] || die "a case body has a quote, backslash or \$; cannot inline it in nginx.conf"
done
conf=$(<"$here/nginx.conf.in")
conf=${conf//@USER_LINE@/$user_line}
conf=${conf//@WORKERS@/$nworkers}
conf=${conf//@PREFIX@/$tmp/nginx}
conf=${conf//@PORT@/$nport}
conf=${conf//@CREATE_BODY@/$cbody}
conf=${conf//@READ_BODY@/$rbody}
printf '%s\n' "$conf" >"$tmp/nginx/nginx.conf"
"$nginx_bin" -t -q -p "$tmp/nginx" -e "$tmp/nginx/error.log" -c "$tmp/nginx/nginx.conf" >"$tmp/nginx-t.log" 2>&1 ||
  die "nginx rejects its configuration: $(cat "$tmp/nginx-t.log" "$tmp/nginx/error.log" 2>/dev/null)"
"$nginx_bin" -p "$tmp/nginx" -e "$tmp/nginx/error.log" -c "$tmp/nginx/nginx.conf" >"$tmp/nginx.log" 2>&1 &
npid=$!
pids+=("$npid")
ng="http://127.0.0.1:$nport"
wait_http nginx "$npid" "$ng/api/v1/cases/1"
curl -sS --max-time 5 -o "$tmp/check.json" "$ng/api/v1/cases/1"
cmp -s "$tmp/check.json" "$tmp/read-body.json" || die "nginx does not answer the read body"
code=$(curl -sS --max-time 5 -o "$tmp/check.json" -w '%{http_code}' -H 'Content-Type: application/json' -d '{}' "$ng/api/v1/cases")
if [[ $code != 201 ]] || ! cmp -s "$tmp/check.json" "$tmp/create-body.json"; then
  die "nginx does not answer the create body (got $code)"
fi
# shellcheck disable=SC2046 # one word per pid
nginx_pids() { echo "$npid" $(ps -o pid= --ppid "$npid"); }

# ---- measuring --------------------------------------------------------------
# Per label, the values of every round (space-separated), then their medians.
declare -A all_rps all_p50 all_p99 all_cpu all_other all_flush errs rps p50 p99 cpu other flush
labels=()
total_201=1 # the create by hand above
total_inflight=0
: >"$tmp/create.data.ids"
echo "$probe_id" >>"$tmp/create.data.ids"

# run_wrk LABEL CONNS SECONDS URL "PIDS" OUT [wrk args...]: one wrk run; sets the v_* variables.
run_wrk() {
  local label=$1 c=$2 d=$3 url=$4 mpids=$5 out=$6 c0 c1 m0 m1 mt0 mt1 w0 w1 f0 f1 lua a seen=0
  local opts=() sargs=()
  shift 6
  for a in "$@"; do # wrk options, then the URL, then -- and the script's arguments
    if ((seen)); then sargs+=("$a"); elif [[ $a == -- ]]; then seen=1; else opts+=("$a"); fi
  done
  ((seen)) && sargs=(-- "${sargs[@]}")
  # shellcheck disable=SC2086
  c0=$(cpu_ticks $mpids)
  read -r m0 mt0 < <(machine_ticks)
  f0=$(flushes)
  child_ticks
  w0=$REPLY
  timeout $((d + 120)) wrk -t"$wthreads" -c"$c" -d"${d}s" --latency "${opts[@]}" "$url" "${sargs[@]}" >"$out" 2>&1 ||
    die "wrk on $label failed: $(cat "$out")"
  # shellcheck disable=SC2086
  c1=$(cpu_ticks $mpids)
  read -r m1 mt1 < <(machine_ticks)
  f1=$(flushes)
  child_ticks
  w1=$REPLY
  v_rps=$(awk '/^Requests\/sec:/{print $2}' "$out")
  v_n=$(awk '/ requests in /{print $1}' "$out")
  v_p50=$(wrk_ms 50% "$out")
  v_p99=$(wrk_ms 99% "$out")
  [[ -n $v_rps && -n $v_p99 && -n $v_n ]] || die "cannot read wrk output of $label: $(cat "$out")"
  v_cpu=$(awk -v c=$((c1 - c0)) -v hz="$hz" -v n="$v_n" 'BEGIN{ printf "%.1f", (n > 0 ? c / hz * 1e6 / n : 0) }')
  v_other=$(awk -v b=$((m1 - m0)) -v t=$((mt1 - mt0)) -v s=$((c1 - c0)) -v w=$((w1 - w0)) \
    'BEGIN{ o = t > 0 ? (b - s - w) * 100 / t : 0; printf "%.0f", (o < 0 ? 0 : o) }')
  v_flush=$((f0 >= 0 ? f1 - f0 : -1))
  v_err=$(awk '/Socket errors:/{sub(/^ */, ""); printf "%s; ", $0} /Non-2xx or 3xx/{printf "non-2xx %s; ", $NF}' "$out")
  v_201=0
  if lua=$(grep '^LUA sent=' "$out"); then
    local sent answered s201 non2xx
    sent=$(sed -n 's/.* sent=\([0-9]*\).*/\1/p' <<<"$lua")
    answered=$(sed -n 's/.* answered=\([0-9]*\).*/\1/p' <<<"$lua")
    s201=$(sed -n 's/.* s201=\([0-9]*\).*/\1/p' <<<"$lua")
    non2xx=$(sed -n 's/.* non2xx=\([0-9]*\).*/\1/p' <<<"$lua")
    if ((non2xx > 0)); then
      grep '^LUA' "$out" >&2
      die "$label: $non2xx answers were not 2xx (statuses and the first error above; wrk output: $out)"
    fi
    v_201=$s201
    v_inflight=$((sent - answered))
  fi
  if [[ $v_err == *non-2xx* ]]; then
    die "$label: non-2xx answers: $v_err (wrk output: $out)"
  fi
}

# measure LABEL KIND CONNS URL "PIDS" [wrk args...]: one round of a wrk target, after a warm-up
# run; a run during which other processes took more than BENCH_MAX_OTHER % of the CPU is run
# again (up to BENCH_RETRIES times; the quietest counts). KIND: create (zonegov: its 201s are
# counted for the durability accounting), post (nginx answering the creates) or read.
measure() {
  local label=$1 k=$2 c=$3 url=$4 mpids=$5 try best="" b_rps b_p50 b_p99 b_cpu b_other b_flush b_err b_201
  local v_rps v_n v_p50 v_p99 v_cpu v_other v_flush v_err v_201 v_inflight=0
  shift 5
  [[ " ${labels[*]} " == *" $label "* ]] || labels+=("$label")
  run_wrk "$label" "$c" "$warm" "$url" "$mpids" "$tmp/wrk-$label-warm.txt" "$@"
  if [[ $k == create ]]; then
    total_201=$((total_201 + v_201))
    total_inflight=$((total_inflight + v_inflight))
  fi
  for ((try = 0; try <= retries; try++)); do
    run_wrk "$label" "$c" "$secs" "$url" "$mpids" "$tmp/wrk-$label-$round-$try.txt" "$@"
    if [[ $k == create ]]; then
      total_201=$((total_201 + v_201))
      total_inflight=$((total_inflight + v_inflight))
    fi
    if [[ -z $best ]] || ((v_other < b_other)); then
      best=$try b_rps=$v_rps b_p50=$v_p50 b_p99=$v_p99 b_cpu=$v_cpu b_other=$v_other b_flush=$v_flush b_err=$v_err b_201=$v_201
    fi
    ((v_other <= max_other)) && break
    ((try < retries)) && printf '  round %d/%d  %-16s other work took %s%% of the CPU: again\n' "$round" "$rounds" "$label" "$v_other"
  done
  all_rps[$label]+="$b_rps "
  all_p50[$label]+="$b_p50 "
  all_p99[$label]+="$b_p99 "
  all_cpu[$label]+="$b_cpu "
  all_other[$label]+="$b_other "
  # flushes per 201 (creates) — how many cache flushes the disk did per durable answer
  if [[ $k == create && $b_flush -ge 0 && $b_201 -gt 0 ]]; then
    all_flush[$label]+="$(awk -v f="$b_flush" -v n="$b_201" 'BEGIN{printf "%.2f", f / n}') "
  fi
  errs[$label]+=$b_err
  printf '  round %d/%d  %-16s %9.0f /s  p50 %8.2f ms  p99 %8.2f ms  srv %7.1f µs/req  other %3s%%\n' \
    "$round" "$rounds" "$label" "$b_rps" "$b_p50" "$b_p99" "$b_cpu" "$b_other"
}

# anchor LABEL BATCH: the raw SQLite anchor for BENCH_SECONDS (after a warm-up run).
anchor() {
  local label=$1 batch=$2 out res m0 m1 mt0 mt1 w0 w1 f0 f1 try best="" b_res b_other b_flush b_w v_other
  [[ " ${labels[*]} " == *" $label "* ]] || labels+=("$label")
  "$anchor_bin" "$tmp/anchor.db" "$warm" "$batch" "$cat_list" >"$tmp/$label-warm.txt" 2>&1 ||
    die "$label failed: $(cat "$tmp/$label-warm.txt")"
  for ((try = 0; try <= retries; try++)); do
    out=$tmp/$label-$round-$try.txt
    read -r m0 mt0 < <(machine_ticks)
    f0=$(flushes)
    child_ticks
    w0=$REPLY
    "$anchor_bin" "$tmp/anchor.db" "$secs" "$batch" "$cat_list" >"$out" 2>&1 || die "$label failed: $(cat "$out")"
    read -r m1 mt1 < <(machine_ticks)
    f1=$(flushes)
    child_ticks
    w1=$REPLY
    res=$(grep '^RESULT' "$out") || die "$label: no result: $(cat "$out")"
    [[ $res == *" synchronous=2 "* && $res == *" journal_mode=wal "* ]] || die "$label: not WAL + FULL: $res"
    v_other=$(awk -v b=$((m1 - m0)) -v t=$((mt1 - mt0)) -v w=$((w1 - w0)) \
      'BEGIN{ o = t > 0 ? (b - w) * 100 / t : 0; printf "%.0f", (o < 0 ? 0 : o) }')
    if [[ -z $best ]] || ((v_other < b_other)); then
      best=$try b_res=$res b_other=$v_other b_flush=$((f0 >= 0 ? f1 - f0 : -1)) b_w=$((w1 - w0))
    fi
    ((v_other <= max_other)) && break
    ((try < retries)) && printf '  round %d/%d  %-16s other work took %s%% of the CPU: again\n' "$round" "$rounds" "$label" "$v_other"
  done
  local rows tx
  rows=$(sed -n 's/.* rows=\([0-9]*\).*/\1/p' <<<"$b_res")
  tx=$(sed -n 's/.* tx=\([0-9]*\).*/\1/p' <<<"$b_res")
  all_rps[$label]+="$(sed -n 's/.* rows_s=\([0-9.]*\).*/\1/p' <<<"$b_res") "
  all_p50[$label]+="$(sed -n 's/.* tx_p50_ms=\([0-9.]*\).*/\1/p' <<<"$b_res") "
  all_p99[$label]+="$(sed -n 's/.* tx_p99_ms=\([0-9.]*\).*/\1/p' <<<"$b_res") "
  all_cpu[$label]+="$(awk -v c="$b_w" -v hz="$hz" -v n="$rows" 'BEGIN{ printf "%.1f", (n > 0 ? c / hz * 1e6 / n : 0) }') "
  all_other[$label]+="$b_other "
  [[ $b_flush -ge 0 && $tx -gt 0 ]] && all_flush[$label]+="$(awk -v f="$b_flush" -v n="$tx" 'BEGIN{printf "%.2f", f / n}') "
  anchor_extra[$label]=$(sed -n 's/.* \(wal_pages_per_tx=[0-9.]*\) \(checkpoints=[0-9]*\).*/\1 \2/p' <<<"$b_res")
  printf '  round %d/%d  %-16s %9.0f /s  p50 %8.2f ms  p99 %8.2f ms  cpu %7.1f µs/row  other %3s%%  (%s rows in %s transactions, %s)\n' \
    "$round" "$rounds" "$label" "$(sed -n 's/.* rows_s=\([0-9.]*\).*/\1/p' <<<"$b_res")" \
    "$(sed -n 's/.* tx_p50_ms=\([0-9.]*\).*/\1/p' <<<"$b_res")" "$(sed -n 's/.* tx_p99_ms=\([0-9.]*\).*/\1/p' <<<"$b_res")" \
    "$(awk -v c="$b_w" -v hz="$hz" -v n="$rows" 'BEGIN{ printf "%.1f", (n > 0 ? c / hz * 1e6 / n : 0) }')" "$b_other" "$rows" "$tx" \
    "${anchor_extra[$label]}"
}
declare -A anchor_extra

lua_c=(-s "$here/creates.lua")
lua_r=(-s "$here/reads.lua")
echo
for ((round = 1; round <= rounds; round++)); do
  measure nginx-create post "$wconns" "$ng" "$(nginx_pids)" "${lua_c[@]}" -- "$tmp/create.data" noids
  # (the server's cost per create may grow with the cases already filed: say how many there are)
  echo "  round $round/$rounds  main store: $(sqlite3 "$tmp/z.db" "SELECT count(*) FROM cases") cases before the creates"
  for c in $cconns; do
    measure "creates-c$c" create "$c" "$zg" "${zpid[zonegov]}" --timeout 60s "${lua_c[@]}" -H "$auth" -- "$tmp/create.data" ids
  done
  # residents' reports (public intake): the same group commit, a smaller answer
  measure "public-c$c" create "$c" "$zg" "${zpid[zonegov]}" --timeout 60s "${lua_c[@]}" -- "$tmp/create.data" ids public
  anchor sqlite-1tx 1
  anchor sqlite-batch100 100
  # reads over the cases filed so far (a shuffled sample)
  shuf -n 20000 "$tmp/create.data.ids" >"$tmp/ids-main.txt"
  measure nginx-read read "$wconns" "$ng" "$(nginx_pids)" "${lua_r[@]}" -- "$tmp/ids-main.txt"
  measure reads read "$wconns" "$zg" "${zpid[zonegov]}" "${lua_r[@]}" -H "$auth" -- "$tmp/ids-main.txt"
  if ((fill > 0)); then
    measure reads-1M read "$wconns" "$zl" "${zpid[zonegov-1m]}" "${lua_r[@]}" -H "$auth_l" -- "$tmp/ids-1m.txt"
  fi
done
for l in "${labels[@]}"; do
  rps[$l]=$(median "${all_rps[$l]}")
  p50[$l]=$(median "${all_p50[$l]}")
  p99[$l]=$(median "${all_p99[$l]}")
  cpu[$l]=$(median "${all_cpu[$l]}")
  other[$l]=$(median "${all_other[$l]}")
  flush[$l]=$([[ -n ${all_flush[$l]:-} ]] && median "${all_flush[$l]}" || echo "")
done

# ---- durability accounting ------------------------------------------------------
# Every 201's case must be in the store; the store may hold more: requests in flight when wrk
# stopped (written, their answers never read).
store_n=$(sqlite3 "$tmp/z.db" "SELECT count(*) FROM cases")
read -r ids_n ids_distinct ids_missing < <(sqlite3 "$tmp/z.db" "CREATE TEMP TABLE got(id INTEGER);" ".mode list" \
  ".import $tmp/create.data.ids got" \
  "SELECT count(*), count(DISTINCT id), (SELECT count(*) FROM got WHERE id NOT IN (SELECT id FROM cases)) FROM got" |
  tr '|' ' ')
durable=OK
why=""
if ((ids_n != total_201)); then
  durable=FAIL why+=" $ids_n ids collected for $total_201 answers 201;"
fi
((ids_distinct == ids_n)) || { durable=FAIL; why+=" $((ids_n - ids_distinct)) ids answered twice;"; }
((ids_missing == 0)) || { durable=FAIL; why+=" $ids_missing cases answered 201 are NOT in the store;"; }
((store_n >= total_201)) || { durable=FAIL; why+=" the store holds $store_n cases, fewer than the $total_201 answers 201;"; }
((store_n <= total_201 + total_inflight)) ||
  { durable=FAIL; why+=" the store holds $store_n cases, more than 201s + requests in flight ($total_201 + $total_inflight);"; }

# ---- filtered lists over the filled store ----------------------------------------
declare -A lq_p50 lq_p99 lq_total lq_what
lq_labels=()
if ((fill > 0)); then
  echo
  echo "lists:   $fill cases; each query $list_runs times (fewer when slow: about ${list_max_s}s each), one request at a time on one connection"
  login "$zl" gridworker
  auth_gw="Authorization: Bearer $REPLY"
  login "$zl" handler
  auth_h="Authorization: Bearer $REPLY"
  # what to ask for: the commonest category among dispatched cases, a busy grid, its community, a number
  q_cat=$(sqlite3 "$tmp/l.db" "SELECT category_code FROM cases WHERE status = 'dispatched' GROUP BY 1 ORDER BY count(*) DESC LIMIT 1")
  q_parent=$(sqlite3 "$tmp/l.db" "SELECT parent_code FROM categories WHERE code = '$q_cat'")
  q_grid=$(sqlite3 "$tmp/l.db" "SELECT grid_code FROM cases WHERE id % 97 = 0 GROUP BY 1 ORDER BY count(*) DESC LIMIT 1")
  q_comm=$(sqlite3 "$tmp/l.db" "SELECT community_code FROM cases WHERE grid_code = '$q_grid' LIMIT 1")
  q_dept=$(sqlite3 "$tmp/l.db" "SELECT id FROM departments WHERE code = 'CGJ'")
  q_number=$(sqlite3 "$tmp/l.db" "SELECT number FROM cases WHERE id = $(((fill + 1) / 3))")
  # a page in the middle of the status+category list (at most page 50), so that it exists
  q_page=$(sqlite3 "$tmp/l.db" "SELECT max(2, min(50, (count(*) + 39) / 40)) FROM cases
    WHERE status = 'dispatched' AND category_code = '$q_cat'")
  q_from=$(date -d '30 days ago' +%F)
  q_to=$(date +%F)
  # label|who|query
  queries=(
    "status+category|admin|status=dispatched&category=$q_cat"
    "status+category page $q_page|admin|status=dispatched&category=$q_cat&page=$q_page"
    "category parent|admin|category=$q_parent"
    "department+status|admin|department=$q_dept&status=dispatched"
    "unit grid|admin|unit=$q_grid"
    "unit community+status|admin|unit=$q_comm&status=handled"
    "overdue|admin|overdue=1"
    "date range 30d|admin|from=$q_from&to=$q_to"
    "status by deadline|admin|status=dispatched&sort=deadline"
    "number|admin|number=$q_number"
    "no filter|admin|"
    "gridworker todo|gridworker|status=dispatched"
    "handler todo|handler|status=dispatched&sort=deadline"
  )
  printf '  %-24s %8s %9s %9s %9s %5s  %s\n' query total "p50 ms" "p99 ms" "mean ms" runs "who, query string"
  for q in "${queries[@]}"; do
    IFS='|' read -r ql qwho qs <<<"$q"
    case $qwho in
      admin) qa=$auth_l ;;
      gridworker) qa=$auth_gw ;;
      handler) qa=$auth_h ;;
    esac
    url="$zl/api/v1/cases?$qs"
    # the answer once (status, total), then a timing of 5 to size the run
    code=$(curl -sS --max-time 120 -o "$tmp/list.json" -w '%{http_code}' -H "$qa" "$url")
    [[ $code == 200 ]] || die "list '$ql' ($url) answered $code: $(head -c 300 "$tmp/list.json")"
    total=$(sed -n 's/.*"total":\([0-9]*\).*/\1/p' "$tmp/list.json")
    grep -q '"total_exact":false' "$tmp/list.json" && total+="+" # the server stopped counting
    : >"$tmp/list.cfg"
    for ((i = 0; i < 5; i++)); do printf 'url = "%s"\noutput = "/dev/null"\n' "$url" >>"$tmp/list.cfg"; done
    est=$(curl -sS --max-time 600 -H "$qa" -K "$tmp/list.cfg" -w '%{time_total}\n' | awk '{s += $1} END{print s / NR}')
    n=$(awk -v r="$list_runs" -v m="$list_max_s" -v e="$est" 'BEGIN{ n = (e > 0) ? int(m / e) : r; if (n > r) n = r; if (n < 10) n = 10; print n }')
    : >"$tmp/list.cfg"
    for ((i = 0; i < n; i++)); do printf 'url = "%s"\noutput = "/dev/null"\n' "$url" >>"$tmp/list.cfg"; done
    curl -sS --max-time 3600 -H "$qa" -K "$tmp/list.cfg" -w '%{http_code} %{time_total}\n' >"$tmp/list-$ql.txt" ||
      die "list '$ql': curl failed"
    bad=$(awk '$1 != 200' "$tmp/list-$ql.txt" | wc -l)
    ((bad == 0)) || die "list '$ql': $bad answers were not 200"
    read -r q50 q99 mean < <(awk '{print $2 * 1000}' "$tmp/list-$ql.txt" | sort -g |
      awk '{a[NR] = $1; s += $1} END{ i99 = int(NR * 0.99 + 0.999999); if (i99 < 1) i99 = 1
        printf "%.2f %.2f %.2f\n", (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2), a[i99], s / NR }')
    lq_p50[$ql]=$q50
    lq_p99[$ql]=$q99
    lq_total[$ql]=${total:-?}
    lq_what[$ql]="$qwho ?$qs"
    lq_labels+=("$ql")
    flag=""
    awk -v a="${lq_p50[$ql]}" -v t="$t_list" 'BEGIN{exit !(a > t)}' && flag+=" p50>${t_list}ms"
    awk -v a="${lq_p99[$ql]}" -v t="$t_list" 'BEGIN{exit !(a > t)}' && flag+=" p99>${t_list}ms"
    printf '  %-24s %8s %9.2f %9.2f %9.2f %5d  %s%s\n' "$ql" "${lq_total[$ql]}" "${lq_p50[$ql]}" "${lq_p99[$ql]}" "$mean" "$n" \
      "${lq_what[$ql]}" "${flag:+  <--$flag}"
  done

  # The SQL the server prepares for each query — captured on a third server over the same store,
  # run with the LD_PRELOAD shim sqltrace.c, since the list's WHERE clause may be built at run
  # time — and SQLite's plan for it (Debian's SQLite has no STAT4: the plan does not depend on the
  # values bound, so the unbound statement shows the server's plan).
  echo
  echo "EXPLAIN QUERY PLAN of the statements on cases that the server prepared for each query:"
  : >"$tmp/sql.log"
  start_zonegov zonegov-trace "$tmp/l.db" LD_PRELOAD="$root/build/bench/cases-sqltrace.so" \
    BENCH_SQL_LOG="$tmp/sql.log" ZONEGOV_OVERDUE_SCAN=0
  zt="http://127.0.0.1:${zport[zonegov-trace]}"
  declare -A tauth
  for u in admin gridworker handler; do
    login "$zt" "$u"
    tauth[$u]="Authorization: Bearer $REPLY"
  done
  [[ -s $tmp/sql.log ]] || echo "  (nothing captured: is libsqlite3 linked statically?)"
  for q in "${queries[@]}"; do
    IFS='|' read -r ql qwho qs <<<"$q"
    n0=$(wc -l <"$tmp/sql.log")
    curl -sS --max-time 120 -o /dev/null -H "${tauth[$qwho]}" "$zt/api/v1/cases?$qs"
    echo "  -- $ql ($qwho ?$qs):"
    tail -n +$((n0 + 1)) "$tmp/sql.log" | grep -iE 'from cases|join cases' | awk '!seen[$0]++' >"$tmp/q.sql" || true
    [[ -s $tmp/q.sql ]] || echo "     (no statement on cases prepared: cached from an earlier request)"
    while IFS= read -r sql; do
      echo "     SQL: ${sql:0:200}$([[ ${#sql} -gt 200 ]] && echo …)"
      sqlite3 -readonly "$tmp/l.db" "EXPLAIN QUERY PLAN $sql" 2>&1 | grep -v '^QUERY PLAN$' | sed 's/^/       /'
    done <"$tmp/q.sql"
  done
  stop_zonegov zonegov-trace
  echo "  indexes on cases:"
  sqlite3 "$tmp/l.db" "SELECT name || '(' || (SELECT group_concat(name, ', ') FROM pragma_index_info(m.name)) || ')' ||
    CASE WHEN instr(upper(sql), ' WHERE ') > 0 THEN substr(sql, instr(upper(sql), ' WHERE ')) ELSE '' END
    FROM sqlite_master m WHERE type = 'index' AND tbl_name = 'cases' AND sql IS NOT NULL ORDER BY name" | sed 's/^/    /'
fi

# ---- report -----------------------------------------------------------------
echo
((rounds > 1)) && echo "medians of $rounds rounds:"
printf '%-16s %10s %9s %9s %10s %7s %9s  %s\n' run "per s" "p50 ms" "p99 ms" "cpu µs" "other%" "flush/op" "errors"
for l in "${labels[@]}"; do
  printf '%-16s %10.0f %9.2f %9.2f %10.1f %7.0f %9s  %s\n' "$l" "${rps[$l]}" "${p50[$l]}" "${p99[$l]}" "${cpu[$l]}" \
    "${other[$l]}" "${flush[$l]:--}" "${errs[$l]:-none}"
done
cat <<EOF

per s: answers/s (wrk; creates: 201s/s) or rows/s (sqlite anchors); p50, p99: latency of a request
(wrk, with all connections busy: mostly queueing) or of a whole transaction (anchors); cpu µs:
CPU time of the server (all threads) per request, or of the anchor process per row; other%:
share of the CPU used by anything else (other processes, kernel I/O threads); flush/op: cache
flushes the disk completed per 201 (creates) or per transaction (anchors), machine-wide.
EOF
for l in sqlite-1tx sqlite-batch100; do
  [[ -n ${anchor_extra[$l]:-} ]] && echo "$l: ${anchor_extra[$l]} (last round)"
done

join() { local IFS=,; [[ $# -gt 0 ]] && echo " ($*)" | sed 's/,/, /g'; return 0; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{ if (b > 0) printf "%.3f", a / b; else print "-" }'; }
echo
printf '%-30s %12s %9s %9s  %-16s %12s %8s\n' target figure "p50 ms" "p99 ms" anchor "anchor fig." ratio
best_c="" best_cl=""
create_labels=""
for c in $cconns; do create_labels+="creates-c$c "; done
create_labels+="public-c$c" # the last connection count: residents' reports
for l in $create_labels; do
  [[ -z $best_c ]] || awk -v a="${rps[$l]}" -v b="$best_c" 'BEGIN{exit !(a > b)}' && { best_c=${rps[$l]}; best_cl=$l; }
  first=1
  for a in sqlite-1tx sqlite-batch100 nginx-create; do
    if ((first)); then
      printf '%-30s %10.0f/s %9.2f %9.2f  %-16s %10.0f/s %8s\n' "$l" "${rps[$l]}" "${p50[$l]}" "${p99[$l]}" "$a" "${rps[$a]}" "$(ratio "${rps[$l]}" "${rps[$a]}")"
    else
      printf '%-30s %12s %9s %9s  %-16s %10.0f/s %8s\n' "" "" "" "" "$a" "${rps[$a]}" "$(ratio "${rps[$l]}" "${rps[$a]}")"
    fi
    first=0
  done
done
read_l=reads
((fill > 0)) && read_l=reads-1M
for l in reads reads-1M; do
  [[ -n ${rps[$l]:-} ]] || continue
  printf '%-30s %10.0f/s %9.2f %9.2f  %-16s %10.0f/s %8s\n' "$l" "${rps[$l]}" "${p50[$l]}" "${p99[$l]}" nginx-read "${rps[nginx-read]}" "$(ratio "${rps[$l]}" "${rps[nginx-read]}")"
done
list_bad=() list_bad99=() worst="" worst_ms=0
for ql in "${lq_labels[@]}"; do
  printf '%-30s %12s %9.2f %9.2f  %-16s %12s %8s\n' "list: $ql" "${lq_total[$ql]} rows" "${lq_p50[$ql]}" "${lq_p99[$ql]}" target "${t_list} ms" \
    "$(ratio "${lq_p50[$ql]}" "$t_list")"
  awk -v a="${lq_p50[$ql]}" -v t="$t_list" 'BEGIN{exit !(a > t)}' && list_bad+=("$ql")
  awk -v a="${lq_p99[$ql]}" -v t="$t_list" 'BEGIN{exit !(a > t)}' && list_bad99+=("$ql")
  awk -v a="${lq_p50[$ql]}" -v b="$worst_ms" 'BEGIN{exit !(a > b)}' && { worst=$ql; worst_ms=${lq_p50[$ql]}; }
done
((${#lq_labels[@]} == 0)) || echo "(list ratio: p50 / target; above 1 misses)"

echo
echo "durability: $durable  $total_201 answers 201 (every create run, warm-ups included, and the one by hand);" \
  "$ids_distinct distinct ids, $ids_missing of them missing from the store; the store holds $store_n cases" \
  "($((store_n - total_201)) filed for the $total_inflight requests still in flight when wrk stopped)${why:+ —$why}"
fails=0
if awk -v a="$best_c" -v t="$t_creates" 'BEGIN{exit !(a >= t)}'; then v=PASS; else v=FAIL fails=$((fails + 1)); fi
echo "VERDICT creates: $v  $(printf '%.0f' "$best_c") durable creates/s ($best_cl, synchronous=FULL) vs target $t_creates;" \
  "x sqlite-1tx $(ratio "$best_c" "${rps[sqlite-1tx]}"), x sqlite-batch100 $(ratio "$best_c" "${rps[sqlite-batch100]}")," \
  "x nginx-mem $(ratio "$best_c" "${rps[nginx-create]}")"
if awk -v a="${rps[$read_l]}" -v t="$t_reads" 'BEGIN{exit !(a >= t)}'; then v=PASS; else v=FAIL fails=$((fails + 1)); fi
echo "VERDICT reads: $v  $(printf '%.0f' "${rps[$read_l]}") reads/s ($read_l) vs target $t_reads; x nginx-mem $(ratio "${rps[$read_l]}" "${rps[nginx-read]}")"
if ((fill > 0)); then
  if ((${#list_bad[@]} == 0)); then v=PASS; else v=FAIL fails=$((fails + 1)); fi
  echo "VERDICT list: $v  ${#list_bad[@]} of ${#lq_labels[@]} queries over $t_list ms at p50, over $fill cases$(join "${list_bad[@]}");" \
    "worst: $worst ${worst_ms} ms; ${#list_bad99[@]} over $t_list ms at p99"
else
  echo "VERDICT list: not measured (BENCH_CASES_FILL=0)"
fi
unreliable=""
for l in "${labels[@]}"; do
  awk -v o="${other[$l]}" -v m="$max_other" 'BEGIN{exit !(o > m)}' && unreliable+=" $l ${other[$l]%.*}%"
done
[[ -z $unreliable ]] || echo "         other work ran during:$unreliable (medians above BENCH_MAX_OTHER=$max_other%); rerun on a quiet machine"
[[ $durable == OK ]] || exit 1
((fails > 0)) && [[ ${BENCH_STRICT:-0} == 1 ]] && exit 1
exit 0
