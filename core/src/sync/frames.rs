//! Compact binary answers to push and pull, for devices that ask for them.
//!
//! This module exists because the JSON answers cost more than the forms
//! they acknowledge: a JSON push result is ~52 bytes per operation and a
//! JSON decision event ~125, against ~311 for the sealed form itself, on a
//! 2G link where every byte is paid for (issue 4: under 400 bytes per form,
//! both directions). A device sends `Accept: application/vnd.komek.results`
//! (push) or `application/vnd.komek.events` (pull) and the registry answers
//! with the frames below; anything else (curl, the OpenAPI file, an older
//! device) still gets JSON. Both ends compile this file.
//!
//! Layouts (byte by byte in `docs/sync-protocol.md`, section 20). Integers
//! are LEB128 varints, canonical (no trailing zero group, at most 10 bytes);
//! "zigzag" maps signed to unsigned (0, -1, 1, -2, … → 0, 1, 2, 3, …).
//!
//! ```text
//! results: "KR" 0x01, count, then per result:
//!          zigzag(device_seq - previous device_seq, wrapping; previous starts at 0),
//!          flags (bits 0-1 status: 0 stored, 1 duplicate, 2 rejected;
//!                 bit 2 flagged; bit 3 a code follows; other bits 0),
//!          [code length (1 byte, 1..=64) + ASCII code]
//! events:  "KE" 0x01, zigzag(cursor), more (0 or 1),
//!          pin count (≤ 16) + 32 raw bytes each, event count (≤ 1000),
//!          then per event: seq - previous seq (≥ 1; previous starts at 0), kind,
//!          1 decision:  case id (16), version, status (bits 0-2) | flagged (bit 3)
//!          2 comment:   case id (16), version, length (≤ 64 KiB) + sealed bytes
//!          3 rule pack: length (1..=128) + UTF-8 version
//! ```
//!
//! Decoding never panics and never trusts a count or a length: each is
//! bounded before anything is allocated, and a frame must end exactly where
//! its last field does.

use super::wire::{
    CaseStatus, Event, EventBody, OpResult, OpStatus, PullResponse, MAX_OPS_PER_PUSH,
};
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use uuid::Uuid;

const RESULTS_MAGIC: &[u8; 2] = b"KR";
const EVENTS_MAGIC: &[u8; 2] = b"KE";
/// The frame version both magics are followed by.
pub const FRAME_VERSION: u8 = 1;
/// The longest refusal code a results frame carries.
pub const MAX_CODE_BYTES: usize = 64;
/// The most events one page carries (the registry's largest pull limit).
pub const MAX_EVENTS_PER_PAGE: usize = 1000;
/// The most TLS pins one page announces.
pub const MAX_PINS: usize = 16;
/// The largest sealed comment a page carries.
pub const MAX_COMMENT_BYTES: usize = 64 * 1024;
/// The longest rule pack version.
pub const MAX_PACK_VERSION_BYTES: usize = 128;

const KIND_DECISION: u8 = 1;
const KIND_COMMENT: u8 = 2;
const KIND_RULE_PACK: u8 = 3;
/// Kinds from this one up carry their body's length (a varint) before the
/// body, so a device that does not know a kind skips it
/// ([`PageEvent::Unknown`]); kinds below it are the fixed layouts above.
/// Every kind added after frame version 1 uses this range.
pub const FIRST_SKIPPABLE_KIND: u8 = 0x10;
/// The largest body of a skippable event.
const MAX_SKIPPABLE_BYTES: usize = 64 * 1024;
/// The case status code the registry never sends: what a device decodes a
/// code it does not know as, written back only in tests.
const CASE_STATUS_UNKNOWN: u8 = 7;

const STATUS_MASK: u8 = 0b0000_0011;
const RESULT_FLAGGED: u8 = 0b0000_0100;
const RESULT_CODE: u8 = 0b0000_1000;
const CASE_STATUS_MASK: u8 = 0b0000_0111;
const EVENT_FLAGGED: u8 = 0b0000_1000;

