# Validation messages (en): filled in by the validation work (core/src/validate).
