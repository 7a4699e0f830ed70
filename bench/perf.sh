#!/usr/bin/env bash
# bench/perf.sh — iamcreds' figures at scale, side by side with the AWS CLI, on
# the same local IAM endpoint (iamcreds local-iam --seed scale:N --latency L),
# written to docs/performance.md with the machine they were taken on (what
# follows the page's "bench/perf.sh rewrites what is above this line" marker
# is kept).
#
#   bench/perf.sh [--sizes 1000,5000,20000] [--reps 5] [--cli-reps 3] [--sample 20]
#                 [--latency 20ms] [--rate 500/s] [--burst 50] [--fallback-users 5000]
#                 [--baseline BIN [--baseline-label NAME] [--baseline-concurrency "8 16"]]
#                 [--no-cli] [--no-tui] [--out FILE|-]
#
# For each N: iamcreds audit --format json (median of --reps runs: wall time and
# peak RSS; requests and the round-trip floor from one more run with --debug),
# the AWS CLI's --all-users listing per service (median of --cli-reps), and the
# per-user CLI loop a person would script, which takes about a second a user:
# it runs for --sample users and is EXTRAPOLATED linearly to N, and says so.
# Then the per-user fallback (AllUsers denied) at --fallback-users users, on an
# endpoint that does not throttle and on one limited to --rate, with what the
# adaptive concurrency did; and, with tmux, the terminal UI's peak RSS with the
# fleet view loaded at the largest N. --baseline BIN measures another build's
# audit, fallback (at each --baseline-concurrency) and UI beside this one, e.g.
# one built from main; the report calls it --baseline-label.
#
# Peak RSS is GNU time's maximum resident set size. IAMCREDS_BIN=path uses a
# built binary instead of building one.
set -euo pipefail

sizes=1000,5000,20000
reps=5
cli_reps=3
sample=20
latency=20ms
rate=500/s
burst=50
fallback_users=5000
baseline=
cli=1
tui=1
root=$(cd "$(dirname "$0")/.." && pwd)
out=$root/docs/performance.md
baseline_label=baseline
baseline_conc=8
usage() { sed -n '2,29s/^# \{0,1\}//p' "$0"; }
while (($#)); do
	case $1 in
	--sizes) sizes=$2; shift 2 ;;
	--reps) reps=$2; shift 2 ;;
	--cli-reps) cli_reps=$2; shift 2 ;;
	--sample) sample=$2; shift 2 ;;
	--latency) latency=$2; shift 2 ;;
	--rate) rate=$2; shift 2 ;;
	--burst) burst=$2; shift 2 ;;
	--fallback-users) fallback_users=$2; shift 2 ;;
	--baseline) baseline=$2; shift 2 ;;
	--baseline-label) baseline_label=$2; shift 2 ;;
	--baseline-concurrency) baseline_conc=$2; shift 2 ;;
	--no-cli) cli=0; shift ;;
	--no-tui) tui=0; shift ;;
	--out) out=$2; shift 2 ;;
	-h | --help) usage; exit 0 ;;
	*) echo "perf: unknown argument $1 (see --help)" >&2; exit 2 ;;
	esac
done
for v in reps cli_reps sample fallback_users; do
	[[ ${!v} =~ ^[1-9][0-9]*$ ]] || { echo "perf: --${v//_/-} wants a positive number" >&2; exit 2; }
done
[[ $sizes =~ ^[1-9][0-9]*(,[1-9][0-9]*)*$ ]] || { echo "perf: --sizes wants numbers separated by commas" >&2; exit 2; }
[[ -x /usr/bin/time ]] && /usr/bin/time -f %M true 2>/dev/null ||
	{ echo "perf: GNU time is needed for peak RSS (apt-get install time)" >&2; exit 2; }
if ((cli)) && ! command -v aws >/dev/null; then
	echo "perf: the AWS CLI (aws) is not installed; --no-cli leaves it out" >&2
	exit 2
fi
if ((tui)) && ! command -v tmux >/dev/null; then
	echo "perf: tmux is not installed: no TUI figure" >&2
	tui=0
fi
[[ -z $baseline || -x $baseline ]] || { echo "perf: --baseline $baseline is not an executable" >&2; exit 2; }

tmp=$(mktemp -d)
pids=()
tmux_runs=0 # each TUI run has a tmux server of its own: perf-PID-RUN
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	for ((r = 1; r <= tmux_runs; r++)); do tmux -L "perf-$$-$r" kill-server 2>/dev/null || true; done
	rm -rf "$tmp"
}
trap cleanup EXIT

