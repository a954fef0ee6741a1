//! Targeted social assistance (TSA, АСП): the means-tested programme most
//! families are refused by a small margin without knowing why.
//!
//! The rule (domain file, "Targeted social assistance"):
//! - per-capita income (PCI) = counted family income in the quarter before the
//!   quarter of application ÷ members ÷ 3;
//! - likely eligible when PCI ≤ poverty line (PL) of the region for the quarter
//!   of application (published, else estimated from the subsistence minimum);
//! - amount a month = (PL − PCI) × members, plus 1.5 MRP per child aged 1-6;
//! - conditional (social contract) unless the family has no able-bodied member
//!   other than a carer, or is a single person who is retired, disabled (I/II)
//!   or long ill;
//! - 2025 asset screens shown as "may lead to refusal", never as a refusal.
//!
//! Rounding, defined once: PCI is rounded half away from zero to the tiyn
//! ([`Tiyn::mul_div`]); the margin PL − PCI is then exact in tiyn, and the
//! amount is margin × members, exact. Every step goes into the report with its
//! inputs, so a family refused by 1,200 tenge sees exactly which incomes did it.

use super::pack::{Confidence, PmSource, PovertyLine};
use super::programmes::EvalContext;
use super::report::{Amount, ExcludedIncome, MsgId, Outcome, ProgrammeId, ProgrammeResult};
use crate::model::{
    Activity, Disability, IncomeKind, LoanPurpose, Member, Quarter, ResidencyStatus, Sex, Tiyn,
    VehicleKind,
};
use crate::msg;

/// Every message id this module emits (checked against the .ftl files).
pub const MESSAGE_IDS: &[&str] = &[
    "tsa-step-reference-quarter",
    "tsa-step-income-counted",
    "tsa-step-income-total",
    "tsa-step-pci",
    "tsa-step-line-published",
    "tsa-step-line-estimated-pm",
    "tsa-step-line-median",
    "tsa-step-line-median-unknown",
    "tsa-step-line-max",
    "tsa-step-line-estimated",
    "tsa-step-below-line",
    "tsa-step-above-line",
    "tsa-step-amount",
    "tsa-step-child-supplement",
    "tsa-step-total",
    "tsa-step-unconditional-single-retired",
    "tsa-step-unconditional-single-disabled",
    "tsa-step-unconditional-single-ill",
    "tsa-step-unconditional-no-able-bodied",
    "tsa-step-unconditional-sole-carer",
    "tsa-step-conditional",
    "tsa-step-social-contract",
    "tsa-step-district-farming-not-income",
    "tsa-step-where-to-apply",
    "tsa-flag-no-income-in-reference-quarter",
    "tsa-flag-line-from-earlier-pm",
    "tsa-flag-line-national-pm",
    "tsa-flag-line-unknown",
    "tsa-flag-asset-loans",
    "tsa-flag-asset-deposits",
    "tsa-flag-asset-cars",
    "tsa-flag-farming-income-may-count",
    "tsa-flag-permanent-residence",
    "income-reason-excluded-district-not-income-generating",
];

/// The reason id of subsistence-farming income excluded by a district decision.
const DISTRICT_REASON: &str = "income-reason-excluded-district-not-income-generating";

/// Pushes the TSA result.
pub fn evaluate(ctx: &EvalContext<'_>, out: &mut Vec<ProgrammeResult>) {
    out.push(assess(ctx));
}

