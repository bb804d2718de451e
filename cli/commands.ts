/**
 * The command table: each command's usage, summary and option spec. The spec drives both parsing (each
 * `cmd-*.ts` calls `parseArgs(argv, optionsOf('NAME'))`) and `flowc COMMAND --help`, which lists every option
 * with one line, so an option cannot be accepted without being documented or documented without being accepted.
 * Commands are imported only when they run, so start-up stays small.
 */
import { buildTargets, resumeTargets, targets } from '../targets/registry.ts';
import type { Target } from '../targets/types.ts';
import type { OptionSpec } from './args.ts';
import type { CliIO } from './io.ts';

export interface Command {
  name: string;
  usage: string;
  summary: string;
  group: 'Check and build' | 'Run locally' | 'Editor';
  /** Every option the command accepts, in help order. */
  options: OptionSpec[];
  load: () => Promise<{ default: (argv: string[], io: CliIO) => Promise<number> }>;
}

const targetValues = buildTargets.map((t) => t.name).join('|');
const resumeValues = resumeTargets.map((t) => t.name).join('|');
/** `local runs it (default); argo, batch print what starts it there`. */
const resumeHelp = resumeTargets.map((t) => (t.runsHere ? `${t.name} runs it (default)` : t.name)).join('; ');
/** The targets that take `--param` with `--out`: `argo, batch`. */
const submitters = targets.filter((t) => t.submission).map((t) => t.name).join(', ');

/** A build option whose values come from the targets: `argo: yaml (default) or json; ...`. */
function targetChoice(name: string, values: (t: Target) => readonly string[] | undefined): OptionSpec {
  const owners = buildTargets.filter((t) => values(t)?.length);
  const what = owners.map((t) => {
    const [first, ...rest] = values(t)!;
    return `${t.name}: ${first} (default)${rest.length ? ` or ${rest.join(' or ')}` : ''}`;
  });
  return { name, type: 'string', value: [...new Set(owners.flatMap((t) => values(t)!))].join('|'), help: what.join('; ') };
}

const config: OptionSpec = { name: 'config', type: 'string', value: 'FILE', help: 'flowc.yaml to use (default: the nearest one above the flow)' };
const datastore: OptionSpec = { name: 'datastore', type: 'string', value: 'DIR|s3://B/P', help: "the datastore to read (default: flowc.yaml's datastore, the nearest .flowc/, then those used before)" };
const namespace: OptionSpec = { name: 'namespace', type: 'string', value: 'NS', help: 'namespace of the runs (default user:$USER)' };
const allNamespaces: OptionSpec = { name: 'all-namespaces', short: 'A', type: 'boolean', help: 'look in every namespace' };
const json: OptionSpec = { name: 'json', type: 'boolean', help: 'print JSON' };
const maxWorkers: OptionSpec = { name: 'max-workers', short: 'j', type: 'string', value: 'N', help: 'tasks run in parallel (default: the number of cores)' };
const tag: OptionSpec = { name: 'tag', type: 'list', value: 'TAG', help: 'tag the run (repeatable)' };

