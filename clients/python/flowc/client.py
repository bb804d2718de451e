"""Reading flowc runs from Python: notebooks and scripts (standard library only).

    from flowc import Flow, namespace
    run = Flow("MyFlow").latest_successful_run
    run.data.out                 # what `flowc get MyFlow/<run>/out` prints, as a Python value
    run["a"].task.data.x         # one task's artifact
    namespace(None)              # every namespace; namespace("production:my-flow") for scheduled runs

Runs are read from the datastore layout of docs/targets.md, on disk or in S3 (through ``_store``), whichever
target ran them: status, artifact resolution and namespaces follow the TypeScript readers
(targets/local/records.ts and query.ts) rule for rule, so the client and the ``flowc`` commands agree.
"""
import difflib
import json
import os
import re
from concurrent.futures import ThreadPoolExecutor

from ._store import StoreError, open_store

__all__ = [
    "Flow",
    "Run",
    "Step",
    "Task",
    "Directory",
    "namespace",
    "get_namespace",
    "default_namespace",
    "flows",
    "FlowcError",
    "NotFound",
    "StoreError",
]


class FlowcError(Exception):
    """Base of the client's errors."""


class NotFound(FlowcError, LookupError):
    """An unknown flow, run, step, task or artifact; the message names what exists and the closest match."""


class ArtifactNotFound(NotFound, AttributeError):
    """An unknown artifact (an AttributeError too, so ``hasattr(run.data, "x")`` works)."""


def _suggest(name, known):
    close = difflib.get_close_matches(name, list(known), n=1)
    return " Did you mean '%s'?" % close[0] if close else ""


def _listing(known, limit=12):
    known = list(known)
    if not known:
        return "none"
    shown = ", ".join(known[:limit])
    return shown + (", ..." if len(known) > limit else "")


# --- namespaces -------------------------------------------------------------------------------------------------

_UNSET = object()
_current_namespace = _UNSET


def default_namespace(env=None):
    """``user:NAME`` from USER, USERNAME or LOGNAME, else the account name (as ``flowc`` does)."""
    env = os.environ if env is None else env
    for var in ("USER", "USERNAME", "LOGNAME"):
        if env.get(var) is not None:
            return "user:" + env[var]
    try:
        import pwd

        name = pwd.getpwuid(os.getuid()).pw_name
    except Exception:
        name = None
    return "user:" + (name or "unknown")


def namespace(ns):
    """Sets the namespace that ``Flow.runs()`` and ``latest_run`` look in; None for every namespace.

    A run is in namespace NS when its namespace is NS or it carries NS as a tag. Returns the namespace set.
    """
    global _current_namespace
    if ns is not None and not isinstance(ns, str):
        raise TypeError("namespace() expects a string such as 'user:alice' or 'production:my-flow', or None")
    _current_namespace = ns
    return ns


def get_namespace():
    """The current namespace: the one set with ``namespace()``, else ``default_namespace()``."""
    return default_namespace() if _current_namespace is _UNSET else _current_namespace


def _in_namespace(record, ns):
    return ns is None or record.get("namespace") == ns or ns in (record.get("tags") or [])


# --- where the datastores are -----------------------------------------------------------------------------------


def _state_dir(env):
    if env.get("FLOWC_HOME"):
        return env["FLOWC_HOME"]
    home = env.get("HOME") or os.path.expanduser("~")
    return os.path.join(env.get("XDG_STATE_HOME") or os.path.join(home, ".local", "state"), "flowc")


def _resolve_location(location, base):
    if location.startswith("s3://"):
        return location.rstrip("/")
    return location if os.path.isabs(location) else os.path.abspath(os.path.join(base, location))


