# shellcheck shell=bash
# The Debian helpers the suites with real servers need (tests/contract, tests/the0): pg_isready and psql (a
# PostgreSQL client; 15 here) for the probes, and nss_wrapper to give the PostgreSQL pod's uid 70 a passwd entry
# (as the postgres image does for arbitrary uids). Installs the missing ones.
the0_ensure_server_helpers() {
  local missing=()
  [ -x /usr/lib/postgresql/15/bin/pg_isready ] || command -v pg_isready >/dev/null || missing+=(postgresql-client)
  [ -e /usr/lib/x86_64-linux-gnu/libnss_wrapper.so ] || missing+=(libnss-wrapper)
  if [ ${#missing[@]} -gt 0 ]; then
    echo "installing ${missing[*]} from Debian" >&2
    apt-get install -y -q "${missing[@]}" >&2 || { apt-get update -q >&2 && apt-get install -y -q "${missing[@]}" >&2; }
  fi
}
