#!/usr/bin/env bash
# Local API Gateway throughput against bare Kestrel (bench/Lamina.Local.Bench, mode `http`), driven by wrk.
# Installs wrk (Debian package) when it is missing. Arguments go to the mode: [ROUNDS] [SECONDS] [CONNECTIONS].
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v wrk >/dev/null 2>&1; then
  SUDO=""
  if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
  $SUDO apt-get install -y wrk || { $SUDO apt-get update && $SUDO apt-get install -y wrk; }
fi
dotnet run -c Release --project bench/Lamina.Local.Bench -- http "$@"
