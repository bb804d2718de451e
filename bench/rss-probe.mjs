// Preloaded into a benchmarked `flowc` process (`node --import ./bench/rss-probe.mjs bin/flowc.js ...`):
// on exit, writes the process's peak resident set size in KiB to the file named by FLOWC_BENCH_RSS.
import { writeFileSync } from 'node:fs';

const out = process.env.FLOWC_BENCH_RSS;
if (out) process.on('exit', () => writeFileSync(out, String(process.resourceUsage().maxRSS)));
