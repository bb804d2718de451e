/**
 * `@resources` on Batch: `resourceRequirements` (VCPU, MEMORY in MiB, GPU) and, on Fargate, ephemeral storage.
 *
 * Defaults when a step names none: 1 vCPU and 2048 MiB (the smallest memory Fargate allows with 1 vCPU, so the
 * same flow runs on both platforms). EC2 reserves whole vCPUs; Fargate takes only the pairs in `FARGATE_PAIRS`
 * and no GPU. `batch.limits` in `flowc.yaml` bounds every request (`check.ts`).
 */
import type { StepIR } from '../../compiler/ir.ts';
import type { Report } from '../../diagnostics/report.ts';

const DEFAULT_VCPU = 1;
const DEFAULT_MEMORY_MIB = 2048;

/** Fargate's valid memory sizes (MiB) per vCPU value. */
const FARGATE_PAIRS: { vcpu: number; memory: number[] }[] = [
  { vcpu: 0.25, memory: [512, 1024, 2048] },
  { vcpu: 0.5, memory: range(1024, 4096, 1024) },
  { vcpu: 1, memory: range(2048, 8192, 1024) },
  { vcpu: 2, memory: range(4096, 16384, 1024) },
  { vcpu: 4, memory: range(8192, 30720, 1024) },
  { vcpu: 8, memory: range(16384, 61440, 4096) },
  { vcpu: 16, memory: range(32768, 122880, 8192) },
];
const FARGATE_MIN_DISK_GIB = 21;
const FARGATE_MAX_DISK_GIB = 200;

function range(from: number, to: number, step: number): number[] {
  const out: number[] = [];
  for (let v = from; v <= to; v += step) out.push(v);
  return out;
}

export interface BatchResources {
  vcpu: number;
  memoryMiB: number;
  gpu: number;
  /** Fargate ephemeral storage in GiB; null for the platform default. */
  ephemeralGiB: number | null;
}

/** The smallest Fargate pair with at least `cpu` vCPU and `memoryMiB` memory, or the largest pair if none is. */
export function nearestFargatePair(cpu: number, memoryMiB: number): { vcpu: number; memoryMiB: number } {
  for (const pair of FARGATE_PAIRS) {
    if (pair.vcpu < cpu) continue;
    const memory = pair.memory.find((m) => m >= memoryMiB);
    if (memory !== undefined) return { vcpu: pair.vcpu, memoryMiB: memory };
  }
  const last = FARGATE_PAIRS[FARGATE_PAIRS.length - 1];
  return { vcpu: last.vcpu, memoryMiB: last.memory[last.memory.length - 1] };
}

export const isFargatePair = (vcpu: number, memoryMiB: number): boolean =>
  FARGATE_PAIRS.some((p) => p.vcpu === vcpu && p.memory.includes(memoryMiB));

const gib = (mib: number): string => (mib % 1024 === 0 ? `${mib / 1024} GiB` : `${mib} MiB`);

/** Resolves a step's resources for the platform, reporting what the platform cannot do. */
export function batchResources(step: StepIR, platform: 'EC2' | 'FARGATE', report: Report): BatchResources {
  const span = step.source.span;
  const r = step.resources;
  if (platform === 'FARGATE') {
    if (r.gpu !== null && r.gpu > 0) {
      report('batch-fargate-gpu', span, `Step '${step.name}' asks for ${r.gpu} GPU, but Fargate has no GPUs; use 'batch.platform: EC2' in flowc.yaml or drop the GPU.`);
    }
    let vcpu = r.cpu ?? DEFAULT_VCPU;
    let memoryMiB = r.memoryMiB ?? DEFAULT_MEMORY_MIB;
    if (r.cpu !== null && r.memoryMiB === null) {
      // Only the cpu is given: take the smallest memory Fargate pairs with it.
      memoryMiB = FARGATE_PAIRS.find((p) => p.vcpu === r.cpu)?.memory[0] ?? memoryMiB;
    } else if (r.cpu === null && r.memoryMiB !== null) {
      // Only the memory is given: take the smallest vCPU that accepts it.
      vcpu = FARGATE_PAIRS.find((p) => p.memory.includes(r.memoryMiB!))?.vcpu ?? vcpu;
    }
    if (!isFargatePair(vcpu, memoryMiB)) {
      const near = nearestFargatePair(vcpu, memoryMiB);
      report(
        'batch-fargate-resources',
        span,
        `Step '${step.name}' asks for ${vcpu} vCPU and ${gib(memoryMiB)}, which Fargate does not offer; the nearest valid pair is ${near.vcpu} vCPU and ${gib(near.memoryMiB)}.`,
        { data: { vcpu: near.vcpu, memoryMiB: near.memoryMiB } },
      );
    }
    let ephemeralGiB: number | null = null;
    if (r.diskMiB !== null) {
      const wanted = Math.ceil(r.diskMiB / 1024);
      if (wanted > FARGATE_MAX_DISK_GIB) {
        report('batch-fargate-disk', span, `Step '${step.name}' asks for ${wanted} GiB of disk, but Fargate offers at most ${FARGATE_MAX_DISK_GIB} GiB.`);
      }
      ephemeralGiB = Math.max(FARGATE_MIN_DISK_GIB, wanted);
    }
    return { vcpu, memoryMiB, gpu: 0, ephemeralGiB };
  }
  let vcpu = r.cpu ?? DEFAULT_VCPU;
  if (!Number.isInteger(vcpu)) {
    const rounded = Math.max(1, Math.ceil(vcpu));
    report('batch-cpu-rounded', span, `Step '${step.name}' asks for ${vcpu} vCPU; Batch on EC2 reserves whole vCPUs, so it gets ${rounded}.`);
    vcpu = rounded;
  }
  if (r.diskMiB !== null) {
    report('batch-disk-ignored', span, `Step '${step.name}' asks for ${gib(r.diskMiB)} of disk, which Batch on EC2 ignores; size the volume in the compute environment's launch template.`);
  }
  return { vcpu, memoryMiB: r.memoryMiB ?? DEFAULT_MEMORY_MIB, gpu: r.gpu ?? 0, ephemeralGiB: null };
}