/// Why an answer frame could not be written or read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AnswerFrameError {
    #[error("not a compact answer frame")]
    BadMagic,
    #[error("compact answer frame version {0} is not known")]
    UnknownVersion(u8),
    #[error("compact answer frame is truncated")]
    Truncated,
    #[error("compact answer frame has trailing bytes")]
    Trailing,
    #[error("malformed or non-canonical number")]
    BadNumber,
    #[error("{what}: {count} is more than allowed")]
    TooMany { what: &'static str, count: u64 },
    #[error("{what}: a length of {len} is not allowed")]
    BadLength { what: &'static str, len: u64 },
    #[error("{0} is malformed")]
    BadValue(&'static str),
    #[error("event numbers must increase")]
    NotIncreasing,
}

type Result<T> = std::result::Result<T, AnswerFrameError>;

/// One pulled event, with binary values as bytes (the JSON form carries them
/// as base64: [`super::wire::EventBody`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageEvent {
    Decision {
        seq: i64,
        case_id: Uuid,
        version: u32,
        status: CaseStatus,
        flagged: bool,
    },
    Comment {
        seq: i64,
        case_id: Uuid,
        version: u32,
        sealed: Vec<u8>,
    },
    RulePack {
        seq: i64,
        version: String,
    },
    /// An event of a kind this library does not know (a newer registry),
    /// skipped by the device. The registry never sends one as such: a page
    /// cannot carry it ([`PageEvent::check`]).
    Unknown {
        seq: i64,
    },
}

impl PageEvent {
    pub fn seq(&self) -> i64 {
        match self {
            PageEvent::Decision { seq, .. }
            | PageEvent::Comment { seq, .. }
            | PageEvent::RulePack { seq, .. }
            | PageEvent::Unknown { seq } => *seq,
        }
    }

    /// Whether a page can carry this event, in either encoding: a comment
    /// of at most [`MAX_COMMENT_BYTES`], a pack version of 1 to
    /// [`MAX_PACK_VERSION_BYTES`] bytes. The registry leaves an event that
    /// fails out of the page (and moves the cursor past it), so one bad
    /// event never blocks the ones after it.
    pub fn check(&self) -> Result<()> {
        match self {
            PageEvent::Decision { .. } => Ok(()),
            PageEvent::Comment { sealed, .. } if sealed.len() > MAX_COMMENT_BYTES => {
                Err(AnswerFrameError::BadLength {
                    what: "comment",
                    len: sealed.len() as u64,
                })
            }
            PageEvent::Comment { .. } => Ok(()),
            PageEvent::RulePack { version, .. }
                if version.is_empty() || version.len() > MAX_PACK_VERSION_BYTES =>
            {
                Err(AnswerFrameError::BadLength {
                    what: "rule pack version",
                    len: version.len() as u64,
                })
            }
            PageEvent::RulePack { .. } => Ok(()),
            PageEvent::Unknown { .. } => {
                Err(AnswerFrameError::BadValue("event of an unknown kind"))
            }
        }
    }
}

/// A pull answer, whichever encoding carried it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct EventsPage {
    pub events: Vec<PageEvent>,
    pub cursor: i64,
    pub more: bool,
    /// The registry's TLS pins, base64 as in JSON; the frame carries each
    /// as its 32 raw bytes.
    pub tls_pins: Vec<String>,
}

// ---- primitives

fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn zigzag(v: i64) -> u64 {
    ((v << 1) ^ (v >> 63)) as u64
}

fn unzigzag(v: u64) -> i64 {
    ((v >> 1) as i64) ^ -((v & 1) as i64)
}

/// A cursor over the frame's bytes.
struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn byte(&mut self) -> Result<u8> {
        let (&b, rest) = self.0.split_first().ok_or(AnswerFrameError::Truncated)?;
        self.0 = rest;
        Ok(b)
    }

    fn bytes(&mut self, n: usize) -> Result<&'a [u8]> {
        if self.0.len() < n {
            return Err(AnswerFrameError::Truncated);
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Ok(head)
    }

    fn varint(&mut self) -> Result<u64> {
        let mut v: u64 = 0;
        for i in 0..10 {
            let b = self.byte()?;
            let part = u64::from(b & 0x7f);
            if i == 9 && part > 1 {
                return Err(AnswerFrameError::BadNumber);
            }
            v |= part << (7 * i);
            if b & 0x80 == 0 {
                // Canonical: no trailing zero group (zero itself is one byte).
                if i > 0 && b == 0 {
                    return Err(AnswerFrameError::BadNumber);
                }
                return Ok(v);
            }
        }
        Err(AnswerFrameError::BadNumber)
    }

    fn u32(&mut self) -> Result<u32> {
        u32::try_from(self.varint()?).map_err(|_| AnswerFrameError::BadNumber)
    }

    fn uuid(&mut self) -> Result<Uuid> {
        let raw = self.bytes(16)?;
        Uuid::from_slice(raw).map_err(|_| AnswerFrameError::Truncated)
    }

    /// A count or length, refused above `max` before anything is allocated.
    fn bounded(&mut self, what: &'static str, max: usize) -> Result<usize> {
        let n = self.varint()?;
        if n > max as u64 {
            return Err(AnswerFrameError::TooMany { what, count: n });
        }
        Ok(n as usize)
    }

    fn header(&mut self, magic: &[u8; 2]) -> Result<()> {
        let m = self.bytes(2).map_err(|_| AnswerFrameError::BadMagic)?;
        if m != magic {
            return Err(AnswerFrameError::BadMagic);
        }
        match self.byte()? {
            FRAME_VERSION => Ok(()),
            v => Err(AnswerFrameError::UnknownVersion(v)),
        }
    }

    fn end(&self) -> Result<()> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(AnswerFrameError::Trailing)
        }
    }
}

