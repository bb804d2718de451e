/**
 * The shape of `flowc.yaml` after validation (see `compiler/config.schema.json`).
 * Everything is optional in the file; `undefined` means "not set" and each consumer documents its default.
 * Sizes are normalized on load: memory in MiB, cpu in cores.
 */
export interface Limits {
  cpu?: number;
  memoryMiB?: number;
  gpu?: number;
  diskMiB?: number;
}

export interface Toleration {
  key: string;
  operator?: 'Equal' | 'Exists';
  value?: string;
  effect?: string;
}

export interface FlowcConfig {
  /** Default image for steps that name none. */
  image?: string;
  /** Datastore root for runs: a directory or `s3://bucket/prefix`. */
  datastore?: string;
  /**
   * Tasks of one run at once (`maxWorkers`; `flowc build --max-workers` overrides it, `@max_workers` overrides
   * both): Argo's workflow parallelism, each Step Functions Map's MaxConcurrency. Each target has its default.
   */
  maxWorkers?: number;
  argo?: {
    namespace?: string;
    serviceAccount?: string;
    /** Resource key for GPUs, default `nvidia.com/gpu`. */
    gpuResource?: string;
    /** S3 artifact repository settings for file/dir artifacts and large values. */
    artifactRepository?: { bucket?: string; keyPrefix?: string; endpoint?: string; region?: string };
    limits?: Limits;
    labels?: Record<string, string>;
    /** The workflows' `priority`. */
    priority?: number;
    /** Node selector and tolerations of steps with `@resources(gpu: N)`. */
    gpu?: { nodeSelector?: Record<string, string>; tolerations?: Toleration[] };
  };
  batch?: {
    jobQueue?: string;
    jobRoleArn?: string;
    executionRoleArn?: string;
    stateMachineRoleArn?: string;
    platform?: 'EC2' | 'FARGATE';
    /** Deprecated: the datastore (`datastore: s3://...`) holds Batch runs; used as the datastore when that is not on S3. */
    s3Root?: string;
    region?: string;
    limits?: Limits;
    /** `/dev/shm` of every job, in MiB (from a size such as `8GiB`). */
    sharedMemoryMiB?: number;
    /** Swap every job may use, in MiB. */
    swapMiB?: number;
    /** The jobs' log driver and its options (`logConfiguration`). */
    logs?: { driver: string; options?: Record<string, string> };
  };
}
