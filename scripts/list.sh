#!/usr/bin/env bash
# Each brand's schedule: state, next runs (brand's zone and UTC), last run and its result.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/_schedules.sh"
run_schedules list "$@"
