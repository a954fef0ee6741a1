//! An online copy of the SQLite database ([`SqliteStorage::backup_to`]),
//! taken while the registry serves, with SQLite's backup API.

use super::SqliteStorage;
use crate::storage::{Result, StorageError};
use rusqlite::backup::{Backup, StepResult};
use rusqlite::Connection;
use std::path::Path;
use std::time::Duration;

/// How far a copy's event numbers jump ahead: more events than a registry
/// publishes between two backups. Devices keep a pull cursor (the last
/// event number they saw); a registry restored from a copy must never hand
/// out a number a device may already have passed, or that device would
/// skip the new event (a decision, a comment, a rule pack) for good.
pub const EVENT_NUMBER_GAP: i64 = 1 << 32;

impl SqliteStorage {
    /// Copy the database to `dest` (a new file, 0600), consistent as of
    /// one moment, without stopping writers: the backup API copies every
    /// page from one read transaction of a reader connection (WAL: writers
    /// go on meanwhile). In the copy, the next event number is moved
    /// [`EVENT_NUMBER_GAP`] ahead, so a registry restored from it never
    /// reuses a number devices saw after the copy was taken. The copy is
    /// written beside `dest`, synced, then renamed into place: `dest` is
    /// never half written.
    pub fn backup_to(&self, dest: &Path) -> Result<()> {
        let io = |e: std::io::Error| StorageError::Other(format!("backup file: {e}"));
        if dest.exists() {
            return Err(StorageError::Conflict("the backup file exists already"));
        }
        let mut partial = dest.as_os_str().to_owned();
        partial.push(".partial");
        let partial = std::path::PathBuf::from(partial);
        let _ = std::fs::remove_file(&partial);
        crate::secrets::create_private_file(&partial).map_err(io)?;
        let mut copy = Connection::open(&partial)?;
        self.read(|source| {
            let backup = Backup::new(source, &mut copy)?;
            // Every page in one step: one read transaction, one moment.
            for _ in 0..100 {
                match backup.step(-1)? {
                    StepResult::Done => return Ok(()),
                    StepResult::More | StepResult::Busy | StepResult::Locked => {
                        std::thread::sleep(Duration::from_millis(50))
                    }
                    _ => std::thread::sleep(Duration::from_millis(50)),
                }
            }
            Err(StorageError::Unavailable(
                "the database stayed locked during the backup".into(),
            ))
        })?;
        let tx = copy.transaction()?;
        tx.execute(
            "INSERT INTO sqlite_sequence (name, seq)
             SELECT 'events', 0 WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'events')",
            [],
        )?;
        tx.execute(
            "UPDATE sqlite_sequence SET seq = seq + ?1 WHERE name = 'events'",
            [EVENT_NUMBER_GAP],
        )?;
        tx.commit()?;
        // One file: no `-wal` beside it.
        copy.pragma_update(None, "journal_mode", "DELETE")?;
        drop(copy);
        std::fs::File::open(&partial)
            .and_then(|f| f.sync_all())
            .map_err(io)?;
        std::fs::rename(&partial, dest).map_err(io)?;
        if let Some(dir) = dest.parent() {
            std::fs::File::open(dir)
                .and_then(|d| d.sync_all())
                .map_err(io)?;
        }
        Ok(())
    }
}
