#!/usr/bin/env bash
# pm build vs Hugo on the same synthetic content, and pm lint alone.
#
#   benches/compare.sh                 1,000 / 10,000 / 50,000 records, 5 runs each (3 at 50,000)
#   benches/compare.sh --quick         1,000 records, 3 runs: a check that everything works
#   benches/compare.sh --sizes 10000 --runs 3 --storage "disk tmpfs" --rebuild --git --block extra
#
# Options:
#   --quick           only 1,000 records, 3 runs
#   --sizes "N ..."   corpus sizes (default: 1000 10000 50000)
#   --runs N          runs per tool and size (default 5; sizes above 20,000 get at most 3)
#   --rebuild         also time builds over the previous output (pm's atomic swap, Hugo's overwrite)
#   --git             also time `pm build` in a git repository with a long history
#                     (gen_corpus --git; sizes up to 10,000 only)
#   --storage LIST    where corpora and outputs go: `disk` (a new folder under $TMPDIR or
#                     /var/tmp, or --work) and/or `tmpfs` (/dev/shm); default "disk"
#   --work DIR        the folder used for `disk` (default: new, under $TMPDIR or /var/tmp);
#                     work folders are removed at the end unless --keep
#   --keep            keep the work folder
#   --doc FILE        the Markdown file whose generated block is replaced
#                     (default docs/performance.md; only the part between the
#                     `compare.sh:NAME` markers is rewritten, the rest is kept)
#   --block NAME      the name of that block (default `main`), so several runs
#                     (say, disk and tmpfs) can each keep their table
#   --no-doc          print the table only
#   --serve-runs N    runs of each edit for `pm serve` after one save (default 3)
#   --no-serve        leave out `pm serve` after one save
#
# For each size the corpus is generated once (pm format and the same content as
# a Hugo site), then the tools run alternately, round after round: pm build,
# Hugo, the bare comrak floor (benches/floor.rs) and pm lint, with the order
# of pm and Hugo swapped every round. Every run starts from an absent output
# folder (removed and synced outside the timing) unless it is a --rebuild run.
# Wall time is measured around the process; peak RSS, user and system time
# come from GNU time (`/usr/bin/time -v`). The page cache is warm: the corpus
# was just written and is read again every run.
#
# Then, unless --no-serve, `pm serve` after one save (issue 21, item 4):
# benches/serve.sh at the largest size on tmpfs, with the same pm, whose
# medians join the table of targets (its own table is printed too).
set -euo pipefail

# shellcheck source=benches/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

compare_args="$*"
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$here"

sizes="1000 10000 50000"
runs=5
rebuild=0
git_runs=0
storage="disk"
block_name="main"
work=""
keep=0
doc="docs/performance.md"
write_doc=1
today="2026-12-01"
serve_runs=3
serve=1

while [ $# -gt 0 ]; do
    case "$1" in
        --quick) sizes="1000"; runs=3 ;;
        --sizes) sizes="$2"; shift ;;
        --runs) runs="$2"; shift ;;
        --rebuild) rebuild=1 ;;
        --git) git_runs=1 ;;
        --storage) storage="$2"; shift ;;
        --block) block_name="$2"; shift ;;
        --work) work="$2"; shift ;;
        --keep) keep=1 ;;
        --doc) doc="$2"; shift ;;
        --no-doc) write_doc=0 ;;
        --serve-runs) serve_runs="$2"; shift ;;
        --no-serve) serve=0 ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) echo "compare.sh: unknown option \`$1\` (see --help)" >&2; exit 2 ;;
    esac
    shift
done

say() { printf '%s\n' "compare.sh: $*" >&2; }

