/** The Argo Workflows target's record (see `targets/registry.ts`). */
import { argoCodes } from '../../diagnostics/catalog/argo.ts';
import type { Target } from '../types.ts';
import { checkArgo } from './check.ts';
import { argoStepSettings } from './settings.ts';

export const argoTarget: Target = {
  name: 'argo',
  summary: 'Argo Workflows manifests (YAML)',
  lens: 'Build for Argo',
  formats: ['yaml', 'json'],
  kinds: ['template', 'workflow'],
  codes: argoCodes,
  stepSettings: argoStepSettings,
  check: checkArgo,
  load: async () => (await import('./index.ts')).buildArgo,
  resume: { readers: 'pods on Argo', needsFlow: true, load: async () => (await import('./run-by-hand.ts')).resumeOnArgo },
  submission: { file: 'argo-params.json', load: async () => (await import('./run-by-hand.ts')).paramsFile },
};
