#!/usr/bin/env bash
# The Debian packages the tests use, installed when missing:
# - a real Chromium for the browser tests (Playwright's own browser download
#   does not work on these machines), with CJK fonts for the place names;
# - GDAL's command-line tools (ogrinfo), which check the exports the way
#   GIS users open them.
set -euo pipefail
need=()
have_browser=""
for exe in "${BORDERMAP_CHROMIUM:-}" chromium chromium-browser google-chrome; do
  if [ -n "$exe" ] && command -v "$exe" >/dev/null 2>&1; then
    have_browser=1
    break
  fi
done
[ -n "$have_browser" ] || need+=(chromium fonts-noto-cjk)
command -v ogrinfo >/dev/null 2>&1 || need+=(gdal-bin)
[ ${#need[@]} -eq 0 ] && exit 0
echo "bordermap: installing Debian's ${need[*]} for the tests" >&2
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
