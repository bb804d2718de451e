import type { CatalogEntry, CatalogPart } from '../catalog.ts';
import { argoCodes } from './argo.ts';
import { batchCodes } from './batch.ts';

const error = (summary: string, doc: string, example: string): CatalogEntry => ({ severity: 'error', summary, doc, example });
const flow = (body: string, head = ''): string => `${head}flow F {\n  image "python:3.12-slim"\n${body}\n}\n`;

/**
 * Rules several targets share, one code each, reported by each target's check (`targets/<name>/check.ts`) from
 * analysis, so `flowc check` and the editor show them.
 */
export const sharedTargetCodes = {
  'resources-exceed-limits': error(
    '`@resources` asks for more than the largest node of a target in `flowc.yaml`.',
    'When `flowc.yaml` sets `argo.limits` or `batch.limits`, a step asking for more cpu, memory, gpu or disk than those limits could never be scheduled (the pod stays `Pending`, the job `RUNNABLE`). Lower the request, or raise the limit if the cluster really has bigger nodes.',
    '# flowc.yaml: argo: { limits: { cpu: 8 } }\n' + flow('  @resources(cpu: 16)\n  step start { next end }\n  step end {}'),
  ),
  'name-collision': error(
    'Two steps map to the same Kubernetes name after lowering.',
    'Argo names (templates, DAG tasks) must be DNS-1123 labels, so flowc derives them from step names: `trainModel` and `train_model` both become `train-model`, a foreach step `x` also owns `x-foreach`, and `flowc-dag` is the entrypoint. Rename one of them.',
    flow('  step start { next trainModel }\n  step trainModel { next train_model }\n  step train_model { next end }\n  step end {}'),
  ),
  'name-too-long': error(
    'A flow or step name is too long for Kubernetes after lowering.',
    'A step name (and a foreach step\'s body, `<step>-foreach`) becomes a DNS label of at most 63 characters; a flow name becomes a WorkflowTemplate name (63), or with `@schedule` a CronWorkflow name (at most 52, because Argo appends a timestamp to the runs it creates). AWS names are checked by `batch-name-invalid`.',
    flow('  step start { next a_step_name_that_goes_on_and_on_and_on_far_beyond_what_kubernetes_allows }\n  step a_step_name_that_goes_on_and_on_and_on_far_beyond_what_kubernetes_allows { next end }\n  step end {}'),
  ),
} satisfies CatalogPart;

/** Codes reported by the backends (names that do not fit a platform, impossible resources, size limits). */
export const targetCodes = { ...sharedTargetCodes, ...argoCodes, ...batchCodes } satisfies CatalogPart;
