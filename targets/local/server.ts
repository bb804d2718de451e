/**
 * `flowc serve`: runs and artifacts as read-only JSON over HTTP, bound to loopback only.
 *
 *   GET /flows                                               {"flows": [...]}
 *   GET /flows/F/runs                                        {"runs": [...]}, newest first, in the namespace
 *   GET /flows/F/runs/R                                      the run summary (R may be `latest`)
 *   GET /flows/F/runs/R/artifacts/NAME                       {"NAME": value}
 *   GET /flows/F/runs/R/steps/S                              the step's tasks
 *   GET /flows/F/runs/R/steps/S/tasks/T                      the task record
 *   GET /flows/F/runs/R/steps/S/tasks/T/artifacts/NAME       {"NAME": value}
 * `?namespace=NS` selects a namespace, `?all=1` every namespace. Invariant: nothing here writes.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { hostname } from 'node:os';
import { openDatastore } from './datastore.ts';
import { locateRun } from './locate.ts';
import { artifactValue, findArtifact, NotFound, runSummary } from './query.ts';
import { displayStatus, listFlows, listRuns, pidAlive, readTask } from './records.ts';

export interface ServeOptions {
  locations: string[];
  namespace: string;
  port: number;
  /** Always a loopback address; defaults to 127.0.0.1. */
  host?: string;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = `${JSON.stringify(body, null, 2)}\n`;
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), 'access-control-allow-origin': '*' });
  res.end(text);
}

async function route(opts: ServeOptions, req: IncomingMessage): Promise<[number, unknown]> {
  if (req.method !== 'GET' && req.method !== 'HEAD') return [405, { error: 'Only GET is supported: this endpoint is read-only.' }];
  const url = new URL(req.url ?? '/', 'http://localhost');
  const namespace = url.searchParams.get('all') ? null : (url.searchParams.get('namespace') ?? opts.namespace);
  const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  if (parts.length === 0 || (parts.length === 1 && parts[0] === 'flows')) {
    const flows = new Set<string>();
    for (const loc of opts.locations) for (const f of await listFlows(await openDatastore(loc))) flows.add(f);
    return [200, { flows: [...flows].sort() }];
  }
  if (parts[0] !== 'flows' || parts[2] !== 'runs') return [404, { error: `No such resource: ${url.pathname}` }];
  const flow = parts[1];
  if (parts.length === 3) {
    const runs = [];
    for (const loc of opts.locations) for (const r of await listRuns(await openDatastore(loc), flow, namespace)) runs.push(r);
    runs.sort((a, b) => (a.startedAt < b.startedAt ? 1 : -1));
    return [200, { runs: runs.map((r) => ({ id: r.id, status: displayStatus(r, hostname(), pidAlive), namespace: r.namespace, tags: r.tags, startedAt: r.startedAt, finishedAt: r.finishedAt })) }];
  }
  const found = await locateRun(opts.locations, flow, parts[3], namespace);
  if (!found) return [404, { error: `No run ${flow}/${parts[3]}${namespace ? ` in namespace ${namespace}` : ''}.` }];
  const { ds, run } = found;
  const rest = parts.slice(4);
  const status = displayStatus(run, hostname(), pidAlive);
  if (rest.length === 0) return [200, await runSummary(ds, run, status)];
  if (rest[0] === 'artifacts' && rest.length === 2) {
    return [200, { [rest[1]]: await artifactValue(ds, await findArtifact(ds, run, rest[1])) }];
  }
  if (rest[0] === 'steps' && rest.length >= 2) {
    const step = rest[1];
    if (rest.length === 2) {
      const summary = await runSummary(ds, run, status, step);
      if (!summary.steps.length) throw new NotFound(`Run ${flow}/${run.id} has no step '${step}'.`);
      return [200, summary.steps[0]];
    }
    if (rest[2] === 'tasks' && rest.length >= 4) {
      const task = rest[3];
      if (rest.length === 4) {
        const rec = await readTask(ds, flow, run.id, step, task);
        if (!rec) throw new NotFound(`Run ${flow}/${run.id} has no task ${step}/${task}.`);
        return [200, rec];
      }
      if (rest[4] === 'artifacts' && rest.length === 6) {
        return [200, { [rest[5]]: await artifactValue(ds, await findArtifact(ds, run, rest[5], { step, task })) }];
      }
    }
  }
  return [404, { error: `No such resource: ${url.pathname}` }];
}

/** Starts the server; resolves once it listens, with the port it got (useful with port 0). */
export function startServer(opts: ServeOptions): Promise<{ server: Server; port: number; url: string }> {
  const host = opts.host ?? '127.0.0.1';
  const server = createServer((req, res) => {
    route(opts, req).then(
      ([status, body]) => send(res, status, body),
      (err) => (err instanceof NotFound ? send(res, 404, { error: err.message }) : send(res, 500, { error: String((err as Error)?.message ?? err) })),
    );
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, host, () => {
      const addr = server.address();
      const port = typeof addr === 'object' && addr ? addr.port : opts.port;
      resolve({ server, port, url: `http://${host}:${port}` });
    });
  });
}
