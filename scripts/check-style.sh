#!/usr/bin/env bash
# `make check-style`: clang-format (.clang-format) and banned calls (docs/CODE_STYLE.md).
set -uo pipefail
cd "$(dirname "$0")/.."
rc=0
files=$(git ls-files 'src/*.c' 'src/*.h' 'tests/unit/*.c' bench/'*.c' 2>/dev/null)
if command -v clang-format >/dev/null; then
  if ! clang-format --dry-run -Werror $files 2>/dev/null; then
    echo "check-style: formatting differs; run: clang-format -i \$(git ls-files 'src/*.[ch]' 'tests/unit/*.c')"
    rc=1
  fi
else
  echo "check-style: clang-format not installed; formatting not checked"
fi
# Unbounded or unsafe calls: use struct buf, snprintf, strtol instead.
banned='\b(sprintf|vsprintf|strcpy|strcat|strncat|gets|strtok|atoi|atol|atof|tmpnam|mktemp)\s*\('
if grep -nP "$banned" $files; then
  echo "check-style: banned calls above (see docs/CODE_STYLE.md)"
  rc=1
fi
[[ $rc -eq 0 ]] && echo "check-style: ok"
exit $rc