def _configured_datastore(cwd):
    """``datastore:`` of the nearest flowc.yaml (up to the repository root), as ``flowc`` finds it."""
    d = os.path.abspath(cwd)
    while True:
        path = os.path.join(d, "flowc.yaml")
        if os.path.exists(path):
            with open(path, encoding="utf-8") as f:
                for line in f:
                    m = re.match(r"""^datastore:\s*(?:"([^"]*)"|'([^']*)'|([^#\s][^#]*?))\s*(?:#.*)?$""", line.rstrip("\n"))
                    if m:
                        value = next(g for g in m.groups() if g is not None)
                        return _resolve_location(value, d) if value else None
            return None
        if os.path.exists(os.path.join(d, ".git")):
            return None
        parent = os.path.dirname(d)
        if parent == d:
            return None
        d = parent


def datastore_locations(datastore=None, cwd=None, env=None):
    """The datastores searched, most specific first: ``datastore`` when given; else flowc.yaml's, the nearest
    ``.flowc/`` in the working directory or above, and the ones ``flowc run`` remembered."""
    env = os.environ if env is None else env
    cwd = cwd or os.getcwd()
    if datastore:
        return [_resolve_location(datastore, cwd)]
    res = []
    configured = _configured_datastore(cwd)
    if configured:
        res.append(configured)
    d = os.path.abspath(cwd)
    while True:
        if os.path.exists(os.path.join(d, ".flowc")):
            res.append(os.path.join(d, ".flowc"))
            break
        if os.path.dirname(d) == d:
            break
        d = os.path.dirname(d)
    try:
        with open(os.path.join(_state_dir(env), "datastores"), encoding="utf-8") as f:
            for line in f.read().split("\n"):
                if line and (line.startswith("s3://") or os.path.exists(line)):
                    res.append(line)
    except OSError:
        pass
    seen = set()
    return [x for x in res if not (x in seen or seen.add(x))]


def _stores(datastore):
    if hasattr(datastore, "read_doc"):
        return [datastore]
    return [open_store(loc) for loc in datastore_locations(datastore)]


def _describe_stores(stores):
    return ", ".join(s.location for s in stores) or "no datastore (give datastore=...)"


def flows(datastore=None):
    """The names of the flows with runs in the datastores."""
    names = set()
    for store in _stores(datastore):
        names.update(store.list("runs"))
    return sorted(names)


# --- records ----------------------------------------------------------------------------------------------------


#: Records are small and many (one per run, one per task): read up to this many at once, which matters on S3.
READ_WORKERS = 16


def _parallel(fn, items):
    """``[fn(x) for x in items]``, several at a time."""
    items = list(items)
    if len(items) < 2:
        return [fn(x) for x in items]
    with ThreadPoolExecutor(min(READ_WORKERS, len(items))) as pool:
        return list(pool.map(fn, items))


def _run_key(flow, run):
    return "runs/%s/%s" % (flow, run)


def _read_json(store, key):
    text = store.read_doc(key)
    return None if text is None else json.loads(text)


def _task_id_key(task_id):
    """Foreach indices, then a bounded loop's iteration (``1.2r3``: ``[1, 2, 3]`` after ``1.2`` at ``[1, 2, 0]``)."""
    base, sep, n = task_id.rpartition("r")
    if not (sep and base and n.isdigit()):
        base, n = task_id, "0"
    return [int(x) for x in base.split(".")] + [int(n)]


def _read_tasks(store, flow, run):
    """Every task record of a run: {step: [records in task-id order]}, steps in name order."""
    res = {}
    base = _run_key(flow, run) + "/tasks"
    for step in store.list(base):
        names = [n[:-5] for n in store.list(base + "/" + step) if n.endswith(".json")]
        recs = _parallel(lambda n: _read_json(store, "%s/%s/%s.json" % (base, step, n)), names)
        res[step] = sorted((r for r in recs if r is not None), key=lambda r: _task_id_key(r["id"]))
    return res


def _ends_run(rec, ir):
    """A task failure that ends the run: uncaught, or caught in a switch step."""
    if rec.get("status") != "failed":
        return False
    if not rec.get("caught"):
        return True
    step = next((s for s in (ir or {}).get("steps", []) if s["name"] == rec["step"]), None)
    return bool(step) and step["next"]["kind"] == "switch"