fn case_status_code(s: CaseStatus) -> u8 {
    match s {
        CaseStatus::Received => 0,
        CaseStatus::UnderReview => 1,
        CaseStatus::Approved => 2,
        CaseStatus::Returned => 3,
        CaseStatus::Rejected => 4,
        CaseStatus::Unknown => CASE_STATUS_UNKNOWN,
    }
}

fn case_status_of(code: u8) -> CaseStatus {
    match code {
        0 => CaseStatus::Received,
        1 => CaseStatus::UnderReview,
        2 => CaseStatus::Approved,
        3 => CaseStatus::Returned,
        4 => CaseStatus::Rejected,
        // Codes a newer registry may use (the mask allows up to 7).
        _ => CaseStatus::Unknown,
    }
}

// ---- push results

/// Write push results as a compact frame. Fails only on values the frame
/// cannot carry (more than [`MAX_OPS_PER_PUSH`] results, a code that is
/// empty, not ASCII or longer than [`MAX_CODE_BYTES`]).
pub fn encode_results(results: &[OpResult]) -> Result<Vec<u8>> {
    if results.len() > MAX_OPS_PER_PUSH {
        return Err(AnswerFrameError::TooMany {
            what: "results",
            count: results.len() as u64,
        });
    }
    let mut out = Vec::with_capacity(4 + results.len() * 3);
    out.extend_from_slice(RESULTS_MAGIC);
    out.push(FRAME_VERSION);
    put_varint(&mut out, results.len() as u64);
    let mut prev: u64 = 0;
    for r in results {
        put_varint(&mut out, zigzag(r.device_seq.wrapping_sub(prev) as i64));
        prev = r.device_seq;
        let mut flags = match r.status {
            OpStatus::Stored => 0,
            OpStatus::Duplicate => 1,
            OpStatus::Rejected => 2,
        };
        if r.flagged {
            flags |= RESULT_FLAGGED;
        }
        match &r.code {
            None => out.push(flags),
            Some(code) => {
                if code.is_empty() || code.len() > MAX_CODE_BYTES || !code.is_ascii() {
                    return Err(AnswerFrameError::BadLength {
                        what: "code",
                        len: code.len() as u64,
                    });
                }
                out.push(flags | RESULT_CODE);
                out.push(code.len() as u8);
                out.extend_from_slice(code.as_bytes());
            }
        }
    }
    Ok(out)
}

/// Read a results frame.
pub fn decode_results(frame: &[u8]) -> Result<Vec<OpResult>> {
    let mut r = Reader(frame);
    r.header(RESULTS_MAGIC)?;
    let count = r.bounded("results", MAX_OPS_PER_PUSH)?;
    let mut out = Vec::with_capacity(count.min(frame.len()));
    let mut prev: u64 = 0;
    for _ in 0..count {
        let seq = prev.wrapping_add(unzigzag(r.varint()?) as u64);
        prev = seq;
        let flags = r.byte()?;
        if flags & !(STATUS_MASK | RESULT_FLAGGED | RESULT_CODE) != 0 {
            return Err(AnswerFrameError::BadValue("result flags"));
        }
        let status = match flags & STATUS_MASK {
            0 => OpStatus::Stored,
            1 => OpStatus::Duplicate,
            2 => OpStatus::Rejected,
            _ => return Err(AnswerFrameError::BadValue("result status")),
        };
        let code = if flags & RESULT_CODE != 0 {
            let len = usize::from(r.byte()?);
            if len == 0 || len > MAX_CODE_BYTES {
                return Err(AnswerFrameError::BadLength {
                    what: "code",
                    len: len as u64,
                });
            }
            let raw = r.bytes(len)?;
            if !raw.is_ascii() {
                return Err(AnswerFrameError::BadValue("code"));
            }
            Some(String::from_utf8_lossy(raw).into_owned())
        } else {
            None
        };
        out.push(OpResult {
            device_seq: seq,
            status,
            code,
            flagged: flags & RESULT_FLAGGED != 0,
        });
    }
    r.end()?;
    Ok(out)
}

// ---- pull pages

fn seq_delta(prev: i64, seq: i64) -> Result<u64> {
    if seq <= prev {
        return Err(AnswerFrameError::NotIncreasing);
    }
    Ok(seq.abs_diff(prev))
}

