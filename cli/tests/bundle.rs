//! `komek bundle export|import|receipt`: forms carried as a signed file,
//! stored exactly once by the same path as a push, whatever is done twice.

mod support;

use predicates::str::contains;
use support::{FieldDevice, Office};

fn pending(d: &FieldDevice) -> (u64, u64) {
    let c = d.open().outbox_counts().unwrap();
    (c.pending, c.acked)
}

fn export(d: &FieldDevice, out: &std::path::Path) -> String {
    let o = d
        .komek()
        .args(["bundle", "export", "--store"])
        .arg(&d.path)
        .arg("--out")
        .arg(out)
        .assert()
        .success();
    String::from_utf8(o.get_output().stdout.clone()).unwrap()
}

fn import(office: &Office, bundle: &std::path::Path, receipt: &std::path::Path) -> String {
    let o = office
        .komek()
        .args(["bundle", "import"])
        .arg(bundle)
        .arg("--out")
        .arg(receipt)
        .assert()
        .success();
    String::from_utf8(o.get_output().stdout.clone()).unwrap()
}

#[test]
fn a_bundle_round_trip_stores_once_and_the_receipt_settles_the_device() {
    let office = Office::start();
    let d = FieldDevice::enrolled(&office, "aul-1", 3, 11);
    let dir = office.dir.path();
    let (bundle, r1, r2) = (dir.join("aul-1.kmb"), dir.join("r1"), dir.join("r2"));

    let out = export(&d, &bundle);
    assert!(
        out.contains("3 operations (device sequence 1 to 3)"),
        "{out}"
    );
    // Exported, sealed, but not done: a lost stick loses nothing.
    assert_eq!(pending(&d), (3, 0));
    // The file holds exactly the outbox's sealed bytes, in sequence order,
    // signed by the device's key.
    {
        use komek_core::crypto::seal::{DeviceKey, SealedOp};
        use komek_core::sync::bundle::Bundle;
        let store = d.open();
        let outbox = store.outbox_pending(usize::MAX).unwrap();
        let identity = store.sync_identity().unwrap().unwrap();
        let key = DeviceKey::from_pkcs8(&identity.device_pkcs8).unwrap();
        let bytes = std::fs::read(&bundle).unwrap();
        let parsed = Bundle::parse(&bytes).unwrap();
        assert!(parsed.verify(&key.public_key()));
        assert_eq!(parsed.header.device_id, identity.device_id);
        let sealed: Vec<&[u8]> = outbox
            .iter()
            .map(|o| o.sealed.as_deref().unwrap())
            .collect();
        assert_eq!(parsed.ops, sealed);
        let seqs: Vec<u64> = parsed
            .ops
            .iter()
            .map(|op| SealedOp::parse(op).unwrap().header.device_seq)
            .collect();
        assert_eq!(seqs, vec![1, 2, 3]);
    }
    // Exporting again carries the same sealed bytes (sealed once).
    let again_path = dir.join("again.kmb");
    export(&d, &again_path);
    {
        use komek_core::sync::bundle::Bundle;
        let (a, b) = (
            std::fs::read(&bundle).unwrap(),
            std::fs::read(&again_path).unwrap(),
        );
        assert_eq!(
            Bundle::parse(&a).unwrap().ops,
            Bundle::parse(&b).unwrap().ops
        );
    }
    assert_eq!(office.counts(), (0, 0));

    let first = import(&office, &bundle, &r1);
    assert!(
        first.contains("3 stored, 0 already held, 0 refused"),
        "{first}"
    );
    assert_eq!(office.counts(), (3, 3));
    let cases = office.cases();

    // The same bundle again: every operation a duplicate, nothing changes.
    let second = import(&office, &bundle, &r2);
    assert!(
        second.contains("0 stored, 3 already held, 0 refused"),
        "{second}"
    );
    assert_eq!(office.counts(), (3, 3));
    let again = office.cases();
    assert_eq!(
        serde_json::to_string(&cases).unwrap(),
        serde_json::to_string(&again).unwrap()
    );
    let imports = office
        .supervisor_actions()
        .into_iter()
        .filter(|a| a == "bundle_import")
        .count();
    assert_eq!(imports, 2, "both imports are audited");

    // The receipt, verified on the device, marks the operations done.
    d.komek()
        .args(["bundle", "receipt"])
        .arg(&r1)
        .arg("--store")
        .arg(&d.path)
        .assert()
        .success()
        .stdout(contains("3 stored, 0 already held, 0 refused"));
    assert_eq!(pending(&d), (0, 3));
    // The second receipt changes nothing.
    d.komek()
        .args(["bundle", "receipt"])
        .arg(&r2)
        .arg("--store")
        .arg(&d.path)
        .assert()
        .success();
    assert_eq!(pending(&d), (0, 3));

    // A later sync sends nothing again; a new form is stored once.
    d.capture(&d.open_unlocked(), 1, 12);
    let report = d.sync(&office);
    assert_eq!((report.stored, report.duplicates), (1, 0));
    assert_eq!(office.counts(), (4, 4));
    // Nothing left to export.
    let out = export(&d, &dir.join("empty.kmb"));
    assert!(out.contains("nothing pending"), "{out}");
    assert!(!dir.join("empty.kmb").exists());
}

