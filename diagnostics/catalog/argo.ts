import type { CatalogPart } from '../catalog.ts';

/** Codes reported by the Argo Workflows target (targets/argo). */
export const argoCodes = {
  'argo-missing-image': {
    severity: 'error',
    summary: 'A step has no container image.',
    doc: 'Every Argo step runs in a container. Set `image` on the flow or the step, or a default `image` in `flowc.yaml`.',
    example: 'flow F {\n  step start { run "echo hi" next end }\n  step end {}\n}',
  },
  'argo-template-braces': {
    severity: 'error',
    summary: "Author text that Argo would take for one of its '{{...}}' templates.",
    doc: [
      'Argo substitutes `{{...}}` anywhere in a template and rejects names it does not know. Scripts and commands',
      'containing `{{` are fine (flowc carries them base64-encoded and decodes them in the pod), but other text goes',
      'into the manifest as written, for people and tools to read: `@env` values, images, `@secrets` names and keys,',
      '`@kubernetes` node selectors, tolerations and service account, trigger events, and the Argo settings of',
      '`flowc.yaml` (namespace, serviceAccount, labels) and its datastore. None of them may contain `{{` or `}}`.',
      'Pass such text through `@secrets`, or as a flow parameter the step reads (`{{param.x}}`), whose values Argo',
      'does not parse.',
    ].join('\n'),
    example: 'step start {\n  @env(GREETING: "{{name}}")\n  run "echo $GREETING"\n  next end\n}',
  },
  'argo-unsupported-gather': {
    severity: 'error',
    summary: 'A join gathers file or dir artifacts, which the Argo target cannot pass yet.',
    doc: [
      'The task runtime gathers values (a JSON list); a list of files or directories is not one. Gather the values',
      'the join needs (or paths in S3 as strings) instead of `file`/`dir` artifacts.',
    ].join('\n'),
    example: 'step join {\n  in models: [file]\n  next end\n}',
  },
  'argo-datastore-not-s3': {
    severity: 'warning',
    summary: 'The datastore is not in S3, so pods on Argo cannot reach it.',
    doc: [
      'Runs on Argo keep everything (artifacts, task and run records) in the datastore, which every pod reads and',
      'writes; a directory on this machine is not reachable from the cluster. The manifests leave the workflow',
      'parameter `flowc-datastore` without a default, so each run must be given one at submission',
      '(`argo submit ... -p flowc-datastore=s3://bucket/prefix`); or set `datastore: s3://bucket/prefix` in',
      '`flowc.yaml`, or pass `--datastore s3://...` to `flowc build`.',
    ].join('\n'),
    example: '# flowc.yaml\ndatastore: .flowc\n',
  },
  'argo-artifact-repository-deprecated': {
    severity: 'warning',
    summary: '`argo.artifactRepository` is deprecated and ignored.',
    doc: [
      'Runs on Argo no longer pass artifacts through Argo parameters or Argo artifacts: every pod reads and writes',
      'the datastore (`datastore: s3://bucket/prefix` in `flowc.yaml`), in the same layout as local runs. Remove',
      '`argo.artifactRepository` and set `datastore` instead.',
    ].join('\n'),
    example: '# flowc.yaml\nargo:\n  artifactRepository:\n    bucket: ml-artifacts\n',
  },
} satisfies CatalogPart;
