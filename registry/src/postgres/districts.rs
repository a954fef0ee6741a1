//! Districts, centres and scoped reads on PostgreSQL ([`crate::scope`]):
//! the schema step that brings them (migration 6, as on SQLite) and
//! [`ScopedStorage`] for [`PostgresStorage`]. A decision locks its case
//! (`FOR UPDATE`) and checks the scope under that lock; moving a centre
//! locks the centre's row, so a case inserted meanwhile reads the centre's
//! new district or waits for it.

use super::{
    audit_entry, case_row, corrupt, device_row, lock_events, status, PostgresStorage, TxResult,
    CASE_COLUMNS, DEVICE_COLUMNS,
};
use crate::scope::{
    AuditPage, CaseCursor, CasePage, CaseQuery, CentreRow, DevicePage, Scope, ScopedStorage,
    StatusCounts,
};
use crate::storage::{transition_allowed, AuditRow, CaseRow, Decision, Result, StorageError};
use postgres::types::ToSql;
use postgres::Transaction;

/// Migration 6 (ADR 0011): see `sqlite/districts.rs`, the same step.
pub(super) const MIGRATION: &str = "
CREATE TABLE districts (name TEXT PRIMARY KEY, created_at BIGINT NOT NULL);
INSERT INTO districts (name, created_at) VALUES ('', 0);
CREATE TABLE centres (
    name TEXT PRIMARY KEY,
    district TEXT NOT NULL REFERENCES districts(name));
INSERT INTO centres (name, district)
    SELECT '', '' UNION SELECT centre, '' FROM devices UNION SELECT centre, '' FROM enrolment_codes
    ON CONFLICT DO NOTHING;
ALTER TABLE supervisors ADD COLUMN scope_kind TEXT NOT NULL DEFAULT 'national';
ALTER TABLE supervisors ADD COLUMN scope_name TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN centre TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN district TEXT NOT NULL DEFAULT '';
UPDATE cases SET centre = d.centre FROM devices d WHERE d.id = cases.device_id;
CREATE INDEX cases_district ON cases(district, status, updated_at, case_id);
CREATE INDEX cases_district_updated ON cases(district, updated_at, case_id);
CREATE INDEX cases_centre ON cases(centre, status, updated_at, case_id);
CREATE INDEX devices_centre ON devices(centre, enrolled_at);
";

/// A centre named for the first time (by an enrolment code) goes into the
/// default district.
pub(super) fn ensure_centre(tx: &mut Transaction<'_>, centre: &str) -> TxResult<()> {
    tx.execute(
        "INSERT INTO centres (name, district) VALUES ($1, '') ON CONFLICT DO NOTHING",
        &[&centre],
    )?;
    Ok(())
}

/// The condition that keeps a table's rows in `scope` (its parameter is
/// number `n`); `centre` and `district` name its columns.
fn scope_filter(scope: &Scope, n: usize, centre: &str, district: &str) -> (String, Option<String>) {
    match scope {
        Scope::National => ("TRUE".into(), None),
        Scope::District(d) => (format!("{district} = ${n}"), Some(d.clone())),
        Scope::Centre(c) => (format!("{centre} = ${n}"), Some(c.clone())),
    }
}

fn check_scope_exists(tx: &mut Transaction<'_>, scope: &Scope) -> TxResult<()> {
    let found = match scope {
        Scope::National => true,
        Scope::District(d) => tx
            .query_opt("SELECT 1 FROM districts WHERE name = $1", &[d])?
            .is_some(),
        Scope::Centre(c) => tx
            .query_opt("SELECT 1 FROM centres WHERE name = $1", &[c])?
            .is_some(),
    };
    if found {
        Ok(())
    } else {
        Err(StorageError::NotFound.into())
    }
}

