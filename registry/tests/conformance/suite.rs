//! The conformance tests: each takes a fresh, empty storage and checks one
//! part of the [`Storage`] contract, whichever backend runs it.

use komek_core::sync::codes;
use komek_core::sync::wire::CaseStatus;
use komek_registry::scope::{CaseCursor, CaseQuery, Scope};
use komek_registry::storage::{
    Decision, DeviceRecord, IncomingOp, OpOutcome, StorageError, StoredEvent,
};
use komek_registry::Storage;
use std::sync::Arc;
use uuid::Uuid;

type S = Arc<dyn Storage>;

const FOREVER: i64 = i64::MAX;

fn code(n: u8) -> [u8; 32] {
    [n; 32]
}

fn device_record(n: u8) -> DeviceRecord {
    DeviceRecord {
        id: Uuid::from_bytes([n; 16]),
        public_key: vec![n; 32],
        inbox_key: vec![n ^ 0xff; 32],
        label: format!("tablet {n}"),
        centre: "ignored: the code's centre counts".into(),
        revoked: false,
        last_seq: 0,
    }
}

/// Enrol device `n` into `centre` through a fresh code.
fn enrolled(s: &S, n: u8, centre: &str) -> Uuid {
    s.add_enrolment_code(&code(n), centre, "sup", 0, FOREVER)
        .unwrap();
    let d = device_record(n);
    s.enrol(&code(n), &d, 1).unwrap();
    d.id
}

/// A UUID derived from another and a tag (SHA-256, first 16 bytes).
fn derived(base: Uuid, tag: &[u8]) -> Uuid {
    let mut input = base.as_bytes().to_vec();
    input.extend_from_slice(tag);
    let digest = ring::digest::digest(&ring::digest::SHA256, &input);
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest.as_ref()[..16]);
    Uuid::from_bytes(bytes)
}

fn op(seq: u64, case: Uuid, version: u32, base: Option<u32>, content: &[u8]) -> IncomingOp {
    let mut hash = [0u8; 32];
    hash.copy_from_slice(ring::digest::digest(&ring::digest::SHA256, content).as_ref());
    IncomingOp {
        device_seq: seq,
        // Derived from (case, version) as devices do: one op per version.
        op_id: derived(case, &version.to_be_bytes()),
        case_id: case,
        version,
        base_version: base,
        blob: content.to_vec(),
        blob_hash: hash,
    }
}

fn case_id(n: u8) -> Uuid {
    Uuid::from_bytes([0xc0 ^ n; 16])
}

fn decision(case: Uuid, version: u32, to: CaseStatus) -> Decision {
    Decision {
        case_id: case,
        version,
        to,
        sealed_comment: None,
        supervisor: "sup".into(),
    }
}

fn kinds(events: &[StoredEvent]) -> Vec<&'static str> {
    events
        .iter()
        .map(|e| match e {
            StoredEvent::Decision { .. } => "decision",
            StoredEvent::Comment { .. } => "comment",
            StoredEvent::RulePack { .. } => "rule_pack",
            StoredEvent::Unknown { .. } => "unknown",
        })
        .collect()
}

fn all_events(s: &S, device: Uuid) -> Vec<StoredEvent> {
    s.events(device, 0, 1000).unwrap().0
}

pub fn registry_identity(s: &S) {
    s.ping().unwrap();
    let (a, b) = (Uuid::from_bytes([1; 16]), Uuid::from_bytes([2; 16]));
    s.claim_registry(a).unwrap();
    s.claim_registry(a).unwrap();
    assert!(matches!(
        s.claim_registry(b),
        Err(StorageError::Conflict(_))
    ));
}

pub fn enrolment(s: &S) {
    s.add_enrolment_code(&code(1), "North", "sup", 10, 100)
        .unwrap();
    // Unknown code, then an expired one: refused, nothing enrolled.
    assert!(matches!(
        s.enrol(&code(9), &device_record(1), 20),
        Err(StorageError::BadCode)
    ));
    assert!(matches!(
        s.enrol(&code(1), &device_record(1), 100),
        Err(StorageError::BadCode)
    ));
    s.enrol(&code(1), &device_record(1), 20).unwrap();
    // Used once: a second device cannot use it.
    assert!(matches!(
        s.enrol(&code(1), &device_record(2), 21),
        Err(StorageError::BadCode)
    ));
    let devices = s.devices().unwrap();
    assert_eq!(devices.len(), 1);
    let d = &devices[0];
    assert_eq!(d.id, device_record(1).id);
    assert_eq!(d.centre, "North");
    assert_eq!(d.public_key, vec![1; 32]);
    assert_eq!(d.inbox_key, vec![0xfe; 32]);
    assert_eq!((d.revoked, d.last_seq), (false, 0));
    assert_eq!(s.device(d.id).unwrap().unwrap().label, "tablet 1");
    assert!(s.device(Uuid::nil()).unwrap().is_none());
    let audit: Vec<_> = s
        .audit_log()
        .unwrap()
        .into_iter()
        .map(|r| (r.actor, r.action))
        .collect();
    assert_eq!(
        audit,
        [
            ("sup".to_string(), "enrolment_code".to_string()),
            ("device".to_string(), "enrol".to_string())
        ]
    );
}

pub fn request_sequence_numbers(s: &S) {
    let d = enrolled(s, 1, "");
    s.bump_request_seq(d, 1).unwrap();
    assert!(matches!(
        s.bump_request_seq(d, 1),
        Err(StorageError::Replayed)
    ));
    s.bump_request_seq(d, 7).unwrap();
    assert!(matches!(
        s.bump_request_seq(d, 3),
        Err(StorageError::Replayed)
    ));
    assert_eq!(s.device(d).unwrap().unwrap().last_seq, 7);
    // An unknown device has no sequence to advance.
    assert!(s.bump_request_seq(Uuid::nil(), 1).is_err());
}

