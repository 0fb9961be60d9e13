#!/usr/bin/env bash
# pm's git history pass against `git log --name-only --no-merges`, the single
# pass Hugo's GitInfo runs, on generated repositories with a long history:
# every record in one folder (flat) and records sharded by year.
#
#   benches/git_history.sh                10,000 records, 30,000 commits, both layouts, 3 runs
#   benches/git_history.sh --quick        1,000 records, 3,000 commits, 3 runs: a check
#   benches/git_history.sh --packed       also time packed clones of them, as CI checks them out
#
# Options:
#   --n N             records (default 10000)
#   --commits N       commits asked of the generator (default 30000; it makes a few more)
#   --runs N          runs per tool and repository (default 3)
#   --quick           --n 1000 --commits 3000 --runs 3
#   --layouts LIST    "flat sharded" (default) or one of them
#   --packed          also time a clone of each repository (`git clone --no-local`:
#                     one pack with deltas, as a CI checkout holds it; takes minutes,
#                     git searches deltas between 30,000 versions of a folder)
#   --work DIR        where the repositories go (default: new, under $TMPDIR or
#                     /var/tmp; 10,000 flat records with 30,000 commits are 4 GB
#                     of loose objects); removed at the end unless --keep
#   --keep            keep the work folder
#   --doc FILE        the Markdown file whose `git_history.sh` block is replaced
#                     (default docs/performance.md; only the part between the
#                     markers is rewritten; without markers the block is appended)
#   --no-doc          print the table only
#
# The repositories are made once (examples/gen_corpus.rs --git --commits N
# --layout flat|sharded, loose objects). Each round then runs, for every
# repository, pm's pass (examples/history_pass.rs: pm::source::git::history
# over every record file, as `pm build` calls it) and git log, alternating
# which goes first. Wall time is taken around the process; peak RSS, user and
# system time come from GNU time (`/usr/bin/time -v`). Before the rounds,
# every object file is read once so both tools start from a warm page cache.
# The first round also checks that both found the same number of record
# revisions (git's file lines under incidents/ and playbooks/).
set -euo pipefail

# shellcheck source=benches/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

script_args="$*"
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$here"

n=10000
commits=30000
runs=3
layouts="flat sharded"
packed=0
work=""
keep=0
doc="docs/performance.md"
write_doc=1

while [ $# -gt 0 ]; do
    case "$1" in
        --n) n="$2"; shift ;;
        --commits) commits="$2"; shift ;;
        --runs) runs="$2"; shift ;;
        --quick) n=1000; commits=3000; runs=3 ;;
        --layouts) layouts="$2"; shift ;;
        --packed) packed=1 ;;
        --work) work="$2"; shift ;;
        --keep) keep=1 ;;
        --doc) doc="$2"; shift ;;
        --no-doc) write_doc=0 ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) echo "git_history.sh: unknown option \`$1\` (see --help)" >&2; exit 2 ;;
    esac
    shift
done
for layout in $layouts; do
    case $layout in
        flat|sharded) ;;
        *) echo "git_history.sh: unknown layout \`$layout\` (flat or sharded)" >&2; exit 2 ;;
    esac
done

say() { printf '%s\n' "git_history.sh: $*" >&2; }

[ -x /usr/bin/time ] || { say "GNU time (/usr/bin/time, Debian package \`time\`) is required"; exit 2; }
command -v git >/dev/null || { say "git is required"; exit 2; }

say "building the corpus generator and the history pass (release)"
cargo build --release --quiet --example gen_corpus --example history_pass
target_dir=$(cargo_target_dir)
gen="$target_dir/release/examples/gen_corpus"
pass="$target_dir/release/examples/history_pass"
[ -x "$gen" ] && [ -x "$pass" ] || { say "gen_corpus or history_pass was not built"; exit 2; }

if [ -z "$work" ]; then
    work=$(mktemp -d "${TMPDIR:-/var/tmp}/pm-git-history.XXXXXX")
else
    mkdir -p "$work"
fi
cleanup() {
    if [ "$keep" = 0 ]; then rm -rf "$work"; else say "kept $work"; fi
}
trap cleanup EXIT
results="$work/results.tsv"
repos_tsv="$work/repos.tsv"
checks="$work/checks.txt"
: >"$results"
: >"$repos_tsv"
: >"$checks"

