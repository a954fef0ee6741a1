//! A field day, offline: what a mobile social centre's phone does in a village.
//!
//! `cargo run --release -p komek-core --example field_day [-- --lang kk|ru|en]`
//!
//! Opens an encrypted store (passphrase vault, PBKDF2 600,000 iterations),
//! enrols a supervisor and a field worker with PINs, captures 20 synthetic
//! households (fixed seed: large families, single mothers, pensioners alone, a
//! child with a disability, families just above the poverty line), shows the
//! pre-check of a few as a person reads it, finalizes them all into the sync
//! outbox, finds a family by IIN, re-screens everyone under a hypothetical new
//! rule pack, forgets a household whose consent was withdrawn, verifies the audit
//! trail, and proves no personal value reached the database files. Syncing with
//! the registry is issue 4 and not part of this run yet.

use chrono::NaiveDate;
use komek_core::crypto::SoftwareVault;
use komek_core::l10n::Lang;
use komek_core::rules::render::render_text;
use komek_core::rules::rescreen::DEFAULT_NEAR_MARGIN;
use komek_core::rules::{default_pack, evaluate, Outcome, ProgrammeId, RulePack};
use komek_core::store::{Role, Store, StoreConfig};
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let lang = args
        .iter()
        .position(|a| a == "--lang")
        .and_then(|i| args.get(i + 1))
        .map(|code| Lang::from_code(code).ok_or("--lang must be kk, ru or en"))
        .transpose()?
        .unwrap_or(Lang::En);
    let today = NaiveDate::from_ymd_opt(2026, 2, 10).ok_or("date")?;
    let dir = tempfile::tempdir()?;
    println!("Komek field day, {today} (data in a temporary directory)\n");

    let started = Instant::now();
    let vault = Arc::new(SoftwareVault::open(
        &dir.path().join("vault.json"),
        "district-7 passphrase",
    )?);
    let store = Store::open(&dir.path().join("komek.db"), vault, StoreConfig::default())?;
    let supervisor = store.add_staff(Role::Supervisor, "Гульнара Сериккызы", "240117")?;
    store.unlock(supervisor, "240117")?;
    let worker = store.add_staff(Role::Field, "Ерлан Касымов", "731905")?;
    store.lock();
    println!(
        "1. Store opened and keys unwrapped ({} ms, PBKDF2 600,000 iterations); a supervisor and a field worker enrolled.",
        started.elapsed().as_millis()
    );
    if let Err(e) = store.unlock(worker, "000000") {
        println!("   A wrong PIN is refused: {e}.");
    }
    store.unlock(worker, "731905")?;

    let households = komek_core::synth::households(2026, 20, today);
    let t = Instant::now();
    for h in &households {
        store.save_draft(h)?;
    }
    let members: usize = households.iter().map(|h| h.members.len()).sum();
    println!(
        "2. {} households ({members} people) captured as encrypted drafts in {} ms.",
        households.len(),
        t.elapsed().as_millis()
    );

    // A draft with a mistake: every problem is reported at once, nothing stored.
    let mut broken = households[0].clone();
    broken.id = uuid::Uuid::new_v4();
    broken.members[0].iin = Some("881124300179".into());
    broken.members[1].birth_date = NaiveDate::from_ymd_opt(2027, 1, 1);
    if let Err(komek_core::store::StoreError::Invalid(problems)) = store.save_draft(&broken) {
        println!("   A form with mistakes is refused whole, with every problem:");
        let loc = komek_core::l10n::Localizer::global();
        for p in problems.iter() {
            let text = loc.format(lang, p.key.message_id(), None);
            println!("     - {:?} at {}: {text}", p.severity, p.path);
        }
    }

    println!("\n3. Pre-checks, as the family hears them:\n");
    for h in households
        .iter()
        .take(5)
        .skip(3)
        .chain(households.iter().take(1))
    {
        let report = evaluate(h, default_pack(), today);
        println!("{}", indent(&render_text(&report, lang)));
    }

    let mut outcomes: BTreeMap<String, BTreeMap<&str, usize>> = BTreeMap::new();
    let mut tsa_total = komek_core::model::Tiyn::ZERO;
    for h in &households {
        store.finalize(h.id, today)?;
        for p in evaluate(h, default_pack(), today).programmes {
            let outcome = match p.outcome {
                Outcome::LikelyEligible => "likely eligible",
                Outcome::LikelyNotEligible => "likely not eligible",
                Outcome::NeedsReview => "needs review",
                Outcome::MissingInformation { .. } => "missing information",
            };
            if p.programme == ProgrammeId::TargetedSocialAssistance
                && p.outcome == Outcome::LikelyEligible
            {
                tsa_total += p.amount.map(|a| a.value).unwrap_or_default();
            }
            *outcomes
                .entry(format!("{:?}", p.programme))
                .or_default()
                .entry(outcome)
                .or_default() += 1;
        }
    }
    let counts = store.outbox_counts()?;
    println!(
        "4. All finalized; {} operations wait in the sync outbox.",
        counts.pending
    );
    println!("   Outcomes per programme:");
    for (programme, by) in &outcomes {
        let line: Vec<String> = by.iter().map(|(o, n)| format!("{n} {o}")).collect();
        println!("     {programme}: {}", line.join(", "));
    }
    println!("   Estimated TSA for the eligible families: {tsa_total} tenge a month in total.");

    let iin = households[7]
        .members
        .iter()
        .find_map(|m| m.iin.clone())
        .ok_or("no IIN")?;
    let t = Instant::now();
    let found = store.find_by_iin(&iin)?;
    println!(
        "5. Found by a member's IIN through the blind index in {} µs: {} household(s).",
        t.elapsed().as_micros(),
        found.len()
    );

    // 1 April: a new quarter's poverty line is published (hypothetical figure).
    let new_pack = RulePack::parse_str(&komek_core::rules::pack::DEFAULT_PACK_TOML.replacen(
        "amount = 37060",
        "amount = 40000",
        1,
    ))?;
    let r = store.rescreen(default_pack(), &new_pack, today, DEFAULT_NEAR_MARGIN)?;
    println!(
        "6. Re-screen under a hypothetical pack (Aktobe line 37,060 → 40,000 tenge): {} screened, {} to revisit ({} changed outcome or amount).",
        r.screened,
        r.hits.len(),
        r.hits.iter().filter(|h| !h.changes.is_empty()).count()
    );

    store.lock();
    store.unlock(supervisor, "240117")?;
    let gone = households[19].id;
    store.forget(gone)?;
    println!(
        "7. Consent withdrawn: household forgotten and the data key rotated ({} households left).",
        store.list()?.len()
    );
    println!(
        "8. Audit trail intact: {} entries verified.",
        store.verify_audit()?
    );

    let mut hits = 0;
    for f in ["komek.db", "komek.db-wal", "komek.db-shm"] {
        let bytes = std::fs::read(dir.path().join(f)).unwrap_or_default();
        for h in &households {
            for m in &h.members {
                for needle in m.iin.iter().chain([&m.surname]) {
                    if bytes.windows(needle.len()).any(|w| w == needle.as_bytes()) {
                        hits += 1;
                    }
                }
            }
        }
    }
    println!("9. Personal values found in the database files: {hits}.");
    println!(
        "\nDone in {:.1} s. Sync with the registry: not yet built (issue 4).",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

fn indent(text: &str) -> String {
    text.lines().map(|l| format!("   {l}\n")).collect()
}
