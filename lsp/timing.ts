/**
 * Start-up milestones, for measuring where the time to the first diagnostic goes: with `FLOWC_TIMING_LOG=FILE` in
 * the environment, the server and the VS Code extension append one JSON line per milestone to FILE
 * (`{"who","what","at"}`, `at` in epoch milliseconds); without it, nothing happens. `npm run test:vscode` sets it.
 * Imports only `node:fs`, so the extension bundles it too.
 */
import { appendFileSync } from 'node:fs';

const file = process.env.FLOWC_TIMING_LOG;

export function milestone(who: 'server' | 'extension', what: string, at = performance.timeOrigin + performance.now()): void {
  if (!file) return;
  try {
    appendFileSync(file, JSON.stringify({ who, what, at }) + '\n');
  } catch {
    // Measuring must never break the editor.
  }
}
