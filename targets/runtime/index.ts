/**
 * The task runtime as the emitters use it: the packed Python package, the loader that starts it inside a
 * container, and the run information the first task writes (docs/targets.md, "The task runtime").
 *
 * The runtime reaches a container in one of two ways:
 * - inline: `FLOWC_RUNTIME_ZIP` holds the zip in base64 (Argo: a WorkflowTemplate has room for it);
 * - by reference: `FLOWC_RUNTIME_SHA` names the object `objects/<sha[0..2]>/<sha>` of the datastore that holds
 *   the same base64 text (Batch: a job definition is at most 24 KiB, so the state machine's first state stores
 *   the runtime in the datastore and the loader fetches it, checking its SHA-256).
 * The loader is the only S3 code outside the package: the smallest signed GET (credentials from the environment
 * or the container endpoint), needed to fetch the package that has the real S3 client.
 * Pure: no IO.
 */
import { createHash } from 'node:crypto';
import { zlibSync } from 'fflate';
import { irJson, irText, type FlowIR } from '../../compiler/ir.ts';
import { RUNTIME_ZIP_BASE64, RUNTIME_ZIP_SHA256 } from './generated/runtime-zip.ts';
import { PYTHON_WRAPPER } from './generated/python-wrapper.ts';

export { PYTHON_WRAPPER, RUNTIME_ZIP_BASE64, RUNTIME_ZIP_SHA256 };
export { buildTaskPlan, type TaskPlan } from './plan.ts';
import { buildTaskPlan, type TaskPlan } from './plan.ts';

/**
 * Plans up to this size travel inline in `FLOWC_PLAN`; a larger one (the join of a wide split lists every branch)
 * travels in the run information object and `FLOWC_PLAN` names it (`sha256:<id>`), so a job definition does not
 * grow with fan-in.
 */
const MAX_INLINE_PLAN = 4096;

/** A step's `FLOWC_PLAN`: the plan's JSON, or a reference to the run information that holds it. */
export function planVariable(ir: FlowIR, step: string, sourceFile: string): string {
  const info = runInfo(ir, sourceFile);
  return info.plans.has(step) ? `sha256:${info.sha}` : info.inlinePlans.get(step)!;
}

/**
 * `python3 -c LOADER BODY_ARGV...`: puts the package on sys.path (zipimport) and runs the task runtime.
 *
 * Every Batch job definition carries it, so it is written short (single quotes: nothing to escape in JSON; one-space
 * indents; short names). What `fetch` does, line by line: the object key `<prefix>/objects/<sha[0..2]>/<sha>`;
 * credentials from the environment, else from the container credentials endpoint (ECS/Batch: the relative URI on
 * 169.254.170.2, or a full URI with its token); the region and an S3-compatible endpoint; path-style addressing for
 * an endpoint or a bucket with dots, else virtual-hosted; a SigV4-signed GET (headers host, x-amz-content-sha256,
 * x-amz-date and the session token, sorted); the SHA-256 of what came back checked against the name.
 * Names the Argo exit handler's programs use after the loader's head: `E`, `os`, `sys`, `json`.
 */
