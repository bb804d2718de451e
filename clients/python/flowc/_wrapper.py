"""The wrapper of `python` step bodies (docs/targets.md, "The task protocol"): `python3 -c WRAPPER SOURCE`.

It binds the step's inputs as globals (scalars from their variables' text, structured values decoded from their JSON
files, file/dir as paths), runs SOURCE, then writes the outputs. Local runs carry this text in the command; in a
container the task runtime sets it as FLOWC_PY_WRAPPER and the command runs it from there. Not imported: executed.
"""
import json, os, shutil, sys
def _flowc_main():
    ins = json.loads(os.environ.get("FLOWC_INPUTS", "[]"))
    outs = json.loads(os.environ.get("FLOWC_OUTPUTS", "[]"))
    g = {"__name__": "__main__"}
    for i in ins:
        raw = os.environ["FLOWC_IN_" + i["name"]]
        if i["storage"] == "value":
            g[i["name"]] = raw if i.get("type") == "string" else json.loads(raw)
        elif i["storage"] == "json":
            with open(raw, encoding="utf-8") as f:
                g[i["name"]] = json.load(f)
        else:
            g[i["name"]] = raw
    for o in outs:
        if o["storage"] in ("file", "dir"):
            g[o["name"]] = os.environ["FLOWC_OUT_" + o["name"]]
    code = compile(sys.argv[1], "<step " + os.environ.get("FLOWC_STEP", "?") + ">", "exec")
    exec(code, g)
    for o in outs:
        name, path = o["name"], os.environ["FLOWC_OUT_" + o["name"]]
        if name not in g:
            sys.stderr.write("flowc: the script did not set output '%s'\n" % name)
            sys.exit(1)
        value = g[name]
        if o["storage"] in ("file", "dir"):
            if os.path.abspath(str(value)) != os.path.abspath(path):
                (shutil.copytree if o["storage"] == "dir" else shutil.copyfile)(str(value), path)
        else:
            with open(path, "w", encoding="utf-8") as f:
                json.dump(value, f)


if __name__ == "__main__":
    _flowc_main()
