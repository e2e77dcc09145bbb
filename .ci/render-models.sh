#!/usr/bin/env bash
# Renders every BPMN model in processes/src/main/resources/bpmn to docs/models/<process-key>.svg with bpmn-js in
# headless Chromium (Debian's /usr/bin/chromium driven by puppeteer-core; both npm packages are pinned in
# .ci/package.json). The same model gives the same file, so after a change to a model: run this and commit the SVG.
#   bash .ci/render-models.sh           render every model into docs/models
#   bash .ci/render-models.sh --check   render into a temporary folder and fail if docs/models differs from it
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

out="$root/docs/models"
if [ "${1:-}" = "--check" ]; then
  out="$(mktemp -d)"
  trap 'rm -rf "$out"' EXIT
fi

[ -d .ci/node_modules/bpmn-js ] && [ -d .ci/node_modules/puppeteer-core ] \
  || npm ci --prefix .ci --no-audit --no-fund --loglevel=error

mapfile -t models < <(find processes/src/main/resources/bpmn -maxdepth 1 -name '*.bpmn' -type f | sort)
if [ "${#models[@]}" -eq 0 ]; then
  echo "render-models: no .bpmn files in processes/src/main/resources/bpmn" >&2
  exit 1
fi

mkdir -p "$out"
(cd .ci && node render-models.mjs "$out" "${models[@]/#/$root/}")

if [ "${1:-}" = "--check" ]; then
  if diff -r "$out" docs/models --exclude='*.md'; then
    echo "render-models: docs/models matches ${#models[@]} model(s)"
  else
    echo "render-models: docs/models is out of date; run bash .ci/render-models.sh and commit the SVGs" >&2
    exit 1
  fi
else
  echo "render-models: ${#models[@]} model(s) rendered into $out"
fi
