//! Group commit for pushes on SQLite: pushes that arrive while the writer
//! is busy share one transaction and one fsync.
//!
//! One SQLite writer commits once per transaction, and each commit waits
//! for the disk (`synchronous=FULL`). Every push queues its work, then
//! waits for the writer; whoever gets the writer takes every push queued
//! so far (its own among them, unless an earlier writer took it), applies
//! each inside a savepoint of one transaction (a push refused `replayed`,
//! or failing, rolls back to its savepoint and leaves the others), commits
//! once, and only then answers every push of the group. So nothing is
//! answered before it is durable, a push's request number and forms are
//! still stored together or not at all, and under load the fsyncs are
//! shared instead of queued. With no contention a group is one push: the
//! same single commit as before.

use super::SqliteStorage;
use crate::storage::{IncomingOp, OpOutcome, Result, StorageError};
use rusqlite::{Connection, TransactionBehavior};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;
use std::sync::Mutex;
use uuid::Uuid;

type Answer = Result<Vec<OpOutcome>>;

/// One push waiting for the writer.
struct Job {
    device: Uuid,
    request_seq: u64,
    ops: Vec<IncomingOp>,
    now: i64,
    reply: mpsc::Sender<Answer>,
}

/// The pushes waiting for the writer, and how many groups were committed.
#[derive(Default)]
pub(super) struct PushQueue {
    jobs: Mutex<Vec<Job>>,
    commits: AtomicU64,
}

fn poisoned() -> StorageError {
    StorageError::Other("storage lock poisoned".into())
}

impl SqliteStorage {
    /// [`crate::Storage::apply_push`]: queue the push, then commit it with
    /// whatever else is queued, or take the answer of the writer that did.
    pub(super) fn push_grouped(
        &self,
        device: Uuid,
        request_seq: u64,
        ops: &[IncomingOp],
        now: i64,
    ) -> Answer {
        let (reply, answer) = mpsc::channel();
        self.pushes.jobs.lock().map_err(|_| poisoned())?.push(Job {
            device,
            request_seq,
            ops: ops.to_vec(),
            now,
            reply,
        });
        let mut conn = self.conn.lock().map_err(|_| poisoned())?;
        // An earlier writer took this push with its group: its answer was
        // sent after that group's commit, before the writer let go.
        if let Ok(done) = answer.try_recv() {
            return done;
        }
        let group = std::mem::take(&mut *self.pushes.jobs.lock().map_err(|_| poisoned())?);
        commit_group(&mut conn, group);
        self.pushes.commits.fetch_add(1, Ordering::Relaxed);
        drop(conn);
        answer
            .recv()
            .map_err(|_| StorageError::Other("a grouped push got no answer".into()))?
    }

    /// Groups of pushes committed so far (each one transaction, one fsync).
    pub fn push_commits(&self) -> u64 {
        self.pushes.commits.load(Ordering::Relaxed)
    }
}

/// One push inside the group's transaction, in a savepoint of its own:
/// its answer (a refusal or failure rolled back to the savepoint, the
/// others untouched), or the failure of the savepoint itself.
fn apply_in_savepoint(conn: &Connection, job: &Job) -> Result<Answer> {
    conn.execute_batch("SAVEPOINT push")?;
    let applied = SqliteStorage::bump_in(conn, job.device, job.request_seq).and_then(|()| {
        job.ops
            .iter()
            .map(|op| SqliteStorage::apply_one(conn, job.device, op, job.now))
            .collect::<Result<Vec<_>>>()
    });
    match applied {
        Ok(outcomes) => {
            conn.execute_batch("RELEASE push")?;
            Ok(Ok(outcomes))
        }
        Err(e) => {
            conn.execute_batch("ROLLBACK TO push; RELEASE push")?;
            Ok(Err(e))
        }
    }
}

