/**
 * The CLI's IO around the pure compiler: find and read `flowc.yaml`, read a `.flow` file, analyze it, and
 * group the diagnostics by the file they point into. Every command that takes a flow goes through here.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { analyze, type Analysis } from '../compiler/analyze.ts';
import { loadConfig } from '../compiler/config.ts';
import type { FlowcConfig } from '../compiler/config-types.ts';
import type { FlowIR } from '../compiler/ir.ts';
import { lower } from '../compiler/lower.ts';
import { compareDiagnostics } from '../diagnostics/render.ts';
import { decodeSource, type SourceText } from '../diagnostics/source-text.ts';
import type { Diagnostic } from '../diagnostics/types.ts';
import { targetChecks } from '../targets/registry.ts';
import { UsageError, type CliIO } from './io.ts';

/** The diagnostics of one file, with its text for printing source lines. */
export interface FileReport {
  /** The path as shown to the user: relative to the working directory, `/`-separated. */
  file: string;
  text: string;
  diagnostics: Diagnostic[];
}

export interface LoadedConfig {
  config: FlowcConfig;
  /** The report for the config file, when there is one. */
  report: FileReport | null;
}

export function displayPath(io: CliIO, path: string): string {
  const rel = relative(io.cwd, path) || path;
  return (rel.startsWith('..') ? path : rel).split(sep).join('/');
}

/** `--config FILE`, else the nearest `flowc.yaml` in the flow's directory or above (stopping at a repository root). */
export function findConfig(startDir: string): string | null {
  let dir = resolve(startDir);
  for (;;) {
    const candidate = join(dir, 'flowc.yaml');
    if (existsSync(candidate)) return candidate;
    if (existsSync(join(dir, '.git'))) return null;
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

const configCache = new Map<string, LoadedConfig>();

export function readConfig(io: CliIO, path: string | null): LoadedConfig {
  if (!path) return { config: {}, report: null };
  const abs = resolve(io.cwd, path);
  const cached = configCache.get(abs);
  if (cached) return cached;
  let text: string;
  try {
    text = readFileSync(abs, 'utf8');
  } catch (err) {
    throw new UsageError(`Cannot read config file '${path}': ${(err as NodeJS.ErrnoException).code ?? String(err)}.`);
  }
  const file = displayPath(io, abs);
  const res = loadConfig(text, file);
  const loaded = { config: res.config, report: { file, text, diagnostics: res.diagnostics.map((d) => ({ ...d, file: undefined })) } };
  configCache.set(abs, loaded);
  return loaded;
}

/**
 * The name a flow's source gets inside the IR and manifests: its path relative to the repository root
 * (the nearest folder above it with `.git`), else to its `flowc.yaml`'s folder, else its file name.
 * Independent of the working directory, so builds are byte-identical wherever they run.
 */
function sourceName(absPath: string, configPath: string | null): string {
  let dir = dirname(absPath);
  for (;;) {
    if (existsSync(join(dir, '.git'))) return relative(dir, absPath).split(sep).join('/');
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  const base = configPath ? dirname(configPath) : dirname(absPath);
  return relative(base, absPath).split(sep).join('/');
}

export interface LoadedFlow {
  path: string;
  file: string;
  text: string;
  analysis: Analysis;
  config: LoadedConfig;
  /** The flow file's report followed by the config file's, when it has one. */
  reports: FileReport[];
  hasErrors: boolean;
}

/** A `.flow` file's text, with an `invalid-utf8` error for each bad byte sequence (see diagnostics/source-text.ts). */
export function readFlowSource(io: CliIO, path: string): SourceText {
  const abs = resolve(io.cwd, path);
  try {
    if (statSync(abs).isDirectory()) throw new UsageError(`'${path}' is a directory; give a .flow file.`);
    return decodeSource(readFileSync(abs));
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(`Cannot read '${path}': ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String((err as Error).message)}.`);
  }
}

export function loadFlow(io: CliIO, path: string, configPath?: string): LoadedFlow {
  const abs = resolve(io.cwd, path);
  const source = readFlowSource(io, path);
  const text = source.text;
  const file = displayPath(io, abs);
  const configFile = configPath ? resolve(io.cwd, configPath) : findConfig(dirname(abs));
  const config = readConfig(io, configFile);
  const analysis = analyze(text, { file: sourceName(abs, configFile), config: config.config, targets: targetChecks });
  const own = [...source.diagnostics, ...analysis.diagnostics.filter((d) => !d.file)].sort(compareDiagnostics);
  const reports: FileReport[] = [{ file, text, diagnostics: own }];
  if (config.report && config.report.diagnostics.length > 0) reports.push(config.report);
  const hasErrors = reports.some((r) => r.diagnostics.some((d) => d.severity === 'error'));
  return { path: abs, file, text, analysis, config, reports, hasErrors };
}

/** The IR of every flow in a loaded file; only call when `hasErrors` is false. */
export function lowerFlow(loaded: LoadedFlow): FlowIR[] {
  return lower(loaded.analysis);
}

/** Expands directories into the `.flow` files below them (sorted; hidden folders and node_modules skipped). */
export function expandPaths(io: CliIO, paths: string[]): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      if (name.startsWith('.') || name === 'node_modules') continue;
      const p = join(dir, name);
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      else if (name.endsWith('.flow')) out.push(p);
    }
  };
  for (const p of paths) {
    const abs = resolve(io.cwd, p);
    if (!existsSync(abs)) throw new UsageError(`No such file or directory: '${p}'.`);
    if (statSync(abs).isDirectory()) walk(abs);
    else out.push(abs);
  }
  return out;
}
