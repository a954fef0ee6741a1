//! A first plan and first referrals proposed from the pre-check, for staff to
//! edit.
//!
//! Under conditional TSA the able-bodied members take part in employment
//! measures (domain file, TSA); the support the family asked for on the form
//! (`wanted_support`, resilience study Table 10) is the menu of the plan; and
//! a member the special-services pre-check finds likely eligible is a
//! referral waiting to be made. Nothing here is decided for the family: the
//! proposal is a draft that staff change before anyone signs it.

use super::plan::{IntegrationPlan, Measure, MeasureKind, MeasureStatus, Parties, Responsible};
use super::referral::{Ground, Referral, Service};
use super::RecordHead;
use crate::model::{Activity, Disability, Household, Relation};
use crate::rules::definitions::able_bodied;
use crate::rules::programmes::EvalContext;
use crate::rules::report::{Outcome, ProgrammeId, Report, TsaConditions};
use crate::rules::RulePack;
use chrono::{DateTime, Months, NaiveDate, Utc};
use uuid::Uuid;

/// The plan's default term and review rhythm: six months, reviewed every
/// three (the study asks for regular reviews without a number; a setting of
/// the proposal, never law).
pub const TERM_MONTHS: u32 = 6;
pub const REVIEW_EVERY_MONTHS: u32 = 3;
/// Employment measures fall due one month after the start, the others at
/// the first review.
pub const FIRST_STEP_MONTHS: u32 = 1;

/// School age for the school-attendance measure: 6 to 17 years.
const SCHOOL_AGES: std::ops::RangeInclusive<u32> = 6..=17;

/// A draft plan for `household` when its pre-check (`report`, made under
/// `pack` on `starts_on`) says TSA would be conditional; `None` otherwise.
///
/// Every able-bodied member who is not already working gets a job-search
/// measure with the career centre; each support the family asked for becomes
/// a measure of its kind for the recipient (the head, or the first
/// able-bodied member); school-age children get a school-attendance measure
/// the family answers for. Reviews every [`REVIEW_EVERY_MONTHS`] over
/// [`TERM_MONTHS`].
pub fn propose_plan(
    household: &Household,
    report: &Report,
    pack: &RulePack,
    starts_on: NaiveDate,
    authority: &str,
    now: DateTime<Utc>,
) -> Option<IntegrationPlan> {
    let tsa = report.programme(ProgrammeId::TargetedSocialAssistance)?;
    let conditional = tsa
        .figures
        .as_ref()
        .and_then(|f| f.conditionality)
        .is_some_and(|c| c == TsaConditions::Conditional);
    if !conditional {
        return None;
    }
    let globals = pack.globals_on(starts_on)?;
    let ctx = EvalContext::new(household, pack, starts_on, globals);
    let able: Vec<usize> = (0..household.members.len())
        .filter(|&i| able_bodied(&ctx, i).yes())
        .collect();
    let recipient = household
        .members
        .iter()
        .position(|m| m.relation == Relation::Head)
        .filter(|i| able.contains(i))
        .or_else(|| able.first().copied())?;
    let months = |n: u32| starts_on.checked_add_months(Months::new(n));
    let first_step = months(FIRST_STEP_MONTHS)?;
    let first_review = months(REVIEW_EVERY_MONTHS)?;
    let mut measures = Vec::new();
    let mut covered = Vec::new();
    for &i in &able {
        let m = &household.members[i];
        covered.push(m.id);
        let working = matches!(
            m.activity,
            Some(Activity::Employed | Activity::SelfEmployed)
        );
        if !working {
            measures.push(measure(MeasureKind::JobSearch, Some(m.id), first_step));
        }
    }
    let recipient_id = household.members[recipient].id;
    for wanted in &household.wanted_support {
        let kind = MeasureKind::for_wanted(*wanted);
        if measures
            .iter()
            .any(|x| x.kind == kind && x.member == Some(recipient_id))
        {
            continue;
        }
        let mut x = measure(kind, Some(recipient_id), first_review);
        if kind == MeasureKind::SubsidiaryFarming {
            x.responsible = Responsible::Akimat;
        }
        measures.push(x);
    }
    for (i, m) in household.members.iter().enumerate() {
        let school_age = ctx.ages[i].is_some_and(|a| SCHOOL_AGES.contains(&a));
        if school_age && m.disability == Disability::None {
            covered.push(m.id);
            let mut x = measure(MeasureKind::SchoolAttendance, Some(m.id), first_review);
            x.responsible = Responsible::Family;
            measures.push(x);
        }
    }
    let review_dates = (1..=TERM_MONTHS / REVIEW_EVERY_MONTHS)
        .filter_map(|k| months(k * REVIEW_EVERY_MONTHS))
        .collect();
    Some(IntegrationPlan {
        head: RecordHead::new(household.id, now),
        parties: Parties {
            recipient: recipient_id,
            authority: authority.to_string(),
            drawn_up_by: None,
        },
        covered_members: covered,
        starts_on,
        ends_on: months(TERM_MONTHS),
        measures,
        obligations: Vec::new(),
        review_dates,
        signature: None,
        note: None,
    })
}