/// The TSA result for the household in `ctx`.
pub fn assess(ctx: &EvalContext<'_>) -> ProgrammeResult {
    let pack = ctx.pack;
    let tsa = &pack.tsa;
    let members = ctx.members();
    let mut r = ProgrammeResult::new(
        ProgrammeId::TargetedSocialAssistance,
        Outcome::LikelyNotEligible,
        tsa.confidence,
    );
    if members.is_empty() {
        r.outcome = Outcome::MissingInformation {
            fields: vec!["members".to_string()],
        };
        return r;
    }
    let n = i64::try_from(members.len()).unwrap_or(i64::MAX);
    let application_quarter = Quarter::of(ctx.date);
    let reference = application_quarter.previous();
    let mut missing: Vec<String> = ctx.missing_birth_dates(|_| true);

    // 1. Incomes of the reference quarter: counted or excluded, by kind.
    r.step(msg!(
        "tsa-step-reference-quarter",
        applied = application_quarter,
        quarter = reference
    ));
    let district = ctx
        .household
        .location
        .district
        .as_deref()
        .and_then(|d| pack.district_flags(ctx.region, d, ctx.date))
        .filter(|f| f.livestock_not_income || f.land_not_income);
    let mut by_kind = [Tiyn::ZERO; IncomeKind::ALL.len()];
    let mut seen = [false; IncomeKind::ALL.len()];
    let mut outside_reference = false;
    for income in &ctx.household.incomes {
        if reference.contains(income.month) {
            by_kind[income.kind as usize] += income.amount;
            seen[income.kind as usize] = true;
        } else {
            outside_reference = true;
        }
    }
    let mut total = Tiyn::ZERO;
    for kind in IncomeKind::ALL {
        let i = kind as usize;
        if !seen[i] {
            continue;
        }
        let rule = tsa.income(kind);
        let amount = by_kind[i];
        r.used(rule.confidence);
        if kind == IncomeKind::SubsidiaryFarming {
            if let Some(flags) = district {
                r.used(flags.confidence);
                r.excluded_incomes.push(ExcludedIncome {
                    kind,
                    amount,
                    reason: MsgId::new(DISTRICT_REASON),
                });
                continue;
            }
        }
        if rule.counted {
            total += amount;
            r.step(msg!(
                "tsa-step-income-counted",
                income = kind,
                amount = amount,
                reason = MsgId::from(rule.reason_id())
            ));
        } else {
            r.excluded_incomes.push(ExcludedIncome {
                kind,
                amount,
                reason: MsgId::from(rule.reason_id()),
            });
        }
    }
    if outside_reference && !seen.iter().any(|s| *s) {
        r.flag(msg!(
            "tsa-flag-no-income-in-reference-quarter",
            quarter = reference
        ));
    }
    r.step(msg!(
        "tsa-step-income-total",
        quarter = reference,
        total = total
    ));
    if let Some(flags) = district {
        r.step(msg!(
            "tsa-step-district-farming-not-income",
            source_confidence = flags.confidence
        ));
    } else if has_farm_assets(ctx) && !seen[IncomeKind::SubsidiaryFarming as usize] {
        r.flag(msg!("tsa-flag-farming-income-may-count"));
    }

    // 2. Per-capita income, rounded half away from zero to the tiyn.
    let pci = total.mul_div(1, n.saturating_mul(3));
    r.step(msg!(
        "tsa-step-pci",
        total = total,
        members = n,
        months = 3i64,
        pci = pci
    ));

    // 3. The poverty line of the region for the quarter of application.
    let line = pack.poverty_line(ctx.region, application_quarter);
    r.used(line.confidence());
    let mut national_fallback = false;
    let pl = match line {
        PovertyLine::Published { amount, .. } => {
            r.step(msg!(
                "tsa-step-line-published",
                region = ctx.region,
                quarter = application_quarter,
                line = amount
            ));
            amount
        }
        PovertyLine::Estimated {
            amount,
            pm,
            pm_quarter,
            pm_source,
            pm_share,
            median,
            median_missing,
            ..
        } => {
            let region_or_nation = ctx.region;
            r.step(msg!(
                "tsa-step-line-estimated-pm",
                region = region_or_nation,
                national = i64::from(pm_source == PmSource::National),
                pm = pm,
                pm_quarter = pm_quarter,
                share = super::report::Value::Percent(pm_share),
                line = pm.times(pm_share)
            ));
            if let Some((median_income, share)) = median {
                r.step(msg!(
                    "tsa-step-line-median",
                    median = median_income,
                    share = super::report::Value::Percent(share),
                    line = median_income.times(share)
                ));
                r.step(msg!("tsa-step-line-max", line = amount));
            } else if median_missing {
                r.step(msg!("tsa-step-line-median-unknown"));
            }
            r.step(msg!(
                "tsa-step-line-estimated",
                region = ctx.region,
                quarter = application_quarter,
                line = amount
            ));
            match pm_source {
                PmSource::Regional => {}
                PmSource::RegionalEarlier => r.flag(msg!(
                    "tsa-flag-line-from-earlier-pm",
                    pm_quarter = pm_quarter,
                    quarter = application_quarter.previous()
                )),
                PmSource::National => {
                    national_fallback = true;
                    r.flag(msg!("tsa-flag-line-national-pm", region = ctx.region));
                }
            }
            amount
        }
        PovertyLine::Unknown => {
            r.flag(msg!(
                "tsa-flag-line-unknown",
                region = ctx.region,
                quarter = application_quarter
            ));
            r.outcome = if missing.is_empty() {
                Outcome::NeedsReview
            } else {
                Outcome::MissingInformation { fields: missing }
            };
            r.used(Confidence::Unverified);
            finish_documents(ctx, &mut r, &seen);
            return r;
        }
    };

    // 4. Compare: the margin is exact in tiyn.
    let margin = pl - pci;
    r.margin = Some(margin);
    let eligible = margin >= Tiyn::ZERO;
    if eligible {
        r.step(msg!(
            "tsa-step-below-line",
            pci = pci,
            line = pl,
            difference = margin
        ));
    } else {
        r.step(msg!(
            "tsa-step-above-line",
            pci = pci,
            line = pl,
            difference = Tiyn(margin.get().saturating_neg())
        ));
    }

    let mut amount = None;
    if eligible {
        // 5. Amount and child supplement.
        r.used(tsa.amount_confidence);
        let base = Tiyn(margin.get().saturating_mul(n));
        r.step(msg!(
            "tsa-step-amount",
            line = pl,
            pci = pci,
            margin = margin,
            members = n,
            amount = base
        ));
        let cs = &tsa.child_supplement;
        let children = ctx.aged(cs.min_age, cs.max_age).count();
        let mut monthly = base;
        if children > 0 {
            let (coefficient, confidence) = pack.child_supplement_mrp(ctx.region, ctx.date);
            r.used(confidence);
            r.used(ctx.globals.confidence);
            let per_child = ctx.mrp().times(coefficient);
            let children_i = i64::try_from(children).unwrap_or(i64::MAX);
            let supplement = Tiyn(per_child.get().saturating_mul(children_i));
            r.step(msg!(
                "tsa-step-child-supplement",
                children = children_i,
                min_age = cs.min_age,
                max_age = cs.max_age,
                coefficient = coefficient,
                mrp = ctx.mrp(),
                per_child = per_child,
                amount = supplement
            ));
            monthly += supplement;
        }
        r.step(msg!("tsa-step-total", amount = monthly));
        amount = Some(Amount::monthly(monthly));

        // 6. Conditional or unconditional.
        conditionality(ctx, &mut r, &mut missing);
        // 7. Asset screens (2025): may lead to refusal.
        asset_screens(ctx, &mut r);
    }

    if members.iter().any(|m| {
        matches!(
            m.status,
            ResidencyStatus::Foreigner | ResidencyStatus::Stateless
        )
    }) {
        r.flag(msg!("tsa-flag-permanent-residence"));
    }

    finish_documents(ctx, &mut r, &seen);

    r.outcome = if !missing.is_empty() {
        Outcome::MissingInformation { fields: missing }
    } else if national_fallback {
        Outcome::NeedsReview
    } else if eligible {
        Outcome::LikelyEligible
    } else {
        Outcome::LikelyNotEligible
    };
    if matches!(r.outcome, Outcome::LikelyEligible | Outcome::NeedsReview) {
        r.amount = amount;
    }
    r
}

