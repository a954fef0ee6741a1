# Komek pre-check: report, targeted social assistance, shared names (English).
# Every id here exists in ru/ and kk/ too (a test checks).

## Report

report-title = Komek: eligibility pre-check
report-header = Rule pack { $version } · { $region } · evaluated for { $date }
report-pre-check-not-decision = This is a pre-check, not a decision. The district commission decides on the application.
report-notes = Notes:
report-note-pack-does-not-cover-date = The rule pack is valid from { $valid_from } to { $valid_until }; this date is outside it, so the figures may be out of date.
report-note-no-parameters = The rule pack has no parameters for { $date }: nothing could be checked.
report-no-programmes = No programme could be checked.
report-amount-monthly = Estimated amount: { $amount } a month
report-amount-one-time = Estimated amount: { $amount } once
report-margin-below = Below the threshold by { $amount } per person.
report-margin-above = Above the threshold by { $amount } per person.
report-steps = How it was worked out:
report-excluded-incomes = Incomes not counted:
report-excluded-income = { $income }: { $amount } ({ $reason })
report-flags = To check (may change the result):
report-documents = Documents to bring:
report-confidence = Confidence of the rules used: { $confidence }
report-advisory = Advisory view: not a legal entitlement.
report-missing-fields = Please fill in: { $fields }
report-member = member { $number } ({ $relation })
quarter-value = Q{ $q } { $year }

outcome-likely-eligible = Likely eligible
outcome-needs-review = Needs review by a specialist
outcome-likely-not-eligible = Likely not eligible
outcome-missing-information = Information missing

confidence-verified = verified in official sources
confidence-likely = likely (one secondary source)
confidence-unverified = unverified: may apply

## Programmes

programme-targeted_social_assistance = Targeted social assistance (TSA)
programme-childbirth = Childbirth benefit (one-time)
programme-childcare = Childcare benefit to age 1.5
programme-large_family = Large-family allowance
programme-awarded_mothers = Allowance to awarded mothers
programme-disability = State disability benefit
programme-carer = Benefit to a parent caring for a child with a disability
programme-breadwinner = Loss-of-breadwinner benefit
programme-special_services = Special social services
programme-advisory_expenditure = Expenses against income (advisory)
programme-advisory_risk_flags = Early risk signals (advisory)

## Targeted social assistance

tsa-step-reference-quarter = Application in { $applied }: the incomes received in { $quarter } are counted.
tsa-step-income-counted = { $income }: { $amount } counted ({ $reason }).
tsa-step-income-total = Counted family income in { $quarter }: { $total }.
tsa-step-pci = Per-capita income: { $total } ÷ { $members } { $members ->
        [one] person
       *[other] people
    } ÷ { $months } months = { $pci } a month.
tsa-step-line-published = Published poverty line of { $region } for { $quarter }: { $line }.
tsa-step-line-estimated-pm = { $national ->
        [1] National subsistence minimum
       *[0] Subsistence minimum of { $region }
    } for { $pm_quarter }: { $pm }; { $share } of it is { $line }.
tsa-step-line-median = Median income: { $median }; { $share } of it is { $line }.
tsa-step-line-median-unknown = The median income of the region is not in the rule pack, so only the subsistence minimum is used.
tsa-step-line-max = The poverty line is the larger of the two: { $line }.
tsa-step-line-estimated = No published poverty line for { $region } in { $quarter }: estimated line { $line }.
tsa-step-below-line = Per-capita income { $pci } is not above the poverty line { $line }: it is { $difference } below it.
tsa-step-above-line = Per-capita income { $pci } is above the poverty line { $line } by { $difference } per person.
tsa-step-amount = Assistance: ({ $line } − { $pci }) × { $members } = { $margin } × { $members } = { $amount } a month.
tsa-step-child-supplement = Child supplement: { $children } { $children ->
        [one] child
       *[other] children
    } aged { $min_age }-{ $max_age } × { $coefficient } MRP ({ $mrp }) = { $per_child } × { $children } = { $amount } a month.
tsa-step-total = Total estimated assistance: { $amount } a month.
tsa-step-unconditional-single-retired = Unconditional assistance: { $member } lives alone and has reached retirement age.
tsa-step-unconditional-single-disabled = Unconditional assistance: { $member } lives alone and has disability group I or II.
tsa-step-unconditional-single-ill = Unconditional assistance: { $member } lives alone and is ill with expected incapacity of over two months.
tsa-step-unconditional-no-able-bodied = Unconditional assistance: no member of the family is able-bodied.
tsa-step-unconditional-sole-carer = Unconditional assistance: the only able-bodied member, { $member }, cares for { $cared }.
tsa-step-conditional = Conditional assistance: { $able_bodied } able-bodied { $able_bodied ->
        [one] member
       *[other] members
    } must take part in employment measures.
