"""Reads the runs of test/e2e/run-remote-read.test.ts with the Python client and prints what it saw as JSON.

argv: DATASTORE FAILED_RUN_ID DONE_RUN_ID. The test compares the values with `flowc get --json` and `flowc runs`.
"""
import json
import sys

from flowc import Flow, NotFound, Run, namespace

location, failed_id, done_id = sys.argv[1:4]
out = {}

flow = Flow("Remote", datastore=location)
out["mine"] = [[r.id, r.status, r.successful, r.namespace] for r in flow.runs()]
out["latest"] = flow.latest_run.id
out["latestSuccessful"] = flow.latest_successful_run
namespace(None)
out["all"] = [[r.id, r.status, r.successful, r.namespace] for r in flow]
out["latestSuccessfulAll"] = flow.latest_successful_run.id
namespace("production:remote")
prod = flow.latest_successful_run
out["prod"] = [prod.id, prod.tags, prod.parameters]

done = flow[done_id]
failed = Run("Remote/" + failed_id, datastore=location)
out["failed"] = [failed.status, failed.successful, failed.failed]
out["engines"] = [done.engine, failed.engine]
out["values"] = {
    "total": done.data.total,
    "info": done.data.info,
    "label": prod.data["label"],
    "report": done.data.report.decode("utf-8"),
    "bad": done.data.bad,
    "work/sq": [t.data.sq for t in done["work"]],
    "work/2/info": done["work"]["2"].data.info,
    "work/2/n": done["work"]["2"].data.n,
    "failed/work/0/sq": failed["work"].task.data.sq,
}
out["steps"] = [[s.name, [t.id for t in s]] for s in done]
out["failedSteps"] = [[s.name, [[t.id, t.status] for t in s]] for s in failed]
out["log"] = failed["work"]["1"].stderr
out["hasattr"] = [hasattr(done.data, "total"), hasattr(done.data, "nope"), "info" in done.data]

errors = []
for attempt in (
    lambda: done.data.totl,
    lambda: done["wrok"],
    lambda: done["work"]["7"],
    lambda: flow["20990101T000000-0000"],
    lambda: Flow("Remot", datastore=location),
):
    try:
        attempt()
        errors.append(None)
    except NotFound as err:
        errors.append(str(err))
out["errors"] = errors
print(json.dumps(out))
