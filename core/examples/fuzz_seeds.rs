//! Writes the fuzz targets' seed corpora (`fuzz/corpus/<target>/`): a few
//! valid inputs of each format, so the fuzzers start from inside each
//! parser instead of at its first byte. Run from the repository root:
//! `cargo run -p komek-core --example fuzz_seeds`.

use komek_core::crypto::seal::{seal_op, DeviceKey, SealHeader, ENTITY_HOUSEHOLD};
use komek_core::sync::bundle::{encode_bundle, BundleHeader, Receipt};
use komek_core::sync::codec;
use komek_core::sync::frames::{self, EventsPage, PageEvent};
use komek_core::sync::wire::{self, CaseStatus, OpResult, OpStatus};
use std::path::Path;
use uuid::Uuid;

fn put(target: &str, name: &str, bytes: &[u8]) {
    let dir = Path::new("fuzz/corpus").join(target);
    std::fs::create_dir_all(&dir).expect("corpus directory");
    std::fs::write(dir.join(name), bytes).expect("seed file");
}

fn main() {
    let today = chrono::NaiveDate::from_ymd_opt(2026, 2, 10).unwrap_or_default();
    let households = komek_core::synth::households(7, 3, today);
    for (i, h) in households.iter().enumerate() {
        put(
            "compact",
            &format!("synth-{i}"),
            &codec::compact_uncompressed(h),
        );
        put(
            "codec",
            &format!("synth-{i}"),
            &codec::encode(h).expect("encode"),
        );
    }
    let legacy = codec::encode_legacy_json(&households[0]).expect("legacy");
    put("codec", "legacy-json", &legacy);
    put(
        "household_json",
        "synth-form.json",
        serde_json::to_string(&households[0])
            .expect("json")
            .as_bytes(),
    );
    for name in [
        "intake-form.json",
        "large-family.json",
        "single-parent.json",
    ] {
        let text = std::fs::read(Path::new("examples").join(name)).expect("example");
        put("household_json", name, &text);
    }

    let device = DeviceKey::generate().expect("device key");
    let registry = x25519_dalek::PublicKey::from(&x25519_dalek::StaticSecret::from([9u8; 32]));
    let mut sealed = Vec::new();
    for (i, h) in households.iter().take(2).enumerate() {
        let header = SealHeader {
            entity: ENTITY_HOUSEHOLD,
            device_id: Uuid::from_u128(1),
            op_id: Uuid::from_u128(100 + i as u128),
            entity_id: h.id,
            device_seq: i as u64 + 1,
            version: h.version,
            base_version: None,
        };
        let plain = codec::encode(h).expect("encode");
        let op = seal_op(&header, &plain, registry.as_bytes(), &device).expect("seal");
        put("sealed_op", &format!("op-{i}"), &op);
        sealed.push(op);
    }
    let ops: Vec<&[u8]> = sealed.iter().map(Vec::as_slice).collect();
    put("push_frame", "two-ops", &wire::encode_push(&ops));
    put("push_frame", "empty", &wire::encode_push(&[]));

    let header = BundleHeader {
        registry_id: Uuid::from_u128(5),
        device_id: Uuid::from_u128(1),
        bundle_id: Uuid::from_u128(6),
        created_at: 1_770_000_000,
    };
    put("bundle", "bundle", &encode_bundle(&header, &ops, &device));
    let results = vec![
        OpResult {
            device_seq: 1,
            status: OpStatus::Stored,
            code: None,
            flagged: false,
        },
        OpResult {
            device_seq: 2,
            status: OpStatus::Rejected,
            code: Some("invalid_form".into()),
            flagged: true,
        },
    ];
    let receipt = Receipt {
        header,
        bundle_hash: [3u8; 32],
        imported_at: 1_770_000_100,
        results: results.clone(),
    }
    .encode(|m| Ok::<_, ()>(device.sign(m).to_vec()))
    .expect("receipt");
    put("bundle", "receipt", &receipt);

    put(
        "pull_frames",
        "results",
        &frames::encode_results(&results).expect("results"),
    );
    let page = EventsPage {
        events: vec![
            PageEvent::Decision {
                seq: 1,
                case_id: Uuid::from_u128(8),
                version: 1,
                status: CaseStatus::Returned,
                flagged: true,
            },
            PageEvent::Comment {
                seq: 2,
                case_id: Uuid::from_u128(8),
                version: 1,
                sealed: vec![1, 2, 3, 4],
            },
            PageEvent::RulePack {
                seq: 5,
                version: "kz-2026.2".into(),
            },
        ],
        cursor: 5,
        more: false,
        tls_pins: vec![],
    };
    put(
        "pull_frames",
        "events",
        &frames::encode_events(&page).expect("events"),
    );

    put(
        "rule_pack",
        "kz-default.toml",
        komek_core::rules::pack::DEFAULT_PACK_TOML.as_bytes(),
    );

    let answers: [&[u8]; 4] = [
        b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n{}",
        b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n5;x=1\r\nhello\r\n0\r\nx-trailer: 1\r\n\r\n",
        b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n",
        b"HTTP/1.0 503 Service Unavailable\r\nconnection: close\r\n\r\nbusy",
    ];
    for (i, a) in answers.iter().enumerate() {
        put("http_response", &format!("answer-{i}"), a);
    }
}
