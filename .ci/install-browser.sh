#!/usr/bin/env bash
# Installs Debian's Chromium and chromedriver for the browser end-to-end tests (app/src/test/java/org/callcentre/
# app/browser), only when they are missing. Debian's packages only: nothing is downloaded by Selenium Manager or
# from a browser vendor. After running this, CI sets CALLCENTRE_REQUIRE_BROWSER=1 so a missing browser fails the
# browser tests instead of skipping them.
set -euo pipefail

export DEBIAN_FRONTEND=noninteractive

have() {
  command -v "$1" >/dev/null 2>&1 && [ -x "/usr/bin/$1" ]
}

if have chromium && have chromedriver; then
  echo "install-browser: $(/usr/bin/chromium --version 2>/dev/null | head -n 1) and chromedriver already installed"
  exit 0
fi

sudo=()
if [ "$(id -u)" -ne 0 ]; then
  sudo=(sudo -n)
fi

# Both together: chromium-driver depends on the very same chromium version.
echo "install-browser: installing chromium and chromium-driver with apt-get"
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
  chromium chromium-driver >/dev/null

for tool in chromium chromedriver; do
  if ! have "$tool"; then
    echo "install-browser: /usr/bin/$tool is still missing after apt-get install" >&2
    exit 1
  fi
done
echo "install-browser: $(/usr/bin/chromium --version 2>/dev/null | head -n 1); $(/usr/bin/chromedriver --version | head -n 1)"
