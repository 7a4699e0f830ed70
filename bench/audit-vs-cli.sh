#!/usr/bin/env bash
# Issue 4 "Numbers": the same fleet report made by `iamcreds audit` and by the AWS
# CLI, side by side on the same local IAM endpoint (iamcreds local-iam).
#
#   bench/audit-vs-cli.sh [--users N] [--seed scale:5000] [--latency 20ms]
#
# Measures (a) iamcreds audit through AllUsers, (b) the AWS CLI per-user loop a
# person would script (list-users, then list-service-specific-credentials per
# user, one after another), (c) the CLI's --all-users variant (one paged listing
# per service), and (d) iamcreds audit with AllUsers denied (its per-user
# fallback). The per-user CLI loop takes about a second per user, so by default it
# runs for --users N of them and extrapolates linearly, and says so.
#
# IAMCREDS_BIN=path uses a built binary instead of building one.
set -euo pipefail

sample=100
seed=scale:5000
latency=20ms
while (($#)); do
	case $1 in
	--users) sample=$2; shift 2 ;;
	--seed) seed=$2; shift 2 ;;
	--latency) latency=$2; shift 2 ;;
	-h | --help) sed -n '2,15s/^# \{0,1\}//p' "$0"; exit 0 ;;
	*) echo "audit-vs-cli: unknown argument $1 (see --help)" >&2; exit 2 ;;
	esac
done
[[ $sample =~ ^[1-9][0-9]*$ ]] || { echo "audit-vs-cli: --users wants a positive number" >&2; exit 2; }
command -v aws >/dev/null || { echo "audit-vs-cli: the AWS CLI (aws) is not installed" >&2; exit 2; }

root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT

# Dummy keys and no profile or config files: nothing here may reach real AWS.
export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE AWS_SECRET_ACCESS_KEY=bench AWS_SESSION_TOKEN=
export AWS_DEFAULT_REGION=us-east-1 AWS_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true AWS_PAGER=
export AWS_CONFIG_FILE=$tmp/aws-config AWS_SHARED_CREDENTIALS_FILE=$tmp/aws-credentials
unset AWS_PROFILE AWS_DEFAULT_PROFILE AWS_ENDPOINT_URL AWS_ENDPOINT_URL_IAM AWS_ENDPOINT_URL_STS

bin=${IAMCREDS_BIN:-}
if [[ -z $bin ]]; then
	echo "building iamcreds…"
	(cd "$root" && go build -o "$tmp/iamcreds" .)
	bin=$tmp/iamcreds
fi

# start_endpoint NAME [local-iam flags…]: starts local-iam on a free port and sets
# the variable NAME to its URL, read from the "listening on" line.
start_endpoint() {
	local name=$1 out=$tmp/$1.out
	shift
	"$bin" local-iam --seed "$seed" --latency "$latency" --addr 127.0.0.1:0 "$@" >"$out" 2>&1 &
	pids+=($!)
	for _ in $(seq 300); do
		if grep -q '^listening on ' "$out"; then
			printf -v "$name" '%s' "$(sed -n 's/^listening on //p' "$out" | head -n1)"
			return
		fi
		sleep 0.1
	done
	echo "audit-vs-cli: local-iam did not start:" >&2
	cat "$out" >&2
	exit 1
}

secs() { printf '%s' "$EPOCHREALTIME"; }
since() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.2f", b - a }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.0f", a / b }'; }
row() { printf '%-36s %8s s   %s\n' "$@"; }

echo "starting two local-iam endpoints (seed $seed, latency $latency; the second denies AllUsers)…"
# The seed's dates are relative to each endpoint's start; the second loads the
# first's state file, so that both serve the very same account.
start_endpoint url --state "$tmp/state.json"
cp "$tmp/state.json" "$tmp/state-deny.json"
start_endpoint url_deny --state "$tmp/state-deny.json" --deny ListServiceSpecificCredentials:AllUsers

# (a) iamcreds audit through AllUsers.
t=$(secs)
"$bin" audit --endpoint-url "$url" --format csv >"$tmp/audit.csv"
t_audit=$(since "$t")
creds=$(($(wc -l <"$tmp/audit.csv") - 1))
row "iamcreds audit (AllUsers)" "$t_audit" "$creds credentials"

