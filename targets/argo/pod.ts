/**
 * What runs inside an Argo pod (docs/targets.md, "Argo Workflows" → "Inside the pod").
 *
 * Every step's container runs the shared task runtime (targets/runtime, docs/targets.md "The task runtime")
 * around the step's body: `python3 -c BOOT BODY...`. BOOT executes the runtime's loader, which the manifest holds
 * once, as the value of the workflow parameter `flowc-loader` (read into `FLOWC_LOADER`), with the packed runtime
 * in `flowc-runtime` (read into `FLOWC_RUNTIME_ZIP`): Argo substitutes `{{workflow.parameters.…}}` when it creates
 * the pod, and records no environment in the workflow's status, so the programs cost nothing per task.
 * The first step's BOOT also turns the run's parameters, which Argo passes as strings (one environment variable
 * each, `FLOWC_ARGO_PARAM_<name>`), into the JSON object the runtime reads (`FLOWC_PARAMS`), and sets the run's
 * namespace.
 *
 * The engine carries only routing values: the runtime writes a foreach's length and a switch's case index into
 * `ROUTE_DIR`, read back as the output parameters `flowc-count` and `flowc-case`. No artifact value is an Argo
 * parameter or artifact.
 *
 * The exit handler (`EXIT_PROGRAM`) runs when the workflow did not succeed: it writes the run's failure record
 * (`runs/<Flow>/<RunId>/failure.json`) with the datastore code of the packed runtime, so a run whose pod died
 * without the runtime noticing (deadline, eviction, out of memory) still reads as failed.
 * With `argo.notify` it runs `NOTIFY_EXIT_PROGRAM`, which also POSTs the run's outcome to a webhook.
 *
 * Invariant: the programs are constant text; values reach them only through environment variables. No program
 * text contains a double brace, which Argo would take for a template; author text that does (a script, a
 * command) travels base64-encoded (`PYTHON_B64_BOOT`, `SH_B64_LOADER`).
 */
import { irJson } from '../../compiler/ir.ts';
import { LOADER, WRAPPER_ENV } from '../runtime/index.ts';

/** Where the runtime writes the routing values for Argo to read (`FLOWC_ROUTE_DIR`). */
export const ROUTE_DIR = '/flowc/route';
/** The output parameter with the case a switch step took (an index into its cases; their number for `else`). */
export const CASE_PARAM = 'flowc-case';
/** The output parameter with the number of elements a foreach step fans out over. */
export const COUNT_PARAM = 'flowc-count';
/** The input parameter of templates inside a foreach: the task id, the foreach indices joined by `.` (`2`, `1.4`). */
export const TASK_PARAM = 'flowc-task';
/** The input parameter of a bounded loop's template: the iteration it runs (0 first). */
export const ITER_PARAM = 'flowc-iter';
/** The input parameter of a bounded loop's template entered at more than one step: the index of the step to start at. */
export const ENTRY_PARAM = 'flowc-entry';

/** A program shared by the pods of a flow: the workflow parameter holding its text and the variable it is read into. */
export interface PodProgram {
  param: string;
  env: string;
  text: string;
  description: string;
}

/** The runtime's loader (targets/runtime): puts the packed runtime on sys.path and runs the task. */
export const LOADER_PROGRAM: PodProgram = {
  param: 'flowc-loader',
  env: 'FLOWC_LOADER',
  text: LOADER,
  description: "flowc's task runtime loader (Python); set by flowc build, leave it unchanged",
};

/** The packed task runtime (a zip, base64). The text is filled in by `runtimeProgram` (the generated module). */
export const RUNTIME_PARAM = 'flowc-runtime';

/** BOOT of every step but the first: run the loader from the environment (it reads `sys.argv[1:]`, the body). */
export const BOOT = `import os; exec(os.environ["${LOADER_PROGRAM.env}"])`;

/**
 * The run's namespace, as the first pod settles it (FIRST_BOOT) and the notifying exit handler reports it:
 * `flowc-namespace` when given, else `user:` + `flowc-user`.
 */
const NAMESPACE_EXPR = 'os.environ.get("FLOWC_ARGO_NAMESPACE", "") or "user:" + (os.environ.get("FLOWC_ARGO_USER", "") or "unknown")';

/**
 * BOOT of the run's first step: the run's parameters, given to Argo as strings, become typed JSON values (a
 * string parameter as written; `file`/`dir`: an `s3://` URL as written, or the `{"sha": ...}` object of a file flowc
 * uploaded; anything else is JSON text, as `flowc build` writes defaults), and the namespace is settled:
 * `flowc-namespace` when given (scheduled and triggered runs: `production:...`), else `user:` + `flowc-user`.
 */
