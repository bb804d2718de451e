"""The flowc task runtime: runs one task of a flow inside a container (an Argo pod, a Batch job).

``python3 -c LOADER BODY_ARGV...`` puts the packed package on ``sys.path`` and calls :func:`main`. The contract
with the engines is in docs/targets.md ("The task runtime"): the engine passes the plan (``FLOWC_PLAN``), the
datastore, the run id and the task id; the runtime reads inputs from the run's task records, runs the body by
the task protocol, validates and stores the outputs (objects first, then the task record) and reports only
what the engine routes on (exit status, a foreach's length, a switch's case index).

Invariant: no value is ever turned into code; values reach the body through files and environment variables.
Invariant: a task record is written only after every object it names; an error never leaves an empty value.
"""
import base64
import datetime
import json
import os
import pkgutil
import shutil
import signal
import socket
import subprocess
import sys
import re
import tempfile
import threading
import time
import zlib

from ._store import StoreError, open_store

#: Scalars up to this many characters are kept inline in records, besides their object (as local runs do).
INLINE_LIMIT = 256
KILL_GRACE_SECONDS = 3


class TaskError(Exception):
    """The task failed for a reason the record can state (input missing, output invalid, body failed)."""


def now_iso():
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def dumps(value):
    """JSON text as JavaScript's JSON.stringify writes it (compact), so identical values share one object."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def scalar_text(value):
    return value if isinstance(value, str) else dumps(value)


def decode_value(kind, text):
    """An output file's content, by the protocol's rules (docs/targets.md)."""
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
    try:
        value = json.loads(text)
    except ValueError:
        shown = text if len(text) <= 60 else text[:60] + "..."
        raise TaskError("expected a JSON value of type '%s' but found '%s'" % (kind, shown.strip()))
    check_int64(value)
    return value


INT64_MIN, INT64_MAX = -2 ** 63, 2 ** 63 - 1


def check_int64(value):
    """flowc's int is 64-bit: an integer outside that range anywhere in a value is an error naming it."""
    if isinstance(value, int) and not isinstance(value, bool):
        if not INT64_MIN <= value <= INT64_MAX:
            text = str(value)
            shown = text if len(text) <= 40 else "%s... (%d digits)" % (text[:40], len(text.lstrip("-")))
            raise TaskError("holds the integer %s, outside the 64-bit range of int (-9223372036854775808 to 9223372036854775807)" % shown)
    elif isinstance(value, list):
        for v in value:
            check_int64(v)
    elif isinstance(value, dict):
        for v in value.values():
            check_int64(v)


def actual_type(v):
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, int):
        return "int"
    if isinstance(v, float):
        return "float"
    if isinstance(v, str):
        return "string"
    if isinstance(v, list):
        return "list"
    return "object"


def schema_error(value, schema, defs, path=""):
    """Checks a value against the JSON Schema subset flowc emits; None when valid, else the reason."""
    if "$defs" in schema:
        defs = dict(defs, **schema["$defs"])
    if "$ref" in schema:
        return schema_error(value, defs.get(schema["$ref"].rsplit("/", 1)[-1], {}), defs, path)
    if "anyOf" in schema:
        reasons = [schema_error(value, s, defs, path) for s in schema["anyOf"]]
        return None if any(r is None for r in reasons) else reasons[0]
    t = schema.get("type")
    ok = {
        None: True,
        "integer": isinstance(value, int) and not isinstance(value, bool) or isinstance(value, float) and value.is_integer(),
        "number": isinstance(value, (int, float)) and not isinstance(value, bool),
        "boolean": isinstance(value, bool),
        "string": isinstance(value, str),
        "array": isinstance(value, list),
        "object": isinstance(value, dict),
        "null": value is None,
    }.get(t, True)
    if not ok:
        shown = dumps(value)
        shown = shown if len(shown) <= 40 else shown[:40] + "..."
        return ("has %s = %s (%s) where %s was expected" % (path, shown, actual_type(value), t)) if path else "is %s %s" % (actual_type(value), shown)
    if t == "array" and "items" in schema:
        for i, item in enumerate(value):
            r = schema_error(item, schema["items"], defs, "%s/%d" % (path, i))
            if r:
                return r
    if t == "object":
        for name in schema.get("required", []):
            if name not in value:
                return "lacks field '%s'%s" % (name, " at " + path if path else "")
        props = schema.get("properties", {})
        extra = schema.get("additionalProperties", True)
        for k, v in value.items():
            sub = props.get(k)
            if sub is None:
                if extra is False:
                    return "has %s/%s, a field the type does not declare" % (path, k)
                sub = extra if isinstance(extra, dict) else {}
            r = schema_error(v, sub, defs, "%s/%s" % (path, k))
            if r:
                return r
    return None


def describe(type_ir):
    k = type_ir["kind"]
    if k == "list":
        return "list<%s>" % describe(type_ir["element"])
    if k == "map":
        return "map<%s>" % describe(type_ir["value"])
    if k == "optional":
        return describe(type_ir["inner"]) + "?"
    if k == "record":
        return type_ir["name"]
    return k


def split_iteration(text):
    """`0r2` / `t.1r3` -> (`0` / `t.1`, the bounded loop's iteration); no suffix (or `r0`) is iteration 0."""
    t = (text or "").strip()
    cut = t.rfind("r")
    if cut > 0 and t[cut + 1:].isdigit():
        return t[:cut], int(t[cut + 1:])
    return t, 0


def parse_task_id(text, depth):
    """`0` / `2.1` (or `t`, `t.2.1`) -> foreach indices; checks the depth the plan expects."""
    t = (text or "").strip()
    if t == "t" or t == "":
        t = "0" if depth == 0 else t
    if t.startswith("t."):
        t = t[2:]
    if depth == 0:
        if t != "0":
            raise StoreError("task id '%s' given to a step outside any foreach (expected 0)" % text)
        return []
    try:
        idx = [int(x) for x in t.split(".")]
    except ValueError:
        raise StoreError("task id '%s' is not foreach indices joined by '.'" % text)
    if len(idx) != depth or any(i < 0 for i in idx):
        raise StoreError("task id '%s' does not have the %d foreach indices this step needs" % (text, depth))
    return idx


