//! Crash safety of the device store: 200 SIGKILLs at random moments of a
//! process saving forms; every acknowledged save survives, intact, and the
//! file always opens. The code is `komek_tests::crash`, shared with the soak
//! binary (`soak store-crash 1000`, docs/reliability.md).

const KILLS: usize = 200;

#[test]
fn acknowledged_saves_survive_sigkill() {
    komek_tests::crash::child_if_asked();
    let s = komek_tests::crash::run(
        KILLS,
        7,
        &[
            "--exact",
            "acknowledged_saves_survive_sigkill",
            "--nocapture",
        ],
    );
    assert!(
        s.acknowledged >= KILLS,
        "the children saved too little to test anything"
    );
    println!(
        "{} kills, {} acknowledged saves, {} households",
        s.kills, s.acknowledged, s.households
    );
}