# Dummy keys and no profile or config files: nothing here may reach real AWS.
export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE AWS_SECRET_ACCESS_KEY=bench AWS_SESSION_TOKEN=
export AWS_DEFAULT_REGION=us-east-1 AWS_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true AWS_PAGER=
export AWS_CONFIG_FILE=$tmp/aws-config AWS_SHARED_CREDENTIALS_FILE=$tmp/aws-credentials
export XDG_CONFIG_HOME=$tmp/xdg # no iamcreds settings file either
unset AWS_PROFILE AWS_DEFAULT_PROFILE AWS_ENDPOINT_URL AWS_ENDPOINT_URL_IAM AWS_ENDPOINT_URL_STS

bin=${IAMCREDS_BIN:-}
if [[ -z $bin ]]; then
	echo "building iamcreds…" >&2
	(cd "$root" && go build -o "$tmp/iamcreds" .)
	bin=$tmp/iamcreds
fi

# start_endpoint NAME [local-iam flags…]: starts local-iam on a free port and
# sets the variable NAME to its URL, read from its "listening on" line.
start_endpoint() {
	local name=$1 log=$tmp/$1.out
	shift
	"$bin" local-iam --latency "$latency" --addr 127.0.0.1:0 "$@" >"$log" 2>&1 &
	pids+=($!)
	printf -v "${name}_pid" '%s' $!
	for _ in $(seq 600); do
		if grep -q '^listening on ' "$log"; then
			printf -v "$name" '%s' "$(sed -n 's/^listening on //p' "$log" | head -n1)"
			return
		fi
		sleep 0.1
	done
	echo "perf: local-iam did not start:" >&2
	cat "$log" >&2
	exit 1
}
stop_endpoint() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }

# median reads numbers, one a line, and prints their median.
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# measure REPS CMD…: runs CMD REPS times (output thrown away) and sets wall (s),
# peak (MiB) and cpu (user + system, s) to the medians; a failed run stops the
# benchmark.
measure() {
	local n=$1 i
	shift
	: >"$tmp/runs"
	for ((i = 0; i < n; i++)); do run_once "$tmp/runs" "$@"; done
	summarize "$tmp/runs"
}

# measure_pair REPS: runs the arrays A and B in turn, A B A B …, so that a
# drift of the machine's speed falls on both; sets wall, peak and cpu for A
# and bwall and bpeak for B.
measure_pair() {
	local n=$1 i
	: >"$tmp/runs-a"
	: >"$tmp/runs-b"
	for ((i = 0; i < n; i++)); do
		run_once "$tmp/runs-a" "${A[@]}"
		run_once "$tmp/runs-b" "${B[@]}"
	done
	summarize "$tmp/runs-b"
	bwall=$wall bpeak=$peak
	summarize "$tmp/runs-a"
}

# run_once FILE CMD…: runs CMD once and appends GNU time's figures to FILE.
run_once() {
	local file=$1
	shift
	if ! /usr/bin/time -f '%e %M %U %S' -o "$tmp/time" "$@" >/dev/null 2>"$tmp/stderr"; then
		echo "perf: failed: $*" >&2
		cat "$tmp/stderr" >&2
		exit 1
	fi
	tail -n1 "$tmp/time" >>"$file"
}

summarize() {
	wall=$(cut -d' ' -f1 "$1" | median)
	peak=$(cut -d' ' -f2 "$1" | median | awk '{ printf "%.0f", $1 / 1024 }')
	cpu=$(awk '{ print $3 + $4 }' "$1" | median)
}

# requests CMD…: runs CMD once with --debug and sets reqs (requests sent),
# chain (the most ListServiceSpecificCredentials pages of one service),
# user_pages (ListUsers pages) and console (the console-made users whose
# holdings were read: one GetLoginProfile each). The scale seed makes 1% of
# its users console-made (user i when i%100 == 42; awsclient/localiam
# seed_console.go), so scale:20000 has 200, each read with five calls.
requests() {
	rm -f "$tmp/debug.log"
	"$@" --debug "$tmp/debug.log" >/dev/null 2>&1
	reqs=$(grep -c ' request #' "$tmp/debug.log" || true)
	chain=$(grep -o 'Action=ListServiceSpecificCredentials&AllUsers=true[^ ]*' "$tmp/debug.log" |
		grep -o 'ServiceName=[^&]*' | sort | uniq -c | sort -rn | awk 'NR == 1 { print $1 + 0 }')
	chain=${chain:-0}
	user_pages=$(grep -o 'Action=ListUsers' "$tmp/debug.log" | wc -l)
	console=$(grep -o 'Action=GetLoginProfile&UserName=[^&]*' "$tmp/debug.log" | sort -u | wc -l) # retries once
}

