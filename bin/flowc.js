#!/usr/bin/env node
// The flowc command: a thin launcher of the bundled CLI (dist/flowc.js, built by `npm install`).
// Only this file calls process.exit.
import { run } from '../dist/flowc.js';

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

run(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`flowc: internal error: ${err && err.stack ? err.stack : err}\n`);
    process.exit(2);
  },
);
