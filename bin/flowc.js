#!/usr/bin/env node
// The flowc command: a thin launcher of the bundled CLI (dist/flowc.js, built by `npm install`).
// Only this file calls process.exit.
import { run } from '../dist/flowc.js';

run(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`flowc: internal error: ${err && err.stack ? err.stack : err}\n`);
    process.exit(2);
  },
);
