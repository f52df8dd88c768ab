#!/usr/bin/env bash
# Resume a brand's posting schedule: scripts/unpause.sh BRAND [NOTE]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/_schedules.sh"
usage_unless 1 "scripts/unpause.sh BRAND [NOTE]  (scripts/list.sh shows the brands)" "$@"
run_schedules unpause "$@"
