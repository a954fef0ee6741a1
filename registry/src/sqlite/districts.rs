//! Districts, centres and scoped reads on SQLite ([`crate::scope`]): the
//! schema step that brings them (migration 6) and [`ScopedStorage`] for
//! [`SqliteStorage`]. Kept apart from the ingest path in `sqlite.rs`.

use super::{case_row, device_row, SqliteStorage, CASE_COLUMNS, DEVICE_COLUMNS};
use crate::scope::{
    AuditPage, CasePage, CaseQuery, CentreRow, DevicePage, Scope, ScopedStorage, StatusCounts,
};
use crate::storage::{transition_allowed, AuditRow, CaseRow, Decision, Result, StorageError};
use rusqlite::types::Value;
use rusqlite::{params, params_from_iter, OptionalExtension, Transaction};

/// Migration 6 (ADR 0011). Every centre known so far (from devices and
/// enrolment codes, and the default centre) goes into the default district
/// `''`; every supervisor becomes national (each saw every case until now:
/// narrowing them here would empty a working office's queue without anyone
/// deciding it); a case takes the centre of its device and the default
/// district. A district's queue is one index range.
pub(super) const MIGRATION: &str = "
CREATE TABLE districts (name TEXT PRIMARY KEY, created_at INTEGER NOT NULL);
INSERT INTO districts (name, created_at) VALUES ('', 0);
CREATE TABLE centres (
    name TEXT PRIMARY KEY,
    district TEXT NOT NULL REFERENCES districts(name));
INSERT OR IGNORE INTO centres (name, district) VALUES ('', '');
INSERT OR IGNORE INTO centres (name, district) SELECT DISTINCT centre, '' FROM devices;
INSERT OR IGNORE INTO centres (name, district) SELECT DISTINCT centre, '' FROM enrolment_codes;
ALTER TABLE supervisors ADD COLUMN scope_kind TEXT NOT NULL DEFAULT 'national';
ALTER TABLE supervisors ADD COLUMN scope_name TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN centre TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN district TEXT NOT NULL DEFAULT '';
UPDATE cases SET centre = COALESCE((SELECT centre FROM devices WHERE devices.id = cases.device_id), '');
CREATE INDEX cases_district ON cases(district, status, updated_at, case_id);
CREATE INDEX cases_district_updated ON cases(district, updated_at, case_id);
CREATE INDEX cases_centre ON cases(centre, status, updated_at, case_id);
CREATE INDEX cases_updated ON cases(updated_at, case_id);
CREATE INDEX devices_centre ON devices(centre, enrolled_at);
";

/// A centre named for the first time (by an enrolment code) goes into the
/// default district.
pub(super) fn ensure_centre(tx: &Transaction<'_>, centre: &str) -> Result<()> {
    tx.execute(
        "INSERT OR IGNORE INTO centres (name, district) VALUES (?1, '')",
        [centre],
    )?;
    Ok(())
}

fn audit(tx: &Transaction<'_>, now: i64, by: &str, action: &str, subject: &str) -> Result<()> {
    tx.execute(
        "INSERT INTO audit (at, actor, action, subject) VALUES (?1, ?2, ?3, ?4)",
        params![now, by, action, subject],
    )?;
    Ok(())
}

/// The condition (with its parameters) that keeps a table's rows in
/// `scope`; `centre` and `district` name its columns.
fn scope_filter(scope: &Scope, centre: &str, district: &str) -> (String, Vec<Value>) {
    match scope {
        Scope::National => ("1".into(), vec![]),
        Scope::District(d) => (format!("{district} = ?"), vec![Value::Text(d.clone())]),
        Scope::Centre(c) => (format!("{centre} = ?"), vec![Value::Text(c.clone())]),
    }
}

fn check_scope_exists(tx: &Transaction<'_>, scope: &Scope) -> Result<()> {
    let found = match scope {
        Scope::National => true,
        Scope::District(d) => tx
            .query_row("SELECT 1 FROM districts WHERE name = ?1", [d], |_| Ok(()))
            .optional()?
            .is_some(),
        Scope::Centre(c) => tx
            .query_row("SELECT 1 FROM centres WHERE name = ?1", [c], |_| Ok(()))
            .optional()?
            .is_some(),
    };
    if found {
        Ok(())
    } else {
        Err(StorageError::NotFound)
    }
}

impl ScopedStorage for SqliteStorage {
    fn add_district(&self, name: &str, by: &str, now: i64) -> Result<()> {
        self.write(|tx| {
            let n = tx.execute(
                "INSERT OR IGNORE INTO districts (name, created_at) VALUES (?1, ?2)",
                params![name, now],
            )?;
            if n == 0 {
                return Err(StorageError::Conflict("a district with this name exists"));
            }
            audit(tx, now, by, "district_added", name)
        })
    }

