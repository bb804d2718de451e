/**
 * A small evaluator for the expressions Argo evaluates: `{{=...}}` tags and `*Expression` fields (expr-lang),
 * `when` conditions after substitution (govaluate) and `depends` logic. It covers the subset flowc emits and a
 * little more: literals (numbers, 'single' and "double" quoted strings, true, false, nil), variables, member
 * access (`a.b`, `a['b-c']`), `!`/`not`, unary `-`, `* / %`, `+ -`, comparisons, `&&`/`and`, `||`/`or`, the
 * ternary `?:`, parentheses, and the functions `asInt`, `asFloat`, `string`, `len`, `toJson`, `fromJson`.
 * A missing member reads as nil (expr-lang's map access); an unknown variable is an error, as in both languages.
 * Test helper for the Argo executor (executor.ts); untrusted text cannot reach prototypes (own properties only).
 */

export type Value = null | boolean | number | string | Value[] | { [k: string]: Value };
type Env = Record<string, Value>;

type Tok = { kind: 'num'; v: number } | { kind: 'str'; v: string } | { kind: 'id'; v: string } | { kind: 'op'; v: string };

const OPS = ['==', '!=', '<=', '>=', '&&', '||', '<', '>', '!', '?', ':', '(', ')', '[', ']', '.', ',', '+', '-', '*', '/', '%'];

function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (/[0-9]/.test(c)) {
      const m = /^[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?/.exec(src.slice(i))!;
      out.push({ kind: 'num', v: Number(m[0]) });
      i += m[0].length;
      continue;
    }
    if (c === "'" || c === '"') {
      let j = i + 1;
      let s = '';
      while (j < src.length && src[j] !== c) {
        if (src[j] === '\\' && j + 1 < src.length) {
          const e = src[j + 1];
          s += e === 'n' ? '\n' : e === 't' ? '\t' : e;
          j += 2;
        } else s += src[j++];
      }
      if (j >= src.length) throw new Error(`unterminated string in '${src}'`);
      out.push({ kind: 'str', v: s });
      i = j + 1;
      continue;
    }
    if (/[A-Za-z_$]/.test(c)) {
      const m = /^[A-Za-z_$][A-Za-z0-9_$]*/.exec(src.slice(i))!;
      out.push({ kind: 'id', v: m[0] });
      i += m[0].length;
      continue;
    }
    const op = OPS.find((o) => src.startsWith(o, i));
    if (!op) throw new Error(`unexpected character '${c}' in '${src}'`);
    out.push({ kind: 'op', v: op });
    i += op.length;
  }
  return out;
}

const own = (o: Value, k: string): Value => (o !== null && typeof o === 'object' && Object.prototype.hasOwnProperty.call(o, k) ? (o as Record<string, Value>)[k] : null);

function truthy(v: Value): boolean {
  if (typeof v !== 'boolean') throw new Error(`expected a bool, got ${JSON.stringify(v)}`);
  return v;
}

/** expr-lang equality: numbers by value, other scalars strictly, lists and maps structurally. */
function equal(a: Value, b: Value): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

const FUNCS: Record<string, (args: Value[]) => Value> = {
  asInt: ([v]) => {
    const n = typeof v === 'number' ? v : Number.parseInt(String(v), 10);
    if (Number.isNaN(n)) throw new Error(`asInt: not an integer: ${JSON.stringify(v)}`);
    return Math.trunc(n);
  },
  asFloat: ([v]) => {
    const n = Number(v);
    if (Number.isNaN(n)) throw new Error(`asFloat: not a number: ${JSON.stringify(v)}`);
    return n;
  },
  string: ([v]) => (typeof v === 'string' ? v : JSON.stringify(v)),
  len: ([v]) => (typeof v === 'string' || Array.isArray(v) ? v.length : v !== null && typeof v === 'object' ? Object.keys(v).length : 0),
  toJson: ([v]) => JSON.stringify(v),
  fromJson: ([v]) => JSON.parse(String(v)) as Value,
};

