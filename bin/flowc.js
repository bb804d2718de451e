#!/usr/bin/env node
// The flowc command: a thin launcher of the bundled CLI (built by `npm install`). `flowc check` runs from
// dist/start.cjs through a V8 code cache (dist/code-cache.js, from cli/code-cache.ts: start-up, issue 14); the other
// commands from the ES modules of dist/flowc.js, which load less for them. Only this file calls process.exit.
import { fileURLToPath } from 'node:url';
import { requireCached } from '../dist/code-cache.js';

const argv = process.argv.slice(2);
const fromStartBundle = argv[0] === 'check';
let saveCache = () => {};
let run;
if (fromStartBundle) {
  const bundle = requireCached(fileURLToPath(new URL('../dist/start.cjs', import.meta.url)), process.env);
  ({ run } = bundle.exports);
  saveCache = bundle.save;
} else {
  ({ run } = await import('../dist/flowc.js'));
}

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

run(argv).then(
  (code) => {
    process.exitCode = code;
    saveCache();
  },
  (err) => {
    process.stderr.write(`flowc: internal error: ${err && err.stack ? err.stack : err}\n`);
    process.exit(2);
  },
);