    fn districts(&self) -> Result<Vec<String>> {
        self.read(|c| {
            let mut stmt = c.prepare_cached("SELECT name FROM districts ORDER BY name")?;
            let rows = stmt.query_map([], |r| r.get(0))?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })
    }

    fn put_centre(&self, centre: &str, district: &str, by: &str, now: i64) -> Result<()> {
        self.write(|tx| {
            check_scope_exists(tx, &Scope::District(district.to_string()))?;
            tx.execute(
                "INSERT INTO centres (name, district) VALUES (?1, ?2)
                 ON CONFLICT(name) DO UPDATE SET district = excluded.district",
                params![centre, district],
            )?;
            tx.execute(
                "UPDATE cases SET district = ?1 WHERE centre = ?2 AND district <> ?1",
                params![district, centre],
            )?;
            audit(
                tx,
                now,
                by,
                "centre_placed",
                &format!("centre {centre:?} in district {district:?}"),
            )
        })
    }

    fn centres(&self) -> Result<Vec<CentreRow>> {
        self.read(|c| {
            let mut stmt = c.prepare_cached("SELECT name, district FROM centres ORDER BY name")?;
            let rows = stmt.query_map([], |r| {
                Ok(CentreRow {
                    name: r.get(0)?,
                    district: r.get(1)?,
                })
            })?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })
    }

