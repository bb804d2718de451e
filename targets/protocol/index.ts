/**
 * The task protocol shared by every target (docs/targets.md, "The task protocol"): the environment variables a
 * task sees, how a step body becomes the command a task runs, and how values are written to and read from files.
 *
 * Invariant: no value (parameter, artifact) is ever spliced into shell text. Templates become quoted variable
 * expansions (`"${FLOWC_IN_x}"`), so the shell never parses a value; the only text placed in a script is the
 * author's own code and names, which the checker restricts to identifiers.
 * Pure: no IO. The local runner, the Argo target and the Batch target all build commands here.
 */
import { IntRangeError, parseJson, stringifyJson } from './json64.ts';
import { describeType, type BodyIR, type InputIR, type OutputIR, type StepIR, type StorageIR, type TemplateIR, type TypeIR } from '../../compiler/ir.ts';
import { PYTHON_WRAPPER } from '../runtime/generated/python-wrapper.ts';

export { describeType };

export const TASK_DIR_VAR = 'FLOWC_TASK_DIR';

/** The environment variable holding input `name` (its value for scalars, else its path). */
export const inVar = (name: string): string => `FLOWC_IN_${name}`;
/** The environment variable holding parameter `name` (its value for scalars, else its path). */
export const paramVar = (name: string): string => `FLOWC_PARAM_${name}`;
/** The environment variable holding the path output `name` is written to. */
export const outVar = (name: string): string => `FLOWC_OUT_${name}`;

function refVar(part: { scope: 'in' | 'out' | 'param'; name: string }): string {
  return part.scope === 'in' ? inVar(part.name) : part.scope === 'out' ? outVar(part.name) : paramVar(part.name);
}

/** Quotes text for a POSIX shell as one word: `'...'` with embedded quotes as `'\''`. */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/**
 * A `run "..."` command as a shell script: the author's text as written, every template replaced by a
 * double-quoted variable expansion.
 */
function shellCommandScript(command: TemplateIR): string {
  return command.parts.map((p) => (p.kind === 'text' ? p.text : `"\${${refVar(p)}}"`)).join('');
}

/**
 * A `run [...]` argv as a shell script (for containers): `exec` with every argument one word, literal text
 * single-quoted and templates as double-quoted variable expansions.
 */
function argvScript(args: TemplateIR[]): string {
  const words = args.map((arg) => {
    if (arg.parts.length === 0) return "''";
    return arg.parts.map((p) => (p.kind === 'text' ? shellQuote(p.text) : `"\${${refVar(p)}}"`)).join('');
  });
  return `exec ${words.join(' ')}`;
}

/**
 * A `run [...]` argv resolved in-process against a task environment (the local runner uses this and needs no
 * shell). Gives the same argument vector the container form produces.
 */
export function resolveArgv(args: TemplateIR[], env: Record<string, string | undefined>): string[] {
  return args.map((arg) => arg.parts.map((p) => (p.kind === 'text' ? p.text : (env[refVar(p)] ?? ''))).join(''));
}

/** The manifest a script wrapper reads to bind inputs and collect outputs (JSON in `FLOWC_INPUTS`/`FLOWC_OUTPUTS`). */
export interface IoManifestEntry {
  name: string;
  storage: StorageIR;
}
const manifestOf = (items: (InputIR | OutputIR)[]): IoManifestEntry[] => items.map((i) => ({ name: i.name, storage: i.storage }));

/**
 * The Python wrapper: `python3 -c WRAPPER SOURCE`. It binds inputs as globals (scalars from their variables'
 * text, structured values decoded from their JSON files, file/dir as paths), runs SOURCE, then writes outputs.
 * Its text is clients/python/flowc/_wrapper.py, which the packed runtime also holds: in a container the runtime
 * gives it to the body as `FLOWC_PY_WRAPPER` (see `containerBody` in targets/runtime), so no manifest carries it.
 */
export { PYTHON_WRAPPER };

/**
 * The sh wrapper around an `sh """..."""` body: inputs and file/dir outputs bound as shell variables,
 * then the author's script, then every other output written from its variable (unset fails the task).
 */
