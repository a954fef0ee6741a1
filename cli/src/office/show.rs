//! A case as a supervisor reads it: the decrypted form, then its pre-check.
//!
//! This is the one place the command line prints personal data (names,
//! IINs, incomes): a supervisor opening a case to decide on it, on stdout,
//! and the registry audits the opening. Labels are in the chosen language;
//! coded values (relation, income kind, document) are shown by their stable
//! codes, as the form stores them. Nothing here goes to stderr or a log.

use crate::text::{esc, escape, tr};
use komek_core::l10n::{format_date, format_money, Lang};
use komek_core::model::Household;
use komek_registry::api::supervisor::CaseView;
use komek_registry::storage::CaseRow;
use serde::Serialize;
use std::fmt::Write;

/// A serde enum's code (`wages`, `identity_document`).
fn code<T: Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_else(|| "?".into())
}

/// `list`: one line per case, no personal data.
pub fn case_table(cases: &[CaseRow]) -> String {
    let mut out = String::new();
    for c in cases {
        let when = chrono::DateTime::from_timestamp(c.updated_at, 0)
            .map(|t| t.format("%Y-%m-%d %H:%M").to_string())
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "{}  {:<12}  v{:<3} {}  {}",
            c.case_id,
            c.status.as_str(),
            c.version,
            when,
            if c.flagged { "flagged" } else { "" }
        );
    }
    out
}

/// `audit`: one row per line: number, time (UTC), actor, action, subject
/// (names and subjects come from the registry: escaped).
pub fn audit_table(rows: &[komek_registry::storage::AuditRow]) -> String {
    let mut out = String::new();
    for r in rows {
        let when = chrono::DateTime::from_timestamp(r.at, 0)
            .map(|t| t.format("%Y-%m-%d %H:%M:%S").to_string())
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "{:>6}  {when}  {}  {}  {}",
            r.seq,
            crate::text::esc(&r.actor),
            crate::text::esc(&r.action),
            r.subject
                .as_deref()
                .map(crate::text::esc)
                .unwrap_or_default()
        );
    }
    out
}

/// "member 2": members by their place in the list above.
fn member_no(h: &Household, id: uuid::Uuid, lang: Lang) -> String {
    let n = h
        .members
        .iter()
        .position(|m| m.id == id)
        .map_or_else(|| "?".into(), |i| (i + 1).to_string());
    format!("{} {n}", tr(lang, "case-member"))
}

