/**
 * The entry point of the language server the extension ships (`dist/server.mjs`): runs the server bundle
 * (`dist/server-bundle.cjs`, lsp/stdio-main.ts in one CommonJS file) through V8's code cache, made at run time
 * (cli/code-cache.ts, as `flowc check` does; under `$FLOWC_HOME/cache`, else `$XDG_CACHE_HOME/flowc` or
 * `~/.cache/flowc`): from the second start on, the server neither parses nor compiles what its first start ran,
 * whatever Node runs it (issue 14, start-up). The cache is written a few seconds after the start, once the warm-up and
 * the first checks have compiled most of what a session uses, and only when there was none or V8 rejected it.
 */
import { join } from 'node:path';
import { requireCached } from '../../cli/code-cache.ts';

// `__dirname`: this file is built into an ES module whose banner defines it (vscode-extension/build.mjs).
const bundle = requireCached(join(__dirname, 'server-bundle.cjs'), process.env);
setTimeout(() => bundle.save(), 3000).unref();
