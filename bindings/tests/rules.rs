//! Self-check, signed rule packs and re-screening through the FFI.

mod common;

use common::{family, today, unlocked_store, vault};
use komek_core::model::Tiyn;
use komek_core::rules::pack::DEFAULT_PACK_TOML;
use komek_core::rules::signing::PackSigner;
use komek_ffi::enums::{Activity, IncomeKind, Lang, Region, Relation, Sex, Tenure};
use komek_ffi::report::{Outcome, ProgrammeId};
use komek_ffi::rule_pack::RulePack;
use komek_ffi::selfcheck::{SelfCheckIncome, SelfCheckMember};
use komek_ffi::store_types::StoreConfig;
use komek_ffi::KomekStore;
use komek_ffi::{self_check, SelfCheckInput};

fn member(relation: Relation, age: u32) -> SelfCheckMember {
    SelfCheckMember {
        relation,
        age: Some(age),
        birth_date: None,
        sex: None,
        status: None,
        disability: None,
        disabled_since_childhood: false,
        long_illness: false,
        activity: None,
        cares_for: vec![],
        needs_care: false,
        receives_special_services: false,
        mother_award: None,
        incomes: vec![],
        absence: None,
    }
}

fn input() -> SelfCheckInput {
    let mut head = member(Relation::Head, 34);
    head.sex = Some(Sex::Female);
    head.activity = Some(Activity::Employed);
    head.incomes.push(SelfCheckIncome {
        kind: IncomeKind::Wages,
        monthly: Tiyn::from_tenge(90_000),
    });
    SelfCheckInput {
        region: Some(Region::Aktobe),
        district: None,
        members: vec![
            head,
            member(Relation::Child, 8),
            member(Relation::Child, 5),
            member(Relation::Child, 2),
        ],
        tenure: Some(Tenure::Rent),
        monthly_rent: Some(Tiyn::from_tenge(60_000)),
        expenses: vec![],
        loans: vec![],
        deposits: None,
        cars: 0,
        livestock_head: 0,
        breadwinner_lost: false,
        previous_tsa_refusal: None,
    }
}

/// Issue 11, finding 10: a phone must not build a vehicle per counted car.
#[test]
fn a_count_beyond_its_bound_is_invalid_input_not_an_abort() {
    let mut hostile = input();
    hostile.cars = u32::MAX;
    let e = self_check(hostile, today(), Lang::En, None).unwrap_err();
    assert_eq!(e.code_str(), "invalid_input", "{e}");
    assert!(e.to_string().starts_with("cars:"), "{e}");
}

#[test]
fn self_check_matches_the_core_and_names_missing_answers() {
    let pc = self_check(input(), today(), Lang::Ru, None).unwrap();
    let tsa = &pc.report.programmes[0];
    assert_eq!(tsa.programme, ProgrammeId::TargetedSocialAssistance);
    assert_eq!(tsa.outcome, Outcome::LikelyEligible);
    assert_eq!(tsa.margin, Some(Tiyn::from_tenge(14_560)));

    let mut partial = input();
    partial.region = None;
    partial.members[1].age = None;
    let pc = self_check(partial, today(), Lang::En, None).unwrap();
    assert_eq!(
        pc.report.programmes[0].outcome,
        Outcome::MissingInformation {
            fields: vec!["region".into(), "members[1].age".into()]
        }
    );
}

/// The default pack re-issued with Aktobe's line raised to 40,000 tenge.
fn raised_pack_toml() -> String {
    DEFAULT_PACK_TOML
        .replacen("amount = 37060", "amount = 40000", 1)
        .replace("version = \"kz-2026.1\"", "version = \"kz-2026.2\"")
        .replace("issued = 2026-01-01", "issued = 2026-02-01")
}

#[tokio::test]
async fn a_signed_pack_is_verified_activated_and_rescreens() {
    let (signer, _) = PackSigner::generate().unwrap();
    let toml = raised_pack_toml();
    let sig = signer.sign(toml.as_bytes());
    let trusted = vec![signer.public_key()];

    let err =
        RulePack::verified(toml.clone().into_bytes(), sig.clone(), vec![], today()).unwrap_err();
    assert_eq!(err.code(), "rule_pack");
    let mut tampered = toml.clone().into_bytes();
    tampered[10] ^= 1;
    assert!(RulePack::verified(tampered, sig.clone(), trusted.clone(), today()).is_err());

    let new = RulePack::verified(toml.into_bytes(), sig, trusted, today()).unwrap();
    assert_eq!(new.info().version, "kz-2026.2");
    let old = RulePack::embedded().unwrap();

    let (_dir, store) = unlocked_store().await;
    store.save_draft(family()).await.unwrap();

    let r = store
        .rescreen(old.clone(), new.clone(), today(), None)
        .await
        .unwrap();
    assert_eq!(r.screened, 1);
    // 22,500 per person is far from either line, but the amount changed:
    // (40,000 − 22,500) × 4 = 70,000 instead of 58,240.
    let hit = &r.hits[0];
    let change = hit
        .changes
        .iter()
        .find(|c| c.programme == ProgrammeId::TargetedSocialAssistance)
        .unwrap();
    assert_eq!(
        change.amount_after.map(|a| a.value),
        Some(Tiyn::from_tenge(70_000 + 12_975))
    );
    assert_eq!(hit.tsa_margin, Some(Tiyn::from_tenge(17_500)));

    store.activate_rule_pack(new).await.unwrap();
    assert_eq!(
        store.active_rule_pack().unwrap().info().version,
        "kz-2026.2"
    );
    let pc = store.precheck(family(), today(), Lang::Kk).unwrap();
    assert_eq!(pc.report.pack_version, "kz-2026.2");
    let err = store.activate_rule_pack(old).await.unwrap_err();
    assert_eq!(err.code(), "rule_pack");
}

/// The pack activated by hand is kept in the store: after a restart the
/// store pre-checks with it again, provided its key is still trusted; a store
/// that trusts no key for it falls back to the embedded pack.
#[tokio::test]
async fn the_active_pack_survives_reopening_the_store() {
    let (signer, _) = PackSigner::generate().unwrap();
    let toml = raised_pack_toml();
    let sig = signer.sign(toml.as_bytes());
    let key = signer.public_key();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("komek.db").to_string_lossy().into_owned();
    let v = vault();
    let config = |keys: Vec<Vec<u8>>| StoreConfig {
        idle_timeout_secs: 300,
        trusted_rule_keys: keys,
    };

    let store = KomekStore::open(path.clone(), v.clone(), config(vec![key.clone()]))
        .await
        .unwrap();
    let pack = RulePack::verified(toml.into_bytes(), sig, vec![key.clone()], today()).unwrap();
    store.activate_rule_pack(pack).await.unwrap();
    drop(store);

    let again = KomekStore::open(path.clone(), v.clone(), config(vec![key]))
        .await
        .unwrap();
    assert_eq!(
        again.active_rule_pack().unwrap().info().version,
        "kz-2026.2"
    );
    let pc = again.precheck(family(), today(), Lang::En).unwrap();
    assert_eq!(pc.report.pack_version, "kz-2026.2");
    drop(again);

    let untrusting = KomekStore::open(path, v, config(vec![])).await.unwrap();
    assert_eq!(
        untrusting.active_rule_pack().unwrap().info().version,
        RulePack::embedded().unwrap().info().version
    );
}
