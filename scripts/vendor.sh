#!/usr/bin/env bash
# Re-create the vendored front-end/test files from the npm registry.
#
#   scripts/vendor.sh            # (no arguments)
#
# For every pinned package it runs `npm pack <name>@<exact version>` into a
# temporary directory, checks the tarball's sha512 against the pinned npm
# `dist.integrity`, extracts it with tar, and copies only the files we ship.
# Nothing is installed and no node_modules directory is created in the repo.
#
# Outputs (each target directory is wiped and re-created):
#   static/vendor/chartjs/           Chart.js UMD minified build + LICENSE.md
#   static/vendor/mermaid/           Mermaid ESM minified entry + lazy chunks + LICENSE
#   tests/vendor/axe-core/           axe.min.js + LICENSE + LICENSE-3RD-PARTY.txt
#   tests/vendor/jsonfeed-schema/    JSON Feed 1.1 JSON Schema + LICENSE
#   static/vendor/VERSIONS.md        table of versions, files, licences, integrity
set -euo pipefail

# ---- pinned versions ---------------------------------------------------------
CHARTJS_VERSION="4.6.1"
MERMAID_VERSION="11.17.2"
AXE_CORE_VERSION="4.14.1"
JSONFEED_SCHEMA_VERSION="0.5.0"

# ---- pinned npm tarball integrity (npm view <pkg>@<ver> dist.integrity) -------
CHARTJS_INTEGRITY="sha512-hJyniucsFmq//EvXYvJ6c6mahPoI3kaxdjVH8awTaJ/fDNWeSqqqArixMJWkWNN6fcYvPU3HneSANFNYtRi61g=="
MERMAID_INTEGRITY="sha512-V6K3C8EBdEsPFZXSKMJe6ppQOENxuHARr9GvHX4hh47lAbhMRD9qf4oEK7LoaRQxULMa80/qt5gHO73aCleBBg=="
AXE_CORE_INTEGRITY="sha512-FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ=="
JSONFEED_SCHEMA_INTEGRITY="sha512-P2+N3F2UCkYoeRQrJ5wf+Y/a9LULHtTdCxkVmgwEDuS+IyQUhJfJ1l5mB205Zlb2JcMYVWhM6SP1Jbasave5Eg=="
# -------------------------------------------------------------------------------

export LC_ALL=C
umask 022

for tool in npm node tar sha512sum base64 mktemp; do
  command -v "$tool" >/dev/null 2>&1 || { echo "vendor.sh: missing required tool: $tool" >&2; exit 1; }
done

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TMP="$(mktemp -d "${TMPDIR:-/tmp}/insights-vendor.XXXXXX")"
trap 'rm -rf "$TMP"' EXIT

log() { printf '==> %s\n' "$*" >&2; }

# fetch <name> <version> <integrity> : packs and extracts into $TMP/<name>/package,
# prints that directory on stdout.
fetch() {
  local name="$1" version="$2" integrity="$3"
  local dest="$TMP/$name" tarball actual registry_integrity
  mkdir -p "$dest"
  log "npm pack $name@$version"
  tarball="$(cd "$dest" && npm pack "$name@$version" --ignore-scripts --json --loglevel=error \
    | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>process.stdout.write(JSON.parse(s)[0].filename))')"
  tarball="$dest/$tarball"
  [ -f "$tarball" ] || { echo "vendor.sh: npm pack produced no tarball for $name@$version" >&2; exit 1; }

  actual="sha512-$(sha512sum "$tarball" | cut -d' ' -f1 | hex_to_b64)"
  if [ "$actual" != "$integrity" ]; then
    echo "vendor.sh: integrity mismatch for $name@$version" >&2
    echo "  pinned: $integrity" >&2
    echo "  actual: $actual" >&2
    exit 1
  fi
  registry_integrity="$(npm view "$name@$version" dist.integrity --loglevel=error)"
  if [ "$registry_integrity" != "$integrity" ]; then
    echo "vendor.sh: registry dist.integrity for $name@$version ($registry_integrity) != pinned" >&2
    exit 1
  fi

  tar -xzf "$tarball" -C "$dest" --no-same-owner --no-same-permissions
  printf '%s\n' "$dest/package"
}

# hex digest on stdin -> base64 of the raw bytes
hex_to_b64() {
  node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>process.stdout.write(Buffer.from(s.trim(),"hex").toString("base64")))'
}

