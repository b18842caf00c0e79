#!/usr/bin/env bash
# Build step (gan4j-core, generate-resources): bundles the uPlot chart library into the jar so that HTML reports and the
# dashboard load nothing from the network. Fetches a pinned version from the npm registry with `npm pack`, verifies its
# sha512 integrity against the value pinned below, and copies dist/uPlot.iife.min.js and dist/uPlot.min.css to
# the report package's resources. Skips everything when both files are already in place (offline rebuilds), and npm's
# own cache serves a later download after `mvn clean` without the network.
set -euo pipefail
version=1.6.31
integrity='sha512-sQZqSwVCbJGnFB4IQjQYopzj5CoTZJ4Br1fG/xdONimqgHmsacvCjNesdGDypNKFbrhLGIeshYhy89FxPF+H+w=='
target_dir=${1:?usage: fetch-uplot.sh TARGET_DIR CLASSES_DIR}
out=${2:?usage: fetch-uplot.sh TARGET_DIR CLASSES_DIR}/org/gan4j/report
stamp="$out/uPlot.version"

if [ -s "$out/uPlot.iife.min.js" ] && [ -s "$out/uPlot.min.css" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$version" ]; then
  exit 0
fi
if ! command -v npm >/dev/null 2>&1 || ! command -v node >/dev/null 2>&1; then
  echo "gan4j build: npm and node are needed once to fetch the chart library uPlot $version from the npm registry" >&2
  echo "gan4j build: install them (Debian: apt-get install npm) and build again" >&2
  exit 1
fi
work="$target_dir/uplot-npm"
rm -rf "$work" && mkdir -p "$work"
if ! (cd "$work" && npm pack "uplot@$version" --prefer-offline --silent >/dev/null); then
  echo "gan4j build: 'npm pack uplot@$version' failed (no network and not in npm's cache?)" >&2
  exit 1
fi
tarball="$work/uplot-$version.tgz"
actual="sha512-$(node -e 'const c=require("crypto"),f=require("fs");process.stdout.write(c.createHash("sha512").update(f.readFileSync(process.argv[1])).digest("base64"))' "$tarball")"
if [ "$actual" != "$integrity" ]; then
  echo "gan4j build: uplot-$version.tgz integrity mismatch: expected $integrity, got $actual" >&2
  exit 1
fi
tar -xzf "$tarball" -C "$work"
mkdir -p "$out"
cp "$work/package/dist/uPlot.iife.min.js" "$work/package/dist/uPlot.min.css" "$out/"
cp "$work/package/LICENSE" "$out/uPlot.LICENSE"
echo "$version" > "$stamp"
echo "gan4j build: bundled uPlot $version (integrity verified) into $out"