export const FIRST_BOOT = [
  'import json, os, sys',
  'def _flowc_params():',
  '    kinds = json.loads(os.environ["FLOWC_ARGO_PARAMS"])',
  '    out = {}',
  '    for name in sorted(kinds):',
  '        text = os.environ.get("FLOWC_ARGO_PARAM_" + name)',
  '        if text is None:',
  '            continue',
  '        kind = kinds[name]',
  '        if kind == "string" or (kind in ("file", "dir") and not text.lstrip().startswith("{")):',
  '            out[name] = text',
  '            continue',
  '        try:',
  '            out[name] = json.loads(text)',
  '        except ValueError:',
  '            sys.stderr.write("flowc: parameter \'%s\' is not valid JSON for its type (%s): %r\\n" % (name, kind, text[:80]))',
  '            sys.exit(2)',
  '    os.environ["FLOWC_PARAMS"] = json.dumps(out)',
  `    os.environ["FLOWC_NAMESPACE"] = ${NAMESPACE_EXPR}`,
  '    user = os.environ.get("FLOWC_ARGO_USER", "")',
  '    if user:',
  '        os.environ["FLOWC_USER"] = user',
  '_flowc_params()',
  BOOT,
].join('\n');

const loaderCut = LOADER.indexOf('from flowc._runtime import main');
if (loaderCut < 0) throw new Error('The runtime loader changed: the Argo exit handler cannot find where it imports the runtime.');

/**
 * The exit handler's failure record, as `doc`: the failure the runtime recorded in `run.json` (`failed`: the task
 * whose uncaught failure failed the run), else Argo's `workflow.failures` (the first failed pod names the step: a
 * pod that died without the runtime noticing). Argo lists failures in no set order, and after a failure it may
 * still start tasks that then refuse to run (exit 3), so the runtime's own record comes first.
 */
const FAILURE_DOC = [
  '    try:',
  '        failures = json.loads(E.get("FLOWC_WORKFLOW_FAILURES") or "[]") or []',
  '    except ValueError:',
  '        failures = []',
  '    first = failures[0] if failures else {}',
  '    steps = json.loads(E.get("FLOWC_ARGO_STEPS") or "{}")',
  '    doc = {"step": steps.get(first.get("templateName", ""), first.get("templateName", "")), "task": first.get("displayName", ""), "error": "Argo workflow " + status, "cause": first.get("message", "") or status}',
  '    store = None',
  '    try:',
  '        store = open_store(E["FLOWC_DATASTORE"], E)',
  '        text = store.read_doc("runs/%s/%s/run.json" % (E["FLOWC_FLOW"], E["FLOWC_RUN_ID"]))',
  '        failed = (json.loads(text) if text else {}).get("failed") or {}',
  '    except Exception:',
  '        failed = {}',
  '    if failed.get("step"):',
  '        doc.update(step=failed["step"], task=failed.get("task") or "", cause=failed.get("message") or doc["cause"])',
  '    key = "runs/%s/%s/failure.json" % (E["FLOWC_FLOW"], E["FLOWC_RUN_ID"])',
];
/** Writes `doc` as the run's failure.json (the datastore code of the packed runtime), with the store `FAILURE_DOC` opened. */
const WRITE_FAILURE = [
  '(store or open_store(E["FLOWC_DATASTORE"], E)).write_doc(key, json.dumps(doc, indent=2))',
  'sys.stderr.write("flowc: run %s/%s recorded as failed (%s)\\n" % (E["FLOWC_FLOW"], E["FLOWC_RUN_ID"], status))',
];
const EXIT_HEAD = [LOADER.slice(0, loaderCut), 'from flowc._store import open_store', 'status = E.get("FLOWC_WORKFLOW_STATUS", "")'];
const indent = (lines: string[], by: string): string[] => lines.map((l) => by + l);

/**
 * The exit handler's program: the loader's first part (the packed runtime on sys.path), then, unless the
 * workflow succeeded, `failure.json` as `FAILURE_DOC` makes it.
 */
export const EXIT_PROGRAM = [...EXIT_HEAD, 'if status != "Succeeded":', ...FAILURE_DOC, ...indent(WRITE_FAILURE, '    '), ''].join('\n');

/**
 * The exit handler's program with notifications (`argo.notify`, docs/targets.md "Notifications"): the failure
 * record first, exactly as `EXIT_PROGRAM` writes it (a failure to write it is logged, and the POST still goes
 * out), then, when the run's outcome is one of `FLOWC_NOTIFY_ON`, a JSON POST to the webhook whose URL the pod
 * reads from its secret (`FLOWC_NOTIFY_WEBHOOK`, never in the manifest or a log line). Python's urllib, a 10 s
 * timeout per attempt, 3 attempts for a 5xx, a 429 or a network error, none for another 4xx; no shell. The
 * program exits 1 when either the record or the POST failed, so the handler's node shows failed; the template
 * that calls it continues on failure, so the run's outcome stays the run's own.
 */
