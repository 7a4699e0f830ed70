#!/usr/bin/env bash
# Issue 14 "Numbers": the report of every account of an organization, made by
# `iamcreds audit --org` and by the AWS CLI the way people script it, side by
# side on the same local organization (iamcreds local-iam --seed org:AxU).
#
#   bench/org-audit-vs-cli.sh [--seed org:20x500]... [--latency 20ms] [--runs 3] [--cli-accounts 4|all]
#
# For each seed (default: org:20x500, then org:100x100 to show how the cost grows
# with accounts) it measures
#   (a) iamcreds audit --org at the default --account-concurrency (8), --runs
#       times, and prints the median next to the round-trip floor: ListAccounts'
#       pages one after another (20 accounts a page), then the ACTIVE accounts in
#       waves of 8, each wave two round trips (AssumeRole, then ListUsers and the
#       AllUsers listing of every service at once). The floor is what a perfect
#       client pays in latency alone.
#   (b) the AWS CLI script: organizations list-accounts, then for each ACTIVE
#       account sts assume-role (the caller's own account with its own keys) and
#       iam list-service-specific-credentials --all-users per service (1,000 a
#       page, following Marker), one after another. The CLI takes about a second a call, so by default it runs for
#       --cli-accounts 4 accounts and extrapolates linearly to all, and says so.
# Both reports are checked to list the same number of credentials per account.
# The load average is printed at the start and the end: the figures are only as
# good as the machine was quiet.
#
# IAMCREDS_BIN=path uses a built binary instead of building one.
set -euo pipefail

seeds=()
latency=20ms
runs=3
cli_accounts=4
while (($#)); do
	case $1 in
	--seed) seeds+=("$2"); shift 2 ;;
	--latency) latency=$2; shift 2 ;;
	--runs) runs=$2; shift 2 ;;
	--cli-accounts) cli_accounts=$2; shift 2 ;;
	-h | --help) sed -n '2,27s/^# \{0,1\}//p' "$0"; exit 0 ;;
	*) echo "org-audit-vs-cli: unknown argument $1 (see --help)" >&2; exit 2 ;;
	esac
