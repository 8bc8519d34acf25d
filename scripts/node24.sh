# Source this file to put the project's Node.js first on PATH:  . scripts/node24.sh
# The version is the one the instance runs (infra/instance/node-release.json). When the machine's
# node is another version, that exact version is installed once from the npm registry (the
# `node` package ships the official binary) into a cache directory and prepended to PATH.
node24_root="$(cd "$(dirname "${BASH_SOURCE[0]:-$0}")/.." 2>/dev/null && pwd)"
node24_version="$(sed -nE 's/^ *"version": *"([0-9.]+)".*/\1/p' "$node24_root/infra/instance/node-release.json" 2>/dev/null)"
if [ -z "$node24_version" ]; then
  echo "node24.sh: cannot read the pinned version from infra/instance/node-release.json" >&2
  return 1 2>/dev/null || exit 1
fi
node24_dir="${NODE24_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/expense-tracker/node-$node24_version}"
if [ "$(node --version 2>/dev/null)" != "v$node24_version" ]; then
  if [ "$("$node24_dir/node_modules/.bin/node" --version 2>/dev/null)" != "v$node24_version" ]; then
    echo "node24.sh: installing Node.js $node24_version into $node24_dir" >&2
    mkdir -p "$node24_dir"
    npm install --prefix "$node24_dir" --no-audit --no-fund --loglevel=error --save-exact \
      "node@$node24_version" >&2 </dev/null
  fi
  PATH="$node24_dir/node_modules/.bin:$PATH"
  export PATH
  hash -r
fi
if [ "$(node --version 2>/dev/null)" != "v$node24_version" ]; then
  echo "node24.sh: expected Node.js v$node24_version, found $(node --version 2>/dev/null)" >&2
  return 1 2>/dev/null || exit 1
fi
unset node24_root node24_version node24_dir
