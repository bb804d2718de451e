/**
 * The in-container bootstrap: a Python 3 program (standard library only) that every Batch job runs as
 * `python3 -c BOOTSTRAP BODY_ARGV...`. It follows the task protocol (docs/targets.md) around the body:
 *
 * 1. reads the plan (`FLOWC_PLAN`), the run id and the task's foreach path;
 * 2. downloads every input from S3 into `$FLOWC_TASK_DIR/in/` and sets `FLOWC_IN_*` / `FLOWC_PARAM_*`;
 * 3. runs BODY_ARGV (the command `targets/protocol` built) in the task directory, with `FLOWC_OUT_*` set;
 * 4. only if the body succeeded: checks and uploads every output (values normalized to JSON), then the foreach
 *    list and items or the switch value the state machine reads, then the `@catch` variable as null.
 *
 * It signs S3 requests itself (SigV4) with the job role's credentials (the container credentials endpoint, or
 * `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`), so the image needs only `python3`, not boto3 or the AWS CLI.
 * `FLOWC_S3_ENDPOINT` (path-style URL) points it at another S3-compatible server (tests use one on loopback).
 *
 * Invariant: no value is ever turned into code. Values reach the body through files and environment variables,
 * and the body's argv is fixed in the job definition.
 */
export const BOOTSTRAP = String.raw`import datetime, hashlib, hmac, json, os, subprocess, sys, tempfile, time, urllib.error, urllib.parse, urllib.request
E = os.environ
PLAN = json.loads(E["FLOWC_PLAN"])
def fail(msg):
    sys.stderr.write("flowc: " + msg + "\n")
    sys.exit(1)
ROOT = urllib.parse.urlsplit(E["FLOWC_S3_ROOT"])
BUCKET = ROOT.netloc
BASE = "/".join(p for p in [ROOT.path.strip("/"), E["FLOWC_FLOW"], E["FLOWC_RUN_ID"]] if p)
STEP = E["FLOWC_STEP"]
PATH = E.get("FLOWC_FOREACH_PATH") or "t"
IDX = [int(i) for i in PATH.split(".")[1:]]
REGION = [E.get("FLOWC_S3_REGION") or E.get("AWS_REGION") or E.get("AWS_DEFAULT_REGION") or "us-east-1"]
CREDS = [None, 0.0]
def creds():
    if E.get("AWS_ACCESS_KEY_ID"):
        return E["AWS_ACCESS_KEY_ID"], E["AWS_SECRET_ACCESS_KEY"], E.get("AWS_SESSION_TOKEN")
    if CREDS[0] is None or time.time() - CREDS[1] > 600:
        rel = E.get("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI")
        url = "http://169.254.170.2" + rel if rel else E.get("AWS_CONTAINER_CREDENTIALS_FULL_URI")
        if not url:
            fail("no AWS credentials in the container; give the job a role (flowc.yaml batch.jobRoleArn)")
        req = urllib.request.Request(url)
        if E.get("AWS_CONTAINER_AUTHORIZATION_TOKEN"):
            req.add_header("Authorization", E["AWS_CONTAINER_AUTHORIZATION_TOKEN"])
        with urllib.request.urlopen(req, timeout=10) as r:
            c = json.load(r)
        CREDS[0], CREDS[1] = (c["AccessKeyId"], c["SecretAccessKey"], c.get("Token")), time.time()
    return CREDS[0]
def s3(method, key, body=b""):
    ak, sk, token = creds()
    region = REGION[0]
    endpoint = E.get("FLOWC_S3_ENDPOINT")
    if endpoint:
        u = urllib.parse.urlsplit(endpoint)
        scheme, host, path = u.scheme, u.netloc, "/" + BUCKET + "/" + key
    else:
        scheme, host, path = "https", BUCKET + ".s3." + region + ".amazonaws.com", "/" + key
    path = urllib.parse.quote(path, safe="/~")
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    digest = hashlib.sha256(body).hexdigest()
    headers = {"host": host, "x-amz-content-sha256": digest, "x-amz-date": stamp}
    if token:
        headers["x-amz-security-token"] = token
    names = sorted(headers)
    canonical = "\n".join([method, path, "", "".join(n + ":" + headers[n] + "\n" for n in names), ";".join(names), digest])
    scope = stamp[:8] + "/" + region + "/s3/aws4_request"
    to_sign = "\n".join(["AWS4-HMAC-SHA256", stamp, scope, hashlib.sha256(canonical.encode()).hexdigest()])
    k = ("AWS4" + sk).encode()
    for part in (stamp[:8], region, "s3", "aws4_request"):
        k = hmac.new(k, part.encode(), hashlib.sha256).digest()
    sig = hmac.new(k, to_sign.encode(), hashlib.sha256).hexdigest()
    headers["Authorization"] = "AWS4-HMAC-SHA256 Credential=" + ak + "/" + scope + ", SignedHeaders=" + ";".join(names) + ", Signature=" + sig
    del headers["host"]
    req = urllib.request.Request(scheme + "://" + host + path, data=body if method == "PUT" else None, method=method, headers=headers)
    for attempt in range(5):
        try:
            with urllib.request.urlopen(req, timeout=300) as r:
                return r.read()
        except urllib.error.HTTPError as e:
            if e.code == 404:
                return None
            moved = e.headers.get("x-amz-bucket-region")
            if moved and moved != region:
                REGION[0] = moved
                return s3(method, key, body)
            if e.code < 500 or attempt == 4:
                fail("S3 %s s3://%s/%s failed: HTTP %d %s" % (method, BUCKET, key, e.code, e.read()[:300]))
        except urllib.error.URLError as e:
            if attempt == 4:
                fail("S3 %s s3://%s/%s failed: %s" % (method, BUCKET, key, e))
        time.sleep(2 ** attempt)
def task_key(step, depth, extra=None):
    idx = IDX[:depth] + ([] if extra is None else [extra])
    return BASE + "/" + step + "/" + ".".join(["t"] + [str(i) for i in idx])
def get_json(key):
    raw = s3("GET", key)
    return None if raw is None else json.loads(raw.decode("utf-8"))
LISTS = {}
def foreach_list(producer):
    key = task_key(producer[0], producer[1]) + "/foreach-list.json"
    if key not in LISTS:
        LISTS[key] = get_json(key)
        if LISTS[key] is None:
            fail("the list of foreach step '%s' is missing at s3://%s/%s" % (producer[0], BUCKET, key))
    return LISTS[key]
def fetch(keys, name, storage, dest):
    for base in keys:
        if storage == "dir":
            listing = get_json(base + "/out/" + name + ".dir.json")
            if listing is None:
                continue
            os.makedirs(dest, exist_ok=True)
            for rel in listing:
                target = os.path.join(dest, rel)
                os.makedirs(os.path.dirname(target), exist_ok=True)
                with open(target, "wb") as f:
                    f.write(s3("GET", base + "/out/" + name + "/" + rel) or b"")
            return True
        data = s3("GET", base + "/out/" + name)
        if data is not None:
            with open(dest, "wb") as f:
                f.write(data)
            return True
    return False
def text_of(value):
    return value if isinstance(value, str) else json.dumps(value)
def decode(kind, text):
    if kind == "string":
        t = text.strip()
        if t.startswith('"'):
            try:
                v = json.loads(t)
                if isinstance(v, str):
                    return v
            except ValueError:
                pass
        return text[:-2] if text.endswith("\r\n") else text[:-1] if text.endswith("\n") else text
    return json.loads(text)
KINDS = {"int": lambda v: isinstance(v, int) and not isinstance(v, bool), "float": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
         "bool": lambda v: isinstance(v, bool), "string": lambda v: isinstance(v, str), "list": lambda v: isinstance(v, list),
         "map": lambda v: isinstance(v, dict), "record": lambda v: isinstance(v, dict), "optional": lambda v: True, "json": lambda v: True}
TASK = tempfile.mkdtemp(prefix="flowc-task-")
os.makedirs(os.path.join(TASK, "in"))
os.makedirs(os.path.join(TASK, "out"))
ENV = {"FLOWC_TASK_DIR": TASK, "FLOWC_TASK_ID": STEP + "/" + PATH}
if IDX:
    ENV["FLOWC_FOREACH_INDEX"] = str(IDX[-1])
PARAMS = None
def param_value(name):
    global PARAMS
    if PARAMS is None:
        PARAMS = get_json(BASE + "/_params.json") or {}
    spec = PLAN["params"][name]
    if name in PARAMS:
        return PARAMS[name]
    if "default" in spec:
        return spec["default"]
    if spec["optional"]:
        return None
    fail("parameter '%s' has no value and no default" % name)
def bind(var, storage, value, dest):
    with open(dest, "w", encoding="utf-8") as f:
        json.dump(value, f)
    ENV[var] = text_of(value) if storage == "value" else dest
for name in PLAN["params"]:
    bind("FLOWC_PARAM_" + name, PLAN["params"][name]["storage"], param_value(name), os.path.join(TASK, "in", "param." + name))
for i in PLAN["inputs"]:
    name, storage, src = i["name"], i["storage"], i["from"]
    dest = os.path.join(TASK, "in", name)
    var = "FLOWC_IN_" + name
    if "param" in src:
        bind(var, storage, param_value(src["param"]), dest)
    elif "item" in src:
        bind(var, storage, foreach_list(src["item"])[IDX[src["item"][1]]], dest)
    elif "artifact" in src:
        if fetch([task_key(s, d) for s, d in src["producers"]], src["artifact"], storage, dest):
            ENV[var] = text_of(json.load(open(dest, encoding="utf-8"))) if storage == "value" else dest
        elif i["optional"]:
            bind(var, storage, None, dest)
        else:
            fail("input '%s' (artifact '%s') was not found in S3 for this task" % (name, src["artifact"]))
    else:
        if "branches" in src:
            groups = [[task_key(s, d) for s, d in b] for b in src["branches"]]
        else:
            n = len(foreach_list(src["foreach"]))
            groups = [[task_key(s, d - 1, k) for s, d in src["producers"]] for k in range(n)]
        values = []
        for k, keys in enumerate(groups):
            part = os.path.join(TASK, "in", name + ".items", str(k))
            os.makedirs(os.path.dirname(part), exist_ok=True)
            if not fetch(keys, src["gather"], "file", part):
                values.append(None)
                continue
            try:
                values.append(json.load(open(part, encoding="utf-8")))
            except ValueError:
                values.append(part)
        bind(var, "json", values, dest)
for o in PLAN["outputs"]:
    ENV["FLOWC_OUT_" + o["name"]] = os.path.join(TASK, "out", o["name"])
env = dict(E)
env.update(ENV)
code = subprocess.call(sys.argv[1:], cwd=TASK, env=env)
if code != 0:
    sys.stderr.write("flowc: step '%s' failed with exit code %d\n" % (STEP, code))
    sys.exit(code if code > 0 else 1)
MINE = task_key(STEP, PLAN["depth"])
OUTS = {}
def load_output(name, kind):
    path = os.path.join(TASK, "out", name)
    try:
        value = decode(kind, open(path, encoding="utf-8").read())
    except ValueError as e:
        fail("output '%s' is not valid JSON: %s" % (name, e))
    if not KINDS.get(kind, lambda v: True)(value):
        fail("output '%s' should be of kind %s but is %s" % (name, kind, json.dumps(value)[:60]))
    return value
for o in PLAN["outputs"]:
    name, storage = o["name"], o["storage"]
    path = os.path.join(TASK, "out", name)
    if not os.path.exists(path):
        fail("the step did not write its declared output '%s'" % name)
    if storage == "file":
        s3("PUT", MINE + "/out/" + name, open(path, "rb").read())
    elif storage == "dir":
        listing = []
        for d, _, files in sorted(os.walk(path)):
            for f in sorted(files):
                rel = os.path.relpath(os.path.join(d, f), path).replace(os.sep, "/")
                listing.append(rel)
                s3("PUT", MINE + "/out/" + name + "/" + rel, open(os.path.join(d, f), "rb").read())
        s3("PUT", MINE + "/out/" + name + ".dir.json", json.dumps(listing).encode())
    else:
        OUTS[name] = load_output(name, o["kind"])
        s3("PUT", MINE + "/out/" + name, json.dumps(OUTS[name]).encode())
def visible(spec):
    name = spec.get("list") or spec.get("on")
    if spec["dir"] == "out":
        return OUTS[name]
    return json.load(open(os.path.join(TASK, "in", name), encoding="utf-8"))
if PLAN["foreach"]:
    items = visible(PLAN["foreach"])
    if not isinstance(items, list):
        fail("foreach needs a list but '%s' is %s" % (PLAN["foreach"]["list"], json.dumps(items)[:60]))
    s3("PUT", MINE + "/foreach-list.json", json.dumps(items).encode())
    s3("PUT", MINE + "/foreach-items.json", json.dumps(list(range(len(items)))).encode())
if PLAN["switch"]:
    s3("PUT", MINE + "/switch.json", json.dumps(visible(PLAN["switch"])).encode())
if PLAN["catch"]:
    s3("PUT", MINE + "/out/" + PLAN["catch"], b"null")
`;
