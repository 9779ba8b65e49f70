#!/usr/bin/env bash
# A data store to a new major version, through a dump (the deployment doc's "Major upgrades of a data store"):
#
#   npm run upgrade-store -- --stack <stack> --store <postgres|mongo> --to <image> [--yes]
#
#   backs the store up now with its own CronJob, removes the old server and its volume, sets <store>.image and runs
#   pulumi up (the new major starts empty), then restores exactly that backup with npm run restore (--force: the api
#   may have created empty tables meanwhile). Dry run unless --yes. Refuses (exit 2) an external store, a stack that
#   does not back the store up, and an image of the same major. Reads the stack's config from the current backend.
set -euo pipefail
# shellcheck source=lib/node.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/node.sh"
the0_stack_command upgrade-store 4 11 "$@"