# The git command Hugo's GitInfo runs (github.com/bep/gitmap) over the whole
# history; its output goes to a file, as Hugo reads it from a pipe.
git_format='--format=format:%x1e%H%x1f%h%x1f%s%x1f%aN%x1f%aE%x1f%ai%x1f%ci%x1f%b%x1d'

# measure LABEL REPO RUN OUTFILE -- command...
measure() {
    local label=$1 repo=$2 run=$3 outfile=$4
    shift 5
    timed "$outfile" "$work/cmd.err" "$work/time.txt" -- "$@" || exit 1
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$repo" "$label" "$run" \
        "$TIMED_MS" "$TIMED_RSS" "$TIMED_USER" "$TIMED_SYS" >>"$results"
    printf '  %-8s %-16s run %s: %7.2f s wall, %6.2f s CPU, %5.0f MB\n' "$label" "$repo" "$run" \
        "$(awk "BEGIN {print $TIMED_MS / 1000}")" "$(awk "BEGIN {print $TIMED_USER + $TIMED_SYS}")" \
        "$(awk "BEGIN {print $TIMED_RSS / 1024}")" >&2
}

# --- Repositories ------------------------------------------------------------
repos=""
for layout in $layouts; do
    dir="$work/$layout"
    say "generating $n records with about $commits commits, $layout"
    s=$(date +%s%N)
    "$gen" --n "$n" --out "$dir" --git --commits "$commits" --layout "$layout" 2>"$work/gen.txt"
    e=$(date +%s%N)
    made=$(grep -o '[0-9]* commits' "$work/gen.txt" | cut -d' ' -f1)
    printf '%s\t%s\t%s\t%s\t%s\n' "$layout" "$made" "$(du -sm "$dir/.git" | cut -f1)" \
        "$(((e - s) / 1000000))" "loose, as generated" >>"$repos_tsv"
    repos="$repos $layout"
    if [ "$packed" = 1 ]; then
        say "cloning the $layout repository (packed)"
        s=$(date +%s%N)
        git clone --quiet --no-local "$dir" "$dir-packed"
        e=$(date +%s%N)
        printf '%s\t%s\t%s\t%s\t%s\n' "$layout-packed" "$made" "$(du -sm "$dir-packed/.git" | cut -f1)" \
            "$(((e - s) / 1000000))" "git clone --no-local" >>"$repos_tsv"
        repos="$repos $layout-packed"
    fi
done

say "reading every object once (warm page cache)"
for repo in $repos; do
    find "$work/$repo/.git/objects" -type f -print0 | xargs -0 cat >/dev/null
done

# --- Rounds --------------------------------------------------------------------
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for r in $(seq 1 "$runs"); do
    say "round $r of $runs"
    for repo in $repos; do
        order="pm git"
        [ $((r % 2)) = 0 ] && order="git pm"
        for tool in $order; do
            case $tool in
                pm) measure "pm" "$repo" "$r" "$work/pm.out" -- "$pass" --root "$work/$repo" ;;
                git) measure "git log" "$repo" "$r" "$work/git.out" -- \
                    git -C "$work/$repo" -c diff.renames=0 -c log.showSignature=0 log --name-only --no-merges "$git_format" ;;
            esac
        done
        if [ "$r" = 1 ]; then
            pm_revs=$(sed -n 's/.*revisions \([0-9]*\).*/\1/p' "$work/pm.out")
            git_revs=$(sed 's/^\x1e.*\x1d//' "$work/git.out" | grep -cE '^(incidents|playbooks)/' || true)
            if [ "$pm_revs" = "$git_revs" ]; then
                printf '%s: both found %s record revisions\n' "$repo" "$pm_revs" >>"$checks"
            else
                printf '%s: pm found %s record revisions, git log %s (they should agree)\n' \
                    "$repo" "$pm_revs" "$git_revs" >>"$checks"
                say "warning: $repo: pm found $pm_revs record revisions, git log $git_revs"
            fi
        fi
    done
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