export const LOADER = String.raw`import atexit,base64,datetime,hashlib as H,hmac,json,os,shutil,sys,tempfile,urllib.parse as P,urllib.request as R
E=os.environ
def fetch():
 s=E['FLOWC_RUNTIME_SHA'];u=P.urlsplit(E['FLOWC_DATASTORE']);b=u.netloc
 k='/'.join(p for p in [u.path.strip('/'),'objects',s[:2],s] if p)
 if E.get('AWS_ACCESS_KEY_ID'):a,z,t=E['AWS_ACCESS_KEY_ID'],E['AWS_SECRET_ACCESS_KEY'],E.get('AWS_SESSION_TOKEN')
 else:
  r=E.get('AWS_CONTAINER_CREDENTIALS_RELATIVE_URI');q=R.Request('http://169.254.170.2'+r if r else E['AWS_CONTAINER_CREDENTIALS_FULL_URI'])
  f=E.get('AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE');x=E.get('AWS_CONTAINER_AUTHORIZATION_TOKEN') or (open(f).read().strip() if f else '')
  if x:q.add_header('Authorization',x)
  c=json.load(R.urlopen(q,timeout=30));a,z,t=c['AccessKeyId'],c['SecretAccessKey'],c.get('Token')
 g=E.get('FLOWC_S3_REGION') or E.get('AWS_REGION') or E.get('AWS_DEFAULT_REGION') or 'us-east-1'
 e=E.get('AWS_ENDPOINT_URL_S3') or E.get('AWS_ENDPOINT_URL') or E.get('FLOWC_S3_ENDPOINT')
 if e:e=P.urlsplit(e);w,n,p=e.scheme,e.netloc,e.path.rstrip('/')+'/'+b+'/'+k
 elif '.' in b:w,n,p='https','s3.%s.amazonaws.com'%g,'/'+b+'/'+k
 else:w,n,p='https','%s.s3.%s.amazonaws.com'%(b,g),'/'+k
 d=datetime.datetime.now(datetime.timezone.utc).strftime('%Y%m%dT%H%M%SZ');o=H.sha256(b'').hexdigest();p=P.quote(p,safe='/~')
 h={'host':n,'x-amz-content-sha256':o,'x-amz-date':d}
 if t:h['x-amz-security-token']=t
 m=';'.join(sorted(h));c=d[:8]+'/'+g+'/s3/aws4_request';y=('AWS4'+z).encode()
 for v in (d[:8],g,'s3','aws4_request'):y=hmac.new(y,v.encode(),H.sha256).digest()
 v='\n'.join(['GET',p,'',''.join(i+':'+h[i]+'\n' for i in sorted(h)),m,o])
 h['Authorization']='AWS4-HMAC-SHA256 Credential=%s/%s, SignedHeaders=%s, Signature=%s'%(a,c,m,hmac.new(y,('AWS4-HMAC-SHA256\n%s\n%s\n'%(d,c)+H.sha256(v.encode()).hexdigest()).encode(),H.sha256).hexdigest())
 del h['host'];l='s3://%s/%s'%(b,k)
 try:data=R.urlopen(R.Request(w+'://'+n+p,headers=h),timeout=60).read()
 except Exception as err:sys.exit('flowc: cannot fetch the task runtime %s: %s'%(l,err))
 if H.sha256(data).hexdigest()!=s:sys.exit('flowc: the task runtime %s is corrupt'%l)
 return data
d=tempfile.mkdtemp(prefix='flowc-runtime-');atexit.register(shutil.rmtree,d,True);z=os.path.join(d,'flowc.zip')
with open(z,'wb') as f:f.write(base64.b64decode(E.pop('FLOWC_RUNTIME_ZIP',None) or fetch()))
sys.path.insert(0,z)
from flowc._runtime import main
main(sys.argv[1:])
`;

/** The variable in which the runtime gives a body the wrapper of `python` bodies (clients/python/flowc/_wrapper.py). */
export const WRAPPER_ENV = 'FLOWC_PY_WRAPPER';

/** `python3 -c PYTHON_WRAPPER SOURCE` as a container runs it: the wrapper read from the environment the runtime set. */
export const PYTHON_BOOT = `import os; exec(os.environ["${WRAPPER_ENV}"])`;

/**
 * The body argv of the task protocol as a container runs it under the runtime: `python3 -c PYTHON_WRAPPER SOURCE`
 * becomes `python3 -c PYTHON_BOOT SOURCE` (the packed runtime holds the wrapper), anything else is unchanged.
 */
export function containerBody(bodyArgv: string[]): string[] {
  return isPythonWrapped(bodyArgv) ? ['python3', '-c', PYTHON_BOOT, bodyArgv[3]] : bodyArgv;
}

