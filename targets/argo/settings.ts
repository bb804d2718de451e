/**
 * The Argo target's section of a step's IR (`StepIR.targets.argo`): what `@kubernetes` set, its checked
 * arguments by name. Its schema goes into `ir.schema.json` through the registry (`Target.stepSettings`).
 */
import type { JsonSchema, StepIR } from '../../compiler/ir.ts';
import type { Toleration } from '../../compiler/checks/decorators.ts';

interface ArgoSection {
  kubernetes?: { node_selector?: Record<string, string>; tolerations?: Toleration[]; service_account?: string };
}

export const argoStepSettings: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    kubernetes: {
      type: 'object',
      additionalProperties: false,
      properties: {
        node_selector: { type: 'object', additionalProperties: { type: 'string' } },
        tolerations: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['key', 'operator'],
            properties: { key: { type: 'string' }, operator: { enum: ['Equal', 'Exists'] }, value: { type: 'string' }, effect: { type: 'string' } },
          },
        },
        service_account: { type: 'string' },
      },
    },
  },
};

/** A step's `@kubernetes` settings: node selector, tolerations and service account (empty when not set). */
export function kubernetesOf(step: StepIR): { nodeSelector: Record<string, string>; tolerations: Toleration[]; serviceAccount: string | null } {
  const k = (step.targets.argo as ArgoSection | undefined)?.kubernetes;
  return { nodeSelector: k?.node_selector ?? {}, tolerations: k?.tolerations ?? [], serviceAccount: k?.service_account ?? null };
}
