#!/usr/bin/env bash
# bench/locate/run.sh — point location: zonegov's grid index against a GEOS
# STRtree of prepared polygons and PostGIS ST_Contains with a GiST index, on
# the same cells and points, one core each. See bench/locate/README.md.
#
# For each cell count (10,000 and 100,000 octagons, ~145 m, near 35.7°N
# 115.0°E), 1,000,000 uniform random points:
#   zonegov          grid_index_build + grid_locate (src/grid.c), best of 3 passes
#   zonegov bpc=N    the same with buckets_per_cell N (LOCATE_SWEEP)
#   geos             STRtree + GEOSPreparedContains, on LOCATE_GEOS_POINTS points (warm)
#   postgis join     SELECT count(*) FROM pts JOIN cells ON ST_Contains(cells.geom, pts.geom),
#                    GiST index, parallel workers off, on LOCATE_PG_POINTS points, best of 2
#   postgis query    one point per query from one pgbench client (-M prepared), LOCATE_PGBENCH_SECONDS
# plus the agreement checks (zonegov = GEOS on every point, zonegov = PostGIS on
# the PostGIS points) and one verdict line per target.
#
# PostgreSQL runs as a throwaway cluster in a temporary directory on
# 127.0.0.1 (fsync off: nothing here needs to survive), stopped and removed
# on exit. Missing Debian packages (postgresql-15, postgresql-15-postgis-3,
# libgeos-dev, libjansson-dev, build-essential) are installed with apt-get,
# as root or through sudo.
#
#   bench/locate/run.sh
#   LOCATE_CELLS="10000 100000"    cell counts
#   LOCATE_POINTS=1000000          points per cell count
#   LOCATE_GEOS_POINTS=200000      points GEOS is timed on (it checks all of them)
#   LOCATE_PG_POINTS=100000        points loaded into PostGIS
#   LOCATE_BPC=0                   buckets_per_cell of the headline zonegov row (0: grid.c's default)
#   LOCATE_RUNS=5                  timed passes over the points per zonegov variant; the best counts
#   LOCATE_SWEEP=8,32,64           other buckets_per_cell to measure ("" for none)
#   LOCATE_PGBENCH_SECONDS=5       per-query PostGIS run (0 to skip)
#   LOCATE_PG=0                    skip PostGIS altogether
#   BENCH_STRICT=1                 exit 1 when a target is missed or an answer differs
#   BENCH_KEEP=1                   keep the temporary directory (outputs, cluster log)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
cells_list=${LOCATE_CELLS:-10000 100000}
npoints=${LOCATE_POINTS:-1000000}
ngeos=${LOCATE_GEOS_POINTS:-200000}
npg=${LOCATE_PG_POINTS:-100000}
bpc=${LOCATE_BPC:-0}
runs=${LOCATE_RUNS:-5}
sweep=${LOCATE_SWEEP-8,32,64}
pgbench_s=${LOCATE_PGBENCH_SECONDS:-5}
use_pg=${LOCATE_PG:-1}
strict=${BENCH_STRICT:-0}

die() { echo "bench/locate: $*" >&2; exit 1; }

for c in $cells_list; do [[ $c =~ ^[0-9]+$ && $c -ge 4 && $c -le 4000000 ]] || die "LOCATE_CELLS: bad count '$c'"; done
for v in npoints ngeos npg bpc pgbench_s runs; do
  [[ ${!v} =~ ^[0-9]+$ ]] || die "$v must be a whole number (got '${!v}')"
done
[[ -z $sweep || $sweep =~ ^[0-9]+(,[0-9]+)*$ ]] || die "LOCATE_SWEEP must be numbers separated by commas"
((npg <= npoints)) || npg=$npoints

