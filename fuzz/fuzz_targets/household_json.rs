//! Household JSON from outside: an intake form and the applicant's answers
//! (`komek check FILE`, the self-check on a phone). Whatever parses is
//! validated and evaluated as the CLI does, so bounds and rules see it too.
#![no_main]

use chrono::NaiveDate;
use komek_core::model::Household;
use komek_core::rules::{default_pack, evaluate, self_check, SelfCheckInput};
use komek_core::validate::validate;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let date = NaiveDate::from_ymd_opt(2026, 2, 10).unwrap_or_default();
    if let Ok(form) = serde_json::from_slice::<Household>(data) {
        let _ = validate(&form, date);
        let _ = evaluate(&form, default_pack(), date);
    }
    if let Ok(answers) = serde_json::from_slice::<SelfCheckInput>(data) {
        let _ = self_check(&answers, default_pack(), date);
    }
});
