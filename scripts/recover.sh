#!/usr/bin/env bash
# Recovery after a `pulumi up` that died mid-way (kill -9, a CI timeout, an OOM kill, a laptop going to
# sleep), without hand surgery on the state or the cluster:
#
#   npm run recover -- --stack <stack> [--yes] [--force] [--no-up]
#
#   1. refuses while the update that holds the stack's lock is still alive on this machine; a lock held
#      from another machine is only broken with --force (file backends; Pulumi Cloud knows its own)
#   2. stops the Pulumi plugins the dead CLI left running (providers, language host, policy analyzer)
#   3. puts back the previous checkpoint when the dead update left the current one unreadable (file backends
#      keep it as <stack>.json.bak), before anything else has to read it
#   4. clears the lock (`pulumi cancel`)
#   5. refreshes from the cluster and drops the creates the dead update left pending
#      (`pulumi refresh --clear-pending-creates`): objects it had created are still in the cluster, and
#      the next step adopts them, because every object is applied as the stack's one stable field
#      manager (components/k8s/meta.ts), so nothing is orphaned or created twice
#   6. reconciles with `pulumi up --refresh` (asks first unless --yes; skipped with --no-up)
#
# Runs against the stack in the current backend (`pulumi login`, or PULUMI_BACKEND_URL).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib/node.sh
source "$here/lib/node.sh"
the0_use_node22
cd "${THE0_PROJECT_DIR:-$here/..}"

usage() { sed -n '5,5p' "$here/recover.sh" | sed 's/^# \{0,1\}//' >&2; exit 2; }
stack="" yes=false force=false up=true
while [ $# -gt 0 ]; do
  case $1 in
    --stack) stack="${2:?--stack needs a name}"; shift 2 ;;
    --yes) yes=true; shift ;;
    --force) force=true; shift ;;
    --no-up) up=false; shift ;;
    -h | --help) usage ;;
    *) echo "recover: unknown argument $1" >&2; usage ;;
  esac
done
[ -n "$stack" ] || usage
command -v pulumi >/dev/null || { echo "recover: the Pulumi CLI is not on PATH" >&2; exit 1; }
say() { echo "recover: $*"; }

# 1. Who holds the lock. A file backend keeps it as JSON files ({pid, username, hostname, timestamp}).
backend="${PULUMI_BACKEND_URL:-$(pulumi whoami --json 2>/dev/null | node -pe 'JSON.parse(require("fs").readFileSync(0)).url || ""')}"
project="$(node -pe 'require("yaml").parse(require("fs").readFileSync("Pulumi.yaml", "utf8")).name')"
if [[ $backend == file://* ]]; then
  root="${backend#file://}"
  root="${root%%\?*}"
  for lock in "$root"/.pulumi/locks/*/"$project/$stack"/*.json "$root/.pulumi/locks/$stack"/*.json; do
    [ -f "$lock" ] || continue
    read -r pid host since < <(node -e 'const l = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); console.log(l.pid, l.hostname, l.timestamp)' "$lock")
    if [ "$host" = "$(hostname)" ]; then
      if kill -0 "$pid" 2>/dev/null && [ "$(ps -o comm= -p "$pid")" = pulumi ]; then
        echo "recover: an update of $stack is still running (pid $pid, since $since): let it finish, or stop it first" >&2
        exit 1
      fi
      say "the lock of $stack belongs to pid $pid (since $since), which is gone"
    elif [ "$force" = true ]; then
      say "breaking the lock held from $host (pid $pid, since $since), as --force asks"
    else
      echo "recover: $stack is locked from another machine ($host, pid $pid, since $since); if that update is dead, run again with --force" >&2
      exit 1
    fi
  done
fi

# 2. Plugins whose CLI is gone: their parent is no longer a `pulumi` process. A live update's plugins
#    are children of its CLI, so they are left alone.
for pid in $(pgrep -u "$(id -u)" -f '(^|/)pulumi-(resource|language|analyzer)-' || true); do
  parent="$(ps -o ppid= -p "$pid" 2>/dev/null | tr -d ' ')" || continue
  [ -n "$parent" ] || continue
  if [ "$(ps -o comm= -p "$parent" 2>/dev/null)" != pulumi ]; then
    say "stopping $(ps -o comm= -p "$pid") (pid $pid), left running by a dead CLI"
    kill "$pid" 2>/dev/null || true
  fi
done

# 3. A checkpoint the dead CLI left unreadable (file backend): put back the previous one, which the backend
#    keeps beside it as <stack>.json.bak; what was created after it is adopted by step 5 like a pending create.
if ! export_err="$(pulumi stack export --stack "$stack" 2>&1 >/dev/null)"; then
  if [[ $export_err == *"failed to load checkpoint"* && ${root:-} != "" ]]; then
    for checkpoint in "$root/.pulumi/stacks/$project/$stack.json" "$root/.pulumi/stacks/$stack.json"; do
      [ -f "$checkpoint.bak" ] || continue
      broken="$checkpoint.broken-$(date -u +%Y%m%dT%H%M%SZ)"
      mv "$checkpoint" "$broken"
      cp "$checkpoint.bak" "$checkpoint"
      say "the checkpoint of $stack could not be read ($export_err); kept it as $broken and put back the previous one ($checkpoint.bak)"
      break
    done
  fi
  pulumi stack export --stack "$stack" >/dev/null || { echo "recover: the state of $stack cannot be read: $export_err" >&2; exit 1; }
fi

# 4. The lock.
pulumi cancel --yes --stack "$stack" >/dev/null 2>&1 || true
say "cleared the lock of $stack"

# 5. Pending operations, then a refresh that drops the pending creates.
pending="$(pulumi stack export --stack "$stack" | node -e '
  const ops = JSON.parse(require("fs").readFileSync(0, "utf8")).deployment?.pending_operations ?? [];
  for (const op of ops) console.log(`  ${op.type}: ${op.resource.urn}`);')"
if [ -n "$pending" ]; then
  say "the dead update left these operations pending:"
  echo "$pending"
fi
pulumi refresh --stack "$stack" --yes --skip-preview --non-interactive --clear-pending-creates
say "state of $stack refreshed from the cluster; no pending operations are left"

# 6. Reconcile.
if [ "$up" = true ]; then
  if [ "$yes" = true ]; then
    pulumi up --stack "$stack" --refresh --yes --skip-preview --non-interactive
  else
    pulumi up --stack "$stack" --refresh
  fi
  say "$stack is deployed again"
fi