# --- Tools -------------------------------------------------------------------
install_pkg() {
    # Only as root with apt, and only the package asked for.
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        say "installing Debian package \`$1\`"
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$1" >/dev/null 2>&1 ||
            { apt-get update -qq >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$1" >/dev/null 2>&1; } || true
    fi
}
[ -x /usr/bin/time ] || install_pkg time
[ -x /usr/bin/time ] || { say "GNU time (/usr/bin/time, Debian package \`time\`) is required"; exit 2; }
command -v hugo >/dev/null || install_pkg hugo
have_hugo=0
hugo_version="not installed"
if command -v hugo >/dev/null; then
    have_hugo=1
    hugo_version=$(hugo version 2>/dev/null | head -1)
else
    say "hugo is not available: its rows are left out"
fi

say "building pm, the corpus generator and the floor (release)"
cargo build --release --quiet --bin pm --example gen_corpus
floor_json=$(cargo bench --quiet --bench floor --no-run --message-format=json 2>/dev/null)
floor=$(printf '%s\n' "$floor_json" | grep -o '"executable":"[^"]*floor[^"]*"' | tail -1 | sed 's/^"executable":"//; s/"$//')
[ -x "$floor" ] || { say "could not find the floor benchmark binary"; exit 2; }
target_dir=$(cargo_target_dir)
pm="$target_dir/release/pm"
gen="$target_dir/release/examples/gen_corpus"
[ -x "$pm" ] && [ -x "$gen" ] || { say "pm or gen_corpus was not built"; exit 2; }

# --- Work folders --------------------------------------------------------------
# $work holds the results and, for `disk`, the corpora; `tmpfs` uses /dev/shm.
work_folders pm-compare "$storage" "$keep" "$work"
results="$work/results.tsv"
: >"$results"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

# measure LABEL STORAGE SIZE RUN -- command...
measure() {
    local label=$1 storage=$2 size=$3 run=$4
    shift 5
    timed "$work/cmd.out" "$work/cmd.err" "$work/time.txt" -- "$@" || exit 1
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$storage" "$size" "$label" "$run" \
        "$TIMED_MS" "$TIMED_RSS" "$TIMED_USER" "$TIMED_SYS" >>"$results"
    printf '  %-34s run %s: %6.2f s, %7.1f MB\n' "$label" "$run" \
        "$(awk "BEGIN {print $TIMED_MS / 1000}")" "$(awk "BEGIN {print $TIMED_RSS / 1024}")" >&2
}

fresh() { rm -rf "$@"; sync; }

gen_times="$work/gen.tsv"
: >"$gen_times"
# The size of each built site (bytes, `du -sb`), after the first round.
site_sizes="$work/sites.tsv"
: >"$site_sizes"
bench_size() {
    local storage=$1 base=$2 n=$3
    local corpus="$base/pm-$n" site="$base/hugo-$n" out="$base/out"
    local n_runs=$runs
    if [ "$n" -gt 20000 ] && [ "$n_runs" -gt 3 ]; then n_runs=3; fi
    say "[$storage] generating $n records"
    local s e
    s=$(date +%s%N)
    "$gen" --n "$n" --out "$corpus" --hugo "$site" 2>/dev/null
    e=$(date +%s%N)
    printf '%s\t%s\t%s\t%s\n' "$storage" "$n" "$(du -sm "$corpus/incidents" | cut -f1)" $(((e - s) / 1000000)) >>"$gen_times"
    mkdir -p "$out"
    local r
    for r in $(seq 1 "$n_runs"); do
        say "[$storage] $n records, round $r of $n_runs"
        local order="pm hugo"
        [ $((r % 2)) = 0 ] && order="hugo pm"
        local tool
        for tool in $order; do
            case $tool in
                pm)
                    fresh "$out/pm"
                    measure "pm build" "$storage" "$n" "$r" -- "$pm" --root "$corpus" build -o "$out/pm" --today "$today"
                    [ "$r" = 1 ] && printf '%s\t%s\tpm build\t%s\t%s\n' "$storage" "$n" \
                        "$(du -sb "$out/pm" | cut -f1)" "$(find "$out/pm" -type f | wc -l)" >>"$site_sizes"
                    if [ "$rebuild" = 1 ]; then
                        measure "pm build, previous site present" "$storage" "$n" "$r" -- "$pm" --root "$corpus" build -o "$out/pm" --today "$today"
                    fi
                    ;;
                hugo)
                    [ "$have_hugo" = 1 ] || continue
                    fresh "$out/hugo"
                    measure "hugo" "$storage" "$n" "$r" -- hugo --quiet -s "$site" -d "$out/hugo"
                    [ "$r" = 1 ] && printf '%s\t%s\thugo\t%s\t%s\n' "$storage" "$n" \
                        "$(du -sb "$out/hugo" | cut -f1)" "$(find "$out/hugo" -type f | wc -l)" >>"$site_sizes"
                    if [ "$rebuild" = 1 ]; then
                        measure "hugo, previous site present" "$storage" "$n" "$r" -- hugo --quiet -s "$site" -d "$out/hugo"
                    fi
                    ;;
            esac
        done
        fresh "$out/floor"
        measure "floor (read, comrak, write)" "$storage" "$n" "$r" -- "$floor" --corpus "$corpus" --out "$out/floor"
        measure "pm lint" "$storage" "$n" "$r" -- "$pm" --root "$corpus" lint --today "$today"
    done
    fresh "$out" "$site"
    if [ "$git_runs" = 1 ] && [ "$n" -le 10000 ]; then
        local repo="$base/git-$n"
        mkdir -p "$out"
        say "[$storage] generating $n records with git history"
        "$gen" --n "$n" --out "$repo" --git 2>"$work/gen-git.txt"
        local g_runs=$((n_runs < 3 ? n_runs : 3))
        for r in $(seq 1 "$g_runs"); do
            fresh "$out/pm-git"
            measure "pm build, git history ($(grep -o '[0-9]* commits' "$work/gen-git.txt"))" "$storage" "$n" "$r" -- \
                "$pm" --root "$repo" build -o "$out/pm-git" --today "$today"
        done
        fresh "$repo" "$out"
    fi
    fresh "$corpus"
}

