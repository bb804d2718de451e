/**
 * fast-check arbitraries for the fuzz suite: structurally valid random flows (nested splits, foreach fan-outs
 * and switches, each closed properly, with typed artifacts, parameters and decorators), and mutations of any
 * flow text (deleted, duplicated or inserted spans, inserted tokens, swapped characters) that are mostly invalid.
 */
import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../helpers/golden.ts';

/** FUZZ_RUNS scales every property's number of runs (default 1 = the CI budget). */
const scale = Number(process.env.FUZZ_RUNS ?? 1);
export const runs = (n: number): number => Math.max(1, Math.round(n * scale));

/** The text of every sample flow, sorted by file name: the seeds of the mutation properties. */
export const samples: string[] = readdirSync(join(repoRoot, 'samples'))
  .filter((f) => f.endsWith('.flow'))
  .sort()
  .map((f) => readFileSync(join(repoRoot, 'samples', f), 'utf8'));

export type Segment =
  | { kind: 'step'; body: number; decorators: number[]; readsParam: boolean }
  | { kind: 'split'; branches: Segment[][] }
  | { kind: 'foreach'; body: Segment[] }
  | { kind: 'switch'; cases: Segment[][] };

export interface FlowShape {
  segments: Segment[];
  params: number;
  schedule: boolean;
}

const stepArb = fc.record({
  kind: fc.constant('step' as const),
  body: fc.nat({ max: 4 }),
  decorators: fc.uniqueArray(fc.nat({ max: 3 }), { maxLength: 3 }),
  readsParam: fc.boolean(),
});

const { segments } = fc.letrec<{ segments: Segment[]; segment: Segment }>((tie) => ({
  segment: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { arbitrary: stepArb, weight: 6 },
    { arbitrary: fc.record({ kind: fc.constant('split' as const), branches: fc.array(tie('segments') as fc.Arbitrary<Segment[]>, { minLength: 2, maxLength: 3 }) }), weight: 1 },
    { arbitrary: fc.record({ kind: fc.constant('foreach' as const), body: tie('segments') as fc.Arbitrary<Segment[]> }), weight: 1 },
    { arbitrary: fc.record({ kind: fc.constant('switch' as const), cases: fc.array(tie('segments') as fc.Arbitrary<Segment[]>, { minLength: 2, maxLength: 3 }) }), weight: 1 },
  ),
  segments: fc.array(tie('segment') as fc.Arbitrary<Segment>, { minLength: 1, maxLength: 4, depthIdentifier: 'flow' }),
}));

export const flowShapeArb: fc.Arbitrary<FlowShape> = fc.record({ segments, params: fc.nat({ max: 2 }), schedule: fc.boolean() });

