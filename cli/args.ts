/**
 * A small, strict argument parser: `--flag`, `--key value`, `--key=value`, `-k value`, repeated keys, positionals.
 * Unknown options are a usage error, never silently ignored.
 */
import { UsageError } from './io.ts';

export interface OptionSpec {
  /** Long name without dashes. */
  name: string;
  /** One-letter alias without the dash. */
  short?: string;
  /** `boolean` takes no value; `string` takes one; `list` takes one and may repeat. */
  type: 'boolean' | 'string' | 'list';
  /** What the value looks like in help (`FILE`, `text|json`); `VALUE` when absent. */
  value?: string;
  /** One line for `flowc COMMAND --help`. */
  help: string;
}

export interface ParsedArgs {
  positionals: string[];
  flags: Record<string, boolean>;
  values: Record<string, string>;
  lists: Record<string, string[]>;
}

/** The value of `--NAME` as a positive integer (undefined when not given); a usage error otherwise. */
export function positiveInt(args: ParsedArgs, name: string): number | undefined {
  const text = args.values[name];
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!/^\s*\d+\s*$/.test(text) || !Number.isInteger(n) || n < 1) throw new UsageError(`--${name} expects a positive integer, got '${text}'.`);
  return n;
}

export function parseArgs(argv: string[], specs: OptionSpec[]): ParsedArgs {
  const res: ParsedArgs = { positionals: [], flags: {}, values: {}, lists: {} };
  const byName = new Map<string, OptionSpec>();
  for (const s of specs) {
    byName.set(`--${s.name}`, s);
    if (s.short) byName.set(`-${s.short}`, s);
  }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      res.positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      res.positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const key = eq > 0 && arg.startsWith('--') ? arg.slice(0, eq) : arg;
    const spec = byName.get(key);
    if (!spec) throw new UsageError(`Unknown option '${key}'.`);
    if (spec.type === 'boolean') {
      if (eq > 0) throw new UsageError(`Option '${key}' takes no value.`);
      res.flags[spec.name] = true;
      continue;
    }
    let value: string;
    if (eq > 0 && arg.startsWith('--')) value = arg.slice(eq + 1);
    else {
      if (i + 1 >= argv.length) throw new UsageError(`Option '${key}' needs a value.`);
      value = argv[++i];
    }
    if (spec.type === 'list') (res.lists[spec.name] ??= []).push(value);
    else res.values[spec.name] = value;
  }
  return res;
}
