//! Bytes of a typical integration plan and follow-up visit: as JSON, as the
//! follow-up codec's content (`sync/followup_codec.rs`), and sealed as an
//! operation (format-2 header, AEAD tag, Ed25519 signature).
//!
//! `cargo run -p komek-core --example followup_sizes` (figures in
//! docs/case-follow-up.md). The plan is the one proposed from the pre-check
//! of synthetic conditional-TSA households (seed 7), signed on paper, with a
//! short note on two measures and two obligations, as staff would write
//! them; the visit saw two members, checked three things, found two
//! measures' progress, collected a document and noted a new circumstance.
//! Medians over the households.

use chrono::{Days, NaiveDate, TimeZone, Utc};
use komek_core::crypto::seal::{derived_op_id, seal_op, DeviceKey, SealHeader};
use komek_core::followup::propose::propose_plan;
use komek_core::followup::{
    Check, CollectedDocument, FollowUpRecord, MeasureProgress, MeasureStatus, Obligation,
    RecordHead, Signature, SignatureMethod, Visit,
};
use komek_core::model::{DocumentKind, FormStatus};
use komek_core::rules::{default_pack, evaluate};
use komek_core::sync::followup_codec::{encode, entity_code};
use uuid::Uuid;

fn sealed<R: FollowUpRecord>(
    r: &R,
    device: &DeviceKey,
) -> Result<(usize, usize, usize), Box<dyn std::error::Error>> {
    let json = serde_json::to_vec(r)?.len();
    let content = encode(r)?;
    let head = r.head();
    let header = SealHeader {
        entity: entity_code(R::KIND),
        device_id: Uuid::new_v4(),
        op_id: derived_op_id(head.id, head.version),
        entity_id: head.id,
        device_seq: 1_234,
        version: head.version,
        base_version: head.replaces,
    };
    let bytes = seal_op(&header, &content, &[9u8; 32], device)?;
    Ok((json, content.len(), bytes.len()))
}

fn median(mut v: Vec<usize>) -> usize {
    v.sort_unstable();
    v.get(v.len() / 2).copied().unwrap_or_default()
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let today = NaiveDate::from_ymd_opt(2026, 3, 2).ok_or("date")?;
    let now = Utc
        .with_ymd_and_hms(2026, 3, 2, 10, 0, 0)
        .single()
        .ok_or("instant")?;
    let device = DeviceKey::generate()?;
    let (mut plans, mut visits) = (Vec::new(), Vec::new());
    let mut measures = Vec::new();
    for h in komek_core::synth::households(7, 200, today) {
        let report = evaluate(&h, default_pack(), today);
        let Some(mut p) = propose_plan(
            &h,
            &report,
            default_pack(),
            today,
            "Career centre of the district",
            now,
        ) else {
            continue;
        };
        if p.measures.len() < 2 {
            continue;
        }
        p.measures[0].note = Some("Registered at the career centre; interview on Tuesday".into());
        p.measures[1].note = Some("Course at the college, spring intake".into());
        p.obligations = vec![
            Obligation {
                id: Uuid::new_v4(),
                text: "Attend every interview the career centre offers".into(),
                member: None,
            },
            Obligation {
                id: Uuid::new_v4(),
                text: "Tell the centre within 10 days of any new income".into(),
                member: None,
            },
        ];
        p.signature = Some(Signature {
            method: SignatureMethod::Paper,
            signed_on: today,
            witness: None,
        });
        p.head.status = FormStatus::Final;
        measures.push(p.measures.len());
        let mut v = Visit::new(RecordHead::new(h.id, now), today + Days::new(30));
        v.head.status = FormStatus::Final;
        v.seen = h.members.iter().take(2).map(|m| m.id).collect();
        v.checked = vec![Check::PlanMeasures, Check::Documents, Check::ChildrenSchool];
        v.progress = p
            .measures
            .iter()
            .take(2)
            .map(|m| MeasureProgress {
                plan: p.head.id,
                measure: m.id,
                status: MeasureStatus::InProgress,
                note: None,
            })
            .collect();
        v.documents_collected = vec![CollectedDocument {
            kind: DocumentKind::UnemploymentCertificate,
            member: Some(p.parties.recipient),
        }];
        v.new_circumstances =
            Some("The eldest son found seasonal work in the district centre".into());
        v.next_visit = Some(today + Days::new(60));
        plans.push(sealed(&p, &device)?);
        visits.push(sealed(&v, &device)?);
    }
    let col = |v: &[(usize, usize, usize)], i: usize| {
        median(
            v.iter()
                .map(|t| match i {
                    0 => t.0,
                    1 => t.1,
                    _ => t.2,
                })
                .collect(),
        )
    };
    println!(
        "{} plans (median {} measures): JSON {} B, content {} B, sealed {} B",
        plans.len(),
        median(measures),
        col(&plans, 0),
        col(&plans, 1),
        col(&plans, 2)
    );
    println!(
        "{} visits: JSON {} B, content {} B, sealed {} B",
        visits.len(),
        col(&visits, 0),
        col(&visits, 1),
        col(&visits, 2)
    );
    Ok(())
}
