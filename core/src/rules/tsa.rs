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

use super::definitions::{
    able_bodied, aged_between, at_least_months, at_least_years, child_with_disability, is_child,
    retired, retirement_months, severe_disability, Tri,
};
use super::pack::{Confidence, PmSource, PovertyLine, Rounding};
use super::programmes::EvalContext;
use super::report::{
    Amount, ExcludedIncome, LineSource, MsgId, Outcome, ProgrammeId, ProgrammeResult,
    TsaConditions, TsaFigures,
};
use crate::model::{
    Absence, Activity, IncomeKind, LoanPurpose, Quarter, RefusalReason, ResidencyStatus, Tiyn,
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
    "tsa-step-member-not-counted",
    "tsa-step-member-absent-counted",
    "tsa-review-line-lower-bound",
    "tsa-step-unconditional-lone-minor",
    "tsa-step-unconditional-sole-carer-inferred",
    "tsa-step-refusal-bar",
    "tsa-flag-asset-card-spending",
    "tsa-step-credit-counted-once",
    "tsa-flag-farming-partly-not-income",
    "tsa-step-rounding-tiyn",
    "tsa-step-rounding-whole-tenge",
    "review-age-near-limit",
    "limit-child-supplement",
    "limit-adult",
    "limit-retirement",
    "absence-abroad",
    "absence-military_service",
    "absence-prison",
    "absence-state_care",
    "refusal-refused_employment_measures",
    "refusal-broken_social_contract",
];

/// The reason id of subsistence-farming income excluded by a district decision.
const DISTRICT_REASON: &str = "income-reason-excluded-district-not-income-generating";

/// Pushes the TSA result.
pub fn evaluate(ctx: &EvalContext<'_>, out: &mut Vec<ProgrammeResult>) {
    out.push(assess(ctx));
}

/// Why a firm answer cannot be given (each reason is a flag in the result).
#[derive(Default)]
struct Review {
    needed: bool,
}

impl Review {
    fn because(&mut self, r: &mut ProgrammeResult, m: super::report::Message) {
        self.needed = true;
        r.flag(m);
    }
}

/// Which members count in the TSA family: everyone except those temporarily
/// away whom the pack says the law leaves out.
fn counted_members(ctx: &EvalContext<'_>, r: &mut ProgrammeResult) -> Vec<usize> {
    let mut counted = Vec::with_capacity(ctx.members().len());
    for (i, m) in ctx.members().iter().enumerate() {
        let Some(absence) = m.absence else {
            counted.push(i);
            continue;
        };
        let why = MsgId::new(absence_message(absence));
        match ctx.pack.tsa.absent_member(absence) {
            Some(rule) if !rule.counted => {
                r.used(rule.confidence);
                r.step(msg!(
                    "tsa-step-member-not-counted",
                    member = ctx.member_ref(i),
                    absence = why
                ));
            }
            Some(rule) => {
                r.used(rule.confidence);
                r.step(msg!(
                    "tsa-step-member-absent-counted",
                    member = ctx.member_ref(i),
                    absence = why
                ));
                counted.push(i);
            }
            None => {
                r.used(Confidence::Unverified);
                r.step(msg!(
                    "tsa-step-member-absent-counted",
                    member = ctx.member_ref(i),
                    absence = why
                ));
                counted.push(i);
            }
        }
    }
    counted
}

/// The label message of an absence.
pub fn absence_message(a: Absence) -> &'static str {
    match a {
        Absence::Abroad => "absence-abroad",
        Absence::MilitaryService => "absence-military_service",
        Absence::Prison => "absence-prison",
        Absence::StateCare => "absence-state_care",
    }
}

/// How a district decision on farm income applies to this family.
enum Farming {
    /// No decision: farm income counts.
    Counted,
    /// The decision covers all the family's farming: not counted.
    Excluded(Confidence),
    /// The decision covers only livestock or only land and the family's farm
    /// income may come from either: counted, flagged, reviewed if it decides.
    Partly(Confidence),
}

fn farming(ctx: &EvalContext<'_>) -> Farming {
    let Some(flags) = ctx
        .household
        .location
        .district
        .as_deref()
        .and_then(|d| ctx.pack.district_flags(ctx.region, d, ctx.date))
        .filter(|f| f.livestock_not_income || f.land_not_income)
    else {
        return Farming::Counted;
    };
    let a = &ctx.household.assets;
    let has_livestock = a.livestock.iter().any(|l| l.head > 0);
    let has_land = !a.land.is_empty();
    let covered = (!has_livestock || flags.livestock_not_income)
        && (!has_land || flags.land_not_income)
        && (has_livestock || has_land || (flags.livestock_not_income && flags.land_not_income));
    if covered {
        Farming::Excluded(flags.confidence)
    } else {
        Farming::Partly(flags.confidence)
    }
}

