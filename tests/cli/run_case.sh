#!/usr/bin/env bash
# Runs one end-to-end case of the real abmkpi binary and compares it with the case's files.
#   run_case.sh ABMKPI CASE_DIR
# CASE_DIR/cmd     a bash snippet run from the repository root; $ABMKPI is the binary and
#                  $SHARED the ../shared folder
# CASE_DIR/exit    the expected exit status (default 0)
# CASE_DIR/stdout  expected standard output, byte for byte (optional)
# CASE_DIR/stderr  expected standard error, byte for byte (optional)
# CASE_DIR/timeout seconds the case may take (default 60; sanitizer builds are slower)
# With ABMKPI_UPDATE_GOLDEN=1 the stdout/stderr files that exist are rewritten instead.
set -u
export ABMKPI="$1"
case_dir="$2"
root="$(cd "$(dirname "$0")/../.." && pwd)"
export SHARED="../shared"  # relative, so goldens do not hold the checkout path
cd "$root" || exit 2
out="$(mktemp)"; err="$(mktemp)"
trap 'rm -f "$out" "$err"' EXIT
limit=60
[ -f "$case_dir/timeout" ] && limit="$(cat "$case_dir/timeout")"
timeout "$limit" bash -c "$(cat "$case_dir/cmd")" >"$out" 2>"$err"
status=$?
want_status=0
[ -f "$case_dir/exit" ] && want_status="$(cat "$case_dir/exit")"
failed=0
if [ "$status" != "$want_status" ]; then
  echo "exit status $status, expected $want_status"
  failed=1
fi
for stream in stdout stderr; do
  golden="$case_dir/$stream"
  actual="$out"; [ "$stream" = stderr ] && actual="$err"
  [ -f "$golden" ] || continue
  if [ "${ABMKPI_UPDATE_GOLDEN:-0}" = 1 ]; then
    cp "$actual" "$golden"
  elif ! cmp -s "$golden" "$actual"; then
    echo "$stream differs from $golden:"
    diff -u "$golden" "$actual" | head -40
    failed=1
  fi
done
if [ "$failed" = 1 ]; then
  echo "--- stderr was:"; head -20 "$err"
fi
exit "$failed"