for where in $storage; do
    case $where in
        disk) base="$work" ;;
        tmpfs) base="$shm_work" ;;
        *) say "unknown storage \`$where\` (disk or tmpfs)"; exit 2 ;;
    esac
    for n in $sizes; do
        bench_size "$where" "$base" "$n"
    done
done

# pm serve after one save, at the largest size, on tmpfs.
serve_tsv="$work/serve.tsv"
: >"$serve_tsv"
serve_n=$(printf '%s\n' $sizes | sort -n | tail -1)
if [ "$serve" = 1 ]; then
    say "[tmpfs] pm serve after one save, $serve_n records, $serve_runs runs of each edit"
    if ! "$here/benches/serve.sh" --n "$serve_n" --runs "$serve_runs" --pm "$pm" \
        --storage tmpfs --tsv "$serve_tsv" >"$work/serve.txt" 2>"$work/serve.err"; then
        say "serve.sh failed; its rows are left out"
        tail -n 5 "$work/serve.err" >&2
        : >"$serve_tsv"
    fi
    cat "$work/serve.txt" >&2
fi
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

# --- Report --------------------------------------------------------------------
# One row per storage, size and tool: medians and min–max.
table=$(sort -t$'\t' -k1,1 -k2,2n -k3,3 -k4,4n "$results" | awk -F'\t' '
function median(a, n,   i, j, t) {
    for (i = 2; i <= n; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
    return (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
function minv(a, n,   i, m) { m = a[1]; for (i = 2; i <= n; i++) if (a[i] < m) m = a[i]; return m }
function maxv(a, n,   i, m) { m = a[1]; for (i = 2; i <= n; i++) if (a[i] > m) m = a[i]; return m }
function flush(   w, r, c, mw) {
    if (k == 0) return
    mw = median(wall, k)
    printf "| %s | %s | %s | %.2f (%.2f–%.2f) | %.2f | %.0f (%.0f–%.0f) | %.3f | %d |\n", \
        st, sz, tl, mw / 1000, minv(wall, k) / 1000, maxv(wall, k) / 1000, median(cpu, k), \
        median(rss, k) / 1024, minv(rss, k) / 1024, maxv(rss, k) / 1024, mw / sz, k
    k = 0
}
{
    key = $1 SUBSEP $2 SUBSEP $3
    if (key != last) { flush(); last = key; st = $1; sz = $2; tl = $3 }
    k++; wall[k] = $5; rss[k] = $6; cpu[k] = $7 + $8
}
END { flush() }')

# Ratios the issue sets targets for, from the medians above.
ratios=$(printf '%s\n' "$table" | awk -F'|' '
{
    gsub(/^ +| +$/, "", $2); gsub(/^ +| +$/, "", $3); gsub(/^ +| +$/, "", $4)
    split($5, w, " "); split($7, m, " "); gsub(/ /, "", $6)
    key = $2 "/" $3; wall[key "/" $4] = w[1]; rss[key "/" $4] = m[1]; cpu[key "/" $4] = $6
    combos[key] = 1; st[$2] = 1
}
END {
    fl = "floor (read, comrak, write)"
    for (k in combos) {
        split(k, p, "/"); where = p[1]; s = p[2]
        if (!((k "/pm build") in wall)) continue
        if ((k "/hugo") in wall && wall[k "/hugo"] > 0)
            printf "| %s | %s | pm build ÷ Hugo, wall | %.2f× | ≤ 0.35× |\n", where, s, wall[k "/pm build"] / wall[k "/hugo"]
        if ((k "/" fl) in wall && wall[k "/" fl] > 0)
            printf "| %s | %s | pm build ÷ floor, wall | %.2f× | ≤ 2.5× |\n", where, s, wall[k "/pm build"] / wall[k "/" fl]
        if ((k "/hugo") in rss && rss[k "/hugo"] > 0)
            printf "| %s | %s | pm build ÷ Hugo, peak RSS (pm %.0f MB, Hugo %.0f MB) | %.2f× | ≤ 0.10× (issue 21) |\n", where, s, rss[k "/pm build"], rss[k "/hugo"], rss[k "/pm build"] / rss[k "/hugo"]
        if ((k "/pm lint") in wall)
            printf "| %s | %s | pm lint, wall | %.2f s | < 0.5 s at 10,000 (issue 21) |\n", where, s, wall[k "/pm lint"]
    }
    for (where in st) {
        lo = 0; hi = 0
        for (k in combos) {
            split(k, p, "/")
            if (p[1] != where || !((k "/pm build") in wall)) continue
            if (!lo || p[2] + 0 < lo + 0) lo = p[2]
            if (p[2] + 0 > hi + 0) hi = p[2]
        }
        if (hi + 0 > lo + 0 && wall[where "/" lo "/pm build"] > 0)
            printf "| %s | %s vs %s | pm build, wall time per record | %.2f× | ≤ 1.3× |\n", where, hi, lo,
                (wall[where "/" hi "/pm build"] / hi) / (wall[where "/" lo "/pm build"] / lo)
        # Issue 21 compares 50,000 with 10,000 records when both ran.
        base = ((where "/10000/pm build") in rss && hi + 0 > 10000) ? 10000 : lo
        if (hi + 0 > base + 0 && rss[where "/" base "/pm build"] > 0)
            printf "| %s | %s vs %s | pm build, peak RSS per record | %.2f× | ≤ 2× (issue 21) |\n", where, hi, base,
                (rss[where "/" hi "/pm build"] / hi) / (rss[where "/" base "/pm build"] / base)
        if (hi + 0 > lo + 0 && cpu[where "/" lo "/pm build"] > 0)
            printf "| %s | %s vs %s | pm build, CPU time per record | %.2f× | (≤ 1.3× for wall) |\n", where, hi, lo,
                (cpu[where "/" hi "/pm build"] / hi) / (cpu[where "/" lo "/pm build"] / lo)
    }
}' | sort -t'|' -k2,2 -k3,3n)
serve_rows=$(awk -F'\t' -v n="$serve_n" '
    $1 == "body" { printf "| tmpfs | %s | pm serve: save → page served, body edit, median (max of %d) | %d ms (%d) | < 300 ms (issue 21) |\n", n, $2, $3, $4 }
    $1 == "title" { printf "| tmpfs | %s | pm serve: save → page and index served, title edit, median (max of %d) | %d ms (%d) | < 300 ms (issue 21) |\n", n, $2, $3, $4 }
    $1 == "first" { printf "| tmpfs | %s | pm serve: first build until served | %.2f s | near `pm build` |\n", n, $3 / 1000 }
' "$serve_tsv")
if [ -n "$serve_rows" ]; then
    ratios="$ratios
$serve_rows"
fi

site_table=$(awk -F'\t' '{ printf "| %s | %s | %s | %.0f MB | %s | %s |\n", $1, $2, $3, $4 / 1000000, $5,
    ($3 == "pm build" && $2 == 10000) ? "< 350 MB (issue 21)" : "" }' "$site_sizes")
gen_table=$(awk -F'\t' '{ printf "| %s | %s | %s MB | %.1f s |\n", $1, $2, $3, $4 / 1000 }' "$gen_times")

cpu_model=$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)
mem_total=$(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)
fs_type=""
for where in $storage; do
    case $where in
        disk) fs_type="$fs_type disk = \`$(df -T "$work" | awk 'NR == 2 {print $2}')\` ($work)" ;;
        tmpfs) fs_type="$fs_type tmpfs = \`$(df -T "$shm_work" | awk 'NR == 2 {print $2}')\` (/dev/shm)" ;;
    esac
done
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
git diff --quiet HEAD -- src 2>/dev/null || commit="$commit (with uncommitted changes to src/)"

block=$(cat <<EOF
<!-- compare.sh:$block_name:begin (generated by benches/compare.sh; edits here are overwritten) -->
Measured $(date -u '+%Y-%m-%d %H:%M UTC') on $(nproc) cores ($cpu_model), $mem_total RAM,
Linux $(uname -r); storage:$fs_type.
pm $("$pm" --version | awk '{print $2}') at commit $commit; $hugo_version.
Load average (1, 5, 15 min) before: $load_before; after: $load_after.

Command: \`benches/compare.sh${compare_args:+ $compare_args}\`, which ran for each size:

\`\`\`text
cargo run --release --example gen_corpus -- --n N --out pm-N --hugo hugo-N
pm --root pm-N build -o out/pm --today $today
hugo --quiet -s hugo-N -d out/hugo
floor --corpus pm-N --out out/floor        # benches/floor.rs: read, comrak, write; nothing else
pm --root pm-N lint --today $today
\`\`\`
$([ -s "$serve_tsv" ] && printf '\n%s\n' "and, for \`pm serve\` after one save: \`benches/serve.sh --n $serve_n --runs $serve_runs --pm <this pm> --storage tmpfs\`.")

| storage | records | tool | wall s, median (min–max) | CPU s (user+sys), median | peak RSS MB, median (min–max) | ms per record | runs |
|---|---:|---|---:|---:|---:|---:|---:|
$table

Against the targets of issues 8 and 21 (from the medians above; peak RSS
side by side with Hugo's):

| storage | records | ratio | measured | target |
|---|---:|---|---:|---|
$ratios

Sites built (first round; \`du -sb\`, every file counted):

| storage | records | tool | site | files | target |
|---|---:|---|---:|---:|---|
$site_table

Corpora:

| storage | records | incidents/ size | generation time |
|---|---:|---:|---:|
$gen_table
<!-- compare.sh:$block_name:end -->
EOF
)

printf '%s\n' "$block"
if [ "$write_doc" = 1 ]; then
    mkdir -p "$(dirname "$doc")"
    begin="<!-- compare.sh:$block_name:begin"
    end="<!-- compare.sh:$block_name:end -->"
    if [ -f "$doc" ] && grep -qF "$begin" "$doc"; then
        printf '%s\n' "$block" >"$work/block.md"
        awk -v begin="$begin" -v end="$end" -v block_file="$work/block.md" '
            index($0, begin) == 1 { while ((getline line < block_file) > 0) print line; skip = 1; next }
            index($0, end) == 1 { skip = 0; next }
            !skip { print }' "$doc" >"$doc.tmp"
        mv "$doc.tmp" "$doc"
    else
        # A new block goes at the end, under one "Measurements" heading.
        heading='## Measurements\n\n'
        [ -f "$doc" ] && grep -qx '## Measurements' "$doc" && heading=''
        { [ -f "$doc" ] && cat "$doc" && echo; printf "$heading%s\n" "$block"; } >"$doc.tmp"
        mv "$doc.tmp" "$doc"
    fi
    say "wrote $doc"
fi