_CAUSE_LIMIT = 300


def _failure_of(rec):
    cause = rec.get("cause") or ""
    if len(cause) > _CAUSE_LIMIT:
        cause = cause[:_CAUSE_LIMIT] + "..."
    message = ": ".join(x for x in (rec.get("error"), cause) if x) or "The engine reported a failure."
    return {"step": rec.get("step") or "", "task": rec.get("task") or "", "message": message}


def _settle(store, record):
    """The run record with the status its other records give (docs/targets.md, "Run status"); as settleRun."""
    if record.get("status") != "running":
        return record
    flow, run = record["flow"], record["id"]
    failure = _read_json(store, _run_key(flow, run) + "/failure.json")
    if failure is not None:
        return dict(record, status="failed", finishedAt=failure.get("finishedAt"), failed=_failure_of(failure))
    ir = _read_json(store, _run_key(flow, run) + "/ir.json")
    ends = [s["name"] for s in (ir or {}).get("steps", []) if s["next"]["kind"] == "end" and not s["foreachStack"]]
    for end in ends:
        rec = _read_json(store, "%s/tasks/%s/0.json" % (_run_key(flow, run), end))
        if rec is not None and not _ends_run(rec, ir):
            return dict(record, status="done", finishedAt=rec["finishedAt"])
    failures = [r for recs in _read_tasks(store, flow, run).values() for r in recs if _ends_run(r, ir)]
    if failures:
        first = min(failures, key=lambda r: r["finishedAt"])
        failed = {"step": first["step"], "task": first["id"], "message": first.get("error") or "failed"}
        return dict(record, status="failed", finishedAt=first["finishedAt"], failed=failed)
    return record


def _read_run(store, flow, run):
    record = _read_json(store, _run_key(flow, run) + "/run.json")
    return None if record is None else _settle(store, record)


# --- artifact values --------------------------------------------------------------------------------------------


class Directory(object):
    """A ``dir`` artifact: its files, read on demand."""

    def __init__(self, store, manifest):
        self._store = store
        self._files = dict((f["path"], f["sha"]) for f in manifest["files"])

    @property
    def files(self):
        """The relative paths of its files, sorted."""
        return sorted(self._files)

    def read(self, path):
        """The bytes of one file."""
        if path not in self._files:
            raise NotFound("The directory has no file '%s'.%s" % (path, _suggest(path, self._files)))
        return self._store.get_bytes(self._files[path])

    def save(self, dest):
        """Writes the tree under ``dest``."""
        for path, sha in self._files.items():
            self._store.fetch_to(sha, os.path.join(dest, *path.split("/")))
        return dest

    def __repr__(self):
        return "Directory(%d files)" % len(self._files)


def _value(store, meta):
    """The JSON value of one artifact, as ``artifactValue`` gives it (file/dir are described)."""
    if meta["storage"] in ("value", "json"):
        if "value" in meta:
            return meta["value"]
        return json.loads(store.get_bytes(meta["sha"]).decode("utf-8"))
    return {meta["storage"]: meta.get("s3") or "sha256:" + meta["sha"]}


def _latest_iterations(recs):
    """Of the tasks of a bounded loop's step (``0``, ``0r1``, ``0r2``), the latest iteration's: its value is the one
    after the loop (``findArtifact``)."""
    def split(task_id):
        base, sep, n = task_id.rpartition("r")
        return (base, int(n)) if sep and base and n.isdigit() else (task_id, 0)
    latest = {}
    for r in recs:
        base, n = split(r["id"])
        if base not in latest or split(latest[base]["id"])[1] < n:
            latest[base] = r
    return list(latest.values())


def _hit_value(store, hit):
    """What ``flowc get`` prints for a hit: a file's bytes, a dir's tree, else the JSON value (a list for many)."""
    metas, many = hit
    if not many:
        meta = metas[0]
        if meta["storage"] == "file" and meta.get("sha"):
            return store.get_bytes(meta["sha"])
        if meta["storage"] == "dir" and meta.get("sha"):
            return Directory(store, json.loads(store.get_bytes(meta["sha"]).decode("utf-8")))
        return _value(store, meta)
    return [_value(store, m) for m in metas]


