//! Shared set-up for the FFI layer's tests: an in-memory vault implementing the
//! FFI `KeyVault` trait (as Kotlin or Swift would) and a household that the
//! default rule pack finds likely eligible for TSA.
#![allow(dead_code)]

use chrono::{NaiveDate, TimeZone, Utc};
use komek_core::crypto::{open_record, seal_record, RecordAad, SecretKey};
use komek_core::model::{Tiyn, YearMonth};
use komek_ffi::enums::{Activity, ConsentMethod, IncomeKind, Region, Relation, Role, Sex, Tenure};
use komek_ffi::household::{Consent, Income};
use komek_ffi::store_types::StoreConfig;
use komek_ffi::{new_household_draft, new_member, Household, KeyVault, KomekError, KomekStore};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use uuid::Uuid;

pub const PIN: &str = "482916";

pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 2, 10).unwrap()
}

/// A vault keeping random keys per alias in memory, recording destroyed aliases.
#[derive(Default)]
pub struct MemoryVault {
    pub keys: Mutex<BTreeMap<String, Vec<u8>>>,
    pub destroyed: Mutex<Vec<String>>,
    /// When set, every call fails with this error (a keystore that is down).
    pub fail_with: Mutex<Option<KomekError>>,
}

impl MemoryVault {
    fn aad(alias: &str) -> RecordAad<'_> {
        RecordAad {
            table: "memory-vault",
            record_id: alias.as_bytes(),
            version: 0,
        }
    }

    fn failure(&self) -> Result<(), KomekError> {
        match self.fail_with.lock().unwrap().clone() {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }
}

impl KeyVault for MemoryVault {
    fn wrap(&self, alias: String, secret: Vec<u8>) -> Result<Vec<u8>, KomekError> {
        self.failure()?;
        let mut keys = self.keys.lock().unwrap();
        let k = keys
            .entry(alias.clone())
            .or_insert_with(|| SecretKey::generate().unwrap().expose().to_vec());
        let k = SecretKey::from_bytes(k).unwrap();
        Ok(seal_record(&k, Self::aad(&alias), &secret).unwrap())
    }

    fn unwrap(&self, alias: String, wrapped: Vec<u8>) -> Result<Vec<u8>, KomekError> {
        self.failure()?;
        let keys = self.keys.lock().unwrap();
        let k = keys.get(&alias).ok_or(KomekError::NotFound {
            reason: "no such vault key".into(),
        })?;
        let k = SecretKey::from_bytes(k).unwrap();
        open_record(&k, Self::aad(&alias), &wrapped)
            .map(|v| v.to_vec())
            .map_err(|_| KomekError::Integrity {
                reason: "wrapped key does not decrypt".into(),
            })
    }

    fn destroy(&self, alias: String) -> Result<(), KomekError> {
        self.failure()?;
        self.keys.lock().unwrap().remove(&alias);
        self.destroyed.lock().unwrap().push(alias);
        Ok(())
    }
}

pub fn vault() -> Arc<MemoryVault> {
    Arc::new(MemoryVault::default())
}

/// A new store in a temporary directory, with a supervisor added and unlocked.
pub async fn unlocked_store() -> (tempfile::TempDir, Arc<KomekStore>) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("komek.db").to_string_lossy().into_owned();
    let store = KomekStore::open(
        path,
        vault(),
        StoreConfig {
            idle_timeout_secs: 300,
            trusted_rule_keys: vec![],
        },
    )
    .await
    .unwrap();
    let id = store
        .add_staff(Role::Supervisor, "Supervisor".into(), PIN.into())
        .await
        .unwrap();
    store.unlock(id, PIN.into()).await.unwrap();
    (dir, store)
}

pub const HEAD_SURNAME: &str = "Сейткали";

/// A mother working for 90,000 tenge a month (Q4 2025) with three children aged
/// 8, 5 and 2, renting in Aktobe: TSA likely eligible on 2026-02-10 with a
/// margin of 14,560 tenge (per-capita income 22,500 against the 37,060 line).
pub fn family() -> Household {
    let mut h = new_household_draft(Region::Aktobe);
    let recorded = Utc.with_ymd_and_hms(2026, 2, 10, 8, 0, 0).unwrap();
    h.consents.push(Consent {
        id: Uuid::new_v4(),
        recorded_at: recorded.into(),
        method: ConsentMethod::SignedPaper,
        operator: "Aktobe department of employment and social programmes".into(),
        purpose: "targeted social assistance".into(),
        valid_until: NaiveDate::from_ymd_opt(2027, 2, 10).unwrap(),
        data_categories: vec!["identity".into(), "income".into()],
        transfer_to_registry: true,
        withdrawn_at: None,
    });
    h.housing.tenure = Some(Tenure::Rent);
    h.housing.monthly_rent = Some(Tiyn::from_tenge(60_000));
    let people = [
        (Relation::Head, 1991, Sex::Female, Some(Activity::Employed)),
        (Relation::Child, 2017, Sex::Male, None),
        (Relation::Child, 2020, Sex::Female, None),
        (Relation::Child, 2023, Sex::Male, None),
    ];
    for (i, (relation, year, sex, activity)) in people.into_iter().enumerate() {
        let birth = NaiveDate::from_ymd_opt(year, 1, 5).unwrap();
        let mut m =
            new_member(h.clone(), HEAD_SURNAME.into(), format!("Name{i}"), relation).unwrap();
        m.birth_date = Some(birth);
        m.sex = Some(sex);
        m.activity = activity;
        m.iin = Some(komek_core::synth::iin_for(
            birth,
            sex.into(),
            100 + i as u32,
        ));
        h.members.push(m);
    }
    let head = h.members[0].id;
    for month in 10..=12 {
        h.incomes.push(Income {
            id: Uuid::new_v4(),
            member_id: head,
            kind: IncomeKind::Wages,
            amount: Tiyn::from_tenge(90_000),
            month: YearMonth::new(2025, month).unwrap(),
        });
    }
    h
}