/// The TSA result for the household in `ctx`.
pub fn assess(ctx: &EvalContext<'_>) -> ProgrammeResult {
    let pack = ctx.pack;
    let tsa = &pack.tsa;
    let mut r = ProgrammeResult::new(
        ProgrammeId::TargetedSocialAssistance,
        Outcome::LikelyNotEligible,
        tsa.confidence,
    );
    if ctx.members().is_empty() {
        r.outcome = Outcome::MissingInformation {
            fields: vec!["members".to_string()],
        };
        return r;
    }
    let mut review = Review::default();
    let application_quarter = Quarter::of(ctx.date);
    let reference = application_quarter.previous();
    let mut missing: Vec<String> = ctx.missing_birth_dates(|_| true);

    // 0. Who counts in the family.
    let counted = counted_members(ctx, &mut r);
    let n = i64::try_from(counted.len().max(1)).unwrap_or(i64::MAX);

    // 1. Incomes of the reference quarter: counted or excluded, by kind.
    r.step(msg!(
        "tsa-step-reference-quarter",
        applied = application_quarter,
        quarter = reference
    ));
    let farm = farming(ctx);
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
    let mut uncertain_farm = Tiyn::ZERO;
    for kind in IncomeKind::ALL {
        let i = kind as usize;
        if !seen[i] {
            continue;
        }
        let rule = tsa.income(kind);
        let amount = by_kind[i];
        r.used(rule.confidence);
        if kind == IncomeKind::SubsidiaryFarming {
            match farm {
                Farming::Excluded(c) => {
                    r.used(c);
                    r.excluded_incomes.push(ExcludedIncome {
                        kind,
                        amount,
                        reason: MsgId::new(DISTRICT_REASON),
                    });
                    continue;
                }
                Farming::Partly(c) => {
                    r.used(c);
                    uncertain_farm = amount;
                    r.flag(msg!("tsa-flag-farming-partly-not-income", amount = amount));
                }
                Farming::Counted => {}
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
            uncertain_farm = if kind == IncomeKind::SubsidiaryFarming {
                Tiyn::ZERO
            } else {
                uncertain_farm
            };
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
    match farm {
        Farming::Excluded(c) => r.step(msg!(
            "tsa-step-district-farming-not-income",
            source_confidence = c
        )),
        _ if has_farm_assets(ctx) && !seen[IncomeKind::SubsidiaryFarming as usize] => {
            r.flag(msg!("tsa-flag-farming-income-may-count"))
        }
        _ => {}
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
    let mut figures = TsaFigures {
        reference_quarter: reference,
        members_counted: u32::try_from(n).unwrap_or(u32::MAX),
        counted_income: total,
        per_capita_income: pci,
        poverty_line: None,
        line_source: LineSource::Unknown,
        line_lower_bound: false,
        line_from: pack.version.clone(),
        margin: None,
        base_amount: None,
        supplements: None,
        total: None,
        conditionality: None,
        can_apply_again_on: None,
    };

    // 3. The poverty line of the region for the quarter of application. A
    //    line that may be wrong (old or national PM, missing median) never
    //    gives a firm answer.
    let line = pack.poverty_line(ctx.region, application_quarter);
    r.used(line.confidence());
    let pl = match line {
        PovertyLine::Published { amount, layer, .. } => {
            figures.line_source = LineSource::Published;
            figures.line_from = pack.layer_name(layer).to_string();
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
            layer,
            ..
        } => {
            figures.line_from = pack.layer_name(layer).to_string();
            r.step(msg!(
                "tsa-step-line-estimated-pm",
                region = ctx.region,
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
                figures.line_lower_bound = true;
                review.because(
                    &mut r,
                    msg!(
                        "tsa-review-line-lower-bound",
                        region = ctx.region,
                        quarter = pm_quarter,
                        line = amount
                    ),
                );
            }
            r.step(msg!(
                "tsa-step-line-estimated",
                region = ctx.region,
                quarter = application_quarter,
                line = amount
            ));
            match pm_source {
                PmSource::Regional => figures.line_source = LineSource::EstimatedRegional,
                PmSource::RegionalEarlier => {
                    figures.line_source = LineSource::EstimatedEarlierPm;
                    review.because(
                        &mut r,
                        msg!(
                            "tsa-flag-line-from-earlier-pm",
                            pm_quarter = pm_quarter,
                            quarter = application_quarter.previous()
                        ),
                    );
                }
                PmSource::National => {
                    figures.line_source = LineSource::EstimatedNationalPm;
                    if pm_quarter != application_quarter.previous() {
                        r.flag(msg!(
                            "tsa-flag-line-from-earlier-pm",
                            pm_quarter = pm_quarter,
                            quarter = application_quarter.previous()
                        ));
                    }
                    review.because(
                        &mut r,
                        msg!("tsa-flag-line-national-pm", region = ctx.region),
                    );
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
            r.figures = Some(figures);
            return r;
        }
    };
    figures.poverty_line = Some(pl);

    // 4. Compare: the margin is exact in tiyn.
    let margin = pl - pci;
    r.margin = Some(margin);
    figures.margin = Some(margin);
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
        // Farm income the district decision may leave out decides the answer.
        if uncertain_farm > Tiyn::ZERO
            && (total - uncertain_farm).mul_div(1, n.saturating_mul(3)) <= pl
        {
            review.needed = true;
        }
    }

    let mut amount = None;
    if eligible {
        // 5. Amount and child supplement.
        r.used(tsa.amount_confidence);
        let base = Tiyn(margin.get().saturating_mul(n));
        figures.base_amount = Some(base);
        r.step(msg!(
            "tsa-step-amount",
            line = pl,
            pci = pci,
            margin = margin,
            members = n,
            amount = base
        ));
        let cs = &tsa.child_supplement;
        let mut children = 0i64;
        for &i in &counted {
            match aged_between(ctx, i, cs.min_age, cs.max_age) {
                Tri::Yes => children += 1,
                Tri::No => {}
                Tri::Unknown if ctx.birth_window(i).is_some() => review.because(
                    &mut r,
                    msg!(
                        "review-age-near-limit",
                        member = ctx.member_ref(i),
                        limit = MsgId::new("limit-child-supplement")
                    ),
                ),
                Tri::Unknown => {}
            }
        }
        let mut monthly = base;
        if children > 0 {
            let (coefficient, confidence) = pack.child_supplement_mrp(ctx.region, ctx.date);
            r.used(confidence);
            r.used(ctx.globals.confidence);
            let per_child = ctx.mrp().times(coefficient);
            let supplement = Tiyn(per_child.get().saturating_mul(children));
            figures.supplements = Some(supplement);
            r.step(msg!(
                "tsa-step-child-supplement",
                children = children,
                min_age = cs.min_age,
                max_age = cs.max_age,
                coefficient = coefficient,
                mrp = ctx.mrp(),
                per_child = per_child,
                amount = supplement
            ));
            monthly += supplement;
        } else {
            figures.supplements = Some(Tiyn::ZERO);
        }
        let paid = rounding(ctx, &mut r, monthly);
        r.step(msg!("tsa-step-total", amount = paid));
        figures.total = Some(paid);
        amount = Some(Amount::monthly(paid));

        // 6. Conditional or unconditional.
        figures.conditionality = conditionality(ctx, &mut r, &counted, &mut missing, &mut review);
        // 7. Asset screens (2025): may lead to refusal.
        asset_screens(ctx, &mut r, &counted, pl, &seen);
    }

    if ctx.members().iter().any(|m| {
        matches!(
            m.status,
            ResidencyStatus::Foreigner | ResidencyStatus::Stateless
        )
    }) {
        r.flag(msg!("tsa-flag-permanent-residence"));
    }

    // 8. A refusal or termination in the last months bars a new application.
    let barred = refusal_bar(ctx, &mut r, &mut figures);

    finish_documents(ctx, &mut r, &seen);

    r.outcome = if barred {
        Outcome::LikelyNotEligible
    } else if !missing.is_empty() {
        Outcome::MissingInformation { fields: missing }
    } else if review.needed {
        Outcome::NeedsReview
    } else if eligible {
        Outcome::LikelyEligible
    } else {
        Outcome::LikelyNotEligible
    };
    if matches!(r.outcome, Outcome::LikelyEligible | Outcome::NeedsReview) {
        r.amount = amount;
    }
    r.figures = Some(figures);
    r
}

/// The amount as paid, under the pack's rounding rule, with the step that
/// says so. Without a rule the amount is kept to the tiyn, unverified.
fn rounding(ctx: &EvalContext<'_>, r: &mut ProgrammeResult, monthly: Tiyn) -> Tiyn {
    let whole = monthly.get() % 100 == 0;
    match &ctx.pack.tsa.rounding {
        Some(rule) => {
            let paid = rule.apply(monthly);
            let id = match rule.paid {
                Rounding::Tiyn => "tsa-step-rounding-tiyn",
                Rounding::WholeTenge => "tsa-step-rounding-whole-tenge",
            };
            if !whole {
                r.used(rule.confidence);
                r.step(msg!(id, amount = monthly, paid = paid));
            }
            paid
        }
        None => {
            if !whole {
                r.used(Confidence::Unverified);
                r.step(msg!(
                    "tsa-step-rounding-tiyn",
                    amount = monthly,
                    paid = monthly
                ));
            }
            monthly
        }
    }
}

/// The bar after a refusal or termination: `refusal_months` from its date.
fn refusal_bar(ctx: &EvalContext<'_>, r: &mut ProgrammeResult, figures: &mut TsaFigures) -> bool {
    let Some(refusal) = ctx.household.previous_tsa_refusal else {
        return false;
    };
    let c = &ctx.pack.tsa.conditionality;
    let Some(until) = refusal
        .date
        .checked_add_months(chrono::Months::new(c.refusal_months))
    else {
        return false;
    };
    if refusal.date > ctx.date || ctx.date >= until {
        return false;
    }
    r.used(c.confidence);
    r.step(msg!(
        "tsa-step-refusal-bar",
        date = refusal.date,
        reason = MsgId::new(match refusal.reason {
            RefusalReason::RefusedEmploymentMeasures => "refusal-refused_employment_measures",
            RefusalReason::BrokenSocialContract => "refusal-broken_social_contract",
        }),
        months = c.refusal_months,
        until = until
    ));
    figures.can_apply_again_on = Some(until);
    true
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

/// Conditional (social contract) or unconditional TSA, with the reason. The
/// exemptions are inferred from the family (the form need not say "carer").
fn conditionality(
    ctx: &EvalContext<'_>,
    r: &mut ProgrammeResult,
    counted: &[usize],
    missing: &mut Vec<String>,
    review: &mut Review,
) -> Option<TsaConditions> {
    let c = &ctx.pack.tsa.conditionality;
    r.used(c.confidence);
    let members = ctx.members();
    let mut able = Vec::new();
    let mut retirement_used = false;
    for &i in counted {
        if ctx.birth_window(i).is_none() {
            continue; // already in `missing`
        }
        let (lo, _) = retirement_months(c, members[i].sex, ctx.date);
        if at_least_months(ctx, i, lo).maybe()
            && at_least_years(ctx, i, c.able_bodied_min_age).yes()
        {
            retirement_used = true;
        }
        match able_bodied(ctx, i) {
            Tri::Yes => able.push(i),
            Tri::No => {}
            Tri::Unknown => {
                if members[i].sex.is_none() && !ctx.age_is_stated(i) {
                    missing.push(ctx.member_path(i, "sex"));
                } else {
                    let limit = if at_least_years(ctx, i, c.able_bodied_min_age) == Tri::Unknown {
                        "limit-adult"
                    } else {
                        "limit-retirement"
                    };
                    review.because(
                        r,
                        msg!(
                            "review-age-near-limit",
                            member = ctx.member_ref(i),
                            limit = MsgId::new(limit)
                        ),
                    );
                }
            }
        }
    }
    if retirement_used {
        r.used(c.retirement_months(ctx.date).2);
    }
    if counted.len() == 1 {
        let i = counted[0];
        let m = &members[i];
        let reason = if retired(ctx, i).yes() {
            Some("tsa-step-unconditional-single-retired")
        } else if severe_disability(m) {
            Some("tsa-step-unconditional-single-disabled")
        } else if m.long_illness {
            Some("tsa-step-unconditional-single-ill")
        } else if !at_least_years(ctx, i, c.able_bodied_min_age).maybe() {
            Some("tsa-step-unconditional-lone-minor")
        } else {
            None
        };
        if let Some(id) = reason {
            r.step(msg!(id, member = ctx.member_ref(i)));
            return Some(TsaConditions::Unconditional);
        }
    } else if able.is_empty() && !review.needed {
        r.step(msg!("tsa-step-unconditional-no-able-bodied"));
        return Some(TsaConditions::Unconditional);
    } else if able.len() == 1 {
        let carer = able[0];
        if let Some((cared, stated)) = cared_person(ctx, carer, counted) {
            let id = if stated {
                "tsa-step-unconditional-sole-carer"
            } else {
                // Inferred from the family, not said on the form: at most
                // "likely" until a person confirms who provides the care.
                r.used(Confidence::Likely);
                "tsa-step-unconditional-sole-carer-inferred"
            };
            r.step(msg!(
                id,
                member = ctx.member_ref(carer),
                cared = ctx.member_ref(cared)
            ));
            return Some(TsaConditions::Unconditional);
        }
    }
    if review.needed && able.is_empty() {
        return None;
    }
    r.step(msg!("tsa-step-conditional", able_bodied = able.len()));
    r.step(msg!("tsa-step-social-contract", months = c.refusal_months));
    Some(TsaConditions::Conditional)
}

/// A person whose care makes the sole able-bodied member's TSA unconditional:
/// a child under 3, a child with a disability, a person with group I/II, or an
/// elderly person needing care. The form may name them in `cares_for`; else,
/// the only able-bodied member of the family is the one who cares for them
/// (inferred, and said so). Returns the person and whether the form said it.
fn cared_person(ctx: &EvalContext<'_>, carer: usize, counted: &[usize]) -> Option<(usize, bool)> {
    let c = &ctx.pack.tsa.conditionality;
    let adult = ctx.pack.disability.adult_min_age;
    let members = ctx.members();
    let qualifies = |j: usize| -> bool {
        if j == carer {
            return false;
        }
        let m = &members[j];
        let young = members[j].relation != crate::model::Relation::Head
            && aged_between(ctx, j, 0, c.cared_child_max_age).yes();
        let disabled_child = child_with_disability(ctx, j, adult).yes();
        let elderly_needing_care = m.needs_care && retired(ctx, j).yes();
        young || disabled_child || severe_disability(m) || elderly_needing_care
    };
    let m = &members[carer];
    if let Some(j) = m
        .cares_for
        .iter()
        .filter_map(|id| ctx.index_of(*id))
        .find(|j| qualifies(*j))
    {
        return Some((j, true));
    }
    let stated = matches!(
        m.activity,
        Some(Activity::Carer) | Some(Activity::Homemaker)
    );
    counted
        .iter()
        .copied()
        .find(|j| qualifies(*j))
        .map(|j| (j, stated))
}

/// The 2025 asset screens: each triggered screen is a flag ("may lead to
/// refusal"), never a refusal. A loan taken in the reference quarter whose
/// money was counted as income (`credit`) is left out of the loan screen, so
/// it counts once.
fn asset_screens(
    ctx: &EvalContext<'_>,
    r: &mut ProgrammeResult,
    counted: &[usize],
    line: Tiyn,
    seen: &[bool; IncomeKind::ALL.len()],
) {
    let Some(s) = ctx.pack.tsa.asset_screens_on(ctx.date) else {
        return;
    };
    let assets = &ctx.household.assets;
    let n = i64::try_from(counted.len().max(1)).unwrap_or(i64::MAX);
    let mut triggered = false;
    let reference = Quarter::of(ctx.date).previous();
    let credit_counted =
        seen[IncomeKind::Credit as usize] && ctx.pack.tsa.income(IncomeKind::Credit).counted;

    let mut loans = Tiyn::ZERO;
    let mut counted_once = Tiyn::ZERO;
    for l in assets
        .loans
        .iter()
        .filter(|l| l.purpose != LoanPurpose::Mortgage)
    {
        if credit_counted && l.taken.is_some_and(|m| reference.contains(m)) {
            counted_once += l.outstanding;
        } else {
            loans += l.outstanding;
        }
    }
    if counted_once > Tiyn::ZERO {
        r.step(msg!(
            "tsa-step-credit-counted-once",
            quarter = reference,
            amount = counted_once
        ));
    }
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

    if s.card_spending_over_line {
        if let Some(spending) = ctx.household.card_spending_monthly {
            let per_member = spending.mul_div(1, n);
            if per_member > line {
                triggered = true;
                r.flag(msg!(
                    "tsa-flag-asset-card-spending",
                    spending = spending,
                    members = n,
                    per_member = per_member,
                    line = line
                ));
            }
        }
    }

    let cars = assets
        .vehicles
        .iter()
        .filter(|v| v.kind == VehicleKind::Car)
        .count();
    let child_max = ctx.pack.large_family.child_max_age;
    let student_max = ctx.pack.large_family.student_max_age;
    let children = counted
        .iter()
        .filter(|&&i| is_child(ctx, i, child_max, Some(student_max)).yes())
        .count();
    let large = s.cars_exempt_large_family
        && u32::try_from(children).unwrap_or(u32::MAX) >= s.large_family_min_children;
    let adult = ctx.pack.disability.adult_min_age;
    let disabled_child = s.cars_exempt_disabled_child
        && counted
            .iter()
            .any(|&i| child_with_disability(ctx, i, adult).yes());
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