pub fn exactly_once_push(s: &S) {
    let d = enrolled(s, 1, "");
    let first = [
        op(1, case_id(1), 1, None, b"one"),
        op(2, case_id(2), 1, None, b"two"),
    ];
    assert_eq!(
        s.apply_batch(d, &first, 5).unwrap(),
        [
            OpOutcome::Stored { flagged: false },
            OpOutcome::Stored { flagged: false }
        ]
    );
    // The same batch again (a lost answer): duplicates, nothing stored.
    assert_eq!(
        s.apply_batch(d, &first, 6).unwrap(),
        [
            OpOutcome::Duplicate { flagged: false },
            OpOutcome::Duplicate { flagged: false }
        ]
    );
    // A different operation under a used sequence number: refused. The
    // same operation under a new number (a restored device renumbered it,
    // ADR 0010): the stored answer.
    let other_blob = op(1, case_id(3), 1, None, b"three");
    let renumbered = op(3, case_id(1), 1, None, b"one");
    assert_eq!(
        s.apply_batch(d, &[other_blob, renumbered], 7).unwrap(),
        [
            OpOutcome::Rejected(codes::SEQ_CONFLICT),
            OpOutcome::Duplicate { flagged: false }
        ]
    );
    assert_eq!(s.last_op_seq(d).unwrap(), 2);
    assert_eq!(s.counts().unwrap(), (2, 2));
    let (row, sealed) = s.case(case_id(2)).unwrap().unwrap();
    assert_eq!(sealed, b"two");
    assert_eq!(
        (row.status, row.version, row.device_id, row.flagged),
        (CaseStatus::Received, 1, d, false)
    );
    assert_eq!(row.updated_at, 5);
    // Two stored operations, two decision events ("received"), once each.
    assert_eq!(kinds(&all_events(s, d)), ["decision", "decision"]);
    // Another device's sequence numbers are its own.
    let e = enrolled(s, 2, "");
    assert_eq!(
        s.apply_batch(e, &[op(1, case_id(4), 1, None, b"four")], 8)
            .unwrap(),
        [OpOutcome::Stored { flagged: false }]
    );
    assert_eq!(s.counts().unwrap(), (3, 3));
    // Another device's operation id: refused.
    let stolen = op(2, case_id(1), 1, None, b"one");
    assert_eq!(
        s.apply_batch(e, &[stolen], 9).unwrap(),
        [OpOutcome::Rejected(codes::SEQ_CONFLICT)]
    );
    assert_eq!(
        (s.last_op_seq(e).unwrap(), s.last_op_seq(d).unwrap()),
        (1, 2)
    );
}

pub fn push_spends_its_sequence_number_with_its_forms(s: &S) {
    let d = enrolled(s, 1, "");
    let first = [op(1, case_id(1), 1, None, b"one")];
    assert_eq!(
        s.apply_push(d, 1, &first, 2).unwrap(),
        [OpOutcome::Stored { flagged: false }]
    );
    // The same request replayed: refused whole, nothing stored.
    assert!(matches!(
        s.apply_push(d, 1, &[op(2, case_id(2), 1, None, b"two")], 3),
        Err(StorageError::Replayed)
    ));
    assert_eq!(s.counts().unwrap(), (1, 1));
    assert_eq!(s.device(d).unwrap().unwrap().last_seq, 1);
    // A retry under a new request number: the stored answer again.
    assert_eq!(
        s.apply_push(d, 5, &first, 4).unwrap(),
        [OpOutcome::Duplicate { flagged: false }]
    );
    assert_eq!(s.device(d).unwrap().unwrap().last_seq, 5);
    // Bundles and pushes share one ledger and one numbering of requests.
    assert!(matches!(
        s.bump_request_seq(d, 5),
        Err(StorageError::Replayed)
    ));
    assert!(s.apply_push(Uuid::nil(), 1, &first, 5).is_err());
}

pub fn corrections_and_flags(s: &S) {
    let d = enrolled(s, 1, "");
    let c = case_id(1);
    s.apply_batch(d, &[op(1, c, 1, None, b"v1")], 1).unwrap();
    // The normal correction of the latest version: not flagged.
    assert_eq!(
        s.apply_batch(d, &[op(2, c, 2, Some(1), b"v2")], 2).unwrap(),
        [OpOutcome::Stored { flagged: false }]
    );
    // A correction of an older version: kept and flagged.
    assert_eq!(
        s.apply_batch(d, &[op(3, c, 3, Some(1), b"v3")], 3).unwrap(),
        [OpOutcome::Stored { flagged: true }]
    );
    let (row, sealed) = s.case(c).unwrap().unwrap();
    assert_eq!((row.version, row.flagged), (3, true));
    assert_eq!(sealed, b"v3");
    // The flag is part of the stored answer a retry gets back.
    assert_eq!(
        s.apply_batch(d, &[op(3, c, 3, Some(1), b"v3")], 4).unwrap(),
        [OpOutcome::Duplicate { flagged: true }]
    );
    // A correction of a case never seen: kept, flagged.
    assert_eq!(
        s.apply_batch(d, &[op(4, case_id(2), 2, Some(1), b"x")], 5)
            .unwrap(),
        [OpOutcome::Stored { flagged: true }]
    );
    // A decision clears the flag; a correction of a decided case is
    // flagged and leaves the final status.
    s.decide(&decision(c, 3, CaseStatus::Approved), 6).unwrap();
    assert!(!s.case(c).unwrap().unwrap().0.flagged);
    assert_eq!(
        s.apply_batch(d, &[op(5, c, 4, Some(3), b"v4")], 7).unwrap(),
        [OpOutcome::Stored { flagged: true }]
    );
    let row = s.case(c).unwrap().unwrap().0;
    assert_eq!(
        (row.status, row.version, row.flagged),
        (CaseStatus::Approved, 4, true)
    );
    // A returned case corrected normally goes back to received.
    let r = case_id(3);
    s.apply_batch(d, &[op(6, r, 1, None, b"r1")], 8).unwrap();
    s.decide(&decision(r, 1, CaseStatus::Returned), 9).unwrap();
    assert_eq!(
        s.apply_batch(d, &[op(7, r, 2, Some(1), b"r2")], 10)
            .unwrap(),
        [OpOutcome::Stored { flagged: false }]
    );
    assert_eq!(s.case(r).unwrap().unwrap().0.status, CaseStatus::Received);
    assert_eq!(s.counts().unwrap(), (7, 3));
}