done
((${#seeds[@]})) || seeds=(org:20x500 org:100x100)
[[ $runs =~ ^[1-9][0-9]*$ ]] || { echo "org-audit-vs-cli: --runs wants a positive number" >&2; exit 2; }
[[ $cli_accounts == all || $cli_accounts =~ ^[1-9][0-9]*$ ]] || { echo "org-audit-vs-cli: --cli-accounts wants a positive number or all" >&2; exit 2; }
[[ $latency =~ ^([0-9]+)ms$ ]] || { echo "org-audit-vs-cli: --latency wants milliseconds, e.g. 20ms" >&2; exit 2; }
rtt_ms=${BASH_REMATCH[1]}
command -v aws >/dev/null || { echo "org-audit-vs-cli: the AWS CLI (aws) is not installed" >&2; exit 2; }

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
# The endpoint takes a key it does not know for the management account's.
export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE AWS_SECRET_ACCESS_KEY=bench AWS_SESSION_TOKEN=
export AWS_DEFAULT_REGION=us-east-1 AWS_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true AWS_PAGER=
export AWS_CONFIG_FILE=$tmp/aws-config AWS_SHARED_CREDENTIALS_FILE=$tmp/aws-credentials
unset AWS_PROFILE AWS_DEFAULT_PROFILE AWS_ENDPOINT_URL AWS_ENDPOINT_URL_IAM AWS_ENDPOINT_URL_STS AWS_ENDPOINT_URL_ORGANIZATIONS

bin=${IAMCREDS_BIN:-}
if [[ -z $bin ]]; then
	echo "building iamcreds…"
	(cd "$root" && go build -o "$tmp/iamcreds" .)
	bin=$tmp/iamcreds
fi

secs() { printf '%s' "$EPOCHREALTIME"; }
since() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.2f", b - a }'; }
median() { sort -n | awk '{ v[NR] = $1 } END { printf "%.2f", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
row() { printf '  %-44s %8s s   %s\n' "$@"; }
load() { cut -d' ' -f1-3 /proc/loadavg; }

# The services iamcreds lists with AllUsers (awsclient.ScanServices).
services=(codecommit.amazonaws.com cassandra.amazonaws.com bedrock.amazonaws.com logs.amazonaws.com
	cloudwatch.amazonaws.com aws-external-anthropic.amazonaws.com)

echo "load average at the start: $(load) ($(nproc) cores)"

for seed in "${seeds[@]}"; do
	out=$tmp/endpoint.out
	"$bin" local-iam --seed "$seed" --latency "$latency" --addr 127.0.0.1:0 >"$out" 2>&1 &
	pid=$!
	pids+=("$pid")
	url=
	for _ in $(seq 600); do
		url=$(sed -n 's/^listening on //p' "$out" | head -n1)
		[[ -n $url ]] && grep -q ' ACTIVE \| SUSPENDED ' "$out" && break
		sleep 0.1
	done
	[[ -n $url ]] || { echo "org-audit-vs-cli: local-iam did not start:" >&2; cat "$out" >&2; exit 1; }
	sleep 0.5 # the account table follows the first line
	accounts=$(awk 'length($1) == 12 && $1 ~ /^[0-9]+$/' "$out" | wc -l)
	active=$(awk 'length($1) == 12 && $1 ~ /^[0-9]+$/ && $3 == "ACTIVE"' "$out" | wc -l)
	mgmt=$(awk 'length($1) == 12 && $1 ~ /^[0-9]+$/ && /management account/ { print $1 }' "$out")
	echo
	echo "== seed $seed, latency $latency: $accounts accounts, $active ACTIVE (management $mgmt)"

	# The floor: ListAccounts' pages, then ceil(active / 8) waves of two round trips.
	pages=$(((accounts + 19) / 20))
	waves=$(((active + 7) / 8))
	floor_rt=$((pages + 2 * waves))
	floor=$(awk -v n="$floor_rt" -v ms="$rtt_ms" 'BEGIN { printf "%.2f", n * ms / 1000 }')

	# (a) iamcreds audit --org, --runs times.
	times=()
	for ((i = 0; i < runs; i++)); do
		t=$(secs)
		code=0
		"$bin" audit --org --endpoint-url "$url" --format csv >"$tmp/org.csv" || code=$?
		times+=("$(since "$t")")
		((code == 0)) || { echo "org-audit-vs-cli: iamcreds audit --org exited $code" >&2; exit 1; }
	done
	t_audit=$(printf '%s\n' "${times[@]}" | median)
	creds=$(grep -vc '^#\|^account,' "$tmp/org.csv" || true)
	read_accounts=$(awk -F, '!/^#/ && NR > 2 { a[$1] } END { print length(a) }' "$tmp/org.csv")
	row "iamcreds audit --org (median of $runs)" "$t_audit" "$creds credentials of $read_accounts accounts; runs: ${times[*]}"
	row "round-trip floor at concurrency 8" "$floor" "$floor_rt round trips × $latency ($pages ListAccounts pages + $waves waves × 2)"
	echo "  iamcreds is $(awk -v a="$t_audit" -v f="$floor" 'BEGIN { printf "%.1f", a / f }')× its round-trip floor (goal ≤ 5×)"

	# (b) the AWS CLI script.
	t=$(secs)
	aws --endpoint-url "$url" organizations list-accounts \
		--query 'Accounts[?Status==`ACTIVE`].Id' --output text | tr '\t' '\n' | sed '/^$/d' >"$tmp/ids"
	t_list=$(since "$t")
	[[ $(wc -l <"$tmp/ids") == "$active" ]] || { echo "org-audit-vs-cli: the CLI listed $(wc -l <"$tmp/ids") ACTIVE accounts, want $active" >&2; exit 1; }
	sample=$active
	[[ $cli_accounts != all ]] && ((cli_accounts < active)) && sample=$cli_accounts
	t=$(secs)
	while read -r id; do
		if [[ $id == "$mgmt" ]]; then
			env=()
		else
			read -r key secret token < <(aws --endpoint-url "$url" sts assume-role \
				--role-arn "arn:aws:iam::$id:role/OrganizationAccountAccessRole" --role-session-name bench \
				--query 'Credentials.[AccessKeyId,SecretAccessKey,SessionToken]' --output text)
			env=(AWS_ACCESS_KEY_ID="$key" AWS_SECRET_ACCESS_KEY="$secret" AWS_SESSION_TOKEN="$token")
		fi
		n=0
		for svc in "${services[@]}"; do # the CLI has no paginator for this action: follow Marker
			marker=()
			while :; do
				read -r c truncated next < <(env "${env[@]}" aws --endpoint-url "$url" iam list-service-specific-credentials \
					--all-users --service-name "$svc" --max-items 1000 "${marker[@]}" \
					--query '[length(ServiceSpecificCredentials), IsTruncated, Marker]' --output text)
				n=$((n + c))
				[[ $truncated == True ]] || break
				marker=(--marker "$next")
			done
		done
		want=$(awk -F, -v id="$id" '!/^#/ && $1 == id { n++ } END { print n + 0 }' "$tmp/org.csv")
		[[ $n == "$want" ]] || { echo "org-audit-vs-cli: the CLI listed $n credentials in $id, iamcreds $want" >&2; exit 1; }
	done < <(head -n "$sample" "$tmp/ids")
	t_loop=$(since "$t")
	t_cli=$(awk -v l="$t_list" -v s="$t_loop" -v n="$sample" -v N="$active" 'BEGIN { printf "%.1f", l + s * N / n }')
	if ((sample < active)); then
		row "aws CLI: list-accounts, assume-role, --all-users" "$t_cli" "EXTRAPOLATED from $sample of $active accounts (list-accounts ${t_list} s + ${t_loop} s for $sample accounts)"
	else
		row "aws CLI: list-accounts, assume-role, --all-users" "$t_cli" "all $active accounts"
	fi
	echo "  iamcreds audit --org is $(awk -v c="$t_cli" -v a="$t_audit" 'BEGIN { printf "%.0f", c / a }')× faster than the CLI script"

	kill "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
done

echo
echo "load average at the end: $(load)"