# (d) iamcreds audit with AllUsers denied: the per-user fallback.
t=$(secs)
"$bin" audit --endpoint-url "$url_deny" --format csv --concurrency 8 >"$tmp/audit-fallback.csv"
t_fallback=$(since "$t")
# The runs are seconds apart, so a few ages may have ticked over a day: compare
# everything but the columns computed from the clock (age, days left, flags).
if ! diff <(cut -d, -f1-7,9 "$tmp/audit.csv") <(cut -d, -f1-7,9 "$tmp/audit-fallback.csv") >"$tmp/diff"; then
	echo "audit-vs-cli: the fallback's report differs from the AllUsers one:" >&2
	head -n 20 "$tmp/diff" >&2
	exit 1
fi
row "iamcreds audit (fallback, conc. 8)" "$t_fallback" "the same credentials"

cli() { aws --endpoint-url "$url" iam "$@"; }

# (c) the CLI's --all-users variant: one listing per service, following Marker
# (the CLI has no paginator for this action), with the same 1000-item pages.
services=(codecommit.amazonaws.com cassandra.amazonaws.com bedrock.amazonaws.com logs.amazonaws.com
	cloudwatch.amazonaws.com aws-external-anthropic.amazonaws.com)
t=$(secs)
all_count=0
for svc in "${services[@]}"; do
	marker=()
	while :; do
		read -r n truncated next < <(cli list-service-specific-credentials --all-users --service-name "$svc" \
			--max-items 1000 "${marker[@]}" --query '[length(ServiceSpecificCredentials), IsTruncated, Marker]' --output text)
		all_count=$((all_count + n))
		[[ $truncated == True ]] || break
		marker=(--marker "$next")
	done
done
t_all=$(since "$t")
[[ $all_count == "$creds" ]] || { echo "audit-vs-cli: --all-users listed $all_count credentials, iamcreds $creds" >&2; exit 1; }
row "aws CLI --all-users, per service" "$t_all" "$all_count credentials, ${#services[@]} services"

# (b) the per-user loop: list-users, then one call per user, sequentially.
t=$(secs)
cli list-users --page-size 1000 --query 'Users[].UserName' --output text | tr '\t' '\n' | sed '/^$/d' >"$tmp/users"
t_users=$(since "$t")
total=$(wc -l <"$tmp/users")
((sample > total)) && sample=$total
t=$(secs)
loop_count=0
while read -r u; do
	n=$(cli list-service-specific-credentials --user-name "$u" --query 'length(ServiceSpecificCredentials)' --output text)
	loop_count=$((loop_count + n))
done < <(head -n "$sample" "$tmp/users")
t_loop=$(since "$t")
want=$(head -n "$sample" "$tmp/users" | awk -F, 'NR == FNR { u[$1]; next } FNR > 1 && ($1 in u) { n++ } END { print n + 0 }' - "$tmp/audit.csv")
[[ $loop_count == "$want" ]] || { echo "audit-vs-cli: per-user loop listed $loop_count credentials, iamcreds $want for those users" >&2; exit 1; }
t_peruser=$(awk -v u="$t_users" -v l="$t_loop" -v n="$sample" -v N="$total" 'BEGIN { printf "%.1f", u + l * N / n }')
if ((sample < total)); then
	row "aws CLI per-user loop" "$t_peruser" "EXTRAPOLATED linearly from $sample of $total users (list-users ${t_users} s + ${t_loop} s for $sample users)"
else
	row "aws CLI per-user loop" "$t_peruser" "all $total users"
fi

echo
echo "iamcreds audit is $(ratio "$t_peruser" "$t_audit")× faster than the per-user CLI loop (goal ≥ 50×)"
echo "iamcreds audit is $(ratio "$t_all" "$t_audit")× faster than the CLI's --all-users variant"
echo "iamcreds' fallback is $(ratio "$t_peruser" "$t_fallback")× faster than the per-user CLI loop"