pub fn pull_pages_and_cursors(s: &S) {
    let d = enrolled(s, 1, "");
    let ops: Vec<_> = (1..=5u8)
        .map(|i| op(u64::from(i), case_id(i), 1, None, &[i]))
        .collect();
    s.apply_batch(d, &ops, 1).unwrap();
    let (page, cursor, more) = s.events(d, 0, 2).unwrap();
    assert_eq!(page.len(), 2);
    assert!(more);
    assert_eq!(cursor, page[1].seq());
    let (page2, cursor2, more2) = s.events(d, cursor, 2).unwrap();
    assert_eq!(page2.len(), 2);
    assert!(more2);
    assert!(page2[0].seq() > cursor);
    let (page3, cursor3, more3) = s.events(d, cursor2, 2).unwrap();
    assert_eq!(page3.len(), 1);
    assert!(!more3);
    // Past the end: nothing, the cursor stays.
    let (empty, same, more4) = s.events(d, cursor3, 2).unwrap();
    assert!(empty.is_empty());
    assert_eq!((same, more4), (cursor3, false));
    // The pages are the whole log, in order, each event once.
    let paged: Vec<i64> = page
        .iter()
        .chain(&page2)
        .chain(&page3)
        .map(StoredEvent::seq)
        .collect();
    let whole: Vec<i64> = all_events(s, d).iter().map(StoredEvent::seq).collect();
    assert_eq!(paged, whole);
    assert!(whole.windows(2).all(|w| w[0] < w[1]));
    // Each decision event names its case, version and status.
    let cases: Vec<Uuid> = all_events(s, d)
        .iter()
        .map(|e| match e {
            StoredEvent::Decision {
                case_id,
                version: 1,
                status: CaseStatus::Received,
                flagged: false,
                ..
            } => *case_id,
            other => panic!("unexpected event {other:?}"),
        })
        .collect();
    assert_eq!(cases, (1..=5u8).map(case_id).collect::<Vec<_>>());
}

pub fn case_transitions(s: &S) {
    let d = enrolled(s, 1, "");
    let c = case_id(1);
    assert!(matches!(
        s.decide(&decision(c, 1, CaseStatus::Approved), 1),
        Err(StorageError::NotFound)
    ));
    s.apply_batch(d, &[op(1, c, 1, None, b"v1")], 1).unwrap();
    // Deciding on a version that is not the latest is refused.
    assert!(matches!(
        s.decide(&decision(c, 2, CaseStatus::UnderReview), 2),
        Err(StorageError::Conflict(_))
    ));
    let row = s
        .decide(&decision(c, 1, CaseStatus::UnderReview), 3)
        .unwrap();
    assert_eq!((row.status, row.updated_at), (CaseStatus::UnderReview, 3));
    // under review cannot go back to under review; approved is final.
    assert!(matches!(
        s.decide(&decision(c, 1, CaseStatus::UnderReview), 4),
        Err(StorageError::Conflict(_))
    ));
    s.decide(&decision(c, 1, CaseStatus::Approved), 5).unwrap();
    for to in [
        CaseStatus::Returned,
        CaseStatus::Rejected,
        CaseStatus::UnderReview,
    ] {
        assert!(matches!(
            s.decide(&decision(c, 1, to), 6),
            Err(StorageError::Conflict(_))
        ));
    }
    // Returned may still be rejected.
    let r = case_id(2);
    s.apply_batch(d, &[op(2, r, 1, None, b"r")], 7).unwrap();
    let mut returned = decision(r, 1, CaseStatus::Returned);
    returned.sealed_comment = Some(vec![7; 40]);
    s.decide(&returned, 8).unwrap();
    s.decide(&decision(r, 1, CaseStatus::Rejected), 9).unwrap();
    let listed = |st| {
        s.cases(Some(st))
            .unwrap()
            .into_iter()
            .map(|c| c.case_id)
            .collect::<Vec<_>>()
    };
    assert_eq!(listed(CaseStatus::Approved), [c]);
    assert_eq!(listed(CaseStatus::Rejected), [r]);
    assert!(listed(CaseStatus::Received).is_empty());
    assert_eq!(s.cases(None).unwrap().len(), 2);
    // The device sees each move, and the comment addressed to it.
    let events = all_events(s, d);
    assert_eq!(
        kinds(&events),
        ["decision", "decision", "decision", "decision", "decision", "comment", "decision"]
    );
    match &events[5] {
        StoredEvent::Comment {
            case_id,
            version,
            sealed,
            ..
        } => assert_eq!(
            (*case_id, *version, sealed.as_slice()),
            (r, 1, &[7u8; 40][..])
        ),
        other => panic!("expected a comment, got {other:?}"),
    }
    // Each decision is audited under the supervisor's name.
    let decided: Vec<String> = s
        .audit_log()
        .unwrap()
        .into_iter()
        .filter(|a| a.actor == "sup" && a.subject.is_some())
        .map(|a| a.action)
        .collect();
    assert_eq!(
        decided,
        [
            CaseStatus::UnderReview,
            CaseStatus::Approved,
            CaseStatus::Returned,
            CaseStatus::Rejected
        ]
        .map(|st| st.as_str().to_string())
    );
}