# put <src> <dst> : copy one file with fixed mode 0644
put() {
  install -D -m 0644 "$1" "$2"
}

# fresh <dir> : wipe and re-create an output directory (only our own dirs)
fresh() {
  rm -rf "$1"
  mkdir -p "$1"
}

# ---- Chart.js ----------------------------------------------------------------
CHART_PKG="$(fetch chart.js "$CHARTJS_VERSION" "$CHARTJS_INTEGRITY")"
CHART_OUT="$ROOT/static/vendor/chartjs"
fresh "$CHART_OUT"
if [ -f "$CHART_PKG/dist/chart.umd.min.js" ]; then
  CHART_FILE="chart.umd.min.js"
else
  CHART_FILE="chart.umd.js"   # older 4.x releases only ship this (already minified)
fi
put "$CHART_PKG/dist/$CHART_FILE" "$CHART_OUT/$CHART_FILE"
put "$CHART_PKG/LICENSE.md" "$CHART_OUT/LICENSE.md"

# ---- Mermaid (ESM, minified, lazily loaded chunks) -----------------------------
MERMAID_PKG="$(fetch mermaid "$MERMAID_VERSION" "$MERMAID_INTEGRITY")"
MERMAID_OUT="$ROOT/static/vendor/mermaid"
fresh "$MERMAID_OUT"
put "$MERMAID_PKG/dist/mermaid.esm.min.mjs" "$MERMAID_OUT/mermaid.esm.min.mjs"
mkdir -p "$MERMAID_OUT/chunks/mermaid.esm.min"
# only the .mjs chunks: no source maps, no .d.ts, no other builds
find "$MERMAID_PKG/dist/chunks/mermaid.esm.min" -maxdepth 1 -type f -name '*.mjs' -print0 \
  | sort -z \
  | while IFS= read -r -d '' f; do
      put "$f" "$MERMAID_OUT/chunks/mermaid.esm.min/$(basename "$f")"
    done
put "$MERMAID_PKG/LICENSE" "$MERMAID_OUT/LICENSE"

# Sanity check: every static import / export-from and every string-literal dynamic
# import() in the shipped .mjs files must be relative and resolve to a shipped file.
log "checking Mermaid module specifiers"
node --experimental-vm-modules --no-warnings --input-type=module - "$MERMAID_OUT" <<'JS'
import vm from 'node:vm'; import fs from 'node:fs'; import path from 'node:path';
const root = path.resolve(process.argv[2]);
const files = [path.join(root, 'mermaid.esm.min.mjs'),
  ...fs.readdirSync(path.join(root, 'chunks/mermaid.esm.min')).map(f => path.join(root, 'chunks/mermaid.esm.min', f))];
