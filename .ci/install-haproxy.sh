#!/usr/bin/env bash
# Installs Debian's HAProxy for the cluster test (app/src/test/java/org/callcentre/app/cluster/ClusterIT.java), only
# when it is missing. The test runs it itself in the foreground with cluster/haproxy.cfg: nothing here starts it as a
# service. After running this, CI sets CALLCENTRE_REQUIRE_BROWSER=1, which also makes a missing haproxy fail the
# cluster test instead of skipping it.
set -euo pipefail

export DEBIAN_FRONTEND=noninteractive

have() {
  command -v "$1" >/dev/null 2>&1 && [ -x "/usr/sbin/$1" ]
}

if have haproxy; then
  echo "install-haproxy: $(/usr/sbin/haproxy -v | head -n 1) already installed"
  exit 0
fi

sudo=()
if [ "$(id -u)" -ne 0 ]; then
  sudo=(sudo -n)
fi

echo "install-haproxy: installing haproxy with apt-get"
"${sudo[@]}" apt-get update -qq
# Should the machine start the package's service, Debian's configuration listens nowhere: the test runs its own.
"${sudo[@]}" apt-get install -y -qq -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
  haproxy >/dev/null

if ! have haproxy; then
  echo "install-haproxy: /usr/sbin/haproxy is still missing after apt-get install" >&2
  exit 1
fi
echo "install-haproxy: $(/usr/sbin/haproxy -v | head -n 1)"