pub fn sessions_and_supervisors(s: &S) {
    assert!(s.supervisor_hash("aigerim").unwrap().is_none());
    s.add_supervisor("aigerim", "hash-1", 1).unwrap();
    assert_eq!(
        s.supervisor_hash("aigerim").unwrap().as_deref(),
        Some("hash-1")
    );
    // Adding again sets a new password.
    s.add_supervisor("aigerim", "hash-2", 2).unwrap();
    assert_eq!(
        s.supervisor_hash("aigerim").unwrap().as_deref(),
        Some("hash-2")
    );
    s.add_session(&[1; 32], "aigerim", 100).unwrap();
    assert_eq!(s.session(&[1; 32], 99).unwrap().as_deref(), Some("aigerim"));
    assert!(s.session(&[1; 32], 100).unwrap().is_none());
    assert!(s.session(&[2; 32], 0).unwrap().is_none());
    // A token hash is unique.
    assert!(s.add_session(&[1; 32], "other", 200).is_err());
    assert_eq!(s.session(&[1; 32], 50).unwrap().as_deref(), Some("aigerim"));
}

pub fn audit_log(s: &S) {
    s.audit("sup", "view_case", Some("case 1"), 10).unwrap();
    s.audit("sup", "list_cases", None, 11).unwrap();
    s.audit("other", "login_failed", None, 12).unwrap();
    let log = s.audit_log().unwrap();
    let rows: Vec<_> = log
        .iter()
        .map(|r| {
            (
                r.at,
                r.actor.as_str(),
                r.action.as_str(),
                r.subject.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            (10, "sup", "view_case", Some("case 1")),
            (11, "sup", "list_cases", None),
            (12, "other", "login_failed", None)
        ]
    );
    assert!(log.windows(2).all(|w| w[0].seq < w[1].seq));
}

pub fn rule_packs(s: &S) {
    let a = enrolled(s, 1, "North");
    let b = enrolled(s, 2, "South");
    assert!(s.pack("kz-2026.2").unwrap().is_none());
    s.publish_pack("kz-2026.2", b"toml", b"sig", "sup", 5)
        .unwrap();
    assert_eq!(
        s.pack("kz-2026.2").unwrap(),
        Some((b"toml".to_vec(), b"sig".to_vec()))
    );
    assert!(matches!(
        s.publish_pack("kz-2026.2", b"other", b"sig", "sup", 6),
        Err(StorageError::Conflict(_))
    ));
    assert_eq!(s.pack("kz-2026.2").unwrap().unwrap().0, b"toml");
    // Every device, whatever its centre, hears of it once.
    for d in [a, b] {
        match all_events(s, d).as_slice() {
            [StoredEvent::RulePack { version, .. }] => assert_eq!(version, "kz-2026.2"),
            other => panic!("expected one rule pack event, got {other:?}"),
        }
    }
    assert!(s
        .audit_log()
        .unwrap()
        .iter()
        .any(|r| r.action == "publish_rules" && r.subject.as_deref() == Some("kz-2026.2")));
}

pub fn centres(s: &S) {
    let a = enrolled(s, 1, "South");
    let b = enrolled(s, 2, "South");
    let n = enrolled(s, 3, "North");
    let c = case_id(1);
    s.apply_batch(a, &[op(1, c, 1, None, b"x")], 1).unwrap();
    let mut returned = decision(c, 1, CaseStatus::Returned);
    returned.sealed_comment = Some(vec![4; 40]);
    s.decide(&returned, 2).unwrap();
    assert_eq!(
        kinds(&all_events(s, a)),
        ["decision", "decision", "comment"]
    );
    // Same centre: the decisions, not the comment (sealed for the sender).
    assert_eq!(kinds(&all_events(s, b)), ["decision", "decision"]);
    assert!(all_events(s, n).is_empty());
    let centres: Vec<String> = s.devices().unwrap().into_iter().map(|d| d.centre).collect();
    assert_eq!(centres, ["South", "South", "North"]);
}

pub fn revocation(s: &S) {
    let d = enrolled(s, 1, "");
    assert!(matches!(
        s.revoke(Uuid::nil(), "sup", 1),
        Err(StorageError::NotFound)
    ));
    s.revoke(d, "sup", 2).unwrap();
    assert!(s.device(d).unwrap().unwrap().revoked);
    assert!(s.audit_log().unwrap().iter().any(|r| r.action == "revoke"
        && r.actor == "sup"
        && r.subject.as_deref() == Some(d.to_string().as_str())));
}

/// Several writers at once (threads here; nodes in production): the same
/// batches pushed concurrently by retries store each form once, every
/// operation gets a consistent answer, and a device paging through events
/// while they are written never skips one (its cursor never passes an event
/// that commits later).
pub fn concurrent_pushes_store_each_form_once(s: &S) {
    const DEVICES: u8 = 3;
    const FORMS: u8 = 30;
    let devices: Vec<Uuid> = (1..=DEVICES).map(|n| enrolled(s, n, "")).collect();
    let reader = enrolled(s, 99, "");
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let pulled = {
        let (s, stop) = (s.clone(), stop.clone());
        std::thread::spawn(move || {
            let mut seen = Vec::new();
            let mut cursor = 0;
            loop {
                let done = stop.load(std::sync::atomic::Ordering::SeqCst);
                let (page, next, _) = s.events(reader, cursor, 7).unwrap();
                seen.extend(page.iter().map(StoredEvent::seq));
                cursor = next;
                if done && page.is_empty() {
                    return seen;
                }
                std::thread::yield_now();
            }
        })
    };
    // Two threads per device push the same batches (a retry racing the
    // original), in batches of 5.
    let writers: Vec<_> = devices
        .iter()
        .flat_map(|d| [*d, *d])
        .enumerate()
        .map(|(i, d)| {
            let s = s.clone();
            std::thread::spawn(move || {
                let mut answers = Vec::new();
                for chunk in (1..=FORMS).collect::<Vec<_>>().chunks(5) {
                    let ops: Vec<_> = chunk
                        .iter()
                        .map(|f| {
                            let case = derived(d, &[*f]);
                            op(u64::from(*f), case, 1, None, &[*f, i as u8 / 2])
                        })
                        .collect();
                    // A failed transaction stores nothing; the device retries.
                    let out = loop {
                        match s.apply_batch(d, &ops, 1) {
                            Ok(out) => break out,
                            Err(e @ StorageError::Conflict(_)) => panic!("{e}"),
                            Err(_) => continue,
                        }
                    };
                    answers.extend(out);
                }
                answers
            })
        })
        .collect();
    let answers: Vec<Vec<OpOutcome>> = writers.into_iter().map(|w| w.join().unwrap()).collect();
    stop.store(true, std::sync::atomic::Ordering::SeqCst);
    let seen = pulled.join().unwrap();

    let forms = usize::from(DEVICES) * usize::from(FORMS);
    let (stored, cases) = s.counts().unwrap();
    assert_eq!((stored, cases), (forms as u64, forms as u64));
    // Of each pair of racing pushes, exactly one stored each form.
    for pair in answers.chunks(2) {
        for (x, y) in pair[0].iter().zip(&pair[1]) {
            let mut both = [*x, *y];
            both.sort_by_key(|o| matches!(o, OpOutcome::Duplicate { .. }));
            assert_eq!(
                both,
                [
                    OpOutcome::Stored { flagged: false },
                    OpOutcome::Duplicate { flagged: false }
                ]
            );
        }
    }
    // One event per stored form; the reader saw each once, in order.
    let all: Vec<i64> = s
        .events(reader, 0, 1000)
        .unwrap()
        .0
        .iter()
        .map(StoredEvent::seq)
        .collect();
    assert_eq!(all.len(), forms);
    assert_eq!(seen, all);
}

pub fn case_ownership_and_number_ranges(s: &S) {
    let a = enrolled(s, 1, "");
    let b = enrolled(s, 2, "");
    let c = case_id(1);
    s.apply_batch(a, &[op(1, c, 1, None, b"a1")], 1).unwrap();
    // Another device's version of a's case: refused, audited, nothing moved.
    assert_eq!(
        s.apply_batch(b, &[op(1, c, 2, Some(1), b"b2")], 2).unwrap(),
        [OpOutcome::Rejected(codes::NOT_CASE_OWNER)]
    );
    let (row, sealed) = s.case(c).unwrap().unwrap();
    assert_eq!(
        (row.device_id, row.version, sealed.as_slice()),
        (a, 1, &b"a1"[..])
    );
    assert!(s
        .audit_log()
        .unwrap()
        .iter()
        .any(|r| r.action == "foreign_version_refused"));
    // The owner's next version goes through as usual.
    assert_eq!(
        s.apply_batch(a, &[op(2, c, 2, Some(1), b"a2")], 3).unwrap(),
        [OpOutcome::Stored { flagged: false }]
    );
    // Numbers the database cannot hold are refused, never wrapped.
    assert_eq!(
        s.apply_batch(a, &[op(u64::MAX, case_id(2), 1, None, b"x")], 4)
            .unwrap(),
        [OpOutcome::Rejected(codes::OUT_OF_RANGE)]
    );
    assert!(matches!(
        s.bump_request_seq(a, u64::MAX),
        Err(StorageError::OutOfRange(_))
    ));
    assert_eq!(s.counts().unwrap(), (2, 1));
}

pub fn sessions_end_on_logout_and_new_password(s: &S) {
    s.add_supervisor("aigerim", "hash-1", 1).unwrap();
    s.add_session(&[1; 32], "aigerim", 100).unwrap();
    s.add_session(&[2; 32], "aigerim", 100).unwrap();
    assert_eq!(s.end_session(&[1; 32]).unwrap().as_deref(), Some("aigerim"));
    assert!(s.session(&[1; 32], 0).unwrap().is_none());
    assert_eq!(s.end_session(&[1; 32]).unwrap(), None);
    assert_eq!(s.session(&[2; 32], 0).unwrap().as_deref(), Some("aigerim"));
    s.add_supervisor("aigerim", "hash-2", 2).unwrap();
    assert!(s.session(&[2; 32], 0).unwrap().is_none());
}

pub fn withdrawn_packs(s: &S) {
    let d = enrolled(s, 1, "");
    s.publish_pack("kz-2026.2", b"a", b"sig", "sup", 1).unwrap();
    s.publish_pack("kz-2026.3", b"b", b"sig", "sup", 2).unwrap();
    s.withdraw_pack("kz-2026.2", "sup", 3).unwrap();
    assert!(s.pack("kz-2026.2").unwrap().is_none());
    assert!(s.pack("kz-2026.3").unwrap().is_some());
    match all_events(s, d).as_slice() {
        [StoredEvent::RulePack { version, .. }] => assert_eq!(version, "kz-2026.3"),
        other => panic!("expected only the pack still served, got {other:?}"),
    }
    assert!(matches!(
        s.withdraw_pack("kz-2026.2", "sup", 4),
        Err(StorageError::NotFound)
    ));
    assert!(matches!(
        s.withdraw_pack("kz-9999.1", "sup", 4),
        Err(StorageError::NotFound)
    ));
    // Its version stays taken.
    assert!(matches!(
        s.publish_pack("kz-2026.2", b"c", b"sig", "sup", 5),
        Err(StorageError::Conflict(_))
    ));
    assert!(s
        .audit_log()
        .unwrap()
        .iter()
        .any(|r| r.action == "withdraw_rules" && r.subject.as_deref() == Some("kz-2026.2")));
}

fn record(
    seq: u64,
    kind: komek_core::followup::RecordKind,
    id: Uuid,
    household: Uuid,
    version: u32,
    base: Option<u32>,
    content: &[u8],
) -> komek_registry::storage::IncomingRecord {
    let mut hash = [0u8; 32];
    hash.copy_from_slice(ring::digest::digest(&ring::digest::SHA256, content).as_ref());
    komek_registry::storage::IncomingRecord {
        device_seq: seq,
        op_id: derived(id, &version.to_be_bytes()),
        kind,
        record_id: id,
        household_id: household,
        version,
        base_version: base,
        blob: content.to_vec(),
        blob_hash: hash,
    }
}

/// Follow-up records: stored once through the forms' ledger, listed, opened,
/// a plan approved per version, conflicts flagged, other devices refused.
pub fn followup_records(s: &S) {
    use komek_core::followup::RecordKind::{Plan, Visit};
    let a = enrolled(s, 1, "");
    let b = enrolled(s, 2, "");
    let (plan, visit, household) = (case_id(1), case_id(2), case_id(3));
    let stored = OpOutcome::Stored { flagged: false };
    let out = s
        .apply_records(
            a,
            &[
                record(1, Plan, plan, household, 1, None, b"plan v1"),
                record(2, Visit, visit, household, 1, None, b"visit v1"),
            ],
            10,
        )
        .unwrap();
    assert_eq!(out, [stored, stored]);
    // The same bytes again: a duplicate, nothing stored twice.
    assert_eq!(
        s.apply_records(
            a,
            &[record(1, Plan, plan, household, 1, None, b"plan v1")],
            11
        )
        .unwrap(),
        [OpOutcome::Duplicate { flagged: false }]
    );
    // A form under a number a record spent: the ledger is shared.
    assert_eq!(
        s.apply_batch(a, &[op(2, case_id(9), 1, None, b"form")], 11)
            .unwrap(),
        [OpOutcome::Rejected(codes::SEQ_CONFLICT)]
    );
    let all = s.records(None, None).unwrap();
    assert_eq!(all.len(), 2);
    let plans = s.records(Some(Plan), Some(household)).unwrap();
    assert_eq!(plans.len(), 1);
    assert_eq!((plans[0].record_id, plans[0].version), (plan, 1));
    assert!(s.records(Some(Plan), Some(case_id(4))).unwrap().is_empty());
    let (row, sealed) = s.record(plan).unwrap().unwrap();
    assert_eq!(
        (row.kind, row.device_id, sealed.as_slice()),
        (Plan, a, &b"plan v1"[..])
    );
    assert!(s.record(case_id(5)).unwrap().is_none());

    // Approve version 1; a visit is not approved; a wrong version refused.
    let approved = s.approve_plan(plan, 1, "sup", 12).unwrap();
    assert!(approved.is_approved());
    assert_eq!(approved.approved_by.as_deref(), Some("sup"));
    assert!(matches!(
        s.approve_plan(visit, 1, "sup", 12),
        Err(StorageError::NotFound)
    ));
    assert!(matches!(
        s.approve_plan(plan, 2, "sup", 12),
        Err(StorageError::Conflict(_))
    ));
    // The plain next version: stored, not flagged, needs approving again.
    assert_eq!(
        s.apply_records(
            a,
            &[record(3, Plan, plan, household, 2, Some(1), b"plan v2")],
            13
        )
        .unwrap(),
        [stored]
    );
    let row = s.record(plan).unwrap().unwrap();
    assert_eq!(
        (row.0.version, row.0.is_approved(), row.0.flagged),
        (2, false, false)
    );
    assert_eq!(row.1, b"plan v2");
    assert!(matches!(
        s.approve_plan(plan, 1, "sup", 14),
        Err(StorageError::Conflict(_))
    ));
    // Edited against version 1 meanwhile: stored and flagged for a person.
    assert_eq!(
        s.apply_records(
            a,
            &[record(4, Plan, plan, household, 3, Some(1), b"plan v3")],
            15
        )
        .unwrap(),
        [OpOutcome::Stored { flagged: true }]
    );
    assert!(s.record(plan).unwrap().unwrap().0.flagged);
    // Approving clears the flag.
    assert!(!s.approve_plan(plan, 3, "sup", 16).unwrap().flagged);
    // Another device, or another kind under the same id: refused.
    assert_eq!(
        s.apply_records(
            b,
            &[record(1, Plan, plan, household, 4, Some(3), b"plan v4")],
            17
        )
        .unwrap(),
        [OpOutcome::Rejected(codes::NOT_CASE_OWNER)]
    );
    assert_eq!(
        s.apply_records(
            a,
            &[record(5, Visit, plan, household, 4, Some(3), b"visit?")],
            17
        )
        .unwrap(),
        [OpOutcome::Rejected(codes::INVALID_FORM)]
    );
    assert_eq!(s.record(plan).unwrap().unwrap().0.version, 3);
    assert!(s
        .audit_log()
        .unwrap()
        .iter()
        .any(|e| e.action == "plan_approved"));
}

fn ids(page: &komek_registry::scope::CasePage) -> Vec<Uuid> {
    page.cases.iter().map(|c| c.case_id).collect()
}

fn query(status: Option<CaseStatus>, limit: u32) -> CaseQuery {
    CaseQuery {
        status,
        after: None,
        limit,
    }
}

/// Districts and scopes: centres go into districts, a case takes its
/// device's centre and that centre's district, and a supervisor lists and
/// decides only the cases of their scope; another scope's case is
/// `OutOfScope` and nothing about it changes.
pub fn districts_and_scoped_cases(s: &S) {
    // Before anything: the default district, holding the default centre.
    assert_eq!(s.districts().unwrap(), [""]);
    s.add_district("North", "boss", 1).unwrap();
    s.add_district("South", "boss", 1).unwrap();
    assert!(matches!(
        s.add_district("North", "boss", 2),
        Err(StorageError::Conflict(_))
    ));
    assert_eq!(s.districts().unwrap(), ["", "North", "South"]);
    // A centre named by a code lands in the default district; placing it
    // moves it. An unknown district is refused.
    let n1 = enrolled(s, 1, "N1");
    let s1 = enrolled(s, 2, "S1");
    let n2 = enrolled(s, 3, "N2");
    assert!(matches!(
        s.put_centre("N1", "East", "boss", 2),
        Err(StorageError::NotFound)
    ));
    s.put_centre("N1", "North", "boss", 2).unwrap();
    s.put_centre("N2", "North", "boss", 2).unwrap();
    s.put_centre("S1", "South", "boss", 2).unwrap();
    let centres: Vec<(String, String)> = s
        .centres()
        .unwrap()
        .into_iter()
        .map(|c| (c.name, c.district))
        .collect();
    let pair = |a: &str, b: &str| (a.to_string(), b.to_string());
    assert_eq!(
        centres,
        [
            pair("", ""),
            pair("N1", "North"),
            pair("N2", "North"),
            pair("S1", "South")
        ]
    );
    let (cn1, cs1, cn2) = (case_id(1), case_id(2), case_id(3));
    s.apply_batch(n1, &[op(1, cn1, 1, None, b"n1")], 10)
        .unwrap();
    s.apply_batch(s1, &[op(1, cs1, 1, None, b"s1")], 11)
        .unwrap();
    s.apply_batch(n2, &[op(1, cn2, 1, None, b"n2")], 12)
        .unwrap();
    let (row, _) = s.case(cs1).unwrap().unwrap();
    assert_eq!(
        (row.centre.as_str(), row.district.as_str()),
        ("S1", "South")
    );

    let national = Scope::National;
    let north = Scope::District("North".into());
    let south = Scope::District("South".into());
    let team_n2 = Scope::Centre("N2".into());
    let all = query(None, 100);
    assert_eq!(ids(&s.case_page(&national, &all).unwrap()), [cn1, cs1, cn2]);
    assert_eq!(ids(&s.case_page(&north, &all).unwrap()), [cn1, cn2]);
    assert_eq!(ids(&s.case_page(&south, &all).unwrap()), [cs1]);
    assert_eq!(ids(&s.case_page(&team_n2, &all).unwrap()), [cn2]);
    let empty = Scope::District("".into());
    assert!(s.case_page(&empty, &all).unwrap().cases.is_empty());

    // North decides its own case, not South's: refused as out of scope,
    // before the version or the move is looked at; nothing changes.
    for wrong in [&north, &team_n2] {
        for version in [1, 7] {
            assert!(matches!(
                s.decide_in(wrong, &decision(cs1, version, CaseStatus::Approved), 20),
                Err(StorageError::OutOfScope)
            ));
        }
    }
    assert!(matches!(
        s.decide_in(&team_n2, &decision(cn1, 1, CaseStatus::Approved), 20),
        Err(StorageError::OutOfScope)
    ));
    let (row, _) = s.case(cs1).unwrap().unwrap();
    assert_eq!((row.status, row.updated_at), (CaseStatus::Received, 11));
    assert!(all_events(s, s1).iter().all(|e| !matches!(
        e,
        StoredEvent::Decision {
            status: CaseStatus::Approved,
            ..
        }
    )));
    let row = s
        .decide_in(&north, &decision(cn1, 1, CaseStatus::Approved), 21)
        .unwrap();
    assert_eq!(row.status, CaseStatus::Approved);
    s.decide_in(&team_n2, &decision(cn2, 1, CaseStatus::UnderReview), 22)
        .unwrap();
    s.decide_in(&national, &decision(cs1, 1, CaseStatus::Rejected), 23)
        .unwrap();
    assert!(matches!(
        s.decide_in(&north, &decision(case_id(9), 1, CaseStatus::Approved), 24),
        Err(StorageError::NotFound)
    ));

    // Moving a centre moves its cases: S1 to North.
    s.put_centre("S1", "North", "boss", 30).unwrap();
    assert_eq!(ids(&s.case_page(&north, &all).unwrap()), [cn1, cn2, cs1]);
    assert!(s.case_page(&south, &all).unwrap().cases.is_empty());
    // A later case of a moved centre's device is in the new district.
    s.apply_batch(s1, &[op(2, case_id(4), 1, None, b"s1b")], 31)
        .unwrap();
    assert_eq!(s.case(case_id(4)).unwrap().unwrap().0.district, "North");
    assert!(s
        .audit_log()
        .unwrap()
        .iter()
        .any(|r| r.action == "centre_placed" && r.actor == "boss"));
}

/// Supervisors' scopes: a new supervisor is national unless given one; a
/// scope names an existing district or centre; a new password keeps the
/// scope unless another is given.
pub fn supervisor_scopes(s: &S) {
    s.add_district("North", "boss", 1).unwrap();
    enrolled(s, 1, "N1");
    s.add_supervisor("boss", "h", 1).unwrap();
    assert_eq!(s.supervisor_scope("boss").unwrap(), Some(Scope::National));
    assert_eq!(s.supervisor_scope("nobody").unwrap(), None);
    let north = Scope::District("North".into());
    s.add_supervisor_in("aigerim", "h", Some(&north), 2)
        .unwrap();
    assert_eq!(s.supervisor_scope("aigerim").unwrap(), Some(north.clone()));
    // A new password keeps the scope.
    s.add_supervisor("aigerim", "h2", 3).unwrap();
    assert_eq!(s.supervisor_scope("aigerim").unwrap(), Some(north));
    let team = Scope::Centre("N1".into());
    s.add_supervisor_in("aigerim", "h3", Some(&team), 4)
        .unwrap();
    assert_eq!(s.supervisor_scope("aigerim").unwrap(), Some(team));
    // Unknown district or centre: refused, nothing stored.
    for bad in [Scope::District("East".into()), Scope::Centre("E9".into())] {
        assert!(matches!(
            s.add_supervisor_in("bolat", "h", Some(&bad), 5),
            Err(StorageError::NotFound)
        ));
    }
    assert_eq!(s.supervisor_scope("bolat").unwrap(), None);
    assert_eq!(s.supervisor_hash("bolat").unwrap(), None);
}

/// Paged lists: cases by status with a cursor and counts per status,
/// devices with an offset and a total, the audit log after a sequence.
pub fn paged_lists(s: &S) {
    let d = enrolled(s, 1, "");
    let cases: Vec<Uuid> = (1..=7).map(case_id).collect();
    for (i, c) in cases.iter().enumerate() {
        let n = i as u64 + 1;
        s.apply_batch(d, &[op(n, *c, 1, None, &[i as u8])], 100 + i as i64)
            .unwrap();
    }
    // Two decided: 5 received, 1 approved, 1 returned (updated later).
    s.decide(&decision(cases[1], 1, CaseStatus::Approved), 200)
        .unwrap();
    s.decide(&decision(cases[3], 1, CaseStatus::Returned), 201)
        .unwrap();
    let national = Scope::National;
    let mut seen = Vec::new();
    let mut q = query(None, 3);
    let mut pages = 0;
    loop {
        let page = s.case_page(&national, &q).unwrap();
        pages += 1;
        assert!(page.cases.len() <= 3);
        assert_eq!(page.counts.received, 5);
        assert_eq!(page.counts.approved, 1);
        assert_eq!(page.counts.returned, 1);
        assert_eq!(page.counts.total(), 7);
        seen.extend(ids(&page));
        match page.next {
            Some(next) => q.after = Some(next),
            None => break,
        }
    }
    assert_eq!(pages, 3);
    let order = [0, 2, 4, 5, 6, 1, 3].map(|i| cases[i]);
    assert_eq!(seen, order);
    // A page that ends exactly at the last case says so.
    let page = s.case_page(&national, &query(None, 7)).unwrap();
    assert_eq!((page.cases.len(), page.next), (7, None));
    // By status, paged.
    let received = s
        .case_page(&national, &query(Some(CaseStatus::Received), 4))
        .unwrap();
    assert_eq!(ids(&received), [cases[0], cases[2], cases[4], cases[5]]);
    let next = received.next.expect("a second page");
    assert_eq!(next, CaseCursor::after(&received.cases[3]));
    let rest = s
        .case_page(
            &national,
            &CaseQuery {
                status: Some(CaseStatus::Received),
                after: Some(next),
                limit: 4,
            },
        )
        .unwrap();
    assert_eq!((ids(&rest), rest.next), (vec![cases[6]], None));

    // Devices: offset and total.
    for n in 2..=5 {
        enrolled(s, n, "");
    }
    let first = s.device_page(&national, 2, 0).unwrap();
    assert_eq!((first.devices.len(), first.total), (2, 5));
    let last = s.device_page(&national, 2, 4).unwrap();
    assert_eq!(last.devices.len(), 1);
    assert_eq!(last.devices[0].0.id, device_record(5).id);
    assert_eq!(last.devices[0].1, "");
    assert!(s.device_page(&national, 2, 9).unwrap().devices.is_empty());

    // The audit log: pages after a sequence, in order, nothing twice.
    let whole: Vec<i64> = s.audit_log().unwrap().iter().map(|r| r.seq).collect();
    let mut paged = Vec::new();
    let mut after = 0;
    loop {
        let page = s.audit_page(after, 4).unwrap();
        paged.extend(page.rows.iter().map(|r| r.seq));
        match page.next {
            Some(n) => after = n,
            None => break,
        }
    }
    assert_eq!(paged, whole);
    assert!(whole.len() > 8);
}

/// A district supervisor's devices are their centres' devices.
pub fn scoped_devices(s: &S) {
    s.add_district("North", "boss", 1).unwrap();
    enrolled(s, 1, "N1");
    enrolled(s, 2, "S1");
    enrolled(s, 3, "N1");
    s.put_centre("N1", "North", "boss", 2).unwrap();
    let north = s
        .device_page(&Scope::District("North".into()), 10, 0)
        .unwrap();
    let ids: Vec<Uuid> = north.devices.iter().map(|(d, _)| d.id).collect();
    assert_eq!(ids, [device_record(1).id, device_record(3).id]);
    assert!(north
        .devices
        .iter()
        .all(|(_, district)| district == "North"));
    assert_eq!(north.total, 2);
    let team = s.device_page(&Scope::Centre("S1".into()), 10, 0).unwrap();
    assert_eq!(team.total, 1);
    assert_eq!(s.device_page(&Scope::National, 10, 0).unwrap().total, 3);
}
