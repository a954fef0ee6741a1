//! Prints `core/src/sync/followup-dict-v1.json`, the raw-content dictionary
//! of the follow-up codec (`sync/followup_codec.rs`): one record of each kind
//! with every optional field filled, in the order serde writes them, then
//! every code of every enum. Ids and dates are made up; no person is in it.
//!
//! `cargo run -p komek-core --example followup_dictionary > core/src/sync/followup-dict-v1.json`
//!
//! Run once: a dictionary in use never changes (a new one is a new codec byte).

use chrono::{NaiveDate, TimeZone, Utc};
use komek_core::followup::{
    Check, CollectedDocument, ExitReason, ExitRecord, Ground, IntegrationPlan, Measure,
    MeasureKind, MeasureProgress, MeasureStatus, Obligation, Parties, RecordHead, Referral,
    ReferralDocument, ReferralOutcome, ReferralResult, ReferralStep, Responsible, Service,
    Signature, SignatureMethod, StepKind, Visit,
};
use komek_core::model::{DocumentKind, DocumentStatus, FormStatus};
use uuid::Uuid;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let at = Utc
        .with_ymd_and_hms(2026, 3, 1, 9, 30, 0)
        .single()
        .ok_or("instant")?;
    let day = |m: u32, d: u32| NaiveDate::from_ymd_opt(2026, m, d).ok_or("date");
    let id = |n: u128| Uuid::from_u128(n);
    let head = RecordHead {
        id: id(1),
        household_id: id(2),
        version: 2,
        replaces: Some(1),
        status: FormStatus::Final,
        created_at: at,
        updated_at: at,
    };
    let exit = ExitRecord {
        head: head.clone(),
        on: day(6, 1)?,
        reason: ExitReason::Employment,
        note: Some(String::new()),
    };
    let referral = Referral {
        head: head.clone(),
        member: id(3),
        service: Service::Pmpc,
        service_name: Some(String::new()),
        ground: Ground::ChildDisability,
        opened_on: day(3, 1)?,
        documents: vec![ReferralDocument {
            kind: DocumentKind::MedicalCard,
            status: DocumentStatus::Missing,
        }],
        steps: vec![ReferralStep {
            on: day(3, 2)?,
            kind: StepKind::Submitted,
            note: Some(String::new()),
        }],
        outcome: Some(ReferralOutcome {
            on: day(4, 1)?,
            result: ReferralResult::Granted,
            note: None,
        }),
        note: None,
    };
    let plan = IntegrationPlan {
        head: head.clone(),
        parties: Parties {
            recipient: id(3),
            authority: String::new(),
            drawn_up_by: Some(id(4)),
        },
        covered_members: vec![id(3)],
        starts_on: day(3, 1)?,
        ends_on: Some(day(9, 1)?),
        measures: vec![Measure {
            id: id(5),
            kind: MeasureKind::JobSearch,
            member: Some(id(3)),
            responsible: Responsible::CareerCentre,
            due: day(4, 1)?,
            status: MeasureStatus::Planned,
            note: None,
        }],
        obligations: vec![Obligation {
            id: id(6),
            text: String::new(),
            member: None,
        }],
        review_dates: vec![day(6, 1)?],
        signature: Some(Signature {
            method: SignatureMethod::Paper,
            signed_on: day(3, 1)?,
            witness: None,
        }),
        note: None,
    };
    let visit = Visit {
        head,
        on: day(5, 1)?,
        seen: vec![id(3)],
        checked: vec![Check::PlanMeasures, Check::Documents],
        progress: vec![MeasureProgress {
            plan: id(1),
            measure: id(5),
            status: MeasureStatus::InProgress,
            note: None,
        }],
        documents_collected: vec![CollectedDocument {
            kind: DocumentKind::IncomeCertificate,
            member: Some(id(3)),
        }],
        new_circumstances: None,
        next_visit: Some(day(6, 1)?),
    };
    let mut codes: Vec<String> = Vec::new();
    codes.extend(ExitReason::ALL.iter().map(|c| c.code().to_string()));
    codes.extend(ReferralResult::ALL.iter().map(|c| c.code().to_string()));
    codes.extend(StepKind::ALL.iter().map(|c| c.code().to_string()));
    codes.extend(Ground::ALL.iter().map(|c| c.code().to_string()));
    codes.extend(Service::ALL.iter().map(|c| c.code().to_string()));
    codes.extend(SignatureMethod::ALL.iter().map(|c| c.code().to_string()));
    codes.extend(Responsible::ALL.iter().map(|c| c.code().to_string()));
    codes.extend(Check::ALL.iter().map(|c| c.code().to_string()));
    codes.extend(MeasureStatus::ALL.iter().map(|c| c.code().to_string()));
    codes.extend(MeasureKind::ALL.iter().map(|c| c.code().to_string()));
    let quoted: Vec<String> = codes.iter().map(|c| format!("\"{c}\"")).collect();
    // Most frequent last (zstd reaches the end of a dictionary cheapest).
    println!(
        "{}{}{}{}[{}]",
        serde_json::to_string(&exit)?,
        serde_json::to_string(&referral)?,
        serde_json::to_string(&plan)?,
        serde_json::to_string(&visit)?,
        quoted.join(",")
    );
    Ok(())
}