#[test]
fn a_device_that_syncs_instead_gets_duplicates_and_the_late_receipt_is_harmless() {
    let office = Office::start();
    let d = FieldDevice::enrolled(&office, "aul-2", 2, 21);
    let dir = office.dir.path();
    let (bundle, receipt) = (dir.join("b"), dir.join("b.receipt"));
    export(&d, &bundle);
    import(&office, &bundle, &receipt);
    assert_eq!(office.counts(), (2, 2));

    // Signal came after all: the same sealed bytes, answered as duplicates.
    let report = d.sync(&office);
    assert_eq!((report.stored, report.duplicates), (0, 2));
    assert!(report.rejected.is_empty(), "{:?}", report.rejected);
    assert_eq!(office.counts(), (2, 2));
    assert_eq!(pending(&d), (0, 2));

    d.komek()
        .args(["bundle", "receipt"])
        .arg(&receipt)
        .arg("--store")
        .arg(&d.path)
        .assert()
        .success();
    assert_eq!(pending(&d), (0, 2));
}

#[test]
fn a_tampered_bundle_is_refused_and_nothing_is_stored() {
    let office = Office::start();
    let d = FieldDevice::enrolled(&office, "aul-3", 2, 31);
    let dir = office.dir.path();
    let bundle = dir.join("b");
    export(&d, &bundle);
    let mut bytes = std::fs::read(&bundle).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x20;
    let tampered = dir.join("tampered");
    std::fs::write(&tampered, &bytes).unwrap();

    office
        .komek()
        .args(["bundle", "import"])
        .arg(&tampered)
        .assert()
        .code(5)
        .stderr(contains("tampered"))
        .stderr(contains("nothing was imported"));
    assert_eq!(office.counts(), (0, 0));
    assert!(!dir.join("tampered.receipt").exists());
    assert!(office
        .supervisor_actions()
        .contains(&"bundle_refused".to_string()));

    // Not a bundle at all: said so, nothing stored.
    let junk = dir.join("junk");
    std::fs::write(&junk, b"hello, registry").unwrap();
    office
        .komek()
        .args(["bundle", "import"])
        .arg(&junk)
        .assert()
        .code(5)
        .stderr(contains("not a Komek bundle file"));
    assert_eq!(office.counts(), (0, 0));
    // The device still holds its operations.
    assert_eq!(pending(&d), (2, 0));
}

