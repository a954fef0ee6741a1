"""Schemathesis hooks for scripts/api-schema-check.sh.

The registry's binary request bodies (a push frame, an offline bundle) have
their own media types; schemathesis sends them as raw bytes, as it does
`application/octet-stream`.
"""

import schemathesis

schemathesis.serializer.alias(
    ["application/vnd.komek.push", "application/vnd.komek.bundle"],
    "application/octet-stream",
)
