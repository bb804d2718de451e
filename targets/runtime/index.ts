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

export { RUNTIME_ZIP_BASE64, RUNTIME_ZIP_SHA256 };
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

/** `python3 -c LOADER BODY_ARGV...`: puts the package on sys.path (zipimport) and runs the task runtime. */
export const LOADER = String.raw`import atexit, base64, datetime, hashlib, hmac, json, os, shutil, sys, tempfile, urllib.parse, urllib.request
E = os.environ
def fetch():
    sha = E["FLOWC_RUNTIME_SHA"]
    u = urllib.parse.urlsplit(E["FLOWC_DATASTORE"])
    bucket, key = u.netloc, "/".join(p for p in [u.path.strip("/"), "objects", sha[:2], sha] if p)
    if E.get("AWS_ACCESS_KEY_ID"):
        ak, sk, tok = E["AWS_ACCESS_KEY_ID"], E["AWS_SECRET_ACCESS_KEY"], E.get("AWS_SESSION_TOKEN")
    else:
        rel = E.get("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI")
        req = urllib.request.Request("http://169.254.170.2" + rel if rel else E["AWS_CONTAINER_CREDENTIALS_FULL_URI"])
        auth = E.get("AWS_CONTAINER_AUTHORIZATION_TOKEN") or (open(E["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"]).read().strip() if E.get("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE") else None)
        if auth:
            req.add_header("Authorization", auth)
        c = json.load(urllib.request.urlopen(req, timeout=30))
        ak, sk, tok = c["AccessKeyId"], c["SecretAccessKey"], c.get("Token")
    region = E.get("FLOWC_S3_REGION") or E.get("AWS_REGION") or E.get("AWS_DEFAULT_REGION") or "us-east-1"
    end = E.get("AWS_ENDPOINT_URL_S3") or E.get("AWS_ENDPOINT_URL") or E.get("FLOWC_S3_ENDPOINT")
    if end:
        e = urllib.parse.urlsplit(end)
        scheme, host, path = e.scheme, e.netloc, e.path.rstrip("/") + "/" + bucket + "/" + key
    elif "." in bucket:
        scheme, host, path = "https", "s3.%s.amazonaws.com" % region, "/" + bucket + "/" + key
    else:
        scheme, host, path = "https", "%s.s3.%s.amazonaws.com" % (bucket, region), "/" + key
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    empty = hashlib.sha256(b"").hexdigest()
    h = {"host": host, "x-amz-content-sha256": empty, "x-amz-date": stamp}
    if tok:
        h["x-amz-security-token"] = tok
    names = sorted(h)
    canon = "\n".join(["GET", urllib.parse.quote(path, safe="/~"), "", "".join(n + ":" + h[n] + "\n" for n in names), ";".join(names), empty])
    scope = stamp[:8] + "/" + region + "/s3/aws4_request"
    k = ("AWS4" + sk).encode()
    for part in (stamp[:8], region, "s3", "aws4_request"):
        k = hmac.new(k, part.encode(), hashlib.sha256).digest()
    sig = hmac.new(k, "\n".join(["AWS4-HMAC-SHA256", stamp, scope, hashlib.sha256(canon.encode()).hexdigest()]).encode(), hashlib.sha256).hexdigest()
    h["Authorization"] = "AWS4-HMAC-SHA256 Credential=%s/%s, SignedHeaders=%s, Signature=%s" % (ak, scope, ";".join(names), sig)
    del h["host"]
    try:
        data = urllib.request.urlopen(urllib.request.Request(scheme + "://" + host + urllib.parse.quote(path, safe="/~"), headers=h), timeout=60).read()
    except Exception as err:
        sys.exit("flowc: cannot fetch the task runtime s3://%s/%s: %s" % (bucket, key, err))
    if hashlib.sha256(data).hexdigest() != sha:
        sys.exit("flowc: the task runtime s3://%s/%s is corrupt" % (bucket, key))
    return data
d = tempfile.mkdtemp(prefix="flowc-runtime-")
atexit.register(shutil.rmtree, d, True)
z = os.path.join(d, "flowc.zip")
with open(z, "wb") as f:
    f.write(base64.b64decode(E.pop("FLOWC_RUNTIME_ZIP", None) or fetch()))
sys.path.insert(0, z)
from flowc._runtime import main
main(sys.argv[1:])
`;

/** The container command of a task: the loader around the body argv of the task protocol. */
export function runtimeCommand(bodyArgv: string[]): string[] {
  return ['python3', '-c', LOADER, ...bodyArgv];
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
  const inline = Buffer.from(zlibSync(new TextEncoder().encode(text), { level: 6 })).toString('base64');
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