#[test]
fn a_bundle_from_a_revoked_device_is_refused() {
    let office = Office::start();
    let d = FieldDevice::enrolled(&office, "aul-4", 1, 41);
    let dir = office.dir.path();
    let bundle = dir.join("b");
    export(&d, &bundle);
    let device_id = office.registry.state.storage.devices().unwrap()[0].id;
    office
        .komek()
        .args(["registry", "revoke", &device_id.to_string()])
        .assert()
        .success();
    office
        .komek()
        .args(["bundle", "import"])
        .arg(&bundle)
        .assert()
        .code(5)
        .stderr(contains("(revoked)"));
    assert_eq!(office.counts(), (0, 0));
}

#[test]
fn receipts_and_stores_refuse_what_is_not_theirs() {
    let office = Office::start();
    let d = FieldDevice::enrolled(&office, "aul-5", 1, 51);
    let dir = office.dir.path();
    let (bundle, receipt) = (dir.join("b"), dir.join("r"));
    export(&d, &bundle);
    import(&office, &bundle, &receipt);

    // A receipt altered on the way back is refused; nothing marked done.
    let mut bytes = std::fs::read(&receipt).unwrap();
    let at = bytes.len() - 70;
    bytes[at] ^= 1;
    let bad = dir.join("bad-receipt");
    std::fs::write(&bad, &bytes).unwrap();
    d.komek()
        .args(["bundle", "receipt"])
        .arg(&bad)
        .arg("--store")
        .arg(&d.path)
        .assert()
        .code(5)
        .stderr(contains("receipt refused"));
    assert_eq!(pending(&d), (1, 0));

    // The wrong passphrase opens nothing; no passphrase is a usage error.
    d.komek()
        .env("KOMEK_PASSPHRASE", "not the passphrase")
        .args(["bundle", "export", "--store"])
        .arg(&d.path)
        .arg("--out")
        .arg(dir.join("x"))
        .assert()
        .code(5)
        .stderr(contains("wrong passphrase"));
    support::komek()
        .args(["bundle", "export", "--store"])
        .arg(&d.path)
        .arg("--out")
        .arg(dir.join("x"))
        .assert()
        .code(2)
        .stderr(contains("KOMEK_PASSPHRASE"));
    // A path with no store is not made into a new one.
    d.komek()
        .args(["bundle", "export", "--store"])
        .arg(dir.join("missing.sqlite"))
        .arg("--out")
        .arg(dir.join("x"))
        .assert()
        .code(1);
    assert!(!dir.join("missing.sqlite").exists());
}

#[test]
fn bundles_for_another_registry_or_from_an_unknown_device_are_refused() {
    let office = Office::start();
    let d = FieldDevice::enrolled(&office, "aul-6", 1, 61);
    let dir = office.dir.path();
    let bundle = dir.join("b");
    export(&d, &bundle);

    // Carried to the wrong district office.
    let other = Office::start();
    other
        .komek()
        .args(["bundle", "import"])
        .arg(&bundle)
        .assert()
        .code(5)
        .stderr(contains("(wrong_registry)"));
    assert_eq!(other.counts(), (0, 0));

    // Well signed, but by a device this registry never enrolled.
    use komek_core::crypto::seal::DeviceKey;
    use komek_core::sync::bundle::{encode_bundle, BundleHeader};
    let stranger = DeviceKey::generate().unwrap();
    let header = BundleHeader {
        registry_id: office.registry.state.keys.registry_id,
        device_id: uuid::Uuid::new_v4(),
        bundle_id: uuid::Uuid::new_v4(),
        created_at: 0,
    };
    let forged = dir.join("forged");
    std::fs::write(&forged, encode_bundle(&header, &[b"not an op"], &stranger)).unwrap();
    office
        .komek()
        .args(["bundle", "import"])
        .arg(&forged)
        .assert()
        .code(5)
        .stderr(contains("(unknown_device)"));
    assert_eq!(office.counts(), (0, 0));
    let refusals = office
        .supervisor_actions()
        .into_iter()
        .filter(|a| a == "bundle_refused")
        .count();
    assert_eq!(refusals, 1);
}
