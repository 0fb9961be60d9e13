# Shared by the benchmark scripts (compare.sh, git_history.sh): source it.

# timed OUTFILE ERRFILE TIMEFILE -- command...
# Runs the command under GNU time with its stdout in OUTFILE and its stderr in
# ERRFILE; on success sets TIMED_MS (wall, milliseconds), TIMED_RSS (peak
# RSS, KB), TIMED_USER and TIMED_SYS (CPU seconds). Returns the command's
# failure after printing the end of its stderr.
timed() {
    local outfile=$1 errfile=$2 tfile=$3 start end
    shift 4
    start=$(date +%s%N)
    if ! /usr/bin/time -v -o "$tfile" "$@" >"$outfile" 2>"$errfile"; then
        printf 'failed: %s\n' "$*" >&2
        tail -n 20 "$errfile" >&2
        return 1
    fi
    end=$(date +%s%N)
    TIMED_MS=$(((end - start) / 1000000))
    TIMED_RSS=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$tfile")
    TIMED_USER=$(awk -F': ' '/User time \(seconds\)/ {print $2}' "$tfile")
    TIMED_SYS=$(awk -F': ' '/System time \(seconds\)/ {print $2}' "$tfile")
}

# cargo_target_dir: the folder cargo builds into (CARGO_TARGET_DIR and
# .cargo/config included).
cargo_target_dir() {
    cargo metadata --format-version 1 --no-deps 2>/dev/null |
        grep -o '"target_directory":"[^"]*"' | sed 's/^"target_directory":"//; s/"$//'
}

# work_folders NAME STORAGE KEEP [WORK]
# Sets $work to WORK (made if missing), or to a new folder NAME.XXXXXX under
# $TMPDIR or /var/tmp; and $shm_work to a new folder under /dev/shm when
# STORAGE lists `tmpfs` (else empty). Both are removed when the script exits,
# unless KEEP is 1.
work_folders() {
    local name=$1 storage=$2
    WORK_KEEP=$3
    if [ -n "${4:-}" ]; then
        work=$4
        mkdir -p "$work"
    else
        work=$(mktemp -d "${TMPDIR:-/var/tmp}/$name.XXXXXX")
    fi
    shm_work=""
    case " $storage " in
        *" tmpfs "*)
            [ -d /dev/shm ] || { printf '%s\n' "no /dev/shm for --storage tmpfs" >&2; exit 2; }
            shm_work=$(mktemp -d "/dev/shm/$name.XXXXXX") ;;
    esac
    trap remove_work_folders EXIT
}

remove_work_folders() {
    if [ "$WORK_KEEP" = 0 ]; then
        rm -rf "$work"
        if [ -n "$shm_work" ]; then rm -rf "$shm_work"; fi
    else
        printf 'kept %s %s\n' "$work" "${shm_work:+and $shm_work}" >&2
    fi
}