/// Documents and where to apply.
fn finish_documents(
    ctx: &EvalContext<'_>,
    r: &mut ProgrammeResult,
    seen: &[bool; IncomeKind::ALL.len()],
) {
    let tsa = &ctx.pack.tsa;
    r.documents_from(&tsa.documents);
    if seen[IncomeKind::Alimony as usize] {
        r.documents_from(&tsa.alimony_documents);
    }
    r.used(tsa.documents_confidence);
    let p = &tsa.processing;
    r.step(msg!(
        "tsa-step-where-to-apply",
        centre_days = p.centre_working_days,
        akim_days = p.akim_working_days,
        max_days = p.max_calendar_days
    ));
    r.used(p.confidence);
}

fn has_farm_assets(ctx: &EvalContext<'_>) -> bool {
    let a = &ctx.household.assets;
    a.livestock.iter().any(|l| l.head > 0) || !a.land.is_empty()
}

/// Retirement age of `m`; `None` when the sex is unknown and matters.
fn retired(ctx: &EvalContext<'_>, m: &Member, age: u32) -> Option<bool> {
    let c = &ctx.pack.tsa.conditionality;
    let (lo, hi) = (
        c.retirement_age_women.min(c.retirement_age_men),
        c.retirement_age_women.max(c.retirement_age_men),
    );
    match m.sex {
        Some(Sex::Male) => Some(age >= c.retirement_age_men),
        Some(Sex::Female) => Some(age >= c.retirement_age_women),
        None if age < lo => Some(false),
        None if age >= hi => Some(true),
        None => None,
    }
}