fn measure(kind: MeasureKind, member: Option<Uuid>, due: NaiveDate) -> Measure {
    Measure {
        id: Uuid::new_v4(),
        kind,
        member,
        responsible: Responsible::CareerCentre,
        due,
        status: MeasureStatus::Planned,
        note: None,
    }
}

/// Draft referrals for the members the special-services pre-check found
/// likely eligible (or needing review) who do not receive the services yet:
/// a child with a disability to the PMPC, others to special social services,
/// each with the ground the pre-check used and the service's documents.
pub fn propose_referrals(
    household: &Household,
    report: &Report,
    opened_on: NaiveDate,
    now: DateTime<Utc>,
) -> Vec<Referral> {
    let mut out: Vec<Referral> = Vec::new();
    for r in report
        .programmes
        .iter()
        .filter(|p| p.programme == ProgrammeId::SpecialServices)
    {
        if !matches!(r.outcome, Outcome::LikelyEligible | Outcome::NeedsReview) {
            continue;
        }
        let Some(member) = r
            .member
            .as_ref()
            .and_then(|m| household.members.get(m.index as usize))
        else {
            continue;
        };
        if member.receives_special_services || out.iter().any(|x| x.member == member.id) {
            continue;
        }
        let (service, ground) = match member.disability {
            Disability::Child => (Service::Pmpc, Ground::ChildDisability),
            Disability::None if member.needs_care => {
                (Service::SpecialSocialServices, Ground::OldAgeNoSelfCare)
            }
            _ => (Service::SpecialSocialServices, Ground::Disability),
        };
        out.push(Referral::open(
            RecordHead::new(household.id, now),
            member.id,
            service,
            ground,
            opened_on,
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::followup::tests_support::{d, family, now};
    use crate::followup::FollowUpRecord;
    use crate::model::SupportMeasure;
    use crate::rules::{default_pack, evaluate};

    #[test]
    fn a_conditional_family_gets_employment_measures_and_its_wishes() {
        let mut h = family();
        h.wanted_support = vec![SupportMeasure::SubsidiaryFarming, SupportMeasure::Job];
        let day = d(2026, 3, 1);
        let report = evaluate(&h, default_pack(), day);
        let tsa = report
            .programme(ProgrammeId::TargetedSocialAssistance)
            .unwrap();
        assert_eq!(
            tsa.figures.as_ref().and_then(|f| f.conditionality),
            Some(TsaConditions::Conditional),
            "two able-bodied parents: conditional"
        );
        let p = propose_plan(&h, &report, default_pack(), day, "Career centre", now()).unwrap();
        let (head, spouse) = (h.members[0].id, h.members[1].id);
        assert_eq!(p.parties.recipient, head);
        assert_eq!(p.covered_members, vec![head, spouse]);
        let kinds: Vec<_> = p.measures.iter().map(|m| (m.kind, m.member)).collect();
        // Job search for both parents (neither works); farming for the
        // recipient; `Job` is the recipient's job search already planned.
        assert_eq!(
            kinds,
            vec![
                (MeasureKind::JobSearch, Some(head)),
                (MeasureKind::JobSearch, Some(spouse)),
                (MeasureKind::SubsidiaryFarming, Some(head)),
            ]
        );
        assert_eq!(p.measures[0].due, d(2026, 4, 1));
        assert_eq!(p.measures[2].due, d(2026, 6, 1));
        assert_eq!(p.measures[2].responsible, Responsible::Akimat);
        assert_eq!(p.review_dates, vec![d(2026, 6, 1), d(2026, 9, 1)]);
        assert_eq!(p.ends_on, Some(d(2026, 9, 1)));
        // The proposal is a valid draft, not yet signable.
        p.check(&h, day).unwrap();
        assert!(p.check_final(&h, day).is_err());
    }

    #[test]
    fn no_plan_when_tsa_is_unconditional() {
        let mut h = family();
        // A single pensioner: unconditional.
        h.members.truncate(1);
        h.members[0].birth_date = Some(d(1950, 1, 1));
        h.members[0].activity = Some(Activity::Pensioner);
        let day = d(2026, 3, 1);
        let report = evaluate(&h, default_pack(), day);
        assert!(propose_plan(&h, &report, default_pack(), day, "Centre", now()).is_none());
    }

    #[test]
    fn a_child_with_a_disability_is_proposed_for_the_pmpc() {
        let h = family();
        let day = d(2026, 3, 1);
        let report = evaluate(&h, default_pack(), day);
        let refs = propose_referrals(&h, &report, day, now());
        assert_eq!(
            refs.len(),
            1,
            "{:?}",
            report.programme(ProgrammeId::SpecialServices)
        );
        assert_eq!(refs[0].member, h.members[2].id);
        assert_eq!(refs[0].service, Service::Pmpc);
        assert_eq!(refs[0].ground, Ground::ChildDisability);
        refs[0].check(&h, day).unwrap();
        let mut served = h.clone();
        served.members[2].receives_special_services = true;
        let report = evaluate(&served, default_pack(), day);
        assert!(propose_referrals(&served, &report, day, now()).is_empty());
    }
}