/// Apply every job in one transaction, commit once, then answer each; if
/// the transaction cannot be made or committed, every job gets the
/// failure (nothing of the group is stored; devices retry).
fn commit_group(conn: &mut Connection, group: Vec<Job>) {
    let answers: Result<Vec<Answer>> = (|| {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let answers = group
            .iter()
            .map(|job| apply_in_savepoint(&tx, job))
            .collect::<Result<Vec<Answer>>>()?;
        tx.commit()?;
        Ok(answers)
    })();
    match answers {
        Ok(answers) => {
            for (job, answer) in group.into_iter().zip(answers) {
                // A caller gone meanwhile is no one to answer.
                let _ = job.reply.send(answer);
            }
        }
        Err(e) => {
            let text = e.to_string();
            for job in group {
                let _ = job.reply.send(Err(StorageError::Unavailable(format!(
                    "group commit: {text}"
                ))));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secrets::StorageKey;
    use crate::storage::{DeviceRecord, Storage};
    use std::sync::Arc;

    fn op(seq: u64, device: u8) -> IncomingOp {
        IncomingOp {
            device_seq: seq,
            op_id: Uuid::from_u64_pair(u64::from(device), seq),
            case_id: Uuid::from_u64_pair(u64::from(device) << 32, seq),
            version: 1,
            base_version: None,
            blob: vec![device, seq as u8],
            blob_hash: [seq as u8 ^ device; 32],
        }
    }

    /// Pushes queued while the writer is busy are committed as one group:
    /// each gets its own answer (a replayed one its refusal, the others
    /// their forms), every form is stored once, and one commit made it.
    #[test]
    fn pushes_waiting_for_the_writer_share_one_commit() {
        let dir = tempfile::tempdir().unwrap();
        let storage = Arc::new(
            SqliteStorage::open(
                &dir.path().join("r.sqlite"),
                StorageKey::derive(&[3; 32]).unwrap(),
            )
            .unwrap(),
        );
        let devices: Vec<Uuid> = (1..=6u8)
            .map(|n| {
                storage
                    .add_enrolment_code(&[n; 32], "", "sup", 0, i64::MAX)
                    .unwrap();
                let d = DeviceRecord {
                    id: Uuid::from_bytes([n; 16]),
                    public_key: vec![n; 32],
                    inbox_key: vec![n; 32],
                    label: String::new(),
                    centre: String::new(),
                    revoked: false,
                    last_seq: 0,
                };
                storage.enrol(&[n; 32], &d, 0).unwrap();
                d.id
            })
            .collect();
        // Device 6 has spent request number 5 already.
        storage.bump_request_seq(devices[5], 5).unwrap();
        let before = storage.push_commits();
        // Hold the writer while six pushes queue up behind it.
        let writer = storage.conn.lock().unwrap();
        let pushers: Vec<_> = devices
            .iter()
            .enumerate()
            .map(|(i, d)| {
                let (storage, d) = (storage.clone(), *d);
                std::thread::spawn(move || {
                    let n = i as u8 + 1;
                    storage.apply_push(d, 3, &[op(1, n), op(2, n)], 10)
                })
            })
            .collect();
        while storage.pushes.jobs.lock().unwrap().len() < devices.len() {
            std::thread::yield_now();
        }
        drop(writer);
        let answers: Vec<Answer> = pushers.into_iter().map(|p| p.join().unwrap()).collect();
        let stored = OpOutcome::Stored { flagged: false };
        for answer in &answers[..5] {
            assert_eq!(answer.as_ref().unwrap(), &vec![stored, stored]);
        }
        assert!(matches!(answers[5], Err(StorageError::Replayed)));
        assert_eq!(storage.push_commits() - before, 1, "one group, one commit");
        assert_eq!(storage.counts().unwrap(), (10, 10));
        assert_eq!(storage.device(devices[0]).unwrap().unwrap().last_seq, 3);
        assert_eq!(storage.device(devices[5]).unwrap().unwrap().last_seq, 5);
        // Sent again: duplicates, or replayed; nothing stored twice.
        let again = storage.apply_push(devices[0], 4, &[op(1, 1), op(2, 1)], 11);
        let duplicate = OpOutcome::Duplicate { flagged: false };
        assert_eq!(again.unwrap(), vec![duplicate, duplicate]);
        assert!(matches!(
            storage.apply_push(devices[1], 3, &[op(3, 2)], 11),
            Err(StorageError::Replayed)
        ));
        assert_eq!(storage.counts().unwrap(), (10, 10));
    }
}
