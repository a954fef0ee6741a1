# Benefit programmes other than TSA (English). One section per programme file in
# core/src/rules/programmes/.

## Childbirth (programmes/childbirth.rs)

childbirth-step-newborn = { $member } was born on { $born }.
childbirth-step-order = { $member } is child number { $order } in the family.
childbirth-step-amount = One-time benefit: { $coefficient } MRP × { $mrp } = { $amount }.
childbirth-flag-order-counts-all-children = The order counts all the mother's children, also those living elsewhere: if this is her 4th child or later, the benefit is { $later } MRP.

## Large-family allowance (programmes/large_family.rs)

large-family-step-children = Children counted: { $children } (minors under { $minors }, and full-time students under { $students }, living with the family).
large-family-step-amount = Monthly allowance: { $coefficient } MRP × { $mrp } = { $amount }.
large-family-flag-already-received = The family already receives this allowance: check that the amount matches.

## Awarded mothers (programmes/awarded_mothers.rs)

awarded-mothers-step-award = { $member } holds the award { $award }.
awarded-mothers-step-amount = Monthly allowance for life: { $coefficient } MRP × { $mrp } = { $amount }.
award-kumis_alqa = "Kumis alqa" (silver pendant)
award-altyn_alqa = "Altyn alqa" (gold pendant)
award-mother_heroine = Mother-Heroine
award-maternal_glory_i = Order of Maternal Glory, I degree
award-maternal_glory_ii = Order of Maternal Glory, II degree

## Childcare to age 1.5 (programmes/childcare.rs)

childcare-step-young-child = { $member } was born on { $born }; the benefit is paid until { $until }.
childcare-step-order = { $member } is child number { $order } in the family.
childcare-step-amount = Monthly benefit: { $coefficient } MRP × { $mrp } = { $amount }.
childcare-flag-insured-parent = A parent has wages and may be covered by social insurance, which pays its own childcare benefit instead: a specialist should check.

## State disability benefit (programmes/disability.rs)

disability-step-child-under-7 = { $member } is a child with a disability aged { $age } (under 7).
disability-step-since-childhood = { $member }, aged { $age }, has a disability since childhood (the rate for ages 7-18 and for those disabled since childhood).
disability-step-general-illness = { $member }, aged { $age }, has a disability from general illness.
disability-step-amount = Monthly benefit: { $coefficient } × subsistence minimum { $pm } = { $amount }.
disability-flag-group-unknown = The disability group is not on the form, and it decides the amount: group I { $group_i }, group II { $group_ii }, group III { $group_iii } subsistence minimums. The lowest is shown.
disability-flag-already-received = This person already receives a disability benefit: check that the amount matches.

## Carer of a child with a disability (programmes/carer.rs)

carer-step-cares-for = { $member } cares for { $child }, a child with a disability.
carer-step-published = Monthly benefit in { $year }: { $amount }.
carer-step-estimated = No amount is published for this year in the rule pack; estimated as { $coefficient } × subsistence minimum { $pm } = { $amount }.

## Loss of breadwinner (programmes/breadwinner.rs)

breadwinner-step-dependants = Dependants of the lost breadwinner in the household: { $dependants } (children under 18, students under 23, people with a disability, a spouse or parent of retirement age).
breadwinner-step-amount = Monthly benefit: { $coefficient } × subsistence minimum { $pm } = { $amount }.
breadwinner-step-share = Shared equally among { $dependants }: { $share } each.

## Special social services (programmes/special_services.rs)

special-services-ground-child-disability = { $member } is a child with a disability aged 1.5-18: may qualify for home-based services (for neuro-psychiatric or musculoskeletal conditions).
special-services-ground-disability-no-support = { $member } has disability group I or II and no able-bodied adult child or spouse in the household to support them.
special-services-ground-elderly-no-support = { $member } is of retirement age, cannot look after themselves, and has no able-bodied adult child or spouse in the household to support them.
special-services-step-where = Apply to the district department of employment and social programmes; a specialist assesses the need (home care, day care, temporary stay or residential care).
special-services-flag-already-receives = This person already receives special social services.

## Advisory views (programmes/advisory.rs)

advisory-step-expenses = Essential expenses of the household: { $amount } a month.
advisory-step-income = Counted income: { $amount } a month (average over the reference quarter).
advisory-step-standard = Minimum expenditure standard: { $share } × subsistence minimum { $pm } × { $members } people = { $amount } a month.
advisory-step-gap = Income minus the larger of expenses and the standard: { $amount } a month.
advisory-flag-near-miss = Refused by only { $over } per person (less than { $limit }): a small change of income or of the poverty line would change the answer. Worth a review.
advisory-flag-child-disability-no-services = { $member } is a child with a disability who receives no special social services.
advisory-flag-sole-carer-no-income = { $member } is the only adult, cares for a child under 3, and has no income.
advisory-flag-rent-over-half = Rent { $rent } is more than half of the counted income { $income }.
advisory-flag-food-loans = The family has taken { $loans } loan(s) to buy food.
advisory-flag-elderly-alone = { $member } is an elderly person living alone who needs care.
advisory-flag-not-received = The family is likely eligible for { $programme } but does not receive it: help them apply.
