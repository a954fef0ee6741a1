# Validation messages (ru): filled in by the validation work (core/src/validate).
