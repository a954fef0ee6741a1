//! The visit list of one settlement, on a device holding 10,000 households
//! (fixed seed, 16 villages: about 625 per village), each with a signed
//! integration plan and a recorded visit, one in ten with an exit.
//!
//! `cargo bench -p komek-core --bench followup` (target: under 100 ms for one
//! settlement; figures in docs/case-follow-up.md).
//!
//! - `store`: the whole call on the encrypted store: the settlement's blind
//!   index, each household's form and records opened and parsed, the list
//!   computed and ordered.
//! - `pure`: the list alone over all 10,000 case files already in memory.
//!
//! The database lives in /dev/shm when there is one, so setting up 50,000
//! full-sync writes takes seconds, not minutes; the measured call only reads.

use chrono::{Days, NaiveDate, TimeZone, Utc};
use criterion::{criterion_group, criterion_main, Criterion};
use komek_core::crypto::{open_record, seal_record, KeyVault, RecordAad, SecretKey, VaultError};
use komek_core::followup::visit_list::visit_list;
use komek_core::followup::{
    CaseFile, Check, ExitReason, ExitRecord, IntegrationPlan, Measure, MeasureKind, MeasureStatus,
    Parties, RecordHead, Responsible, Signature, SignatureMethod, Visit, VisitListSettings,
};
use komek_core::model::{FormStatus, Household};
use komek_core::store::{Clock, Role, Store, StoreConfig};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use zeroize::Zeroizing;

const N: usize = 10_000;

/// An in-memory vault: the platform keystore's cost is not what is measured.
struct MemVault(Mutex<HashMap<String, SecretKey>>);

impl KeyVault for MemVault {
    fn wrap(&self, alias: &str, secret: &[u8]) -> Result<Vec<u8>, VaultError> {
        let mut m = self.0.lock().map_err(|_| VaultError::Corrupt)?;
        let k = m.entry(alias.into()).or_insert_with(|| {
            SecretKey::generate().unwrap_or(SecretKey::from_bytes(&[7; 32]).unwrap())
        });
        seal_record(k, aad(alias), secret).map_err(|_| VaultError::Corrupt)
    }
    fn unwrap(&self, alias: &str, wrapped: &[u8]) -> Result<Zeroizing<Vec<u8>>, VaultError> {
        let m = self.0.lock().map_err(|_| VaultError::Corrupt)?;
        let k = m.get(alias).ok_or(VaultError::KeyNotFound(alias.into()))?;
        open_record(k, aad(alias), wrapped).map_err(|_| VaultError::Corrupt)
    }
    fn destroy(&self, alias: &str) -> Result<(), VaultError> {
        self.0
            .lock()
            .map_err(|_| VaultError::Corrupt)?
            .remove(alias);
        Ok(())
    }
}

fn aad(alias: &str) -> RecordAad<'_> {
    RecordAad {
        table: "bench",
        record_id: alias.as_bytes(),
        version: 0,
    }
}

/// A fixed clock: the records are dated around it.
struct At(chrono::DateTime<Utc>);