class _Data(object):
    """Artifacts by attribute (``data.x``) or item (``data["x"]``); ``dir(data)`` lists them."""

    def __init__(self, owner):
        object.__setattr__(self, "_owner", owner)

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return self._owner._artifact(name)

    def __getitem__(self, name):
        return self._owner._artifact(name)

    def __contains__(self, name):
        return name in self._owner._artifact_names()

    def __iter__(self):
        return iter(self._owner._artifact_names())

    def __dir__(self):
        return self._owner._artifact_names()

    def __setattr__(self, name, value):
        raise AttributeError("Artifacts are read-only.")

    def __repr__(self):
        return "<data of %s: %s>" % (self._owner.pathspec, ", ".join(self._owner._artifact_names()))


# --- the API ----------------------------------------------------------------------------------------------------


class Flow(object):
    """A flow's runs, in the current namespace (``namespace()``), across the datastores searched.

    ``datastore``: a directory or ``s3://bucket/prefix``; by default the same search as the ``flowc`` commands.
    """

    def __init__(self, name, datastore=None):
        self.name = name
        self._datastore = datastore
        self._stores = _stores(datastore)
        if not any(store.list("runs/" + name) for store in self._stores):
            known = sorted(set(f for store in self._stores for f in store.list("runs")))
            raise NotFound(
                "No flow '%s' in %s (flows: %s).%s" % (name, _describe_stores(self._stores), _listing(known), _suggest(name, known))
            )

    @property
    def pathspec(self):
        return self.name

    def _records(self, ns):
        found = []
        for store in self._stores:
            recs = _parallel(lambda run_id: _read_run(store, self.name, run_id), store.list("runs/" + self.name))
            found.extend((store, rec) for rec in recs if rec is not None and _in_namespace(rec, ns))
        found.sort(key=lambda x: (x[1]["startedAt"], x[1]["id"]), reverse=True)
        return found

    def runs(self, *tags):
        """Runs in the current namespace, newest first; with tags, only runs carrying every one of them."""
        return [Run._of(store, rec) for store, rec in self._records(get_namespace()) if all(t in rec.get("tags", []) for t in tags)]

    def __iter__(self):
        return iter(self.runs())

    @property
    def latest_run(self):
        """The newest run in the current namespace (None when there is none)."""
        runs = self._records(get_namespace())
        return Run._of(*runs[0]) if runs else None

    @property
    def latest_successful_run(self):
        """The newest run in the current namespace that finished successfully (None when there is none)."""
        return next((Run._of(store, rec) for store, rec in self._records(get_namespace()) if rec["status"] == "done"), None)

    def run(self, run_id):
        """A run by id, in any namespace (as ``flowc get FLOW/ID/...``); ``latest`` is ``latest_run``."""
        if run_id == "latest":
            run = self.latest_run
            if run is None:
                raise NotFound("Flow '%s' has no run in namespace %s (namespace(None) looks in every namespace)." % (self.name, get_namespace()))
            return run
        for store in self._stores:
            rec = _read_run(store, self.name, run_id)
            if rec is not None:
                return Run._of(store, rec)
        known = sorted(set(r for store in self._stores for r in store.list("runs/" + self.name)), reverse=True)
        raise NotFound("Flow '%s' has no run '%s' (runs: %s).%s" % (self.name, run_id, _listing(known), _suggest(run_id, known)))

    def __getitem__(self, run_id):
        return self.run(run_id)

    def __repr__(self):
        return "Flow(%r)" % self.name


