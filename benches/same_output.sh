#!/usr/bin/env bash
# same_output.sh: do two pm binaries build byte-identical sites?
#
#   benches/same_output.sh OLD_PM NEW_PM [--n 1000]
#
# Builds the repository's own example records and a generated corpus of
# --n records (examples/gen_corpus.rs, seed fixed) with each binary, with
# the same --today, and compares every file of the two sites byte for byte.
# Also compares `pm lint --format json` on both. Exits 1 and lists the
# files that differ when they are not the same. A refactor that must not
# change what users see (issue 17) runs this before it lands.

set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

old=${1:?usage: same_output.sh OLD_PM NEW_PM [--n N]}
new=${2:?usage: same_output.sh OLD_PM NEW_PM [--n N]}
shift 2
n=1000
while [ $# -gt 0 ]; do
    case $1 in
    --n) n=$2; shift 2 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
    esac
done
old=$(realpath "$old")
new=$(realpath "$new")

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "generating a corpus of $n records"
cargo run --quiet --example gen_corpus -- --n "$n" --out "$work/corpus" >/dev/null

mkdir -p "$work/examples"
# Not site-template/: it holds the built-in templates themselves, which each
# binary carries; given to the other binary as overrides they would compare
# one binary's templates with the other's code.
for part in incidents playbooks pm.toml; do
    [ -e "$part" ] && cp -r "$part" "$work/examples/"
done

status=0
for repo in examples corpus; do
    for which in old new; do
        bin=$old
        [ "$which" = new ] && bin=$new
        "$bin" --root "$work/$repo" build --today 2026-11-30 -o "$work/site-$repo-$which" \
            >/dev/null 2>"$work/build-$repo-$which.err" || true
        "$bin" --root "$work/$repo" lint --today 2026-11-30 --format json \
            >"$work/lint-$repo-$which.json" 2>/dev/null || true
    done
    if ! diff -rq "$work/site-$repo-old" "$work/site-$repo-new" >"$work/diff-$repo"; then
        echo "$repo: the sites differ:"
        head -n 20 "$work/diff-$repo"
        status=1
    else
        echo "$repo: sites identical ($(find "$work/site-$repo-new" -type f | wc -l) files)"
    fi
    if ! cmp -s "$work/lint-$repo-old.json" "$work/lint-$repo-new.json"; then
        echo "$repo: pm lint --format json differs"
        status=1
    fi
done
exit $status
