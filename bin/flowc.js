#!/usr/bin/env node
// The flowc command: a thin launcher of the bundled CLI (built by `npm install`). CommonJS (bin/package.json), so
// that Node starts it without its ES module loader: `flowc check` runs from dist/start.cjs through a V8 code cache
// (dist/code-cache.cjs, from cli/code-cache.ts: start-up, issue 14); the other commands from the ES modules of
// dist/flowc.js, which load less for them. Only this file calls process.exit.
'use strict';

const argv = process.argv.slice(2);

// The AWS SDK (bundled into dist/, so its version is flowc's choice, not the user's) warns on Node 20 that its
// releases after January 2027 will need Node 22; nothing a flowc user can act on. A user may still set it.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

// `flowc build ... | head` closes the pipe early: that is not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err) => {
    if (err && err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}

let saveCache = () => {};

/** The CLI's `run(argv)`, from the start-up bundle for `check`, else from the ES modules. */
function load() {
  if (argv[0] !== 'check') return import('../dist/flowc.js').then((m) => m.run);
  const { requireCached } = require('../dist/code-cache.cjs');
  const bundle = requireCached(require('node:path').join(__dirname, '..', 'dist', 'start.cjs'), process.env);
  saveCache = bundle.save;
  return Promise.resolve(bundle.exports.run);
}

load()
  .then((run) => run(argv))
  .then(
    (code) => {
      process.exitCode = code;
      saveCache();
    },
    (err) => {
      process.stderr.write(`flowc: internal error: ${err && err.stack ? err.stack : err}\n`);
      process.exit(2);
    },
  );