export const NOTIFY_EXIT_PROGRAM = [
  ...EXIT_HEAD,
  'import time, urllib.error, urllib.request',
  'ok = True',
  'doc = {"step": None, "task": None, "error": None, "cause": None}',
  'if status != "Succeeded":',
  ...FAILURE_DOC,
  '    try:',
  ...indent(WRITE_FAILURE, '        '),
  '    except Exception as err:',
  '        ok = False',
  '        sys.stderr.write("flowc: cannot record the failure of run %s/%s: %s\\n" % (E["FLOWC_FLOW"], E["FLOWC_RUN_ID"], err))',
  'def notify():',
  '    event = "success" if status == "Succeeded" else "failure"',
  '    if event not in E.get("FLOWC_NOTIFY_ON", "failure").split(","):',
  '        return True',
  '    run = "%s/%s" % (E["FLOWC_FLOW"], E["FLOWC_RUN_ID"])',
  '    url = E.get("FLOWC_NOTIFY_WEBHOOK", "").strip()',
  '    if not url.lower().startswith(("https://", "http://")):',
  '        sys.stderr.write("flowc: the notification of run %s was not sent: the webhook URL in secret %s is %s\\n" % (run, E.get("FLOWC_NOTIFY_SECRET", "?"), "not an http(s) URL" if url else "missing"))',
  '        return False',
  '    if event == "success":',
  '        text = "flowc: run %s succeeded" % run',
  '    else:',
  '        text = "flowc: run %s failed at step %s (task %s): %s" % (run, doc["step"] or "?", doc["task"] or "?", " ".join(str(doc["cause"]).split())[:300])',
  `    body = dict(doc, text=text, flow=E["FLOWC_FLOW"], run=E["FLOWC_RUN_ID"], status=status, namespace=${NAMESPACE_EXPR}, engine="argo-workflows")`,
  '    req = urllib.request.Request(url, data=json.dumps(body).encode("utf-8"), headers={"Content-Type": "application/json"}, method="POST")',
  '    why = "?"',
  '    for attempt in range(3):',
  '        if attempt:',
  '            time.sleep(attempt)',
  '        try:',
  '            with urllib.request.urlopen(req, timeout=10) as res:',
  '                res.read(65536)',
  '            sys.stderr.write("flowc: run %s: notification sent (%s)\\n" % (run, status))',
  '            return True',
  '        except urllib.error.HTTPError as err:',
  '            why = "HTTP %d" % err.code',
  '            if err.code < 500 and err.code != 429:',
  '                break',
  '        except Exception as err:',
  '            reason = getattr(err, "reason", err)',
  '            why = "%s%s" % (type(reason).__name__, ": " + reason.strerror if isinstance(reason, OSError) and reason.strerror else "")',
  '    sys.stderr.write("flowc: the notification of run %s was not sent: %s\\n" % (run, why))',
  '    return False',
  'if not notify() or not ok:',
  '    sys.exit(1)',
  '',
].join('\n');

/**
 * Author text that Argo would read as its own templates (a `{{` or `}}` in a script or command) is carried
 * base64-encoded, so only the base64 alphabet reaches the manifest, and decoded in the pod before use.
 */
export const hasTemplateBraces = (text: string): boolean => text.includes('{{') || text.includes('}}');
export const toBase64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

/** `PYTHON_BOOT` (targets/runtime) for a base64-encoded source: the wrapper sees the decoded source as `sys.argv[1]`, as usual. */
export const PYTHON_B64_BOOT = `import base64, os, sys; sys.argv[1] = base64.b64decode(sys.argv[1]).decode("utf-8"); exec(os.environ["${WRAPPER_ENV}"])`;

/**
 * Runs a base64-encoded shell script as `/bin/sh -c SCRIPT`, the very argv the readable form runs: python3
 * decodes it and replaces itself with the shell (no `eval`, no shell parsing of the encoded text).
 */
export const SH_B64_LOADER = 'import base64, os, sys; os.execv(b"/bin/sh", [b"/bin/sh", b"-c", base64.b64decode(sys.argv[1])])';

/**
 * JSON for an environment variable: `{{` can only occur inside a JSON string, where `{\u007b` decodes to the
 * same text, so Argo never sees a template in author text (switch cases, type schemas).
 */
export const envJson = (value: unknown): string => envText(irJson(value));

/** `envJson` of a value from its JSON text. */
export const envText = (json: string): string => json.replace(/\{\{/g, '{\\u007b');
