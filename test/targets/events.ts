/**
 * What the event routers do with flowc's `@trigger_on_finish` output, for tests (no cluster, no AWS):
 * - Argo Events: a `resource` EventSource turns a change of a watched Kubernetes object into an event
 *   `{type, body: the object, group, version, resource}` named after its key, when the change's type is one it
 *   watches and the object's labels pass its label selectors (Kubernetes semantics: `=`, `==`, `!=`, `in`,
 *   `notin`, `exists`, `!`); a Sensor fires each trigger whose `conditions` (dependency names with `&&`, `||`,
 *   parentheses) hold for the dependencies that matched the event, and writes each trigger parameter (a
 *   gjson-style dotted `dataKey` into the event's data) at its `dest` path into the resource it submits.
 * - EventBridge: an event pattern matches an event when every field it names matches (nested objects; a list of
 *   allowed values, any element when the event's value is a list; `prefix`, `suffix`, `wildcard`, `anything-but`,
 *   `exists`); a target's input transformer reads `InputPathsMap` JSONPaths (`$.a.b`) from the event and puts
 *   them into `InputTemplate` (as JSON values in a JSON template).
 * Anything else these helpers meet is an error, so a manifest using more than they know cannot pass unnoticed.
 */
import type { EventSource, Sensor } from '../../targets/argo/manifest-types.ts';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A dotted path (`body.metadata.name`, `a.0.b`) into a value; undefined when absent. Own properties only. */
function atPath(value: unknown, path: string): unknown {
  let cur = value;
  for (const part of path.split('.')) {
    if (Array.isArray(cur) && /^\d+$/.test(part)) cur = cur[Number(part)];
    else if (isObj(cur) && Object.prototype.hasOwnProperty.call(cur, part)) cur = cur[part];
    else return undefined;
  }
  return cur;
}

function setPath(value: unknown, path: string, v: unknown): void {
  const parts = path.split('.');
  let cur = value;
  for (const part of parts.slice(0, -1)) {
    cur = Array.isArray(cur) ? cur[Number(part)] : (cur as Obj)[part];
    if (cur === undefined || cur === null) throw new Error(`dest '${path}' does not exist in the resource`);
  }
  const last = parts.at(-1)!;
  if (Array.isArray(cur)) cur[Number(last)] = v;
  else (cur as Obj)[last] = v;
}

/** One Kubernetes label selector requirement against an object's labels. */
function selects(req: { key: string; operation: string; value: string }, labels: Record<string, string>): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, req.key);
  const values = req.value.split(',').map((v) => v.trim());
  switch (req.operation || '==') {
    case '=':
    case '==':
      return has && labels[req.key] === req.value;
    case '!=':
      return !has || labels[req.key] !== req.value;
    case 'in':
      return has && values.includes(labels[req.key]);
    case 'notin':
      return !has || !values.includes(labels[req.key]);
    case 'exists':
      return has;
    case '!':
      return !has;
    default:
      throw new Error(`unknown label selector operation '${req.operation}'`);
  }
}

export interface ArgoEvent {
  eventSourceName: string;
  eventName: string;
  data: { type: string; body: unknown; group: string; version: string; resource: string };
}

/**
 * The events a `resource` EventSource emits for one change (`type`) of a Kubernetes object of the given group,
 * version and resource, made after the EventSource started (`afterStart`).
 */
export function resourceEvents(source: EventSource, change: { type: 'ADD' | 'UPDATE' | 'DELETE'; group: string; version: string; resource: string; object: Obj }): ArgoEvent[] {
  const out: ArgoEvent[] = [];
  const meta = (change.object.metadata ?? {}) as { namespace?: string; labels?: Record<string, string> };
  for (const [eventName, r] of Object.entries(source.spec.resource)) {
    if (r.group !== change.group || r.version !== change.version || r.resource !== change.resource) continue;
    if (r.namespace && r.namespace !== meta.namespace) continue;
    if (!r.eventTypes.includes(change.type)) continue;
    if (!r.filter.labels.every((req) => selects(req, meta.labels ?? {}))) continue;
    out.push({ eventSourceName: source.metadata.name!, eventName, data: { type: change.type, body: change.object, group: r.group, version: r.version, resource: r.resource } });
  }
  return out;
}

