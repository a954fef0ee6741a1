//! `komek demo`: a field day, end to end, on the embedded registry.
//!
//! What a newcomer runs first. It starts a registry on loopback in a
//! temporary directory, enrols two field devices and a supervisor, captures
//! synthetic households (fixed seed: valid IINs, incomes and situations like
//! the seed studies describe), prints a few pre-checks as a person reads them,
//! finalizes, syncs over an emulated link, lets the supervisor approve most
//! and return one with a comment, pulls the decisions back, corrects and
//! re-syncs the returned one, then follows up (`demo_followup`: a plan, a
//! referral, an exit, the visit list, a visit), and ends with a summary.
//!
//! The devices use an in-memory key vault (the demo's stores live in a
//! temporary directory and are thrown away); phones use the platform
//! keystores through the bindings.

use crate::error::CliError;
use chrono::NaiveDate;
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use komek_core::l10n::Lang;
use komek_core::rules::{self, render, Outcome, ProgrammeId};
use komek_core::sync::wire::CaseStatus;
use komek_core::sync::{self, CancelToken, Phase, Progress, SyncConfig, SyncProgress, SyncReport};
use komek_registry::client::SupervisorClient;
use komek_sim::device::Device;
use komek_sim::link::{LinkProfile, LinkProxy};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Language of the pre-checks shown: kk, ru or en.
    #[arg(long, default_value = "ru")]
    lang: String,
    /// Emulated link between the devices and the registry: 2g, edge, 3g or lan.
    #[arg(long, default_value = "edge")]
    link: String,
    /// How many households the two devices capture.
    #[arg(long, default_value_t = 20)]
    households: usize,
    /// Keep the registry's data here instead of a temporary directory.
    #[arg(long)]
    data: Option<PathBuf>,
}

fn other(e: impl std::fmt::Display) -> CliError {
    CliError::Other(e.to_string())
}

/// A terminal progress bar for a sync (indicatif draws nothing when stderr is
/// not a terminal, so piped output and tests stay clean).
struct Bar(ProgressBar);

impl Bar {
    fn new() -> Bar {
        let bar = ProgressBar::new(0);
        if let Ok(style) =
            ProgressStyle::with_template("   sync [{bar:24}] {pos}/{len} forms, {msg} {elapsed}")
        {
            bar.set_style(style.progress_chars("#>."));
        }
        Bar(bar)
    }
}

impl Progress for Bar {
    fn on_progress(&self, p: SyncProgress) {
        match p.phase {
            Phase::Pushing if p.ops_total > 0 => {
                self.0.set_length(p.ops_total);
                self.0.set_position(p.ops_done);
                self.0
                    .set_message(format!("{}/{} bytes", p.bytes_done, p.bytes_total));
            }
            Phase::Pulling => self.0.set_message("pulling decisions"),
            Phase::Done => self.0.finish_and_clear(),
            _ => {}
        }
    }
}

/// A bar over the households captured in the villages.
fn capture_bar(n: usize) -> ProgressBar {
    let bar = ProgressBar::new(n as u64);
    if let Ok(style) = ProgressStyle::with_template("   capture [{bar:24}] {pos}/{len} households")
    {
        bar.set_style(style.progress_chars("#>."));
    }
    bar
}

