#!/usr/bin/env bash
# bench/scan.sh — iamcreds scan beside the tools it must keep up with:
#   1. a ~1 GB tree (copies of Go's own source tree, which holds code, text and
#      some binaries, plus generated config and log files with a few keys in
#      them): `iamcreds scan --offline` against `grep -rEn` with the same
#      literal patterns (LC_ALL=C, grep's fastest);
#   2. a generated history of --commits commits on three branches (fast-import;
#      a few commits add a key, later ones remove it): `iamcreds scan --offline
#      --git` against `git log -p --all` alone, output thrown away.
# Both run --reps times after a warm-up (the tree in the page cache); each
# figure is min / median / max wall seconds, with the machine's load.
#
#   bench/scan.sh [--copies 7] [--commits 10000] [--reps 5] [--keep]
#
# Everything is made in one temporary directory, deleted at the end (--keep
# leaves it and prints where). IAMCREDS_BIN=path uses a built binary.
set -euo pipefail

copies=7
commits=10000
reps=5
keep=
while [ $# -gt 0 ]; do
  case $1 in
    --copies) copies=$2; shift 2 ;;
    --commits) commits=$2; shift 2 ;;
    --reps) reps=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    *) echo "usage: $0 [--copies N] [--commits N] [--reps N] [--keep]" >&2; exit 2 ;;
  esac
done
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/iamcreds-scan-bench.XXXXXX")
if [ -z "$keep" ]; then trap 'rm -rf "$work"' EXIT; else echo "bench/scan.sh: keeping $work" >&2; fi

bin=${IAMCREDS_BIN:-}
if [ -z "$bin" ]; then
  bin=$work/iamcreds
  (cd "$root" && go build -o "$bin" .)
fi

# --- the tree -----------------------------------------------------------------
src=$(go env GOROOT)/src
tree=$work/tree
mkdir -p "$tree"
for i in $(seq 1 "$copies"); do
  cp -R "$src" "$tree/copy$i"
done
# Generated files: configuration and logs, a few keys among them (made here:
# an alias and a dummy secret, as AWS shapes them; none works anywhere).
python3 - "$tree" <<'PY'
import base64, os, random, sys
root = sys.argv[1]
r = random.Random(7)
def key(user):
    secret = base64.b64encode(bytes(r.randrange(256) for _ in range(40))).decode()
    return "ABSK" + base64.b64encode(f"{user}-at-123456789012:{secret}".encode()).decode()
words = "request served user account region latency cache miss hit retry backoff deploy build service token".split()
for i in range(400):
    d = os.path.join(root, "generated", f"app{i % 40}")
    os.makedirs(d, exist_ok=True)
    lines = []
    for n in range(2000):
        lines.append(f"2026-05-11T18:{n % 60:02d}:00Z INFO {' '.join(r.choice(words) for _ in range(8))} id={r.randrange(10**9)}")
        if i % 50 == 0 and n == 1000:
            lines.append(f"BEDROCK_API_KEY={key(f'user{i}')}")
        if i % 80 == 0 and n == 1500:
            lines.append(f"aws_access_key_id = AKIA{''.join(r.choice('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567') for _ in range(16))}")
    with open(os.path.join(d, f"service{i}.log"), "w") as f:
        f.write("\n".join(lines) + "\n")
PY
tree_bytes=$(du -sb "$tree" | cut -f1)
tree_files=$(find "$tree" -type f | wc -l)

# --- the history ----------------------------------------------------------------
repo=$work/repo
git init -q -b main "$repo"
python3 - "$commits" <<'PY' | git -C "$repo" -c core.fsmonitor=false fast-import --quiet
import base64, random, sys
n = int(sys.argv[1])
r = random.Random(11)
files = {f"src/mod{i:03d}/file{j}.py": [f"# module {i} file {j}"] for i in range(100) for j in range(3)}
names = sorted(files)
words = "def return self value config account region user service token cache retry request".split()
def line():
    return "    " + " ".join(r.choice(words) for _ in range(r.randrange(4, 12))) + f"  # {r.randrange(10**6)}"
def key(u):
    secret = base64.b64encode(bytes(r.randrange(256) for _ in range(40))).decode()
    return "ABSK" + base64.b64encode(f"{u}-at-123456789012:{secret}".encode()).decode()
out = sys.stdout.buffer
def w(s): out.write(s.encode() if isinstance(s, str) else s)
mark = 0
heads = {"main": None, "feature": None, "release": None}
planted = []
for c in range(n):
    branch = "main" if c % 10 < 8 else ("feature" if c % 10 == 8 else "release")
    mark += 1
    changed = r.sample(names, r.randrange(1, 4))
    for name in changed:
        body = files[name]
        if len(body) > 400:
            del body[1:r.randrange(20, 60)]
        at = r.randrange(1, len(body) + 1)
        body[at:at] = [line() for _ in range(r.randrange(5, 25))]
        if c % 997 == 5:
            body.insert(at, f"API_KEY = '{key(f'dev{c}')}'")
            planted.append((name, c))
        elif planted and c % 997 == 400:
            pname, _ = planted[-1]
            files[pname] = [l for l in files[pname] if "ABSK" not in l]
            if pname not in changed:
                changed.append(pname)
    w(f"commit refs/heads/{branch}\nmark :{mark}\n")
    w(f"committer Bench <bench@example.com> {1700000000 + c * 60} +0000\n")
    msg = f"change {c}\n"
    w(f"data {len(msg)}\n{msg}")
    parent = heads[branch] or heads["main"]
    if parent:
        w(f"from :{parent}\n")
    for name in changed:
        data = ("\n".join(files[name]) + "\n").encode()
        w(f"M 100644 inline {name}\ndata {len(data)}\n")
        w(data)
        w("\n")
    heads[branch] = mark
PY
git -C "$repo" checkout -q main
repo_commits=$(git -C "$repo" rev-list --all | wc -l)

# --- timing ---------------------------------------------------------------------
patterns='ABSK|AEAA|AKIA|ASIA|bedrock-api-key-|aws-external-anthropic-api-key-'

# bench NAME CMD...: a warm-up, then $reps timed runs; prints min/median/max.
bench() {
  local name=$1; shift
  "$@" >/dev/null 2>&1 || true
  local times=()
  for _ in $(seq 1 "$reps"); do
    # scan exits 1 when it finds a key: that is no failure here.
    /usr/bin/time -f '%e' -o "$work/time" "$@" >/dev/null 2>&1 || true
    times+=("$(tail -1 "$work/time")")
  done
  printf '%s\n' "${times[@]}" | sort -n | awk -v name="$name" '
    { v[NR] = $1 } END { printf "| %s | %.2f | %.2f | %.2f |\n", name, v[1], v[int((NR + 1) / 2)], v[NR] }'
}

echo "Tree: $tree_files files, $((tree_bytes / 1024 / 1024)) MiB; history: $repo_commits commits"
echo "Machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); $reps runs after a warm-up"
echo
echo "| command | min s | median s | max s |"
echo "|---|---|---|---|"
bench "iamcreds scan --offline --max-file-size 0 TREE" "$bin" scan --offline --max-file-size 0 "$tree"
bench "LC_ALL=C grep -rEn PATTERNS TREE" env LC_ALL=C grep -rEn "$patterns" "$tree"
bench "iamcreds scan --offline --git REPO" "$bin" scan --offline --git "$repo"
bench "git log -p --all REPO" git -C "$repo" log -p --all