fn severe_disability(d: Disability) -> bool {
    matches!(d, Disability::GroupI | Disability::GroupII)
}

/// Conditional (social contract) or unconditional TSA, with the reason.
fn conditionality(ctx: &EvalContext<'_>, r: &mut ProgrammeResult, missing: &mut Vec<String>) {
    let c = &ctx.pack.tsa.conditionality;
    r.used(c.confidence);
    let members = ctx.members();
    let mut retirement_used = false;
    // Able-bodied: adult below retirement age, no group I/II, not long ill.
    let mut able = Vec::new();
    let mut retired_flags = vec![false; members.len()];
    for (i, m) in members.iter().enumerate() {
        let Some(age) = ctx.ages[i] else { continue };
        if age < c.able_bodied_min_age {
            continue;
        }
        let is_retired = match retired(ctx, m, age) {
            Some(v) => v,
            None => {
                missing.push(ctx.member_path(i, "sex"));
                continue;
            }
        };
        if age >= c.retirement_age_women.min(c.retirement_age_men) {
            retirement_used = true;
        }
        retired_flags[i] = is_retired;
        if !is_retired && !severe_disability(m.disability) && !m.long_illness {
            able.push(i);
        }
    }
    if retirement_used {
        r.used(c.retirement_age_confidence);
    }
    if members.len() == 1 {
        let m = &members[0];
        let reason = if retired_flags[0] {
            Some("tsa-step-unconditional-single-retired")
        } else if severe_disability(m.disability) {
            Some("tsa-step-unconditional-single-disabled")
        } else if m.long_illness {
            Some("tsa-step-unconditional-single-ill")
        } else {
            None
        };
        if let Some(id) = reason {
            r.step(msg!(id, member = ctx.member_ref(0)));
            return;
        }
    } else if able.is_empty() {
        r.step(msg!("tsa-step-unconditional-no-able-bodied"));
        return;
    } else if able.len() == 1 {
        let carer = able[0];
        if let Some(cared) = cared_person(ctx, carer, &retired_flags) {
            r.step(msg!(
                "tsa-step-unconditional-sole-carer",
                member = ctx.member_ref(carer),
                cared = ctx.member_ref(cared)
            ));
            return;
        }
    }
    r.step(msg!("tsa-step-conditional", able_bodied = able.len()));
    r.step(msg!("tsa-step-social-contract", months = c.refusal_months));
}

