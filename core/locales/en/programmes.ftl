# Benefit programmes other than TSA (English). One section per programme file in
# core/src/rules/programmes/.

## Childbirth (programmes/childbirth.rs)

childbirth-step-newborn = { $member } was born on { $born }.
childbirth-step-order = { $member } is child number { $order } in the family.
childbirth-step-amount = One-time benefit: { $coefficient } MRP × { $mrp } = { $amount }.
childbirth-flag-order-counts-all-children = The order counts all the mother's children, also those living elsewhere: if this is her 4th child or later, the benefit is { $later } MRP.
