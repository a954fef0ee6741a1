//! One table per reason; every date worked by hand in the comment beside it.

use super::*;
use crate::followup::exit::ExitReason;
use crate::followup::plan::{Measure, MeasureKind, Parties, Responsible};
use crate::followup::referral::{Ground, ReferralStep, Service, StepKind};
use crate::followup::tests_support::{d, now};
use crate::followup::visit::{CollectedDocument, MeasureProgress};
use crate::followup::RecordHead;
use crate::model::DocumentStatus;

fn hid(n: u128) -> Uuid {
    Uuid::from_u128(n)
}

fn head(h: Uuid, status: FormStatus) -> RecordHead {
    RecordHead {
        status,
        ..RecordHead::new(h, now())
    }
}

fn plan(h: Uuid, starts: NaiveDate, due: NaiveDate, reviews: &[NaiveDate]) -> IntegrationPlan {
    IntegrationPlan {
        head: head(h, FormStatus::Final),
        parties: Parties {
            recipient: Uuid::from_u128(7),
            authority: "centre".into(),
            drawn_up_by: None,
        },
        covered_members: vec![Uuid::from_u128(7)],
        starts_on: starts,
        ends_on: None,
        measures: vec![Measure {
            id: Uuid::from_u128(99),
            kind: MeasureKind::JobSearch,
            member: None,
            responsible: Responsible::CareerCentre,
            due,
            status: MeasureStatus::Planned,
            note: None,
        }],
        obligations: Vec::new(),
        review_dates: reviews.to_vec(),
        signature: None,
        note: None,
    }
}

fn visit(h: Uuid, on: NaiveDate, checked: &[Check]) -> Visit {
    let mut v = Visit::new(head(h, FormStatus::Final), on);
    v.checked = checked.to_vec();
    v
}

fn exit(h: Uuid, on: NaiveDate) -> ExitRecord {
    ExitRecord {
        head: head(h, FormStatus::Final),
        on,
        reason: ExitReason::Employment,
        note: None,
    }
}

fn case(n: u128) -> CaseFile {
    CaseFile {
        household_id: hid(n),
        ..CaseFile::default()
    }
}

/// The reasons (kind, days, count) of the one household in `c` on `date`.
fn run(c: CaseFile, date: NaiveDate) -> Vec<(VisitReasonKind, i64, Option<u32>)> {
    let list = visit_list(&[c], date, &VisitListSettings::default());
    list.into_iter()
        .flat_map(|n| n.reasons)
        .map(|r| (r.kind, r.days, r.count))
        .collect()
}

use VisitReasonKind as K;

/// What `run` returns: (kind, days, count) per reason.
type Want = Vec<(VisitReasonKind, i64, Option<u32>)>;
/// A row of the overdue-measure table: name, the plan's status, a visit's
/// (date, status), the list's date, the reasons expected.
type MeasureRow = (
    &'static str,
    Option<MeasureStatus>,
    Option<(NaiveDate, MeasureStatus)>,
    NaiveDate,
    Want,
);
/// A row of the referral table: name, a step's date, an outcome, documents
/// in hand, the list's date, the reasons expected.
type ReferralRow = (
    &'static str,
    Option<NaiveDate>,
    bool,
    usize,
    NaiveDate,
    Want,
);

#[test]
fn measure_overdue() {
    // Measure due 1 April 2026.
    let rows: Vec<MeasureRow> = vec![
        ("due today: not yet", None, None, d(2026, 4, 1), vec![]),
        (
            "a day late",
            None,
            None,
            d(2026, 4, 2),
            vec![(K::MeasureOverdue, 1, None)],
        ),
        // 1 Apr → 1 May = 30 days.
        (
            "a month late",
            None,
            None,
            d(2026, 5, 1),
            vec![(K::MeasureOverdue, 30, None)],
        ),
        (
            "in progress counts",
            Some(MeasureStatus::InProgress),
            None,
            d(2026, 5, 1),
            vec![(K::MeasureOverdue, 30, None)],
        ),
        (
            "done in the plan",
            Some(MeasureStatus::Done),
            None,
            d(2026, 5, 1),
            vec![],
        ),
        (
            "cancelled",
            Some(MeasureStatus::Cancelled),
            None,
            d(2026, 5, 1),
            vec![],
        ),
        // A visit on 20 Apr found it done: the visit's word wins.
        (
            "done on a visit",
            None,
            Some((d(2026, 4, 20), MeasureStatus::Done)),
            d(2026, 5, 1),
            vec![],
        ),
        // A visit on 20 Apr found it in progress: still overdue; the visit
        // set no next date, reviewed nothing.
        (
            "still open on a visit",
            None,
            Some((d(2026, 4, 20), MeasureStatus::InProgress)),
            d(2026, 5, 1),
            vec![(K::MeasureOverdue, 30, None)],
        ),
    ];
    for (name, status, found, date, want) in rows {
        let h = hid(1);
        let mut c = case(1);
        let mut p = plan(h, d(2026, 3, 1), d(2026, 4, 1), &[]);
        if let Some(s) = status {
            p.measures[0].status = s;
        }
        if let Some((on, s)) = found {
            let mut v = visit(h, on, &[Check::PlanMeasures]);
            v.progress.push(MeasureProgress {
                plan: p.head.id,
                measure: p.measures[0].id,
                status: s,
                note: None,
            });
            c.visits.push(v);
        }
        c.plans.push(p);
        assert_eq!(run(c, date), want, "{name}");
    }
    // A draft (unsigned) plan binds nobody yet.
    let mut c = case(1);
    let mut p = plan(hid(1), d(2026, 3, 1), d(2026, 4, 1), &[]);
    p.head.status = FormStatus::Draft;
    c.plans.push(p);
    assert_eq!(run(c, d(2026, 5, 1)), vec![]);
}

