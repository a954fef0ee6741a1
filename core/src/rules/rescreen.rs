//! Proactive re-screening: who to go back to when the law's numbers change.
//!
//! On 1 January a new MRP and subsistence minimum take effect, and poverty lines
//! move every quarter. A family refused last month by 2,000 tenge per person may
//! qualify now, and nobody will tell them. When a new rule pack becomes active,
//! every stored household is evaluated under the old and the new pack, and staff
//! get the list of those whose outcome or amount changed, or whose TSA result is
//! within a small margin of the line (so a small change in income would flip it).
//!
//! This is pure: the caller supplies the households (the store decrypts them one
//! at a time) and the two packs.

use super::report::{Amount, MemberRef, Outcome, ProgrammeId, Report};
use super::{evaluate, RulePack};
use crate::model::{Household, Tiyn};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use uuid::Uuid;

/// The default near-threshold margin: 5,000 tenge per person, the size of most
/// refusals the seed studies found (Taubaev et al.: 1,000-5,000 tenge).
pub const DEFAULT_NEAR_MARGIN: Tiyn = Tiyn::from_tenge(5_000);

/// One programme whose result differs between the two packs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutcomeChange {
    pub programme: ProgrammeId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub member: Option<MemberRef>,
    /// `None`: the programme gave no result under that pack.
    pub before: Option<Outcome>,
    pub after: Option<Outcome>,
    pub amount_before: Option<Amount>,
    pub amount_after: Option<Amount>,
}

/// A household staff should go back to, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RescreenHit {
    pub household_id: Uuid,
    pub version: u32,
    pub changes: Vec<OutcomeChange>,
    /// Poverty line − per-capita income under the new pack (positive: below the
    /// line), when TSA could be computed.
    pub tsa_margin: Option<Tiyn>,
    /// `|tsa_margin|` is within the near-threshold margin.
    pub near_threshold: bool,
}

/// The result of a re-screen.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rescreen {
    pub screened: usize,
    pub hits: Vec<RescreenHit>,
}

/// Re-screen `households` from `old` to `new` on `date`.
pub fn rescreen(
    households: impl IntoIterator<Item = Household>,
    old: &RulePack,
    new: &RulePack,
    date: NaiveDate,
    near_margin: Tiyn,
) -> Rescreen {
    let mut out = Rescreen::default();
    for h in households {
        out.screened += 1;
        if let Some(hit) = compare(&h, old, new, date, near_margin) {
            out.hits.push(hit);
        }
    }
    out
}

/// The hit for one household, or `None` when nothing changed and it is not near
/// the line.
pub fn compare(
    household: &Household,
    old: &RulePack,
    new: &RulePack,
    date: NaiveDate,
    near_margin: Tiyn,
) -> Option<RescreenHit> {
    let before = evaluate(household, old, date);
    let after = evaluate(household, new, date);
    let changes = diff(&before, &after);
    let tsa_margin = after
        .programmes
        .iter()
        .find(|p| p.programme == ProgrammeId::TargetedSocialAssistance)
        .and_then(|p| p.margin);
    let near_threshold = tsa_margin.is_some_and(|m| m.get().abs() <= near_margin.get());
    (!changes.is_empty() || near_threshold).then_some(RescreenHit {
        household_id: household.id,
        version: household.version,
        changes,
        tsa_margin,
        near_threshold,
    })
}

/// Results are matched by programme and the member's position in the form.
type Key = (ProgrammeId, Option<u32>);
type Entry<'a> = (Option<MemberRef>, &'a Outcome, Option<Amount>);

fn by_key(report: &Report) -> BTreeMap<Key, Entry<'_>> {
    report
        .programmes
        .iter()
        .filter(|p| !p.advisory)
        .map(|p| {
            let key = (p.programme, p.member.map(|m| m.index));
            (key, (p.member, &p.outcome, p.amount))
        })
        .collect()
}