/// `show`: the case, the form and the pre-check.
pub fn case_text(v: &CaseView, lang: Lang) -> String {
    let t = |id: &str| tr(lang, id);
    let h = &v.household;
    let mut o = String::new();
    let _ = writeln!(o, "== {} {} ==", t("case-title"), v.case_id);
    let _ = writeln!(
        o,
        "{}: {} · {} {}",
        t("case-status"),
        v.status.as_str(),
        t("case-version"),
        v.version
    );
    if v.flagged {
        let _ = writeln!(o, "!! {}", t("case-flagged"));
    }
    let _ = writeln!(o, "{}: {}", t("case-device"), v.device_id);
    let mut place = h.location.region.code().to_string();
    for part in [&h.location.district, &h.location.settlement]
        .into_iter()
        .flatten()
    {
        place.push_str(", ");
        place.push_str(&esc(part));
    }
    let _ = writeln!(o, "{}: {place}", t("case-region"));
    if let Some(a) = &h.address {
        let _ = writeln!(o, "{}: {}", t("case-address"), esc(a));
    }
    let _ = writeln!(o, "{} ({}):", t("case-members"), h.members.len());
    for (i, m) in h.members.iter().enumerate() {
        let mut line = format!("  {}. {} {}", i + 1, esc(&m.surname), esc(&m.given_name));
        if let Some(p) = &m.patronymic {
            let _ = write!(line, " {}", esc(p));
        }
        let _ = write!(line, " — {}", code(&m.relation));
        if let Some(b) = m.birth_date {
            let _ = write!(line, ", {} {}", t("case-born"), format_date(lang, b));
        }
        if let Some(s) = &m.sex {
            let _ = write!(line, ", {}", code(s));
        }
        if let Some(iin) = &m.iin {
            let _ = write!(line, ", {} {}", t("case-iin"), esc(iin));
        }
        if let Some(a) = &m.activity {
            let _ = write!(line, ", {}", code(a));
        }
        let disability = code(&m.disability);
        if disability != "none" {
            let _ = write!(line, ", {disability}");
        }
        let _ = writeln!(o, "{line}");
    }
    if !h.incomes.is_empty() {
        let _ = writeln!(o, "{}:", t("case-incomes"));
        for inc in &h.incomes {
            let _ = writeln!(
                o,
                "  {} {} · {} · {}",
                inc.month,
                code(&inc.kind),
                member_no(h, inc.member_id, lang),
                format_money(lang, inc.amount)
            );
        }
    }
    if !h.expenses.is_empty() {
        let _ = writeln!(o, "{}:", t("case-expenses"));
        for e in &h.expenses {
            let _ = writeln!(
                o,
                "  {}: {}",
                code(&e.category),
                format_money(lang, e.amount)
            );
        }
    }
    if let Some(tenure) = &h.housing.tenure {
        let mut line = format!("{}: {}", t("case-housing"), code(tenure));
        if let Some(rent) = h.housing.monthly_rent {
            let _ = write!(line, ", {} {}", t("case-rent"), format_money(lang, rent));
        }
        let _ = writeln!(o, "{line}");
    }
    if !h.documents.is_empty() {
        let _ = writeln!(o, "{}:", t("case-documents"));
        for d in &h.documents {
            let mark = if code(&d.status) == "have" {
                "[x]"
            } else {
                "[ ]"
            };
            let who = d.member_id.map(|m| format!(" ({})", member_no(h, m, lang)));
            let _ = writeln!(
                o,
                "  {mark} {} {}{}",
                code(&d.kind),
                code(&d.status),
                who.unwrap_or_default()
            );
        }
    }
    if !h.wanted_support.is_empty() {
        let wanted: Vec<String> = h.wanted_support.iter().map(code).collect();
        let _ = writeln!(o, "{}: {}", t("case-support"), wanted.join(", "));
    }
    for c in &h.consents {
        let _ = writeln!(
            o,
            "{}: {}, {} {}",
            t("case-consent"),
            code(&c.method),
            t("case-valid-until"),
            format_date(lang, c.valid_until)
        );
    }
    if h.breadwinner_lost {
        let _ = writeln!(o, "{}", t("case-breadwinner-lost"));
    }
    if let Some(n) = &h.notes {
        let _ = writeln!(o, "{}: {}", t("case-notes"), escape(n, true));
    }
    let _ = writeln!(
        o,
        "\n== {} ==\n{}",
        t("case-precheck"),
        escape(&v.precheck, true)
    );
    o
}

#[cfg(test)]
mod tests {
    use super::*;
    use komek_core::model::{Member, Region, Relation};
    use komek_core::sync::wire::CaseStatus;

    /// Issue 11, finding 11: a form's texts carrying terminal escapes print
    /// as visible escapes, never as raw control characters.
    #[test]
    fn a_case_with_escapes_prints_them_visibly() {
        let now = chrono::DateTime::from_timestamp(1_770_000_000, 0).unwrap_or_default();
        let mut h = Household::new_draft(Region::Aktobe, now);
        h.address = Some("Street\u{1b}[2J".into());
        h.notes = Some("line one\nline\u{1b}]0;x\u{7}".into());
        h.location.settlement = Some("V\u{202e}x".into());
        let mut m = Member::new("Ivanov\u{1b}[31m", "A\u{9b}", Relation::Head);
        m.patronymic = Some("P\u{0}".into());
        h.members.push(m);
        let view = CaseView {
            case_id: uuid::Uuid::nil(),
            status: CaseStatus::Received,
            version: 1,
            device_id: uuid::Uuid::nil(),
            flagged: false,
            household: h,
            precheck: "ok\u{1b}[0m\n".into(),
        };
        let text = case_text(&view, Lang::En);
        assert!(
            !text
                .chars()
                .any(|c| (c.is_control() && c != '\n') || c == '\u{202e}'),
            "{text:?}"
        );
        for shown in [
            "Ivanov\\u{1b}[31m",
            "Street\\u{1b}[2J",
            "P\\u{0}",
            "V\\u{202e}x",
        ] {
            assert!(text.contains(shown), "{shown} in {text}");
        }
        assert!(text.contains("line one\nline\\u{1b}]0;x\\u{7}"), "{text}");
    }
}
