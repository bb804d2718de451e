/**
 * Checking many flow files across cores for `flowc check`: the files are dealt round-robin to worker threads,
 * each of which runs `loadFlow` (read, analyze, config) and posts the reports back; results are put back in
 * the order of the file list, so output is the same as a serial check.
 *
 * A worker runs this very module (`new Worker(import.meta.url)`): in the esbuild bundle that is the chunk this
 * code landed in, under tsx the `.ts` file (workers inherit `--import tsx` through `execArgv`), so no separate
 * entry point is needed. The module's top-level code below starts the worker loop only inside such a worker, which
 * it knows by an argument of its own in `process.argv` before it loads node:worker_threads (a serial check, the
 * common case, does not load that module: start-up).
 */
import { availableParallelism } from 'node:os';
import type { MessagePort } from 'node:worker_threads';
import { UsageError, type CliIO } from './io.ts';
import { loadFlow, type FileReport } from './load-flow.ts';

interface WorkerInput {
  files: { index: number; path: string }[];
  configPath?: string;
  cwd: string;
}

type WorkerMessage = { index: number; reports: FileReport[] } | { index: number; usageError: string } | { index: number; crash: string };

/** Put in a check worker's `process.argv`: what tells the module it runs as one. */
const WORKER_ARG = '--flowc-check-worker';

/** Below this many files one thread is faster: starting a worker costs about as much as checking dozens of flows. */
const PARALLEL_THRESHOLD = 48;

export function defaultJobs(nFiles: number): number {
  if (nFiles < PARALLEL_THRESHOLD) return 1;
  return Math.max(1, Math.min(availableParallelism(), Math.ceil(nFiles / PARALLEL_THRESHOLD)));
}

/** The reports of each file, in the order of `paths`. Throws UsageError as a serial check would. */
export async function checkFilesInParallel(io: CliIO, paths: string[], configPath: string | undefined, jobs: number): Promise<FileReport[][]> {
  const results: FileReport[][] = new Array(paths.length);
  const shares: { index: number; path: string }[][] = Array.from({ length: jobs }, () => []);
  paths.forEach((path, index) => shares[index % jobs].push({ index, path }));
  let usageError: { index: number; message: string } | null = null;
  const { Worker } = await import('node:worker_threads');
  await Promise.all(
    shares.map(
      (files) =>
        new Promise<void>((done, fail) => {
          const input: WorkerInput = { files, configPath, cwd: io.cwd };
          const worker = new Worker(new URL(import.meta.url), { workerData: input, argv: [WORKER_ARG] });
          worker.on('message', (m: WorkerMessage) => {
            if ('reports' in m) results[m.index] = m.reports;
            else if ('usageError' in m) {
              if (!usageError || m.index < usageError.index) usageError = { index: m.index, message: m.usageError };
            } else fail(new Error(m.crash));
          });
          worker.on('error', fail);
          worker.on('exit', (code) => (code === 0 ? done() : fail(new Error(`A check worker exited with code ${code}.`))));
        }),
    ),
  );
  if (usageError) throw new UsageError((usageError as { message: string }).message);
  return results;
}

function runWorker(input: WorkerInput, parentPort: MessagePort): void {
  const io: CliIO = { stdout: () => {}, stderr: () => {}, cwd: input.cwd, env: {}, isTTY: false };
  for (const { index, path } of input.files) {
    let message: WorkerMessage;
    try {
      message = { index, reports: loadFlow(io, path, input.configPath).reports };
    } catch (err) {
      message = err instanceof UsageError ? { index, usageError: err.message } : { index, crash: err instanceof Error ? (err.stack ?? err.message) : String(err) };
    }
    parentPort.postMessage(message);
  }
}

if (process.argv.includes(WORKER_ARG)) {
  void import('node:worker_threads').then(({ isMainThread, parentPort, workerData }) => {
    if (!isMainThread && parentPort) runWorker(workerData as WorkerInput, parentPort);
  });
}
