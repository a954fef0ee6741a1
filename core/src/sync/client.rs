//! The device side of sync: enrol, seal, push, pull, retry, report progress.
//!
//! One sync is: seal every pending operation that has no sealed bytes yet
//! (once; the bytes are stored), push them in batches, mark each operation
//! with the registry's per-operation answer, then pull events page by page
//! (each page applied with its cursor in one transaction), then apply
//! retention. Every request is retried on network trouble with exponential
//! backoff and jitter, with a fresh sequence number and signature each time.
//! Requests go over TLS pinned to the registry's certificates, or plain HTTP
//! to a loopback host only ([`super::tls`]).

use super::auth::sign_request;
use super::error::SyncError;
use super::frames::{self, PageEvent};
use super::http::Response as Answer;
use super::tls::{announced_pins, parse_pins, Pin, PinnedVerifier, RegistryHttp, TlsError};
use super::wire::{
    self, ApiError, EnrolRequest, EnrolResponse, PullResponse, PushResponse, RegistryInfo,
    SignedPack,
};
use super::{codec, followup_codec, inbox};
use crate::crypto::seal::{seal_op, DeviceKey, SealHeader, ENTITY_HOUSEHOLD};
use crate::crypto::SecretKey;
use crate::followup::RecordKind;
use crate::rules::signing::{self, TrustedKeys};
use crate::store::{PulledEvent, PulledPage, Store, SyncIdentity};
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use rand::Rng;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;

/// How sync behaves. The defaults suit 2G.
#[derive(Debug, Clone)]
pub struct SyncConfig {
    /// At most this many operations per push request.
    pub batch_ops: usize,
    /// And at most about this many bytes (a batch always carries one).
    pub batch_bytes: usize,
    /// Attempts per request before the sync gives up (it resumes next time).
    pub max_attempts: u32,
    pub backoff_base: Duration,
    pub backoff_max: Duration,
    /// Per-request timeout.
    pub timeout: Duration,
    /// Events per pull page.
    pub pull_limit: u32,
    /// Forget households acknowledged longer ago than this (None: keep).
    pub retention: Option<Duration>,
}

impl Default for SyncConfig {
    fn default() -> SyncConfig {
        SyncConfig {
            batch_ops: 50,
            batch_bytes: 32 * 1024,
            max_attempts: 6,
            backoff_base: Duration::from_millis(500),
            backoff_max: Duration::from_secs(30),
            timeout: Duration::from_secs(60),
            pull_limit: 200,
            retention: None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    Sealing,
    Pushing,
    Pulling,
    Done,
}

/// Where a sync is: operations and bytes done of total.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SyncProgress {
    pub phase: Phase,
    pub ops_done: u64,
    pub ops_total: u64,
    pub bytes_done: u64,
    pub bytes_total: u64,
}

/// Receives progress (called from the sync task; keep it quick).
pub trait Progress: Send + Sync {
    fn on_progress(&self, progress: SyncProgress);
}

/// Cancels a running sync at its next await point. What was acknowledged
/// stays acknowledged; the rest is sent next time.
#[derive(Clone, Default)]
pub struct CancelToken(Arc<(AtomicBool, Notify)>);

impl CancelToken {
    pub fn new() -> CancelToken {
        CancelToken::default()
    }

    pub fn cancel(&self) {
        self.0 .0.store(true, Ordering::SeqCst);
        self.0 .1.notify_waiters();
    }

    pub fn is_cancelled(&self) -> bool {
        self.0 .0.load(Ordering::SeqCst)
    }

    async fn cancelled(&self) {
        loop {
            let notified = self.0 .1.notified();
            if self.is_cancelled() {
                return;
            }
            notified.await;
        }
    }
}

/// What one sync did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SyncReport {
    /// Operations the registry stored now.
    pub stored: u64,
    /// Operations it had stored before (retries after a lost answer).
    pub duplicates: u64,
    /// (device sequence, code) of operations it refused.
    pub rejected: Vec<(i64, String)>,
    /// Accepted but flagged for a person (edit against a changed case).
    pub flagged: u64,
    pub decisions: u64,
    pub comments: u64,
    /// Rule packs received and verified.
    pub rule_packs: Vec<String>,
    /// (version, reason) of packs refused; the active pack stays in force.
    pub refused_packs: Vec<(String, String)>,
    /// Events of kinds this version does not know (a newer registry),
    /// skipped: a sign the app should be updated.
    pub skipped_events: u64,
    /// Request and response bodies, in bytes.
    pub bytes_up: u64,
    pub bytes_down: u64,
    /// HTTP requests made, retries included.
    pub requests: u64,
    /// Households forgotten by retention.
    pub forgotten: u64,
}