# ---- packages ---------------------------------------------------------------
pkgs=(build-essential libgeos-dev libjansson-dev)
[[ $use_pg == 1 ]] && pkgs+=(postgresql-15 postgresql-15-postgis-3)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [[ ${#missing[@]} -gt 0 ]]; then
  echo "installing: ${missing[*]}"
  sudo=""
  [[ $(id -u) -ne 0 ]] && sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -q
  $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# ---- build --------------------------------------------------------------------
make -s -C "$here" OUT="$root/build/bench/locate" >/dev/null
bin=$root/build/bench/locate

tmp=$(mktemp -d /tmp/zonegov-bench-locate.XXXXXX)
chmod 755 "$tmp"
pg_bin="" pg_data="$tmp/pgdata" pg_user="" port=""
cleanup() {
  if [[ -n $pg_bin && -f $pg_data/postmaster.pid ]]; then
    as_pg "$pg_bin/pg_ctl" -D "$pg_data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  if [[ ${BENCH_KEEP:-0} == 1 ]]; then echo "kept $tmp"; else rm -rf "$tmp"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

as_pg() {
  if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# ---- machine ----------------------------------------------------------------
cpu=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)
load=$(cut -d' ' -f1 /proc/loadavg)
echo "machine: $(nproc) cores, $cpu, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo); load $load"
if awk -v l="$load" -v n="$(nproc)" 'BEGIN {exit !(l > 0.5 * n)}'; then
  echo "warning: the machine is busy (load $load): the figures will be low and noisy"
fi
echo "build: cc -O2 -g (no -march=native), $(cc --version | head -1); GEOS $(geos-config --version 2>/dev/null || echo '?')"
echo

# ---- zonegov and GEOS -----------------------------------------------------------
for n in $cells_list; do
  mkdir -p "$tmp/$n"
  chmod 755 "$tmp/$n"
  args=(-n "$n" -p "$npoints" -g "$ngeos" -b "$bpc" -r "$runs" -o "$tmp/$n" -q "$npg")
  [[ -n $sweep ]] && args+=(-B "$sweep")
  echo "== locate ${args[*]}"
  timeout --foreground 300 "$bin" "${args[@]}" | tee "$tmp/$n/locate.out" | grep -v '^RESULT'
  chmod 644 "$tmp/$n"/*.tsv
  echo
done

# get FILE METHOD KEY [BPC]: the value of KEY on the RESULT line of METHOD.
get() {
  awk -v m="$2" -v k="$3" -v b="${4-}" '
    $1 == "RESULT" {
      delete f
      for (i = 2; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] }
      if (f["method"] == m && (b == "" || f["bpc"] == b)) { print f[k]; exit }
    }' "$1"
}

# ---- PostGIS ----------------------------------------------------------------------
declare -A pg_join pg_query pg_mem pg_build pg_bad
if [[ $use_pg == 1 ]]; then
  pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  [[ -x $pg_bin/initdb ]] || die "PostgreSQL server binaries not found under /usr/lib/postgresql"
  if [[ $(id -u) -eq 0 ]]; then
    id postgres >/dev/null 2>&1 || die "running as root needs the postgres user (from postgresql-common)"
    chown -R postgres "$tmp"
    pg_user=postgres
  else
    pg_user=$(id -un)
  fi
  for _ in 1 2 3 4 5 6 7 8 9 10; do
    port=$((20000 + RANDOM % 30000))
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || break
  done
  as_pg "$pg_bin/initdb" -D "$pg_data" -U "$pg_user" --auth=trust -E UTF8 --locale=C.UTF-8 >"$tmp/initdb.log" 2>&1 ||
    { cat "$tmp/initdb.log"; die "initdb failed"; }
  as_pg "$pg_bin/pg_ctl" -D "$pg_data" -l "$tmp/postgres.log" -w -t 60 start -o \
    "-c listen_addresses=127.0.0.1 -p $port -k $tmp -c fsync=off -c synchronous_commit=off -c full_page_writes=off \
     -c shared_buffers=256MB -c work_mem=64MB -c max_parallel_workers_per_gather=0 -c jit=off" >/dev/null ||
    { cat "$tmp/postgres.log"; die "PostgreSQL did not start"; }
  export PGOPTIONS="-c statement_timeout=300000"
  psql_() { psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U "$pg_user" -d postgres "$@"; }
  # pg_ms SQL: run SQL with \timing on, print the last "Time: N ms" as N.
  pg_ms() { psql_ -At -c '\timing on' -c "$1" | awk '/^Time: / {t = $2} END {print t}'; }
  psql_ -c "CREATE EXTENSION postgis" >/dev/null
  echo "PostgreSQL $(psql_ -At -c 'SHOW server_version'), PostGIS $(psql_ -At -c 'SELECT postgis_lib_version()') on 127.0.0.1:$port"

  for n in $cells_list; do
    d=$tmp/$n
    psql_ >/dev/null <<SQL
CREATE TABLE cells_$n (id integer PRIMARY KEY, geom geometry(Polygon, 4326) NOT NULL);
CREATE TABLE pts_$n (id integer PRIMARY KEY, geom geometry(Point, 4326) NOT NULL, expected integer NOT NULL);
\\copy cells_$n FROM '$d/cells.tsv'
\\copy pts_$n FROM '$d/points.tsv'
SQL
    build_ms=$(pg_ms "CREATE INDEX cells_${n}_geom ON cells_$n USING gist (geom)")
    psql_ -c "VACUUM ANALYZE cells_$n" -c "VACUUM ANALYZE pts_$n" >/dev/null
    mem=$(psql_ -At -c "SELECT round((pg_relation_size('cells_${n}_geom') + pg_relation_size('cells_$n'))::numeric / 1048576, 2)")
    idx=$(psql_ -At -c "SELECT round(pg_relation_size('cells_${n}_geom')::numeric / 1048576, 2)")
    join="SELECT count(*), sum(c.id) FROM pts_$n p JOIN cells_$n c ON ST_Contains(c.geom, p.geom)"
    psql_ -c "EXPLAIN $join" >"$d/plan.txt"
    grep -q "Index Scan using cells_${n}_geom" "$d/plan.txt" || { cat "$d/plan.txt"; die "the join does not use the GiST index"; }
    best=""
    for _ in 1 2; do
      ms=$(pg_ms "$join")
      [[ -n $ms ]] || die "the join failed"
      if [[ -z $best ]] || awk -v a="$ms" -v b="$best" 'BEGIN {exit !(a < b)}'; then best=$ms; fi
    done
    pg_join[$n]=$(awk -v p="$npg" -v ms="$best" 'BEGIN {printf "%.0f", p / (ms / 1000)}')
    pg_bad[$n]=$(psql_ -At -c "SELECT count(*) FROM pts_$n p LEFT JOIN cells_$n c ON ST_Contains(c.geom, p.geom)
                               WHERE coalesce(c.id, -1) <> p.expected")
    pg_mem[$n]=$mem
    pg_build[$n]=$build_ms
    echo "  cells $n: GiST build $(printf %.0f "$build_ms") ms, index $idx MiB (table + index $mem MiB); join over $npg points best $(printf %.0f "$best") ms = ${pg_join[$n]} lookups/s; disagreements with zonegov: ${pg_bad[$n]}"
    if ((pgbench_s > 0)); then
      read -r bx by bw bh <"$d/box.txt"
      cat >"$d/pgbench.sql" <<SQL
\\set rx random(0, 999999)
\\set ry random(0, 999999)
SELECT id FROM cells_$n WHERE ST_Contains(geom, ST_SetSRID(ST_MakePoint($bx + :rx * ($bw / 1e6), $by + :ry * ($bh / 1e6)), 4326));
SQL
      timeout --foreground $((pgbench_s + 60)) pgbench -n -M prepared -c 1 -j 1 -T "$pgbench_s" -f "$d/pgbench.sql" \
        -h 127.0.0.1 -p "$port" -U "$pg_user" postgres >"$d/pgbench.out" 2>&1 || { cat "$d/pgbench.out"; die "pgbench failed"; }
      pg_query[$n]=$(awk '/^tps = / {printf "%.0f", $3; exit}' "$d/pgbench.out")
      echo "  cells $n: one point per query, one pgbench client: ${pg_query[$n]} lookups/s"
    fi
  done
  echo
fi

# ---- table ---------------------------------------------------------------------------
fmt_lps() { awk -v v="$1" 'BEGIN { if (v == "") print "-"; else if (v >= 1e6) printf "%.2f M", v / 1e6; else printf "%.1f k", v / 1e3 }'; }
ratio() { awk -v z="$1" -v v="$2" 'BEGIN { if (v == "" || v == 0) print "-"; else printf "%.2f", z / v }'; }
row() { printf "%-24s %8s %12s %10s %-28s %s\n" "$@"; }

echo "== results (one core; 'zonegov ×' = the first row's lookups/s ÷ this row's; 'prototype' = the"
echo "   id+rec+exact+pair prototype of changes to grid.c (gridprobe.c) on the index above it)"
row method cells lookups/s "zonegov ×" memory build
verdict_fail=0
declare -A zlps zmem zbuild
for n in $cells_list; do
  f=$tmp/$n/locate.out
  z=$(get "$f" zonegov lps)
  zlps[$n]=$z
  zmem[$n]=$(get "$f" zonegov mem_mib)
  zbuild[$n]=$(get "$f" zonegov build_ms)
  row "zonegov (bpc $(get "$f" zonegov bpc | sed 's/^0$/default/'))" "$n" "$(fmt_lps "$z")" 1.00 \
    "$(get "$f" zonegov mem_mib) MiB" "$(get "$f" zonegov build_ms) ms (best $(get "$f" zonegov best_build_ms))"
  for b in $bpc ${sweep//,/ }; do
    if [[ $b != "$bpc" ]]; then
      v=$(get "$f" sweep lps "$b")
      row "zonegov bpc $b" "$n" "$(fmt_lps "$v")" "$(ratio "$z" "$v")" "$(get "$f" sweep mem_mib "$b") MiB" \
        "$(get "$f" sweep build_ms "$b") ms (best $(get "$f" sweep best_build_ms "$b"))"
    fi
    v=$(get "$f" "proto-id+rec+exact+pair" lps "$b")
    if [[ -n $v ]]; then
      row "  prototype, bpc ${b/#0/default}" "$n" "$(fmt_lps "$v")" "$(ratio "$z" "$v")" \
        "$(get "$f" "proto-id+rec+exact+pair" mem_mib "$b") MiB" "-"
    fi
  done
  g=$(get "$f" geos lps)
  if [[ -n $g ]]; then
    row "GEOS STRtree+prepared" "$n" "$(fmt_lps "$g")" "$(ratio "$z" "$g")" "rss +$(get "$f" geos rss_mib) MiB" \
      "$(get "$f" geos build_ms) ms"
  fi
  if [[ -n ${pg_join[$n]-} ]]; then
    row "PostGIS join (GiST)" "$n" "$(fmt_lps "${pg_join[$n]}")" "$(ratio "$z" "${pg_join[$n]}")" \
      "disk ${pg_mem[$n]} MiB (tbl+idx)" "$(printf %.0f "${pg_build[$n]}") ms"
  fi
  if [[ -n ${pg_query[$n]-} ]]; then
    row "PostGIS 1 query/point" "$n" "$(fmt_lps "${pg_query[$n]}")" "$(ratio "$z" "${pg_query[$n]}")" "" ""
  fi
done
for n in $cells_list; do
  c=$(get "$tmp/$n/locate.out" zonegov cpu_pct)
  if awk -v c="$c" 'BEGIN {exit !(c < 95)}'; then
    echo "warning: cells $n: the best zonegov pass had only $c% of a core (other work ran): the figures are low;"
    echo "         per second of its own CPU time it did $(fmt_lps "$(get "$tmp/$n/locate.out" zonegov cpu_lps)") lookups/s"
  fi
done
echo

# ---- checks and verdicts ----------------------------------------------------------
verdict() { # verdict OK|MISS text
  echo "$1  $2"
  [[ $1 == OK ]] || verdict_fail=1
}
for n in $cells_list; do
  f=$tmp/$n/locate.out
  d=$(get "$f" check disagreements)
  if [[ -n $d ]]; then
    verdict "$([[ $d == 0 ]] && echo OK || echo MISS)" \
      "cells $n: zonegov and GEOS agree on $(get "$f" check points) points ($d disagreements, $(get "$f" check near_edge) within 1e-9° of an edge excluded)"
  fi
  if [[ -n ${pg_bad[$n]-} ]]; then
    verdict "$([[ ${pg_bad[$n]} == 0 ]] && echo OK || echo MISS)" \
      "cells $n: zonegov and PostGIS agree on $npg points (${pg_bad[$n]} disagreements)"
  fi
done
check_target() { # check_target N KEY OP LIMIT TEXT
  local n=$1 v
  [[ -n ${zlps[$n]-} ]] || return 0
  case $2 in lps) v=${zlps[$n]} ;; mem) v=${zmem[$n]} ;; build) v=${zbuild[$n]} ;; esac
  if awk -v v="$v" -v l="$4" -v op="$3" 'BEGIN {exit !(op == ">=" ? v >= l : v < l)}'; then
    verdict OK "$5 (measured $v)"
  else
    verdict MISS "$5 (measured $v)"
  fi
}
check_target 100000 lps ">=" 6000000 "target: >= 6 M lookups/s at 100k cells"
check_target 10000 lps ">=" 15000000 "target: >= 15 M lookups/s at 10k cells"
check_target 100000 mem "<" 100 "target: index memory < 100 MiB at 100k cells"
check_target 100000 build "<" 1000 "target: index build < 1 s (1000 ms) at 100k cells"
for n in $cells_list; do
  f=$tmp/$n/locate.out
  g=$(get "$f" geos lps)
  if [[ -n $g ]]; then
    echo "info  cells $n: zonegov / GEOS = $(ratio "${zlps[$n]}" "$g") (the issue's 6 M and 15 M targets are ~10× its GEOS figures)"
  fi
  if [[ -n ${pg_join[$n]-} ]]; then
    echo "info  cells $n: zonegov / PostGIS join = $(ratio "${zlps[$n]}" "${pg_join[$n]}") (~150× in the issue)"
  fi
done
if [[ $strict == 1 && $verdict_fail == 1 ]]; then exit 1; fi
exit 0
