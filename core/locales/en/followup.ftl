# After the intake: integration plan, referrals, visits, exit (English).
# Labels of the codes in core/src/followup/ (docs/case-follow-up.md).

## Measures of an integration plan (plan.rs, MeasureKind)
measure-job_search = Job search with the career centre
measure-training = Training and job skills
measure-temporary_work = Temporary work
measure-public_work = Public work
measure-start_business = Starting a business
measure-subsidiary_farming = Subsidiary farming
measure-education = Education
measure-health = Health
measure-social_cultural = Social and cultural participation
measure-school_attendance = Children's school attendance

## Measure status (MeasureStatus)
measure-status-planned = Planned
measure-status-in_progress = In progress
measure-status-done = Done
measure-status-missed = Missed
measure-status-cancelled = Cancelled

## Who is responsible (Responsible)
responsible-family = The family
responsible-career_centre = Career centre
responsible-social_worker = Social worker
responsible-akimat = Akimat
responsible-health_body = Clinic or hospital
responsible-education_body = School or college
responsible-ngo = Non-governmental organisation

## How the plan was agreed (SignatureMethod)
signature-paper = Signed on paper
signature-digital_signature = Digital signature
signature-witnessed = Agreed before a witness

## Referral services (referral.rs, Service)
service-diagnosis = Diagnosis at a clinic or hospital
service-medical_social_expertise = Medical-social expertise
service-pmpc = Psychological-medical-pedagogical consultation
service-special_social_services = Special social services
service-career_centre = Career centre
service-transport = Transport for people with disabilities
service-other = Other service

## Grounds of a referral (Ground)
ground-child_disability = Child with a disability
ground-disability = Disability
ground-old_age_no_self_care = Cannot look after oneself in old age
ground-no_parental_care = Orphanhood or no parental care
ground-neglect = Neglect
ground-deviant_behaviour = Deviant behaviour
ground-released_from_prison = Released from prison
ground-homelessness = Homelessness
ground-probation = Probation
ground-violence = Maltreatment or violence
ground-unemployment = Needs work
ground-other = Other ground

## Steps of a referral (StepKind)
step-informed = Family informed
step-documents_requested = Documents requested
step-documents_collected = Documents collected
step-submitted = Application submitted
step-appointment_set = Appointment set
step-attended = Attended
step-facilitated = Obstacle removed (transport, escort)
step-chased = Service asked for an answer

## Outcome of a referral (ReferralResult)
referral-result-granted = Granted
referral-result-refused = Refused
referral-result-withdrawn = Withdrawn by the family
referral-result-not_needed = Not needed

## What a visit checked (visit.rs, Check)
check-plan_review = Plan reviewed with the family
check-plan_measures = Plan measures
check-documents = Documents
check-referrals = Referrals
check-children_school = Children's school
check-health = Health
check-housing = Housing
check-income = Income
check-exit_follow_up = After the exit: did it hold?
check-returned_case = Returned case gone through
check-rescreen = Screened again under a new rule pack

## Why a family left assistance (exit.rs, ExitReason)
exit-income_rose = Income rose
exit-employment = Found work
exit-moved = Moved away
exit-refused = Refused assistance
exit-other = Other reason

## Why a household is on the visit list (visit_list.rs, VisitReasonKind)
visit-reason-returned_case = The registry returned the case
visit-reason-measure_overdue = A plan measure is overdue
visit-reason-referral_no_outcome = A referral has no outcome
visit-reason-documents_missing = Documents still missing
visit-reason-plan_review_due = Plan review due
visit-reason-rescreen = Pre-check changed under a new rule pack
visit-reason-exit_follow_up = Follow-up after the exit
visit-reason-next_visit_due = Next visit due
visit-reason-long_stay = Long stay on assistance: review the plan

## Problems of a follow-up record (problems.rs, Why)
record-problem-empty = Fill this in
record-problem-too_long = Too long
record-problem-control_characters = Contains characters that are not allowed
record-problem-unknown_member = Not a member of this household
record-problem-duplicate = Listed twice
record-problem-before_start = Before the start date
record-problem-in_future = Too far in the future
record-problem-missing = Required
record-problem-too_many = Too many entries
record-problem-wrong_household = Belongs to another household