/// Write a pull page as a compact frame. Fails on values the frame cannot
/// carry: event numbers not increasing from 1, too many events or pins,
/// a comment or a pack version over its limit.
pub fn encode_events(page: &EventsPage) -> Result<Vec<u8>> {
    if page.events.len() > MAX_EVENTS_PER_PAGE {
        return Err(AnswerFrameError::TooMany {
            what: "events",
            count: page.events.len() as u64,
        });
    }
    if page.tls_pins.len() > MAX_PINS {
        return Err(AnswerFrameError::TooMany {
            what: "pins",
            count: page.tls_pins.len() as u64,
        });
    }
    let mut out = Vec::with_capacity(16 + page.tls_pins.len() * 32 + page.events.len() * 21);
    out.extend_from_slice(EVENTS_MAGIC);
    out.push(FRAME_VERSION);
    put_varint(&mut out, zigzag(page.cursor));
    out.push(u8::from(page.more));
    put_varint(&mut out, page.tls_pins.len() as u64);
    for pin in &page.tls_pins {
        let raw = B64
            .decode(pin)
            .ok()
            .filter(|p| p.len() == 32)
            .ok_or(AnswerFrameError::BadValue("tls pin"))?;
        out.extend_from_slice(&raw);
    }
    put_varint(&mut out, page.events.len() as u64);
    let mut prev: i64 = 0;
    for e in &page.events {
        put_varint(&mut out, seq_delta(prev, e.seq())?);
        prev = e.seq();
        match e {
            PageEvent::Decision {
                case_id,
                version,
                status,
                flagged,
                ..
            } => {
                out.push(KIND_DECISION);
                out.extend_from_slice(case_id.as_bytes());
                put_varint(&mut out, u64::from(*version));
                let flag = if *flagged { EVENT_FLAGGED } else { 0 };
                out.push(case_status_code(*status) | flag);
            }
            PageEvent::Comment {
                case_id,
                version,
                sealed,
                ..
            } => {
                e.check()?;
                out.push(KIND_COMMENT);
                out.extend_from_slice(case_id.as_bytes());
                put_varint(&mut out, u64::from(*version));
                put_varint(&mut out, sealed.len() as u64);
                out.extend_from_slice(sealed);
            }
            PageEvent::RulePack { version, .. } => {
                e.check()?;
                out.push(KIND_RULE_PACK);
                put_varint(&mut out, version.len() as u64);
                out.extend_from_slice(version.as_bytes());
            }
            PageEvent::Unknown { .. } => e.check()?,
        }
    }
    Ok(out)
}

/// Read a pull page frame.
pub fn decode_events(frame: &[u8]) -> Result<EventsPage> {
    let mut r = Reader(frame);
    r.header(EVENTS_MAGIC)?;
    let cursor = unzigzag(r.varint()?);
    let more = match r.byte()? {
        0 => false,
        1 => true,
        _ => return Err(AnswerFrameError::BadValue("more flag")),
    };
    let pins = r.bounded("pins", MAX_PINS)?;
    let mut tls_pins = Vec::with_capacity(pins);
    for _ in 0..pins {
        tls_pins.push(B64.encode(r.bytes(32)?));
    }
    let count = r.bounded("events", MAX_EVENTS_PER_PAGE)?;
    let mut events = Vec::with_capacity(count.min(frame.len()));
    let mut prev: i64 = 0;
    for _ in 0..count {
        let delta = r.varint()?;
        if delta == 0 {
            return Err(AnswerFrameError::NotIncreasing);
        }
        let seq = i64::try_from(delta)
            .ok()
            .and_then(|d| prev.checked_add(d))
            .ok_or(AnswerFrameError::BadNumber)?;
        prev = seq;
        let event = match r.byte()? {
            KIND_DECISION => {
                let case_id = r.uuid()?;
                let version = r.u32()?;
                let b = r.byte()?;
                if b & !(CASE_STATUS_MASK | EVENT_FLAGGED) != 0 {
                    return Err(AnswerFrameError::BadValue("decision flags"));
                }
                PageEvent::Decision {
                    seq,
                    case_id,
                    version,
                    status: case_status_of(b & CASE_STATUS_MASK),
                    flagged: b & EVENT_FLAGGED != 0,
                }
            }
            KIND_COMMENT => {
                let case_id = r.uuid()?;
                let version = r.u32()?;
                let len = r.bounded("comment bytes", MAX_COMMENT_BYTES)?;
                PageEvent::Comment {
                    seq,
                    case_id,
                    version,
                    sealed: r.bytes(len)?.to_vec(),
                }
            }
            KIND_RULE_PACK => {
                let len = r.bounded("rule pack version bytes", MAX_PACK_VERSION_BYTES)?;
                if len == 0 {
                    return Err(AnswerFrameError::BadLength {
                        what: "rule pack version",
                        len: 0,
                    });
                }
                let version = std::str::from_utf8(r.bytes(len)?)
                    .map_err(|_| AnswerFrameError::BadValue("rule pack version"))?;
                PageEvent::RulePack {
                    seq,
                    version: version.to_string(),
                }
            }
            kind if kind >= FIRST_SKIPPABLE_KIND => {
                let len = r.bounded("event bytes", MAX_SKIPPABLE_BYTES)?;
                r.bytes(len)?;
                PageEvent::Unknown { seq }
            }
            _ => return Err(AnswerFrameError::BadValue("event kind")),
        };
        events.push(event);
    }
    r.end()?;
    Ok(EventsPage {
        events,
        cursor,
        more,
        tls_pins,
    })
}

// ---- the JSON forms and content negotiation

