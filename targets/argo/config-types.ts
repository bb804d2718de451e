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
