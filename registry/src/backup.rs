//! `komek registry backup`: a registry's data directory copied while it
//! serves, as a data directory of its own (its key file and an online copy
//! of its SQLite database), so that restoring is serving from the copy.
//!
//! PostgreSQL is backed up with PostgreSQL's tools (`pg_dump`, continuous
//! archiving), and the key file copied beside it: docs/deployment.md.
//! Either way, after a restore devices continue exactly once: what they
//! push again is stored once or answered duplicate (the ledger came back
//! with the data), and event numbers jump ahead of any a device saw
//! ([`crate::sqlite::EVENT_NUMBER_GAP`]).

use crate::{keys, secrets, RegistryError, SqliteStorage};
use std::path::Path;

/// The key file's name in a data directory.
const KEY_FILE: &str = "registry-keys.json";
/// The SQLite database's name in a data directory.
const DATABASE: &str = "registry.sqlite";

/// Copy the registry in `data_dir` (SQLite) into `to`, a new directory
/// (0700; its files 0600), while the registry may be serving. `to` must
/// not exist, or be empty.
pub fn backup(data_dir: &Path, to: &Path) -> Result<(), RegistryError> {
    let key_file = data_dir.join(KEY_FILE);
    let database = data_dir.join(DATABASE);
    if !key_file.is_file() || !database.is_file() {
        return Err(RegistryError::Backup(
            "the data directory holds no registry (key file and registry.sqlite)",
        ));
    }
    if to.exists()
        && std::fs::read_dir(to)
            .map(|mut d| d.next().is_some())
            .unwrap_or(true)
    {
        return Err(RegistryError::Backup(
            "the backup directory exists and is not empty",
        ));
    }
    secrets::private_dir(to)?;
    let keys = keys::RegistryKeys::load_or_create(data_dir)?;
    // The key file first: a copy with a database but no key is useless.
    let copied_key = to.join(KEY_FILE);
    std::fs::copy(&key_file, &copied_key)?;
    secrets::private_file(&copied_key)?;
    std::fs::File::open(&copied_key)?.sync_all()?;
    let storage = SqliteStorage::open(&database, keys.storage.clone())?;
    storage.backup_to(&to.join(DATABASE))?;
    Ok(())
}
