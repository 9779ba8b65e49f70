#!/usr/bin/env bash
# Recovery after a `pulumi up` that died mid-way (kill -9, a CI timeout, an OOM kill, a laptop going to
# sleep), without hand surgery on the state or the cluster:
#
#   npm run recover -- --stack <stack> [--yes] [--force] [--no-up]
#
#   1. refuses while the update that holds the stack's lock is still alive on this machine; a lock held
#      from another machine is only broken with --force (file backends; Pulumi Cloud knows its own)
#   2. stops the Pulumi plugins the dead CLI left running (providers, language host, policy analyzer)
#   3. makes the checkpoint readable again when the dead update left it unreadable (file backends): drops a
#      metadata sidecar the kill emptied, and only a checkpoint that does not parse is replaced, by
#      <stack>.json.bak or else the newest one of the stack's history; before anything else has to read it
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

# 3. A checkpoint the dead CLI left unreadable (file backends). The backend replaces <stack>.json atomically
#    (a temp file, then a rename) but rewrites its metadata sidecar <stack>.json.attrs in place, so a kill in
#    between leaves the sidecar empty: every read then fails with "failed to load checkpoint: EOF" while the
#    checkpoint itself is whole and current. So first drop sidecars that are not JSON (a missing one is fine);
#    only a checkpoint that does not parse is replaced: by <stack>.json.bak (one step older), else by the
#    newest checkpoint of the stack's history (from before the dead update). What the dead update created
#    after it is adopted by step 5 like a pending create.
json_ok() { node -e 'JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))' "$1" 2>/dev/null; }
checkpoint_ok() {
  [ -s "$1" ] && node -e 'const c = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); if (typeof c.version !== "number" || !c.checkpoint) process.exit(1)' "$1" 2>/dev/null
}
if ! export_err="$(pulumi stack export --stack "$stack" 2>&1 >/dev/null)"; then
  if [[ $export_err == *"failed to load checkpoint"* && ${root:-} != "" ]]; then
    for dir in "$root/.pulumi/stacks/$project" "$root/.pulumi/stacks"; do
      checkpoint="$dir/$stack.json"
      [ -e "$checkpoint" ] || [ -e "$checkpoint.bak" ] || continue
      for sidecar in "$checkpoint.attrs" "$checkpoint.bak.attrs"; do
        if [ -e "$sidecar" ] && ! json_ok "$sidecar"; then
          rm -f "$sidecar"
          say "removed $sidecar, the backend's metadata beside the checkpoint, which the dead CLI left unreadable ($export_err); the checkpoint itself is kept"
        fi
      done
      if ! checkpoint_ok "$checkpoint"; then
        candidate=""
        if checkpoint_ok "$checkpoint.bak"; then
          candidate="$checkpoint.bak"
        else
          for h in $(ls -1t "$root/.pulumi/history/$project/$stack/$stack"-*.checkpoint.json "$root/.pulumi/history/$stack/$stack"-*.checkpoint.json 2>/dev/null); do
            if checkpoint_ok "$h"; then candidate="$h"; break; fi
          done
        fi
        [ -n "$candidate" ] || { echo "recover: the checkpoint of $stack cannot be read and neither $checkpoint.bak nor the stack's history holds a readable one: restore $root/.pulumi from a copy" >&2; exit 1; }
        broken="$checkpoint.broken-$(date -u +%Y%m%dT%H%M%SZ)"
        [ -e "$checkpoint" ] && mv "$checkpoint" "$broken"
        cp "$candidate" "$checkpoint"
        rm -f "$checkpoint.attrs"
        say "the checkpoint of $stack could not be read ($export_err); kept it as $broken and put back $candidate"
      fi
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
