/**
 * The server's view of the file system: workspace folders, the `flowc.yaml` that applies to a flow, and the
 * `.flow` files of the folders (for workspace symbols). The only module of the server that reads files.
 * Config files are read once and cached until a watched-file event invalidates them.
 */
import { existsSync, readdirSync, readFileSync, statSync, type Dirent } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Connection } from 'vscode-languageserver/node';
import type { FlowcConfig } from '../compiler/config-types.ts';
import type { Diagnostic } from '../diagnostics/types.ts';
import { LineIndex } from '../diagnostics/line-index.ts';

interface LoadedConfig {
  path: string;
  text: string;
  config: FlowcConfig;
  diagnostics: Diagnostic[];
}

/** Reads a `flowc.yaml`; set by `setConfigLoader` so the server works before (and without) a config loader. */
export type ConfigLoader = (text: string, file: string) => { config: FlowcConfig; diagnostics: Diagnostic[] };

const maxWorkspaceFiles = 5000;

export class Workspace {
  private folders: string[] = [];
  private readonly configs = new Map<string, LoadedConfig | null>();
  private loader: ConfigLoader | undefined;

  constructor(private readonly connection: Connection) {}

  setFolders(uris: string[]): void {
    this.folders = [...new Set(uris.map(pathOf).filter((p): p is string => p !== undefined))];
  }

  /** Applies a `workspace/didChangeWorkspaceFolders` event; returns the folders added (paths). */
  changeFolders(added: string[], removed: string[]): string[] {
    const gone = new Set(removed.map(pathOf));
    const before = new Set(this.folders.filter((f) => !gone.has(f)));
    const fresh = added.map(pathOf).filter((p): p is string => p !== undefined && !before.has(p));
    this.setFolders([...before, ...fresh].map((p) => pathToFileURL(p).href));
    return [...new Set(fresh)];
  }

  setConfigLoader(loader: ConfigLoader): void {
    this.loader = loader;
  }

  /** The file name to analyse a document under, and the config that applies to it. */
  contextFor(uri: string): { file: string; config: FlowcConfig } {
    const path = pathOf(uri);
    if (!path) return { file: uri, config: {} };
    const folder = this.folders.find((f) => path.startsWith(f + sep));
    const file = (folder ? relative(folder, path) : path).split(sep).join('/');
    const config = this.configFor(dirname(path));
    return { file, config: config?.config ?? {} };
  }

  /** The URI of a file named in a diagnostic (config files are named by absolute path). */
  uriOfFile(_fromUri: string, file: string): string | undefined {
    return file.startsWith('/') || /^[A-Za-z]:[\\/]/.test(file) ? pathToFileURL(file).href : undefined;
  }

  /** Line index of a config file the server has loaded. */
  linesOf(uri: string): LineIndex | undefined {
    const path = pathOf(uri);
    const loaded = path ? this.configs.get(path) : undefined;
    return loaded ? new LineIndex(loaded.text) : undefined;
  }

  /** Forgets a changed file; true when it was a config file (flows must be re-checked). */
  invalidate(uri: string): boolean {
    const path = pathOf(uri);
    if (!path || !/flowc\.ya?ml$/.test(path)) return false;
    this.configs.clear();
    return true;
  }

  /** The nearest `flowc.yaml` in the directory or above, stopping at a repository root. */
  private configFor(startDir: string): LoadedConfig | null {
    if (!this.loader) return null;
    let dir = resolve(startDir);
    for (;;) {
      const candidate = join(dir, 'flowc.yaml');
      if (this.configs.has(candidate)) return this.configs.get(candidate)!;
      if (existsSync(candidate)) return this.loadConfig(candidate);
      if (existsSync(join(dir, '.git'))) return null;
      const parent = dirname(dir);
      if (parent === dir) return null;
      dir = parent;
    }
  }

  private loadConfig(path: string): LoadedConfig | null {
    let loaded: LoadedConfig | null = null;
    try {
      const text = readFileSync(path, 'utf8');
      const folder = this.folders.find((f) => path.startsWith(f + sep));
      const display = (folder ? relative(folder, path) : path).split(sep).join('/');
      const res = this.loader!(text, display);
      loaded = { path, text, config: res.config, diagnostics: res.diagnostics.map((d) => ({ ...d, file: path })) };
    } catch (err) {
      this.connection.console.error(`flowc: cannot load ${path}: ${err instanceof Error ? err.message : String(err)}`);
    }
    this.configs.set(path, loaded);
    return loaded;
  }

  /** Problems of the config that applies to a document, in the config file's offsets. */
  configDiagnostics(uri: string): Diagnostic[] {
    const path = pathOf(uri);
    return (path && this.configFor(dirname(path))?.diagnostics) || [];
  }

  /** Whether a URI names a `.flow` file inside a workspace folder (hidden folders and node_modules excluded). */
  isWorkspaceFlow(uri: string): boolean {
    const path = pathOf(uri);
    if (!path || !path.endsWith('.flow')) return false;
    const folder = this.folders.find((f) => path.startsWith(f + sep));
    return folder !== undefined && !relative(folder, path).split(sep).some((part) => skippedName(part));
  }

  /** The `.flow` files of the workspace folders, or of `folders` (paths) only (hidden folders and node_modules skipped), capped. */
  flowFiles(folders: string[] = this.folders): string[] {
    const out: string[] = [];
    const walk = (dir: string, depth: number) => {
      if (depth > 20 || out.length >= maxWorkspaceFiles) return;
      let entries: Dirent[];
      try {
        // With their types: no stat per entry (a large tree is walked while the first document waits).
        entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      } catch {
        return;
      }
      for (const entry of entries) {
        const name = entry.name;
        if (skippedName(name)) continue;
        const p = join(dir, name);
        let isDir = entry.isDirectory();
        if (entry.isSymbolicLink()) {
          try {
            isDir = statSync(p).isDirectory();
          } catch {
            continue;
          }
        }
        if (isDir) walk(p, depth + 1);
        else if (name.endsWith('.flow')) out.push(p);
        if (out.length >= maxWorkspaceFiles) return;
      }
    };
    for (const f of folders) walk(f, 0);
    return out;
  }

  readFile(path: string): string | undefined {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return undefined;
    }
  }
}

/** Folders (and files) the workspace walk skips: hidden ones, dependencies and build output. */
const skippedName = (name: string) => name.startsWith('.') || name === 'node_modules' || name === 'dist';

export function pathOf(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}
