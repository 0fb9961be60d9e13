#!/usr/bin/env bash
# Search in the browser at scale: what a first query downloads and how long until its rows are drawn,
# in headless Chromium, on a site built from generated records, opened from disk (file://).
#
#   benches/search.sh                      10,000 records, 5 runs per query
#   benches/search.sh --n 1000 --runs 3
#   benches/search.sh --site DIR           a site already built (from gen_corpus records)
#
# Options:
#   --n N          records to generate (default 10000)
#   --runs N       runs per query (default 5); each run is a new browser, so every query is a first one
#   --site DIR     measure this built site instead of generating and building one
#   --work DIR     where the corpus and the site go (default: a new folder under /dev/shm)
#   --keep         keep the work folder
#   --today DATE   the build's --today (default 2026-12-01)
#
# For each query the page is a copy of the site's index.html (bench-search.html) that loads
# benches/search-probe.js just before search.js; the query is in the URL, as a shared link would
# carry it, so search.js runs it as the page loads: loading search-engine.js, the index's manifest
# and the shards the query needs, then drawing the rows, the best 20 matches first and then the
# whole first page (`[site] page_size` rows, 100 by default). The probe writes the time from the
# moment search.js started to each drawing (rows and the "Showing ..." status in the page), and the
# files loaded since then; this script adds up their sizes on disk (a file:// load reports no
# transfer size). The page itself (index.html, search.js, style.css) is loaded before the query and
# reported apart. Figures are medians over the runs, with the range. The machine's load average is
# printed with them: on a busy machine the times stretch.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$here"

n=10000
runs=5
site=""
work=""
keep=0
today="2026-12-01"

while [ $# -gt 0 ]; do
    case "$1" in
        --n) n="$2"; shift ;;
        --runs) runs="$2"; shift ;;
        --site) site="$2"; shift ;;
        --work) work="$2"; shift ;;
        --keep) keep=1 ;;
        --today) today="$2"; shift ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) echo "search.sh: unknown option \`$1\` (see --help)" >&2; exit 2 ;;
    esac
    shift
done

say() { printf '%s\n' "search.sh: $*" >&2; }

browser=""
for b in /usr/bin/chromium chromium chromium-browser; do
    if command -v "$b" >/dev/null 2>&1; then browser=$(command -v "$b"); break; fi
done
[ -n "$browser" ] || { say "needs chromium (apt-get install chromium)"; exit 2; }

made_work=0
if [ -z "$work" ]; then
    work=$(mktemp -d "/dev/shm/pm-search-bench.XXXXXX" 2>/dev/null || mktemp -d "${TMPDIR:-/var/tmp}/pm-search-bench.XXXXXX")
    made_work=1
fi
cleanup() {
    if [ "$keep" = 0 ] && [ "$made_work" = 1 ]; then rm -rf "$work"; else say "kept $work"; fi
}
trap cleanup EXIT

if [ -z "$site" ]; then
    say "building pm and the corpus generator (release)"
    cargo build --release --quiet --bin pm --example gen_corpus
    target=$(cargo metadata --format-version 1 --no-deps 2>/dev/null |
        grep -o '"target_directory":"[^"]*"' | sed 's/^"target_directory":"//; s/"$//')
    say "generating $n records"
    "$target/release/examples/gen_corpus" --n "$n" --out "$work/records" >/dev/null
    say "building the site"
    "$target/release/pm" --root "$work/records" build --today "$today" -o "$work/site" >/dev/null 2>&1
    site="$work/site"
fi
site=$(cd "$site" && pwd)
[ -f "$site/index.html" ] && [ -f "$site/search/index.js" ] || { say "$site is not a site with a search index"; exit 2; }

# The page: index.html with the probe before search.js.
cp benches/search-probe.js "$site/bench-search-probe.js"
sed 's|<script src="search.js" defer></script>|<script src="bench-search-probe.js" defer></script><script src="search.js" defer></script>|' \
    "$site/index.html" >"$site/bench-search.html"
grep -q 'bench-search-probe.js' "$site/bench-search.html" || { say "could not add the probe to index.html"; exit 1; }

size_of() { stat -c %s "$1" 2>/dev/null || echo 0; }
page_bytes=$(( $(size_of "$site/index.html") + $(size_of "$site/search.js") + $(size_of "$site/style.css") ))
index_bytes=$(du -sb "$site/search" | cut -f1)
index_files=$(find "$site/search" -type f | wc -l)
records=$(grep -o '"docs":[0-9]*' "$site/search/index.js" | head -1 | cut -d: -f2)

