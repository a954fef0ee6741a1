//! `komek supervisor records | record | approve-plan`: follow-up records
//! (integration plans, referrals, visits, exits; docs/case-follow-up.md) as
//! a supervisor reads them. The list has no personal data; `record` prints
//! the decrypted content (the registry audits the opening), with terminal
//! controls in free text shown as escapes.

use super::connect::{client_error, connect, runtime, Connection};
use crate::error::CliError;
use crate::out;
use crate::text::escape;
use clap::{Args, ValueEnum};
use komek_core::followup::RecordKind;
use komek_registry::api::records::{Overview, RecordView};
use komek_registry::followup::RecordRow;
use std::fmt::Write;
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum KindArg {
    Plan,
    Referral,
    Visit,
    Exit,
}

impl From<KindArg> for RecordKind {
    fn from(k: KindArg) -> RecordKind {
        match k {
            KindArg::Plan => RecordKind::Plan,
            KindArg::Referral => RecordKind::Referral,
            KindArg::Visit => RecordKind::Visit,
            KindArg::Exit => RecordKind::Exit,
        }
    }
}

#[derive(Debug, Args)]
pub struct RecordsArgs {
    /// Only records of this kind.
    #[arg(long, value_enum)]
    pub kind: Option<KindArg>,
    /// Only the records of this household (a case id).
    #[arg(long, value_name = "CASE")]
    pub household: Option<Uuid>,
    #[command(flatten)]
    pub connection: Connection,
}

#[derive(Debug, Args)]
pub struct RecordArgs {
    /// The record id (from `komek supervisor records`).
    #[arg(value_name = "RECORD")]
    pub record: Uuid,
    #[command(flatten)]
    pub connection: Connection,
}

#[derive(Debug, Args)]
pub struct ApprovePlanArgs {
    /// The plan's record id.
    #[arg(value_name = "PLAN")]
    pub plan: Uuid,
    /// The version read (default: the latest); refused if a newer one came.
    #[arg(long)]
    pub version: Option<u32>,
    #[command(flatten)]
    pub connection: Connection,
}

#[derive(Debug, Args)]
pub struct OverviewArgs {
    /// The day to judge by (YYYY-MM-DD); the registry's date by default.
    #[arg(long)]
    pub date: Option<chrono::NaiveDate>,
    #[command(flatten)]
    pub connection: Connection,
}

/// Overdue measures and open referrals, one line each (ids, codes, dates).
pub fn overview_text(o: &Overview) -> String {
    let mut out = format!(
        "{}: {} overdue measures, {} referrals without an outcome\n",
        o.date,
        o.overdue_measures.len(),
        o.open_referrals.len()
    );
    for m in &o.overdue_measures {
        let _ = writeln!(
            out,
            "  overdue   household {}  plan {}  {:<18} due {}  ({} days)",
            m.household_id,
            m.plan_id,
            m.kind.code(),
            m.due,
            m.days
        );
    }
    for r in &o.open_referrals {
        let _ = writeln!(
            out,
            "  referral  household {}  {} {:<24} opened {}  last step {}  {} documents missing",
            r.household_id,
            r.referral_id,
            r.service.code(),
            r.opened_on,
            r.last_activity,
            r.missing_documents
        );
    }
    out
}

pub fn overview(args: OverviewArgs) -> Result<(), CliError> {
    runtime()?.block_on(async {
        let c = &args.connection;
        let sup = connect(c).await?;
        let o = sup
            .followup_overview(args.date)
            .await
            .map_err(|e| client_error(&c.registry, e))?;
        out::stdout(&overview_text(&o))
    })
}

/// One line per record, no personal data.
pub fn record_table(rows: &[RecordRow]) -> String {
    let mut out = String::new();
    for r in rows {
        let when = chrono::DateTime::from_timestamp(r.updated_at, 0)
            .map(|t| t.format("%Y-%m-%d %H:%M").to_string())
            .unwrap_or_default();
        let approved = match (r.kind, r.is_approved(), r.approved_version) {
            (RecordKind::Plan, true, _) => "approved".to_string(),
            (RecordKind::Plan, false, Some(v)) => format!("v{v} approved"),
            (RecordKind::Plan, false, None) => "to approve".to_string(),
            _ => String::new(),
        };
        let _ = writeln!(
            out,
            "{}  {:<8}  household {}  v{:<3} {}  {}{}",
            r.record_id,
            r.kind.code(),
            r.household_id,
            r.version,
            when,
            approved,
            if r.flagged { "  flagged" } else { "" }
        );
    }
    out
}