function shScript(source: string, inputs: IoManifestEntry[], outputs: IoManifestEntry[]): string {
  const lines = ['set -e'];
  for (const i of inputs) lines.push(`${i.name}="\${${inVar(i.name)}}"`);
  for (const o of outputs) if (o.storage === 'file' || o.storage === 'dir') lines.push(`${o.name}="\${${outVar(o.name)}}"`);
  lines.push(source);
  for (const o of outputs) {
    if (o.storage === 'file' || o.storage === 'dir') {
      lines.push(`if [ "\${${o.name}}" != "\${${outVar(o.name)}}" ]; then cp -R "\${${o.name}}" "\${${outVar(o.name)}}"; fi`);
    } else {
      lines.push(`if [ -z "\${${o.name}+set}" ]; then echo "flowc: the script did not set output '${o.name}'" >&2; exit 1; fi`);
      lines.push(`printf '%s' "\${${o.name}}" > "\${${outVar(o.name)}}"`);
    }
  }
  return lines.join('\n') + '\n';
}

/** A task's command: an argv to execute in the task directory with the protocol environment set. */
export interface TaskCommand {
  argv: string[];
  /** Extra environment the command needs besides the per-input/output variables (the I/O manifests). */
  env: Record<string, string>;
}

/**
 * The command that runs a step's body inside a container (Argo, Batch). The local runner uses the same, except
 * that it may run `run [...]` directly via `resolveArgv`.
 */
export function taskCommand(step: Pick<StepIR, 'body' | 'inputs' | 'outputs'>): TaskCommand {
  const body: BodyIR = step.body;
  const ins = manifestOf(step.inputs).map((m, i) => ({ ...m, ...(step.inputs[i].type.kind === 'string' ? { type: 'string' } : {}) }));
  const outs = manifestOf(step.outputs);
  switch (body.kind) {
    case 'none':
      return { argv: ['/bin/sh', '-c', 'true'], env: {} };
    case 'shell':
      return { argv: ['/bin/sh', '-c', shellCommandScript(body.command)], env: {} };
    case 'argv':
      return { argv: ['/bin/sh', '-c', argvScript(body.args)], env: {} };
    case 'script':
      if (body.language === 'python') {
        return { argv: ['python3', '-c', PYTHON_WRAPPER, body.source], env: { FLOWC_INPUTS: JSON.stringify(ins), FLOWC_OUTPUTS: JSON.stringify(outs) } };
      }
      return { argv: ['/bin/sh', '-c', shScript(body.source, ins, outs)], env: {} };
  }
}

/** Parameters a body names through `{{param.x}}`, in order of first use. */
export function templateParams(step: Pick<StepIR, 'body'>): string[] {
  const body = step.body;
  const templates = body.kind === 'shell' ? [body.command] : body.kind === 'argv' ? body.args : [];
  const names: string[] = [];
  for (const t of templates) for (const p of t.parts) if (p.kind === 'ref' && p.scope === 'param' && !names.includes(p.name)) names.push(p.name);
  return names;
}

/** The text of a scalar for its `FLOWC_IN_` variable: strings raw, other scalars as JSON. */
export function scalarText(value: unknown): string {
  return typeof value === 'string' ? value : stringifyJson(value);
}

/** Encodes a value as the content of its file under `in/` or `out/` (value and json storage). */
export function encodeValueFile(value: unknown): string {
  return stringifyJson(value);
}

/**
 * Decodes the content of an output file (value and json storage), as docs/targets.md says: for `string`, a JSON
 * string literal or else the raw text minus one trailing newline; everything else parsed as JSON.
 * Throws a SyntaxError with a readable message when the content is not valid.
 */
export function decodeValueFile(type: TypeIR, text: string): unknown {
  if (type.kind === 'string') {
    const trimmed = text.trim();
    if (trimmed.startsWith('"')) {
      try {
        const v = JSON.parse(trimmed);
        if (typeof v === 'string') return v;
      } catch {
        // Not a JSON string: raw text.
      }
    }
    return text.endsWith('\r\n') ? text.slice(0, -2) : text.endsWith('\n') ? text.slice(0, -1) : text;
  }
  try {
    return parseJson(text);
  } catch (err) {
    if (err instanceof IntRangeError) throw err;
    const shown = text.length > 60 ? `${text.slice(0, 60)}...` : text;
    throw new SyntaxError(`expected a JSON value of type '${describeType(type)}' but found '${shown.trim()}'`);
  }
}
