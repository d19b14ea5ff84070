#!/usr/bin/env bash
# Installs the real protocol peers the tests talk to (Debian packages). Idempotent.
set -euo pipefail

# Tests: snmpd, snmp (snmptrap, snmpinform, snmpbulkwalk), dnsmasq-base, iproute2, openssl, redis-server
# (replicas sharing the trap stream), chromium (the console, driven by playwright-core).
# Benchmarks (npm run bench): snmptrapd, prometheus-snmp-exporter, prometheus-blackbox-exporter.
PACKAGES=(snmpd snmp snmptrapd dnsmasq-base iproute2 openssl procps redis-server chromium prometheus-snmp-exporter prometheus-blackbox-exporter)

if [ "$(id -u)" -ne 0 ]; then
  echo "install-test-peers: must run as root (it installs Debian packages and the tests create network namespaces)." >&2
  echo "Re-run as root, e.g.: sudo npm run test:setup" >&2
  exit 1
fi

missing=()
for pkg in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-test-peers: all peers present (${PACKAGES[*]})"
  exit 0
fi

echo "install-test-peers: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# Do not start the packaged daemons: tests launch their own instances on ephemeral ports.
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
  chmod +x /usr/sbin/policy-rc.d
  trap 'rm -f /usr/sbin/policy-rc.d' EXIT
fi
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install-test-peers: done"