const problems = [];
for (const f of files) {
  if (!f.endsWith('.mjs')) { problems.push(`unexpected file ${f}`); continue; }
  const src = fs.readFileSync(f, 'utf8');
  const specs = [...new vm.SourceTextModule(src, { identifier: f }).dependencySpecifiers];
  for (const m of src.matchAll(/\bimport\s*\(\s*([^)]{0,200})\)/g)) {
    const lit = m[1].match(/^(["'`])([^"'`]*)\1\s*$/);
    if (!lit) { problems.push(`${f}: non-literal dynamic import(${m[1].slice(0, 60)})`); continue; }
    specs.push(lit[2]);
  }
  for (const s of specs) {
    if (!s.startsWith('./') && !s.startsWith('../')) { problems.push(`${f}: non-relative specifier ${s}`); continue; }
    const p = path.resolve(path.dirname(f), s);
    if (!p.startsWith(root + path.sep)) problems.push(`${f}: ${s} escapes the vendor dir`);
    else if (!fs.existsSync(p)) problems.push(`${f}: ${s} does not exist`);
  }
}
if (problems.length) { console.error(problems.join('\n')); process.exit(1); }
console.error(`    ${files.length} modules OK (all specifiers relative and present)`);
JS

# ---- axe-core ------------------------------------------------------------------
AXE_PKG="$(fetch axe-core "$AXE_CORE_VERSION" "$AXE_CORE_INTEGRITY")"
AXE_OUT="$ROOT/tests/vendor/axe-core"
fresh "$AXE_OUT"
put "$AXE_PKG/axe.min.js" "$AXE_OUT/axe.min.js"
put "$AXE_PKG/LICENSE" "$AXE_OUT/LICENSE"
if [ -f "$AXE_PKG/LICENSE-3RD-PARTY.txt" ]; then
  put "$AXE_PKG/LICENSE-3RD-PARTY.txt" "$AXE_OUT/LICENSE-3RD-PARTY.txt"
fi

# ---- JSON Feed 1.1 JSON Schema ---------------------------------------------------
JSONFEED_PKG="$(fetch jsonfeed-schema "$JSONFEED_SCHEMA_VERSION" "$JSONFEED_SCHEMA_INTEGRITY")"
JSONFEED_OUT="$ROOT/tests/vendor/jsonfeed-schema"
fresh "$JSONFEED_OUT"
# the package's v1.1.js is `module.exports = require('./schema-v1.1.json')`
put "$JSONFEED_PKG/schema-v1.1.json" "$JSONFEED_OUT/schema-v1.1.json"
if [ -f "$JSONFEED_PKG/LICENSE" ]; then
  put "$JSONFEED_PKG/LICENSE" "$JSONFEED_OUT/LICENSE"
else
  node -e 'process.stdout.write(require(process.argv[1]).license + "\n")' "$JSONFEED_PKG/package.json" > "$JSONFEED_OUT/LICENSE"
  chmod 0644 "$JSONFEED_OUT/LICENSE"
fi
node -e '
  const s = require(process.argv[1]);
  if (!/1\.1/.test(s.description || "") || !s.properties.version.enum.includes("https://jsonfeed.org/version/1.1"))
    { console.error("vendor.sh: schema-v1.1.json does not look like the JSON Feed 1.1 schema"); process.exit(1); }
' "$JSONFEED_OUT/schema-v1.1.json"

# ---- VERSIONS.md -------------------------------------------------------------------
license_of() { node -e 'process.stdout.write(String(require(process.argv[1]).license))' "$1/package.json"; }

MERMAID_CHUNKS="$(find "$MERMAID_OUT/chunks/mermaid.esm.min" -type f -name '*.mjs' | wc -l | tr -d ' ')"
{
  echo "# Vendored third-party files"
  echo
  echo "Generated by \`scripts/vendor.sh\` from the npm registry (\`npm pack <name>@<version>\`);"
  echo "do not edit by hand. Files are copied unmodified from the package tarballs."
  echo
  echo "| Package | Pinned version | Files | Licence | npm tarball integrity |"
  echo "|---|---|---|---|---|"
  echo "| chart.js | $CHARTJS_VERSION | \`static/vendor/chartjs/$CHART_FILE\`, \`static/vendor/chartjs/LICENSE.md\` | $(license_of "$CHART_PKG") | \`$CHARTJS_INTEGRITY\` |"
  echo "| mermaid | $MERMAID_VERSION | \`static/vendor/mermaid/mermaid.esm.min.mjs\`, \`static/vendor/mermaid/chunks/mermaid.esm.min/*.mjs\` ($MERMAID_CHUNKS chunks), \`static/vendor/mermaid/LICENSE\` | $(license_of "$MERMAID_PKG") | \`$MERMAID_INTEGRITY\` |"
  AXE_FILES="\`tests/vendor/axe-core/axe.min.js\`, \`tests/vendor/axe-core/LICENSE\`"
  [ -f "$AXE_OUT/LICENSE-3RD-PARTY.txt" ] && AXE_FILES="$AXE_FILES, \`tests/vendor/axe-core/LICENSE-3RD-PARTY.txt\`"
  echo "| axe-core | $AXE_CORE_VERSION | $AXE_FILES | $(license_of "$AXE_PKG") | \`$AXE_CORE_INTEGRITY\` |"
  echo "| jsonfeed-schema | $JSONFEED_SCHEMA_VERSION | \`tests/vendor/jsonfeed-schema/schema-v1.1.json\` (JSON Feed 1.1), \`tests/vendor/jsonfeed-schema/LICENSE\` | $(license_of "$JSONFEED_PKG") | \`$JSONFEED_SCHEMA_INTEGRITY\` |"
} > "$ROOT/static/vendor/VERSIONS.md"
chmod 0644 "$ROOT/static/vendor/VERSIONS.md"

log "done"