/// The record's row, then its content as indented JSON, escaped for a
/// terminal.
pub fn record_text(v: &RecordView) -> String {
    let mut out = record_table(std::slice::from_ref(&v.row));
    let pretty = serde_json::to_string_pretty(&v.content).unwrap_or_default();
    out.push_str(&escape(&pretty, true));
    out.push('\n');
    out
}

pub fn list(args: RecordsArgs) -> Result<(), CliError> {
    runtime()?.block_on(async {
        let c = &args.connection;
        let sup = connect(c).await?;
        let rows = sup
            .records(args.kind.map(RecordKind::from), args.household)
            .await
            .map_err(|e| client_error(&c.registry, e))?;
        out::stdout(&record_table(&rows))
    })
}

pub fn show(args: RecordArgs) -> Result<(), CliError> {
    runtime()?.block_on(async {
        let c = &args.connection;
        let sup = connect(c).await?;
        let view = sup
            .record(args.record)
            .await
            .map_err(|e| client_error(&c.registry, e))?;
        out::stdout(&record_text(&view))
    })
}

pub fn approve(args: ApprovePlanArgs) -> Result<(), CliError> {
    runtime()?.block_on(async {
        let c = &args.connection;
        let sup = connect(c).await?;
        let row = sup
            .approve_plan(args.plan, args.version)
            .await
            .map_err(|e| client_error(&c.registry, e))?;
        out::stdout(&format!(
            "plan {} version {}: approved\n",
            row.record_id, row.version
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_is_listed_without_content_and_shown_with_escapes() {
        let row = RecordRow {
            record_id: Uuid::from_u128(1),
            kind: RecordKind::Plan,
            household_id: Uuid::from_u128(2),
            version: 2,
            device_id: Uuid::from_u128(3),
            flagged: true,
            approved_version: Some(1),
            approved_by: Some("sup".into()),
            updated_at: 0,
        };
        let table = record_table(std::slice::from_ref(&row));
        assert!(table.contains("plan"));
        assert!(table.contains("v1 approved"));
        assert!(table.contains("flagged"));
        let view = RecordView {
            row,
            content: serde_json::json!({"note": "night shift\u{7f}\u{202e}"}),
        };
        let text = record_text(&view);
        assert!(text.contains("night shift\\u{7f}\\u{202e}"), "{text}");
        assert!(!text.contains('\u{202e}'));
    }

    #[test]
    fn the_overview_lists_overdue_measures_and_open_referrals() {
        use komek_core::followup::{MeasureKind, Service};
        use komek_registry::api::records::{OpenReferral, OverdueMeasure};
        let d = |m, day| chrono::NaiveDate::from_ymd_opt(2026, m, day).unwrap();
        let o = Overview {
            date: d(5, 1),
            overdue_measures: vec![OverdueMeasure {
                household_id: Uuid::from_u128(1),
                plan_id: Uuid::from_u128(2),
                measure_id: Uuid::from_u128(3),
                kind: MeasureKind::JobSearch,
                due: d(4, 1),
                days: 30,
            }],
            open_referrals: vec![OpenReferral {
                household_id: Uuid::from_u128(4),
                referral_id: Uuid::from_u128(5),
                service: Service::Pmpc,
                opened_on: d(3, 1),
                last_activity: d(3, 10),
                missing_documents: 2,
            }],
        };
        let text = overview_text(&o);
        assert!(text.starts_with("2026-05-01: 1 overdue measures, 1 referrals without an outcome"));
        assert!(text.contains("job_search") && text.contains("(30 days)"));
        assert!(text.contains("pmpc") && text.contains("2 documents missing"));
    }
}