fn diff(before: &Report, after: &Report) -> Vec<OutcomeChange> {
    let (b, a) = (by_key(before), by_key(after));
    let mut keys: Vec<&Key> = b.keys().chain(a.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter_map(|key| {
            let (mb, ob, ab) = b
                .get(key)
                .map_or((None, None, None), |(r, o, m)| (*r, Some(*o), *m));
            let (ma, oa, aa) = a
                .get(key)
                .map_or((None, None, None), |(r, o, m)| (*r, Some(*o), *m));
            (ob != oa || ab != aa).then(|| OutcomeChange {
                programme: key.0,
                member: ma.or(mb),
                before: ob.cloned(),
                after: oa.cloned(),
                amount_before: ab,
                amount_after: aa,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{
        Consent, ConsentMethod, Income, IncomeKind, Member, Region, Relation, Sex, YearMonth,
    };
    use crate::rules::default_pack;
    use crate::rules::pack::DEFAULT_PACK_TOML;
    use chrono::{TimeZone, Utc};

    fn date() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 2, 10).unwrap()
    }

    /// A family of `n` adults in Aktobe with `per_capita` tenge a month each,
    /// in the reference quarter 2025-Q4 (application in 2026-Q1).
    fn family(n: usize, per_capita: i64) -> Household {
        let now = Utc.with_ymd_and_hms(2026, 2, 10, 9, 0, 0).unwrap();
        let mut h = Household::new_draft(Region::Aktobe, now);
        h.consents.push(Consent {
            id: Uuid::new_v4(),
            recorded_at: now,
            method: ConsentMethod::SignedPaper,
            operator: "op".into(),
            purpose: "p".into(),
            valid_until: NaiveDate::from_ymd_opt(2027, 1, 1).unwrap(),
            data_categories: vec!["income".into()],
            transfer_to_registry: true,
            withdrawn_at: None,
        });
        for i in 0..n {
            let mut m = Member::new(
                "S",
                "G",
                if i == 0 {
                    Relation::Head
                } else {
                    Relation::Spouse
                },
            );
            m.birth_date = NaiveDate::from_ymd_opt(1985, 1, 1);
            m.sex = Some(Sex::Female);
            m.activity = Some(crate::model::Activity::Employed);
            h.members.push(m);
        }
        let earner = h.members[0].id;
        for month in 10..=12 {
            h.incomes.push(Income {
                id: Uuid::new_v4(),
                member_id: earner,
                kind: IncomeKind::Wages,
                amount: Tiyn::from_tenge(per_capita * n as i64),
                month: YearMonth::new(2025, month).unwrap(),
            });
        }
        h
    }

    /// The default pack with Aktobe's published 2026-Q1 line raised from
    /// 37,060 to 40,000 tenge, as a new pack would.
    fn raised_pack() -> RulePack {
        let text = DEFAULT_PACK_TOML.replacen("amount = 37060", "amount = 40000", 1);
        assert_ne!(
            text, DEFAULT_PACK_TOML,
            "the default pack's Aktobe line moved"
        );
        RulePack::parse_str(&text).unwrap()
    }

    #[test]
    fn a_family_just_above_the_old_line_becomes_eligible() {
        // 38,000 per person: 940 above 37,060 (refused), 2,000 below 40,000.
        let h = family(2, 38_000);
        let hit = compare(
            &h,
            default_pack(),
            &raised_pack(),
            date(),
            DEFAULT_NEAR_MARGIN,
        )
        .expect("the outcome changed");
        let tsa = hit
            .changes
            .iter()
            .find(|c| c.programme == ProgrammeId::TargetedSocialAssistance)
            .expect("a TSA change");
        assert_eq!(tsa.before, Some(Outcome::LikelyNotEligible));
        assert_eq!(tsa.after, Some(Outcome::LikelyEligible));
        // (40,000 − 38,000) × 2 people = 4,000 tenge a month.
        assert_eq!(
            tsa.amount_after.map(|a| a.value),
            Some(Tiyn::from_tenge(4_000))
        );
        assert_eq!(hit.tsa_margin, Some(Tiyn::from_tenge(2_000)));
        assert!(hit.near_threshold);
    }

    #[test]
    fn unchanged_and_far_from_the_line_is_not_listed() {
        // 100,000 per person: far above either line.
        let h = family(2, 100_000);
        assert_eq!(
            compare(
                &h,
                default_pack(),
                &raised_pack(),
                date(),
                DEFAULT_NEAR_MARGIN
            ),
            None
        );
    }

    #[test]
    fn unchanged_but_near_the_line_is_listed_without_changes() {
        // 44,000 per person: 4,000 above 40,000, not eligible under either pack.
        let h = family(1, 44_000);
        let hit = compare(
            &h,
            default_pack(),
            &raised_pack(),
            date(),
            DEFAULT_NEAR_MARGIN,
        )
        .expect("near the line");
        assert!(hit.changes.is_empty());
        assert_eq!(hit.tsa_margin, Some(Tiyn::from_tenge(-4_000)));
        assert!(hit.near_threshold);
    }

    #[test]
    fn rescreen_counts_every_household_and_lists_only_hits() {
        let households = vec![family(2, 38_000), family(2, 100_000), family(3, 39_000)];
        let r = rescreen(
            households,
            default_pack(),
            &raised_pack(),
            date(),
            DEFAULT_NEAR_MARGIN,
        );
        assert_eq!(r.screened, 3);
        assert_eq!(r.hits.len(), 2);
    }

    #[test]
    fn the_same_pack_changes_nothing() {
        let h = family(2, 38_000);
        let hit = compare(
            &h,
            default_pack(),
            default_pack(),
            date(),
            DEFAULT_NEAR_MARGIN,
        )
        .expect("near the line");
        assert!(hit.changes.is_empty());
    }
}
