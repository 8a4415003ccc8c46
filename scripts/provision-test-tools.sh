#!/usr/bin/env bash
# Installs the system tools the test tiers need when they are missing, from Debian's packages:
#   chromium  (package chromium)    the end-to-end tier's browser
#   promtool  (package prometheus)  prometheus + promtool, for the PromQL-gate and alert-rules integration tests
# Used by .ci/run and by `npm test` (scripts/test.ts), so both install the same way.
#
#   scripts/provision-test-tools.sh [--dry-run] [chromium] [promtool]   (no tool named: both)
#
# Chromium counts as present when $CHROMIUM_PATH (if set) exists, else when `chromium` is on PATH.
# Without root or apt-get it installs nothing and fails, naming the packages to install.
# --dry-run prints the decision and changes nothing (exit 1 if it could not install).
set -euo pipefail

dry_run=0
wanted=()
for arg in "$@"; do
  case "$arg" in
    --dry-run) dry_run=1 ;;
    chromium | promtool) wanted+=("$arg") ;;
    *) echo "provision-test-tools: unknown argument '$arg'" >&2; exit 2 ;;
  esac
done
[ ${#wanted[@]} -gt 0 ] || wanted=(chromium promtool)

present() {
  case "$1" in
    chromium) if [ -n "${CHROMIUM_PATH:-}" ]; then [ -x "$CHROMIUM_PATH" ]; else command -v chromium >/dev/null 2>&1; fi ;;
    promtool) command -v promtool >/dev/null 2>&1 && command -v prometheus >/dev/null 2>&1 ;;
  esac
}
# apt-get install's arguments for each tool's package.
package_args() {
  case "$1" in
    chromium) echo "chromium" ;;
    promtool) echo "--no-install-recommends prometheus" ;;
  esac
}

missing=()
for tool in "${wanted[@]}"; do present "$tool" || missing+=("$tool"); done
if [ ${#missing[@]} -eq 0 ]; then
  [ "$dry_run" = 0 ] || echo "provision-test-tools: nothing to install (${wanted[*]} present)"
  exit 0
fi

if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  {
    echo "provision-test-tools: missing ${missing[*]}, and this shell cannot install packages (needs root and apt-get)."
    echo "Install them, then re-run the tests:"
    for tool in "${missing[@]}"; do echo "  sudo apt-get install -y $(package_args "$tool")"; done
    [[ " ${missing[*]} " != *" chromium "* ]] || echo "(or point CHROMIUM_PATH at an installed Chromium)"
  } >&2
  exit 1
fi

if [ "$dry_run" = 1 ]; then
  echo "provision-test-tools: would run apt-get update, then:"
  for tool in "${missing[@]}"; do echo "  apt-get install -y $(package_args "$tool")"; done
  exit 0
fi

echo "Installing ${missing[*]} from Debian…"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
for tool in "${missing[@]}"; do
  # shellcheck disable=SC2046 # package_args prints plain words, split on purpose
  apt-get install -y -qq $(package_args "$tool") >/dev/null
done
for tool in "${missing[@]}"; do
  present "$tool" || { echo "provision-test-tools: installed $tool's package, but $tool is still not found" >&2; exit 1; }
done