export const commands: Command[] = [
  { name: 'check', group: 'Check and build', usage: 'check PATH... [--format FORMAT]', summary: 'Report every problem in .flow files (directories are searched).', options: [
    { name: 'format', type: 'string', value: 'text|json|github|sarif', help: 'output format (default text)' },
    config,
    { name: 'max-warnings', type: 'string', value: 'N', help: 'exit 1 when there are more than N warnings' },
    { name: 'deny-warnings', type: 'boolean', help: 'exit 1 on any warning' },
    { name: 'jobs', short: 'j', type: 'string', value: 'N', help: 'check files on N threads' },
    { name: 'stats', type: 'boolean', help: 'print the number of files and the time taken to stderr' },
  ], load: () => import('./cmd-check.ts') },
  { name: 'build', group: 'Check and build', usage: `build FILE --target ${targetValues} [--out DIR]`, summary: 'Compile a flow to IR, Argo manifests or AWS Batch + Step Functions.', options: [
    { name: 'target', short: 't', type: 'string', value: targetValues, help: 'what to build' },
    { name: 'out', short: 'o', type: 'string', value: 'DIR', help: 'write one file per flow and kind under DIR instead of printing' },
    { name: 'check', type: 'boolean', help: 'with --out: write nothing, exit 1 listing files that are missing or stale' },
    targetChoice('format', (t) => t.formats),
    targetChoice('kind', (t) => t.kinds),
    config,
    { name: 'datastore', type: 'string', value: 's3://B/P', help: "overrides flowc.yaml's datastore" },
    { name: 'max-workers', short: 'j', type: 'string', value: 'N', help: "argo, batch: tasks of a run at once (overrides flowc.yaml's maxWorkers; @max_workers overrides both; default 100)" },
    { name: 'param', short: 'p', type: 'list', value: 'NAME=VALUE', help: `${submitters} with --out: a parameter of the run its input file starts (repeatable; local files are uploaded)` },
    { name: 'namespace', type: 'string', value: 'NS', help: `${submitters} with --out: the namespace in the run's input file (default user:$USER)` },
    { name: 'tag', type: 'list', value: 'TAG', help: `${submitters} with --out: a tag in the run's input file (repeatable)` },
  ], load: () => import('./cmd-build.ts') },
  { name: 'fmt', group: 'Check and build', usage: 'fmt [--check] PATH...', summary: 'Rewrite .flow files in the canonical layout.', options: [
    { name: 'check', type: 'boolean', help: 'write nothing; exit 1 listing the files that are not formatted' },
  ], load: () => import('./cmd-fmt.ts') },
  { name: 'graph', group: 'Check and build', usage: 'graph FILE [--format mermaid|dot]', summary: 'Print the DAG of a flow.', options: [
    { name: 'format', type: 'string', value: 'mermaid|dot', help: 'output format (default mermaid)' },
    config,
  ], load: () => import('./cmd-graph.ts') },
  { name: 'diff', group: 'Check and build', usage: 'diff OLD NEW | diff FILE --base REV', summary: 'What a change does to the pipelines (text, json, markdown).', options: [
    { name: 'base', type: 'string', value: 'REV', help: 'compare FILE with its version at git revision REV' },
    { name: 'format', type: 'string', value: 'text|json|markdown', help: 'output format (default text)' },
    config,
    { name: 'exit-code', type: 'boolean', help: 'exit 1 when the pipelines differ (like git diff --exit-code)' },
  ], load: () => import('./cmd-diff.ts') },
  { name: 'explain', group: 'Check and build', usage: 'explain CODE', summary: 'Explain a diagnostic code, with an example.', options: [], load: () => import('./cmd-explain.ts') },
  { name: 'run', group: 'Run locally', usage: 'run FILE [--param name=value]...', summary: 'Run a flow on this machine, keeping every artifact.', options: [
    { name: 'param', short: 'p', type: 'list', value: 'NAME=VALUE', help: 'set a parameter (repeatable)' },
    maxWorkers,
    { ...datastore, help: 'where runs and artifacts are kept (default .flowc/ beside the flow)' },
    { ...namespace, help: 'namespace of the run (default user:$USER)' },
    tag,
    { name: 'flow', type: 'string', value: 'NAME', help: 'which flow to run when the file has several' },
    config,
    { name: 'list-params', type: 'boolean', help: "list the flow's parameters (type, default, help text) instead of running it" },
  ], load: () => import('./cmd-run.ts') },
  { name: 'resume', group: 'Run locally', usage: `resume RUN_ID [--from STEP] [--target ${resumeValues}]`, summary: 'Continue a failed run (made on any target), reusing finished tasks.', options: [
    { name: 'from', type: 'string', value: 'STEP', help: 'rerun from STEP on, even if it finished (on every target)' },
    maxWorkers,
    datastore,
    { ...namespace, help: 'namespace of the new run (default user:$USER)' },
    { ...tag, help: 'tag the new run (repeatable; default the tags of the failed run)' },
    { name: 'target', short: 't', type: 'string', value: resumeValues, help: `where the new run goes: ${resumeHelp} (the others print what starts it there)` },
  ], load: () => import('./cmd-resume.ts') },
  { name: 'runs', group: 'Run locally', usage: 'runs [FLOW] [--all-namespaces]', summary: 'List runs with status and duration.', options: [allNamespaces, namespace, datastore, json], load: () => import('./cmd-runs.ts') },
  { name: 'show', group: 'Run locally', usage: 'show FLOW/RUN[/STEP[/TASK]]', summary: "Show a run's steps, tasks, timings and artifacts.", options: [namespace, allNamespaces, datastore, json], load: () => import('./cmd-show.ts') },
  { name: 'get', group: 'Run locally', usage: 'get FLOW/RUN/ARTIFACT', summary: "Print an artifact's value (RUN may be 'latest').", options: [
    namespace,
    allNamespaces,
    datastore,
    { name: 'json', type: 'boolean', help: 'print a string value as JSON too' },
    { name: 'out', short: 'o', type: 'string', value: 'PATH', help: 'write a file or dir artifact to PATH instead of printing' },
  ], load: () => import('./cmd-get.ts') },
  { name: 'serve', group: 'Run locally', usage: 'serve [--port N]', summary: 'Serve runs and artifacts as read-only JSON on 127.0.0.1.', options: [
    { name: 'port', short: 'p', type: 'string', value: 'N', help: 'port to listen on (default 8765; 0 picks a free one)' },
    namespace,
    datastore,
  ], load: () => import('./cmd-serve.ts') },
  { name: 'lsp', group: 'Editor', usage: 'lsp --stdio', summary: 'Run the language server over stdio (for editors).', options: [
    { name: 'stdio', type: 'boolean', help: 'talk over stdin and stdout (required)' },
  ], load: () => import('./cmd-lsp.ts') },
];

/** The option spec of a command (what its module parses with). */
export function optionsOf(name: string): OptionSpec[] {
  const cmd = commands.find((c) => c.name === name);
  if (!cmd) throw new Error(`No command '${name}'.`);
  return cmd.options;
}

/** `flowc COMMAND --help`: usage, summary, and one line per option. */
export function commandHelp(cmd: Command): string {
  const flag = (o: OptionSpec) => `--${o.name}${o.type === 'boolean' ? '' : ` ${o.value ?? 'VALUE'}`}${o.short ? `, -${o.short}` : ''}`;
  const width = Math.max(0, ...cmd.options.map((o) => flag(o).length)) + 2;
  const optText = cmd.options.length ? `\nOptions:\n${cmd.options.map((o) => `  ${flag(o).padEnd(width)}${o.help}`).join('\n')}\n` : '';
  return `Usage: flowc ${cmd.usage}\n\n${cmd.summary}\n${optText}`;
}