class Run(object):
    """One run. ``Run("MyFlow/RUN_ID", datastore=...)`` opens one directly; ``run.data.NAME`` reads an artifact
    as ``flowc get MyFlow/RUN_ID/NAME`` does; ``run["step"]`` is a step."""

    def __init__(self, pathspec, datastore=None):
        parts = pathspec.split("/")
        if len(parts) != 2 or not all(parts):
            raise ValueError("Run() expects 'FLOW/RUN_ID', got %r" % (pathspec,))
        other = Flow(parts[0], datastore).run(parts[1])
        self.__dict__.update(other.__dict__)

    @classmethod
    def _of(cls, store, record):
        self = cls.__new__(cls)
        self._store = store
        self.record = record
        self._tasks = None
        self._ir = _UNSET
        return self

    # what the run record says
    id = property(lambda self: self.record["id"])
    flow = property(lambda self: self.record["flow"])
    pathspec = property(lambda self: "%s/%s" % (self.record["flow"], self.record["id"]))
    status = property(lambda self: self.record["status"], doc="running, done or failed (settled from the records)")
    successful = property(lambda self: self.record["status"] == "done")
    finished = property(lambda self: self.record["status"] != "running")
    namespace = property(lambda self: self.record.get("namespace"))
    tags = property(lambda self: list(self.record.get("tags") or []))
    created_at = property(lambda self: self.record.get("startedAt"))
    finished_at = property(lambda self: self.record.get("finishedAt"))
    failed = property(lambda self: self.record.get("failed"), doc="{step, task, message} of the failure, or None")
    resumed_from = property(lambda self: self.record.get("resumedFrom"))

    @property
    def engine(self):
        """``local`` for ``flowc run``; for a run with no runner (pid 0) the engine it ran on, recorded as its host
        (``argo-workflows``, ``aws-batch``)."""
        return (self.record.get("host") or "remote") if self.record.get("pid") == 0 else "local"
    datastore = property(lambda self: self._store.location)

    @property
    def parameters(self):
        """Parameter values as given (a file/dir parameter as its ``{"file": ...}`` description)."""
        return dict((k, _value(self._store, m)) for k, m in (self.record.get("params") or {}).items())

    def _task_records(self):
        if self._tasks is None or not self.finished:
            tasks = _read_tasks(self._store, self.flow, self.id)
            if not self.finished:
                return tasks
            self._tasks = tasks
        return self._tasks

    def _read_ir(self):
        if self._ir is _UNSET:
            self._ir = _read_json(self._store, _run_key(self.flow, self.id) + "/ir.json")
        return self._ir

    def _step_names(self):
        ir = self._read_ir()
        return [s["name"] for s in ir["steps"]] if ir else list(self._task_records())

    def _find(self, name):
        """(metas, many) for artifact ``name``: the flow's result of that name, else the last step (topological
        order) that output it, a foreach step giving one value per task, else a parameter (``findArtifact``)."""
        tasks = self._task_records()
        ir = self._read_ir()

        def pick(step):
            recs = _latest_iterations([r for r in tasks.get(step, []) if name in r["outputs"]])
            if not recs:
                return None
            s = next((s for s in ir["steps"] if s["name"] == step), None) if ir else None
            many = len(s["foreachStack"]) > 0 if s is not None else len(recs) > 1
            return [r["outputs"][name] for r in recs], many

        result = next((r for r in (ir or {}).get("results", []) if r["name"] == name), None)
        hit = pick(result["step"]) if result else None
        if hit is None:
            hit = next((h for h in (pick(s) for s in reversed(self._step_names())) if h is not None), None)
        if hit is None and name in (self.record.get("params") or {}):
            hit = [self.record["params"][name]], False
        return hit

    def _artifact_names(self):
        names = set(self.record.get("params") or {})
        for recs in self._task_records().values():
            for r in recs:
                names.update(r["outputs"])
        return sorted(names)

    def _artifact(self, name):
        hit = self._find(name)
        if hit is None:
            names = self._artifact_names()
            raise ArtifactNotFound("Run %s has no artifact '%s' (it has: %s).%s" % (self.pathspec, name, _listing(names, 30), _suggest(name, names)))
        return _hit_value(self._store, hit)

    @property
    def data(self):
        """The run's artifacts by name: ``run.data.total`` is what ``flowc get FLOW/RUN/total`` prints."""
        return _Data(self)

    def steps(self):
        """The steps that have tasks, in the flow's order."""
        tasks = self._task_records()
        return [Step(self, s) for s in self._step_names() if tasks.get(s)]

    def __iter__(self):
        return iter(self.steps())

    def __getitem__(self, step):
        names = self._step_names()
        if step not in names:
            raise NotFound("Run %s has no step '%s' (steps: %s).%s" % (self.pathspec, step, _listing(names), _suggest(step, names)))
        return Step(self, step)

    def __contains__(self, step):
        return step in self._step_names()

    @property
    def end_task(self):
        """The task of the end step, when the run got there."""
        ir = self._read_ir()
        ends = [s["name"] for s in (ir or {}).get("steps", []) if s["next"]["kind"] == "end"] or ["end"]
        for end in ends:
            recs = self._task_records().get(end)
            if recs:
                return Task(self, end, recs[0])
        return None

    def __repr__(self):
        return "Run('%s', %s)" % (self.pathspec, self.status)