/** Renders a shape as `.flow` text. Every generated flow should check without errors. */
export function renderShape(shape: FlowShape): string {
  let counter = 0;
  const fresh = (prefix: string) => `${prefix}${counter++}`;
  const steps: string[] = [];
  const params = Array.from({ length: shape.params }, (_, i) => `p${i}`);
  const types = ['int', 'string', '[float]', 'json', 'bool'];
  const decorator = ['@resources(cpu: 2, memory: 512MiB)', '@retry(times: 2, delay: 5s)', '@timeout(10m)', '@env(MODE: "fuzz")'];

  const emitStep = (seg: Extract<Segment, { kind: 'step' }>, name: string, next: string, extraIn: string[] = []) => {
    const lines = seg.decorators.map((d) => `  ${decorator[d]}`);
    lines.push(`  step ${name} {`);
    lines.push('    in n: int');
    for (const e of extraIn) lines.push(`    ${e}`);
    if (seg.readsParam && params.length > 0) lines.push(`    in ${params[0]}: int`);
    const out = `o_${name}`;
    lines.push(`    out ${out}: ${types[seg.body % 5]}`);
    const value = ['1', '"s"', '[1.5]', '{"a": 1}', 'True'][seg.body % 5];
    if (seg.body % 2 === 0) lines.push(`    python "${out} = ${value.replace(/"/g, "'")}"`);
    else lines.push(`    run ["python", "-c", "open('{{out.${out}}}', 'w').write('${value.replace(/"/g, '')}')", "{{in.n}}"]`);
    lines.push(`    next ${next}`, '  }');
    steps.push(lines.join('\n'));
  };

  /** A step that closes a structure (join, merge) and produces an int; `gather` is `in x: [T]` for a foreach join. */
  const emitCloser = (name: string, next: string, gather?: { name: string; type: string }) => {
    const g = gather ? `    in ${gather.name}: [${gather.type}]\n` : '';
    steps.push(`  step ${name} {\n${g}    out o_${name}: int\n    python "o_${name} = 1"\n    next ${next}\n  }`);
  };

  /**
   * Renders `segs` so the last one goes to `next`. Returns the first step's name and the output of the last
   * step (every path through the segments produces it), which a foreach join gathers.
   */
  const render = (segs: Segment[], next: string, firstIn: string[] = []): { first: string; exit: { name: string; type: string } } => {
    let succ = next;
    let exit: { name: string; type: string } | null = null;
    const closer = (name: string) => (exit ??= { name: `o_${name}`, type: 'int' });
    for (let i = segs.length - 1; i >= 0; i--) {
      const seg = segs[i];
      const extra = i === 0 ? firstIn : [];
      const head = extra.map((e) => `    ${e}\n`).join('');
      if (seg.kind === 'step') {
        const name = fresh('s');
        emitStep(seg, name, succ, extra);
        exit ??= { name: `o_${name}`, type: types[seg.body % 5] };
        succ = name;
      } else if (seg.kind === 'split') {
        const join = fresh('join');
        emitCloser(join, succ);
        closer(join);
        const firsts = seg.branches.map((b) => render(b, join).first);
        const split = fresh('split');
        steps.push(`  step ${split} {\n${head}    next ${firsts.join(', ')}\n  }`);
        succ = split;
      } else if (seg.kind === 'foreach') {
        const join = fresh('fjoin');
        const item = fresh('it');
        const body = render(seg.body, join, [`in ${item}: int`]);
        emitCloser(join, succ, body.exit);
        closer(join);
        const fan = fresh('fan');
        steps.push(`  step ${fan} {\n${head}    in items: [int]\n    next ${body.first} foreach ${item} in items\n  }`);
        succ = fan;
      } else {
        const merge = fresh('merge');
        emitCloser(merge, succ);
        closer(merge);
        const firsts = seg.cases.map((c) => render(c, merge).first);
        const sw = fresh('switch');
        const cases = firsts.map((f, k) => (k === firsts.length - 1 ? `else -> ${f}` : `"m${k}" -> ${f}`));
        steps.push(`  step ${sw} {\n${head}    in mode: string\n    next switch mode { ${cases.join(', ')} }\n  }`);
        succ = sw;
      }
    }
    return { first: succ, exit: exit! };
  };

  const first = render(shape.segments, 'end').first;
  const head = [
    shape.schedule ? '@schedule(cron: "0 3 * * *")' : '',
    'flow Fuzz {',
    '  image "python:3.12-slim"',
    ...params.map((p, i) => `  param ${p}: int = ${i + 1}`),
    '  step start {',
    '    out n: int',
    '    out items: [int]',
    '    out mode: string',
    '    python "n = 1; items = [1, 2, 3]; mode = \'m0\'"',
    `    next ${first}`,
    '  }',
  ].filter(Boolean);
  return [...head, ...steps.reverse(), '  step end {}', '}', ''].join('\n');
}

/** Tokens worth inserting: keywords, punctuation, literals and the odd hostile string. */
const tokens = ['flow', 'step', 'next', 'in', 'out', 'param', 'type', 'switch', 'foreach', 'else', 'from', 'run', 'python', 'sh', 'image', '{', '}', '(', ')', '[', ']', ',', ':', '->', '@', '?', '"', '"""', '{{', '}}', '{{in.', '{{out.x}}', '//', '/*', '\n', '\r\n', '\t', '\uFEFF', '\u0000', '\uD800', '0', '-1', '1e309', '512MiB', '99999999999999999999GiB', '30s', 'int', '[int]', '{string}', 'file?', 'start', 'end', '@resources(cpu: 1e9)', '@retry(times: -1)', '@schedule(cron: "* * *")', 'é', '𝔣'];

export type Mutation = { kind: 'delete' | 'duplicate'; at: number; len: number } | { kind: 'insert'; at: number; token: number } | { kind: 'swap'; at: number };

export const mutationsArb: fc.Arbitrary<Mutation[]> = fc.array(
  fc.oneof(
    fc.record({ kind: fc.constantFrom('delete' as const, 'duplicate' as const), at: fc.nat(), len: fc.nat({ max: 40 }) }),
    fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), token: fc.nat({ max: tokens.length - 1 }) }),
    fc.record({ kind: fc.constant('swap' as const), at: fc.nat() }),
  ),
  { minLength: 1, maxLength: 6 },
);

/** Applies mutations in order; positions wrap around the current text length. */
export function mutate(text: string, mutations: Mutation[]): string {
  let t = text;
  for (const m of mutations) {
    const at = t.length === 0 ? 0 : m.at % (t.length + 1);
    if (m.kind === 'delete') t = t.slice(0, at) + t.slice(at + m.len);
    else if (m.kind === 'duplicate') t = t.slice(0, at + m.len) + t.slice(at, at + m.len) + t.slice(at + m.len);
    else if (m.kind === 'insert') t = t.slice(0, at) + tokens[m.token] + t.slice(at);
    else if (at + 1 < t.length) t = t.slice(0, at) + t[at + 1] + t[at] + t.slice(at + 2);
  }
  return t;
}