pub fn run(args: DemoArgs) -> Result<(), CliError> {
    let lang = Lang::from_code(&args.lang)
        .ok_or_else(|| CliError::Usage("--lang must be kk, ru or en".into()))?;
    let link = LinkProfile::by_name(&args.link)
        .ok_or_else(|| CliError::Usage("--link must be 2g, edge, 3g or lan".into()))?;
    if args.households < 2 {
        return Err(CliError::Usage("--households must be at least 2".into()));
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(other)?;
    runtime.block_on(field_day(args, lang, link))
}

struct Timing {
    syncs: Vec<(String, Duration, SyncReport)>,
}

async fn sync_one(name: &str, d: &Device, t: &mut Timing) -> Result<SyncReport, CliError> {
    let start = Instant::now();
    let report = sync::sync(
        &d.store,
        &SyncConfig::default(),
        Some(&Bar::new()),
        &CancelToken::new(),
    )
    .await
    .map_err(other)?;
    t.syncs
        .push((name.to_string(), start.elapsed(), report.clone()));
    Ok(report)
}

async fn field_day(args: DemoArgs, lang: Lang, link: LinkProfile) -> Result<(), CliError> {
    let started = Instant::now();
    let temp = tempfile::tempdir().map_err(other)?;
    let data = args
        .data
        .clone()
        .unwrap_or_else(|| temp.path().join("registry"));
    let today: NaiveDate = chrono::Utc::now().date_naive();

    // 1. The district office: a registry and a supervisor.
    let registry = komek_registry::start(&data, "127.0.0.1:0".parse().map_err(other)?)
        .await
        .map_err(other)?;
    let password = format!("demo-{}", uuid::Uuid::new_v4());
    komek_registry::add_supervisor(&registry.state, "supervisor", &password).map_err(other)?;
    let sup = SupervisorClient::login(&registry.url(), "supervisor", &password)
        .await
        .map_err(other)?;
    println!(
        "1. Registry running on {} (data in {}).",
        registry.url(),
        data.display()
    );

    // 2. Two tablets of a mobile centre enrol with one-time codes, through the link.
    let proxy = LinkProxy::start(registry.addr, link, None).map_err(other)?;
    let url = format!("http://{}", proxy.addr());
    let mut devices = Vec::new();
    for name in ["tablet-a", "tablet-b"] {
        let d = Device::new(temp.path(), name).map_err(other)?;
        let code = sup.enrolment_code().await.map_err(other)?;
        sync::enrol(&d.store, &url, &code, name)
            .await
            .map_err(other)?;
        devices.push(d);
    }
    println!(
        "2. Two field devices enrolled over an emulated {} link ({} kbit/s up, {} kbit/s down, {} ms one way).",
        link.name,
        link.up_bps / 1000,
        link.down_bps / 1000,
        link.latency.as_millis()
    );

    // 3. A day in the villages: households captured and pre-checked offline.
    let households = komek_core::synth::households(2026, args.households, today);
    let half = households.len() / 2;
    // (likely eligible, needs review) per programme: on a date where the
    // pack's poverty line is only an estimate, TSA is "needs review".
    let mut outcomes: BTreeMap<ProgrammeId, (usize, usize)> = BTreeMap::new();
    let bar = capture_bar(households.len());
    for (i, h) in households.iter().enumerate() {
        bar.inc(1);
        let d = &devices[usize::from(i >= half)];
        d.store.save_draft(h).map_err(other)?;
        let report = rules::evaluate(h, rules::default_pack(), today);
        for p in &report.programmes {
            if p.advisory {
                continue;
            }
            match p.outcome {
                Outcome::LikelyEligible => outcomes.entry(p.programme).or_default().0 += 1,
                Outcome::NeedsReview => outcomes.entry(p.programme).or_default().1 += 1,
                _ => {}
            }
        }
        if i < 2 {
            bar.suspend(|| {
                println!("\n--- Pre-check of household {} ---", i + 1);
                println!("{}", render::render_text(&report, lang));
            });
        }
    }
    bar.finish_and_clear();
    let people: usize = households.iter().map(|h| h.members.len()).sum();
    println!(
        "3. {} households ({people} people) captured offline as encrypted drafts and pre-checked.",
        households.len()
    );

    // 4. Finalized forms wait in each device's outbox.
    for (i, h) in households.iter().enumerate() {
        devices[usize::from(i >= half)]
            .store
            .finalize(h.id, today)
            .map_err(other)?;
    }
    println!("4. All finalized: sealed to the registry at the next sync.");

    // 5. Signal at the edge of the village: sync.
    let mut timing = Timing { syncs: Vec::new() };
    for (name, d) in ["tablet-a", "tablet-b"].iter().zip(&devices) {
        let r = sync_one(name, d, &mut timing).await?;
        println!("5. {name}: {} forms stored by the registry.", r.stored);
    }

    // 6. The supervisor reviews: approves all but one, returns one.
    let received = sup.cases(Some(CaseStatus::Received)).await.map_err(other)?;
    let returned = households[0].id;
    for case in &received {
        if case.case_id == returned {
            sup.decide(
                case.case_id,
                "return",
                Some("Please attach the income certificate for last quarter."),
            )
            .await
            .map_err(other)?;
        } else {
            sup.decide(case.case_id, "approve", None)
                .await
                .map_err(other)?;
        }
    }
    println!(
        "6. Supervisor approved {} cases and returned 1 with a comment.",
        received.len() - 1
    );

    // 7. Decisions come back; the returned form is corrected and re-sent.
    for (name, d) in ["tablet-a", "tablet-b"].iter().zip(&devices) {
        sync_one(name, d, &mut timing).await?;
    }
    let a = &devices[0];
    let case = a.store.case(returned).map_err(other)?;
    if let Some(case) = &case {
        println!(
            "7. tablet-a sees household 1 {:?} with comment: \"{}\"",
            case.status,
            case.comments.join(" / ")
        );
    }
    let mut fixed = a.store.start_correction(returned).map_err(other)?;
    fixed.notes = Some("Income certificate attached.".into());
    a.store.save_draft(&fixed).map_err(other)?;
    a.store.finalize(returned, today).map_err(other)?;
    sync_one("tablet-a", a, &mut timing).await?;
    sup.decide(returned, "approve", None).await.map_err(other)?;
    for (name, d) in ["tablet-a", "tablet-b"].iter().zip(&devices) {
        sync_one(name, d, &mut timing).await?;
    }
    println!("8. Correction sent, approved, and both devices have every decision.");

    // 9-12. After the intake: plan, referral, exit, visit list, a visit.
    let follow = crate::demo_followup::run(
        &devices[0],
        &households[..half],
        today,
        lang,
        &sup,
        &registry,
    )
    .await?;

    // Summary, with the checks that nothing was lost.
    let (stored, cases) = registry.state.storage.counts().map_err(other)?;
    let expected_versions = households.len() as u64 + 1;
    let all_approved = devices.iter().all(|d| {
        d.store
            .cases()
            .map(|c| {
                c.len() == households.len() && c.iter().all(|(_, _, s)| *s == CaseStatus::Approved)
            })
            .unwrap_or(false)
    });
    let pending: u64 = devices
        .iter()
        .map(|d| {
            d.store
                .outbox_counts()
                .map(|c| c.pending)
                .unwrap_or(u64::MAX)
        })
        .sum();
    println!("\n=== Summary ===");
    println!(
        "households: {} ({people} people), on two devices",
        households.len()
    );
    println!("pre-checks on {today}, by programme (likely eligible / needs review):");
    for (p, (eligible, review)) in &outcomes {
        let name = komek_core::l10n::label(komek_core::l10n::LabelKind::Programme, p.code(), lang)
            .unwrap_or_else(|| p.code().to_string());
        println!("  {name:<48} {eligible} / {review}");
    }
    let up = proxy.stats().bytes_up.load(Ordering::SeqCst);
    let down = proxy.stats().bytes_down.load(Ordering::SeqCst);
    println!(
        "bytes on the wire: {up} up, {down} down ({} per form sent)",
        (up + down) / expected_versions
    );
    for (name, took, r) in &timing.syncs {
        println!(
            "  sync {name:<9} {:>6} ms  stored {:>2}  decisions {:>2}  comments {}",
            took.as_millis(),
            r.stored,
            r.decisions,
            r.comments
        );
    }
    println!(
        "registry: {stored} form versions stored for {cases} households (expected {expected_versions} and {})",
        households.len()
    );
    println!(
        "follow-up: {} plans, {} referrals, {} visits, {} exits synced ({} sealed bytes on the wire); {} households on today's visit lists",
        follow.plans, follow.referrals, follow.visits, follow.exits, follow.sealed_bytes, follow.listed
    );
    let ok = stored == expected_versions
        && cases == households.len() as u64
        && all_approved
        && pending == 0;
    println!(
        "nothing lost, nothing doubled: {}   (total {:.1} s)",
        if ok { "yes" } else { "NO" },
        started.elapsed().as_secs_f64()
    );
    registry.stop().await;
    if ok {
        Ok(())
    } else {
        Err(CliError::Other("the field day did not converge".into()))
    }
}
