#!/usr/bin/env bash
# Build the static web app: copy web/* and the vendor files from node_modules
# into OUTDIR (default build/web). No bundler; this is only a copy.
#
#   scripts/build-web.sh build/web
#
# Needs `npm ci` (or `npm install`) to have been run at the repository root.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="${1:-build/web}"
NM="$ROOT/node_modules"

die() { echo "build-web: $*" >&2; exit 1; }

[ -n "$OUT" ] || die "empty OUTDIR"
[ -d "$ROOT/web" ] || die "missing $ROOT/web"

# vendor file list: "source (relative to node_modules)|destination (relative to OUTDIR/vendor)"
VENDOR=(
  "vue/dist/vue.global.prod.js|vue.global.prod.js"
  "element-plus/dist/index.full.min.js|element-plus/index.full.min.js"
  "element-plus/dist/index.css|element-plus/index.css"
  "element-plus/dist/locale/zh-cn.min.js|element-plus/locale/zh-cn.min.js"
  "element-plus/dist/locale/en.min.js|element-plus/locale/en.min.js"
  "@element-plus/icons-vue/dist/index.iife.min.js|element-plus-icons/index.iife.min.js"
  "leaflet/dist/leaflet.js|leaflet/leaflet.js"
  "leaflet/dist/leaflet.css|leaflet/leaflet.css"
  "leaflet/dist/images/layers.png|leaflet/images/layers.png"
  "leaflet/dist/images/layers-2x.png|leaflet/images/layers-2x.png"
  "leaflet/dist/images/marker-icon.png|leaflet/images/marker-icon.png"
  "leaflet/dist/images/marker-icon-2x.png|leaflet/images/marker-icon-2x.png"
  "leaflet/dist/images/marker-shadow.png|leaflet/images/marker-shadow.png"
  "echarts/dist/echarts.min.js|echarts/echarts.min.js"
  "vue/LICENSE|licenses/vue.LICENSE"
  "element-plus/LICENSE|licenses/element-plus.LICENSE"
  "@element-plus/icons-vue/LICENSE|licenses/element-plus-icons-vue.LICENSE"
  "leaflet/LICENSE|licenses/leaflet.LICENSE"
  "echarts/LICENSE|licenses/echarts.LICENSE"
  "echarts/NOTICE|licenses/echarts.NOTICE"
)

if [ ! -d "$NM" ]; then
  die "node_modules not found at $NM; run 'npm ci' in $ROOT first"
fi
missing=0
for entry in "${VENDOR[@]}"; do
  src="${entry%%|*}"
  if [ ! -f "$NM/$src" ]; then
    echo "build-web: missing vendor file node_modules/$src" >&2
    missing=1
  fi
done
[ "$missing" -eq 0 ] || die "node_modules is incomplete or has unexpected versions; run 'npm ci' in $ROOT"

# Resolve OUTDIR to an absolute path and refuse dangerous targets before wiping it.
case "$OUT" in /*) ABS_OUT="$OUT" ;; *) ABS_OUT="$PWD/$OUT" ;; esac
mkdir -p "$ABS_OUT"
ABS_OUT="$(cd "$ABS_OUT" && pwd -P)"
ROOT_REAL="$(cd "$ROOT" && pwd -P)"
case "$ABS_OUT" in
  / | "$ROOT_REAL" | "$ROOT_REAL/web" | "$ROOT_REAL/web/"* | "$ROOT_REAL/src" | "$ROOT_REAL/node_modules" | "$HOME")
    die "refusing to use $ABS_OUT as OUTDIR" ;;
esac

# Build into a fresh temporary sibling, then swap it in, so OUTDIR never holds
# a half-copied or stale tree (idempotent: each run gives the same result).
TMP="$(mktemp -d "$(dirname "$ABS_OUT")/.$(basename "$ABS_OUT").tmp.XXXXXX")"
trap 'rm -rf "$TMP"' EXIT

cp -R "$ROOT/web/." "$TMP/"
for entry in "${VENDOR[@]}"; do
  src="${entry%%|*}"
  dst="${entry#*|}"
  mkdir -p "$TMP/vendor/$(dirname "$dst")"
  cp "$NM/$src" "$TMP/vendor/$dst"
done
chmod -R u+rwX,go+rX "$TMP"

rm -rf "$ABS_OUT"
mv "$TMP" "$ABS_OUT"
trap - EXIT
echo "build-web: wrote $ABS_OUT"
