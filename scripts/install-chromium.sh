#!/usr/bin/env bash
# Playwright cannot download browsers here: the tests drive Debian's Chromium instead.
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then
  echo "Chromium present: $(chromium --version 2>/dev/null | head -1)"
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium
echo "Installed $(chromium --version 2>/dev/null | head -1)"
