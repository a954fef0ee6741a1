//! Pre-check speed: one household of 6 members with 10 income items through
//! every programme (target: median well under 20 µs), and the text rendering.
//!
//! Run: `cargo bench -p komek-core --bench rules`

use chrono::NaiveDate;
use criterion::{black_box, criterion_group, criterion_main, Criterion};
use komek_core::l10n::Lang;
use komek_core::rules::selfcheck::{to_household, SelfCheckInput};
use komek_core::rules::{default_pack, evaluate, render::render_text};

const FAMILY: &str = r#"{
    "region": "aktobe",
    "tenure": "rent",
    "monthly_rent": 6000000,
    "deposits": 90000000,
    "cars": 2,
    "livestock_head": 12,
    "loans": [{"purpose": "food", "outstanding": 15000000}],
    "members": [
        {"relation": "head", "age": 36, "sex": "male", "activity": "employed",
         "incomes": [{"kind": "wages", "monthly": 9000000}]},
        {"relation": "spouse", "age": 33, "sex": "female", "activity": "homemaker",
         "incomes": [{"kind": "large_family_allowance", "monthly": 6932975},
                     {"kind": "childcare_benefit", "monthly": 2491200}]},
        {"relation": "child", "age": 12, "disability": "child",
         "incomes": [{"kind": "child_disability_benefit", "monthly": 8187100}]},
        {"relation": "child", "age": 9},
        {"relation": "child", "age": 5},
        {"relation": "child", "birth_date": "2025-10-20"}
    ]
}"#;

fn bench(c: &mut Criterion) {
    let date = NaiveDate::from_ymd_opt(2026, 2, 10).unwrap_or_default();
    let input: SelfCheckInput = serde_json::from_str(FAMILY).unwrap_or_default();
    let Ok(mut household) = to_household(&input, date) else {
        panic!("the bench's answers are within every bound");
    };
    // 10 income items: 4 kinds × 3 months = 12 from the answers; keep 10.
    household.incomes.truncate(10);
    let pack = default_pack();
    c.bench_function("evaluate: 6 members, 10 incomes, all programmes", |b| {
        b.iter(|| evaluate(black_box(&household), black_box(pack), black_box(date)))
    });
    let report = evaluate(&household, pack, date);
    c.bench_function("render_text ru", |b| {
        b.iter(|| render_text(black_box(&report), Lang::Ru))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