/** A trigger's `conditions`: dependency names joined by `&&` / `||`, with parentheses. */
function conditionHolds(expr: string, met: Set<string>): boolean {
  const tokens = expr.match(/&&|\|\||\(|\)|[A-Za-z0-9][-A-Za-z0-9_.]*/g) ?? [];
  if (tokens.join('') !== expr.replace(/\s+/g, '')) throw new Error(`cannot read conditions '${expr}'`);
  let i = 0;
  const or = (): boolean => {
    let v = and();
    while (tokens[i] === '||') (i++, (v = and() || v));
    return v;
  };
  const and = (): boolean => {
    let v = atom();
    while (tokens[i] === '&&') (i++, (v = atom() && v));
    return v;
  };
  const atom = (): boolean => {
    const t = tokens[i++];
    if (t === '(') {
      const v = or();
      if (tokens[i++] !== ')') throw new Error(`unbalanced conditions '${expr}'`);
      return v;
    }
    return met.has(t);
  };
  const v = or();
  if (i !== tokens.length) throw new Error(`cannot read conditions '${expr}'`);
  return v;
}

/** The Workflows a Sensor submits for one event (each trigger whose conditions the event meets). */
export function sensorSubmissions(sensor: Sensor, event: ArgoEvent): Obj[] {
  const met = new Map<string, ArgoEvent>();
  for (const d of sensor.spec.dependencies) if (d.eventSourceName === event.eventSourceName && d.eventName === event.eventName) met.set(d.name, event);
  const out: Obj[] = [];
  for (const { template: t } of sensor.spec.triggers) {
    if (!conditionHolds(t.conditions, new Set(met.keys()))) continue;
    if (t.argoWorkflow.operation !== 'submit') throw new Error(`unknown operation '${t.argoWorkflow.operation}'`);
    const resource = structuredClone(t.argoWorkflow.source.resource) as unknown as Obj;
    for (const p of t.argoWorkflow.parameters ?? []) {
      const ev = met.get(p.src.dependencyName);
      if (!ev) throw new Error(`parameter from dependency '${p.src.dependencyName}', which did not fire`);
      const v = atPath(ev.data, p.src.dataKey);
      if (v === undefined) throw new Error(`dataKey '${p.src.dataKey}' is not in the event`);
      setPath(resource, p.dest, typeof v === 'string' ? v : JSON.stringify(v));
    }
    out.push(resource);
  }
  return out;
}

/** Whether an EventBridge event pattern matches an event. */
export function patternMatches(pattern: unknown, event: unknown): boolean {
  if (!isObj(pattern)) throw new Error('an event pattern is an object');
  return Object.entries(pattern).every(([key, rule]) => {
    const value = isObj(event) && Object.prototype.hasOwnProperty.call(event, key) ? event[key] : undefined;
    if (isObj(rule)) return patternMatches(rule, value);
    if (!Array.isArray(rule)) throw new Error(`the pattern for '${key}' is neither an object nor a list`);
    return rule.some((r) => (Array.isArray(value) ? value.some((v) => valueMatches(r, v, value !== undefined)) : valueMatches(r, value, value !== undefined)));
  });
}

function valueMatches(rule: unknown, value: unknown, present: boolean): boolean {
  if (!isObj(rule)) return present && rule === value;
  const [[op, arg], ...more] = Object.entries(rule);
  if (more.length > 0) throw new Error(`one operator per rule: ${JSON.stringify(rule)}`);
  switch (op) {
    case 'prefix':
      return typeof value === 'string' && value.startsWith(String(arg));
    case 'suffix':
      return typeof value === 'string' && value.endsWith(String(arg));
    case 'wildcard': {
      if (typeof value !== 'string') return false;
      const re = new RegExp(`^${String(arg).split('*').map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 's');
      return re.test(value);
    }
    case 'anything-but':
      return present && !(Array.isArray(arg) ? arg : [arg]).includes(value);
    case 'exists':
      return arg === present;
    default:
      throw new Error(`unknown pattern operator '${op}'`);
  }
}

/** The input an EventBridge target's input transformer gives the target for an event. */
export function transformInput(transformer: { InputPathsMap: Record<string, string>; InputTemplate: string }, event: unknown): string {
  const values = new Map<string, unknown>();
  for (const [name, path] of Object.entries(transformer.InputPathsMap)) {
    if (!path.startsWith('$.')) throw new Error(`unsupported JSONPath '${path}'`);
    values.set(name, atPath(event, path.slice(2)));
  }
  const json = /^\s*[{[]/.test(transformer.InputTemplate);
  return transformer.InputTemplate.replace(/<([A-Za-z0-9_.-]+)>/g, (whole, name: string) => {
    if (!values.has(name)) return whole;
    const v = values.get(name);
    return json ? JSON.stringify(v ?? null) : typeof v === 'string' ? v : JSON.stringify(v);
  });
}
