//! Regional overlays through the FFI: installed against the active pack's
//! overlay keys, applied to pre-checks, kept across a restart, refused when
//! the key, the region or the date is wrong, removed on request.

mod common;

use chrono::{NaiveDate, TimeZone, Utc};
use common::vault;
use komek_core::model::{Income, IncomeKind, Member, Quarter, Relation, Sex, Tiyn};
use komek_core::rules::pack::DEFAULT_PACK_TOML;
use komek_core::rules::signing::PackSigner;
use komek_ffi::enums::{Lang, Region};
use komek_ffi::report::{Outcome, ProgrammeId};
use komek_ffi::rule_pack::RulePack;
use komek_ffi::store_types::StoreConfig;
use komek_ffi::{Household, KomekStore};
use uuid::Uuid;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The default pack re-issued naming `region_key` for Astana's overlays.
fn national(region_key: &PackSigner) -> String {
    let text = DEFAULT_PACK_TOML
        .replace("version = \"kz-2026.1\"", "version = \"kz-2026.3\"")
        .replace("issued = 2026-01-01", "issued = 2026-03-01");
    format!(
        "{text}\n[[overlay_keys]]\nregion = \"astana\"\npublic_key = \"{}\"\nmay_set = [\"poverty_line\"]\nsource = \"test: Astana akimat rules key\"\n",
        hex(&region_key.public_key())
    )
}

fn overlay(version: &str, issued: &str, amount: u32) -> String {
    format!(
        "overlay_format = 1\nregion = \"astana\"\nversion = \"{version}\"\nissued = {issued}\nvalid_until = 2026-06-30\n\n[[poverty_line]]\nregion = \"astana\"\nquarter = \"2026-Q2\"\namount = {amount}\nconfidence = \"verified\"\nsource = \"Akimat of Astana, poverty line for Q2 2026\"\n"
    )
}

/// Three people in Astana, 120,000 a month of wages in Q1 2026.
fn family() -> Household {
    let mut h = komek_core::model::Household::new_draft(
        komek_core::model::Region::Astana,
        Utc.with_ymd_and_hms(2026, 4, 1, 0, 0, 0).unwrap(),
    );
    for (i, (rel, born, sex)) in [
        (Relation::Head, d(1990, 1, 1), Sex::Female),
        (Relation::Spouse, d(1989, 1, 1), Sex::Male),
        (Relation::Child, d(2015, 1, 1), Sex::Male),
    ]
    .into_iter()
    .enumerate()
    {
        let mut m = Member::new("X", "Y", rel);
        m.id = Uuid::from_u128(i as u128 + 1);
        m.birth_date = Some(born);
        m.sex = Some(sex);
        h.members.push(m);
    }
    let q: Quarter = "2026-Q1".parse().unwrap();
    for (n, month) in q.months().into_iter().enumerate() {
        h.incomes.push(Income {
            id: Uuid::from_u128(100 + n as u128),
            member_id: h.members[0].id,
            kind: IncomeKind::Wages,
            amount: Tiyn::from_tenge(120_000),
            month,
        });
    }
    h.into()
}

fn tsa(store: &KomekStore) -> (Outcome, Option<Tiyn>) {
    let pc = store.precheck(family(), d(2026, 5, 10), Lang::En).unwrap();
    let r = pc
        .report
        .programmes
        .into_iter()
        .find(|p| p.programme == ProgrammeId::TargetedSocialAssistance)
        .unwrap();
    (r.outcome, r.amount.map(|a| a.value))
}

#[tokio::test]
async fn an_overlay_is_installed_applied_kept_and_removed() {
    let (rules, _) = PackSigner::generate().unwrap();
    let (astana, _) = PackSigner::generate().unwrap();
    let (stranger, _) = PackSigner::generate().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("komek.db").to_string_lossy().into_owned();
    let v = vault();
    let config = || StoreConfig {
        idle_timeout_secs: 300,
        trusted_rule_keys: vec![rules.public_key()],
    };
    let store = KomekStore::open(path.clone(), v.clone(), config())
        .await
        .unwrap();
    let pack_toml = national(&astana);
    let pack = RulePack::verified(
        pack_toml.clone().into_bytes(),
        rules.sign(pack_toml.as_bytes()),
        vec![rules.public_key()],
        d(2026, 5, 1),
    )
    .unwrap();
    store.activate_rule_pack(pack).await.unwrap();

    // Without the region's line for Q2 the national line is a lower bound.
    assert_eq!(tsa(&store).0, Outcome::NeedsReview);

    // Signed by a key the pack does not name: refused, nothing kept.
    let q2 = overlay("astana-2026-Q2", "2026-04-01", 48_000);
    let err = store
        .install_overlay(
            q2.clone().into_bytes(),
            stranger.sign_overlay(q2.as_bytes()),
            d(2026, 5, 1),
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), "rule_pack");
    assert!(store.overlays().await.unwrap().is_empty());

    // The region's own: 360,000 / 3 / 3 = 40,000 PCI against 48,000 →
    // (48,000 − 40,000) × 3 = 24,000 a month, firm.
    let info = store
        .install_overlay(
            q2.clone().into_bytes(),
            astana.sign_overlay(q2.as_bytes()),
            d(2026, 5, 1),
        )
        .await
        .unwrap();
    assert_eq!(info.region, Region::Astana);
    assert_eq!(info.fields, ["poverty_line"]);
    assert_eq!(
        tsa(&store),
        (Outcome::LikelyEligible, Some(Tiyn::from_tenge(24_000)))
    );

    // An older overlay for the same region does not replace it; an expired
    // one is refused.
    let older = overlay("astana-2026-Q2-draft", "2026-03-15", 50_000);
    let err = store
        .install_overlay(
            older.clone().into_bytes(),
            astana.sign_overlay(older.as_bytes()),
            d(2026, 5, 1),
        )
        .await
        .unwrap_err();
    assert!(err.to_string().contains("issued before"), "{err}");
    let err = store
        .install_overlay(
            q2.clone().into_bytes(),
            astana.sign_overlay(q2.as_bytes()),
            d(2026, 7, 1),
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), "rule_pack");
    drop(store);

    // Kept across a restart, verified again, applied.
    let again = KomekStore::open(path, v, config()).await.unwrap();
    let held = again.overlays().await.unwrap();
    assert_eq!(held.len(), 1);
    assert_eq!(held[0].version, "astana-2026-Q2");
    assert_eq!(tsa(&again).0, Outcome::LikelyEligible);

    assert!(again.remove_overlay(Region::Astana).await.unwrap());
    assert!(!again.remove_overlay(Region::Astana).await.unwrap());
    assert_eq!(tsa(&again).0, Outcome::NeedsReview);
}
