#!/usr/bin/env bash
# Runs the real abmkpi binary on one file of the bad-input battery (tests/data/bad) and compares
# the command, its exit status and its standard error with FILE.golden.
#   run_bad.sh ABMKPI FILE
# The file's name says which table it is: deals-*, accounts-*, touches-* or spend-*; the other
# tables come from ../shared/worked-example. FILE.args, when present, holds extra arguments.
# With ABMKPI_UPDATE_GOLDEN=1 the golden file is rewritten instead.
set -u
abmkpi="$1"
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root" || exit 2
file="tests/data/bad/$(basename "$2")"
deals=../shared/worked-example/deals.csv
case "$(basename "$file")" in
  deals-*) args=(report "$file") ;;
  accounts-*) args=(report "$deals" --accounts "$file") ;;
  touches-*) args=(report "$deals" --touches "$file") ;;
  spend-*) args=(report "$deals" --spend "$file") ;;
  *) echo "$file: the name must start with deals-, accounts-, touches- or spend-"; exit 2 ;;
esac
[ -f "$file.args" ] && read -r -a extra < "$file.args" && args+=("${extra[@]}")
args+=(--json)
actual="$(mktemp)"
trap 'rm -f "$actual"' EXIT
{
  echo "\$ abmkpi ${args[*]}"
  timeout 60 "$abmkpi" "${args[@]}" 2>&1 >/dev/null
  echo "exit $?"
} > "$actual"
if [ "${ABMKPI_UPDATE_GOLDEN:-0}" = 1 ]; then
  cp "$actual" "$file.golden"
elif ! cmp -s "$file.golden" "$actual"; then
  diff -u "$file.golden" "$actual" | head -40
  exit 1
fi