impl EventsPage {
    /// The JSON answer of the same page (comments as base64).
    pub fn to_json(&self) -> PullResponse {
        let events = self
            .events
            .iter()
            .map(|e| match e.clone() {
                PageEvent::Decision {
                    seq,
                    case_id,
                    version,
                    status,
                    flagged,
                } => Event {
                    seq,
                    body: EventBody::Decision {
                        case_id,
                        version,
                        status,
                        flagged,
                    },
                },
                PageEvent::Comment {
                    seq,
                    case_id,
                    version,
                    sealed,
                } => Event {
                    seq,
                    body: EventBody::Comment {
                        case_id,
                        version,
                        sealed: B64.encode(sealed),
                    },
                },
                PageEvent::RulePack { seq, version } => Event {
                    seq,
                    body: EventBody::RulePack { version },
                },
                PageEvent::Unknown { seq } => Event {
                    seq,
                    body: EventBody::Unknown,
                },
            })
            .collect();
        PullResponse {
            events,
            cursor: self.cursor,
            more: self.more,
            tls_pins: self.tls_pins.clone(),
        }
    }

    /// A JSON answer as a page; a comment that is not base64 is refused.
    pub fn from_json(answer: PullResponse) -> Result<EventsPage> {
        let mut events = Vec::with_capacity(answer.events.len());
        for e in answer.events {
            events.push(match e.body {
                EventBody::Decision {
                    case_id,
                    version,
                    status,
                    flagged,
                } => PageEvent::Decision {
                    seq: e.seq,
                    case_id,
                    version,
                    status,
                    flagged,
                },
                EventBody::Comment {
                    case_id,
                    version,
                    sealed,
                } => PageEvent::Comment {
                    seq: e.seq,
                    case_id,
                    version,
                    sealed: B64
                        .decode(sealed)
                        .map_err(|_| AnswerFrameError::BadValue("comment"))?,
                },
                EventBody::RulePack { version } => PageEvent::RulePack {
                    seq: e.seq,
                    version,
                },
                EventBody::Unknown => PageEvent::Unknown { seq: e.seq },
            });
        }
        Ok(EventsPage {
            events,
            cursor: answer.cursor,
            more: answer.more,
            tls_pins: answer.tls_pins,
        })
    }
}

/// The media type of a `Content-Type` value, without parameters.
fn media_type(value: &str) -> &str {
    value.split(';').next().unwrap_or("").trim()
}

/// Whether an `Accept` header value lists `media` (parameters and quality
/// ignored; `*/*` does not count: only a device that asks by name gets a
/// binary answer).
pub fn accepts(accept: Option<&str>, media: &str) -> bool {
    accept.is_some_and(|a| {
        a.split(',')
            .any(|item| media_type(item).eq_ignore_ascii_case(media))
    })
}