/** Evaluates `src` in `env` (variables are `env`'s own keys). Throws on a syntax or type error. */
export function evaluate(src: string, env: Env): Value {
  const toks = tokenize(src);
  let pos = 0;
  const peek = (): Tok | undefined => toks[pos];
  const isOp = (v: string): boolean => peek()?.kind === 'op' && peek()!.v === v;
  const isWord = (v: string): boolean => peek()?.kind === 'id' && peek()!.v === v;
  const expect = (v: string): void => {
    if (!isOp(v)) throw new Error(`expected '${v}' in '${src}'`);
    pos++;
  };

  // Lazy nodes so that `a ? b : c`, `&&` and `||` evaluate only what they need (as both languages do).
  type Node = () => Value;

  const primary = (): Node => {
    const t = toks[pos++];
    if (!t) throw new Error(`unexpected end of '${src}'`);
    if (t.kind === 'num' || t.kind === 'str') return () => t.v;
    if (t.kind === 'op' && t.v === '(') {
      const e = ternary();
      expect(')');
      return e;
    }
    if (t.kind === 'id') {
      if (t.v === 'true') return () => true;
      if (t.v === 'false') return () => false;
      if (t.v === 'nil') return () => null;
      if (isOp('(')) {
        pos++;
        const args: Node[] = [];
        while (!isOp(')')) {
          args.push(ternary());
          if (isOp(',')) pos++;
        }
        pos++;
        const f = Object.prototype.hasOwnProperty.call(FUNCS, t.v) ? FUNCS[t.v] : undefined;
        if (!f) throw new Error(`unknown function '${t.v}'`);
        return () => f(args.map((a) => a()));
      }
      return () => {
        if (!Object.prototype.hasOwnProperty.call(env, t.v)) throw new Error(`unknown name '${t.v}'`);
        return env[t.v];
      };
    }
    throw new Error(`unexpected '${t.v}' in '${src}'`);
  };

  const postfix = (): Node => {
    let e = primary();
    for (;;) {
      if (isOp('.')) {
        pos++;
        const t = toks[pos++];
        if (t?.kind !== 'id') throw new Error(`expected a name after '.' in '${src}'`);
        const base = e;
        e = () => own(base(), t.v);
      } else if (isOp('[')) {
        pos++;
        const key = ternary();
        expect(']');
        const base = e;
        e = () => {
          const b = base();
          const k = key();
          return Array.isArray(b) && typeof k === 'number' ? (b[k] ?? null) : own(b, String(k));
        };
      } else return e;
    }
  };

  const unary = (): Node => {
    if (isOp('!') || isWord('not')) {
      pos++;
      const e = unary();
      return () => !truthy(e());
    }
    if (isOp('-')) {
      pos++;
      const e = unary();
      return () => -Number(e());
    }
    return postfix();
  };

  const binary = (next: () => Node, ops: string[], apply: (op: string, a: Node, b: Node) => Value): (() => Node) => {
    return () => {
      let e = next();
      for (;;) {
        const t = peek();
        const op = t && ((t.kind === 'op' && ops.includes(t.v)) || (t.kind === 'id' && ops.includes(t.v))) ? t.v : undefined;
        if (!op) return e;
        pos++;
        const a = e;
        const b = next();
        e = () => apply(op, a, b);
      }
    };
  };

  const arith = (op: string, a: Value, b: Value): Value => {
    if (op === '+' && (typeof a === 'string' || typeof b === 'string')) return String(a) + String(b);
    const x = Number(a);
    const y = Number(b);
    return op === '+' ? x + y : op === '-' ? x - y : op === '*' ? x * y : op === '/' ? x / y : x % y;
  };
  const mul = binary(unary, ['*', '/', '%'], (op, a, b) => arith(op, a(), b()));
  const add = binary(mul, ['+', '-'], (op, a, b) => arith(op, a(), b()));
  const cmp = binary(add, ['==', '!=', '<', '<=', '>', '>='], (op, a, b) => {
    const x = a();
    const y = b();
    if (op === '==') return equal(x, y);
    if (op === '!=') return !equal(x, y);
    const [p, q] = typeof x === 'string' && typeof y === 'string' ? [x, y] : [Number(x), Number(y)];
    return op === '<' ? p < q : op === '<=' ? p <= q : op === '>' ? p > q : p >= q;
  });
  const and = binary(cmp, ['&&', 'and'], (_op, a, b) => truthy(a()) && truthy(b()));
  const or = binary(and, ['||', 'or'], (_op, a, b) => truthy(a()) || truthy(b()));
  function ternary(): Node {
    const c = or();
    if (!isOp('?')) return c;
    pos++;
    const a = ternary();
    expect(':');
    const b = ternary();
    return () => (truthy(c()) ? a() : b());
  }

  const root = ternary();
  if (pos !== toks.length) throw new Error(`unexpected '${String(toks[pos].v)}' in '${src}'`);
  return root();
}

/** Nests flat dotted keys (`tasks.a.outputs.parameters.x`) into objects, as Argo does for expression environments. */
export function nest(flat: Map<string, Value>): Env {
  const root: Env = Object.create(null) as Env;
  for (const [key, value] of flat) {
    const parts = key.split('.');
    let cur: Record<string, Value> = root;
    for (const p of parts.slice(0, -1)) {
      const next = Object.prototype.hasOwnProperty.call(cur, p) ? cur[p] : undefined;
      if (next === undefined || next === null || typeof next !== 'object' || Array.isArray(next)) cur[p] = Object.create(null) as Record<string, Value>;
      cur = cur[p] as Record<string, Value>;
    }
    const last = parts.at(-1)!;
    if (!(Object.prototype.hasOwnProperty.call(cur, last) && typeof cur[last] === 'object' && cur[last] !== null)) cur[last] = value;
  }
  return root;
}
