#!/usr/bin/env bash
# Puts Debian's kubectl (package kubernetes-client) in .cache/kubernetes-client/usr/bin/kubectl.
# Unpacked with dpkg-deb instead of installed: on machines where another package owns /usr/bin/kubectl
# (the Google Cloud SDK's build, for one) dpkg would refuse, and the tests must use Debian's client.
set -euo pipefail
cd "$(dirname "$0")/../.."
target=.cache/kubernetes-client
if [ -x "$target/usr/bin/kubectl" ]; then exit 0; fi
mkdir -p "$target/deb"
cd "$target/deb"
if ! apt-get download kubernetes-client >/dev/null 2>&1; then
  apt-get update >/dev/null
  apt-get download kubernetes-client
fi
dpkg-deb -x kubernetes-client_*.deb ..
cd ..
rm -rf deb
usr/bin/kubectl version --client >/dev/null
echo "Debian's kubectl: $PWD/usr/bin/kubectl"
