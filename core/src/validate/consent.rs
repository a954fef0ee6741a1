//! Consent first: no personal data on a form without a consent valid today.
//!
//! Law 94-V requires prior consent recording the operator, purpose, term and
//! any transfer (domain file, "Personal data"). The store refuses to save a form
//! with [`ProblemKey::ConsentRequired`], so nothing personal is written before
//! consent is recorded.

use super::bounds::{MAX_PURPOSE_CHARS, MAX_SHORT_TEXT_CHARS};
use super::problems::{ProblemKey, Problems};
use super::text;
use crate::model::Household;
use chrono::NaiveDate;

/// The form holds personal data: any member, an address, an income or notes
/// (free text may name people). Region, district, settlement, housing,
/// expenses and assets alone do not identify anyone.
pub fn has_personal_data(h: &Household) -> bool {
    !h.members.is_empty()
        || !h.incomes.is_empty()
        || text::is_filled(h.address.as_deref())
        || text::is_filled(h.notes.as_deref())
}

pub(super) fn check_consents(h: &Household, today: NaiveDate, ps: &mut Problems) {
    if has_personal_data(h) && !h.has_valid_consent(today) {
        ps.error("consents", ProblemKey::ConsentRequired);
    }
    for (i, c) in h.consents.iter().enumerate() {
        let path = |field: &str| format!("consents[{i}].{field}");
        text::required(ps, &path("operator"), &c.operator, MAX_SHORT_TEXT_CHARS);
        text::required(ps, &path("purpose"), &c.purpose, MAX_PURPOSE_CHARS);
        if c.valid_until < c.recorded_at.date_naive() {
            ps.error(
                path("valid_until"),
                ProblemKey::ConsentExpiresBeforeRecorded,
            );
        }
        for (j, category) in c.data_categories.iter().enumerate() {
            text::required(
                ps,
                &format!("consents[{i}].data_categories[{j}]"),
                category,
                MAX_SHORT_TEXT_CHARS,
            );
        }
    }
}