    fn add_supervisor_in(
        &self,
        name: &str,
        password_hash: &str,
        scope: Option<&Scope>,
        now: i64,
    ) -> Result<()> {
        self.write(|tx| {
            tx.execute(
                "INSERT INTO supervisors (name, password_hash, created_at) VALUES (?1, ?2, ?3)
                 ON CONFLICT(name) DO UPDATE SET password_hash = excluded.password_hash",
                params![name, password_hash, now],
            )?;
            if let Some(scope) = scope {
                check_scope_exists(tx, scope)?;
                let (kind, scope_name) = scope.to_parts();
                tx.execute(
                    "UPDATE supervisors SET scope_kind = ?1, scope_name = ?2 WHERE name = ?3",
                    params![kind, scope_name, name],
                )?;
            }
            // A new password ends every session of the old one.
            tx.execute("DELETE FROM sessions WHERE name = ?1", [name])?;
            let scope = tx.query_row(
                "SELECT scope_kind, scope_name FROM supervisors WHERE name = ?1",
                [name],
                |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)),
            )?;
            let subject = match Scope::from_parts(&scope.0, &scope.1) {
                Some(s) => format!("{name} ({s})"),
                None => name.to_string(),
            };
            audit(tx, now, "registry", "supervisor_added", &subject)
        })
    }

    fn supervisor_scope(&self, name: &str) -> Result<Option<Scope>> {
        self.read(|c| {
            let parts: Option<(String, String)> = c
                .prepare_cached("SELECT scope_kind, scope_name FROM supervisors WHERE name = ?1")?
                .query_row([name], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?;
            parts
                .map(|(kind, n)| {
                    Scope::from_parts(&kind, &n)
                        .ok_or_else(|| StorageError::Corrupt("unknown supervisor scope".into()))
                })
                .transpose()
        })
    }

    fn case_page(&self, scope: &Scope, q: &CaseQuery) -> Result<CasePage> {
        let (filter, scope_params) = scope_filter(scope, "centre", "district");
        self.read(|c| {
            let mut counts = StatusCounts::default();
            {
                let mut stmt = c.prepare_cached(&format!(
                    "SELECT status, count(*) FROM cases WHERE {filter} GROUP BY status"
                ))?;
                let mut rows = stmt.query(params_from_iter(scope_params.iter()))?;
                while let Some(r) = rows.next()? {
                    let status = super::status(r.get(0)?)?;
                    counts.add(status, u64::try_from(r.get::<_, i64>(1)?).unwrap_or(0));
                }
            }
            let mut sql = format!("SELECT {CASE_COLUMNS} FROM cases WHERE {filter}");
            let mut values = scope_params.clone();
            if let Some(status) = q.status {
                sql.push_str(" AND status = ?");
                values.push(Value::Text(status.as_str().into()));
            }
            if let Some(after) = q.after {
                sql.push_str(" AND (updated_at, case_id) > (?, ?)");
                values.push(Value::Integer(after.updated_at));
                values.push(Value::Blob(after.case_id.as_bytes().to_vec()));
            }
            sql.push_str(" ORDER BY updated_at, case_id LIMIT ?");
            values.push(Value::Integer(i64::from(q.limit) + 1));
            let mut stmt = c.prepare_cached(&sql)?;
            let rows = stmt.query_map(params_from_iter(values.iter()), case_row)?;
            let mut cases: Vec<CaseRow> = rows.collect::<rusqlite::Result<_>>()?;
            let more = cases.len() > q.limit as usize;
            cases.truncate(q.limit as usize);
            let next = if more {
                cases.last().map(crate::scope::CaseCursor::after)
            } else {
                None
            };
            Ok(CasePage {
                cases,
                counts,
                next,
            })
        })
    }

    fn decide_in(&self, scope: &Scope, d: &Decision, now: i64) -> Result<CaseRow> {
        self.write(|tx| {
            let mut case = tx
                .query_row(
                    &format!("SELECT {CASE_COLUMNS} FROM cases WHERE case_id = ?1"),
                    [d.case_id.as_bytes()],
                    case_row,
                )
                .optional()?
                .ok_or(StorageError::NotFound)?;
            // Before anything else about the case is looked at.
            if !scope.covers(&case.centre, &case.district) {
                return Err(StorageError::OutOfScope);
            }
            if case.version != d.version {
                return Err(StorageError::Conflict(
                    "a newer version of the case arrived: open it again",
                ));
            }
            if !transition_allowed(case.status, d.to) {
                return Err(StorageError::Conflict(
                    "this decision is not allowed from the case's status",
                ));
            }
            case.status = d.to;
            case.flagged = false;
            case.updated_at = now;
            tx.execute(
                "UPDATE cases SET status = ?1, flagged = 0, updated_at = ?2 WHERE case_id = ?3",
                params![case.status.as_str(), now, d.case_id.as_bytes()],
            )?;
            super::decision_event(tx, &case)?;
            if let Some(sealed) = &d.sealed_comment {
                tx.execute(
                    "INSERT INTO events (recipient, kind, case_id, version, payload) VALUES (?1, 'comment', ?2, ?3, ?4)",
                    params![case.device_id.as_bytes(), d.case_id.as_bytes(), case.version, sealed],
                )?;
            }
            audit(
                tx,
                now,
                &d.supervisor,
                d.to.as_str(),
                &d.case_id.to_string(),
            )?;
            Ok(case)
        })
    }

    fn device_page(&self, scope: &Scope, limit: u32, offset: u64) -> Result<DevicePage> {
        let (filter, scope_params) = scope_filter(scope, "d.centre", "COALESCE(c.district, '')");
        let offset = i64::try_from(offset).map_err(|_| StorageError::OutOfRange("offset"))?;
        self.read(|conn| {
            let from =
                format!("FROM devices d LEFT JOIN centres c ON c.name = d.centre WHERE {filter}");
            let total: i64 = conn
                .prepare_cached(&format!("SELECT count(*) {from}"))?
                .query_row(params_from_iter(scope_params.iter()), |r| r.get(0))?;
            let columns = DEVICE_COLUMNS
                .split(", ")
                .map(|col| format!("d.{col}"))
                .collect::<Vec<_>>()
                .join(", ");
            let mut values = scope_params.clone();
            values.push(Value::Integer(i64::from(limit)));
            values.push(Value::Integer(offset));
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT {columns}, COALESCE(c.district, '') {from}
                 ORDER BY d.enrolled_at, d.rowid LIMIT ? OFFSET ?"
            ))?;
            let rows = stmt.query_map(params_from_iter(values.iter()), |r| {
                Ok((device_row(&self.key, r)?, r.get::<_, String>(7)?))
            })?;
            Ok(DevicePage {
                devices: rows.collect::<rusqlite::Result<_>>()?,
                total: u64::try_from(total).unwrap_or(0),
            })
        })
    }

    fn audit_page(&self, after: i64, limit: u32) -> Result<AuditPage> {
        self.read(|c| {
            let mut stmt = c.prepare_cached(
                "SELECT seq, at, actor, action, subject FROM audit WHERE seq > ?1 ORDER BY seq LIMIT ?2",
            )?;
            let rows = stmt.query_map(params![after, i64::from(limit) + 1], |r| {
                Ok(AuditRow {
                    seq: r.get(0)?,
                    at: r.get(1)?,
                    actor: r.get(2)?,
                    action: r.get(3)?,
                    subject: r.get(4)?,
                })
            })?;
            let mut rows: Vec<AuditRow> = rows.collect::<rusqlite::Result<_>>()?;
            let more = rows.len() > limit as usize;
            rows.truncate(limit as usize);
            let next = if more { rows.last().map(|r| r.seq) } else { None };
            Ok(AuditPage { rows, next })
        })
    }
}
