#!/usr/bin/env bash
# Browser tests need a real Chromium. Playwright's own browser download does
# not work on these machines, so install Debian's package when none is found.
set -euo pipefail
for exe in "${BORDERMAP_CHROMIUM:-}" chromium chromium-browser google-chrome; do
  if [ -n "$exe" ] && command -v "$exe" >/dev/null 2>&1; then
    exit 0
  fi
done
echo "bordermap: installing Debian's chromium for the browser tests" >&2
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
