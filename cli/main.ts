/**
 * The flowc command line: `run(argv, io)` returns the exit code; only `bin/flowc.js` exits.
 * Exit codes: 0 success (warnings allowed), 1 problems found in the input, 2 bad usage or internal error.
 * Each command lives in its own `cmd-*.ts` module and is imported only when it runs, so start-up stays small.
 */
import { processIO, UsageError, type CliIO } from './io.ts';

export interface Command {
  name: string;
  usage: string;
  summary: string;
  group: 'Check and build' | 'Run locally' | 'Editor';
  load: () => Promise<{ default: (argv: string[], io: CliIO) => Promise<number> }>;
}

/** The command table; `flowc --help` prints it grouped and aligned. */
export const commands: Command[] = [
  { name: 'check', group: 'Check and build', usage: 'check PATH... [--format text|json|github|sarif] [--config FILE]', summary: 'Report every problem in .flow files (directories are searched).', load: () => import('./cmd-check.ts') },
  { name: 'build', group: 'Check and build', usage: 'build FILE --target ir|argo|batch [--out DIR] [--check]', summary: 'Compile a flow to IR, Argo manifests or AWS Batch + Step Functions.', load: () => import('./cmd-build.ts') },
  { name: 'graph', group: 'Check and build', usage: 'graph FILE [--format mermaid|dot]', summary: 'Print the DAG of a flow.', load: () => import('./cmd-graph.ts') },
  { name: 'diff', group: 'Check and build', usage: 'diff OLD NEW | diff FILE --base REV', summary: 'What a change does to the pipelines (text, json, markdown).', load: () => import('./cmd-diff.ts') },
  { name: 'explain', group: 'Check and build', usage: 'explain CODE', summary: 'Explain a diagnostic code, with an example.', load: () => import('./cmd-explain.ts') },
  { name: 'run', group: 'Run locally', usage: 'run FILE [--param name=value]...', summary: 'Run a flow on this machine, keeping every artifact.', load: () => import('./cmd-run.ts') },
  { name: 'resume', group: 'Run locally', usage: 'resume RUN_ID [--from STEP]', summary: 'Continue a failed run, reusing finished tasks.', load: () => import('./cmd-resume.ts') },
  { name: 'runs', group: 'Run locally', usage: 'runs [FLOW] [--all-namespaces]', summary: 'List runs with status and duration.', load: () => import('./cmd-runs.ts') },
  { name: 'show', group: 'Run locally', usage: 'show FLOW/RUN[/STEP[/TASK]]', summary: "Show a run's steps, tasks, timings and artifacts.", load: () => import('./cmd-show.ts') },
  { name: 'get', group: 'Run locally', usage: 'get FLOW/RUN/ARTIFACT', summary: "Print an artifact's value (RUN may be 'latest').", load: () => import('./cmd-get.ts') },
  { name: 'serve', group: 'Run locally', usage: 'serve [--port N]', summary: 'Serve runs and artifacts as read-only JSON on 127.0.0.1.', load: () => import('./cmd-serve.ts') },
  { name: 'lsp', group: 'Editor', usage: 'lsp --stdio', summary: 'Run the language server over stdio (for editors).', load: () => import('./cmd-lsp.ts') },
];

function helpText(): string {
  const width = Math.max(...commands.map((c) => c.usage.length)) + 2;
  const groups = [...new Set(commands.map((c) => c.group))];
  const lines = ['flowc: a typed workflow language for ML and data pipelines.', '', 'Usage: flowc COMMAND [ARGS]', ''];
  for (const g of groups) {
    lines.push(`${g}:`);
    for (const c of commands.filter((x) => x.group === g)) lines.push(`  ${c.usage.padEnd(width)}${c.summary}`);
    lines.push('');
  }
  lines.push('Run `flowc COMMAND --help` for the options of one command.', '');
  return lines.join('\n');
}

export async function run(argv: string[], io: CliIO = processIO()): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(helpText());
    return name ? 0 : 2;
  }
  if (name === '--version' || name === '-V') {
    io.stdout(`flowc ${VERSION}\n`);
    return 0;
  }
  const cmd = commands.find((c) => c.name === name);
  if (!cmd) {
    io.stderr(`flowc: unknown command '${name}'. Run 'flowc --help' for the list.\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(`Usage: flowc ${cmd.usage}\n\n${cmd.summary}\n`);
    return 0;
  }
  try {
    const mod = await cmd.load();
    return await mod.default(rest, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(`flowc ${name}: ${err.message}\nUsage: flowc ${cmd.usage}\n`);
      return 2;
    }
    io.stderr(`flowc: internal error (please report it): ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return 2;
  }
}

declare const __FLOWC_VERSION__: string | undefined;
const VERSION = typeof __FLOWC_VERSION__ === 'string' ? __FLOWC_VERSION__ : '0.0.0-dev';
