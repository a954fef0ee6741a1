//! Exactly once under faults: 520 randomized sync attempts through a link
//! that cuts connections at random byte offsets (requests and responses),
//! with the registry killed and restarted mid-sync now and then. At the end
//! the registry holds every finalized form exactly once and both devices hold
//! every decision. The code is `komek_tests::faults`, shared with the soak
//! binary (`soak sync-faults 1000`, docs/reliability.md).

const ATTEMPTS: usize = 520;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nothing_lost_nothing_doubled_under_cuts_and_restarts() {
    let s = komek_tests::faults::run(ATTEMPTS, 7).await;
    eprintln!("{s:?}");
    assert!(
        s.cuts >= 60 && s.failed >= 5 && s.restarts >= 8 && s.duplicates > 0,
        "the faults did not happen: {s:?}"
    );
}
