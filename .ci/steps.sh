# step NAME COMMAND...: runs COMMAND, prints its wall time and whether it passed, and notes a failure in
# `failed` (pytest's exit 5, no test collected, counts as one); print_timings lists every step's time.
# Sourced by .ci/run (and by tests/test_dev.py, which checks it).
failed=()
timings=()
took() { printf '%dm%02ds' $(($1 / 60)) $(($1 % 60)); }
step() {
    local name=$1; shift
    echo; echo "=== $name"
    local rc=0 start=$SECONDS
    "$@" </dev/null || rc=$?
    local seconds=$((SECONDS - start)) result=passed
    # pytest's 5 means it collected no test: a step that tests nothing must not look green.
    if [ "$rc" -eq 5 ]; then
        result="FAILED: no tests ran (exit 5)"
    elif [ "$rc" -ne 0 ]; then
        result="FAILED (exit $rc)"
    fi
    echo "=== $result: $name in $(took "$seconds")"
    timings+=("$(printf '%8s  %s  %s' "$(took "$seconds")" "$name" "$([ "$result" = passed ] || echo "· $result")")")
    [ "$result" = passed ] || failed+=("$name ($result)")
}

print_timings() {
    echo "=== time per step"
    printf '%s\n' "${timings[@]}"
    printf '%8s  %s\n' "$(took "$SECONDS")" "in all"
}
