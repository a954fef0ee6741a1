//! One definition of each person the law names, used by every programme and
//! by the advisory views, so that the same family gets the same answer to the
//! same question everywhere: who is a child, a child with a disability, an
//! able-bodied member, retired; how old someone is in calendar months; and
//! whether an age limit can be decided at all when only an age (not a birth
//! date) was given.
//!
//! Ages come as a *range*: exact for a birth date, a one-year window of birth
//! dates for a stated age ([`crate::model::StatedAge`]). A limit is decided
//! when the whole range lies on one side of it ([`Tri`]); otherwise the
//! programme says *needs review* naming the limit.

use super::pack::Conditionality;
use super::programmes::EvalContext;
use crate::model::{months_between, Activity, Disability, Member, Relation, Sex};
use chrono::NaiveDate;

/// Yes, no, or cannot tell from what the form says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tri {
    Yes,
    No,
    Unknown,
}

impl Tri {
    pub fn from_bounds(at_youngest: bool, at_oldest: bool) -> Tri {
        match (at_youngest, at_oldest) {
            (true, true) => Tri::Yes,
            (false, false) => Tri::No,
            _ => Tri::Unknown,
        }
    }

    pub fn yes(self) -> bool {
        self == Tri::Yes
    }

    pub fn maybe(self) -> bool {
        self != Tri::No
    }
}

/// Sons, daughters, step- and grandchildren living in the household: the
/// relations a family count (large family, TSA supplement, minors) looks at.
pub fn is_child_relation(r: Relation) -> bool {
    matches!(
        r,
        Relation::Child | Relation::Stepchild | Relation::Grandchild
    )
}

/// Member `i` is at least `years` old on the evaluation date.
pub fn at_least_years(ctx: &EvalContext<'_>, i: usize, years: u32) -> Tri {
    match ctx.age_range(i) {
        Some((lo, hi)) => Tri::from_bounds(lo >= years, hi >= years),
        None => Tri::Unknown,
    }
}

/// Member `i` is at least `months` calendar months old on the evaluation date.
pub fn at_least_months(ctx: &EvalContext<'_>, i: usize, months: u32) -> Tri {
    match ctx.birth_window(i) {
        Some((earliest, latest)) => {
            let young = months_between(latest, ctx.date).is_some_and(|m| m >= months);
            let old = months_between(earliest, ctx.date).is_some_and(|m| m >= months);
            Tri::from_bounds(young, old)
        }
        None => Tri::Unknown,
    }
}

/// Age within `min..=max` whole years.
pub fn aged_between(ctx: &EvalContext<'_>, i: usize, min: u32, max: u32) -> Tri {
    match ctx.age_range(i) {
        Some((lo, hi)) => Tri::from_bounds(lo >= min && lo <= max, hi >= min && hi <= max)
            .or_straddle(lo < min && hi > max),
        None => Tri::Unknown,
    }
}

impl Tri {
    fn or_straddle(self, straddles: bool) -> Tri {
        if straddles {
            Tri::Unknown
        } else {
            self
        }
    }
}

/// A child of the family: a child relation, a minor (up to `child_max_age`),
/// or a full-time student up to `student_max_age` where the programme counts
/// students (`None` where it does not).
pub fn is_child(
    ctx: &EvalContext<'_>,
    i: usize,
    child_max_age: u32,
    student_max_age: Option<u32>,
) -> Tri {
    let m = &ctx.members()[i];
    if !is_child_relation(m.relation) {
        return Tri::No;
    }
    let minor = aged_between(ctx, i, 0, child_max_age);
    match (student_max_age, m.activity) {
        (Some(max), Some(Activity::StudentFullTime)) => {
            let student = aged_between(ctx, i, 0, max);
            match (minor, student) {
                (Tri::Yes, _) | (_, Tri::Yes) => Tri::Yes,
                (Tri::No, Tri::No) => Tri::No,
                _ => Tri::Unknown,
            }
        }
        _ => minor,
    }
}

