# The command line's own messages: the questions of `komek check --interactive`
# and the framing of `komek check`. Reports and validation problems come from
# core/locales. Every id exists in kk, ru and en (a test checks).

ask-intro = Komek self-check. Answer a few questions about the people who live with you. Nothing is stored or sent. Press Enter to accept the answer in [brackets].
ask-region = Where do you live? Enter the number from the list, a KATO code or the region's name
ask-people = How many people live in your family, counting yourself?
ask-person = Person { $number } of { $total }
ask-person-is-you = Person 1 is you (the head of the household).
ask-relation = Who is this person to you?
ask-age = Age, in full years
ask-sex = Sex
ask-activity = What does this person do?
ask-disability = Disability
ask-since-childhood = Disabled since childhood? (yes/no)
ask-long-illness = Ill and unable to work for more than two months? (yes/no)
ask-needs-care = Does this person need care from someone else? (yes/no)
ask-cares-for = Whom does this person care for? Person numbers separated by commas, - for nobody
ask-mother-award = A state award for mothers of large families
ask-income-kind = This person's income in the last three months: the number of its kind (Enter when done, ? for the list)
ask-income-amount = Average amount a month, in tenge
ask-tenure = Your home
ask-rent = Rent a month, in tenge
ask-deposits = Savings and deposits of the family in total, in tenge
ask-cars = How many cars does the family have?
ask-loans = How much does the family still owe on loans, in tenge?
ask-loan-purpose = What were the loans taken for (the largest)?
ask-livestock = How many head of livestock does the family keep?
ask-breadwinner-lost = Has the family lost its breadwinner (death)? (yes/no)

answer-number = Please enter a whole number from { $min } to { $max }.
answer-choice = Please enter a number from 1 to { $max } (? shows the list).
answer-yes = yes
answer-no = no
answer-yes-no = Please answer yes or no.
answer-amount = Please enter an amount in tenge, like 85000 or 85 000,50.
answer-region = Please enter a number from the list, a KATO code or a region's name.
answer-people = Please enter the numbers of other people in the family, from 1 to { $max }, or -.
answers-ended = The answers ended before the last question.
answers-ended-at = no answer to this question
answers-saved = Answers saved to { $file }.

income-done = No (more) income
award-none = None
sex-male = Male
sex-female = Female
activity-employed = Employed
activity-self_employed = Self-employed
activity-unemployed = Unemployed
activity-homemaker = Looks after the home
activity-pensioner = Pensioner
activity-student_full_time = Full-time student
activity-carer = Cares for a family member
disability-none = None
disability-group-1 = Group I
disability-group-2 = Group II
disability-group-3 = Group III
disability-child = Child with a disability
tenure-own = Own home
tenure-rent = Rented
tenure-with_relatives = Live with relatives
tenure-no_housing = No housing
tenure-other = Other
loan-consumer = Consumer needs
loan-food = Food
loan-medical = Medical treatment
loan-business = Business
loan-mortgage = Mortgage
loan-other = Other

household-invalid = The household cannot be checked:
household-warnings = Please check (the pre-check goes on):
problem-region-missing = The region is missing: give it in the file or with --region. [problem-region-missing]
problem-age-out-of-range = The age is implausible.
problem-too-many = Too many: at most { $max } are allowed here. Please check the number.
pack-unsigned = Warning: the rule pack { $file } is used WITHOUT a signature check (a draft). Do not give this result to a family.

# Why a household file cannot be read (the value itself is never shown).
file-not-json = not valid JSON: { $detail }
file-not-object = expected one JSON object describing one household
file-not-utf8 = not UTF-8 text
file-missing = missing (required)
file-unknown-field = unknown field; allowed here: { $allowed }
file-wrong-type = wrong type: found { $found }, expected { $expected }
file-invalid-value = invalid value, expected { $expected }
file-not-allowed = not an allowed value; expected one of { $allowed }
type-integer = a whole number
type-unsigned = a whole number, 0 or more
type-decimal = a number with decimals
type-text = text
type-object = an object
type-list = a list
type-boolean = true or false
type-null = nothing (null)

# `komek supervisor show`: the labels of a case as a supervisor reads it.
case-title = Case
case-status = Status
case-version = version
case-flagged = flagged for a person: look before deciding
case-device = Sent by device
case-region = Region
case-address = Address
case-member = member
case-members = Members
case-born = born
case-iin = IIN
case-incomes = Incomes
case-expenses = Expenses a month
case-housing = Housing
case-rent = rent a month
case-documents = Documents
case-support = Support wanted
case-consent = Consent
case-valid-until = valid until
case-breadwinner-lost = The family has lost its breadwinner.
case-notes = Notes
case-precheck = Pre-check
