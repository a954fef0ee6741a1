//! What enrolment and sync take and give back across the FFI: options,
//! progress (a foreign callback), a cancel handle, the report, and the cases
//! with the supervisors' decisions.
//!
//! The core's sync types (`komek_core::sync`) are plain Rust; these mirror
//! them as UniFFI records so Kotlin and Swift get typed values (no JSON), and
//! convert at one place each (`From` impls below).

use crate::enums::mirror_enum;
use crate::rule_pack::RulePackInfo;
use crate::scalars::{count, non_negative, IsoDate};
use crate::KomekError;
use komek_core::sync as core;
use std::time::Duration;
use uuid::Uuid;

/// How a sync behaves. The defaults (Kotlin `SyncOptions()`, Swift
/// `SyncOptions()`) suit 2G and are the core's.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SyncOptions {
    /// At most this many forms per push request.
    #[uniffi(default = 50)]
    pub batch_ops: i32,
    /// And at most about this many bytes per request (one form always goes).
    #[uniffi(default = 32768)]
    pub batch_bytes: i32,
    /// Attempts per request on network trouble before the sync gives up
    /// (with `KomekError.Network`; the next sync resumes).
    #[uniffi(default = 6)]
    pub max_attempts: i32,
    /// First retry delay, doubled on each retry up to `backoff_max_ms`.
    #[uniffi(default = 500)]
    pub backoff_base_ms: i32,
    #[uniffi(default = 30000)]
    pub backoff_max_ms: i32,
    /// Per-request timeout.
    #[uniffi(default = 60)]
    pub timeout_secs: i32,
    /// Events per pull page.
    #[uniffi(default = 200)]
    pub pull_limit: i32,
    /// Forget households the registry acknowledged longer ago than this many
    /// days (None: keep them).
    #[uniffi(default = None)]
    pub retention_days: Option<i32>,
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

impl TryFrom<&SyncOptions> for core::SyncConfig {
    type Error = KomekError;

    /// A negative number is `InvalidInput` naming the option; zero where at
    /// least one is needed counts as one.
    fn try_from(o: &SyncOptions) -> Result<core::SyncConfig, KomekError> {
        let n = |field: &str, v: i32| non_negative::<u64>(field, i64::from(v));
        let retention_days = o
            .retention_days
            .map(|d| n("retentionDays", d))
            .transpose()?;
        Ok(core::SyncConfig {
            batch_ops: non_negative::<usize>("batchOps", i64::from(o.batch_ops))?.max(1),
            batch_bytes: non_negative("batchBytes", i64::from(o.batch_bytes))?,
            max_attempts: non_negative::<u32>("maxAttempts", i64::from(o.max_attempts))?.max(1),
            backoff_base: Duration::from_millis(n("backoffBaseMs", o.backoff_base_ms)?),
            backoff_max: Duration::from_millis(n("backoffMaxMs", o.backoff_max_ms)?),
            timeout: Duration::from_secs(n("timeoutSecs", o.timeout_secs)?.max(1)),
            pull_limit: non_negative::<u32>("pullLimit", i64::from(o.pull_limit))?.max(1),
            retention: retention_days.map(|d| Duration::from_secs(d * 24 * 60 * 60)),
        })
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
    pub ops_done: i64,
    pub ops_total: i64,
    pub bytes_done: i64,
    pub bytes_total: i64,
}

impl From<core::SyncProgress> for SyncProgress {
    fn from(p: core::SyncProgress) -> SyncProgress {
        SyncProgress {
            phase: p.phase.into(),
            ops_done: count(p.ops_done),
            ops_total: count(p.ops_total),
            bytes_done: count(p.bytes_done),
            bytes_total: count(p.bytes_total),
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
    pub stored: i64,
    /// Forms it had stored before (the answer to an earlier push was lost).
    pub duplicates: i64,
    /// Forms it refused.
    pub rejected: Vec<RejectedForm>,
    /// Forms accepted but flagged for a person (sent against a changed case).
    pub flagged: i64,
    /// Case decisions and supervisor comments received.
    pub decisions: i64,
    pub comments: i64,
    /// Versions of the rule packs received and verified.
    pub rule_packs: Vec<String>,
    pub refused_rule_packs: Vec<RefusedRulePack>,
    /// Events of kinds this library does not know (a newer registry),
    /// skipped: the app should be updated.
    pub skipped_events: i64,
    /// The pack this sync made active for pre-checks, if it changed.
    pub activated_rule_pack: Option<RulePackInfo>,
    /// Request and response bodies, in bytes.
    pub bytes_up: i64,
    pub bytes_down: i64,
    /// HTTP requests made, retries included.
    pub requests: i64,
    /// Households forgotten by retention.
    pub forgotten: i64,
}

impl SyncReport {
    pub(crate) fn from_core(r: core::SyncReport, activated: Option<RulePackInfo>) -> SyncReport {
        SyncReport {
            stored: count(r.stored),
            duplicates: count(r.duplicates),
            rejected: RejectedForm::list(r.rejected),
            flagged: count(r.flagged),
            decisions: count(r.decisions),
            comments: count(r.comments),
            rule_packs: r.rule_packs,
            refused_rule_packs: r
                .refused_packs
                .into_iter()
                .map(|(version, reason)| RefusedRulePack { version, reason })
                .collect(),
            skipped_events: count(r.skipped_events),
            activated_rule_pack: activated,
            bytes_up: count(r.bytes_up),
            bytes_down: count(r.bytes_down),
            requests: count(r.requests),
            forgotten: count(r.forgotten),
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
    /// A case's status at the registry (the registry owns it). `Unknown`:
    /// a status a newer registry uses that this library does not know; show
    /// it as "update the app to see this status".
    CaseStatus => komek_core::sync::wire::CaseStatus {
        Received, UnderReview, Approved, Returned, Rejected, Unknown,
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
        let ours = core::SyncConfig::try_from(&SyncOptions::default()).unwrap();
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
            core::SyncConfig::try_from(&o).unwrap().retention,
            Some(Duration::from_secs(2 * 86_400))
        );
    }

    #[test]
    fn a_negative_option_is_invalid_input_naming_it() {
        let o = SyncOptions {
            timeout_secs: -1,
            ..SyncOptions::default()
        };
        let e = core::SyncConfig::try_from(&o).unwrap_err();
        assert_eq!(e.code_str(), "invalid_input");
        assert!(e.to_string().contains("timeoutSecs"), "{e}");
    }
}