impl Clock for At {
    fn now(&self) -> chrono::DateTime<Utc> {
        self.0
    }
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// The records of household number `i`: a signed plan with two measures
/// falling due over four months, a visit, and an exit for one in ten.
fn records(
    i: usize,
    h: &Household,
    now: chrono::DateTime<Utc>,
) -> (IntegrationPlan, Visit, Option<ExitRecord>) {
    let m = h.members[0].id;
    let due = d(2026, 1, 15) + Days::new((i % 120) as u64);
    let mut head = RecordHead::new(h.id, now);
    head.status = FormStatus::Draft;
    let plan = IntegrationPlan {
        head,
        parties: Parties {
            recipient: m,
            authority: "Career centre".into(),
            drawn_up_by: None,
        },
        covered_members: vec![m],
        starts_on: d(2026, 1, 10),
        ends_on: Some(d(2026, 7, 10)),
        measures: [MeasureKind::JobSearch, MeasureKind::Training]
            .into_iter()
            .enumerate()
            .map(|(k, kind)| Measure {
                id: uuid::Uuid::new_v4(),
                kind,
                member: Some(m),
                responsible: Responsible::CareerCentre,
                due: due + Days::new(30 * k as u64),
                status: if i.is_multiple_of(3) {
                    MeasureStatus::Done
                } else {
                    MeasureStatus::InProgress
                },
                note: Some("registered at the career centre; interview booked".into()),
            })
            .collect(),
        obligations: Vec::new(),
        review_dates: vec![d(2026, 4, 10), d(2026, 7, 10)],
        signature: Some(Signature {
            method: SignatureMethod::Paper,
            signed_on: d(2026, 1, 10),
            witness: None,
        }),
        note: None,
    };
    let mut visit = Visit::new(RecordHead::new(h.id, now), d(2026, 2, 1));
    visit.seen = vec![m];
    visit.checked = vec![Check::PlanMeasures, Check::Documents];
    visit.new_circumstances = Some("the family started keeping poultry".into());
    visit.next_visit = Some(d(2026, 3, 1) + Days::new((i % 90) as u64));
    let exit = i.is_multiple_of(10).then(|| ExitRecord {
        head: RecordHead::new(h.id, now),
        on: d(2026, 2, 5),
        reason: ExitReason::Employment,
        note: None,
    });
    (plan, visit, exit)
}

fn bench(c: &mut Criterion) {
    let today = d(2026, 2, 10);
    let now = Utc.with_ymd_and_hms(2026, 2, 10, 9, 0, 0).unwrap();
    let hs = komek_core::synth::households(42, N, today);
    let shm = std::path::Path::new("/dev/shm");
    let dir = if shm.is_dir() {
        tempfile::tempdir_in(shm).unwrap()
    } else {
        tempfile::tempdir().unwrap()
    };
    let store = Store::open(
        &dir.path().join("komek.db"),
        Arc::new(MemVault(Mutex::new(HashMap::new()))),
        StoreConfig {
            idle_timeout: Duration::from_secs(86_400),
            clock: Arc::new(At(now)),
        },
    )
    .unwrap();
    let staff = store.add_staff(Role::Supervisor, "Bench", "1234").unwrap();
    store.unlock(staff, "1234").unwrap();
    let mut cases = Vec::with_capacity(N);
    for (i, h) in hs.iter().enumerate() {
        store.save_draft(h).unwrap();
        let (plan, visit, exit) = records(i, h, now);
        store.save_record(&plan).unwrap();
        let plan: IntegrationPlan = store.finalize_record(plan.head.id).unwrap();
        store.save_record(&visit).unwrap();
        let visit: Visit = store.finalize_record(visit.head.id).unwrap();
        let exit = exit.map(|x| {
            store.save_record(&x).unwrap();
            store.finalize_record::<ExitRecord>(x.head.id).unwrap()
        });
        cases.push(CaseFile {
            household_id: h.id,
            plans: vec![plan],
            visits: vec![visit],
            exits: exit.into_iter().collect(),
            ..CaseFile::default()
        });
    }
    let village = hs[0].location.settlement.clone().unwrap_or_default();
    let in_village = hs
        .iter()
        .filter(|h| h.location.settlement.as_deref() == Some(village.as_str()))
        .count();
    let date = d(2026, 5, 1);
    let settings = VisitListSettings::default();
    let listed = store.visit_list(&village, date, &settings, None).unwrap();
    eprintln!(
        "one settlement: {in_village} households, {} to visit; all: {} to visit",
        listed.len(),
        visit_list(&cases, date, &settings).len()
    );
    assert!(!listed.is_empty());

    let mut g = c.benchmark_group("visit_list_10k");
    g.sample_size(10)
        .measurement_time(Duration::from_secs(5))
        .warm_up_time(Duration::from_secs(1));
    g.bench_function("store_one_settlement", |b| {
        b.iter(|| store.visit_list(&village, date, &settings, None).unwrap())
    });
    g.bench_function("pure_all_10k_case_files", |b| {
        b.iter(|| visit_list(&cases, date, &settings))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
