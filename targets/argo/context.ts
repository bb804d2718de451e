/**
 * The state one build of a flow shares between the template builders: the IR, options, scope analysis, value
 * and the diagnostics reported so far. Created once per `buildArgo` call and discarded after it.
 */
import type { FlowIR } from '../../compiler/ir.ts';
import type { Diagnostic } from '../../diagnostics/types.ts';
import { createReporter, type Report } from '../../diagnostics/report.ts';
import type { TargetOptions } from '../types.ts';
import { analyzeScopes, type Scopes } from './scopes.ts';
import { DEFAULT_GPU_RESOURCE } from './resources.ts';
import { kubeName } from './names.ts';

export interface BuildContext {
  ir: FlowIR;
  options: TargetOptions;
  scopes: Scopes;
  /** The flow's Kubernetes name. */
  flowName: string;
  gpuResource: string;
  diagnostics: Diagnostic[];
  report: Report;
}

export function createContext(ir: FlowIR, options: TargetOptions): BuildContext {
  const scopes = analyzeScopes(ir);
  const diagnostics: Diagnostic[] = [];
  return {
    ir,
    options,
    scopes,
    flowName: kubeName(ir.name),
    gpuResource: options.config.argo?.gpuResource ?? DEFAULT_GPU_RESOURCE,
    diagnostics,
    report: createReporter(diagnostics),
  };
}
