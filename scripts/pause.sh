#!/usr/bin/env bash
# Pause a brand's posting schedule: scripts/pause.sh BRAND [NOTE]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/_schedules.sh"
usage_unless 1 "scripts/pause.sh BRAND [NOTE]  (scripts/list.sh shows the brands)" "$@"
run_schedules pause "$@"
