# Validation messages (kk): filled in by the validation work (core/src/validate).
