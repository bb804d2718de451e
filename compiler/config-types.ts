/**
 * The shape of `flowc.yaml` after validation (see `compiler/config.schema.json`).
 * Everything is optional in the file; `undefined` means "not set" and each consumer documents its default.
 * Sizes are normalized on load: a size setting `x` becomes `xMiB`, a number of MiB (`memory` → `memoryMiB`).
 */
export interface Limits {
  cpu?: number;
  memoryMiB?: number;
  gpu?: number;
  diskMiB?: number;
}

/** What a run's notification is sent for (`notify.on` of a target section; default `['failure']`). */
export type NotifyEvent = 'failure' | 'success';

/**
 * Each target's section (`argo`, `batch`, …) is declared in its folder (`targets/<name>/config-types.ts`, which
 * augments this interface) beside its schema part (`targets/<name>/config.schema.json`).
 */
export interface FlowcConfig {
  /** Default image for steps that name none. */
  image?: string;
  /** Datastore root for runs: a directory or `s3://bucket/prefix`. */
  datastore?: string;
  /**
   * Tasks of one run at once (`maxWorkers`; `flowc build --max-workers` overrides it, `@max_workers` overrides
   * both): Argo's workflow parallelism, each Step Functions Map's MaxConcurrency (targets/workers.ts).
   */
  maxWorkers?: number;
}
