#!/usr/bin/env bash
# `make test`: every suite, then one line "N passed, N failed".
#   unit  tests/unit  cmocka, built with AddressSanitizer + UBSan
#   api   tests/api   node:test against the real server
#   e2e   tests/e2e   node:test + playwright-core on Debian's chromium
#   style scripts/check-style.sh (clang-format and banned calls), one check
# A suite that crashes without a summary counts as one failure.
# Logs: build/test-logs/. Screenshots: build/artifacts/.
set -uo pipefail
cd "$(dirname "$0")/.."
logs=build/test-logs
mkdir -p "$logs" build/artifacts
passed=0
failed=0
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:halt_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

count() { # count PASS FAIL
  passed=$((passed + $1)); failed=$((failed + $2))
}

echo "== unit tests (ASan + UBSan)"
for t in build/debug/tests/test_*; do
  [[ -x $t ]] || continue
  name=$(basename "$t")
  "$t" >"$logs/$name.log" 2>&1
  rc=$?
  p=$(grep -oP '\[  PASSED  \] \K[0-9]+' "$logs/$name.log" | tail -1)
  f=$(grep -oP '\[  FAILED  \] \K[0-9]+' "$logs/$name.log" | tail -1)
  p=${p:-0}; f=${f:-0}
  if [[ $rc -ne 0 && $f -eq 0 ]]; then f=1; fi
  printf '  %-32s %3d passed, %d failed\n' "$name" "$p" "$f"
  if [[ $f -ne 0 ]]; then sed 's/^/    /' "$logs/$name.log" | tail -40; fi
  count "$p" "$f"
done

node_suite() { # node_suite NAME DIR
  local name=$1 dir=$2
  [[ -d $dir ]] && compgen -G "$dir/*.test.mjs" >/dev/null || return 0
  echo "== $name tests"
  node --test --test-concurrency=1 \
    --test-reporter=spec --test-reporter-destination=stdout \
    --test-reporter=tap --test-reporter-destination="$logs/$name.tap" \
    "$dir"/*.test.mjs >"$logs/$name.log" 2>&1
  local rc=$?
  local p f
  p=$(grep -oP '^# pass \K[0-9]+' "$logs/$name.tap" | tail -1)
  f=$(grep -oP '^# fail \K[0-9]+' "$logs/$name.tap" | tail -1)
  p=${p:-0}; f=${f:-0}
  if [[ $rc -ne 0 && $f -eq 0 ]]; then f=1; fi
  printf '  %-32s %3d passed, %d failed\n' "$dir" "$p" "$f"
  if [[ $f -ne 0 ]]; then grep -v '^\s*$' "$logs/$name.log" | tail -60 | sed 's/^/    /'; fi
  count "$p" "$f"
}

echo "== style (clang-format, banned calls)"
if scripts/check-style.sh >"$logs/style.log" 2>&1; then
  echo "  check-style                        1 passed, 0 failed"; count 1 0
else
  echo "  check-style                        0 passed, 1 failed"; sed 's/^/    /' "$logs/style.log" | tail -20; count 0 1
fi

node_suite api tests/api
node_suite e2e tests/e2e

echo
echo "$passed passed, $failed failed"
[[ $failed -eq 0 && $passed -gt 0 ]]
