//! Exit from assistance, and the checks that it held.
//!
//! The aim of the plan is a timely exit; fewer than one family in five leaves
//! TSA and stays out for a year, and the main exit factor is self-employment
//! or another income rise (Taubaev et al., block 4, domain file "Prevention
//! and exit"). An exit record says when and why a family left; the visit list
//! brings the family back 3, 6 and 12 months later to see whether it held.

use super::problems::{Checker, Invalid};
use super::{check_household, check_past, FollowUpRecord, RecordHead, RecordKind, MAX_NOTE_CHARS};
use crate::model::Household;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExitRecord {
    pub head: RecordHead,
    pub on: NaiveDate,
    pub reason: ExitReason,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExitReason {
    /// The family's income rose above the poverty line.
    IncomeRose,
    /// A member found work or started a business.
    Employment,
    /// The family moved away.
    Moved,
    /// The family refused assistance (or the contract was broken).
    Refused,
    Other,
}

impl ExitReason {
    pub const ALL: [ExitReason; 5] = [
        ExitReason::IncomeRose,
        ExitReason::Employment,
        ExitReason::Moved,
        ExitReason::Refused,
        ExitReason::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ExitReason::IncomeRose => "income_rose",
            ExitReason::Employment => "employment",
            ExitReason::Moved => "moved",
            ExitReason::Refused => "refused",
            ExitReason::Other => "other",
        }
    }
}

impl FollowUpRecord for ExitRecord {
    const KIND: RecordKind = RecordKind::Exit;

    fn head(&self) -> &RecordHead {
        &self.head
    }

    fn head_mut(&mut self) -> &mut RecordHead {
        &mut self.head
    }

    fn check(&self, household: &Household, today: NaiveDate) -> Result<(), Invalid> {
        let mut c = Checker::default();
        check_household(&mut c, &self.head, household);
        check_past(&mut c, "on", self.on, today);
        c.optional("note", self.note.as_deref(), MAX_NOTE_CHARS, true);
        c.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::followup::tests_support::{d, family, now};
    use crate::followup::Why;

    #[test]
    fn an_exit_is_dated_today_or_before() {
        let h = family();
        let mut x = ExitRecord {
            head: RecordHead::new(h.id, now()),
            on: d(2026, 3, 1),
            reason: ExitReason::Employment,
            note: None,
        };
        x.check(&h, d(2026, 3, 1)).unwrap();
        x.on = d(2026, 3, 2);
        assert!(x
            .check(&h, d(2026, 3, 1))
            .unwrap_err()
            .has("on", Why::InFuture));
    }
}
