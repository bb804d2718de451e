/**
 * The flowc command line: `run(argv, io)` returns the exit code; only `bin/flowc.js` exits.
 * Exit codes: 0 success (warnings allowed), 1 problems found in the input, 2 bad usage or internal error.
 * Each command lives in its own `cmd-*.ts` module and is imported only when it runs, so start-up stays small.
 */
import { targets } from '../targets/registry.ts';
import type { Target } from '../targets/types.ts';
import { processIO, UsageError, type CliIO } from './io.ts';

export interface Command {
  name: string;
  usage: string;
  /** Option lines for `flowc COMMAND --help` (flag, then what it does). */
  options?: [string, string][];
  summary: string;
  group: 'Check and build' | 'Run locally' | 'Editor';
  load: () => Promise<{ default: (argv: string[], io: CliIO) => Promise<number> }>;
}

const targetValues = targets.map((t) => t.name).join('|');

/** The help line of a build option whose values come from the targets: `argo: yaml (default) or json; ...`. */
function targetChoice(option: string, values: (t: Target) => readonly string[] | undefined): [string, string] {
  const owners = targets.filter((t) => values(t)?.length);
  const all = [...new Set(owners.flatMap((t) => values(t)!))];
  const what = owners.map((t) => {
    const [first, ...rest] = values(t)!;
    return `${t.name}: ${first} (default)${rest.length ? ` or ${rest.join(' or ')}` : ''}`;
  });
  return [`--${option} ${all.join('|')}`, what.join('; ')];
}

/** The command table; `flowc --help` prints it grouped and aligned. */
export const commands: Command[] = [
  { name: 'check', group: 'Check and build', usage: 'check PATH... [--format FORMAT]', summary: 'Report every problem in .flow files (directories are searched).', options: [
    ['--format text|json|github|sarif', 'output format (default text)'],
    ['--config FILE', 'flowc.yaml to use (default: the nearest one above each flow)'],
    ['--max-warnings N', 'exit 1 when there are more than N warnings'],
    ['--deny-warnings', 'exit 1 on any warning'],
    ['--jobs N', 'check files on N threads'],
    ['--stats', 'print the number of files and the time taken to stderr'],
  ], load: () => import('./cmd-check.ts') },
  { name: 'build', group: 'Check and build', usage: `build FILE --target ${targetValues} [--out DIR]`, summary: 'Compile a flow to IR, Argo manifests or AWS Batch + Step Functions.', options: [
    [`--target ${targetValues}`, 'what to build'],
    ['--out DIR, -o DIR', 'write one file per flow and kind under DIR instead of printing'],
    ['--check', 'with --out: write nothing, exit 1 listing files that are missing or stale'],
    targetChoice('format', (t) => t.formats),
    targetChoice('kind', (t) => t.kinds),
    ['--config FILE', 'flowc.yaml to use'],
  ], load: () => import('./cmd-build.ts') },
  { name: 'fmt', group: 'Check and build', usage: 'fmt [--check] PATH...', summary: 'Rewrite .flow files in the canonical layout.', load: () => import('./cmd-fmt.ts') },
  { name: 'graph', group: 'Check and build', usage: 'graph FILE [--format mermaid|dot]', summary: 'Print the DAG of a flow.', load: () => import('./cmd-graph.ts') },
  { name: 'diff', group: 'Check and build', usage: 'diff OLD NEW | diff FILE --base REV', summary: 'What a change does to the pipelines (text, json, markdown).', load: () => import('./cmd-diff.ts') },
  { name: 'explain', group: 'Check and build', usage: 'explain CODE', summary: 'Explain a diagnostic code, with an example.', load: () => import('./cmd-explain.ts') },
  { name: 'run', group: 'Run locally', usage: 'run FILE [--param name=value]...', summary: 'Run a flow on this machine, keeping every artifact.', options: [
    ['--param NAME=VALUE, -p', 'set a parameter (repeatable)'],
    ['--max-workers N, -j N', 'tasks run in parallel (default: the number of cores)'],
    ['--datastore DIR|s3://B/P', 'where runs and artifacts are kept (default .flowc/ beside the flow)'],
    ['--namespace NS', 'namespace of the run (default user:$USER)'],
    ['--tag TAG', 'tag the run (repeatable)'],
    ['--flow NAME', 'which flow to run when the file has several'],
    ['--config FILE', 'flowc.yaml to use'],
  ], load: () => import('./cmd-run.ts') },
  { name: 'resume', group: 'Run locally', usage: 'resume RUN_ID [--from STEP] [--target argo|batch]', summary: 'Continue a failed run (made on any target), reusing finished tasks.', load: () => import('./cmd-resume.ts') },
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
    const opts = cmd.options ?? [];
    const width = Math.max(0, ...opts.map(([flag]) => flag.length)) + 2;
    const optText = opts.length ? `\nOptions:\n${opts.map(([flag, what]) => `  ${flag.padEnd(width)}${what}`).join('\n')}\n` : '';
    io.stdout(`Usage: flowc ${cmd.usage}\n\n${cmd.summary}\n${optText}`);
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