tsa-step-social-contract = A social contract is signed with the family. If it is broken, payments stop and assistance is refused for { $months } months.
tsa-step-district-farming-not-income = The district akimat declared livestock, poultry and land not income-generating: farm income is not counted.
tsa-step-where-to-apply = Apply at a career centre, through the akim of the village or rural district, or on egov.kz. An answer comes in { $centre_days } working days at a centre, { $akim_days } through the akim, up to { $max_days } calendar days when other agencies are asked.

tsa-flag-no-income-in-reference-quarter = No income is recorded for { $quarter }, the quarter that counts. Please check the months of the incomes.
tsa-flag-line-from-earlier-pm = The subsistence minimum of { $quarter } is not in the rule pack; the one of { $pm_quarter } was used. The line may be lower than the real one.
tsa-flag-line-national-pm = The rule pack has no subsistence minimum for { $region }; the national one was used. A specialist should check the poverty line.
tsa-flag-line-unknown = The rule pack has no poverty line and no subsistence minimum for { $region } in { $quarter }.
tsa-flag-asset-loans = May lead to refusal: loans other than a mortgage ({ $loans }) exceed { $coefficient } subsistence minimums per member ({ $limit } for { $members }).
tsa-flag-asset-deposits = May lead to refusal: deposits ({ $deposits }) exceed { $coefficient } MRP ({ $limit }).
tsa-flag-asset-cars = May lead to refusal: the family has { $cars } cars (more than { $max }), and is neither a large family nor raising a child with a disability.
tsa-flag-farming-income-may-count = The family keeps livestock or land but no farm income is recorded. Unless the district declared them not income-generating, the agency may count an income from them.
tsa-flag-permanent-residence = Foreigners and stateless persons may apply only if they are permanently resident in Kazakhstan.

## Why an income counts or not

income-reason-counted-wages = wages count
income-reason-counted-social-payment = social payments count
income-reason-counted-alimony = alimony counts
income-reason-counted-subsidiary-farming = income from personal subsidiary farming counts
income-reason-counted-business = business income counts
income-reason-counted-property = rent or sale of property and vehicles counts
income-reason-counted-securities = income from securities counts
income-reason-counted-gift = gifts and inheritance count
income-reason-counted-credit = credits and microcredits count
income-reason-counted-free-of-charge = money received free of charge counts
income-reason-counted-deposit-interest = deposit interest counts
income-reason-counted-transfer = money transfers count
income-reason-counted-winnings = winnings count
income-reason-counted-large-family = the large-family allowance counts
income-reason-counted-employment-measures = payments from employment measures count
income-reason-counted-housing-certificate = housing certificates count
income-reason-counted-other = other income counts unless the agency decides otherwise
income-reason-excluded-relocation = the one-time relocation payment is not counted
income-reason-excluded-tsa = targeted social assistance itself is not counted
income-reason-excluded-housing-assistance = housing assistance is not counted
income-reason-excluded-funeral = one-time funeral allowances are not counted
income-reason-excluded-child-disability = disability benefits for children are not counted
income-reason-excluded-special-child-disability = special state benefits for children with disabilities are not counted
income-reason-excluded-scholarship = scholarships are not counted (to be confirmed)
income-reason-excluded-awarded-mothers = the awarded mothers' allowance is not counted (to be confirmed)
income-reason-excluded-district-not-income-generating = the district declared livestock and land not income-generating

## Income kinds

income-wages = Wages
income-pension = Pension
income-social_benefit = Social benefit
income-adult_disability_benefit = Disability benefit (adult)
income-survivor_benefit = Loss-of-breadwinner benefit
income-childcare_benefit = Childcare benefit
income-carer_benefit = Carer's benefit
income-alimony = Alimony
income-subsidiary_farming = Personal subsidiary farming
income-business = Business income
income-property_rent_or_sale = Rent or sale of property
income-securities = Securities
income-gift_or_inheritance = Gifts and inheritance
income-credit = Credits and microcredits
income-free_of_charge = Money received free of charge
income-deposit_interest = Deposit interest
income-money_transfer = Money transfers
income-winnings = Winnings
income-large_family_allowance = Large-family allowance
income-employment_measures = Payments from employment measures
income-employment_relocation_one_time = One-time relocation payment
income-housing_certificate = Housing certificate
income-targeted_social_assistance = Targeted social assistance
income-housing_assistance = Housing assistance
income-funeral_allowance = Funeral allowance
income-child_disability_benefit = Disability benefit for a child
income-special_child_disability_benefit = Special state benefit for a child with a disability
income-scholarship = Scholarship
income-awarded_mothers_allowance = Allowance to awarded mothers
income-other = Other income

## Documents

