"""Runs AWS CLI commands in one Python process, for the conformance tests.

Each `aws` process spends most of a second importing botocore before it sends a
request; two dozen of them were most of `go test ./...`'s CPU. This runs the
CLI's own driver (awscli.clidriver, what the `aws` script calls) once per
command, so parsing, signing, paging and output formatting are the CLI's. A
driver (and its botocore session, with the loaded service models) is kept per
set of environment overrides, as one shell with those variables would run it.

Protocol: one JSON object per line on stdin, {"args": [...], "env": {...}};
one per line on stdout, {"rc": N, "stdout": "...", "stderr": "..."}.
"""
import io
import json
import os
import sys

import awscli.clidriver


drivers = {}


def run(args, env):
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    out, err = io.StringIO(), io.StringIO()
    real_out, real_err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = out, err
    try:
        key = tuple(sorted(env.items()))
        if key not in drivers:
            drivers[key] = awscli.clidriver.create_clidriver()
        rc = drivers[key].main(args)
    except SystemExit as e:  # argparse's usage errors
        rc = e.code if isinstance(e.code, int) else 255
    finally:
        sys.stdout, sys.stderr = real_out, real_err
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    return {"rc": rc, "stdout": out.getvalue(), "stderr": err.getvalue()}


def main():
    for line in sys.stdin:
        req = json.loads(line)
        sys.stdout.write(json.dumps(run(req["args"], req.get("env", {}))) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
