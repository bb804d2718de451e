/**
 * What every target returns. A target is a pure function of the IR and options: it builds typed objects,
 * serializes them last, and reports problems it alone can see (e.g. a name too long for Kubernetes) as
 * diagnostics pointing into the flow's source through the IR's spans. The CLI does the writing.
 */
import type { FlowcConfig } from '../compiler/config-types.ts';
import type { Diagnostic } from '../diagnostics/types.ts';

export interface OutputFile {
  /** Path relative to the `--out` directory, `/`-separated (e.g. `my-flow.workflowtemplate.yaml`, `jobdefs/start.json`). */
  path: string;
  content: string;
}

export interface TargetResult {
  /** What `--out DIR` writes. Empty when there are errors. */
  files: OutputFile[];
  /** What is printed when there is no `--out` (e.g. multi-document YAML). Empty when there are errors. */
  stdout: string;
  diagnostics: Diagnostic[];
}

export interface TargetOptions {
  config: FlowcConfig;
  /** The flow's source file as given on the command line, `/`-separated and relative (for labels and annotations). */
  sourceFile: string;
  /** Output format where a target has several (`yaml` or `json` for Argo; `json` or `cloudformation` for Batch). */
  format?: string;
  /** Argo: `template` (WorkflowTemplate, default) or `workflow` (a submit-ready Workflow). */
  kind?: string;
}
