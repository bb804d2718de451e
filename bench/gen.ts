/**
 * Generates flows of N steps for benchmarks and tests: `linear` (a chain), `wide` (one split into N-2
 * branches and a gathering join), `foreach` (a chain of foreach fan-outs, each closed by a gathering join).
 */
export type FlowKind = 'linear' | 'wide' | 'foreach';

export function generateFlow(kind: FlowKind, n: number): string {
  const lines = [`flow Bench {`, `  image "python:3.12-slim"`, `  param seed: int = 1`, ''];
  if (kind === 'linear') {
    const count = Math.max(2, n);
    lines.push(`  step start {\n    in seed: int\n    out v0: int\n    python "v0 = seed"\n    next s1\n  }`);
    for (let i = 1; i < count - 1; i++) {
      lines.push(`  step s${i} {\n    in v${i - 1}: int\n    out v${i}: int\n    python "v${i} = v${i - 1} + 1"\n    next ${i + 1 < count - 1 ? `s${i + 1}` : 'end'}\n  }`);
    }
    lines.push(`  step end {\n    in v${count - 2}: int\n  }`);
  } else if (kind === 'wide') {
    const branches = Math.max(2, n - 3);
    lines.push(`  step start {\n    in seed: int\n    out v: int\n    python "v = seed"\n    next ${Array.from({ length: branches }, (_, i) => `b${i}`).join(', ')}\n  }`);
    for (let i = 0; i < branches; i++) lines.push(`  step b${i} {\n    in v: int\n    out r: int\n    python "r = v + ${i}"\n    next join\n  }`);
    lines.push(`  step join {\n    in r: [int]\n    out total: int\n    python "total = sum(r)"\n    next end\n  }`, `  step end {\n    in total: int\n  }`);
  } else {
    const loops = Math.max(1, Math.floor((n - 2) / 3));
    lines.push(`  step start {\n    in seed: int\n    out xs0: [int]\n    python "xs0 = [seed]"\n    next f0\n  }`);
    for (let i = 0; i < loops; i++) {
      lines.push(`  step f${i} {\n    in xs${i}: [int]\n    next body${i} foreach x in xs${i}\n  }`);
      lines.push(`  step body${i} {\n    in x: int\n    out y${i}: int\n    python "y${i} = x * 2"\n    next join${i}\n  }`);
      lines.push(`  step join${i} {\n    in y${i}: [int]\n    out xs${i + 1}: [int]\n    python "xs${i + 1} = y${i}"\n    next ${i + 1 < loops ? `f${i + 1}` : 'end'}\n  }`);
    }
    lines.push(`  step end {\n    in xs${loops}: [int]\n  }`);
  }
  lines.push('}', '');
  return lines.join('\n');
}
