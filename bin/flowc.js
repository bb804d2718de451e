#!/usr/bin/env node
// The flowc command: a thin launcher of the bundled CLI (dist/flowc.js, built by `npm install`).
// Only this file calls process.exit.
import { run } from '../dist/flowc.js';

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
