//! What enrolment and sync take and give back across the FFI: options,
//! progress (a foreign callback), a cancel handle, the report, and the cases
//! with the supervisors' decisions.
//!
//! The core's sync types (`komek_core::sync`) are plain Rust; these mirror
//! them as UniFFI records so Kotlin and Swift get typed values (no JSON), and
//! convert at one place each (`From` impls below).

use crate::enums::mirror_enum;
use crate::rule_pack::RulePackInfo;
use crate::scalars::IsoDate;
use komek_core::sync as core;
use std::time::Duration;
use uuid::Uuid;

/// How a sync behaves. The defaults (Kotlin `SyncOptions()`, Swift
/// `SyncOptions()`) suit 2G and are the core's.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SyncOptions {
    /// At most this many forms per push request.
    #[uniffi(default = 50)]
    pub batch_ops: u32,
    /// And at most about this many bytes per request (one form always goes).
    #[uniffi(default = 32768)]
    pub batch_bytes: u32,
    /// Attempts per request on network trouble before the sync gives up
    /// (with `KomekError.Network`; the next sync resumes).
    #[uniffi(default = 6)]
    pub max_attempts: u32,
    /// First retry delay, doubled on each retry up to `backoff_max_ms`.
    #[uniffi(default = 500)]
    pub backoff_base_ms: u32,
    #[uniffi(default = 30000)]
    pub backoff_max_ms: u32,
    /// Per-request timeout.
    #[uniffi(default = 60)]
    pub timeout_secs: u32,
    /// Events per pull page.
    #[uniffi(default = 200)]
    pub pull_limit: u32,
    /// Forget households the registry acknowledged longer ago than this many
    /// days (None: keep them).
    #[uniffi(default = None)]
    pub retention_days: Option<u32>,
    /// The date against which received rule packs are checked before one is
    /// activated (None: the device's local date).
    #[uniffi(default = None)]
    pub today: Option<IsoDate>,
}

impl Default for SyncOptions {
    fn default() -> SyncOptions {
        SyncOptions {
            batch_ops: 50,
            batch_bytes: 32 * 1024,
            max_attempts: 6,
            backoff_base_ms: 500,
            backoff_max_ms: 30_000,
            timeout_secs: 60,
            pull_limit: 200,
            retention_days: None,
            today: None,
        }
    }
}

impl From<&SyncOptions> for core::SyncConfig {
    fn from(o: &SyncOptions) -> core::SyncConfig {
        core::SyncConfig {
            batch_ops: o.batch_ops.max(1) as usize,
            batch_bytes: o.batch_bytes as usize,
            max_attempts: o.max_attempts.max(1),
            backoff_base: Duration::from_millis(u64::from(o.backoff_base_ms)),
            backoff_max: Duration::from_millis(u64::from(o.backoff_max_ms)),
            timeout: Duration::from_secs(u64::from(o.timeout_secs.max(1))),
            pull_limit: o.pull_limit.max(1),
            retention: o
                .retention_days
                .map(|d| Duration::from_secs(u64::from(d) * 24 * 60 * 60)),
        }
    }
}

mirror_enum!(
    /// Where a sync is: sealing new forms, pushing them, pulling decisions,
    /// comments and rule packs, done.
    SyncPhase => komek_core::sync::Phase { Sealing, Pushing, Pulling, Done }
);

/// Progress of a sync: forms and bytes pushed of the total of this sync.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct SyncProgress {
    pub phase: SyncPhase,
    pub ops_done: u64,
    pub ops_total: u64,
    pub bytes_done: u64,
    pub bytes_total: u64,
}

impl From<core::SyncProgress> for SyncProgress {
    fn from(p: core::SyncProgress) -> SyncProgress {
        SyncProgress {
            phase: p.phase.into(),
            ops_done: p.ops_done,
            ops_total: p.ops_total,
            bytes_done: p.bytes_done,
            bytes_total: p.bytes_total,
        }
    }
}

/// Receives sync progress; implemented by the app (a progress bar, WorkManager
/// `setProgress`). Called on a background thread, in order, while the sync
/// runs: keep it quick and hop to the UI thread yourself. What it throws is
/// logged and ignored: a broken progress bar must not stop a sync.
#[uniffi::export(with_foreign)]
pub trait SyncListener: Send + Sync {
    fn on_progress(&self, progress: SyncProgress) -> Result<(), crate::KomekError>;
}

/// The app's listener seen as the core's progress receiver.
pub(crate) struct ListenerAdapter(pub(crate) std::sync::Arc<dyn SyncListener>);

impl core::Progress for ListenerAdapter {
    fn on_progress(&self, progress: core::SyncProgress) {
        if self.0.on_progress(progress.into()).is_err() {
            log::warn!("sync listener failed; ignored");
        }
    }
}

/// Cancels a running sync (a "Stop" button, the worker being stopped). The
/// sync stops at its next step and throws `KomekError.Cancelled`; what the
/// registry acknowledged stays acknowledged, the rest is sent next time.
/// Cancelling the Kotlin coroutine or the Swift task does the same.
#[derive(Default, uniffi::Object)]
pub struct SyncCancel {
    pub(crate) token: core::CancelToken,
}