#[test]
fn plan_review_due() {
    // Reviews on 1 June and 1 September 2026; the measure is done.
    let rows: Vec<(&str, Option<NaiveDate>, NaiveDate, Vec<_>)> = vec![
        ("before the first review", None, d(2026, 5, 31), vec![]),
        (
            "on the review date",
            None,
            d(2026, 6, 1),
            vec![(K::PlanReviewDue, 0, None)],
        ),
        // 1 Jun → 15 Jun = 14 days.
        (
            "two weeks after",
            None,
            d(2026, 6, 15),
            vec![(K::PlanReviewDue, 14, None)],
        ),
        (
            "reviewed on 10 June",
            Some(d(2026, 6, 10)),
            d(2026, 6, 15),
            vec![],
        ),
        // Reviewed 10 Jun, the 1 Sep review is due: 1 Sep → 10 Sep = 9 days.
        (
            "the next review comes",
            Some(d(2026, 6, 10)),
            d(2026, 9, 10),
            vec![(K::PlanReviewDue, 9, None)],
        ),
        // Never reviewed: the oldest unreviewed date counts, 1 Jun → 10 Sep
        // = 29 + 31 + 31 + 10 = 101 days.
        (
            "both missed",
            None,
            d(2026, 9, 10),
            vec![(K::PlanReviewDue, 101, None)],
        ),
        // A review in May (before the due date) does not count for June.
        (
            "reviewed too early",
            Some(d(2026, 5, 20)),
            d(2026, 6, 2),
            vec![(K::PlanReviewDue, 1, None)],
        ),
    ];
    for (name, reviewed, date, want) in rows {
        let h = hid(2);
        let mut c = case(2);
        let mut p = plan(
            h,
            d(2026, 3, 1),
            d(2026, 4, 1),
            &[d(2026, 6, 1), d(2026, 9, 1)],
        );
        p.measures[0].status = MeasureStatus::Done;
        c.plans.push(p);
        if let Some(on) = reviewed {
            c.visits.push(visit(h, on, &[Check::PlanReview]));
        }
        assert_eq!(run(c, date), want, "{name}");
    }
}

#[test]
fn referral_without_outcome_and_its_documents() {
    // Opened 1 March 2026 to the PMPC (4 documents, all missing at first).
    let rows: Vec<ReferralRow> = vec![
        // 1 Mar → 14 Mar = 13 days: quiet for less than 14; documents missing
        // for 13 days.
        (
            "13 quiet days",
            None,
            false,
            0,
            d(2026, 3, 14),
            vec![(K::DocumentsMissing, 13, Some(4))],
        ),
        (
            "14 quiet days",
            None,
            false,
            0,
            d(2026, 3, 15),
            vec![
                (K::ReferralNoOutcome, 14, None),
                (K::DocumentsMissing, 14, Some(4)),
            ],
        ),
        // A step on 10 Mar: quiet since then, 10 → 20 Mar = 10 days.
        (
            "a recent step",
            Some(d(2026, 3, 10)),
            false,
            4,
            d(2026, 3, 20),
            vec![],
        ),
        // 10 Mar → 1 Apr = 22 days.
        (
            "the step grows old",
            Some(d(2026, 3, 10)),
            false,
            4,
            d(2026, 4, 1),
            vec![(K::ReferralNoOutcome, 22, None)],
        ),
        ("an outcome closes it", None, true, 0, d(2026, 4, 1), vec![]),
        // Two documents in hand: 2 still missing, since the opening (31 days).
        (
            "half the documents",
            Some(d(2026, 3, 25)),
            false,
            2,
            d(2026, 4, 1),
            vec![(K::DocumentsMissing, 31, Some(2))],
        ),
    ];
    for (name, step, outcome, have, date, want) in rows {
        let h = hid(3);
        let mut c = case(3);
        let mut r = Referral::open(
            head(h, FormStatus::Final),
            Uuid::from_u128(7),
            Service::Pmpc,
            Ground::ChildDisability,
            d(2026, 3, 1),
        );
        if let Some(on) = step {
            r.steps.push(ReferralStep {
                on,
                kind: StepKind::Submitted,
                note: None,
            });
        }
        if outcome {
            r.outcome = Some(crate::followup::ReferralOutcome {
                on: d(2026, 3, 30),
                result: crate::followup::ReferralResult::Granted,
                note: None,
            });
        }
        for doc in r.documents.iter_mut().take(have) {
            doc.status = DocumentStatus::Have;
        }
        c.referrals.push(r);
        assert_eq!(run(c, date), want, "{name}");
    }
}

