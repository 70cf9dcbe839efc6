# bench/lib.sh — helpers shared by the benchmark scripts (sourced, not run).
#
# The sourcing script defines die() and calls bench_workdir first: $tmp (its
# temporary directory, where server logs are NAME.log) and pids.

# bench_workdir NAME: a new temporary directory in $tmp and an empty pids
# array; on exit (or INT, TERM) the processes in pids are stopped and the
# directory removed, or kept with BENCH_KEEP=1.
bench_workdir() {
  bench_name=$1
  tmp=$(mktemp -d "${TMPDIR:-/tmp}/zonegov-bench-$1.XXXXXX")
  pids=()
  trap bench_cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
}
# shellcheck disable=SC2317 # called by the EXIT trap
bench_cleanup() {
  local rc=$? p i
  trap - EXIT INT TERM
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do
    for ((i = 0; i < 50; i++)); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$p" 2>/dev/null || true
    wait "$p" 2>/dev/null || true
  done
  if [[ ${BENCH_KEEP:-0} == 1 ]]; then
    echo "bench/$bench_name: kept $tmp"
  else
    rm -rf "$tmp"
  fi
  exit "$rc"
}

# A free port on 127.0.0.1 below the ephemeral range (wrk's own ports), in $REPLY.
taken=" "
free_port() {
  local p i
  for ((i = 0; i < 500; i++)); do
    p=$((20000 + RANDOM % 12000))
    [[ $taken == *" $p "* ]] && continue
    if [[ -z $(ss -Htln "sport = :$p") ]]; then
      taken+="$p "
      REPLY=$p
      return 0
    fi
  done
  die "no free port found"
}

# wait_http NAME PID URL [SECONDS]: until URL answers (any status), at most SECONDS (60).
wait_http() {
  local i limit=$((${4:-60} * 10))
  for ((i = 0; i < limit; i++)); do
    kill -0 "$2" 2>/dev/null || die "$1 exited at start; its log:"$'\n'"$(cat "$tmp/$1.log" 2>/dev/null)"
    curl -s -o /dev/null --max-time 1 "$3" && return 0
    sleep 0.1
  done
  die "$1 did not answer $3 within ${4:-60} s"
}

# CPU time (user + system, all threads) of the given pids, in clock ticks.
cpu_ticks() {
  local p sum=0 rest
  for p in "$@"; do
    rest=$(cat "/proc/$p/stat" 2>/dev/null) || continue
    rest=${rest##*) }
    read -r -a f <<<"$rest"
    sum=$((sum + f[11] + f[12]))
  done
  echo "$sum"
}
hz=$(getconf CLK_TCK)

# Machine-wide CPU ticks: "busy total" (all cores; steal counts as busy).
machine_ticks() { awk '/^cpu /{b = $2 + $3 + $4 + $7 + $8 + $9; print b, b + $5 + $6}' /proc/stat; }

# CPU ticks used by this shell's finished children (wrk, an anchor), from the times builtin,
# in $REPLY (not for $(...): a subshell has children of its own).
child_ticks() {
  times >"$tmp/times"
  REPLY=$(awk -v hz="$hz" 'NR == 2 { n = 0; for (i = 1; i <= 2; i++) { split($i, a, "m"); n += a[1] * 60 + a[2] }
    printf "%d", n * hz + 0.5 }' "$tmp/times")
}

# The median of a space-separated list of numbers.
median() { tr ' ' '\n' <<<"$1" | grep . | sort -g | awk '{a[NR] = $1} END{ if (NR % 2) print a[(NR + 1) / 2]; else printf "%.2f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