class Step(object):
    """A step of a run: its tasks (one outside a foreach; one per element inside)."""

    def __init__(self, run, name):
        self.run = run
        self.name = name

    pathspec = property(lambda self: "%s/%s" % (self.run.pathspec, self.name))

    def tasks(self):
        return [Task(self.run, self.name, r) for r in self.run._task_records().get(self.name, [])]

    def __iter__(self):
        return iter(self.tasks())

    @property
    def task(self):
        """The step's task: ``0`` outside a foreach, else the first one (None when it did not run)."""
        tasks = self.tasks()
        return next((t for t in tasks if t.id == "0"), tasks[0] if tasks else None)

    def __getitem__(self, task_id):
        task_id = str(task_id)
        for t in self.tasks():
            if t.id == task_id:
                return t
        ids = [t.id for t in self.tasks()]
        raise NotFound("Step %s has no task '%s' (tasks: %s).%s" % (self.pathspec, task_id, _listing(ids), _suggest(task_id, ids)))

    def __repr__(self):
        return "Step('%s')" % self.pathspec


class Task(object):
    """One task: its record, artifacts (``task.data.NAME``: its output, else its input) and logs."""

    def __init__(self, run, step, record):
        self.run = run
        self.step = step
        self.record = record

    id = property(lambda self: self.record["id"])
    pathspec = property(lambda self: "%s/%s/%s" % (self.run.pathspec, self.step, self.record["id"]))
    status = property(lambda self: "caught" if self.record.get("caught") else self.record["status"])
    successful = property(lambda self: self.record["status"] == "done")
    error = property(lambda self: self.record.get("error"))
    attempts = property(lambda self: self.record.get("attempts"))
    parents = property(lambda self: list(self.record.get("parents") or []))
    reused_from = property(lambda self: self.record.get("reusedFrom"))
    created_at = property(lambda self: self.record.get("startedAt"))
    finished_at = property(lambda self: self.record.get("finishedAt"))

    def _log(self, which):
        sha = (self.record.get("logs") or {}).get(which)
        return self.run._store.get_bytes(sha).decode("utf-8", "replace") if sha else ""

    stdout = property(lambda self: self._log("stdout"))
    stderr = property(lambda self: self._log("stderr"))

    def _artifact_names(self):
        return sorted(set(self.record["inputs"]) | set(self.record["outputs"]))

    def _artifact(self, name):
        meta = self.record["outputs"].get(name) or self.record["inputs"].get(name)
        if meta is None:
            names = self._artifact_names()
            raise ArtifactNotFound("Task %s has no artifact '%s' (it has: %s).%s" % (self.pathspec, name, _listing(names, 30), _suggest(name, names)))
        return _hit_value(self.run._store, ([meta], False))

    @property
    def data(self):
        return _Data(self)

    def __repr__(self):
        return "Task('%s', %s)" % (self.pathspec, self.status)
