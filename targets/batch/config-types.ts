/**
 * The `batch:` section of `flowc.yaml` after validation (`config.schema.json` in this folder) and loading
 * (sizes in MiB). It joins `FlowcConfig` by augmenting it, so the compiler never names a target.
 */
import type { Limits, NotifyEvent } from '../../compiler/config-types.ts';

export interface BatchConfig {
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
  /** Notifications: the state machine publishes to this SNS topic (notify.ts). */
  notify?: { snsTopicArn: string; on?: NotifyEvent[] };
}

declare module '../../compiler/config-types.ts' {
  interface FlowcConfig {
    batch?: BatchConfig;
  }
}