# audit_floor sets floor, the audit's round-trip floor in seconds, floor_why,
# and serial: the floor of an audit that reads the console-made users only
# once the whole user list is in (iamcreds before it read them page by page).
# What a console-made user holds is five calls, at most 32 in flight (the
# default --concurrency); they can go out once the first page of users is in,
# beside the rest of the listings. So the floor is the longest of the
# credentials' page chain, the user list's pages, and one page of users
# followed by the reads, times the latency — a lower bound wherever the
# console-made users sort (the scale seed's all sort onto the first page).
audit_floor() {
	local holds=$(((console * 5 + 31) / 32))
	floor=$(awk -v c="$chain" -v u="$user_pages" -v h="$holds" -v l="$lat_ms" \
		'BEGIN { m = c; if (u > m) m = u; if (h > 0 && 1 + h > m) m = 1 + h; printf "%.2f", m * l / 1000 }')
	serial=$(awk -v c="$chain" -v u="$user_pages" -v h="$holds" -v l="$lat_ms" \
		'BEGIN { m = (u + h > c) ? u + h : c; printf "%.2f", m * l / 1000 }')
	floor_why="max($chain credential pages, $user_pages user pages, 1 user page + $holds rounds for $console console-made users) × $latency"
}

# ratio A B prints A ÷ B to one decimal, "-" when B is 0.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1f×", a / b; else print "-" }'; }

lat_ms=$(awk -v l="$latency" 'BEGIN { if (l ~ /ms$/) print l + 0; else if (l ~ /s$/) print (l + 0) * 1000; else print l + 0 }')
services=(codecommit.amazonaws.com cassandra.amazonaws.com bedrock.amazonaws.com logs.amazonaws.com
	cloudwatch.amazonaws.com aws-external-anthropic.amazonaws.com xray.amazonaws.com)
load_before=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo n/a)

