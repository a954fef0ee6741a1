//! A report as plain text a person can read, in Kazakh, Russian or English.
//!
//! Field staff read the pre-check aloud in the village and applicants read it on
//! their phone, so the text leads with the answer (likely eligible or not, how
//! much), then the margin, the arithmetic with the incomes that counted and the
//! ones that did not, the documents to bring, how sure the rules are, and always
//! that the district commission decides. Every word comes from the `.ftl` files
//! through [`Localizer`]; this module only formats typed values and lays out.

use super::report::{Message, Outcome, Period, ProgrammeResult, Report, Value};
use crate::l10n::{
    format_coefficient, format_date, format_integer, format_money, format_percent, Lang, Localizer,
};
use crate::model::{Quarter, YearMonth};
use fluent_bundle::{FluentArgs, FluentValue};
use serde::Serialize;

/// Message ids the renderer itself uses (beside the enum-derived ones:
/// `programme-*`, `region-*`, `income-*`, `doc-*`, `relation-*`, `confidence-*`).
pub const MESSAGE_IDS: &[&str] = &[
    "report-title",
    "report-header",
    "report-amount-monthly",
    "report-amount-one-time",
    "report-margin-below",
    "report-margin-above",
    "report-steps",
    "report-excluded-incomes",
    "report-excluded-income",
    "report-flags",
    "report-documents",
    "report-confidence",
    "report-advisory",
    "report-missing-fields",
    "report-notes",
    "report-member",
    "report-no-programmes",
    "quarter-value",
    "outcome-likely-eligible",
    "outcome-needs-review",
    "outcome-likely-not-eligible",
    "outcome-missing-information",
];

/// The snake-case code of an enum that serializes as one.
fn code<T: Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

fn format_month(lang: Lang, m: YearMonth) -> String {
    match lang {
        Lang::Kk | Lang::Ru => format!("{:02}.{}", m.month(), m.year()),
        Lang::En => m.first_day().format("%b %Y").to_string(),
    }
}

fn format_quarter(loc: &Localizer, lang: Lang, q: Quarter) -> String {
    let mut args = FluentArgs::new();
    args.set("year", FluentValue::from(q.year().to_string()));
    args.set("q", FluentValue::from(i64::from(q.number())));
    loc.format(lang, "quarter-value", Some(&args))
}

/// One typed value as a Fluent argument in `lang`: counts stay numbers so
/// plural selectors work; everything else is formatted text.
pub fn format_value(loc: &Localizer, lang: Lang, v: &Value) -> FluentValue<'static> {
    match v {
        Value::Count(n) if n.unsigned_abs() < 10_000 => FluentValue::from(*n),
        _ => FluentValue::from(value_text(loc, lang, v)),
    }
}

/// One typed value as text in `lang`.
pub fn value_text(loc: &Localizer, lang: Lang, v: &Value) -> String {
    match v {
        Value::Tiyn(t) => format_money(lang, *t),
        Value::Count(n) => format_integer(lang, *n),
        Value::Date(d) => format_date(lang, *d),
        Value::Coefficient(c) => format_coefficient(lang, *c),
        Value::Percent(c) => format_percent(lang, *c),
        Value::Quarter(q) => format_quarter(loc, lang, *q),
        Value::Month(m) => format_month(lang, *m),
        Value::Region(r) => loc.format(lang, &format!("region-{}", r.code()), None),
        Value::Income(k) => loc.format(lang, &format!("income-{}", k.code()), None),
        Value::Document(d) => loc.format(lang, &format!("doc-{}", code(d)), None),
        Value::Relation(r) => loc.format(lang, &format!("relation-{}", code(r)), None),
        Value::Member(m) => {
            let mut args = FluentArgs::new();
            args.set("number", FluentValue::from(i64::from(m.index) + 1));
            args.set(
                "relation",
                FluentValue::from(loc.format(
                    lang,
                    &format!("relation-{}", code(&m.relation)),
                    None,
                )),
            );
            loc.format(lang, "report-member", Some(&args))
        }
        Value::Programme(p) => loc.format(lang, &format!("programme-{}", p.code()), None),
        Value::Confidence(c) => loc.format(lang, &format!("confidence-{}", c.code()), None),
        Value::Message(id) => loc.format(lang, id.as_str(), None),
    }
}

/// One message with its arguments as text in `lang`.
pub fn render_message(loc: &Localizer, lang: Lang, m: &Message) -> String {
    if m.args.is_empty() {
        return loc.format(lang, m.id.as_str(), None);
    }
    let mut args = FluentArgs::new();
    for a in &m.args {
        args.set(a.name.to_string(), format_value(loc, lang, &a.value));
    }
    loc.format(lang, m.id.as_str(), Some(&args))
}

fn fmt1(loc: &Localizer, lang: Lang, id: &str, name: &'static str, v: Value) -> String {
    render_message(
        loc,
        lang,
        &Message {
            id: super::report::MsgId::from(id.to_string()),
            args: vec![super::report::Arg::new(name, v)],
        },
    )
}

