#!/usr/bin/env bash
# pm serve after one save: the benchmark behind issue 21, item 4 (from the
# file's save to the new page being served, under 300 ms at 10,000 records).
#
#   benches/serve.sh                     10,000 records, 10 runs of each edit
#   benches/serve.sh --n 1000 --runs 5
#   benches/serve.sh --corpus /dev/shm/lint-10k   copy that corpus instead of generating one
#   benches/serve.sh --against /tmp/pm-old        the same edits, served by another pm too
#
# Options:
#   --n N             corpus size (default 10000)
#   --runs N          runs of each edit (default 10)
#   --corpus DIR      copy this repository (read-only; never written) instead of
#                     running gen_corpus
#   --pm BIN          time BIN instead of building this checkout's pm
#   --against BIN     also time BIN (say, a build of an older commit), on its
#                     own copy of the corpus, after this pm
#   --storage WHERE   `tmpfs` (/dev/shm, default) or `disk` ($TMPDIR or /var/tmp)
#   --keep            keep the work folder
#   --tsv FILE        also write this pm's rows to FILE, tab-separated
#                     (what, runs, median ms, max ms; `what` is first, body,
#                     title, own or reported): how compare.sh reads them
#
# Each binary serves its own copy of the corpus (`pm serve -p 0`). Once the
# first build is served, the script picks the newest incident (the first one
# page 1 of the index links to) and, run after run, alternates two edits:
#   body   appends a sentence to the record's body; done when the incident's
#          page has the sentence;
#   title  rewrites its `title`; done when both its page and the index's
#          page 1 show the new title.
# The time is from just before the file is written to the first response that
# has the new content, polling the server with curl (a poll costs a few ms).
# It includes the watcher's debounce, the rebuild and the swap of the served
# site: what an author waits for between saving and seeing the page reload
# (the browser reloads on the live-reload socket's message, sent on the same
# swap). The table gives the median and the slowest run of each edit, and the
# times `pm serve` itself reports: the whole rebuild, and when the saved
# record's own pages were served (a rebuild serves them first, then renders
# the files across records, the pages looked at last first).
set -euo pipefail

# shellcheck source=benches/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$here"

n=10000
runs=10
corpus=""
against=""
pm=""
storage="tmpfs"
keep=0
tsv=""

while [ $# -gt 0 ]; do
    case "$1" in
        --n) n="$2"; shift ;;
        --runs) runs="$2"; shift ;;
        --corpus) corpus="$2"; shift ;;
        --pm) pm="$2"; shift ;;
        --against) against="$2"; shift ;;
        --storage) storage="$2"; shift ;;
        --keep) keep=1 ;;
        --tsv) tsv="$2"; shift ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) echo "serve.sh: unknown option \`$1\` (see --help)" >&2; exit 2 ;;
    esac
    shift
done

say() { printf '%s\n' "serve.sh: $*" >&2; }

command -v curl >/dev/null || { say "curl is required"; exit 2; }
if [ -n "$against" ] && [ ! -x "$against" ]; then
    say "\`$against\` is not an executable"
    exit 2
fi

target_dir=$(cargo_target_dir)
gen="$target_dir/release/examples/gen_corpus"
if [ -z "$pm" ]; then
    say "building pm (release)"
    cargo build --release --quiet --bin pm
    pm="$target_dir/release/pm"
fi
if [ -z "$corpus" ]; then
    say "building the corpus generator (release)"
    cargo build --release --quiet --example gen_corpus
fi
[ -x "$pm" ] || { say "\`$pm\` is not an executable"; exit 2; }

work_folders pm-serve "$storage" "$keep"
case $storage in
    tmpfs) base="$shm_work" ;;
    disk) base="$work" ;;
    *) say "unknown storage \`$storage\` (disk or tmpfs)"; exit 2 ;;
esac
results="$work/results.tsv"
: >"$results"
server_pid=""
stop_server() {
    if [ -n "$server_pid" ]; then
        kill "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
        server_pid=""
    fi
}
trap 'stop_server; remove_work_folders' EXIT

if [ -z "$corpus" ]; then
    say "generating $n records"
    "$gen" --n "$n" --out "$base/corpus" 2>/dev/null
    corpus="$base/corpus"
else
    n=$(find "$corpus/incidents" -name '*.md' | wc -l)
fi
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

now_ms() { echo $(($(date +%s%N) / 1000000)); }

# wait_for URL TEXT...: polls until the page at URL has every TEXT.
wait_for() {
    local url=$1 page t missing
    shift
    while :; do
        page=$(curl -s --max-time 5 "$url" || true)
        missing=0
        for t in "$@"; do
            case $page in *"$t"*) ;; *) missing=1 ;; esac
        done
        [ "$missing" = 0 ] && return 0
        sleep 0.005
    done
}

# settle LOG: waits until pm serve has finished every rebuild it started:
# as many `built`/`rebuilt` status lines as rebuilds, at most 5 minutes.
# (An older pm, which has no stages, logs each rebuild once too.)
settled=0
settle() {
    local log=$1 waited=0
    settled=$((settled + 1))
    while [ "$(grep -c -E '^(re)?built ' "$log" || true)" -lt "$settled" ] && [ "$waited" -lt 3000 ]; do
        sleep 0.1
        waited=$((waited + 1))
    done
    sleep 0.3
}