#[test]
fn documents_missing_on_the_form() {
    // The form of 1 March lists the alimony and unemployment certificates as
    // missing; a visit on 15 March collected the alimony certificate.
    let h = hid(4);
    let mut c = case(4);
    c.missing_documents = vec![
        DocumentKind::AlimonyCertificate,
        DocumentKind::UnemploymentCertificate,
    ];
    c.form_date = Some(d(2026, 3, 1));
    // 1 Mar → 10 Mar = 9 days.
    assert_eq!(
        run(c.clone(), d(2026, 3, 10)),
        vec![(K::DocumentsMissing, 9, Some(2))]
    );
    let mut v = visit(h, d(2026, 3, 15), &[Check::Documents]);
    v.documents_collected.push(CollectedDocument {
        kind: DocumentKind::AlimonyCertificate,
        member: None,
    });
    c.visits.push(v);
    assert_eq!(
        run(c.clone(), d(2026, 3, 20)),
        vec![(K::DocumentsMissing, 19, Some(1))]
    );
    c.visits[0].documents_collected.push(CollectedDocument {
        kind: DocumentKind::UnemploymentCertificate,
        member: None,
    });
    assert_eq!(run(c, d(2026, 3, 20)), vec![]);
}

#[test]
fn returned_case_and_rescreen() {
    let mut c = case(5);
    c.returned = true;
    assert_eq!(
        run(c.clone(), d(2026, 3, 1)),
        vec![(K::ReturnedCase, 0, None)]
    );
    c.returned = false;
    c.rescreen_changed = true;
    assert_eq!(run(c, d(2026, 3, 1)), vec![(K::Rescreen, 0, None)]);
}

#[test]
fn exit_follow_up_at_3_6_and_12_months() {
    // Exit on 31 January 2026: 3 months is 30 April (no 31 April), 6 months
    // 31 July, 12 months 31 January 2027.
    let rows: Vec<(&str, Option<NaiveDate>, NaiveDate, Vec<_>)> = vec![
        ("29 April: not yet", None, d(2026, 4, 29), vec![]),
        (
            "30 April: 3 months",
            None,
            d(2026, 4, 30),
            vec![(K::ExitFollowUp, 0, Some(3))],
        ),
        (
            "checked on 2 May",
            Some(d(2026, 5, 2)),
            d(2026, 6, 1),
            vec![],
        ),
        // Checked 2 May; 6 months due 31 Jul; 31 Jul → 5 Aug = 5 days.
        (
            "6 months",
            Some(d(2026, 5, 2)),
            d(2026, 8, 5),
            vec![(K::ExitFollowUp, 5, Some(6))],
        ),
        // The 3-month check never happened: only the latest milestone shows.
        (
            "3 missed, 6 due",
            None,
            d(2026, 8, 5),
            vec![(K::ExitFollowUp, 5, Some(6))],
        ),
        // 31 Jan 2027 → 1 Feb 2027 = 1 day.
        (
            "12 months",
            Some(d(2026, 8, 1)),
            d(2027, 2, 1),
            vec![(K::ExitFollowUp, 1, Some(12))],
        ),
        (
            "after the 12-month check",
            Some(d(2027, 2, 1)),
            d(2028, 1, 1),
            vec![],
        ),
    ];
    for (name, checked, date, want) in rows {
        let h = hid(6);
        let mut c = case(6);
        c.exits.push(exit(h, d(2026, 1, 31)));
        if let Some(on) = checked {
            c.visits.push(visit(h, on, &[Check::ExitFollowUp]));
        }
        assert_eq!(run(c, date), want, "{name}");
    }
    // Back in assistance under a new plan signed after the exit: no exit
    // follow-up, the new plan's reasons instead. An old plan from before
    // the exit is closed by it (its overdue measure is not listed).
    let h = hid(6);
    let mut c = case(6);
    c.exits.push(exit(h, d(2026, 1, 31)));
    c.plans.push(plan(h, d(2025, 6, 1), d(2025, 7, 1), &[]));
    assert_eq!(
        run(c.clone(), d(2026, 5, 1)),
        vec![(K::ExitFollowUp, 1, Some(3))]
    );
    let mut back = plan(h, d(2026, 4, 1), d(2026, 5, 1), &[]);
    back.measures[0].status = MeasureStatus::InProgress;
    c.plans.push(back);
    assert_eq!(run(c, d(2026, 5, 11)), vec![(K::MeasureOverdue, 10, None)]);
}

