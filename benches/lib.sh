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