doc-application = Application
doc-identity_document = Identity document (or digital document)
doc-bank_account = Bank account (IBAN) in the applicant's name
doc-alimony_certificate = Alimony certificate for the quarter that counts
doc-unemployment_certificate = Unemployment certificate
doc-marriage_certificate = Marriage certificate
doc-divorce_certificate = Divorce certificate
doc-birth_certificate = Birth certificate
doc-disability_certificate = Disability certificate
doc-medical_card = Medical card
doc-rehabilitation_programme_extract = Extract from the individual rehabilitation programme
doc-court_decision_on_incapacity = Court decision on incapacity
doc-death_certificate = Death certificate
doc-income_certificate = Income certificate
doc-other = Other document

## Relations to the head of the household

relation-head = head of household
relation-spouse = spouse
relation-child = child
relation-stepchild = stepchild
relation-grandchild = grandchild
relation-parent = parent
relation-grandparent = grandparent
relation-sibling = brother or sister
relation-other_relative = other relative
relation-not_related = not related

## Regions

region-abai = Abai region
region-akmola = Akmola region
region-aktobe = Aktobe region
region-almaty_region = Almaty region
region-atyrau = Atyrau region
region-west_kazakhstan = West Kazakhstan region
region-zhambyl = Zhambyl region
region-zhetysu = Zhetysu region
region-karaganda = Karaganda region
region-kostanay = Kostanay region
region-kyzylorda = Kyzylorda region
region-mangystau = Mangystau region
region-pavlodar = Pavlodar region
region-north_kazakhstan = North Kazakhstan region
region-turkistan = Turkistan region
region-ulytau = Ulytau region
region-east_kazakhstan = East Kazakhstan region
region-astana = Astana
region-almaty = Almaty
region-shymkent = Shymkent

## Uncertainty, family composition, refusals, rounding (issue 12)
report-flag-pack-out-of-date = Needs review: the rule pack is valid from { $valid_from } to { $valid_until } and this date is outside it. The law may have changed since; ask for an up-to-date rule pack.
tsa-review-line-lower-bound = Needs review: from 2025 the poverty line is the larger of 35% of the median income and 70% of the subsistence minimum, and the rule pack has no median income of { $region } for { $quarter }. The line { $line } is only a lower bound; the real line may be higher.
tsa-step-member-not-counted = { $member } is not counted in the family ({ $absence }).
tsa-step-member-absent-counted = { $member } is counted in the family although away ({ $absence }); a specialist confirms it.
tsa-step-unconditional-lone-minor = Unconditional assistance: { $member } is a minor living alone.
tsa-step-unconditional-sole-carer-inferred = Unconditional assistance: { $member } is the only able-bodied member and { $cared } needs their care (worked out from the family; confirm who provides the care).
tsa-step-refusal-bar = Assistance was refused or stopped on { $date } ({ $reason }): no assistance for { $months } months. The family can apply again from { $until }.
tsa-flag-asset-card-spending = May lead to refusal: card spending { $spending } a month ÷ { $members } = { $per_member } per person exceeds the poverty line { $line }.
tsa-step-credit-counted-once = Loans taken in { $quarter } ({ $amount } still owed) are counted as income of that quarter, so they are left out of the loan check: a credit counts once.
tsa-flag-farming-partly-not-income = The district's decision makes only part of farming (livestock or land) not income-generating; { $amount } of farm income was counted in full. Say how much came from livestock and how much from land.
tsa-step-rounding-tiyn = Paid to the tiyn as computed: { $amount } → { $paid }.
tsa-step-rounding-whole-tenge = Paid in whole tenge (half a tenge rounds up): { $amount } → { $paid }.
review-age-near-limit = Needs review: only the age of { $member } is known, not the birth date, and it is near a limit ({ $limit }). Ask for the month and year of birth.
limit-child-supplement = child supplement for ages 1 to 6
limit-adult = 18 years, working age
limit-retirement = retirement age
limit-childbirth-window = 12 months to claim the childbirth benefit
limit-childcare = childcare benefit until 18 months
limit-large-family = children under 18, students under 23
limit-special-services-child = home services for children from 18 months to 18 years
absence-abroad = abroad
absence-military_service = in military service
absence-prison = in prison
absence-state_care = in full state care
refusal-refused_employment_measures = employment measures refused
refusal-broken_social_contract = social contract broken

## Labels of coded values (l10n::label)
disability-none = No disability
disability-group_i = Disability group I
disability-group_i_i = Disability group II
disability-group_i_i_i = Disability group III
disability-child = Child with a disability
activity-employed = Employed
activity-self_employed = Self-employed
activity-unemployed = Unemployed
activity-homemaker = Homemaker
activity-pensioner = Pensioner
activity-student_full_time = Full-time student
activity-child = Child (not working)
activity-carer = Carer
