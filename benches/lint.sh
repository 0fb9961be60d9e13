#!/usr/bin/env bash
# pm lint alone, over generated repositories: the benchmark behind issue 3's
# goal (under one second at 10,000 incidents on the 2-core machine).
#
#   benches/lint.sh                      10,000 records, 10 runs, disk
#   benches/lint.sh --sizes "1000 10000 50000" --storage "disk tmpfs" --git
#   benches/lint.sh --against /tmp/pm-old   the same runs, interleaved, with another pm
#
# Options:
#   --sizes "N ..."   corpus sizes (default: 10000)
#   --runs N          runs per binary and size (default 10; sizes above 20,000 get at most 5)
#   --storage LIST    `disk` (a new folder under $TMPDIR or /var/tmp) and/or `tmpfs`
#                     (/dev/shm); default "disk"
#   --git             also lint a repository with a long git history
#                     (gen_corpus --git; sizes up to 10,000 only)
#   --against BIN     also time BIN (say, a build of an older commit) in the same
#                     rounds, alternating with this pm, so both see the same machine
#   --keep            keep the work folder
#
# Each run is `pm lint --today 2026-12-01` with its report on stderr going to a
# file, as in CI; the page cache is warm (the corpus was just written). Wall
# time is measured around the process; peak RSS, user and system time come
# from GNU time. The table gives the median and, in brackets, the fastest and
# slowest run: on a shared machine the spread says how much to trust the median.
set -euo pipefail

# shellcheck source=benches/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$here"

sizes="10000"
runs=10
storage="disk"
git_repo=0
against=""
keep=0
today="2026-12-01"

while [ $# -gt 0 ]; do
    case "$1" in
        --sizes) sizes="$2"; shift ;;
        --runs) runs="$2"; shift ;;
        --storage) storage="$2"; shift ;;
        --git) git_repo=1 ;;
        --against) against="$2"; shift ;;
        --keep) keep=1 ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) echo "lint.sh: unknown option \`$1\` (see --help)" >&2; exit 2 ;;
    esac
    shift
done

say() { printf '%s\n' "lint.sh: $*" >&2; }

[ -x /usr/bin/time ] || { say "GNU time (/usr/bin/time, Debian package \`time\`) is required"; exit 2; }
if [ -n "$against" ] && [ ! -x "$against" ]; then
    say "\`$against\` is not an executable"
    exit 2
fi

say "building pm and the corpus generator (release)"
cargo build --release --quiet --bin pm --example gen_corpus
target_dir=$(cargo_target_dir)
pm="$target_dir/release/pm"
gen="$target_dir/release/examples/gen_corpus"
[ -x "$pm" ] && [ -x "$gen" ] || { say "pm or gen_corpus was not built"; exit 2; }

work_folders pm-lint "$storage" "$keep"
results="$work/results.tsv"
: >"$results"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

# measure LABEL STORAGE SIZE -- command...
measure() {
    local label=$1 storage=$2 size=$3
    shift 4
    local start end status=0
    start=$(date +%s%N)
    /usr/bin/time -v -o "$work/time.txt" "$@" >"$work/out.txt" 2>"$work/err.txt" || status=$?
    end=$(date +%s%N)
    # pm lint exits 1 when a finding is an error; anything else stops the run.
    if [ "$status" -gt 1 ]; then
        say "failed ($status): $*"
        tail -n 5 "$work/err.txt" >&2
        exit 1
    fi
    local rss user sys
    rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time.txt")
    user=$(awk -F': ' '/User time \(seconds\)/ {print $2}' "$work/time.txt")
    sys=$(awk -F': ' '/System time \(seconds\)/ {print $2}' "$work/time.txt")
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$storage" "$size" "$label" \
        $(((end - start) / 1000000)) "$rss" "$user" "$sys" >>"$results"
    printf '  %-28s %6.2f s, %7.1f MB\n' "$label" \
        "$(awk "BEGIN {print $(((end - start) / 1000000)) / 1000}")" "$(awk "BEGIN {print $rss / 1024}")" >&2
}

bench() {
    local storage=$1 corpus=$2 n=$3 label_suffix=$4 n_runs=$5
    local r
    for r in $(seq 1 "$n_runs"); do
        say "[$storage] $n records$label_suffix, round $r of $n_runs"
        if [ -n "$against" ] && [ $((r % 2)) = 0 ]; then
            measure "--against$label_suffix" "$storage" "$n" -- "$against" --root "$corpus" lint --today "$today"
        fi
        measure "pm lint$label_suffix" "$storage" "$n" -- "$pm" --root "$corpus" lint --today "$today"
        if [ -n "$against" ] && [ $((r % 2)) = 1 ]; then
            measure "--against$label_suffix" "$storage" "$n" -- "$against" --root "$corpus" lint --today "$today"
        fi
    done
}

for where in $storage; do
    case $where in
        disk) base="$work" ;;
        tmpfs) base="$shm_work" ;;
        *) say "unknown storage \`$where\` (disk or tmpfs)"; exit 2 ;;
    esac
    for n in $sizes; do
        n_runs=$runs
        if [ "$n" -gt 20000 ] && [ "$n_runs" -gt 5 ]; then n_runs=5; fi
        say "[$where] generating $n records"
        "$gen" --n "$n" --out "$base/pm-$n" 2>/dev/null
        bench "$where" "$base/pm-$n" "$n" "" "$n_runs"
        rm -rf "${base:?}/pm-$n"
        if [ "$git_repo" = 1 ] && [ "$n" -le 10000 ]; then
            say "[$where] generating $n records with git history"
            "$gen" --n "$n" --out "$base/git-$n" --git 2>"$work/gen-git.txt"
            bench "$where" "$base/git-$n" "$n" ", git ($(grep -o '[0-9]* commits' "$work/gen-git.txt"))" "$n_runs"
            rm -rf "${base:?}/git-$n"
        fi
    done
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

printf '\n%s\n' "pm lint, $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), pm at $(git rev-parse --short HEAD 2>/dev/null || echo '?'); load average before $load_before, after $load_after"
[ -n "$against" ] && printf '%s\n' "--against: $against"
printf '\n| storage | records | binary | runs | wall, s: median (min–max) | CPU, s (median) | peak RSS, MB: median |\n'
printf '|---|---|---|---|---|---|---|\n'
sort -t$'\t' -k1,1 -k2,2n -k3,3 "$results" | awk -F'\t' '
function median(a, n,   i, j, t) {
    for (i = 2; i <= n; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
    return (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
function flush() {
    if (k == 0) return
    printf "| %s | %s | %s | %d | %.2f (%.2f–%.2f) | %.2f | %.0f |\n", st, sz, tl, k, \
        median(wall, k) / 1000, lo / 1000, hi / 1000, median(cpu, k), median(rss, k) / 1024
    k = 0
}
{
    key = $1 SUBSEP $2 SUBSEP $3
    if (key != last) { flush(); last = key; st = $1; sz = $2; tl = $3; lo = $4; hi = $4 }
    k++; wall[k] = $4; rss[k] = $5; cpu[k] = $6 + $7
    if ($4 < lo) lo = $4
    if ($4 > hi) hi = $4
}
END { flush() }'