declare -a rows fallback_rows
largest=0
IFS=, read -ra ns <<<"$sizes"
for n in "${ns[@]}"; do
	((n > largest)) && largest=$n
	echo "N = $n: starting local-iam --seed scale:$n --latency $latency…" >&2
	start_endpoint url --seed "scale:$n"
	audit=("$bin" audit --endpoint-url "$url" --format json)
	"${audit[@]}" >"$tmp/audit.json"
	creds=$(grep -c '"credential_id"' "$tmp/audit.json")
	requests "${audit[@]}"
	audit_floor
	if [[ -n $baseline ]]; then
		reqs_a=$reqs
		requests "$baseline" audit --endpoint-url "$url" --format json
		breqs=$reqs reqs=$reqs_a
		A=("${audit[@]}") B=("$baseline" audit --endpoint-url "$url" --format json)
		measure_pair "$reps"
	else
		measure "$reps" "${audit[@]}"
	fi
	row="| $n ($creds) | $wall s | $reqs | $peak MiB | $floor s ($floor_why) | $(ratio "$wall" "$floor") ($(ratio "$wall" "$serial") of $serial s) |"
	[[ -n $baseline ]] && row+=" $bwall s, $breqs requests, $bpeak MiB |"
	if ((cli)); then
		cli() { aws --endpoint-url "$url" iam "$@"; }
		# The CLI's --all-users variant: one listing per service, following
		# Marker (the CLI has no paginator for this action), 1000 a page.
		all_users() {
			local svc marker count=0 pages=0 n truncated next
			for svc in "${services[@]}"; do
				marker=()
				while :; do
					read -r n truncated next < <(cli list-service-specific-credentials --all-users --service-name "$svc" \
						--max-items 1000 "${marker[@]}" --query '[length(ServiceSpecificCredentials), IsTruncated, Marker]' --output text)
					count=$((count + n)) pages=$((pages + 1))
					[[ $truncated == True ]] || break
					marker=(--marker "$next")
				done
			done
			echo "$count $pages"
		}
		: >"$tmp/cli-runs"
		for ((i = 0; i < cli_reps; i++)); do
			t0=$EPOCHREALTIME
			read -r all_count all_pages < <(all_users)
			awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.2f\n", b - a }' >>"$tmp/cli-runs"
		done
		[[ $all_count == "$creds" ]] || { echo "perf: --all-users listed $all_count credentials, iamcreds $creds" >&2; exit 1; }
		t_all=$(median <"$tmp/cli-runs")
		# The per-user loop: list-users, then one call per user, in turn.
		t0=$EPOCHREALTIME
		cli list-users --page-size 1000 --query 'Users[].UserName' --output text | tr '\t' '\n' | sed '/^$/d' >"$tmp/users"
		t_users=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.2f", b - a }')
		total=$(wc -l <"$tmp/users")
		s=$((sample < total ? sample : total))
		t0=$EPOCHREALTIME
		while read -r u; do
			cli list-service-specific-credentials --user-name "$u" --query 'length(ServiceSpecificCredentials)' --output text >/dev/null
		done < <(head -n "$s" "$tmp/users")
		t_loop=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.2f", b - a }')
		t_peruser=$(awk -v u="$t_users" -v l="$t_loop" -v s="$s" -v n="$total" 'BEGIN { printf "%.0f", u + l * n / s }')
		row+=" $t_all s ($all_pages requests) | ~$t_peruser s ($((total + (total + 999) / 1000)) requests; EXTRAPOLATED from $s of $total users) |"
	fi
	rows+=("$row")
	echo "  $row" >&2
	if [[ $n == "${ns[-1]}" ]]; then
		# What bounds the largest: the CPU the audit used, and the same audit
		# with no latency at all (a second endpoint of the same seed).
		measure "$reps" "${audit[@]}"
		bound_wall=$wall bound_cpu=$cpu
		start_endpoint fast --seed "scale:$n" --latency 0s
		ticks() { awk '{ print $14 + $15 }' "/proc/$fast_pid/stat" 2>/dev/null || echo 0; }
		t0=$(ticks)
		measure "$reps" "$bin" audit --endpoint-url "$fast" --format json
		fast_wall=$wall
		fast_cpu=$((($(ticks) - t0) * 1000 / $(getconf CLK_TCK) / reps))
		stop_endpoint "$fast_pid"
		bound_line="- What bounds the audit at N = $n: it used **$bound_cpu s of CPU** (user + system) in $bound_wall s;"
		bound_line+=" against an endpoint with **no latency** it takes **$fast_wall s**, and that endpoint used about"
		bound_line+=" $fast_cpu ms of CPU a run on the same $(nproc) cores. When the time without latency is close to the"
		bound_line+=" time with it, the audit is bound by CPU on this machine (most of it the SDK decoding the pages' XML),"
		bound_line+=" not by the $floor s of round trips."
		echo "  $bound_line" >&2
	fi
	if ((tui)) && ((n == largest)) && [[ $n == "${ns[-1]}" ]]; then
		tui_url=$url tui_creds=$creds tui_pid=$url_pid
	else
		stop_endpoint "$url_pid"
	fi
done

# tui_peak BIN: the peak RSS (MiB) of the UI with the fleet view fully loaded.
tui_peak() {
	tmux_runs=$((tmux_runs + 1))
	local t="tmux -L perf-$$-$tmux_runs" pid i
	$t -f /dev/null new-session -d -s tui -x 120 -y 36 -e TERM=xterm-256color "$1" --endpoint-url "$tui_url"
	pid=$($t list-panes -t tui -F '#{pane_pid}')
	for ((i = 0; i < 1200; i++)); do
		$t capture-pane -p -t tui | grep -q ' credentials, read' && break
		sleep 0.1
	done
	$t send-keys -t tui a
	for ((i = 0; i < 1200; i++)); do
		$t capture-pane -p -t tui | grep -q "$tui_creds of $tui_creds credentials" && break
		sleep 0.1
	done
	sleep 1
	awk '/^VmHWM:/ { printf "%.0f", $2 / 1024 }' "/proc/$pid/status"
	$t kill-server
}
tui_line=
if ((tui)) && [[ -n ${tui_url:-} ]] && [[ -r /proc/self/status ]]; then
	echo "the TUI with the fleet view loaded at N = $largest…" >&2
	: >"$tmp/tui-runs"
	for ((r = 0; r < 3; r++)); do tui_peak "$bin" >>"$tmp/tui-runs"; echo >>"$tmp/tui-runs"; done
	tui_line="- The terminal UI with the fleet view fully loaded ($tui_creds credentials of $largest users): peak RSS **$(median <"$tmp/tui-runs") MiB** (median of 3, /proc VmHWM)"
	if [[ -n $baseline ]]; then
		: >"$tmp/tui-runs"
		for ((r = 0; r < 3; r++)); do tui_peak "$baseline" >>"$tmp/tui-runs"; echo >>"$tmp/tui-runs"; done
		tui_line+="; $baseline_label $(median <"$tmp/tui-runs") MiB"
	fi
	tui_line+="."
	stop_endpoint "$tui_pid"
