/**
 * Codes reported by the AWS Batch + Step Functions target (targets/batch).
 * Each names a limit or rule of AWS that the flow or `flowc.yaml` breaks, and how to fix it.
 */
import type { CatalogPart } from '../catalog.ts';

export const batchCodes = {
  'batch-no-job-queue': {
    severity: 'error',
    summary: 'A step has no AWS Batch job queue.',
    doc: 'Every step is submitted to a Batch job queue: set `batch.jobQueue` in `flowc.yaml`, or `@batch(queue: "...")` on the step.',
    example: '# flowc.yaml without batch.jobQueue\nbatch:\n  platform: EC2\n',
  },
  'batch-no-s3-root': {
    severity: 'error',
    summary: 'No datastore in S3 for runs on AWS Batch.',
    doc: 'On Batch, every task reads and writes the run\'s datastore in S3 (artifacts, task and run records). Set `datastore: s3://bucket/prefix` in `flowc.yaml`, or pass `--datastore s3://bucket/prefix` to `flowc build`.',
    example: '# flowc.yaml\ndatastore: .flowc\nbatch:\n  jobQueue: ml-default\n',
  },
  'batch-invalid-s3-root': {
    severity: 'error',
    summary: 'The S3 datastore for Batch is not a valid `s3://bucket/prefix` URL.',
    doc: 'The bucket must be a valid S3 bucket name (3-63 lower-case letters, digits, dots and hyphens) and the prefix may use letters, digits and `/ . _ -` only.',
    example: '# flowc.yaml\ndatastore: s3://My_Bucket/flows\n',
  },
  'batch-s3-root-deprecated': {
    severity: 'warning',
    summary: '`batch.s3Root` is deprecated: runs on Batch keep everything in the datastore.',
    doc: 'Runs on Batch use the same datastore layout as local runs, under `datastore: s3://bucket/prefix` in `flowc.yaml` (or `--datastore`), so that `flowc runs`, `get`, `resume` and the clients read them. Replace `batch.s3Root` by `datastore`; while `datastore` is not an S3 URL, `batch.s3Root` is used as the datastore.',
    example: '# flowc.yaml\nbatch:\n  s3Root: s3://ml-artifacts/flows\n',
  },
  'batch-no-image': {
    severity: 'error',
    summary: 'A step has no container image.',
    doc: 'Batch runs every step in a container. Give the flow an `image "..."`, the step its own `image`, or set `image` in `flowc.yaml`.',
    example: 'flow F {\n  step start { next end }\n  step end { sh "echo done" }\n}\n',
  },
  'batch-parallel-fargate': {
    severity: 'error',
    summary: 'A `@parallel` step on Fargate, which runs no multi-node parallel jobs.',
    doc: 'A `@parallel(nodes: N)` step becomes an AWS Batch multi-node parallel job, which runs only on EC2 compute environments. Use `batch.platform: EC2` (and a queue of such an environment, `@batch(queue: ...)`), or drop `@parallel`.',
    example: '# flowc.yaml: batch.platform: FARGATE\n@parallel(nodes: 2)\nstep train { python "..." next end }\n',
  },
  'batch-fargate-gpu': {
    severity: 'error',
    summary: 'A step asks for a GPU on Fargate, which has none.',
    doc: 'AWS Fargate offers no GPUs. Run the flow on an EC2 compute environment (`batch.platform: EC2`) or drop the `gpu` argument of `@resources`.',
    example: '# flowc.yaml: batch.platform: FARGATE\n@resources(gpu: 1)\nstep train { python "..." next end }\n',
  },
  'batch-fargate-resources': {
    severity: 'error',
    summary: 'A step asks for a vCPU/memory combination that Fargate does not offer.',
    doc: 'Fargate accepts only certain pairs: 0.25 vCPU with 0.5-2 GiB, 0.5 with 1-4 GiB, 1 with 2-8 GiB, 2 with 4-16 GiB, 4 with 8-30 GiB (1 GiB steps), 8 with 16-60 GiB (4 GiB steps), 16 with 32-120 GiB (8 GiB steps). The message names the smallest valid pair that covers the request.',
    example: '# flowc.yaml: batch.platform: FARGATE\n@resources(cpu: 3, memory: 5GiB)\nstep work { python "..." next end }\n',
  },
  'batch-fargate-disk': {
    severity: 'error',
    summary: 'A step asks for more ephemeral disk than Fargate offers.',
    doc: 'Fargate tasks get 21 to 200 GiB of ephemeral storage. Ask for at most 200 GiB, or run on EC2 with a launch template that sizes the volume.',
    example: '# flowc.yaml: batch.platform: FARGATE\n@resources(disk: 500GiB)\nstep work { python "..." next end }\n',
  },
  'batch-disk-ignored': {
    severity: 'warning',
    summary: 'A disk request has no effect on EC2 Batch jobs.',
    doc: 'On EC2 compute environments a job\'s disk is the instance volume, set by the compute environment\'s launch template, not by the job definition. The `disk` argument is ignored there.',
    example: '@resources(disk: 100GiB)\nstep work { python "..." next end }\n',
  },
  'batch-linux-parameters-fargate': {
    severity: 'warning',
    summary: '`batch.sharedMemory`, `batch.swap` and `@resources(shared_memory)` have no effect on Fargate.',
    doc: 'They become the job definitions\' `linuxParameters` (`sharedMemorySize`, `maxSwap`), which Fargate does not support. On Fargate they are left out; run on EC2 (`batch.platform: EC2`) to use them.',
    example: '# flowc.yaml\nbatch:\n  platform: FARGATE\n  sharedMemory: 8GiB\n',
  },
  'batch-cpu-rounded': {
    severity: 'warning',
    summary: 'A fractional vCPU request was rounded up for EC2.',
    doc: 'Batch jobs on EC2 reserve whole vCPUs. A request such as `cpu: 0.5` becomes 1 vCPU; use Fargate for fractional vCPUs.',
    example: '@resources(cpu: 0.5)\nstep work { python "..." next end }\n',
  },
  'batch-secret-unsupported': {
    severity: 'error',
    summary: 'A secret cannot be expressed as a Batch secret.',
    doc: 'Batch exposes each secret as one environment variable whose value comes from Secrets Manager or SSM Parameter Store. Name the variable (`@secrets(NAME: "secret")`), and to pick a key of a JSON secret give the secret\'s full ARN.',
    example: '@secrets("db-credentials")\nstep load { python "..." next end }\n',
  },
  'batch-name-invalid': {
    severity: 'error',
    summary: 'A name does not fit AWS\'s rules for that kind of name.',
    doc: 'State machine names are at most 80 characters of letters, digits, `-` and `_`; state names at most 80 characters; job definition and job names at most 128 characters of letters, digits, `-` and `_`, starting with a letter or digit. Shorten the flow, step or project name.',
    example: 'flow AVeryLongFlowNameThatGoesOnAndOnAndOnAndOnAndOnAndOnAndOnAndOnAndOnAndOnAndOnAndOn { ... }\n',
  },
  'batch-cron-unsupported': {
    severity: 'error',
    summary: 'A schedule cannot be expressed as an EventBridge cron expression.',
    doc: 'EventBridge cron expressions cannot restrict both the day of the month and the day of the week. Keep one of them `*`.',
    example: '@schedule(cron: "0 3 1 * MON")\nflow F { ... }\n',
  },
  'batch-job-definition-too-large': {
    severity: 'error',
    summary: 'A job definition is larger than Batch accepts (24 KiB).',
    doc: 'RegisterJobDefinition rejects definitions over 24 KiB. The step\'s inline script is part of the job\'s command: move a long script into the image and call it with `run [...]`.',
    example: 'step big {\n  python """\n    # thousands of lines\n  """\n  next end\n}\n',
  },
  'batch-state-machine-too-large': {
    severity: 'error',
    summary: 'A state machine definition is larger than Step Functions accepts (1 MB), even split into child state machines.',
    doc: 'Step Functions rejects definitions over 1,048,576 bytes. flowc splits a larger state machine into child state machines (long chains between steps, wide splits by branches: docs/targets.md), so this remains only for a region no split can divide and that alone is over 1 MB: a switch with its cases, or a bounded loop. Make that region smaller, e.g. move the cases into flows of their own.',
    example: 'step start { next switch kind { "a" -> a, "b" -> b, /* ...a thousand cases */ else -> other } }\n',
  },
  'batch-history-too-long': {
    severity: 'warning',
    summary: 'An execution can write more history events than Step Functions allows (25,000).',
    doc: 'Step Functions fails an execution whose history reaches 25,000 events (a job Task writes 6, a Choice or Pass 2). flowc counts them per execution at build time: the state machine, each child state machine (split to stay under 1 MB), and each iteration of a foreach (a child execution of the distributed Map, with a history of its own). Without a switch or loop on the way the count is exact; otherwise it is the longest case with every bounded loop at its `@loop` max, a bound a run may stay under, hence a warning. The usual cause is a loop with a large `max` around several steps: lower the max, or make the loop\'s body shorter.',
    example: '@loop(max: 5000)\nstep evaluate {\n  out good: bool\n  python "good = False"\n  next switch good { true -> end, else -> train }\n}\n',
  },
  'batch-cloudformation-too-large': {
    severity: 'error',
    summary: 'A CloudFormation template has more than 500 resources or 1 MB, more than one stack accepts, even in nested stacks.',
    doc: 'CloudFormation accepts at most 500 resources and 1 MB of template (read from S3; `aws cloudformation deploy --s3-bucket`) per stack. A flow over one stack (about 125 steps) is built as nested stacks, each packed to fit (docs/targets.md, "CloudFormation and large flows"); this error remains for what no packing helps: a state machine that alone, with its stack\'s wrapper, is over 1 MB, or more than 500 nested stacks. Build such a flow with `--format json` and deploy it with the AWS CLI, which has neither limit.',
    example: 'flowc build huge.flow --target batch --format cloudformation   # a flow of 80,000 steps\n',
  },
  'batch-container-overrides-too-large': {
    severity: 'error',
    summary: 'A job submission\'s container overrides exceed 8,192 characters.',
    doc: 'SubmitJob rejects `containerOverrides` over 8,192 characters. flowc passes only the run id and the foreach position this way; deeply nested foreach loops can exceed it.',
    example: 'step s { next a foreach x in xs }  // nested many levels deep\n',
  },
  'batch-no-job-role': {
    severity: 'warning',
    summary: 'Batch jobs have no IAM role, so they cannot read or write artifacts in S3.',
    doc: 'Every job moves its inputs and outputs through S3 and needs credentials for it. Set `batch.jobRoleArn` in `flowc.yaml` to a role that may read and write under the S3 root.',
    example: '# flowc.yaml without batch.jobRoleArn\nbatch:\n  jobQueue: ml-default\n',
  },
} satisfies CatalogPart;
