#!/usr/bin/env bash
# `npm test`: type-check the program and the policy pack, then the unit tests. Sets up what it needs first
# (Node 22 where the machine's is older, the program's and the policy pack's dependencies), so it passes on a
# fresh clone before or after `npm run deploy:dev`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=lib/node.sh
source scripts/lib/node.sh
the0_use_node22
the0_ensure_deps
npx tsc --noEmit -p .
npx tsc --noEmit -p policy
npx mocha "$@"