/// Whether a `Content-Type` value is `media`.
pub fn is_media(content_type: Option<&str>, media: &str) -> bool {
    content_type.is_some_and(|c| media_type(c).eq_ignore_ascii_case(media))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Issue 16: values a newer registry may send (a case status, a kind of
    /// event added after this library) are read, not refused: the status
    /// as `Unknown`, the event skipped by its length, in both encodings.
    #[test]
    fn a_newer_registrys_values_are_read_not_refused() {
        let case = Uuid::from_bytes([3; 16]);
        let mut frame = EVENTS_MAGIC.to_vec();
        frame.push(FRAME_VERSION);
        put_varint(&mut frame, zigzag(12)); // cursor
        frame.push(0); // more
        frame.push(0); // pins
        put_varint(&mut frame, 3); // events
                                   // seq 10: a decision with status code 5, flagged.
        put_varint(&mut frame, 10);
        frame.push(KIND_DECISION);
        frame.extend_from_slice(case.as_bytes());
        put_varint(&mut frame, 2);
        frame.push(5 | EVENT_FLAGGED);
        // seq 11: a kind from the skippable range with a 4-byte body.
        put_varint(&mut frame, 1);
        frame.push(FIRST_SKIPPABLE_KIND + 3);
        put_varint(&mut frame, 4);
        frame.extend_from_slice(&[9, 9, 9, 9]);
        // seq 12: a rule pack after it still arrives.
        put_varint(&mut frame, 1);
        frame.push(KIND_RULE_PACK);
        put_varint(&mut frame, 9);
        frame.extend_from_slice(b"kz-2027.1");
        let page = decode_events(&frame).unwrap();
        assert_eq!(
            page.events,
            vec![
                PageEvent::Decision {
                    seq: 10,
                    case_id: case,
                    version: 2,
                    status: CaseStatus::Unknown,
                    flagged: true,
                },
                PageEvent::Unknown { seq: 11 },
                PageEvent::RulePack {
                    seq: 12,
                    version: "kz-2027.1".into(),
                },
            ]
        );
        assert_eq!(page.cursor, 12);

        // A skippable event whose length runs past the frame is truncated;
        // a kind below the skippable range that this library does not know
        // cannot be skipped and is refused.
        let mut short = frame.clone();
        short.truncate(frame.len() - 13);
        assert!(decode_events(&short).is_err());
        let mut reserved = frame.clone();
        let at = frame
            .iter()
            .position(|b| *b == FIRST_SKIPPABLE_KIND + 3)
            .unwrap();
        reserved[at] = 5;
        assert_eq!(
            decode_events(&reserved),
            Err(AnswerFrameError::BadValue("event kind"))
        );

        // The same in JSON: an unknown status and an unknown kind.
        let json = format!(
            r#"{{"events":[
                {{"seq":10,"kind":"decision","case_id":"{case}","version":2,"status":"closed","flagged":true}},
                {{"seq":11,"kind":"plan_approved","case_id":"{case}","plan":7}},
                {{"seq":12,"kind":"rule_pack","version":"kz-2027.1"}}
            ],"cursor":12,"more":false}}"#
        );
        let answer: PullResponse = serde_json::from_str(&json).unwrap();
        assert_eq!(EventsPage::from_json(answer).unwrap(), page);

        // The registry never sends what it cannot name: a page holding an
        // unknown event does not encode.
        assert!(encode_events(&page).is_err());
        assert_eq!(CaseStatus::parse("unknown"), None);
        assert_eq!(
            CaseStatus::parse_stored("unknown"),
            Some(CaseStatus::Unknown)
        );
    }

    fn results() -> Vec<OpResult> {
        vec![
            OpResult {
                device_seq: 41,
                status: OpStatus::Stored,
                code: None,
                flagged: false,
            },
            OpResult {
                device_seq: 42,
                status: OpStatus::Duplicate,
                code: None,
                flagged: true,
            },
            OpResult {
                device_seq: 0,
                status: OpStatus::Rejected,
                code: Some("tampered".into()),
                flagged: false,
            },
            OpResult {
                device_seq: u64::MAX,
                status: OpStatus::Rejected,
                code: Some("invalid_form".into()),
                flagged: false,
            },
        ]
    }

    fn page() -> EventsPage {
        EventsPage {
            events: vec![
                PageEvent::Decision {
                    seq: 17,
                    case_id: Uuid::from_bytes([7; 16]),
                    version: 2,
                    status: CaseStatus::Returned,
                    flagged: true,
                },
                PageEvent::Comment {
                    seq: 18,
                    case_id: Uuid::from_bytes([8; 16]),
                    version: u32::MAX,
                    sealed: vec![1, 2, 3, 0, 255],
                },
                PageEvent::RulePack {
                    seq: 300,
                    version: "kz-2026.2".into(),
                },
            ],
            cursor: 300,
            more: true,
            tls_pins: vec![B64.encode([9; 32]), B64.encode([10; 32])],
        }
    }

    #[test]
    fn results_round_trip_and_are_small() {
        let frame = encode_results(&results()).unwrap();
        assert_eq!(decode_results(&frame).unwrap(), results());
        // Two bytes per plain result after the 4-byte header.
        let plain: Vec<OpResult> = (1..=50)
            .map(|s| OpResult {
                device_seq: s,
                status: OpStatus::Stored,
                code: None,
                flagged: false,
            })
            .collect();
        assert_eq!(encode_results(&plain).unwrap().len(), 4 + 50 * 2);
        assert_eq!(decode_results(&encode_results(&[]).unwrap()).unwrap(), []);
    }

    #[test]
    fn pages_round_trip_and_decisions_are_small() {
        let frame = encode_events(&page()).unwrap();
        assert_eq!(decode_events(&frame).unwrap(), page());
        let one = EventsPage {
            events: vec![PageEvent::Decision {
                seq: 1,
                case_id: Uuid::nil(),
                version: 1,
                status: CaseStatus::Received,
                flagged: false,
            }],
            cursor: 1,
            more: false,
            tls_pins: vec![],
        };
        // header 3, cursor 1, more 1, pins 1, count 1; event 1 + 1 + 16 + 1 + 1.
        assert_eq!(encode_events(&one).unwrap().len(), 7 + 20);
        let empty = EventsPage {
            cursor: -5,
            ..EventsPage::default()
        };
        assert_eq!(
            decode_events(&encode_events(&empty).unwrap()).unwrap(),
            empty
        );
    }

    /// The check the registry filters a page with is the encoder's own:
    /// what passes encodes, what fails does not.
    #[test]
    fn event_checks_match_the_encoder() {
        let comment = |n: usize| PageEvent::Comment {
            seq: 1,
            case_id: Uuid::nil(),
            version: 1,
            sealed: vec![0; n],
        };
        let pack = |v: String| PageEvent::RulePack { seq: 1, version: v };
        for (event, ok) in [
            (comment(MAX_COMMENT_BYTES), true),
            (comment(MAX_COMMENT_BYTES + 1), false),
            (pack("a".repeat(MAX_PACK_VERSION_BYTES)), true),
            (pack("a".repeat(MAX_PACK_VERSION_BYTES + 1)), false),
            (pack(String::new()), false),
        ] {
            let page = EventsPage {
                events: vec![event.clone()],
                ..EventsPage::default()
            };
            assert_eq!(event.check().is_ok(), ok);
            assert_eq!(encode_events(&page).is_ok(), ok);
        }
    }

    #[test]
    fn every_truncation_is_refused() {
        let frame = encode_results(&results()).unwrap();
        for n in 0..frame.len() {
            assert!(decode_results(&frame[..n]).is_err(), "results prefix {n}");
        }
        let frame = encode_events(&page()).unwrap();
        for n in 0..frame.len() {
            assert!(decode_events(&frame[..n]).is_err(), "events prefix {n}");
        }
    }

    #[test]
    fn damage_is_refused_with_its_reason() {
        let mut frame = encode_results(&results()).unwrap();
        frame.push(0);
        assert_eq!(decode_results(&frame), Err(AnswerFrameError::Trailing));
        assert_eq!(
            decode_results(b"XX\x01\x00"),
            Err(AnswerFrameError::BadMagic)
        );
        assert_eq!(
            decode_results(b"KR\x02\x00"),
            Err(AnswerFrameError::UnknownVersion(2))
        );
        // The wrong frame for the answer.
        let events = encode_events(&page()).unwrap();
        assert_eq!(decode_results(&events), Err(AnswerFrameError::BadMagic));
        assert_eq!(
            decode_events(&encode_results(&[]).unwrap()),
            Err(AnswerFrameError::BadMagic)
        );
        // Counts over the limits, before anything is read or allocated.
        assert!(matches!(
            decode_results(b"KR\x01\xf5\x03"),
            Err(AnswerFrameError::TooMany { count: 501, .. })
        ));
        assert!(matches!(
            decode_events(b"KE\x01\x00\x00\x00\xe9\x07"),
            Err(AnswerFrameError::TooMany { count: 1001, .. })
        ));
        assert!(matches!(
            decode_events(b"KE\x01\x00\x00\x11"),
            Err(AnswerFrameError::TooMany { count: 17, .. })
        ));
        // A huge count is refused, not allocated.
        assert!(matches!(
            decode_events(b"KE\x01\x00\x00\x00\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01"),
            Err(AnswerFrameError::TooMany { .. })
        ));
        // Non-canonical and overlong numbers.
        assert_eq!(
            decode_results(b"KR\x01\x80\x00"),
            Err(AnswerFrameError::BadNumber)
        );
        assert_eq!(
            decode_events(b"KE\x01\xff\xff\xff\xff\xff\xff\xff\xff\xff\x02\x00\x00\x00"),
            Err(AnswerFrameError::BadNumber)
        );
        // Unknown status, flags, kinds; events out of order.
        assert_eq!(
            decode_results(b"KR\x01\x01\x02\x03"),
            Err(AnswerFrameError::BadValue("result status"))
        );
        assert_eq!(
            decode_results(b"KR\x01\x01\x02\x10"),
            Err(AnswerFrameError::BadValue("result flags"))
        );
        assert_eq!(
            decode_events(b"KE\x01\x00\x00\x00\x01\x01\x09"),
            Err(AnswerFrameError::BadValue("event kind"))
        );
        assert_eq!(
            decode_events(b"KE\x01\x00\x00\x00\x01\x00\x03\x01a"),
            Err(AnswerFrameError::NotIncreasing)
        );
        assert_eq!(
            decode_events(b"KE\x01\x00\x02\x00\x00"),
            Err(AnswerFrameError::BadValue("more flag"))
        );
        // Values the encoder will not write.
        let bad_code = [OpResult {
            device_seq: 1,
            status: OpStatus::Rejected,
            code: Some("x".repeat(65)),
            flagged: false,
        }];
        assert!(encode_results(&bad_code).is_err());
        let mut backwards = page();
        backwards.events.reverse();
        assert_eq!(
            encode_events(&backwards),
            Err(AnswerFrameError::NotIncreasing)
        );
    }

    #[test]
    fn json_and_binary_pages_are_the_same_page() {
        let json = page().to_json();
        assert_eq!(EventsPage::from_json(json.clone()).unwrap(), page());
        let text = serde_json::to_string(&json).unwrap();
        assert!(text.contains("\"kind\":\"comment\""), "{text}");
        let mut bad = json;
        if let EventBody::Comment { sealed, .. } = &mut bad.events[1].body {
            *sealed = "not base64!".into();
        }
        assert_eq!(
            EventsPage::from_json(bad),
            Err(AnswerFrameError::BadValue("comment"))
        );
        let mut bad_pin = page();
        bad_pin.tls_pins = vec!["AAAA".into()];
        assert_eq!(
            encode_events(&bad_pin),
            Err(AnswerFrameError::BadValue("tls pin"))
        );
    }

    #[test]
    fn negotiation_reads_accept_and_content_type() {
        let m = crate::sync::wire::RESULTS_CONTENT_TYPE;
        assert!(accepts(Some(m), m));
        assert!(accepts(
            Some("application/json, APPLICATION/vnd.komek.results;q=0.9"),
            m
        ));
        assert!(!accepts(Some("*/*"), m));
        assert!(!accepts(Some("application/json"), m));
        assert!(!accepts(None, m));
        assert!(is_media(Some("application/vnd.komek.results; v=1"), m));
        assert!(!is_media(Some("application/json"), m));
        assert!(!is_media(None, m));
    }

    fn arb_result() -> impl Strategy<Value = OpResult> {
        (
            any::<u64>(),
            0u8..3,
            proptest::option::of("[a-z_]{1,64}"),
            any::<bool>(),
        )
            .prop_map(|(device_seq, s, code, flagged)| OpResult {
                device_seq,
                status: [OpStatus::Stored, OpStatus::Duplicate, OpStatus::Rejected][usize::from(s)],
                code,
                flagged,
            })
    }

    fn arb_event() -> impl Strategy<Value = (u32, PageEvent)> {
        let statuses = [
            CaseStatus::Received,
            CaseStatus::UnderReview,
            CaseStatus::Approved,
            CaseStatus::Returned,
            CaseStatus::Rejected,
        ];
        prop_oneof![
            (
                1u32..100_000,
                any::<[u8; 16]>(),
                any::<u32>(),
                proptest::sample::select(statuses.to_vec()),
                any::<bool>()
            )
                .prop_map(|(d, id, version, status, flagged)| (
                    d,
                    PageEvent::Decision {
                        seq: 0,
                        case_id: Uuid::from_bytes(id),
                        version,
                        status,
                        flagged
                    }
                )),
            (
                1u32..100_000,
                any::<[u8; 16]>(),
                any::<u32>(),
                proptest::collection::vec(any::<u8>(), 0..300)
            )
                .prop_map(|(d, id, version, sealed)| (
                    d,
                    PageEvent::Comment {
                        seq: 0,
                        case_id: Uuid::from_bytes(id),
                        version,
                        sealed
                    }
                )),
            (1u32..100_000, "\\PC{1,30}")
                .prop_filter("at most 128 bytes", |(_, v)| v.len() <= 128)
                .prop_map(|(d, version)| (d, PageEvent::RulePack { seq: 0, version })),
        ]
    }

    fn with_seq(e: PageEvent, s: i64) -> PageEvent {
        match e {
            PageEvent::Decision {
                case_id,
                version,
                status,
                flagged,
                ..
            } => PageEvent::Decision {
                seq: s,
                case_id,
                version,
                status,
                flagged,
            },
            PageEvent::Comment {
                case_id,
                version,
                sealed,
                ..
            } => PageEvent::Comment {
                seq: s,
                case_id,
                version,
                sealed,
            },
            PageEvent::RulePack { version, .. } => PageEvent::RulePack { seq: s, version },
            PageEvent::Unknown { .. } => PageEvent::Unknown { seq: s },
        }
    }

    proptest! {
        #[test]
        fn results_round_trip(rs in proptest::collection::vec(arb_result(), 0..60)) {
            let frame = encode_results(&rs).unwrap();
            prop_assert_eq!(decode_results(&frame).unwrap(), rs);
        }

        #[test]
        fn pages_round_trip(
            cursor in any::<i64>(),
            more in any::<bool>(),
            pins in proptest::collection::vec(any::<[u8; 32]>().prop_map(|p| B64.encode(p)), 0..4),
            evs in proptest::collection::vec(arb_event(), 0..30),
        ) {
            let mut seq = 0i64;
            let events = evs
                .into_iter()
                .map(|(d, e)| {
                    seq += i64::from(d);
                    with_seq(e, seq)
                })
                .collect();
            let page = EventsPage { events, cursor, more, tls_pins: pins };
            let frame = encode_events(&page).unwrap();
            prop_assert_eq!(decode_events(&frame).unwrap(), page);
        }

        #[test]
        fn garbage_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
            let _ = decode_results(&bytes);
            let _ = decode_events(&bytes);
            // With a valid header too, so the body parsers get exercised.
            let mut r = b"KR\x01".to_vec();
            r.extend_from_slice(&bytes);
            let _ = decode_results(&r);
            let mut e = b"KE\x01".to_vec();
            e.extend_from_slice(&bytes);
            let _ = decode_events(&e);
        }

        #[test]
        fn flipped_bytes_never_panic(i in 0usize..2000, x in 1u8..=255) {
            let mut frame = encode_events(&page()).unwrap();
            let i = i % frame.len();
            frame[i] ^= x;
            let _ = decode_events(&frame);
            let mut frame = encode_results(&results()).unwrap();
            let i = i % frame.len();
            frame[i] ^= x;
            let _ = decode_results(&frame);
        }
    }
}