def task_id_of(idx, iteration=0):
    """The task id: foreach indices joined by `.` (`0` outside a foreach), then `r` and the iteration of a bounded loop after its first."""
    return (".".join(str(i) for i in idx) if idx else "0") + ("r%d" % iteration if iteration else "")


def read_run_info(ds, sha):
    """The run information object `sha`: the document itself, or an index of parts (Batch: each part fits one
    state of the state machine that stores it) whose concatenation is the document, zlib-compressed in base64."""
    doc = json.loads(ds.get_bytes(sha).decode("utf-8"))
    if isinstance(doc, dict) and doc.get("encoding") == "zlib+base64" and isinstance(doc.get("parts"), list):
        text = b"".join(ds.get_bytes(part) for part in doc["parts"])
        doc = json.loads(zlib.decompress(base64.b64decode(text)).decode("utf-8"))
    return doc


class Runtime(object):
    def __init__(self, env, body_argv):
        self.env = env
        self.argv = list(body_argv)
        for name in ("FLOWC_DATASTORE", "FLOWC_RUN_ID", "FLOWC_PLAN"):
            if not env.get(name):
                raise StoreError("%s is not set: the engine must pass it (docs/targets.md, the task runtime)" % name)
        self.ds = open_store(env["FLOWC_DATASTORE"], env)
        raw = env["FLOWC_PLAN"]
        try:
            if raw.startswith("sha256:"):
                # A plan too large for the job definition: in the run information object, by step.
                self.plan = read_run_info(self.ds, raw[7:])["plans"][env["FLOWC_STEP"]]
            else:
                self.plan = json.loads(raw)
        except (KeyError, ValueError) as e:
            raise StoreError("FLOWC_PLAN is not a plan (%s): the job was not made by flowc" % e)
        self.flow = self.plan["flow"]
        self.step = self.plan["step"]
        self.run_id = env["FLOWC_RUN_ID"]
        self.engine_task_id = env.get("FLOWC_TASK_ID") or "0"
        base, self.iteration = split_iteration(self.engine_task_id)
        self.idx = parse_task_id(base, self.plan["depth"])
        # Bounded loops (docs/targets.md, "The task runtime"): each step of a loop -> its switching step.
        self.loops = self.plan.get("loops") or {}
        self.loop_of = dict((b, s) for s, l in self.loops.items() for b in l["body"])
        self.loop = self.loop_of.get(self.step)
        if self.iteration and self.loop is None:
            raise StoreError("task id '%s' names a loop iteration, but step '%s' is in no bounded loop" % (self.engine_task_id, self.step))
        self.task_id = task_id_of(self.idx, self.iteration)
        self.run_key = "runs/%s/%s" % (self.flow, self.run_id)
        self.records = {}
        self.values = {}
        self.loop_exits = {}
        self.run = None
        self.body_seconds = 0.0
        # @parallel(nodes: N): this task is node `rank` of a gang (docs/targets.md, "Multi-node steps").
        self.nodes = int(self.plan.get("nodes") or 1)
        self.rank = gang_rank(env, self.nodes)
        self.gang_failed = None
        # Reports of an earlier attempt of the whole gang (Batch retries a job after a host failure) are not this one's.
        self.gang_attempt = env.get("AWS_BATCH_JOB_ATTEMPT") or ""

    # -- datastore helpers -------------------------------------------------------------------------------------
    def task_key(self, step, task, run=None):
        return "runs/%s/%s/tasks/%s/%s.json" % (self.flow, run or self.run_id, step, task)

    def record(self, step, task):
        key = (step, task)
        if key not in self.records:
            text = self.ds.read_doc(self.task_key(step, task))
            try:
                self.records[key] = None if text is None else json.loads(text)
            except ValueError:
                raise StoreError("the task record %s in %s is not valid JSON" % (self.task_key(step, task), self.ds.location))
        return self.records[key]

    def load(self, meta):
        if "value" in meta:
            return meta["value"]
        if meta.get("sha") is None:
            raise TaskError("an artifact has no stored content")
        sha = meta["sha"]
        if sha not in self.values:
            raw = self.ds.get_bytes(sha)
            try:
                self.values[sha] = json.loads(raw.decode("utf-8"))
            except ValueError:
                raise StoreError("object %s in %s is not JSON" % (sha, self.ds.location))
        return self.values[sha]

    def store_value(self, value, type_ir, storage):
        text = dumps(value)
        meta = {"storage": storage, "type": type_ir, "sha": self.ds.put_bytes(text.encode("utf-8"))}
        if storage == "value" and len(text) <= INLINE_LIMIT:
            meta["value"] = value
        return meta

    def store_path(self, path, type_ir, storage):
        if storage == "file":
            return {"storage": storage, "type": type_ir, "sha": self.ds.put_file(path)}
        files = []

        def walk(d):
            for name in sorted(os.listdir(d)):
                full = os.path.join(d, name)
                if os.path.isdir(full) and not os.path.islink(full):
                    walk(full)
                elif os.path.isfile(full):
                    files.append({"path": os.path.relpath(full, path).replace(os.sep, "/"), "sha": self.ds.put_file(full)})
        walk(path)
        return {"storage": storage, "type": type_ir, "sha": self.ds.put_bytes(dumps({"files": files}).encode("utf-8"))}

    def materialize(self, meta, dest):
        if meta.get("s3"):
            from ._s3 import S3, parse_s3_url
            bucket, key = parse_s3_url(meta["s3"])
            s3 = getattr(self.ds, "s3", None) or S3(self.env)
            if meta["storage"] == "dir":
                from ._store import copy_prefix
                os.makedirs(dest, exist_ok=True)
                if copy_prefix(s3, bucket, key, dest) == 0:
                    raise TaskError("the directory %s is empty or does not exist" % meta["s3"])
            elif s3.download(bucket, key, dest) is None:
                raise TaskError("the file %s does not exist" % meta["s3"])
            return
        if meta["storage"] == "dir":
            manifest = json.loads(self.ds.get_bytes(meta["sha"]).decode("utf-8"))
            os.makedirs(dest, exist_ok=True)
            for f in manifest["files"]:
                self.ds.fetch_to(f["sha"], os.path.join(dest, *f["path"].split("/")))
            return
        if meta["storage"] == "value" and "value" in meta:
            with open(dest, "w", encoding="utf-8") as f:
                f.write(dumps(meta["value"]))
            return
        self.ds.fetch_to(meta["sha"], dest)

    # -- the run record ----------------------------------------------------------------------------------------
    def start_run(self):
        """First task: ir.json and run.json, unless the run already has them (a retried job)."""
        existing = self.ds.read_doc(self.run_key + "/run.json")
        if existing is not None:
            return json.loads(existing)
        raw = self.env.get("FLOWC_PARAMS") or self.ds.read_doc(self.run_key + "/input.json") or "{}"
        try:
            given = json.loads(raw)
        except ValueError as e:
            raise StoreError("the run's input (FLOWC_PARAMS) is not JSON: %s" % e)
        if not isinstance(given, dict):
            raise StoreError("the run's input (FLOWC_PARAMS) must be a JSON object, not %s" % actual_type(given))
        opts = given.pop("flowc", None) or {}
        origin = self.env.get("FLOWC_ORIGIN_RUN") or opts.get("origin") or None
        # `flowc resume --from STEP`: that step's tasks run again (and so every task after them).
        from_step = (self.env.get("FLOWC_RESUME_FROM") or opts.get("from") or "") if origin else ""
        info = {}
        ref = self.env.get("FLOWC_RUN_INFO") or ""
        if ref.startswith("sha256:"):
            info = read_run_info(self.ds, ref[7:])
        elif ref:
            info = json.loads(zlib.decompress(base64.b64decode(ref)).decode("utf-8"))
        if origin:
            orig = self.ds.read_doc("runs/%s/%s/run.json" % (self.flow, origin))
            if orig is None:
                raise StoreError("the run to resume, %s/%s, has no run.json in %s" % (self.flow, origin, self.ds.location))
            params = json.loads(orig)["params"]
        else:
            try:
                params = self.run_params(given)
            except TaskError as e:
                self.write_failed_start(info, opts, str(e))
                raise
        namespace = self.env.get("FLOWC_NAMESPACE") or opts.get("namespace")
        if not namespace:
            namespace = "production:" + (self.env.get("FLOWC_PROJECT") or self.flow)
        tags = opts.get("tags") or json.loads(self.env.get("FLOWC_TAGS") or "[]")
        run = {
            "id": self.run_id, "flow": self.flow, "namespace": namespace, "tags": tags, "status": "running",
            "startedAt": now_iso(), "finishedAt": None, "params": params, "sourceFile": info.get("sourceFile", ""),
            "stepHashes": info.get("stepHashes", {}), "resumedFrom": {"run": origin, "step": from_step} if origin else None,
            "host": self.env.get("FLOWC_ENGINE") or "remote", "pid": 0, "failed": None,
        }
        if info.get("ir") is not None:
            self.ds.write_doc(self.run_key + "/ir.json", dumps(info["ir"]))
        self.ds.write_doc(self.run_key + "/run.json", json.dumps(run, indent=2))
        return run

    def write_failed_start(self, info, opts, message):
        """The run's input was unusable: record the run as failed (no task ran), so readers see why."""
        at = now_iso()
        run = {"id": self.run_id, "flow": self.flow, "namespace": opts.get("namespace") or self.env.get("FLOWC_NAMESPACE") or "production:" + self.flow,
               "tags": opts.get("tags") or [], "status": "failed", "startedAt": at, "finishedAt": at, "params": {},
               "sourceFile": info.get("sourceFile", ""), "stepHashes": info.get("stepHashes", {}), "resumedFrom": None,
               "host": self.env.get("FLOWC_ENGINE") or "remote", "pid": 0, "failed": {"step": self.step, "task": self.task_id, "message": message}}
        if info.get("ir") is not None:
            self.ds.write_doc(self.run_key + "/ir.json", dumps(info["ir"]))
        self.ds.write_doc(self.run_key + "/run.json", json.dumps(run, indent=2))

    def run_params(self, given):
        params = {}
        specs = self.plan["params"]
        for name in given:
            if name not in specs:
                raise TaskError("the run was given parameter '%s', which flow '%s' does not declare (parameters: %s)" % (
                    name, self.flow, ", ".join(sorted(specs)) or "none"))
        for name in sorted(specs):
            spec = specs[name]
            if name in given:
                value = given[name]
            elif "default" in spec:
                value = spec["default"]
            elif not spec["required"]:
                value = None
            else:
                raise TaskError("parameter '%s' has no value and no default; give it in the run's input" % name)
            storage, type_ir = spec["storage"], spec["type"]
            if storage in ("file", "dir"):
                if isinstance(value, dict) and isinstance(value.get("sha"), str):
                    params[name] = {"storage": storage, "type": type_ir, "sha": value["sha"]}
                elif isinstance(value, str) and value.startswith("s3://"):
                    params[name] = {"storage": storage, "type": type_ir, "s3": value}
                elif value is None and type_ir["kind"] == "optional":
                    params[name] = self.store_value(None, type_ir, "json")
                else:
                    raise TaskError(
                        "parameter '%s' (%s) is %s: a task on a remote target reads an s3:// URL, or a local file that "
                        "flowc uploaded into the datastore (flowc build --param %s=PATH)" % (name, storage, dumps(value)[:80], name))
                continue
            reason = schema_error(value, spec["schema"], {})
            if reason:
                raise TaskError("parameter '%s' should be %s but %s" % (name, describe(type_ir), reason))
            params[name] = self.store_value(value, type_ir, storage)
        return params

    def update_run(self, status, failed=None):
        key = self.run_key + "/run.json"
        text = self.ds.read_doc(key)
        if text is None:
            return
        run = json.loads(text)
        if run.get("status") == "failed" and status == "done":
            return
        run["status"] = status
        run["finishedAt"] = now_iso()
        if failed:
            run["failed"] = failed
        self.ds.write_doc(key, json.dumps(run, indent=2))

    # -- inputs ------------------------------------------------------------------------------------------------
    def loop_last(self, loop, idx):
        """The iteration in which the loop of step `loop` was left (the switching step wrote it), else 0."""
        key = "%s/loops/%s/%s.json" % (self.run_key, loop, task_id_of(idx))
        if key not in self.loop_exits:
            text = self.ds.read_doc(key)
            self.loop_exits[key] = json.loads(text)["iteration"] if text else 0
        return self.loop_exits[key]

    def candidates(self, producers, idx):
        """(step, task id) of the producers' tasks at the indices `idx`, most recent first. A producer in a bounded
        loop counts in every iteration, latest first: from this task's own iteration when this task is in the same
        loop (there, producers from this step on belong to the iteration before), else from the one the loop was left in."""
        out = []
        done = set()
        for step, depth in producers:
            loop = self.loop_of.get(step)
            if loop is None:
                out.append((step, task_id_of(idx[:depth])))
                continue
            if loop in done:
                continue
            done.add(loop)
            group = [p for p in producers if self.loop_of.get(p[0]) == loop]
            body = self.loops[loop]["body"]
            inside = loop == self.loop
            top = self.iteration if inside else self.loop_last(loop, idx[:depth])
            for it in range(top, -1, -1):
                for s, d in group:
                    if inside and it == top and body.index(s) >= body.index(self.step):
                        continue
                    out.append((s, task_id_of(idx[:d], it)))
        return out

    def producer_record(self, producers, idx):
        """The nearest producer that has a record at the task's indices (nearest first), or None."""
        for step, task in self.candidates(producers, idx):
            rec = self.record(step, task)
            if rec is not None:
                return rec
        return None

    def from_record(self, rec, artifact, inp):
        meta = rec.get("outputs", {}).get(artifact) if rec else None
        if meta:
            return meta
        if inp["type"]["kind"] == "optional":
            return self.store_value(None, inp["type"], inp["storage"])
        if rec is None:
            raise TaskError("input '%s' of step '%s' has no producer task with a record in run %s (looked for step %s)" % (
                inp["name"], self.step, self.run_id, " or ".join("'%s'" % p[0] for p in inp["from"].get("producers", []))))
        raise TaskError("input '%s' of step '%s' is absent: step '%s' failed and @catch recorded it (%s)" % (
            inp["name"], self.step, rec["step"], rec.get("error") or "no output"))

    def foreach_record(self, producer, idx):
        step, depth = producer
        rec = self.record(step, task_id_of(idx[:depth]))
        if rec is None:
            raise TaskError("the foreach step '%s' (task %s) has no record in run %s" % (step, task_id_of(idx[:depth]), self.run_id))
        return rec

    def resolve(self, inp):
        src = inp["from"]
        if "param" in src:
            meta = self.run["params"].get(src["param"])
            if meta is None:
                raise TaskError("parameter '%s' has no value in run %s" % (src["param"], self.run_id))
            return meta
        if "artifact" in src:
            return self.from_record(self.producer_record(src["producers"], self.idx), src["artifact"], inp)
        if "item" in src:
            fan = self.foreach_record(src["item"], self.idx)
            meta = fan.get("outputs", {}).get(src["list"]) or fan.get("inputs", {}).get(src["list"])
            if meta is None:
                raise TaskError("the foreach list '%s' of step '%s' is missing" % (src["list"], fan["step"]))
            items = self.load(meta)
            pos = src["item"][1]
            if not isinstance(items, list) or self.idx[pos] >= len(items):
                raise TaskError("element %d of the foreach list '%s' does not exist" % (self.idx[pos], src["list"]))
            return self.store_value(items[self.idx[pos]], inp["type"], inp["storage"])
        values = []
        if "branches" in src:
            groups = [(b, self.idx) for b in src["branches"]]
        else:
            count = self.foreach_record(src["foreach"], self.idx).get("foreachCount") or 0
            groups = [(src["producers"], self.idx + [k]) for k in range(count)]
        for producers, idx in groups:
            rec = self.producer_record(producers, idx)
            meta = rec.get("outputs", {}).get(src["gather"]) if rec else None
            element = inp["type"].get("element") or {}
            if not meta and rec and rec.get("caught") and element.get("kind") == "optional":
                values.append(None)  # a task @catch recorded: null in a [T?] gather
                continue
            if not meta:
                raise TaskError("input '%s' of step '%s': artifact '%s' is missing from %s" % (
                    inp["name"], self.step, src["gather"], "task %s/%s" % (rec["step"], rec["id"]) if rec else "a branch that has no record"))
            values.append(self.load(meta))
        return self.store_value(values, inp["type"], inp["storage"])

    def parents(self):
        res = []
        for p in self.plan["parents"]:
            step, depth = p["from"]
            if p["gather"]:
                fan = self.plan["joinsForeach"]
                count = (self.record(fan[0], task_id_of(self.idx[:fan[1]])) or {}).get("foreachCount") or 0
                for k in range(count):
                    tid = self.parent_task(step, self.idx + [k])
                    if tid is not None and self.record(step, tid) is not None:
                        res.append("%s/%s" % (step, tid))
            else:
                tid = self.parent_task(step, self.idx[:depth])
                if tid is not None and self.record(step, tid) is not None:
                    res.append("%s/%s" % (step, tid))
        return res

    def parent_task(self, step, idx):
        """The task id of the parent `step` at `idx` along the edge into this task, or None when that edge is not
        the one this iteration of a bounded loop came by (into the loop only on its first; back only after it)."""
        loop = self.loop_of.get(step)
        if loop is not None and loop == self.loop:
            body = self.loops[loop]["body"]
            if body.index(step) < body.index(self.step):
                return task_id_of(idx, self.iteration)
            return task_id_of(idx, self.iteration - 1) if self.iteration > 0 else None
        if loop is not None:
            return task_id_of(idx, self.loop_last(loop, idx))
        if self.loop is not None and self.iteration > 0:
            return None
        return task_id_of(idx)

    # -- running the body --------------------------------------------------------------------------------------
    def bind(self, meta, tdir, name):
        if meta["storage"] == "value" and not meta.get("s3"):
            return scalar_text(self.load(meta))
        path = os.path.join(tdir, "in", name)
        self.materialize(meta, path)
        return path

    def attempt(self, number, inputs):
        tdir = tempfile.mkdtemp(prefix="flowc-task-")
        os.makedirs(os.path.join(tdir, "in"))
        os.makedirs(os.path.join(tdir, "out"))
        env = dict(self.env)
        for k in ("FLOWC_PLAN", "FLOWC_RUNTIME_ZIP", "FLOWC_RUN_INFO", "FLOWC_PARAMS"):
            env.pop(k, None)
        env.update({"FLOWC_TASK_DIR": tdir, "FLOWC_FLOW": self.flow, "FLOWC_STEP": self.step, "FLOWC_RUN_ID": self.run_id,
                    "FLOWC_TASK_ID": self.task_id, "FLOWC_ATTEMPT": str(number), "FLOWC_PY_WRAPPER": python_wrapper()})
        if self.idx:
            env["FLOWC_FOREACH_INDEX"] = str(self.idx[-1])
        if self.nodes > 1:
            env.update(gang_env(self.env, self.rank, self.nodes))
        for name, meta in inputs.items():
            env["FLOWC_IN_" + name] = self.bind(meta, tdir, name)
        for name in self.plan["templateParams"]:
            meta = self.run["params"].get(name)
            if meta is None:
                raise TaskError("parameter '%s' has no value in run %s" % (name, self.run_id))
            env["FLOWC_PARAM_" + name] = self.bind(meta, tdir, "param." + name)
        for o in self.plan["outputs"]:
            env["FLOWC_OUT_" + o["name"]] = os.path.join(tdir, "out", o["name"])
        logs = (os.path.join(tdir, "stdout.log"), os.path.join(tdir, "stderr.log"))
        error, code = None, 0
        if self.argv:
            t0 = time.time()
            code, error = self.spawn(env, tdir, logs)
            self.body_seconds += time.time() - t0
            self.raised = python_exception(logs[1]) if error and code and code > 0 else None
        outputs = {}
        if error is None and self.rank == 0:
            for o in self.plan["outputs"]:
                what = "output '%s' of step '%s'" % (o["name"], self.step)
                try:
                    outputs[o["name"]] = self.read_output(o, os.path.join(tdir, "out", o["name"]))
                except TaskError as e:
                    error = "%s%s %s." % (what[0].upper(), what[1:], e)
                    break
        stored_logs = {"stdout": self.store_log(logs[0]), "stderr": self.store_log(logs[1])}
        shutil.rmtree(tdir, ignore_errors=True)
        return error, code, outputs, stored_logs

    def spawn(self, env, tdir, logs):
        timeout = self.plan.get("timeoutSeconds")
        with open(logs[0], "wb") as out_f, open(logs[1], "wb") as err_f:
            try:
                child = subprocess.Popen(self.argv, cwd=tdir, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
            except OSError as e:
                return None, "Step '%s' could not start '%s': %s." % (self.step, self.argv[0], e)
            pumps = [threading.Thread(target=tee, args=(child.stdout, out_f, sys.stdout)), threading.Thread(target=tee, args=(child.stderr, err_f, sys.stderr))]
            for t in pumps:
                t.start()
            stop = threading.Event()
            if self.nodes > 1:
                threading.Thread(target=self.watch_gang, args=(child, stop), daemon=True).start()
            timed_out = False
            try:
                child.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                timed_out = True
                kill_group(child.pid, signal.SIGTERM)
                try:
                    child.wait(timeout=KILL_GRACE_SECONDS)
                except subprocess.TimeoutExpired:
                    kill_group(child.pid, signal.SIGKILL)
                    child.wait()
            for t in pumps:
                t.join()
            stop.set()
        code = child.returncode
        if self.gang_failed is not None and code != 0:
            return code, "Step '%s' node %d of %d was stopped: %s" % (self.step, self.rank, self.nodes, self.gang_failed)
        if timed_out:
            return code, "Step '%s' timed out after %ss (@timeout) and was stopped." % (self.step, timeout)
        who = "Step '%s'" % self.step if self.nodes == 1 else "Step '%s' node %d of %d" % (self.step, self.rank, self.nodes)
        if code < 0:
            return code, "%s was killed by signal %d." % (who, -code)
        if code != 0:
            return code, "%s exited with code %d." % (who, code)
        return code, None

    def read_output(self, o, path):
        storage = o["storage"]
        if not os.path.lexists(path):
            raise TaskError("was not written (a declared output is missing)")
        if storage == "file":
            if not os.path.isfile(path):
                raise TaskError("should be a file but is a directory")
            return self.store_path(path, o["type"], storage)
        if storage == "dir":
            if not os.path.isdir(path):
                raise TaskError("should be a directory but is a file")
            return self.store_path(path, o["type"], storage)
        with open(path, encoding="utf-8") as f:
            text = f.read()
        value = decode_value(o["type"]["kind"], text)
        reason = schema_error(value, o["schema"], {})
        if reason:
            raise TaskError("should be %s but %s" % (describe(o["type"]), reason))
        return self.store_value(value, o["type"], storage)

    def store_log(self, path):
        try:
            if os.path.getsize(path) == 0:
                return None
        except OSError:
            return None
        return self.ds.put_file(path)

    # -- routing -----------------------------------------------------------------------------------------------
    def route(self, rec):
        """Sets foreachCount / switchTo on a successful record; returns an error sentence or None."""
        plan = self.plan
        visible = lambda name: rec["outputs"].get(name) or rec["inputs"].get(name)
        if plan["foreach"]:
            meta = visible(plan["foreach"]["list"])
            items = self.load(meta) if meta else None
            if not isinstance(items, list):
                return "The foreach list '%s' of step '%s' is not a list." % (plan["foreach"]["list"], self.step)
            rec["foreachCount"] = len(items)
        if plan["switch"]:
            sw = plan["switch"]
            meta = visible(sw["on"])
            value = self.load(meta) if meta else None
            for i, case in enumerate(sw["cases"]):
                if case == value and type(case) == type(value):
                    rec["switchTo"] = sw["targets"][i]
                    return self.loop_limit(rec["switchTo"])
            if not sw["default"]:
                return "Switch on '%s' in step '%s' has no case for %s and no else." % (sw["on"], self.step, dumps(value))
            rec["switchTo"] = sw["default"]
        return self.loop_limit(rec.get("switchTo"))

    def loop_limit(self, to):
        """Going back past `@loop(max: N)`: the error sentence (the same as a local run's), else None."""
        loop = self.loops.get(self.step)
        if loop is None or to not in loop["body"] or self.iteration + 1 < loop["max"]:
            return None
        n = self.iteration + 1
        return "Step '%s' went back to '%s' after %d iteration%s of its loop, but @loop(max: %d) allows at most %d." % (
            self.step, to, n, "s" if n > 1 else "", loop["max"], loop["max"])

    def report_routes(self, rec):
        routes = {}
        if self.plan["foreach"]:
            routes["foreach-count"] = rec.get("foreachCount", 0)
        if self.plan["switch"]:
            sw = self.plan["switch"]
            to = rec.get("switchTo")
            routes["switch-case"] = sw["targets"].index(to) if to in sw["targets"] else len(sw["cases"])
        if not routes:
            return
        out_dir = self.env.get("FLOWC_ROUTE_DIR")
        if out_dir:
            os.makedirs(out_dir, exist_ok=True)
            for name, value in routes.items():
                with open(os.path.join(out_dir, name), "w") as f:
                    f.write(str(value))
        if self.env.get("FLOWC_ROUTES") == "datastore":
            doc = list(range(routes["foreach-count"])) if "foreach-count" in routes else {"case": routes["switch-case"]}
            # Keyed by the task id as the engine gave it (`t.2`), which is what the engine can name.
            self.ds.write_doc("%s/routes/%s/%s.json" % (self.run_key, self.step, self.engine_task_id), dumps(doc))

    # -- the task ----------------------------------------------------------------------------------------------
    def reusable(self, parents):
        """With an origin run: its done record of this task, if the step is unchanged, is not the step the resume
        runs again from (`resumedFrom.step`, `flowc resume --from`), and every parent was reused."""
        resumed = self.run.get("resumedFrom") or {}
        origin = resumed.get("run")
        if not origin or resumed.get("step") == self.step:
            return None
        if not all((self.record(*p.split("/", 1)) or {}).get("reusedFrom") for p in parents):
            return None
        text = self.ds.read_doc("runs/%s/%s/run.json" % (self.flow, origin))
        if text is None or json.loads(text).get("stepHashes", {}).get(self.step) != self.plan["hash"]:
            return None
        text = self.ds.read_doc(self.task_key(self.step, self.task_id, origin))
        orig = json.loads(text) if text else None
        if not orig or orig.get("status") != "done" or orig.get("error"):
            return None
        return origin, orig

    # -- gangs (@parallel) --------------------------------------------------------------------------------------
    def node_key(self, rank):
        """Node 0's report is the task record; every other node reports to runs/F/R/nodes/<step>/<task>/<rank>.json."""
        if rank == 0:
            return self.task_key(self.step, self.task_id)
        return "%s/nodes/%s/%s/%d.json" % (self.run_key, self.step, self.task_id, rank)

    def node_report(self, rank):
        text = self.ds.read_doc(self.node_key(rank))
        try:
            rep = json.loads(text) if text else None
        except ValueError:
            return None
        return rep if rank == 0 or (rep or {}).get("attempt", "") == self.gang_attempt else None

    def watch_gang(self, child, stop):
        """While the body runs, stops it when another node of the gang reported a failure (it would wait for that
        node at the rendezvous until its deadline)."""
        every = float(self.env.get("FLOWC_GANG_POLL_SECONDS") or 5)
        while not stop.wait(every):
            for rank in range(self.nodes):
                if rank == self.rank:
                    continue
                try:
                    rep = self.node_report(rank)
                except StoreError:
                    continue
                # A node that was itself stopped by another's failure is not the cause: wait for the cause's report.
                if rep and rep.get("status") == "failed" and not rep.get("stopped"):
                    self.gang_failed = "node %d failed: %s" % (rank, rep.get("error"))
                    kill_group(child.pid, signal.SIGTERM)
                    return

    def wait_for_nodes(self):
        """Node 0, after its body: every other node's report, waiting up to FLOWC_GANG_WAIT_SECONDS (600) for them;
        returns (reports for the record, the first failure as a sentence or None)."""
        every = float(self.env.get("FLOWC_GANG_POLL_SECONDS") or 5)
        until = time.time() + float(self.env.get("FLOWC_GANG_WAIT_SECONDS") or 600)
        reports = {}
        while True:
            for rank in range(1, self.nodes):
                if rank not in reports:
                    rep = self.node_report(rank)
                    if rep is not None:
                        reports[rank] = rep
            if len(reports) == self.nodes - 1 or time.time() > until:
                break
            time.sleep(every)
        nodes = [{"rank": r, "exitCode": reports[r].get("exitCode"), "logs": reports[r].get("logs")} for r in sorted(reports)]
        for rank in range(1, self.nodes):
            rep = reports.get(rank)
            if rep is None:
                return nodes, "Node %d of step '%s' did not report within %ss of node 0's end." % (rank, self.step, self.env.get("FLOWC_GANG_WAIT_SECONDS") or 600)
            if rep.get("status") != "done":
                return nodes, rep.get("error") or "Node %d of step '%s' failed." % (rank, self.step)
        return nodes, None

    def run_node(self, parents):
        """A node other than node 0: the same inputs and body; its outputs are discarded, its report is its status
        and logs (node 0 waits for it and fails the task when it failed)."""
        if self.reusable(parents):
            return 0
        started = now_iso()
        rep = {"rank": self.rank, "attempt": self.gang_attempt, "status": "done", "startedAt": started, "exitCode": None, "error": None, "logs": {"stdout": None, "stderr": None}}
        try:
            inputs = dict((inp["name"], self.resolve(inp)) for inp in self.plan["inputs"])
            error, code, _, logs = self.attempt(1, inputs)
            rep.update(exitCode=code, error=error, logs=logs)
        except TaskError as e:
            rep["error"] = str(e)
        if rep["error"] is not None:
            rep["status"] = "failed"
            if self.gang_failed is not None:
                rep["stopped"] = True
            sys.stderr.write("flowc: step '%s' task %s node %d failed: %s\n" % (self.step, self.task_id, self.rank, rep["error"]))
        rep["finishedAt"] = now_iso()
        self.ds.write_doc(self.node_key(self.rank), dumps(rep))
        code = rep.get("exitCode")
        return 0 if rep["status"] == "done" else code if isinstance(code, int) and code > 0 else 1

    def wait_for_run(self):
        """A node other than node 0 of the first step: node 0 writes run.json; wait for it (up to 10 minutes)."""
        until = time.time() + 600
        while True:
            text = self.ds.read_doc(self.run_key + "/run.json")
            if text is not None or time.time() > until:
                return text
            time.sleep(float(self.env.get("FLOWC_GANG_POLL_SECONDS") or 5))

    def write_record(self, rec):
        self.ds.write_doc(self.task_key(self.step, self.task_id), dumps(rec))

    def run_task(self):
        plan = self.plan
        self.run = self.start_run() if plan["first"] and self.rank == 0 else None
        if self.run is None:
            text = self.wait_for_run() if plan["first"] else self.ds.read_doc(self.run_key + "/run.json")
            if text is None:
                raise StoreError("run %s/%s has no run.json in %s: its first task did not start it" % (self.flow, self.run_id, self.ds.location))
            self.run = json.loads(text)
            if self.run.get("status") == "failed" and self.env.get("FLOWC_ENGINE") == "argo-workflows":
                return self.not_started()
        parents = self.parents()
        if self.rank > 0:
            return self.run_node(parents)
        reuse = self.reusable(parents)
        if reuse:
            origin, orig = reuse
            rec = dict(orig, parents=parents, reusedFrom=orig.get("reusedFrom") or "%s/%s/%s" % (origin, self.step, self.task_id))
            self.write_record(rec)
            sys.stderr.write("flowc: %s/%s taken over from run %s\n" % (self.step, self.task_id, origin))
            self.finish(rec)
            return 0
        started = now_iso()
        rec = {"step": self.step, "id": self.task_id, "status": "done", "startedAt": started, "finishedAt": started,
               "attempts": 0, "parents": parents, "inputs": {}, "outputs": {}, "logs": {"stdout": None, "stderr": None}, "error": None}
        try:
            for inp in plan["inputs"]:
                rec["inputs"][inp["name"]] = self.resolve(inp)
        except TaskError as e:
            rec["status"], rec["error"] = "failed", str(e)
        if rec["status"] == "done":
            for number in range(1, plan["attempts"] + 1):
                try:
                    error, code, outputs, logs = self.attempt(number, rec["inputs"])
                except TaskError as e:
                    error, code, outputs, logs = str(e), None, {}, {"stdout": None, "stderr": None}
                rec.update(attempts=number, outputs=outputs if error is None else {}, logs=logs, exitCode=code, error=error)
                if error is None:
                    break
                sys.stderr.write("flowc: attempt %d of %d failed: %s\n" % (number, plan["attempts"], error))
                if number < plan["attempts"] and plan["retryDelaySeconds"] > 0:
                    time.sleep(plan["retryDelaySeconds"])
            if rec["error"] is None and self.nodes > 1:
                rec["nodes"], node_error = self.wait_for_nodes()
                if node_error:
                    rec.update(outputs={}, error=node_error)
            if rec["error"] is None:
                route_error = self.route(rec)
                if route_error:
                    rec["error"] = route_error
            if rec["error"] is not None:
                rec["status"] = "failed"
        if plan["catch"]:
            failure = None
            if rec["status"] == "failed":
                raised = getattr(self, "raised", None)
                failure = {"type": raised[0] if raised else failure_type(rec["error"] or ""), "message": rec["error"] or "failed",
                           "attempts": rec["attempts"], "exit_code": rec.get("exitCode")}
            if rec["status"] == "failed":
                rec["caught"] = True
                if plan["foreach"]:
                    rec["foreachCount"] = 0
            rec["outputs"][plan["catch"]] = self.store_value(failure, {"kind": "json"}, "json")
        rec["finishedAt"] = now_iso()
        self.write_record(rec)
        if rec["status"] == "failed" and not (rec.get("caught") and not plan["switch"]):
            sys.stderr.write("flowc: step '%s' task %s failed: %s\n" % (self.step, self.task_id, rec["error"]))
            self.update_run("failed", {"step": self.step, "task": self.task_id, "message": rec["error"]})
            code = rec.get("exitCode")
            return code if isinstance(code, int) and code > 0 else 1
        self.finish(rec)
        return 0

    def not_started(self):
        """The run failed before this task started (Argo starts a task whose dependencies finished while another
        task of its DAG was still running, even after a failure): as in local runs, no new task runs after the
        first uncaught failure. No record, so a resume runs it; the exit status fails the pod. Only on Argo: Step
        Functions cancels a failed Parallel's or Map's other branches itself, and there a late task failing too
        would race the real failure to the state machine's failure record."""
        failed = self.run.get("failed") or {}
        sys.stderr.write("flowc: run %s/%s failed (step '%s' task %s) before step '%s' task %s started: not running it\n" % (
            self.flow, self.run_id, failed.get("step"), failed.get("task"), self.step, self.task_id))
        return NOT_STARTED

    def finish(self, rec):
        self.report_routes(rec)
        loop = self.loops.get(self.step)
        if loop is not None and rec.get("switchTo") not in loop["body"]:
            # The loop is left: steps after it read the loop's artifacts from this iteration.
            self.ds.write_doc("%s/loops/%s/%s.json" % (self.run_key, self.step, task_id_of(self.idx)), dumps({"iteration": self.iteration}))
        if self.plan["last"]:
            self.update_run("done")


#: The exit status of a task that did not start because its run had already failed.
NOT_STARTED = 3

#: The port node 0 listens on for the rendezvous on Argo and Batch (torch's default); each node is its own machine.
GANG_PORT = 29500


def gang_rank(env, nodes):
    """This node's rank: FLOWC_NODE_INDEX (Argo), else AWS_BATCH_JOB_NODE_INDEX (a Batch multi-node job), else 0."""
    if nodes <= 1:
        return 0
    text = env.get("FLOWC_NODE_INDEX") or env.get("AWS_BATCH_JOB_NODE_INDEX") or "0"
    try:
        rank = int(text)
    except ValueError:
        raise StoreError("the node index '%s' is not a number" % text)
    if not 0 <= rank < nodes:
        raise StoreError("the node index %d is outside the gang of %d nodes" % (rank, nodes))
    return rank


def own_address():
    """This machine's address as other machines reach it (the main node of a Batch job is not told its own)."""
    try:
        probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            probe.connect(("10.255.255.255", 1))  # no packet is sent: this only picks the outgoing interface
            return probe.getsockname()[0]
        finally:
            probe.close()
    except OSError:
        pass
    try:
        return socket.gethostbyname(socket.gethostname())
    except OSError:
        return "127.0.0.1"


def gang_env(env, rank, nodes):
    """RANK, WORLD_SIZE, MASTER_ADDR, MASTER_PORT, the variables torch.distributed's env:// reads."""
    master = env.get("FLOWC_MASTER_ADDR") or env.get("AWS_BATCH_JOB_MAIN_NODE_PRIVATE_IPV4_ADDRESS") or (own_address() if rank == 0 else "")
    if not master:
        raise TaskError("node %d does not know the main node's address (FLOWC_MASTER_ADDR or AWS_BATCH_JOB_MAIN_NODE_PRIVATE_IPV4_ADDRESS)" % rank)
    return {"RANK": str(rank), "WORLD_SIZE": str(nodes), "MASTER_ADDR": master, "MASTER_PORT": env.get("FLOWC_MASTER_PORT") or str(GANG_PORT)}


def python_exception(stderr_path):
    """(type, message) of the exception a Python body died of, from the last line of its traceback; else None."""
    try:
        with open(stderr_path, "rb") as f:
            f.seek(0, 2)
            f.seek(max(0, f.tell() - 8192))
            lines = f.read().decode("utf-8", "replace").splitlines()[-10:]
    except OSError:
        return None
    if not any(l.startswith("Traceback (most recent call last):") or re.match(r'\s+File "', l) for l in lines):
        return None
    last = next((l for l in reversed(lines) if l.strip()), "")
    m = re.match(r"^([A-Za-z_][\w.]*)(?:: (.*))?$", last)
    return (m.group(1).rsplit(".", 1)[-1], m.group(2) or "") if m else None


def failure_type(error):
    """The `type` of a @catch Failure record for a task that did not die of a Python exception (see sem-types.ts)."""
    for needle, kind in (("timed out", "Timeout"), ("killed by signal", "Killed"), ("could not start", "StartFailed"),
                         ("was not written", "MissingOutput"), ("exited with code", "ExitCode"), ("should be", "TypeMismatch"),
                         ("input '", "InputMissing")):
        if needle in error:
            return kind
    return "Failed"


def tee(src, log, echo):
    """Copies the body's output to its log file and to the container's own output (CloudWatch, pod logs)."""
    target = getattr(echo, "buffer", echo)
    for chunk in iter(lambda: src.read1(65536) if hasattr(src, "read1") else src.read(65536), b""):
        log.write(chunk)
        try:
            target.write(chunk)
            target.flush()
        except (OSError, ValueError):
            pass
    src.close()


def kill_group(pid, sig):
    try:
        os.killpg(pid, sig)
    except OSError:
        pass


def python_wrapper():
    """The wrapper of `python` bodies (_wrapper.py, beside this module in the packed runtime), as text: a body's
    command `python3 -c 'import os; exec(os.environ["FLOWC_PY_WRAPPER"])' SOURCE` runs it from the environment."""
    global _WRAPPER
    if _WRAPPER is None:
        _WRAPPER = pkgutil.get_data(__package__, "_wrapper.py").decode("utf-8")
    return _WRAPPER


_WRAPPER = None


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    started = time.time()
    rt = None
    try:
        rt = Runtime(os.environ, argv)
        code = rt.run_task()
    except StoreError as e:
        sys.stderr.write("flowc: %s\n" % e)
        code = 1
    except TaskError as e:
        sys.stderr.write("flowc: %s\n" % e)
        code = 1
    if os.environ.get("FLOWC_RUNTIME_STATS") and rt is not None:
        # For `npm run bench`: the runtime's own time (without the body) and its datastore requests.
        sys.stderr.write("flowc-stats: %s\n" % dumps({"ms": round((time.time() - started - rt.body_seconds) * 1000, 1),
                                                      "bodyMs": round(rt.body_seconds * 1000, 1),
                                                      "requests": getattr(getattr(rt.ds, "s3", None), "requests", 0)}))
    sys.stdout.flush()
    sys.exit(code)
