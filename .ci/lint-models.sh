#!/usr/bin/env bash
# Lints every BPMN model under processes/src/main/resources with bpmnlint (recommended rules plus the
# Camunda 7.24 compatibility rules, see /.bpmnlintrc). Exits non-zero on any lint error.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

npm ci --prefix .ci --no-audit --no-fund --loglevel=error

mapfile -t models < <(find processes/src/main/resources -name '*.bpmn' -type f | sort)
if [ "${#models[@]}" -eq 0 ]; then
  echo "lint-models: no .bpmn files under processes/src/main/resources" >&2
  exit 1
fi

# bpmnlint resolves its plugins from the working directory, so it runs where node_modules is.
cd .ci
status=0
for model in "${models[@]}"; do
  echo "bpmnlint $model"
  node_modules/.bin/bpmnlint --config ../.bpmnlintrc "../$model" || status=1
done

if [ "$status" -ne 0 ]; then
  echo "lint-models: bpmnlint reported errors" >&2
else
  echo "lint-models: ${#models[@]} model(s), no errors"
fi
exit "$status"
