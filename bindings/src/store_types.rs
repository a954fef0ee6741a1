//! The small records the store object takes and returns: its configuration,
//! staff, household summaries and outbox counts.

use crate::enums::{mirror_enum, FormStatus, Role};
use crate::scalars::{count, non_negative, to_system_time};
use std::time::SystemTime;
use uuid::Uuid;

/// How the store behaves.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct StoreConfig {
    /// Lock after this many seconds without a call (default five minutes).
    #[uniffi(default = 300)]
    pub idle_timeout_secs: i32,
    /// Rules signing keys (raw 32-byte Ed25519) the app trusts besides the
    /// registry's: a pack activated with `activateRulePack` is verified
    /// again against these when the store is opened.
    #[uniffi(default = [])]
    pub trusted_rule_keys: Vec<Vec<u8>>,
}

impl TryFrom<StoreConfig> for komek_core::store::StoreConfig {
    type Error = crate::KomekError;

    fn try_from(c: StoreConfig) -> Result<komek_core::store::StoreConfig, crate::KomekError> {
        let secs: u64 = non_negative("idleTimeoutSecs", i64::from(c.idle_timeout_secs))?;
        Ok(komek_core::store::StoreConfig {
            idle_timeout: std::time::Duration::from_secs(secs),
            ..komek_core::store::StoreConfig::default()
        })
    }
}

/// A staff member as the unlock screen lists them.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct StaffMember {
    pub id: Uuid,
    pub role: Role,
    pub display_name: String,
    /// Too many wrong PINs: a supervisor must reset the PIN.
    pub locked_out: bool,
}

impl From<komek_core::store::StaffMember> for StaffMember {
    fn from(s: komek_core::store::StaffMember) -> StaffMember {
        StaffMember {
            id: s.id,
            role: s.role.into(),
            display_name: s.display_name,
            locked_out: s.locked_out,
        }
    }
}

/// A stored household without personal data (the list screen).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct HouseholdSummary {
    pub id: Uuid,
    pub version: u32,
    pub status: FormStatus,
    pub updated_at: SystemTime,
}

impl From<komek_core::store::HouseholdSummary> for HouseholdSummary {
    fn from(s: komek_core::store::HouseholdSummary) -> HouseholdSummary {
        HouseholdSummary {
            id: s.id,
            version: s.version,
            status: s.status.into(),
            updated_at: to_system_time(s.updated_at),
        }
    }
}

/// How many sync operations are in each state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct OutboxCounts {
    /// Waiting to be sent to the registry.
    pub pending: i64,
    pub acked: i64,
    pub rejected: i64,
}

impl From<komek_core::store::OutboxCounts> for OutboxCounts {
    fn from(c: komek_core::store::OutboxCounts) -> OutboxCounts {
        OutboxCounts {
            pending: count(c.pending),
            acked: count(c.acked),
            rejected: count(c.rejected),
        }
    }
}

mirror_enum!(
    /// What an audit entry records. Grows as the store learns new actions:
    /// an app should show an unknown one by its `name` (ADR 0008).
    AuditAction => komek_core::store::AuditAction {
        Create, View, Edit, Finalize, Correct, Export, Forget, Unlock, UnlockFailed, StaffAdded,
        StaffReset, Enrol, Retention, RecordCreate, RecordEdit, RecordRevise, RecordFinalize,
    }
);

/// One entry of the tamper-evident audit trail (ids only, no personal data).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct AuditEntry {
    pub seq: i64,
    pub at: SystemTime,
    /// The staff member (the subject, for unlock attempts and staff changes).
    pub staff_id: Option<Uuid>,
    pub household_id: Option<Uuid>,
    pub action: AuditAction,
}

impl From<komek_core::store::AuditEntry> for AuditEntry {
    fn from(e: komek_core::store::AuditEntry) -> AuditEntry {
        AuditEntry {
            seq: e.seq,
            at: to_system_time(e.at),
            staff_id: e.staff_id,
            household_id: e.household_id,
            action: e.action.into(),
        }
    }
}