fi

echo "per-user fallback at $fallback_users users (AllUsers denied)…" >&2
start_endpoint plain --seed "scale:$fallback_users" --state "$tmp/state.json"
cp "$tmp/state.json" "$tmp/state-deny.json"
cp "$tmp/state.json" "$tmp/state-rate.json"
start_endpoint deny --state "$tmp/state-deny.json" --deny ListServiceSpecificCredentials:AllUsers
start_endpoint limited --state "$tmp/state-rate.json" --deny ListServiceSpecificCredentials:AllUsers --rate "$rate" --burst "$burst"
# The fallback's report is the AllUsers one, but for its first line (when it
# was generated) and the columns the clock computes (age, days left, flags),
# which may tick between runs.
"$bin" audit --endpoint-url "$plain" --format csv | sed 1d | cut -d, -f1-7,9 >"$tmp/all.csv"
"$bin" audit --endpoint-url "$deny" --format csv | sed 1d | cut -d, -f1-7,9 >"$tmp/fallback.csv"
if ! diff "$tmp/all.csv" "$tmp/fallback.csv" >"$tmp/diff"; then
	echo "perf: the fallback's report differs from the AllUsers one:" >&2
	head -n 20 "$tmp/diff" >&2
	exit 1
fi
# adapt: what the adaptive limit did in the last --debug run.
adapt() {
	local grew cut last
	grew=$(grep -c 'per-user requests: grew' "$tmp/debug.log" || true)
	cut=$(grep -c 'per-user requests: throttled' "$tmp/debug.log" || true)
	last=$(grep -o 'per-user requests: [a-z]*, now [0-9]*' "$tmp/debug.log" | tail -n1 | awk '{ print $NF }')
	throttled=$(grep -c '<Code>Throttling</Code>' "$tmp/debug.log" || true)
	echo "limit grew $grew times, halved $cut times, ended at ${last:-8}; $throttled requests throttled"
}
rate_per_s=$(awk -v r="$rate" 'BEGIN { n = r + 0; if (r ~ /\/m$/) n /= 60; print n }')
for kind in deny limited; do
	url=${!kind}
	requests "$bin" audit --endpoint-url "$url" --format json
	what=$(adapt)
	# Each user's listing, and the console-made users' five reads each, share
	# the 32 requests in flight.
	if [[ $kind == deny ]]; then
		label="does not throttle"
		floor=$(awk -v n="$fallback_users" -v c="$console" -v l="$lat_ms" \
			'BEGIN { printf "%.2f s ((%d users + %d reads of %d console-made users) ÷ 32 in flight × %d ms)", (n + 5 * c) / 32 * l / 1000, n, 5 * c, c, l }')
	else
		label="limits the account to $rate (burst $burst)"
		floor=$(awk -v n="$fallback_users" -v c="$console" -v r="$rate_per_s" -v b="$burst" \
			'BEGIN { printf "%.2f s ((%d users + %d reads − %d) ÷ %g/s)", (n + 5 * c - b) / r, n, 5 * c, b, r }')
	fi
	measure "$reps" "$bin" audit --endpoint-url "$url" --format json
	row="| endpoint that $label | $wall s | $reqs | $peak MiB | $floor | $what |"
	if [[ -n $baseline ]]; then
		cells=()
		for c in $baseline_conc; do
			measure "$reps" "$baseline" audit --endpoint-url "$url" --format json --concurrency "$c"
			cells+=("--concurrency $c: $wall s, $peak MiB")
		done
		row+=" $(printf '%s; ' "${cells[@]}" | sed 's/; $//') |"
	fi
	fallback_rows+=("$row")
	echo "  $row" >&2
done

