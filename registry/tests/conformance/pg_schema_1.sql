-- The PostgreSQL schema as shipped at version 1 (before districts), kept
-- so that the upgrade to the current schema is tested from what databases
-- in the field hold. Never edit.
CREATE TABLE devices (
    id UUID PRIMARY KEY,
    public_key BYTEA NOT NULL UNIQUE,
    inbox_key BYTEA NOT NULL,
    label TEXT NOT NULL,
    centre TEXT NOT NULL DEFAULT '',
    revoked BOOLEAN NOT NULL DEFAULT FALSE,
    last_seq BIGINT NOT NULL DEFAULT 0,
    enrolled_at BIGINT NOT NULL);
CREATE INDEX devices_enrolled ON devices(enrolled_at);
CREATE TABLE enrolment_codes (
    code_hash BYTEA PRIMARY KEY,
    centre TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_by UUID);
-- The exactly-once ledger: one row per (device, device_seq), written in the
-- same transaction as the submission it stands for.
CREATE TABLE ops (
    device_id UUID NOT NULL,
    device_seq BIGINT NOT NULL,
    op_id UUID NOT NULL UNIQUE,
    blob_hash BYTEA NOT NULL,
    outcome TEXT NOT NULL,
    flagged BOOLEAN NOT NULL DEFAULT FALSE,
    at BIGINT NOT NULL,
    PRIMARY KEY (device_id, device_seq));
CREATE TABLE cases (
    case_id UUID PRIMARY KEY,
    status TEXT NOT NULL,
    version BIGINT NOT NULL,
    device_id UUID NOT NULL,
    flagged BOOLEAN NOT NULL DEFAULT FALSE,
    updated_at BIGINT NOT NULL);
CREATE INDEX cases_status ON cases(status, updated_at, case_id);
CREATE INDEX cases_updated ON cases(updated_at, case_id);
CREATE TABLE submissions (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id UUID NOT NULL,
    version BIGINT NOT NULL,
    device_id UUID NOT NULL,
    op_id UUID NOT NULL,
    sealed BYTEA NOT NULL,
    flagged BOOLEAN NOT NULL,
    received_at BIGINT NOT NULL);
CREATE INDEX submissions_case ON submissions(case_id, version);
-- The event log devices pull: recipient NULL = every device; centre NULL =
-- not filtered by centre (rule packs, comments).
CREATE TABLE events (
    seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    recipient UUID,
    kind TEXT NOT NULL,
    case_id UUID,
    version BIGINT,
    status TEXT,
    flagged BOOLEAN NOT NULL DEFAULT FALSE,
    payload BYTEA,
    centre TEXT);
CREATE TABLE supervisors (name TEXT PRIMARY KEY, password_hash TEXT NOT NULL, created_at BIGINT NOT NULL);
CREATE TABLE sessions (token_hash BYTEA PRIMARY KEY, name TEXT NOT NULL, expires_at BIGINT NOT NULL);
CREATE TABLE audit (
    seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at BIGINT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL, subject TEXT);
-- A withdrawn pack is no longer served and its announcement leaves later
-- pull pages; its version stays taken.
CREATE TABLE rule_packs (
    version TEXT PRIMARY KEY, toml BYTEA NOT NULL, signature BYTEA NOT NULL,
    published_by TEXT NOT NULL, published_at BIGINT NOT NULL,
    withdrawn_at BIGINT, withdrawn_by TEXT);
-- Which registry (key file) this database belongs to; one row.
CREATE TABLE registry_identity (
    one BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (one),
    registry_id UUID NOT NULL);
