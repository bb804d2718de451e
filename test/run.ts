/**
 * Test entry point: runs every `test/**\/*.test.ts` (or those whose path contains one of the arguments)
 * in one uvu session, then prints the closing line `N passed, N failed` that CI reads.
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

// Tests never touch the user's state: flowc's per-user list of datastores goes to a temporary folder for this
// process and every flowc it starts; tests that start flowc with an environment of their own set FLOWC_HOME (and
// HOME) to temporary folders too (test/e2e/isolation.test.ts checks both).
const userState = mkdtempSync(join(tmpdir(), 'flowc-test-state-'));
process.env.FLOWC_HOME = join(userState, 'flowc');
process.env.XDG_STATE_HOME = join(userState, 'state');
process.on('exit', () => rmSync(userState, { recursive: true, force: true }));
// The AWS SDK's notice that its releases after January 2027 need Node 22 says nothing about this code (the
// locked versions support Node 20); its documented switch keeps it out of test output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const root = resolve(import.meta.dirname, '..');
const testDir = join(root, 'test');
const filters = process.argv.slice(2);

function walk(dir: string, out: string[]): string[] {
  for (const name of readdirSync(dir).sort()) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, out);
    else if (name.endsWith('.test.ts')) out.push(path);
  }
  return out;
}

const files = walk(testDir, []).filter((f) => filters.length === 0 || filters.some((p) => relative(root, f).includes(p)));

// uvu prints "Total: N" and "Passed: N"; we listen for them to print the plain closing line.
let captured = '';
const write = process.stdout.write.bind(process.stdout);
process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
  captured += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
  if (captured.length > 4096) captured = captured.slice(-4096);
  return (write as (...a: unknown[]) => boolean)(chunk, ...rest);
}) as typeof process.stdout.write;

// Property tests are seeded, so a CI run is reproducible; FUZZ_SEED=random explores (the seed of a failure is printed).
const fc = await import('fast-check');
if (process.env.FUZZ_SEED !== 'random') fc.configureGlobal({ seed: Number(process.env.FUZZ_SEED ?? 20261126) });

(globalThis as Record<string, unknown>).UVU_DEFER = 1;
const uvu = await import('uvu');
const queue = (globalThis as unknown as { UVU_QUEUE: unknown[][] }).UVU_QUEUE;
let idx = 0;
for (const file of files) {
  (globalThis as Record<string, unknown>).UVU_INDEX = idx++;
  queue.push([relative(root, file)]);
  await import(pathToFileURL(file).href);
}
// TEST_TIMES=1 prints how long each file's tests took, slowest first (to keep the suite fast).
const times: [string, number][] = [];
if (process.env.TEST_TIMES === '1') {
  for (const group of queue as [string, ...(() => Promise<unknown>)[]][]) {
    const entry: [string, number] = [group[0], 0];
    times.push(entry);
    for (let i = 1; i < group.length; i++) {
      const runner = group[i] as () => Promise<unknown>;
      group[i] = async () => {
        const t0 = performance.now();
        try {
          return await runner();
        } finally {
          entry[1] += performance.now() - t0;
        }
      };
    }
  }
}
await uvu.exec(false);
if (times.length) {
  console.error('\nSlowest test files:');
  for (const [file, ms] of times.sort((a, b) => b[1] - a[1]).slice(0, 15)) console.error(`  ${(ms / 1000).toFixed(1).padStart(6)} s  ${file}`);
}
// eslint-disable-next-line no-control-regex
const plain = captured.replace(/\u001b\[[0-9;]*m/g, '');
const total = Number(/Total:\s+(\d+)/.exec(plain)?.[1] ?? 0);
const passed = Number(/Passed:\s+(\d+)/.exec(plain)?.[1] ?? 0);
process.stdout.write = write;
console.log(`${passed} passed, ${total - passed} failed`);
if (total === 0) {
  console.error('No tests ran.');
  process.exitCode = 1;
}