fn count(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

impl ScopedStorage for PostgresStorage {
    fn add_district(&self, name: &str, by: &str, now: i64) -> Result<()> {
        self.write(|tx| {
            let n = tx.execute(
                "INSERT INTO districts (name, created_at) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                &[&name, &now],
            )?;
            if n == 0 {
                return Err(StorageError::Conflict("a district with this name exists").into());
            }
            audit_entry(tx, now, by, "district_added", Some(name))
        })
    }

    fn districts(&self) -> Result<Vec<String>> {
        self.read(|c| {
            c.query("SELECT name FROM districts ORDER BY name", &[])?
                .iter()
                .map(|r| Ok(r.try_get(0)?))
                .collect()
        })
    }

    fn put_centre(&self, centre: &str, district: &str, by: &str, now: i64) -> Result<()> {
        self.write(|tx| {
            check_scope_exists(tx, &Scope::District(district.to_string()))?;
            tx.execute(
                "INSERT INTO centres (name, district) VALUES ($1, $2)
                 ON CONFLICT (name) DO UPDATE SET district = excluded.district",
                &[&centre, &district],
            )?;
            tx.execute(
                "UPDATE cases SET district = $1 WHERE centre = $2 AND district <> $1",
                &[&district, &centre],
            )?;
            audit_entry(
                tx,
                now,
                by,
                "centre_placed",
                Some(&format!("centre {centre:?} in district {district:?}")),
            )
        })
    }

    fn centres(&self) -> Result<Vec<CentreRow>> {
        self.read(|c| {
            c.query("SELECT name, district FROM centres ORDER BY name", &[])?
                .iter()
                .map(|r| {
                    Ok(CentreRow {
                        name: r.try_get(0)?,
                        district: r.try_get(1)?,
                    })
                })
                .collect()
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
                "INSERT INTO supervisors (name, password_hash, created_at) VALUES ($1, $2, $3)
                 ON CONFLICT (name) DO UPDATE SET password_hash = excluded.password_hash",
                &[&name, &password_hash, &now],
            )?;
            if let Some(scope) = scope {
                check_scope_exists(tx, scope)?;
                let (kind, scope_name) = scope.to_parts();
                tx.execute(
                    "UPDATE supervisors SET scope_kind = $1, scope_name = $2 WHERE name = $3",
                    &[&kind, &scope_name, &name],
                )?;
            }
            // A new password ends every session of the old one.
            tx.execute("DELETE FROM sessions WHERE name = $1", &[&name])?;
            let row = tx.query_one(
                "SELECT scope_kind, scope_name FROM supervisors WHERE name = $1",
                &[&name],
            )?;
            let (kind, scope_name): (String, String) = (row.try_get(0)?, row.try_get(1)?);
            let subject = match Scope::from_parts(&kind, &scope_name) {
                Some(s) => format!("{name} ({s})"),
                None => name.to_string(),
            };
            audit_entry(tx, now, "registry", "supervisor_added", Some(&subject))
        })
    }

    fn supervisor_scope(&self, name: &str) -> Result<Option<Scope>> {
        self.read(|c| {
            let Some(row) = c.query_opt(
                "SELECT scope_kind, scope_name FROM supervisors WHERE name = $1",
                &[&name],
            )?
            else {
                return Ok(None);
            };
            let (kind, n): (String, String) = (row.try_get(0)?, row.try_get(1)?);
            Scope::from_parts(&kind, &n)
                .map(Some)
                .ok_or_else(|| corrupt("unknown supervisor scope"))
        })
    }

    fn case_page(&self, scope: &Scope, q: &CaseQuery) -> Result<CasePage> {
        let (filter, scope_param) = scope_filter(scope, 1, "centre", "district");
        let status_param = q.status.map(|s| s.as_str().to_string());
        let after_at = q.after.map(|a| a.updated_at);
        let after_id = q.after.map(|a| a.case_id);
        let limit = i64::from(q.limit) + 1;
        self.read(|c| {
            let mut params: Vec<&(dyn ToSql + Sync)> = Vec::new();
            if let Some(p) = &scope_param {
                params.push(p);
            }
            let mut counts = StatusCounts::default();
            for r in c.query(
                &format!("SELECT status, count(*) FROM cases WHERE {filter} GROUP BY status"),
                &params,
            )? {
                counts.add(status(r.try_get(0)?)?, count(r.try_get(1)?));
            }
            let mut sql = format!("SELECT {CASE_COLUMNS} FROM cases WHERE {filter}");
            if let Some(s) = &status_param {
                params.push(s);
                sql.push_str(&format!(" AND status = ${}", params.len()));
            }
            if let (Some(at), Some(id)) = (&after_at, &after_id) {
                params.push(at);
                params.push(id);
                sql.push_str(&format!(
                    " AND (updated_at, case_id) > (${}, ${})",
                    params.len() - 1,
                    params.len()
                ));
            }
            params.push(&limit);
            sql.push_str(&format!(
                " ORDER BY updated_at, case_id LIMIT ${}",
                params.len()
            ));
            let mut cases = c
                .query(&sql, &params)?
                .iter()
                .map(case_row)
                .collect::<Result<Vec<CaseRow>>>()?;
            let more = cases.len() > q.limit as usize;
            cases.truncate(q.limit as usize);
            let next = if more {
                cases.last().map(CaseCursor::after)
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
            let mut case = match tx.query_opt(
                &format!("SELECT {CASE_COLUMNS} FROM cases WHERE case_id = $1 FOR UPDATE"),
                &[&d.case_id],
            )? {
                Some(r) => case_row(&r)?,
                None => return Err(StorageError::NotFound.into()),
            };
            // Before anything else about the case is looked at.
            if !scope.covers(&case.centre, &case.district) {
                return Err(StorageError::OutOfScope.into());
            }
            if case.version != d.version {
                return Err(StorageError::Conflict(
                    "a newer version of the case arrived: open it again",
                )
                .into());
            }
            if !transition_allowed(case.status, d.to) {
                return Err(StorageError::Conflict(
                    "this decision is not allowed from the case's status",
                )
                .into());
            }
            case.status = d.to;
            case.flagged = false;
            case.updated_at = now;
            tx.execute(
                "UPDATE cases SET status = $1, flagged = FALSE, updated_at = $2 WHERE case_id = $3",
                &[&case.status.as_str(), &now, &d.case_id],
            )?;
            audit_entry(
                tx,
                now,
                &d.supervisor,
                d.to.as_str(),
                Some(&d.case_id.to_string()),
            )?;
            lock_events(tx)?;
            super::decision_event(tx, &case)?;
            if let Some(sealed) = &d.sealed_comment {
                tx.execute(
                    "INSERT INTO events (recipient, kind, case_id, version, payload)
                     VALUES ($1, 'comment', $2, $3, $4)",
                    &[
                        &case.device_id,
                        &d.case_id,
                        &i64::from(case.version),
                        sealed,
                    ],
                )?;
            }
            Ok(case.clone())
        })
    }

    fn device_page(&self, scope: &Scope, limit: u32, offset: u64) -> Result<DevicePage> {
        let (filter, scope_param) = scope_filter(scope, 1, "d.centre", "COALESCE(c.district, '')");
        let offset = i64::try_from(offset).map_err(|_| StorageError::OutOfRange("offset"))?;
        let limit = i64::from(limit);
        self.read(|conn| {
            let mut params: Vec<&(dyn ToSql + Sync)> = Vec::new();
            if let Some(p) = &scope_param {
                params.push(p);
            }
            let from =
                format!("FROM devices d LEFT JOIN centres c ON c.name = d.centre WHERE {filter}");
            let total: i64 = conn
                .query_one(&format!("SELECT count(*) {from}"), &params)?
                .try_get(0)?;
            let columns = DEVICE_COLUMNS
                .split(", ")
                .map(|col| format!("d.{col}"))
                .collect::<Vec<_>>()
                .join(", ");
            params.push(&limit);
            params.push(&offset);
            let sql = format!(
                "SELECT {columns}, COALESCE(c.district, '') {from}
                 ORDER BY d.enrolled_at, d.id LIMIT ${} OFFSET ${}",
                params.len() - 1,
                params.len()
            );
            let devices = conn
                .query(&sql, &params)?
                .iter()
                .map(|r| Ok((device_row(&self.key, r)?, r.try_get::<_, String>(7)?)))
                .collect::<Result<_>>()?;
            Ok(DevicePage {
                devices,
                total: count(total),
            })
        })
    }

    fn audit_page(&self, after: i64, limit: u32) -> Result<AuditPage> {
        self.read(|c| {
            let mut rows = c
                .query(
                    "SELECT seq, at, actor, action, subject FROM audit WHERE seq > $1
                     ORDER BY seq LIMIT $2",
                    &[&after, &(i64::from(limit) + 1)],
                )?
                .iter()
                .map(|r| {
                    Ok(AuditRow {
                        seq: r.try_get(0)?,
                        at: r.try_get(1)?,
                        actor: r.try_get(2)?,
                        action: r.try_get(3)?,
                        subject: r.try_get(4)?,
                    })
                })
                .collect::<Result<Vec<_>>>()?;
            let more = rows.len() > limit as usize;
            rows.truncate(limit as usize);
            let next = if more {
                rows.last().map(|r| r.seq)
            } else {
                None
            };
            Ok(AuditPage { rows, next })
        })
    }
}