fn render_programme(loc: &Localizer, lang: Lang, p: &ProgrammeResult, out: &mut String) {
    let name = loc.format(lang, &format!("programme-{}", p.programme.code()), None);
    let who = p
        .member
        .map(|m| format!(" · {}", value_text(loc, lang, &Value::Member(m))))
        .unwrap_or_default();
    out.push_str(&format!("\n== {name}{who} ==\n"));
    // An advisory view is no entitlement: no eligibility headline and no
    // per-person margin, only its label, its steps and its flags.
    if p.advisory {
        out.push_str(&loc.format(lang, "report-advisory", None));
        out.push('\n');
    } else {
        out.push_str(&loc.format(lang, p.outcome.message_id(), None));
        out.push('\n');
    }
    if let Outcome::MissingInformation { fields } = &p.outcome {
        let mut args = FluentArgs::new();
        args.set("fields", FluentValue::from(fields.join(", ")));
        out.push_str(&loc.format(lang, "report-missing-fields", Some(&args)));
        out.push('\n');
    }
    if let Some(a) = p.amount {
        let id = match a.period {
            Period::Monthly => "report-amount-monthly",
            Period::OneTime => "report-amount-one-time",
        };
        out.push_str(&fmt1(loc, lang, id, "amount", Value::Tiyn(a.value)));
        out.push('\n');
    }
    if let Some(m) = p.margin.filter(|_| !p.advisory) {
        let (id, v) = if m.get() >= 0 {
            ("report-margin-below", m)
        } else {
            (
                "report-margin-above",
                crate::model::Tiyn(m.get().saturating_neg()),
            )
        };
        out.push_str(&fmt1(loc, lang, id, "amount", Value::Tiyn(v)));
        out.push('\n');
    }
    if !p.steps.is_empty() {
        out.push_str(&loc.format(lang, "report-steps", None));
        out.push('\n');
        for s in &p.steps {
            out.push_str("  - ");
            out.push_str(&render_message(loc, lang, s));
            out.push('\n');
        }
    }
    if !p.excluded_incomes.is_empty() {
        out.push_str(&loc.format(lang, "report-excluded-incomes", None));
        out.push('\n');
        for e in &p.excluded_incomes {
            let mut args = FluentArgs::new();
            args.set("income", format_value(loc, lang, &Value::Income(e.kind)));
            args.set("amount", format_value(loc, lang, &Value::Tiyn(e.amount)));
            args.set(
                "reason",
                FluentValue::from(loc.format(lang, e.reason.as_str(), None)),
            );
            out.push_str("  - ");
            out.push_str(&loc.format(lang, "report-excluded-income", Some(&args)));
            out.push('\n');
        }
    }
    if !p.flags.is_empty() {
        out.push_str(&loc.format(lang, "report-flags", None));
        out.push('\n');
        for f in &p.flags {
            out.push_str("  ! ");
            out.push_str(&render_message(loc, lang, f));
            out.push('\n');
        }
    }
    if !p.documents.is_empty() {
        out.push_str(&loc.format(lang, "report-documents", None));
        out.push('\n');
        for d in &p.documents {
            out.push_str("  [ ] ");
            out.push_str(&value_text(loc, lang, &Value::Document(*d)));
            out.push('\n');
        }
    }
    out.push_str(&fmt1(
        loc,
        lang,
        "report-confidence",
        "confidence",
        Value::Confidence(p.confidence),
    ));
    out.push('\n');
}

/// The whole report as plain text in `lang`.
pub fn render_text(report: &Report, lang: Lang) -> String {
    let loc = Localizer::global();
    let mut out = String::new();
    out.push_str(&loc.format(lang, "report-title", None));
    out.push('\n');
    // The pack version is a code, not a word: passed as text.
    let mut args = FluentArgs::new();
    args.set("version", FluentValue::from(report.pack_version.clone()));
    args.set(
        "region",
        format_value(loc, lang, &Value::Region(report.region)),
    );
    args.set(
        "date",
        format_value(loc, lang, &Value::Date(report.evaluated_on)),
    );
    let header_text = loc.format(lang, "report-header", Some(&args));
    out.push_str(&header_text);
    out.push('\n');
    out.push_str(&loc.format(lang, report.notice.as_str(), None));
    out.push('\n');
    if !report.notes.is_empty() {
        out.push_str(&loc.format(lang, "report-notes", None));
        out.push('\n');
        for n in &report.notes {
            out.push_str("  ! ");
            out.push_str(&render_message(loc, lang, n));
            out.push('\n');
        }
    }
    if report.programmes.is_empty() {
        out.push_str(&loc.format(lang, "report-no-programmes", None));
        out.push('\n');
    }
    // Legal programmes first, advisory views after.
    for p in report.programmes.iter().filter(|p| !p.advisory) {
        render_programme(loc, lang, p, &mut out);
    }
    for p in report.programmes.iter().filter(|p| p.advisory) {
        render_programme(loc, lang, p, &mut out);
    }
    out
}

/// Message ids a report refers to that `lang` lacks (for tests and tooling).
pub fn missing_messages(report: &Report, lang: Lang) -> Vec<String> {
    let loc = Localizer::global();
    let mut ids: Vec<String> = vec![report.notice.as_str().to_string()];
    let push_msg = |m: &Message, ids: &mut Vec<String>| {
        ids.push(m.id.as_str().to_string());
        for a in &m.args {
            if let Value::Message(id) = &a.value {
                ids.push(id.as_str().to_string());
            }
        }
    };
    for n in &report.notes {
        push_msg(n, &mut ids);
    }
    for p in &report.programmes {
        ids.push(format!("programme-{}", p.programme.code()));
        ids.push(p.outcome.message_id().to_string());
        for m in p.steps.iter().chain(&p.flags) {
            push_msg(m, &mut ids);
        }
        for e in &p.excluded_incomes {
            ids.push(e.reason.as_str().to_string());
        }
    }
    ids.sort();
    ids.dedup();
    ids.retain(|id| !loc.has(lang, id));
    ids
}
