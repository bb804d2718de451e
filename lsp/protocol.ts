/**
 * Custom requests between the flowc language server and the VS Code extension, declared once.
 *
 * Invariant: this module imports nothing (no `vscode`, no `vscode-languageserver`), so both sides can bundle it;
 * each side wraps the method names with its own library's request helpers.
 */

/** `flowc/dag`: the DAG of the flow(s) in a document, for the preview webview. */
export const dagRequest = 'flowc/dag';

export interface DagParams {
  uri: string;
}

export interface DagNode {
  /** The step name (unique within a flow). */
  id: string;
  /** `start`, `end`, `split`, `foreach`, `switch`, `join` or `linear`. */
  role: string;
  /** Layer in a longest-path layering from `start` (0-based), and index within the layer. */
  layer: number;
  index: number;
  inputs: string[];
  outputs: string[];
  /** The 0-based line of the step's name, for "reveal in editor". */
  line: number;
}

export interface DagEdge {
  from: string;
  to: string;
  /** `next`, `foreach` (fan out), or the switch case label. */
  label?: string;
}

export interface DagFlow {
  name: string;
  nodes: DagNode[];
  edges: DagEdge[];
}

export interface DagResult {
  flows: DagFlow[];
  /** Number of errors in the document; the preview shows the last good shape with a banner. */
  errors: number;
}

/** `flowc/build`: compile a document for a target and return the files it would write. */
export const buildRequest = 'flowc/build';

export interface BuildParams {
  uri: string;
  /** A target's name, as `flowc/targets` lists them. */
  target: string;
}

/** `flowc/targets` (params `{}`): the targets `flowc/build` accepts, in the registry's order. */
export const targetsRequest = 'flowc/targets';

export interface TargetInfo {
  name: string;
  /** One line for a picker. */
  summary: string;
}

export interface BuildResult {
  /** Files as a target would write them, in a stable order. Empty when the flow has errors. */
  files: { name: string; language: string; content: string }[];
  /** Human-readable problems (first lines of diagnostics) when nothing could be built. */
  problems: string[];
}

/** Client-side command ids, used by code lenses the server emits and registered by the extension. */
export const commandIds = {
  build: 'flowc.build',
  showDag: 'flowc.showDag',
  restartServer: 'flowc.restartServer',
} as const;
