/**
 * `@resources` as Kubernetes container resources (the check against `argo.limits` is in `check.ts`).
 *
 * Requests for cpu, memory and ephemeral storage (so the scheduler places the pod on a node that has them);
 * a memory limit equal to the request (an out-of-memory kill is then deterministic rather than depending on the
 * node's other tenants); GPUs as a limit on the vendor key (Kubernetes sets the request equal to it).
 * No cpu limit: throttling a batch job only makes it slower.
 */
import type { ResourcesIR } from '../../compiler/ir.ts';
import type { Container } from './manifest-types.ts';

export const DEFAULT_GPU_RESOURCE = 'nvidia.com/gpu';

/** Cores as a Kubernetes quantity: whole cores as integers, otherwise millicores. */
function cpuQuantity(cores: number): string {
  return Number.isInteger(cores) ? String(cores) : `${Math.ceil(cores * 1000)}m`;
}

/** MiB as a Kubernetes quantity: whole GiB as `Gi`, otherwise `Mi`. */
export function mibQuantity(mib: number): string {
  return mib % 1024 === 0 ? `${mib / 1024}Gi` : `${mib}Mi`;
}

export function containerResources(res: ResourcesIR, gpuResource: string): Container['resources'] | undefined {
  const requests: Record<string, string> = {};
  const limits: Record<string, string> = {};
  if (res.cpu !== null) requests.cpu = cpuQuantity(res.cpu);
  if (res.memoryMiB !== null) {
    requests.memory = mibQuantity(res.memoryMiB);
    limits.memory = mibQuantity(res.memoryMiB);
  }
  if (res.diskMiB !== null) requests['ephemeral-storage'] = mibQuantity(res.diskMiB);
  if (res.gpu !== null && res.gpu > 0) limits[gpuResource] = String(res.gpu);
  const out: NonNullable<Container['resources']> = {};
  if (Object.keys(requests).length > 0) out.requests = requests;
  if (Object.keys(limits).length > 0) out.limits = limits;
  return Object.keys(out).length > 0 ? out : undefined;
}
