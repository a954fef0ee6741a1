# Validation problems shown next to a field of the intake form.
# One message per ProblemKey (core/src/validate/problems.rs); ids are stable.

problem-iin-length = The IIN must have exactly 12 digits.
problem-iin-not-digits = The IIN may contain only the digits 0–9.
problem-iin-check-digit = This IIN is not valid. Compare it with the identity document: a digit may be mistyped.
problem-iin-never-issued = No IIN is ever issued with these first 11 digits, so this is not one mistyped digit: copy the whole number again from the identity document.
problem-iin-birth-date-mismatch = The birth date does not match the IIN. Check both (a foreign citizen's IIN may differ).
problem-iin-sex-mismatch = The sex does not match the IIN. Check both.
problem-duplicate-member = This person is already listed in the household.
problem-birth-date-in-future = The birth date cannot be in the future.
problem-birth-date-too-early = The birth date is before 1900.
problem-text-empty = This field must not be empty.
problem-text-too-long = This text is too long.
problem-text-control-characters = This text contains control characters (invisible codes, often from copying). Retype it with letters, digits and punctuation only.
problem-no-head = Mark one member as the head of the household.
problem-extra-head = Only one member can be the head of the household.
problem-consent-required = Record the consent to the collection and processing of personal data before entering personal data.
problem-amount-out-of-range = The amount cannot be negative or implausibly large.
problem-unknown-member = This refers to a person who is not a member of the household.
problem-cares-for-self = A member cannot be listed as caring for themselves.
problem-month-in-future = This month has not come yet.
problem-month-too-early = The month is before January 2000.
problem-livestock-head-out-of-range = The number of livestock is implausibly large.
problem-land-area-out-of-range = The land area is implausibly large.
problem-vehicle-year-out-of-range = The year the vehicle was made is implausible.
problem-consent-expires-before-recorded = The consent ends before the date it was recorded.
problem-rent-without-rent-tenure = A rent is given, but the family does not rent its home.
problem-no-members = Add at least one member of the household.
problem-required = Fill in this field to finalize the form.
problem-consent-transfer-required = To finalize the form, a valid consent that allows transfer of the data to the central registry is needed.
