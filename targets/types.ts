/**
 * What every target returns. A target is a pure function of the IR and options: it builds typed objects,
 * serializes them last, and reports problems it alone can see (e.g. a name too long for Kubernetes) as
 * diagnostics pointing into the flow's source through the IR's spans. The CLI does the writing.
 */
import type { FlowcConfig } from '../compiler/config-types.ts';
import type { FlowIR, JsonSchema } from '../compiler/ir.ts';
import type { TargetCheck } from '../compiler/target-check.ts';
import type { CatalogPart } from '../diagnostics/catalog.ts';
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
  /** Argo: who starts the run by hand (`flowc-user`, its namespace is `user:NAME`); the CLI passes the current user. */
  user?: string;
  /** Argo: the run a resumed run takes finished tasks over from (`flowc resume RUN_ID --target argo`). */
  originRun?: string;
}

export type BuildTarget = (ir: FlowIR, options: TargetOptions) => TargetResult;

/** What `flowc resume RUN_ID --target T` gives a target: the run to resume and where the new one goes. */
export interface ResumeRequest {
  run: { flow: string; id: string; sourceFile: string };
  /** The datastore holding the run: an S3 URL (the CLI has checked). */
  datastore: string;
  /** The flow (reloaded from its file, else as it was run); null when the target does not need it. */
  ir: FlowIR | null;
  config: FlowcConfig;
  namespace: string;
  tags: string[];
  /** `--from STEP`, a step of the flow (the CLI has checked): it runs again, with every step after it. */
  from?: string;
}

export interface ResumeResult {
  /** What to print (a Workflow, an execution input); printed only without errors. */
  stdout: string;
  /** How to start it (`submit it with ...`), for stderr (the CLI then says which tasks are taken over). */
  hint: string;
  diagnostics: Diagnostic[];
}

/** A new run on the target resuming a run by reference, started by hand: what `flowc resume --target T` prints. */
export interface RemoteResume {
  /** Who reads the run's records there (`pods on Argo`): a run kept on this disk cannot be resumed there. */
  readers: string;
  /** True when it needs the flow (`ResumeRequest.ir`). */
  needsFlow: boolean;
  load: () => Promise<(request: ResumeRequest) => ResumeResult>;
}

/** `flowc build --target T --param ... --out DIR`: the input of a run started by hand, as the target takes it. */
export interface HandSubmission {
  /** The file written into `--out` (`input.json`). */
  file: string;
  /** The file's text from the run's submission input (typed values, uploads, `flowc: {namespace, tags}`). */
  load: () => Promise<(ir: FlowIR, input: Record<string, unknown>) => string>;
}

/** One target's record in the registry (`registry.ts`). */
export interface Target {
  /** The `--target` value. */
  name: string;
  /** One line for help texts and the editor's target picker. */
  summary: string;
  /** The code lens title offering this build on each flow in the editor, when it offers one. */
  lens?: string;
  /** Values of `--format`, the default first. */
  formats?: readonly string[];
  /** Values of `--kind`, the default first. */
  kinds?: readonly string[];
  /** The diagnostic codes only this target reports (`diagnostics/catalog/<name>.ts`). */
  codes?: CatalogPart;
  /**
   * The JSON Schema of its section of a step's IR (`StepIR.targets.<name>`: what its own decorators, such as
   * `@kubernetes` for Argo, set), when it has one; `scripts/gen-schemas.ts` puts it into `ir.schema.json`.
   */
  stepSettings?: JsonSchema;
  /** Its names and limits, run by analysis (`AnalyzeOptions.targets`) and by its build. */
  check?: TargetCheck['check'];
  /** The build (`flowc build --target`), loaded when first used (keeps `flowc` start-up small); absent for a target that only runs. */
  load?: () => Promise<BuildTarget>;
  /** Runs flows on this machine: `flowc run`, and `flowc resume` by default. */
  runsHere?: boolean;
  /** `flowc resume RUN_ID --target T`. */
  resume?: RemoteResume;
  /** `flowc build --target T --param ...`. */
  submission?: HandSubmission;
}

/** A target that builds (`flowc build --target`, the editor's build command). */
export type BuildableTarget = Target & Required<Pick<Target, 'load'>>;
