/**
 * Builds a clean flow's IR with both targets and returns every problem with what they emit: Argo manifests
 * against the Argo validator of the Argo target's tests (schema + semantics), the Step Functions state machine
 * against asl-validator, and job definitions against the shapes the Batch API accepts. Builds are also
 * repeated to check they are identical.
 *
 * Two checks are slow, so `deep` turns them on for a few cases only: serializing Argo manifests to YAML
 * (~200 ms for a fuzz-sized flow) and asl-validator, which compiles its JSON Schemas on every call (~1 s).
 * Without `deep`, the state machine gets a structural check here instead (every transition names a state of its
 * own scope, every scope has a terminal state).
 */
import { createRequire } from 'node:module';
import type { FlowIR } from '../../compiler/ir.ts';
import { buildArgo, buildArgoManifests } from '../../targets/argo/index.ts';
import { buildBatch } from '../../targets/batch/index.ts';
import type { TargetOptions } from '../../targets/types.ts';
import { validateArgoManifest } from '../targets/argo/validate.ts';
import { CONFIG as BATCH_CONFIG } from '../targets/batch/helpers.ts';

const require = createRequire(import.meta.url);
const aslValidator = require('asl-validator') as (def: unknown) => { isValid: boolean; errorsText: (sep?: string) => string };

const options = (format?: string): TargetOptions => ({ config: BATCH_CONFIG, sourceFile: 'fuzz.flow', format });

export function argoProblems(ir: FlowIR, deep = false): string[] {
  const { manifests, diagnostics } = buildArgoManifests(ir, options());
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) return errors.map((d) => `argo diagnostic ${d.code}: ${d.message}`);
  const known = manifests.filter((m) => m.kind === 'WorkflowTemplate').map((m) => String(m.metadata?.name));
  const problems = manifests.flatMap((m) => validateArgoManifest(JSON.parse(JSON.stringify(m)), { knownTemplates: known }).map((p) => `${m.kind}: ${p}`));
  if (JSON.stringify(buildArgoManifests(structuredClone(ir), options()).manifests) !== JSON.stringify(manifests)) problems.push('argo: two builds differ');
  if (deep) {
    const res = buildArgo(ir, options());
    if (res.files.length === 0 || res.stdout === '') problems.push('argo: serialization produced nothing');
  }
  return problems;
}

const RESOURCE_TYPES = new Set(['VCPU', 'MEMORY', 'GPU']);

interface JobDef {
  jobDefinitionName?: unknown;
  type?: unknown;
  containerProperties?: { image?: unknown; command?: unknown; resourceRequirements?: { type: string; value: unknown }[] };
  retryStrategy?: { attempts?: unknown };
  timeout?: { attemptDurationSeconds?: unknown };
}

function jobDefinitionProblems(path: string, def: JobDef): string[] {
  const out: string[] = [];
  if (typeof def.jobDefinitionName !== 'string' || !/^[A-Za-z0-9_-]{1,128}$/.test(def.jobDefinitionName)) out.push(`${path}: bad jobDefinitionName`);
  if (def.type !== 'container') out.push(`${path}: type is not 'container'`);
  const c = def.containerProperties;
  if (!c || typeof c.image !== 'string' || c.image === '') out.push(`${path}: no image`);
  if (!c || !Array.isArray(c.command) || !c.command.every((x) => typeof x === 'string')) out.push(`${path}: command is not a list of strings`);
  for (const r of c?.resourceRequirements ?? []) {
    if (!RESOURCE_TYPES.has(r.type) || typeof r.value !== 'string') out.push(`${path}: bad resource requirement ${JSON.stringify(r)}`);
  }
  const attempts = def.retryStrategy?.attempts;
  if (attempts !== undefined && !(Number.isInteger(attempts) && (attempts as number) >= 1 && (attempts as number) <= 10)) out.push(`${path}: retry attempts ${String(attempts)} outside 1..10`);
  const timeout = def.timeout?.attemptDurationSeconds;
  if (timeout !== undefined && !(Number.isInteger(timeout) && (timeout as number) >= 60)) out.push(`${path}: timeout ${String(timeout)} below 60 s`);
  return out;
}

interface AslScope {
  StartAt?: unknown;
  States?: Record<string, { Type?: unknown; Next?: unknown; End?: unknown; Default?: unknown; Choices?: { Next?: unknown }[]; Branches?: AslScope[]; Iterator?: AslScope; ItemProcessor?: AslScope }>;
}

/** Transitions stay inside their scope and every scope can end: what asl-validator checks beyond its schema. */
function aslStructureProblems(scope: AslScope, where = 'state machine'): string[] {
  const out: string[] = [];
  const states = scope.States ?? {};
  const names = new Set(Object.keys(states));
  if (typeof scope.StartAt !== 'string' || !names.has(scope.StartAt)) out.push(`${where}: StartAt '${String(scope.StartAt)}' is not a state`);
  let terminal = false;
  for (const [name, st] of Object.entries(states)) {
    if (typeof st.Type !== 'string') out.push(`${where}/${name}: no Type`);
    const targets = [st.Next, st.Default, ...(st.Choices ?? []).map((c) => c.Next)].filter((t) => t !== undefined);
    for (const t of targets) if (typeof t !== 'string' || !names.has(t)) out.push(`${where}/${name}: transition to unknown state '${String(t)}'`);
    if (st.End === true || st.Type === 'Succeed' || st.Type === 'Fail') terminal = true;
    if (st.Type !== 'Choice' && st.Type !== 'Succeed' && st.Type !== 'Fail' && (st.End === true) === (st.Next !== undefined)) out.push(`${where}/${name}: needs exactly one of Next and End`);
    for (const [i, b] of (st.Branches ?? []).entries()) out.push(...aslStructureProblems(b, `${where}/${name}/branch ${i}`));
    const inner = st.ItemProcessor ?? st.Iterator;
    if (inner) out.push(...aslStructureProblems(inner, `${where}/${name}/items`));
  }
  if (!terminal) out.push(`${where}: no terminal state`);
  return out;
}

export function batchProblems(ir: FlowIR, deep = false): string[] {
  const res = buildBatch(ir, options());
  const errors = res.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) return errors.map((d) => `batch diagnostic ${d.code}: ${d.message}`);
  const problems: string[] = [];
  const asl = res.files.find((f) => f.path.endsWith('.asl.json'));
  if (!asl) problems.push('batch: no state machine file');
  else {
    const definition = JSON.parse(asl.content) as AslScope;
    problems.push(...aslStructureProblems(definition));
    if (deep) {
      const v = aslValidator(definition);
      if (!v.isValid) problems.push(`batch: invalid ASL: ${v.errorsText('; ')}`);
    }
  }
  for (const f of res.files.filter((x) => x.path.startsWith('jobdefs/'))) problems.push(...jobDefinitionProblems(f.path, JSON.parse(f.content) as JobDef));
  if (buildBatch(structuredClone(ir), options()).stdout !== res.stdout) problems.push('batch: two builds differ');
  return problems;
}