#[uniffi::export]
impl SyncCancel {
    #[uniffi::constructor]
    pub fn new() -> std::sync::Arc<SyncCancel> {
        std::sync::Arc::new(SyncCancel::default())
    }

    /// Ask the sync to stop. Safe from any thread, more than once.
    pub fn cancel(&self) {
        self.token.cancel()
    }

    pub fn is_cancelled(&self) -> bool {
        self.token.is_cancelled()
    }
}

/// A form the registry refused (it stays `rejected` in the outbox).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct RejectedForm {
    /// The form's outbox sequence number.
    pub device_seq: i64,
    /// The registry's stable code (`invalid_form`, `seq_conflict`, ...).
    pub code: String,
}

impl RejectedForm {
    /// The core's (outbox sequence, code) pairs as records.
    pub(crate) fn list(rejected: Vec<(i64, String)>) -> Vec<RejectedForm> {
        rejected
            .into_iter()
            .map(|(device_seq, code)| RejectedForm { device_seq, code })
            .collect()
    }
}

/// A rule pack received by sync that this device refused.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct RefusedRulePack {
    pub version: String,
    /// Why (signature, format); holds no personal data.
    pub reason: String,
}

/// What one sync did.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SyncReport {
    /// Forms the registry stored in this sync.
    pub stored: u64,
    /// Forms it had stored before (the answer to an earlier push was lost).
    pub duplicates: u64,
    /// Forms it refused.
    pub rejected: Vec<RejectedForm>,
    /// Forms accepted but flagged for a person (sent against a changed case).
    pub flagged: u64,
    /// Case decisions and supervisor comments received.
    pub decisions: u64,
    pub comments: u64,
    /// Versions of the rule packs received and verified.
    pub rule_packs: Vec<String>,
    pub refused_rule_packs: Vec<RefusedRulePack>,
    /// The pack this sync made active for pre-checks, if it changed.
    pub activated_rule_pack: Option<RulePackInfo>,
    /// Request and response bodies, in bytes.
    pub bytes_up: u64,
    pub bytes_down: u64,
    /// HTTP requests made, retries included.
    pub requests: u64,
    /// Households forgotten by retention.
    pub forgotten: u64,
}

impl SyncReport {
    pub(crate) fn from_core(r: core::SyncReport, activated: Option<RulePackInfo>) -> SyncReport {
        SyncReport {
            stored: r.stored,
            duplicates: r.duplicates,
            rejected: RejectedForm::list(r.rejected),
            flagged: r.flagged,
            decisions: r.decisions,
            comments: r.comments,
            rule_packs: r.rule_packs,
            refused_rule_packs: r
                .refused_packs
                .into_iter()
                .map(|(version, reason)| RefusedRulePack { version, reason })
                .collect(),
            activated_rule_pack: activated,
            bytes_up: r.bytes_up,
            bytes_down: r.bytes_down,
            requests: r.requests,
            forgotten: r.forgotten,
        }
    }
}

/// Who this device is to its registry (no keys).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Enrolment {
    pub device_id: Uuid,
    pub registry_id: Uuid,
    pub registry_url: String,
}

impl From<&komek_core::store::SyncIdentity> for Enrolment {
    fn from(i: &komek_core::store::SyncIdentity) -> Enrolment {
        Enrolment {
            device_id: i.device_id,
            registry_id: i.registry_id,
            registry_url: i.registry_url.clone(),
        }
    }
}

mirror_enum!(
    /// A case's status at the registry (the registry owns it).
    CaseStatus => komek_core::sync::wire::CaseStatus {
        Received, UnderReview, Approved, Returned, Rejected,
    }
);

/// What the registry said about a household this device sent.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct CaseInfo {
    /// The household's id.
    pub case_id: Uuid,
    /// The version the decision is about.
    pub version: u32,
    pub status: CaseStatus,
    /// A person must look at it (an edit arrived against a changed case).
    pub flagged: bool,
    /// Supervisors' comments, oldest first. Personal data: show, never log.
    pub comments: Vec<String>,
}

impl From<komek_core::store::CaseInfo> for CaseInfo {
    fn from(c: komek_core::store::CaseInfo) -> CaseInfo {
        CaseInfo {
            case_id: c.case_id,
            version: c.version,
            status: c.status.into(),
            flagged: c.flagged,
            comments: c.comments,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_options_are_the_core_defaults() {
        let ours = core::SyncConfig::from(&SyncOptions::default());
        let theirs = core::SyncConfig::default();
        assert_eq!(ours.batch_ops, theirs.batch_ops);
        assert_eq!(ours.batch_bytes, theirs.batch_bytes);
        assert_eq!(ours.max_attempts, theirs.max_attempts);
        assert_eq!(ours.backoff_base, theirs.backoff_base);
        assert_eq!(ours.backoff_max, theirs.backoff_max);
        assert_eq!(ours.timeout, theirs.timeout);
        assert_eq!(ours.pull_limit, theirs.pull_limit);
        assert_eq!(ours.retention, theirs.retention);
    }

    #[test]
    fn retention_days_become_seconds() {
        let o = SyncOptions {
            retention_days: Some(2),
            ..SyncOptions::default()
        };
        assert_eq!(
            core::SyncConfig::from(&o).retention,
            Some(Duration::from_secs(2 * 86_400))
        );
    }
}