# --- Report --------------------------------------------------------------------
table=$(sort -t$'\t' -k1,1 -k2,2 -k3,3n "$results" | awk -F'\t' '
function median(a, n,   i, j, t) {
    for (i = 2; i <= n; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
    return (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
function minv(a, n,   i, m) { m = a[1]; for (i = 2; i <= n; i++) if (a[i] < m) m = a[i]; return m }
function maxv(a, n,   i, m) { m = a[1]; for (i = 2; i <= n; i++) if (a[i] > m) m = a[i]; return m }
function flush() {
    if (k == 0) return
    printf "| %s | %s | %.2f (%.2f–%.2f) | %.2f (%.2f–%.2f) | %.0f | %d |\n", \
        repo, tool, median(wall, k) / 1000, minv(wall, k) / 1000, maxv(wall, k) / 1000, \
        median(cpu, k), minv(cpu, k), maxv(cpu, k), median(rss, k) / 1024, k
    k = 0
}
{
    key = $1 SUBSEP $2
    if (key != last) { flush(); last = key; repo = $1; tool = $2 }
    k++; wall[k] = $4; rss[k] = $5; cpu[k] = $6 + $7
}
END { flush() }')

ratios=$(printf '%s\n' "$table" | awk -F'|' '
{
    gsub(/^ +| +$/, "", $2); gsub(/^ +| +$/, "", $3)
    split($4, w, " "); split($5, c, " ")
    wall[$2 "/" $3] = w[1]; cpu[$2 "/" $3] = c[1]; seen[$2] = 1
}
END {
    for (r in seen) {
        if (!((r "/pm") in wall) || !((r "/git log") in wall) || wall[r "/git log"] == 0 || cpu[r "/git log"] == 0) continue
        printf "| %s | %.2f× | %.2f× |\n", r, wall[r "/pm"] / wall[r "/git log"], cpu[r "/pm"] / cpu[r "/git log"]
    }
}' | sort)

repos_table=$(awk -F'\t' '{ printf "| %s | %s | %s MB | %.1f s (%s) |\n", $1, $2, $3, $4 / 1000, $5 }' "$repos_tsv")
checks_text=$(sed 's/^/- /' "$checks")

cpu_model=$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)
mem_total=$(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)
fs_type=$(df -T "$work" | awk 'NR == 2 {print $2}')
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
git diff --quiet HEAD -- src examples 2>/dev/null || commit="$commit (with uncommitted changes to src/ or examples/)"

clone_line=""
if [ "$packed" = 1 ]; then
    clone_line="git clone --no-local REPO REPO-packed  # --packed: one pack with deltas, as CI checks out
"
fi

block=$(cat <<EOF
<!-- git_history.sh:begin (generated by benches/git_history.sh; edits here are overwritten) -->
Measured $(date -u '+%Y-%m-%d %H:%M UTC') on $(nproc) cores ($cpu_model), $mem_total RAM,
Linux $(uname -r); repositories on \`$fs_type\` ($work), page cache warm.
pm at commit $commit; $(git --version).
Load average (1, 5, 15 min) before: $load_before; after: $load_after.

Command: \`benches/git_history.sh${script_args:+ $script_args}\`, which ran:

\`\`\`text
cargo run --release --example gen_corpus -- --n $n --out REPO --git --commits $commits --layout flat|sharded
${clone_line}history_pass --root REPO          # examples/history_pass.rs: pm::source::git::history, all record files
git -C REPO -c diff.renames=0 -c log.showSignature=0 log --name-only --no-merges \\
    '--format=format:%x1e%H%x1f%h%x1f%s%x1f%aN%x1f%aE%x1f%ai%x1f%ci%x1f%b%x1d' >FILE
\`\`\`

| repository | tool | wall s, median (min–max) | CPU s (user+sys), median (min–max) | peak RSS MB, median | runs |
|---|---|---:|---:|---:|---:|
$table

pm ÷ git log (medians):

| repository | wall | CPU |
|---|---:|---:|
$ratios

Repositories ($n records):

| repository | commits | .git size | made in |
|---|---:|---:|---:|
$repos_table

The same answer, checked in the first round:

$checks_text
<!-- git_history.sh:end -->
EOF
)

printf '%s\n' "$block"
if [ "$write_doc" = 1 ]; then
    begin="<!-- git_history.sh:begin"
    end="<!-- git_history.sh:end -->"
    if [ -f "$doc" ] && grep -qF "$begin" "$doc"; then
        printf '%s\n' "$block" >"$work/block.md"
        awk -v begin="$begin" -v end="$end" -v block_file="$work/block.md" '
            index($0, begin) == 1 { while ((getline line < block_file) > 0) print line; skip = 1; next }
            index($0, end) == 1 { skip = 0; next }
            !skip { print }' "$doc" >"$doc.tmp"
        mv "$doc.tmp" "$doc"
    else
        { [ -f "$doc" ] && cat "$doc" && echo; printf '## The git history pass\n\n%s\n' "$block"; } >"$doc.tmp"
        mv "$doc.tmp" "$doc"
    fi
    say "wrote $doc"
fi
