#!/usr/bin/env bash
# Initialise the SoftHSM token that holds the hub's keys, once. Idempotent: an existing token is left alone.
# Input (environment, never arguments, so PINs do not show in `ps`): HSM_LABEL, HSM_PIN, HSM_SO_PIN, SOFTHSM2_CONF.
# On a real HSM the vendor's tools create the partition; point Hsm:LibraryPath, Hsm:TokenLabel and Hsm:Pin at it.
set -euo pipefail
: "${HSM_LABEL:?}" "${HSM_PIN:?}" "${HSM_SO_PIN:?}" "${SOFTHSM2_CONF:?}"

if softhsm2-util --show-slots 2>/dev/null | grep -Eq "^[[:space:]]*Label:[[:space:]]+${HSM_LABEL}[[:space:]]*$"; then
  exit 0
fi

# softhsm2-util takes PINs only as arguments; it runs for a fraction of a second and prints none of them.
softhsm2-util --init-token --free --label "$HSM_LABEL" --so-pin "$HSM_SO_PIN" --pin "$HSM_PIN" >/dev/null
echo "hub: initialised SoftHSM token '$HSM_LABEL'"