#[test]
fn next_visit_due() {
    let h = hid(7);
    let mut c = case(7);
    let mut v = visit(h, d(2026, 3, 1), &[]);
    v.next_visit = Some(d(2026, 4, 1));
    c.visits.push(v);
    assert_eq!(run(c.clone(), d(2026, 3, 31)), vec![]);
    // 1 Apr → 3 Apr = 2 days.
    assert_eq!(
        run(c.clone(), d(2026, 4, 3)),
        vec![(K::NextVisitDue, 2, None)]
    );
    // A later visit without a next date ends it.
    c.visits.push(visit(h, d(2026, 4, 2), &[]));
    assert_eq!(run(c, d(2026, 4, 3)), vec![]);
}

#[test]
fn long_stay_after_eight_quarters() {
    // Under a plan since 1 March 2024, measure done, no review dates.
    let h = hid(8);
    let mut c = case(8);
    let mut p = plan(h, d(2024, 3, 1), d(2024, 4, 1), &[]);
    p.measures[0].status = MeasureStatus::Done;
    c.plans.push(p);
    // 1 Mar 2024 → 28 Feb 2026: 23 months, 7 quarters.
    assert_eq!(run(c.clone(), d(2026, 2, 28)), vec![]);
    // 1 Mar 2026: 24 months, 8 quarters; 1 Mar 2024 → 1 Mar 2026 = 730 days.
    assert_eq!(
        run(c.clone(), d(2026, 3, 1)),
        vec![(K::LongStay, 730, Some(8))]
    );
    // A plan review 89 days before clears it; 90 days before does not.
    c.visits
        .push(visit(h, d(2025, 12, 2), &[Check::PlanReview]));
    assert_eq!(run(c.clone(), d(2026, 3, 1)), vec![]);
    c.visits[0].on = d(2025, 12, 1);
    assert_eq!(run(c, d(2026, 3, 1)), vec![(K::LongStay, 730, Some(8))]);
}

#[test]
fn the_list_is_ordered_by_urgency_then_waiting_time_then_id() {
    let date = d(2026, 6, 1);
    let mut overdue_short = case(10);
    overdue_short
        .plans
        .push(plan(hid(10), d(2026, 3, 1), d(2026, 5, 20), &[]));
    let mut overdue_long = case(11);
    overdue_long
        .plans
        .push(plan(hid(11), d(2026, 3, 1), d(2026, 4, 1), &[]));
    let mut returned = case(12);
    returned.returned = true;
    let mut exited = case(13);
    exited.exits.push(exit(hid(13), d(2026, 1, 1)));
    let mut tie_b = case(15);
    tie_b.rescreen_changed = true;
    let mut tie_a = case(14);
    tie_a.rescreen_changed = true;
    let nothing = case(16);
    let cases = vec![
        exited,
        tie_b,
        overdue_short,
        nothing,
        returned,
        overdue_long,
        tie_a,
    ];
    let list = visit_list(&cases, date, &VisitListSettings::default());
    let order: Vec<u128> = list.iter().map(|n| n.household_id.as_u128()).collect();
    assert_eq!(order, vec![12, 11, 10, 14, 15, 13]);
    // Within a household: most urgent first.
    let mut many = case(20);
    many.rescreen_changed = true;
    many.returned = true;
    many.plans.push(plan(
        hid(20),
        d(2026, 3, 1),
        d(2026, 4, 1),
        &[d(2026, 5, 1)],
    ));
    let kinds: Vec<_> = run(many, date).into_iter().map(|r| r.0).collect();
    assert_eq!(
        kinds,
        vec![
            K::ReturnedCase,
            K::MeasureOverdue,
            K::PlanReviewDue,
            K::Rescreen
        ]
    );
}