load_after=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo n/a)
cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)
version=$("$bin" --version 2>/dev/null | head -n1 || true)

report() {
	echo "# Performance"
	echo
	echo "Measured by \`bench/perf.sh\` on $(date -u +%Y-%m-%d) against \`iamcreds local-iam --seed scale:N --latency $latency\`"
	echo "on the same machine as the clients. Times are wall-clock medians of $reps runs of the whole command; peak RSS is"
	echo "the median of GNU time's maximum resident set size (a build to compare with runs in turn with iamcreds); requests and the page chains come from one more run with"
	echo "\`--debug\`. The round-trip floor is the longest of: the chain of pages one service needs, the user list's"
	echo "pages, and one page of users followed by the reads of the console-made users (1% of the scale seed's users,"
	echo "all on the first page of 1,000; five calls each, 32 in flight) — × the latency: no client that pages through"
	echo "IAM's results, 32 requests at a time, can finish sooner. In brackets, the floor of an audit that reads the"
	echo "console-made users only once the whole user list is in (what iamcreds did before it read them page by page)."
	echo
	echo "Machine: $(nproc) cores${cpu:+ ($cpu)}, Go $(go env GOVERSION 2>/dev/null | sed 's/^go//'), ${version:-iamcreds}."
	echo "Load average (1, 5, 15 min): $load_before before, $load_after after. The machine is shared: with a load"
	echo "above the core count the CPU-bound parts (the SDK decodes about 15 ms of XML a page of 1,000) stretch,"
	echo "and the figures with them."
	echo
	local head="| N users (credentials) | \`iamcreds audit --format json\` | requests | peak RSS | round-trip floor | audit ÷ floor (÷ the listing-then-reads floor) |"
	local rule="|---|---|---|---|---|---|"
	[[ -n $baseline ]] && head+=" $baseline_label |" && rule+="---|"
	if ((cli)); then
		head+=" AWS CLI \`--all-users\`, per service | AWS CLI per-user loop |"
		rule+="---|---|"
	fi
	echo "$head"
	echo "$rule"
	printf '%s\n' "${rows[@]}"
	echo
	if [[ -n ${bound_line:-} ]]; then
		echo "$bound_line"
		echo
	fi
	if ((cli)); then
		echo "The CLI columns: one \`list-service-specific-credentials --all-users\` listing per service, following"
		echo "\`Marker\` page by page (median of $cli_reps); and \`list-users\` followed by one"
		echo "\`list-service-specific-credentials --user-name\` per user, one after another, as a script would — it costs"
		echo "about a second a user (a Python start-up each), so it runs for $sample users and is extrapolated linearly."
		echo
	fi
	echo "## The per-user fallback"
	echo
	echo "$fallback_users users, \`ListServiceSpecificCredentials\` with \`AllUsers\` denied, so iamcreds lists them one by"
	echo "one: it starts with 8 requests in flight, grows while IAM answers and halves on Throttling (up to"
	echo "\`--concurrency\`, default 32, shared with the reads of the console-made users, which go on meanwhile)."
	echo "The report is checked to be the AllUsers one."
	echo
	local fhead="| $fallback_users users, AllUsers refused | \`iamcreds audit --format json\` | requests | peak RSS | floor | the adaptive limit |"
	local frule="|---|---|---|---|---|---|"
	[[ -n $baseline ]] && fhead+=" $baseline_label |" && frule+="---|"
	echo "$fhead"
	echo "$frule"
	printf '%s\n' "${fallback_rows[@]}"
	echo
	if [[ -n $tui_line ]]; then
		echo "## The terminal UI"
		echo
		echo "$tui_line"
		echo
	fi
	echo "Run it again with \`bench/perf.sh\` (\`--help\` for the options)."
}
if [[ $out == - ]]; then
	report
else
	mkdir -p "$(dirname "$out")"
	# What follows the marker (sections written by hand, other benchmarks')
	# stays as it is.
	marker='<!-- bench/perf.sh rewrites what is above this line and keeps what follows it -->'
	kept=
	if [[ -f $out ]]; then kept=$(awk -v m="$marker" 'found { print } $0 == m { found = 1 }' "$out"); fi
	{
		report
		echo
		echo "$marker"
		if [[ -n $kept ]]; then printf '%s\n' "$kept"; fi
	} >"$tmp/report.md"
	mv "$tmp/report.md" "$out"
	report
	echo "written to $out" >&2
fi
