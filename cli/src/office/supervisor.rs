//! `komek supervisor`: review cases on a running registry.
//!
//! Each subcommand is one call of the registry's supervisor API (which
//! audits it under the supervisor's name): log in, list cases, open one (the
//! decrypted form and its pre-check), and decide. A returned case needs a
//! comment saying what to fix; comments may name people, so they are sealed
//! for the device by the registry and can be given on stdin (`--comment -`)
//! to keep them out of shell history.

use super::connect::{client_error, connect, login, runtime, Connection};
use super::show;
use crate::error::CliError;
use crate::options::LangArg;
use crate::out;
use clap::{Args, Subcommand, ValueEnum};
use komek_core::sync::wire::CaseStatus;
use komek_registry::scope::CaseCursor;
use std::io::Read;
use uuid::Uuid;

#[derive(Debug, Subcommand)]
pub enum SupervisorCommand {
    /// Log in and print a session token for KOMEK_TOKEN.
    ///
    /// The token is valid 12 hours; with it set, later commands do not ask
    /// for the password again. Keep it secret.
    Login(Connection),
    /// List the cases of your scope, oldest change first.
    ///
    /// All of them, page by page; with --limit one page, and on stderr the
    /// counts per status and the --after of the next page.
    List(ListArgs),
    /// Read the audit log (national supervisors), oldest first.
    ///
    /// All of it, page by page; with --limit one page (--after to go on).
    Audit(AuditArgs),
    /// Open a case: the decrypted form and its pre-check.
    ///
    /// Prints personal data (names, IINs, incomes) to stdout, for the
    /// supervisor deciding on the case; the registry audits the opening.
    Show(ShowArgs),
    /// Mark a case as under review.
    Review(DecideArgs),
    /// Approve a case.
    Approve(DecideArgs),
    /// Return a case to the field worker, with a comment (required).
    ///
    /// The comment says what to fix; the registry seals it for the device
    /// that sent the case. `--comment -` reads it from stdin.
    Return(ReturnArgs),
    /// Reject a case.
    Reject(DecideArgs),
    /// Withdraw a published rule pack: the registry stops serving it and
    /// devices no longer receive it (audited). Devices that already use it
    /// keep it until a newer pack arrives: publish a corrected one.
    WithdrawRules(WithdrawArgs),
    /// List follow-up records (integration plans, referrals, visits,
    /// exits), newest first; no personal data.
    Records(super::records::RecordsArgs),
    /// Open a follow-up record: its decrypted content.
    ///
    /// Prints personal data (notes, grounds) to stdout; the registry audits
    /// the opening.
    Record(super::records::RecordArgs),
    /// Approve an integration plan (its latest version, or --version).
    ApprovePlan(super::records::ApprovePlanArgs),
    /// Overdue plan measures and referrals without an outcome (no
    /// personal data: ids, codes and dates).
    FollowUp(super::records::OverviewArgs),
    /// End the session (the token in KOMEK_TOKEN stops working at once).
    Logout(Connection),
}

#[derive(Debug, Args)]
pub struct WithdrawArgs {
    /// The pack's version, e.g. kz-2026.2.
    #[arg(value_name = "VERSION")]
    pub version: String,
    #[command(flatten)]
    pub connection: Connection,
}

/// A case status, as `list --status` takes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StatusArg {
    Received,
    UnderReview,
    Approved,
    Returned,
    Rejected,
}

impl From<StatusArg> for CaseStatus {
    fn from(s: StatusArg) -> CaseStatus {
        match s {
            StatusArg::Received => CaseStatus::Received,
            StatusArg::UnderReview => CaseStatus::UnderReview,
            StatusArg::Approved => CaseStatus::Approved,
            StatusArg::Returned => CaseStatus::Returned,
            StatusArg::Rejected => CaseStatus::Rejected,
        }
    }
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only cases with this status.
    #[arg(long, value_enum)]
    pub status: Option<StatusArg>,
    /// One page of at most this many cases (1 to 500).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=500))]
    pub limit: Option<u32>,
    /// Start after this cursor (the `next` a previous page printed).
    #[arg(long, value_name = "CURSOR", requires = "limit")]
    pub after: Option<CaseCursor>,
    #[command(flatten)]
    pub connection: Connection,
}

#[derive(Debug, Args)]
pub struct AuditArgs {
    /// One page of at most this many rows (1 to 500).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=500))]
    pub limit: Option<u32>,
    /// Start after this row number (with --limit).
    #[arg(long, value_name = "SEQ", requires = "limit")]
    pub after: Option<i64>,
    #[command(flatten)]
    pub connection: Connection,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The case id (a household id, from `komek supervisor list`).
    #[arg(value_name = "CASE")]
    pub case: Uuid,
    /// Language of the pre-check and the form's labels.
    #[arg(long, value_enum, default_value = "ru", env = "KOMEK_LANG")]
    pub lang: LangArg,
    #[command(flatten)]
    pub connection: Connection,
}

#[derive(Debug, Args)]
pub struct DecideArgs {
    /// The case id.
    #[arg(value_name = "CASE")]
    pub case: Uuid,
    /// A comment for the field worker (`-`: read it from stdin).
    #[arg(long, value_name = "TEXT")]
    pub comment: Option<String>,
    #[command(flatten)]
    pub connection: Connection,
}