# run_binary LABEL BIN
run_binary() {
    local label=$1 bin=$2 repo="$base/repo-$1" log="$work/serve-$1.log" out="$work/url-$1"
    rm -rf "$repo"
    cp -r "$corpus" "$repo"
    local started
    settled=0
    started=$(now_ms)
    "$bin" --root "$repo" serve -p 0 >"$out" 2>"$log" &
    server_pid=$!
    local url=""
    while [ -z "$url" ]; do
        kill -0 "$server_pid" 2>/dev/null || { say "$label: pm serve stopped"; tail -n 5 "$log" >&2; exit 1; }
        url=$(sed -n 's/^serving the site at //p' "$out")
        sleep 0.05
    done
    wait_for "${url}index.html" "</html>"
    local first=$(($(now_ms) - started))
    say "$label: first build served after $first ms at $url"
    printf '%s\tfirst\t%s\n' "$label" "$first" >>"$results"
    # The newest incident: the first one page 1 of the index links to.
    local id file
    id=$(curl -s "${url}index.html" | grep -o 'href="incidents/[^/"]*/' | awk -F/ 'NR == 1 {print $2}')
    [ -n "$id" ] || { say "no incident on the index"; exit 1; }
    file=$(find "$repo/incidents" -name "$id.md" -o -path "*/$id/index.md" | awk 'NR == 1')
    [ -n "$file" ] || { say "no file for incident \`$id\`"; exit 1; }
    say "$label: editing $id (${file#"$repo"/})"
    local page="${url}incidents/$id/" r start took marker
    # Each edit starts once the last rebuild is done (pm serve logs it), so
    # none stops the one before (a save stops a rebuild's last stage).
    settle "$log"
    for r in $(seq 1 "$runs"); do
        marker="Bench sentence $label $r $$."
        start=$(now_ms)
        printf '\n%s\n' "$marker" >>"$file"
        wait_for "$page" "$marker"
        took=$(($(now_ms) - start))
        printf '%s\tbody\t%s\n' "$label" "$took" >>"$results"
        settle "$log"
        marker="Bench title $label $r $$"
        sed "s/^title = .*/title = \"$marker\"/" "$file" >"$work/edited.md"
        start=$(now_ms)
        cat "$work/edited.md" >"$file"
        wait_for "$page" "$marker"
        wait_for "${url}index.html" "$marker"
        took=$(($(now_ms) - start))
        printf '%s\ttitle\t%s\n' "$label" "$took" >>"$results"
        say "$label: run $r of $runs: body $(tail -n 2 "$results" | head -n 1 | cut -f3) ms, title $took ms"
        settle "$log"
    done
    stop_server
    # What pm serve itself reports for each rebuild, in seconds.
    sed -n 's/.*rebuilt .* in \([0-9.]*\) s.*/\1/p' "$log" | while read -r s; do
        printf '%s\treported\t%s\n' "$label" "$(awk "BEGIN {printf \"%d\", $s * 1000}")" >>"$results"
    done
    sed -n 's/.*rebuilt .* served after \([0-9.]*\) s.*/\1/p' "$log" | while read -r s; do
        printf '%s\town\t%s\n' "$label" "$(awk "BEGIN {printf \"%d\", $s * 1000}")" >>"$results"
    done
    rm -rf "$repo"
}

run_binary pm "$pm"
if [ -n "$against" ]; then
    run_binary against "$against"
fi
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

printf '\n%s\n' "pm serve, $n records on $storage, $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), pm at $(git rev-parse --short HEAD 2>/dev/null || echo '?'); load average before $load_before, after $load_after"
[ -n "$against" ] && printf '%s\n' "against: $against"
printf '\n| binary | what | runs | ms: median | ms: max |\n'
printf '|---|---|---|---|---|\n'
sort -t$'\t' -k1,1 -k2,2 -s "$results" | awk -F'\t' -v tsv="$tsv" '
function median(a, n,   i, j, t) {
    for (i = 2; i <= n; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
    return (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
function name(w) {
    if (w == "first") return "first build, until served"
    if (w == "body") return "save → page served: body sentence"
    if (w == "title") return "save → page and index served: title"
    if (w == "own") return "the saved record pages served, as pm serve reports it"
    return "whole rebuild as pm serve reports it"
}
function flush() {
    if (k == 0) return
    printf "| %s | %s | %d | %.0f | %d |\n", b, name(w), k, median(v, k), hi
    if (tsv != "" && b == "pm") printf "%s\t%d\t%.0f\t%d\n", w, k, median(v, k), hi > tsv
    k = 0
}
{
    key = $1 SUBSEP $2
    if (key != last) { flush(); last = key; b = $1; w = $2; hi = $3 }
    k++; v[k] = $3
    if ($3 > hi) hi = $3
}
END { flush() }'