/// Send a request (`path` below the registry URL, query included): the
/// answer on success, the registry's refusal (or the link's failure)
/// otherwise. A handshake refused because the certificate matches no pin is
/// [`TlsError::PinMismatch`], not a network error: it is not retried, and
/// nothing was sent.
async fn send_typed(
    http: &RegistryHttp,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Result<Answer, SyncError> {
    let resp = send_answer(http, method, path, headers, body).await?;
    if !resp.is_success() {
        return Err(error_of(resp.status, &resp.body));
    }
    Ok(resp)
}

/// [`send_typed`] that hands back error answers too (signed requests read
/// more than the error from them).
async fn send_answer(
    http: &RegistryHttp,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Result<Answer, SyncError> {
    http.client
        .send(method, path, headers, body)
        .await
        .map_err(|e| {
            if http.pin_refused() {
                SyncError::Tls(TlsError::PinMismatch)
            } else if e.is_hostile() {
                // An answer no honest registry sends: not retried as a link fault.
                SyncError::Protocol(e.to_string())
            } else {
                SyncError::Network(e.to_string())
            }
        })
}

/// The `last_op_seq` of a `replayed` answer.
fn ops_floor_of(status: u16, body: &[u8]) -> Option<u64> {
    if status != 409 {
        return None;
    }
    serde_json::from_slice::<ApiError>(body)
        .ok()
        .filter(|e| e.code == super::codes::REPLAYED)
        .and_then(|e| e.last_op_seq)
}

/// [`send_typed`] when only the body matters (JSON control messages).
async fn send(
    http: &RegistryHttp,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Result<Vec<u8>, SyncError> {
    send_typed(http, method, path, headers, body)
        .await
        .map(|a| a.body)
}

/// One URL path segment: every byte outside the unreserved set
/// (`A-Z a-z 0-9 - . _ ~`) percent-encoded, so a value can never add a
/// segment (`/`), a query (`?`) or a fragment (`#`) to the path.
fn path_segment(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The push answer: the compact results frame when the registry sent one,
/// JSON otherwise (an older registry, or one that ignores `Accept`).
fn push_results(answer: &Answer) -> Result<Vec<wire::OpResult>, SyncError> {
    let ct = answer.content_type.as_deref();
    if frames::is_media(ct, wire::RESULTS_CONTENT_TYPE) {
        frames::decode_results(&answer.body)
            .map_err(|e| SyncError::Protocol(format!("push answer: {e}")))
    } else if ct.is_none() || frames::is_media(ct, wire::JSON_CONTENT_TYPE) {
        serde_json::from_slice::<PushResponse>(&answer.body)
            .map(|r| r.results)
            .map_err(|_| SyncError::Protocol("push answer".into()))
    } else {
        Err(SyncError::Protocol(
            "push answer of an unexpected content type".into(),
        ))
    }
}

/// The pull answer: the compact events frame, or JSON.
fn pull_page(answer: &Answer) -> Result<frames::EventsPage, SyncError> {
    let ct = answer.content_type.as_deref();
    if frames::is_media(ct, wire::EVENTS_CONTENT_TYPE) {
        frames::decode_events(&answer.body)
            .map_err(|e| SyncError::Protocol(format!("pull answer: {e}")))
    } else if ct.is_none() || frames::is_media(ct, wire::JSON_CONTENT_TYPE) {
        let json: PullResponse = serde_json::from_slice(&answer.body)
            .map_err(|_| SyncError::Protocol("pull answer".into()))?;
        frames::EventsPage::from_json(json)
            .map_err(|e| SyncError::Protocol(format!("pull answer: {e}")))
    } else {
        Err(SyncError::Protocol(
            "pull answer of an unexpected content type".into(),
        ))
    }
}

fn b64(s: &str, what: &str) -> Result<Vec<u8>, SyncError> {
    B64.decode(s)
        .map_err(|_| SyncError::Protocol(format!("{what} is not base64")))
}

fn key32(s: &str, what: &str) -> Result<[u8; 32], SyncError> {
    b64(s, what)?
        .try_into()
        .map_err(|_| SyncError::Protocol(format!("{what} is not 32 bytes")))
}

fn error_of(status: u16, body: &[u8]) -> SyncError {
    match serde_json::from_slice::<ApiError>(body) {
        Ok(ApiError {
            code,
            last_seq: Some(last),
            ..
        }) if code == super::codes::REPLAYED => SyncError::SeqBehind(last),
        Ok(e) => SyncError::Registry {
            status,
            code: e.code,
            message: e.message,
        },
        Err(_) => SyncError::Registry {
            status,
            code: super::codes::INTERNAL.into(),
            message: format!("HTTP {status}"),
        },
    }
}

/// Enrol this device with the registry at `registry_url` using a one-time
/// `code` from a supervisor, and keep the identity in `store`. Without a pin:
/// on https this trusts the first certificate seen (see [`enrol_with_pin`]).
pub async fn enrol(
    store: &Store,
    registry_url: &str,
    code: &str,
    label: &str,
) -> Result<SyncIdentity, SyncError> {
    enrol_with_pin(store, registry_url, code, label, None).await
}

/// [`enrol`], with the registry's certificate pin as the office gave it with
/// the code (base64, `sha256/…` or hex). With a pin the very first connection
/// is pinned. Without one on an https URL, the certificate of the first
/// connection is trusted, every later request of the enrolment is pinned to
/// it, and the enrolment answer's pins must include it. Every sync after
/// enrolment accepts exactly the pins the registry sent. Plain `http://` is
/// refused unless the host is loopback, and a pin with it is refused too.
pub async fn enrol_with_pin(
    store: &Store,
    registry_url: &str,
    code: &str,
    label: &str,
    pin: Option<&str>,
) -> Result<SyncIdentity, SyncError> {
    let base = registry_url.trim_end_matches('/');
    let timeout = Duration::from_secs(60);
    let https = super::tls::Transport::for_url(base)? == super::tls::Transport::Https;
    let first = match (https, pin) {
        (false, None) => None,
        (false, Some(_)) => return Err(TlsError::PinWithoutTls.into()),
        (true, Some(pin)) => Some(Arc::new(PinnedVerifier::pinned(vec![Pin::parse(pin)?]))),
        (true, None) => Some(Arc::new(PinnedVerifier::trust_on_first_use())),
    };
    let client = RegistryHttp::new(base, first, timeout)?;
    let body = send(&client, "GET", "/v1/info", &[], &[]).await?;
    // The certificate of that first answer is the only one the rest of the
    // enrolment accepts.
    let seen = match &client.verifier {
        Some(v) => Some(v.last_seen().ok_or(TlsError::PinMismatch)?),
        None => None,
    };
    let client = match seen {
        Some(pin) => RegistryHttp::new(
            base,
            Some(Arc::new(PinnedVerifier::pinned(vec![pin]))),
            timeout,
        )?,
        None => client,
    };
    let info: RegistryInfo =
        serde_json::from_slice(&body).map_err(|_| SyncError::Protocol("registry info".into()))?;
    if info.protocol != wire::PROTOCOL {
        return Err(SyncError::Protocol(format!(
            "registry speaks {}",
            info.protocol
        )));
    }
    let seal_key = key32(&info.seal_key, "seal key")?;
    let device = DeviceKey::generate()?;
    let (eph, inbox_key) = inbox::device_inbox_key(&seal_key, &device.public_key())?;
    let request = EnrolRequest {
        code: code.trim().to_string(),
        device_key: B64.encode(device.public_key()),
        inbox_ephemeral: B64.encode(eph),
        label: label.to_string(),
    };
    let body = serde_json::to_vec(&request).map_err(|_| SyncError::Protocol("enrol".into()))?;
    let body = send(
        &client,
        "POST",
        "/v1/enrol",
        &[("content-type", "application/json")],
        &body,
    )
    .await?;
    let answer: EnrolResponse =
        serde_json::from_slice(&body).map_err(|_| SyncError::Protocol("enrol answer".into()))?;
    if answer.seal_key != info.seal_key || answer.registry_id != info.registry_id {
        return Err(SyncError::Protocol(
            "registry keys changed during enrolment".into(),
        ));
    }
    let pins = parse_pins(&answer.tls_pins)
        .map_err(|_| SyncError::Protocol("enrolment answer's TLS pins".into()))?;
    if let Some(seen) = seen {
        if !pins.contains(&seen) {
            return Err(TlsError::NotInEnrolmentPins.into());
        }
    }
    let identity = SyncIdentity {
        registry_url: base.to_string(),
        registry_id: answer.registry_id,
        device_id: answer.device_id,
        device_pkcs8: device.pkcs8().to_vec(),
        inbox_key: inbox_key.expose().to_vec(),
        seal_key,
        rules_key: b64(&answer.rules_key, "rules key")?,
        tls_pins: pins.iter().map(Pin::to_base64).collect(),
    };
    store.set_sync_identity(&identity)?;
    Ok(identity)
}

/// One sync session's state.
struct Session<'a> {
    store: &'a Store,
    config: &'a SyncConfig,
    progress: Option<&'a dyn Progress>,
    cancel: &'a CancelToken,
    client: RegistryHttp,
    identity: SyncIdentity,
    device: DeviceKey,
    report: SyncReport,
    state: SyncProgress,
}

impl Session<'_> {
    fn emit(&self) {
        if let Some(p) = self.progress {
            p.on_progress(self.state);
        }
    }

    fn check_cancel(&self) -> Result<(), SyncError> {
        if self.cancel.is_cancelled() {
            Err(SyncError::Cancelled)
        } else {
            Ok(())
        }
    }

    fn backoff(&self, attempt: u32) -> Duration {
        let exp = self
            .config
            .backoff_base
            .saturating_mul(1u32 << attempt.min(16))
            .min(self.config.backoff_max);
        // Equal jitter: anywhere in [exp/2, exp], so devices that lost the
        // link together do not come back together.
        let ms = exp.as_millis() as u64;
        Duration::from_millis(rand::thread_rng().gen_range(ms / 2..=ms.max(1)))
    }

    /// One signed request with retries. `path` includes the query; `accept`
    /// names the answer wanted (the registry may still answer JSON).
    async fn signed(
        &mut self,
        method: &str,
        path: &str,
        body: Vec<u8>,
        content_type: &str,
        accept: &str,
    ) -> Result<Answer, SyncError> {
        let mut attempt = 0;
        loop {
            self.check_cancel()?;
            let seq = self.store.next_request_seq()?;
            let sig = sign_request(
                &self.device,
                method,
                path,
                self.identity.device_id,
                seq,
                &body,
            );
            let (device, seq_text) = (self.identity.device_id.to_string(), seq.to_string());
            let headers = [
                (wire::HEADER_DEVICE, device.as_str()),
                (wire::HEADER_SEQ, seq_text.as_str()),
                (wire::HEADER_SIGNATURE, sig.as_str()),
                ("content-type", content_type),
                ("accept", accept),
            ];
            self.report.requests += 1;
            self.report.bytes_up += body.len() as u64;
            let result = tokio::select! {
                r = send_answer(&self.client, method, path, &headers, &body) => r,
                _ = self.cancel.cancelled() => Err(SyncError::Cancelled),
            };
            let result = match result {
                Ok(answer) if !answer.is_success() => {
                    // A restored device: the registry also says how far its
                    // operation numbers went (ADR 0010).
                    if let Some(last) = ops_floor_of(answer.status, &answer.body) {
                        self.store.raise_op_floor(last)?;
                    }
                    Err(error_of(answer.status, &answer.body))
                }
                other => other,
            };
            match result {
                Ok(answer) => {
                    self.report.bytes_down += answer.body.len() as u64;
                    return Ok(answer);
                }
                Err(SyncError::SeqBehind(last)) if attempt + 1 < self.config.max_attempts => {
                    log::warn!("request numbering behind the registry's; resuming above {last}");
                    self.store.raise_request_seq(last)?;
                    attempt += 1;
                }
                Err(e) if e.is_transient() && attempt + 1 < self.config.max_attempts => {
                    log::info!(
                        "sync request failed (attempt {}), retrying: {e}",
                        attempt + 1
                    );
                    let wait = self.backoff(attempt);
                    attempt += 1;
                    tokio::select! {
                        _ = tokio::time::sleep(wait) => {}
                        _ = self.cancel.cancelled() => return Err(SyncError::Cancelled),
                    }
                }
                Err(e) => return Err(e),
            }
        }
    }

    /// Seal every pending operation that has no sealed bytes yet.
    fn seal_pending(&mut self) -> Result<(), SyncError> {
        let cancel = self.cancel;
        seal_pending(self.store, &self.identity, &self.device, &|| {
            if cancel.is_cancelled() {
                Err(SyncError::Cancelled)
            } else {
                Ok(())
            }
        })
    }

    /// Push every sealed pending operation; returns how many were
    /// renumbered (and so wait to be sealed and pushed again).
    async fn push(&mut self) -> Result<usize, SyncError> {
        let mut renumbered = 0;
        // Only what was sealed above: a form finalized while this sync runs
        // waits for the next one.
        let all: Vec<_> = self
            .store
            .outbox_pending(usize::MAX)?
            .into_iter()
            .filter(|o| o.sealed.is_some())
            .collect();
        self.state = SyncProgress {
            phase: Phase::Pushing,
            ops_done: 0,
            ops_total: all.len() as u64,
            bytes_done: 0,
            bytes_total: all
                .iter()
                .map(|o| o.sealed.as_ref().map_or(0, Vec::len) as u64)
                .sum(),
        };
        self.emit();
        let mut queue = all.into_iter().peekable();
        while queue.peek().is_some() {
            self.check_cancel()?;
            let mut batch = Vec::new();
            let mut size = 0;
            while let Some(op) = queue.peek() {
                let len = op.sealed.as_ref().map_or(0, Vec::len);
                if !batch.is_empty()
                    && (batch.len() >= self.config.batch_ops
                        || size + len > self.config.batch_bytes)
                {
                    break;
                }
                size += len;
                if let Some(op) = queue.next() {
                    batch.push(op);
                }
            }
            let blobs: Vec<&[u8]> = batch.iter().filter_map(|o| o.sealed.as_deref()).collect();
            let body = wire::encode_push(&blobs);
            let answer = self
                .signed(
                    "POST",
                    "/v1/push",
                    body,
                    wire::PUSH_CONTENT_TYPE,
                    wire::RESULTS_CONTENT_TYPE,
                )
                .await?;
            let results = push_results(&answer)?;
            // Read after the request: a `replayed` on its way raised it.
            let floor = self.store.op_floor()?;
            let mut acked = Vec::new();
            let mut rejected = Vec::new();
            let mut renumber = Vec::new();
            // One answer per operation, in the order sent.
            if results.len() != batch.len() {
                return Err(SyncError::Protocol(
                    "push answer does not cover the batch".into(),
                ));
            }
            for (r, op) in results.iter().zip(&batch) {
                match r.status {
                    wire::OpStatus::Stored | wire::OpStatus::Duplicate => {
                        if r.status == wire::OpStatus::Stored {
                            self.report.stored += 1;
                        } else {
                            self.report.duplicates += 1;
                        }
                        self.report.flagged += u64::from(r.flagged);
                        acked.push((op.device_seq, r.flagged));
                    }
                    // A number the registry holds for another operation,
                    // at or below what it said it holds from this device:
                    // this database was restored from a backup. The
                    // operation goes again under a new number (ADR 0010).
                    wire::OpStatus::Rejected
                        if r.code.as_deref() == Some(super::codes::SEQ_CONFLICT)
                            && op.device_seq <= floor =>
                    {
                        renumber.push(op.device_seq);
                    }
                    wire::OpStatus::Rejected => {
                        let code = r
                            .code
                            .clone()
                            .unwrap_or_else(|| super::codes::BAD_REQUEST.into());
                        rejected.push((op.device_seq, code));
                    }
                }
            }
            self.store.outbox_apply_results(&acked, &rejected)?;
            for seq in renumber {
                let new = self.store.outbox_renumber(seq)?;
                log::info!("operation {seq} renumbered {new} (restored device)");
                renumbered += 1;
            }
            self.report.rejected.extend(rejected);
            self.state.ops_done += batch.len() as u64;
            self.state.bytes_done += size as u64;
            self.emit();
        }
        Ok(renumbered)
    }

    /// Fetch and verify a published pack. `Err` when the link failed (the
    /// pull stops before its cursor moves, so the pack is fetched next time);
    /// `Ok(Err(reason))` when the pack is refused (the active pack stays):
    /// a version outside the grammar, a pack the registry does not serve
    /// (withdrawn: 404), or one that does not verify. A refused pack never
    /// stops the pull: the events after it still arrive.
    async fn fetch_pack(
        &mut self,
        version: &str,
    ) -> Result<Result<(Vec<u8>, Vec<u8>), String>, SyncError> {
        if let Err(e) = crate::rules::pack::check_version(version) {
            return Ok(Err(e.to_string()));
        }
        let path = format!("/v1/rules/{}", path_segment(version));
        let body = match send(&self.client, "GET", &path, &[], &[]).await {
            Ok(body) => body,
            Err(SyncError::Registry {
                status: 404 | 410, ..
            }) => {
                return Ok(Err(
                    "the registry does not serve this pack (withdrawn)".into()
                ))
            }
            Err(e) => return Err(e),
        };
        self.report.bytes_down += body.len() as u64;
        Ok(self.verify_pack(version, &body))
    }

    fn verify_pack(&self, version: &str, body: &[u8]) -> Result<(Vec<u8>, Vec<u8>), String> {
        let pack: SignedPack =
            serde_json::from_slice(body).map_err(|_| "not a signed pack".to_string())?;
        let toml = B64
            .decode(&pack.toml)
            .map_err(|_| "pack is not base64".to_string())?;
        let sig = B64
            .decode(&pack.signature)
            .map_err(|_| "signature is not base64".to_string())?;
        let trusted = TrustedKeys::new().with(&self.identity.rules_key);
        // Expiry is checked when the pack is activated, against the date of use.
        signing::verify(&toml, Some(&sig), &trusted).map_err(|e| e.to_string())?;
        let parsed = crate::rules::RulePack::parse(&toml).map_err(|e| e.to_string())?;
        if parsed.version != version {
            return Err(format!("pack announced as {version} is {}", parsed.version));
        }
        Ok((toml, sig))
    }

    /// Keep the pins the registry announced in a pull answer, if
    /// [`super::tls::announced_pins`] says so (pinned connection only).
    fn refresh_pins(&mut self, announced: &[String]) -> Result<(), SyncError> {
        let Some(verifier) = &self.client.verifier else {
            return Ok(());
        };
        let current = verifier.last_seen();
        if let Some(pins) = announced_pins(&self.identity.tls_pins, announced, current) {
            self.store.set_tls_pins(&pins)?;
            log::info!("registry TLS pins updated ({} pins)", pins.len());
            self.identity.tls_pins = pins;
        }
        Ok(())
    }

    async fn pull(&mut self) -> Result<(), SyncError> {
        let inbox_key = SecretKey::from_bytes(&self.identity.inbox_key)?;
        self.state.phase = Phase::Pulling;
        self.emit();
        loop {
            self.check_cancel()?;
            let after = self.store.pull_cursor()?;
            let path = format!("/v1/pull?after={after}&limit={}", self.config.pull_limit);
            let answer = self
                .signed(
                    "GET",
                    &path,
                    Vec::new(),
                    wire::JSON_CONTENT_TYPE,
                    wire::EVENTS_CONTENT_TYPE,
                )
                .await?;
            let answer = pull_page(&answer)?;
            let mut page = PulledPage {
                events: Vec::new(),
                cursor: answer.cursor,
            };
            for event in answer.events {
                match event {
                    PageEvent::Decision {
                        seq,
                        case_id,
                        version,
                        status,
                        flagged,
                    } => {
                        self.report.decisions += 1;
                        page.events.push(PulledEvent::Decision {
                            seq,
                            case_id,
                            version,
                            status,
                            flagged,
                        });
                    }
                    PageEvent::Comment {
                        seq,
                        case_id,
                        version,
                        sealed,
                    } => {
                        self.report.comments += 1;
                        page.events.push(PulledEvent::Comment {
                            seq,
                            case_id,
                            version,
                            sealed,
                        });
                    }
                    PageEvent::RulePack { version, .. } => match self.fetch_pack(&version).await? {
                        Ok((toml, signature)) => {
                            self.report.rule_packs.push(version.clone());
                            page.events.push(PulledEvent::RulePack {
                                version,
                                toml,
                                signature,
                            });
                        }
                        Err(reason) => {
                            log::warn!("rule pack {version} refused: {reason}");
                            self.report.refused_packs.push((version, reason));
                        }
                    },
                    // A newer registry's kind of event: skipped, the
                    // cursor moves past it (docs/sync-protocol.md).
                    PageEvent::Unknown { seq } => {
                        log::info!("event {seq} is of a kind this version does not know: skipped");
                        self.report.skipped_events += 1;
                    }
                }
            }
            self.store.apply_pull(&page, &inbox_key)?;
            self.refresh_pins(&answer.tls_pins)?;
            if !answer.more || answer.cursor <= after {
                return Ok(());
            }
        }
    }
}

/// How many sealed operations are stored per transaction: one fsync'd
/// commit per this many forms, not per form.
const SEAL_BATCH: usize = 200;

/// Seal every pending operation that has no sealed bytes yet, once: the
/// bytes are stored in the outbox and every push or bundle carries them
/// unchanged; [`SEAL_BATCH`] of them per transaction. `check` is called
/// before each one (cancellation); what was sealed before it is kept.
pub(crate) fn seal_pending(
    store: &Store,
    identity: &SyncIdentity,
    device: &DeviceKey,
    check: &dyn Fn() -> Result<(), SyncError>,
) -> Result<(), SyncError> {
    let mut batch: Vec<(i64, Vec<u8>)> = Vec::new();
    let flush = |batch: &mut Vec<(i64, Vec<u8>)>| -> Result<(), SyncError> {
        let refs: Vec<(i64, &[u8])> = batch.iter().map(|(s, b)| (*s, b.as_slice())).collect();
        store.outbox_set_sealed_batch(&refs)?;
        batch.clear();
        Ok(())
    };
    for op in store.outbox_pending(usize::MAX)? {
        if op.sealed.is_some() {
            continue;
        }
        if let Err(e) = check() {
            flush(&mut batch)?;
            return Err(e);
        }
        let (entity, plain) = match RecordKind::parse(&op.entity) {
            // A plan, referral, visit or exit (sync/followup_codec.rs).
            Some(kind) => (
                followup_codec::entity_code(kind),
                zeroize::Zeroizing::new(followup_plain(store, kind, op.entity_id, op.version)?),
            ),
            None => {
                let household = store.load_for_sync(op.entity_id, op.version)?;
                (
                    ENTITY_HOUSEHOLD,
                    zeroize::Zeroizing::new(
                        codec::encode(&household)
                            .map_err(|e| SyncError::Protocol(e.to_string()))?,
                    ),
                )
            }
        };
        let header = SealHeader {
            entity,
            device_id: identity.device_id,
            op_id: op.op_id,
            entity_id: op.entity_id,
            device_seq: u64::try_from(op.device_seq).unwrap_or(0),
            version: op.version,
            base_version: op.base_version,
        };
        let sealed = seal_op(&header, &plain, &identity.seal_key, device)?;
        batch.push((op.device_seq, sealed));
        if batch.len() >= SEAL_BATCH {
            flush(&mut batch)?;
        }
    }
    flush(&mut batch)
}

/// The codec content of follow-up record `id` at `version` of `kind`.
fn followup_plain(
    store: &Store,
    kind: RecordKind,
    id: uuid::Uuid,
    version: u32,
) -> Result<Vec<u8>, SyncError> {
    use crate::followup::{ExitRecord, IntegrationPlan, Referral, Visit};
    let encoded = match kind {
        RecordKind::Plan => {
            followup_codec::encode(&store.load_record_for_sync::<IntegrationPlan>(id, version)?)
        }
        RecordKind::Referral => {
            followup_codec::encode(&store.load_record_for_sync::<Referral>(id, version)?)
        }
        RecordKind::Visit => {
            followup_codec::encode(&store.load_record_for_sync::<Visit>(id, version)?)
        }
        RecordKind::Exit => {
            followup_codec::encode(&store.load_record_for_sync::<ExitRecord>(id, version)?)
        }
    };
    encoded.map_err(|e| SyncError::Protocol(e.to_string()))
}

/// Push every finalized form, then pull decisions, comments and rule packs.
/// Safe to call again after any failure or cancellation: nothing is lost and
/// nothing is sent twice to the registry's books.
pub async fn sync(
    store: &Store,
    config: &SyncConfig,
    progress: Option<&dyn Progress>,
    cancel: &CancelToken,
) -> Result<SyncReport, SyncError> {
    let identity = store.sync_identity()?.ok_or(SyncError::NotEnrolled)?;
    let device = DeviceKey::from_pkcs8(&identity.device_pkcs8)?;
    let mut session = Session {
        store,
        config,
        progress,
        cancel,
        client: RegistryHttp::pinned(&identity.registry_url, &identity.tls_pins, config.timeout)?,
        identity,
        device,
        report: SyncReport::default(),
        state: SyncProgress {
            phase: Phase::Sealing,
            ops_done: 0,
            ops_total: 0,
            bytes_done: 0,
            bytes_total: 0,
        },
    };
    session.emit();
    session.seal_pending()?;
    if session.push().await? > 0 {
        // Renumbered after a restore: sealed again and sent now, once
        // (their new numbers are above everything the registry holds).
        session.seal_pending()?;
        session.push().await?;
    }
    session.pull().await?;
    if let Some(retention) = config.retention {
        session.report.forgotten = store.forget_expired(retention)? as u64;
    }
    session.state.phase = Phase::Done;
    session.emit();
    Ok(session.report)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sync::wire::{CaseStatus, OpResult, OpStatus};
    use uuid::Uuid;

    fn answer(content_type: Option<&str>, body: Vec<u8>) -> Answer {
        Answer {
            status: 200,
            content_type: content_type.map(str::to_string),
            body,
        }
    }

    #[test]
    fn push_answers_are_read_as_framed_or_json() {
        let results = vec![
            OpResult {
                device_seq: 7,
                status: OpStatus::Stored,
                code: None,
                flagged: true,
            },
            OpResult {
                device_seq: 8,
                status: OpStatus::Rejected,
                code: Some("invalid_form".into()),
                flagged: false,
            },
        ];
        let framed = frames::encode_results(&results).unwrap();
        let json = serde_json::to_vec(&PushResponse {
            results: results.clone(),
        })
        .unwrap();
        assert_eq!(
            push_results(&answer(Some(wire::RESULTS_CONTENT_TYPE), framed.clone())).unwrap(),
            results
        );
        // An older registry answers JSON whatever the device asked for.
        assert_eq!(
            push_results(&answer(Some("application/json"), json.clone())).unwrap(),
            results
        );
        assert_eq!(push_results(&answer(None, json.clone())).unwrap(), results);
        // The content type decides: a frame labelled JSON, JSON labelled as a
        // frame, and another type are protocol errors.
        for bad in [
            answer(Some("application/json"), framed.clone()),
            answer(Some(wire::RESULTS_CONTENT_TYPE), json.clone()),
            answer(Some("text/plain"), json),
            answer(
                Some(wire::RESULTS_CONTENT_TYPE),
                framed[..framed.len() - 1].to_vec(),
            ),
        ] {
            assert!(matches!(push_results(&bad), Err(SyncError::Protocol(_))));
        }
    }

    #[test]
    fn pull_answers_are_read_as_framed_or_json() {
        let page = frames::EventsPage {
            events: vec![
                PageEvent::Decision {
                    seq: 3,
                    case_id: Uuid::from_bytes([1; 16]),
                    version: 1,
                    status: CaseStatus::Approved,
                    flagged: false,
                },
                PageEvent::Comment {
                    seq: 5,
                    case_id: Uuid::from_bytes([1; 16]),
                    version: 1,
                    sealed: vec![0, 1, 2, 250],
                },
                PageEvent::RulePack {
                    seq: 9,
                    version: "kz-2026.2".into(),
                },
            ],
            cursor: 9,
            more: true,
            tls_pins: vec![B64.encode([4u8; 32])],
        };
        let framed = frames::encode_events(&page).unwrap();
        let json = serde_json::to_vec(&page.to_json()).unwrap();
        assert_eq!(
            pull_page(&answer(Some(wire::EVENTS_CONTENT_TYPE), framed.clone())).unwrap(),
            page
        );
        assert_eq!(
            pull_page(&answer(
                Some("application/json; charset=utf-8"),
                json.clone()
            ))
            .unwrap(),
            page
        );
        for bad in [
            answer(Some(wire::RESULTS_CONTENT_TYPE), framed.clone()),
            answer(Some(wire::EVENTS_CONTENT_TYPE), json),
            answer(Some("application/json"), framed),
        ] {
            assert!(matches!(pull_page(&bad), Err(SyncError::Protocol(_))));
        }
    }

    #[test]
    fn path_segments_are_escaped() {
        assert_eq!(path_segment("kz-2026.1_b~"), "kz-2026.1_b~");
        assert_eq!(path_segment("kz-2026.7/a"), "kz-2026.7%2Fa");
        assert_eq!(path_segment("a?b#c d%"), "a%3Fb%23c%20d%25");
        assert_eq!(path_segment("қ"), "%D2%9B");
        assert_eq!(path_segment(".."), "..");
    }
}
