#!/usr/bin/env bash
# Start one post of a brand now, through its schedule: scripts/trigger.sh BRAND
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/_schedules.sh"
usage_unless 1 "scripts/trigger.sh BRAND  (scripts/list.sh shows the brands)" "$@"
run_schedules trigger "$@"
