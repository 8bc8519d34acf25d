# Source this file to put Node.js 24 first on PATH:  . scripts/node24.sh
# When the machine's node is older than 24, Node 24 LTS is installed once from the npm registry
# (the `node` package ships the official binary) into a cache directory and prepended to PATH.
node24_dir="${NODE24_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/expense-tracker/node24}"
node24_major() { node --version 2>/dev/null | sed -E 's/^v([0-9]+).*/\1/'; }
if [ "$(node24_major || echo 0)" -lt 24 ] 2>/dev/null || ! command -v node >/dev/null 2>&1; then
  if [ ! -x "$node24_dir/node_modules/.bin/node" ]; then
    echo "node24.sh: installing Node.js 24 into $node24_dir" >&2
    mkdir -p "$node24_dir"
    npm install --prefix "$node24_dir" --no-audit --no-fund --loglevel=error node@24 >&2
  fi
  PATH="$node24_dir/node_modules/.bin:$PATH"
  export PATH
  hash -r
fi
if [ "$(node24_major)" -lt 24 ]; then
  echo "node24.sh: expected Node.js >= 24, found $(node --version)" >&2
  return 1 2>/dev/null || exit 1
fi
unset -f node24_major
unset node24_dir
