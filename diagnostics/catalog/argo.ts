import type { CatalogPart } from '../catalog.ts';

/** Codes reported by the Argo Workflows target (targets/argo). */
export const argoCodes: CatalogPart = {
  'argo-name-collision': {
    severity: 'error',
    summary: 'Two names of the flow become the same Kubernetes name.',
    doc: [
      'Argo names (templates, DAG tasks) must be DNS-1123 labels, so flowc derives them from step names:',
      '`loadData` and `load_data` both become `load-data`, and a foreach step `x` also owns `x-foreach`.',
      'Rename one of the steps so that their Kubernetes names differ.',
    ].join('\n'),
    example: 'flow F {\n  step start { next loadData }\n  step loadData { next load_data }\n  step load_data { next end }\n  step end {}\n}',
  },
  'argo-name-too-long': {
    severity: 'error',
    summary: 'A name is too long for Kubernetes or Argo after conversion.',
    doc: [
      'Kubernetes names are at most 63 characters, and a CronWorkflow (a flow with `@schedule`) at most 52,',
      'because Argo appends a timestamp to the names of the runs it creates. Shorten the flow or step name.',
    ].join('\n'),
    example: '@schedule(daily)\nflow AVeryLongFlowNameThatKeepsGoingAndGoingPastFiftyTwoChars {\n  step start { next end }\n  step end {}\n}',
  },
  'argo-resources-over-limit': {
    severity: 'error',
    summary: 'A step asks for more cpu, memory, GPUs or disk than the largest node of the Argo cluster has.',
    doc: [
      'Such a pod would stay `Pending` forever. `argo.limits` in `flowc.yaml` describes the largest node;',
      'lower the `@resources` request, or raise the limit if the cluster really has bigger nodes.',
    ].join('\n'),
    example: '# flowc.yaml: argo: { limits: { gpu: 8 } }\n@resources(gpu: 16)\nstep train { next end }',
  },
  'argo-missing-image': {
    severity: 'error',
    summary: 'A step has no container image.',
    doc: 'Every Argo step runs in a container. Set `image` on the flow or the step, or a default `image` in `flowc.yaml`.',
    example: 'flow F {\n  step start { run "echo hi" next end }\n  step end {}\n}',
  },
  'argo-template-braces': {
    severity: 'error',
    summary: "An @env value that Argo would take for one of its '{{...}}' templates.",
    doc: [
      'Argo substitutes `{{...}}` anywhere in a template and rejects names it does not know. Scripts and commands',
      'containing `{{` are fine (flowc carries them base64-encoded and decodes them in the pod), but an `@env` value',
      'goes into the manifest as written, for people and tools to read. Pass such text through `@secrets`, or as a',
      'flow parameter the step reads (`{{param.x}}`), whose values Argo does not parse.',
    ].join('\n'),
    example: 'step start {\n  @env(GREETING: "{{name}}")\n  run "echo $GREETING"\n  next end\n}',
  },
  'argo-unsupported-gather': {
    severity: 'error',
    summary: 'A join gathers file or dir artifacts, which the Argo target cannot pass yet.',
    doc: [
      'Gathers travel through Argo parameters, which hold values, not files. Gather the values the join needs',
      '(or paths in S3 as strings) instead of `file`/`dir` artifacts.',
    ].join('\n'),
    example: 'step join {\n  in models: [file]\n  next end\n}',
  },
};