/** Whether an argv is the protocol's `python3 -c PYTHON_WRAPPER SOURCE`. */
export const isPythonWrapped = (argv: string[]): boolean => argv.length === 4 && argv[0] === 'python3' && argv[1] === '-c' && argv[2] === PYTHON_WRAPPER;

/** The container command of a task: the loader around the body argv of the task protocol. */
export function runtimeCommand(bodyArgv: string[]): string[] {
  return ['python3', '-c', LOADER, ...containerBody(bodyArgv)];
}

/**
 * What the run's first task writes as ir.json and uses for run.json: the IR, every step's hash, the source file.
 * As JSON text, as the inline form `FLOWC_RUN_INFO` accepts (zlib, base64), and as the objects an engine stores in
 * the datastore when it passes the information by reference (`sha256:<id>`).
 */
export interface RunInfo {
  text: string;
  inline: string;
  /** The id `FLOWC_RUN_INFO` and a plan by reference name (`sha256:<id>`): the index object of `objects`. */
  sha: string;
  /**
   * The objects that hold the information in the datastore, in the order to write them: the inline form cut in parts
   * of at most `RUN_INFO_PART_CHARS` characters, then an index naming them (`{"encoding": "zlib+base64",
   * "parts": [sha...]}`, the object `sha`). Each fits one Step Functions task's input (256 KiB).
   */
  objects: { sha: string; text: string }[];
  /** Steps whose plan is in the run information (too large to be inline). */
  plans: Set<string>;
  /** The inline plans' JSON, by step. */
  inlinePlans: Map<string, string>;
  /** Every step's plan (built once per flow). */
  taskPlans: Map<string, TaskPlan>;
}

/** The largest part of the stored run information (base64 characters): well under a task input's 256 KiB. */
const RUN_INFO_PART_CHARS = 192 * 1024;

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

const infos = new WeakMap<FlowIR, Map<string, RunInfo>>();

export function runInfo(ir: FlowIR, sourceFile: string): RunInfo {
  let bySource = infos.get(ir);
  if (!bySource) infos.set(ir, (bySource = new Map()));
  const hit = bySource.get(sourceFile);
  if (hit) return hit;
  const big: Record<string, TaskPlan> = {};
  const inlinePlans = new Map<string, string>();
  const taskPlans = new Map<string, TaskPlan>();
  for (const step of ir.steps) {
    const plan = buildTaskPlan(ir, step);
    taskPlans.set(step.name, plan);
    const json = irJson(plan);
    if (json.length > MAX_INLINE_PLAN) big[step.name] = plan;
    else inlinePlans.set(step.name, json);
  }
  const plans = new Set(Object.keys(big));
  // Every plan holds its step's hash: the same as `stepHashes(ir)`, without hashing each step twice.
  const hashes = Object.fromEntries(ir.steps.map((step) => [step.name, taskPlans.get(step.name)!.hash]));
  // `irJson({ ir, stepHashes, sourceFile, plans? })`, with the IR's text serialized once (irText) and shared.
  const text = `{"ir":${irText(ir)},"stepHashes":${irJson(hashes)},"sourceFile":${JSON.stringify(sourceFile)}${plans.size ? `,"plans":${irJson(big)}` : ''}}`;
  const inline = Buffer.from(zlibSync(new TextEncoder().encode(text), { level: 4 })).toString('base64');
  const objects: RunInfo['objects'] = [];
  for (let at = 0; at < inline.length; at += RUN_INFO_PART_CHARS) {
    const part = inline.slice(at, at + RUN_INFO_PART_CHARS);
    objects.push({ sha: sha256(part), text: part });
  }
  const index = JSON.stringify({ encoding: 'zlib+base64', parts: objects.map((o) => o.sha) });
  objects.push({ sha: sha256(index), text: index });
  const info: RunInfo = { text, inline, sha: objects[objects.length - 1].sha, objects, plans, inlinePlans, taskPlans };
  bySource.set(sourceFile, info);
  return info;
}
