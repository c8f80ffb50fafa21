#!/usr/bin/env bash
# The login storm of ../shared/tools/peerbench (1,000 parents, each a 300-message inbox, and the
# staff directory) against Hocuspocus, the y-websocket server and our hub's storage and wire path,
# in one run. Writes docs/peerbench.md. Usage: bash scripts/peerbench.sh [path to peerbench] [extra bench.mjs flags]
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
source_dir="${1:-$repo/../shared/tools/peerbench}"
shift || true
work="$(mktemp -d)/peerbench"
cp -r "$source_dir" "$work"
chmod -R u+w "$work"
(cd "$work" && npm ci --no-audit --no-fund >/dev/null 2>&1)
cat > "$work/schoolping-targets.json" <<JSON
{
  "schoolping": {
    "flavour": "y-websocket",
    "cmd": ["sh", "-c", "exec {node} --import $repo/node_modules/tsx/dist/esm/index.mjs $repo/scripts/peerbench-target.ts --port {port}"],
    "env": { "DOCS_DIR": "{docsDir}" },
    "url": "ws://127.0.0.1:{port}/sync/{doc}",
    "notes": "SchoolPing's hub storage and wire path (SQLite, answered from stored state without a Y.Doc); no session layer, which the harness cannot pass"
  }
}
JSON
(cd "$work" && node bench.mjs --targets-file schoolping-targets.json --peers hocuspocus,y-websocket,schoolping --out "$work/result" "$@")
{
  echo '# Peer benchmark: the login storm'
  echo
  echo 'Written by `bash scripts/peerbench.sh` (the harness in ../shared/tools/peerbench, copied and'
  echo 'installed for the run). Every server under the same storm in one run; compare within the table.'
  echo 'The `schoolping` target is our hub'"'"'s storage and wire path without its session layer, which'
  echo 'the harness cannot pass (see docs/decisions.md).'
  echo
  sed -n '/^P=/,$p' "$work/result.md"
} > "$repo/docs/peerbench.md"
echo "Wrote docs/peerbench.md"