#[derive(Debug, Args)]
pub struct ReturnArgs {
    /// The case id.
    #[arg(value_name = "CASE")]
    pub case: Uuid,
    /// What to fix (`-`: read it from stdin). Required.
    #[arg(long, value_name = "TEXT", required = true)]
    pub comment: String,
    #[command(flatten)]
    pub connection: Connection,
}

/// The comment's text: `-` reads stdin; blank is no comment.
fn comment_text(comment: Option<String>) -> Result<Option<String>, CliError> {
    let text = match comment.as_deref() {
        Some("-") => {
            let mut text = String::new();
            std::io::stdin()
                .read_to_string(&mut text)
                .map_err(|e| CliError::read("<stdin>", e))?;
            text
        }
        Some(t) => t.to_string(),
        None => return Ok(None),
    };
    Ok(Some(text.trim().to_string()).filter(|t| !t.is_empty()))
}

pub fn run(command: SupervisorCommand) -> Result<(), CliError> {
    match command {
        SupervisorCommand::Login(c) => runtime()?.block_on(async {
            let sup = login(&c).await?;
            eprintln!(
                "logged in at {}; session valid 12 hours. Keep it secret:",
                c.registry
            );
            eprintln!("  export KOMEK_TOKEN=<the line below>");
            out::stdout(&format!("{}\n", sup.token()))
        }),
        SupervisorCommand::List(args) => runtime()?.block_on(async {
            let c = &args.connection;
            let sup = connect(c).await?;
            let status = args.status.map(CaseStatus::from);
            let cases = match args.limit {
                None => sup.cases(status).await,
                Some(limit) => sup.cases_page(status, args.after, limit).await.map(|page| {
                    let k = page.counts;
                    eprintln!(
                        "in your scope: {} received, {} under review, {} approved, {} returned, {} rejected",
                        k.received, k.under_review, k.approved, k.returned, k.rejected
                    );
                    match &page.next {
                        Some(next) => eprintln!("next page: --after {next}"),
                        None => eprintln!("last page"),
                    }
                    page.cases
                }),
            }
            .map_err(|e| client_error(&c.registry, e))?;
            out::stdout(&show::case_table(&cases))
        }),
        SupervisorCommand::Audit(args) => runtime()?.block_on(async {
            let c = &args.connection;
            let sup = connect(c).await?;
            let rows = match args.limit {
                None => sup.audit().await,
                Some(limit) => sup
                    .audit_page(args.after.unwrap_or(0), limit)
                    .await
                    .map(|page| {
                        match page.next {
                            Some(next) => eprintln!("next page: --after {next}"),
                            None => eprintln!("last page"),
                        }
                        page.rows
                    }),
            }
            .map_err(|e| client_error(&c.registry, e))?;
            out::stdout(&show::audit_table(&rows))
        }),
        SupervisorCommand::Show(args) => runtime()?.block_on(async {
            let c = &args.connection;
            let sup = connect(c).await?;
            let lang = komek_core::l10n::Lang::from(args.lang);
            let view = sup
                .case(args.case, lang.code())
                .await
                .map_err(|e| client_error(&c.registry, e))?;
            out::stdout(&show::case_text(&view, lang))
        }),
        SupervisorCommand::Review(a) => {
            decide(a.case, "review", comment_text(a.comment)?, &a.connection)
        }
        SupervisorCommand::Approve(a) => {
            decide(a.case, "approve", comment_text(a.comment)?, &a.connection)
        }
        SupervisorCommand::Reject(a) => {
            decide(a.case, "reject", comment_text(a.comment)?, &a.connection)
        }
        SupervisorCommand::Return(a) => {
            let comment = comment_text(Some(a.comment))?.ok_or_else(|| {
                CliError::Usage("a returned case needs a comment saying what to fix".into())
            })?;
            decide(a.case, "return", Some(comment), &a.connection)
        }
        SupervisorCommand::WithdrawRules(a) => runtime()?.block_on(async {
            let c = &a.connection;
            let sup = connect(c).await?;
            sup.withdraw_rules(&a.version)
                .await
                .map_err(|e| client_error(&c.registry, e))?;
            out::stdout(&format!("rule pack {} withdrawn\n", a.version))
        }),
        SupervisorCommand::Records(a) => super::records::list(a),
        SupervisorCommand::Record(a) => super::records::show(a),
        SupervisorCommand::ApprovePlan(a) => super::records::approve(a),
        SupervisorCommand::FollowUp(a) => super::records::overview(a),
        SupervisorCommand::Logout(c) => runtime()?.block_on(async {
            let sup = connect(&c).await?;
            sup.logout()
                .await
                .map_err(|e| client_error(&c.registry, e))?;
            out::stdout("logged out\n")
        }),
    }
}

fn decide(
    case: Uuid,
    action: &str,
    comment: Option<String>,
    c: &Connection,
) -> Result<(), CliError> {
    runtime()?.block_on(async {
        let sup = connect(c).await?;
        let row = sup
            .decide(case, action, comment.as_deref())
            .await
            .map_err(|e| client_error(&c.registry, e))?;
        out::stdout(&format!(
            "case {} version {}: {}\n",
            row.case_id,
            row.version,
            row.status.as_str()
        ))
    })
}