# The queries: a common word, two words, a rare word of a write-up, a word being typed (a prefix),
# a filter alone, a filter and a word.
queries=(
    "q=rollback"
    "q=connection+pool+exhausted"
    "q=deserializing"
    "q=certific"
    "severity=sev1"
    "severity=sev2&q=timeout"
)

median() { sort -n | awk '{a[NR]=$1} END {if (NR == 0) {print "-"; exit} m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2; print m}'; }
range() { sort -n | awk 'NR == 1 {lo = $1} {hi = $1} END {if (NR) printf "%s–%s", lo, hi}'; }

printf '\n%s records; site index %s files, %s MB; the page itself (index.html, search.js, style.css) %s KB, loaded before the query.\n\n' \
    "$records" "$index_files" "$(awk -v b="$index_bytes" 'BEGIN {printf "%.1f", b / 1048576}')" \
    "$(awk -v b="$page_bytes" 'BEGIN {printf "%.0f", b / 1024}')"
printf '| query | matches | first result: files, KB | ms (median, range) | whole first page: files, KB | ms (median, range) |\n'
printf '|---|---:|---:|---|---:|---|\n'
for q in "${queries[@]}"; do
    first_ms=""
    page_ms=""
    first_kb=""
    page_kb=""
    first_files=""
    page_files=""
    matches=""
    for _ in $(seq "$runs"); do
        profile=$(mktemp -d "$work/profile.XXXXXX")
        dom=$("$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
            --disable-background-networking --disable-component-update --disable-sync \
            --user-data-dir="$profile" --dump-dom "file://$site/bench-search.html?$q" 2>/dev/null || true)
        rm -rf "$profile"
        result=$(printf '%s\n' "$dom" | sed -n '/<pre id="bench-result">/,/<\/pre>/p' | sed 's/<[^>]*>//g; s/&amp;/\&/g')
        t=$(printf '%s\n' "$result" | awk '$1 == "first_result_ms" {print $2}')
        if [ -z "$t" ]; then
            say "no result for ?$q (the page did not draw its rows before it was dumped)"
            continue
        fi
        # Bytes and files: those loaded by the first drawing, and all of them.
        fb=0; fc=0; pb=0; pc=0
        while read -r _ _ loaded url; do
            path=${url#file://}
            path=$(printf '%b' "${path//%/\\x}")
            path=${path%%\?*}
            size=$(size_of "$path")
            pb=$((pb + size)); pc=$((pc + 1))
            if awk -v a="$loaded" -v b="$t" 'BEGIN {exit !(a <= b)}'; then
                fb=$((fb + size)); fc=$((fc + 1))
            fi
        done < <(printf '%s\n' "$result" | awk '$1 == "resource"')
        first_ms="$first_ms $t"
        page_ms="$page_ms $(printf '%s\n' "$result" | awk '$1 == "page_ms" {print $2}')"
        first_kb="$first_kb $(awk -v b="$fb" 'BEGIN {printf "%.0f", b / 1024}')"
        page_kb="$page_kb $(awk -v b="$pb" 'BEGIN {printf "%.0f", b / 1024}')"
        first_files="$first_files $fc"
        page_files="$page_files $pc"
        matches=$(printf '%s\n' "$result" | sed -n 's/^status //p' |
            sed -E 's/.* of ([0-9,]+) matching.*/\1/; s/^Showing ([0-9,]+) of .*/\1/')
    done
    printf '| `?%s` | %s | %s, %s | %s (%s) | %s, %s | %s (%s) |\n' "$q" "${matches:--}" \
        "$(printf '%s\n' $first_files | median)" "$(printf '%s\n' $first_kb | median)" \
        "$(printf '%s\n' $first_ms | median)" "$(printf '%s\n' $first_ms | range)" \
        "$(printf '%s\n' $page_files | median)" "$(printf '%s\n' $page_kb | median)" \
        "$(printf '%s\n' $page_ms | median)" "$(printf '%s\n' $page_ms | range)"
done
printf '\nchromium %s; %s; %s runs per query, each in a new browser; load average %s.\n' \
    "$("$browser" --version 2>/dev/null | awk '{print $2}')" "$(uname -srm)" "$runs" "$(cut -d' ' -f1-3 /proc/loadavg)"
rm -f "$site/bench-search.html" "$site/bench-search-probe.js"
