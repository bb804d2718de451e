/**
 * The `argo:` section of `flowc.yaml` after validation (`config.schema.json` in this folder) and loading
 * (sizes in MiB). It joins `FlowcConfig` by augmenting it, so the compiler never names a target.
 */
import type { Limits, NotifyEvent } from '../../compiler/config-types.ts';

export interface ArgoConfig {
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
  /** Notifications: the exit handler POSTs to the webhook whose URL is in this Kubernetes secret (pod.ts). */
  notify?: { webhook: { secret: string; key: string }; on?: NotifyEvent[] };
  /** Gang scheduling of `@parallel` steps: a PodGroup per gang for a coscheduling or Volcano scheduler (gang.ts). */
  gang?: GangConfig;
}

export interface GangConfig {
  scheduler: 'volcano' | 'coscheduling';
  /** The pods' `schedulerName`; default `volcano`, or `scheduler-plugins-scheduler` for coscheduling. */
  schedulerName?: string;
  /** Volcano: the queue of the PodGroups. */
  queue?: string;
  /** Coscheduling: how long a gang may wait for all its pods to be schedulable before it is retried. */
  timeoutSeconds?: number;
}

export interface Toleration {
  key: string;
  operator?: 'Equal' | 'Exists';
  value?: string;
  effect?: string;
}

declare module '../../compiler/config-types.ts' {
  interface FlowcConfig {
    argo?: ArgoConfig;
  }
}