/// A person whose care makes the sole able-bodied member's TSA unconditional:
/// a child under 3, a child with a disability, a person with group I/II, or an
/// elderly person needing care. The carer either names them in `cares_for`, or
/// is recorded as a carer or homemaker while such a person lives in the family.
fn cared_person(ctx: &EvalContext<'_>, carer: usize, retired: &[bool]) -> Option<usize> {
    let c = &ctx.pack.tsa.conditionality;
    let members = ctx.members();
    let qualifies = |j: usize| -> bool {
        if j == carer {
            return false;
        }
        let m = &members[j];
        let age = ctx.ages[j];
        let young = age.is_some_and(|a| a <= c.cared_child_max_age);
        let disabled_child = age.is_some_and(|a| a < 18) && m.disability.is_disabled();
        let severe = severe_disability(m.disability);
        let elderly_needing_care = m.needs_care && retired.get(j).copied().unwrap_or(false);
        young || disabled_child || severe || elderly_needing_care
    };
    let m = &members[carer];
    if let Some(j) = m
        .cares_for
        .iter()
        .filter_map(|id| ctx.index_of(*id))
        .find(|j| qualifies(*j))
    {
        return Some(j);
    }
    if matches!(
        m.activity,
        Some(Activity::Carer) | Some(Activity::Homemaker)
    ) {
        return (0..members.len()).find(|j| qualifies(*j));
    }
    None
}

/// The 2025 asset screens: each triggered screen is a flag ("may lead to
/// refusal"), never a refusal.
fn asset_screens(ctx: &EvalContext<'_>, r: &mut ProgrammeResult) {
    let Some(s) = ctx.pack.tsa.asset_screens_on(ctx.date) else {
        return;
    };
    let assets = &ctx.household.assets;
    let n = i64::try_from(ctx.members().len()).unwrap_or(i64::MAX);
    let mut triggered = false;

    let loans: Tiyn = assets
        .loans
        .iter()
        .filter(|l| l.purpose != LoanPurpose::Mortgage)
        .map(|l| l.outstanding)
        .sum();
    let loan_limit = Tiyn(
        ctx.budget_pm()
            .times(s.loans_pm_per_member)
            .get()
            .saturating_mul(n),
    );
    if loans > loan_limit {
        triggered = true;
        r.flag(msg!(
            "tsa-flag-asset-loans",
            loans = loans,
            limit = loan_limit,
            coefficient = s.loans_pm_per_member,
            members = n
        ));
    }

    let deposits: Tiyn = assets.deposits.iter().map(|d| d.amount).sum();
    let deposit_limit = ctx.mrp().times(s.deposits_mrp);
    if deposits > deposit_limit {
        triggered = true;
        r.flag(msg!(
            "tsa-flag-asset-deposits",
            deposits = deposits,
            limit = deposit_limit,
            coefficient = s.deposits_mrp
        ));
    }

    let cars = assets
        .vehicles
        .iter()
        .filter(|v| v.kind == VehicleKind::Car)
        .count();
    let minors = ctx.aged(0, 17).count();
    let large = s.cars_exempt_large_family
        && u32::try_from(minors).unwrap_or(u32::MAX) >= s.large_family_min_children;
    let disabled_child = s.cars_exempt_disabled_child
        && ctx
            .members()
            .iter()
            .enumerate()
            .any(|(i, m)| m.disability.is_disabled() && ctx.ages[i].is_some_and(|a| a < 18));
    if u32::try_from(cars).unwrap_or(u32::MAX) > s.max_cars && !large && !disabled_child {
        triggered = true;
        r.flag(msg!("tsa-flag-asset-cars", cars = cars, max = s.max_cars));
    }
    if triggered {
        r.used(s.confidence);
    }
}

#[cfg(test)]
mod tests;
