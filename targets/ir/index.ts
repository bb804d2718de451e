/** The `ir` target: the IR itself as pretty JSON (`<Flow>.ir.json`), the input of every other target. */
import { irJson, type FlowIR } from '../../compiler/ir.ts';
import type { TargetOptions, TargetResult } from '../types.ts';

export function buildIr(ir: FlowIR, _options: TargetOptions): TargetResult {
  const content = irJson(ir, 2) + '\n';
  return { files: [{ path: `${ir.name}.ir.json`, content }], stdout: content, diagnostics: [] };
}