/// A child with a disability: any disability (the `child` value, or a group
/// assigned from 16) of a minor. A group I-III member aged 7-18 is a child
/// with a disability too, not only the `child` value.
pub fn child_with_disability(ctx: &EvalContext<'_>, i: usize, adult_age: u32) -> Tri {
    let m = &ctx.members()[i];
    if !m.disability.is_disabled() {
        return Tri::No;
    }
    if m.disability == Disability::Child {
        return Tri::Yes;
    }
    match at_least_years(ctx, i, adult_age) {
        Tri::Yes => Tri::No,
        Tri::No => Tri::Yes,
        Tri::Unknown => Tri::Unknown,
    }
}

/// Disability group I or II.
pub fn severe_disability(m: &Member) -> bool {
    matches!(m.disability, Disability::GroupI | Disability::GroupII)
}

/// The retirement age, in calendar months, of a person of `sex` on `date`:
/// (lower, upper), equal when the sex is known, the two ages when it is not
/// (so that "may be retired" is never missed).
pub fn retirement_months(c: &Conditionality, sex: Option<Sex>, date: NaiveDate) -> (u32, u32) {
    let (men, women, _) = c.retirement_months(date);
    match sex {
        Some(Sex::Male) => (men, men),
        Some(Sex::Female) => (women, women),
        None => (men.min(women), men.max(women)),
    }
}

/// Member `i` has reached retirement age (in calendar months, so half-year
/// ages work) on the evaluation date.
pub fn retired(ctx: &EvalContext<'_>, i: usize) -> Tri {
    let c = &ctx.pack.tsa.conditionality;
    let (lo, hi) = retirement_months(c, ctx.members()[i].sex, ctx.date);
    match (at_least_months(ctx, i, lo), at_least_months(ctx, i, hi)) {
        (Tri::No, _) => Tri::No,
        (_, Tri::Yes) => Tri::Yes,
        _ => Tri::Unknown,
    }
}

/// Able-bodied: of working age (from `able_bodied_min_age` to retirement),
/// without disability group I/II and not ill for over two months.
pub fn able_bodied(ctx: &EvalContext<'_>, i: usize) -> Tri {
    let c = &ctx.pack.tsa.conditionality;
    let m = &ctx.members()[i];
    if severe_disability(m) || m.long_illness {
        return Tri::No;
    }
    match (
        at_least_years(ctx, i, c.able_bodied_min_age),
        retired(ctx, i),
    ) {
        (Tri::No, _) | (_, Tri::Yes) => Tri::No,
        (Tri::Yes, Tri::No) => Tri::Yes,
        _ => Tri::Unknown,
    }
}

/// The birth order of child `i` (born on `born`) for childbirth and
/// childcare: its place among its mother's children. With `mother` on the
/// form, her children in the household (whatever their relation to the head:
/// a grandchild, a stepchild) plus her `children_elsewhere`; twins are
/// ordered by their place in the form. Without it, the household's children
/// of the same generation (the head's children and stepchildren, or the
/// grandchildren). The flag says whether the order is certain: unknown when
/// children living elsewhere were not asked.
pub fn birth_order(ctx: &EvalContext<'_>, i: usize, born: NaiveDate) -> (u32, bool) {
    let members = ctx.members();
    let child = &members[i];
    let older = |j: usize| {
        j == i
            || ctx
                .birth_window(j)
                .is_some_and(|(_, b)| b < born || (b == born && j < i))
    };
    let mother = child.mother.and_then(|id| ctx.index_of(id));
    let (siblings, elsewhere) = match mother {
        Some(m) => (
            (0..members.len())
                .filter(|&j| members[j].mother == child.mother && older(j))
                .count(),
            members[m].children_elsewhere,
        ),
        None => {
            let grandchild = child.relation == Relation::Grandchild;
            let same_generation = |r: Relation| {
                if grandchild {
                    r == Relation::Grandchild
                } else {
                    matches!(r, Relation::Child | Relation::Stepchild)
                }
            };
            (
                (0..members.len())
                    .filter(|&j| same_generation(members[j].relation) && older(j))
                    .count(),
                None,
            )
        }
    };
    let order = u32::try_from(siblings)
        .unwrap_or(u32::MAX)
        .saturating_add(elsewhere.unwrap_or(0))
        .max(1);
    (order, elsewhere.is_some())
}
