//! How a follow-up record (plan, referral, visit, exit) becomes the plaintext
//! of a sealed operation, and back.
//!
//! A plan or a visit is small and mostly field names, enum codes and ids:
//! compressed alone, zstd cannot learn the names from one record. So the
//! record's JSON is compressed against a fixed **raw-content dictionary**
//! (`followup-dict-v1.json`: one record of each kind and every code, in the
//! order serde writes them), in a frame without magic number, dictionary id
//! or checksum. The first byte names the codec and so the dictionary:
//!
//! | first byte | encoding |
//! |---|---|
//! | `0x11` | [`CODEC_FOLLOWUP_V1`]: the record's serde JSON, zstd level 19 against `followup-dict-v1.json` |
//!
//! The dictionary can never change once records use it; a new one is a new
//! codec byte. The record kind travels in the seal header's entity byte
//! ([`entity_code`]); the decoder of a kind refuses another kind's content
//! (the JSON does not parse as that record: `deny_unknown_fields`).
//!
//! Figures (`cargo run -p komek-core --example followup_sizes`) are in
//! `docs/case-follow-up.md`. The sync client seals outbox operations of the
//! kinds `plan`, `referral`, `visit` and `exit` with it; the registry opens
//! them with [`decode_head`] (`registry/src/api/ingest.rs`).

use crate::followup::{FollowUpRecord, RecordKind};
use std::sync::OnceLock;
use zstd::dict::{DecoderDictionary, EncoderDictionary};
use zstd::zstd_safe::{CParameter, DParameter, FrameFormat};

/// The record's JSON compressed against dictionary v1.
pub const CODEC_FOLLOWUP_V1: u8 = 0x11;
/// A decoded record larger than this is refused (a bomb, not a plan).
pub const MAX_DECODED: usize = 256 * 1024;
const LEVEL: i32 = 19;

static DICTIONARY_V1: &str = include_str!("followup-dict-v1.json");

fn encoder_dictionary() -> &'static EncoderDictionary<'static> {
    static D: OnceLock<EncoderDictionary<'static>> = OnceLock::new();
    D.get_or_init(|| EncoderDictionary::new(DICTIONARY_V1.as_bytes(), LEVEL))
}

fn decoder_dictionary() -> &'static DecoderDictionary<'static> {
    static D: OnceLock<DecoderDictionary<'static>> = OnceLock::new();
    D.get_or_init(|| DecoderDictionary::new(DICTIONARY_V1.as_bytes()))
}

/// The seal header's entity byte of each kind (1 is a household).
pub fn entity_code(kind: RecordKind) -> u8 {
    match kind {
        RecordKind::Plan => 2,
        RecordKind::Referral => 3,
        RecordKind::Visit => 4,
        RecordKind::Exit => 5,
    }
}

/// The kind of an entity byte, `None` for a household or an unknown one.
pub fn kind_of_entity(code: u8) -> Option<RecordKind> {
    RecordKind::ALL
        .into_iter()
        .find(|k| entity_code(*k) == code)
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum FollowUpCodecError {
    #[error("record cannot be encoded")]
    Encode,
    #[error("record content is not valid compressed data")]
    Decompress,
    #[error("record content is not a {0:?} record")]
    Decode(RecordKind),
    #[error("record content has unknown codec version {0:#04x}")]
    UnsupportedVersion(u8),
}

/// The plaintext of a sealed operation carrying `r`.
pub fn encode<R: FollowUpRecord>(r: &R) -> Result<Vec<u8>, FollowUpCodecError> {
    let json =
        zeroize::Zeroizing::new(serde_json::to_vec(r).map_err(|_| FollowUpCodecError::Encode)?);
    let mut c = zstd::bulk::Compressor::with_prepared_dictionary(encoder_dictionary())
        .map_err(|_| FollowUpCodecError::Encode)?;
    for p in [
        CParameter::Format(FrameFormat::Magicless),
        CParameter::DictIdFlag(false),
        CParameter::ChecksumFlag(false),
        CParameter::ContentSizeFlag(true),
    ] {
        c.set_parameter(p).map_err(|_| FollowUpCodecError::Encode)?;
    }
    let body = c.compress(&json).map_err(|_| FollowUpCodecError::Encode)?;
    let mut out = Vec::with_capacity(1 + body.len());
    out.push(CODEC_FOLLOWUP_V1);
    out.extend_from_slice(&body);
    Ok(out)
}

/// The record of kind `R` in `bytes`.
pub fn decode<R: FollowUpRecord>(bytes: &[u8]) -> Result<R, FollowUpCodecError> {
    match bytes.first() {
        Some(&CODEC_FOLLOWUP_V1) => {}
        Some(&v) => return Err(FollowUpCodecError::UnsupportedVersion(v)),
        None => return Err(FollowUpCodecError::Decompress),
    }
    let mut d = zstd::bulk::Decompressor::with_prepared_dictionary(decoder_dictionary())
        .map_err(|_| FollowUpCodecError::Decompress)?;
    d.set_parameter(DParameter::Format(FrameFormat::Magicless))
        .map_err(|_| FollowUpCodecError::Decompress)?;
    let json = zeroize::Zeroizing::new(
        d.decompress(&bytes[1..], MAX_DECODED)
            .map_err(|_| FollowUpCodecError::Decompress)?,
    );
    serde_json::from_slice(&json).map_err(|_| FollowUpCodecError::Decode(R::KIND))
}

/// The head of the record of `kind` in `bytes`, after decoding the whole
/// record (the registry checks a record's shape and its header this way
/// without knowing its type statically).
pub fn decode_head(
    kind: RecordKind,
    bytes: &[u8],
) -> Result<crate::followup::RecordHead, FollowUpCodecError> {
    use crate::followup::{ExitRecord, IntegrationPlan, Referral, Visit};
    Ok(match kind {
        RecordKind::Plan => decode::<IntegrationPlan>(bytes)?.head,
        RecordKind::Referral => decode::<Referral>(bytes)?.head,
        RecordKind::Visit => decode::<Visit>(bytes)?.head,
        RecordKind::Exit => decode::<ExitRecord>(bytes)?.head,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::followup::tests_support::{d, family, now};
    use crate::followup::{
        Check, ExitReason, ExitRecord, IntegrationPlan, RecordHead, Referral, Visit,
    };
    use crate::rules::{default_pack, evaluate};

    fn plan() -> IntegrationPlan {
        let h = family();
        let report = evaluate(&h, default_pack(), d(2026, 3, 1));
        crate::followup::propose::propose_plan(
            &h,
            &report,
            default_pack(),
            d(2026, 3, 1),
            "Career centre",
            now(),
        )
        .unwrap()
    }

    #[test]
    fn every_kind_round_trips_and_is_smaller_than_its_json() {
        let p = plan();
        let bytes = encode(&p).unwrap();
        assert_eq!(bytes[0], CODEC_FOLLOWUP_V1);
        assert_eq!(decode::<IntegrationPlan>(&bytes).unwrap(), p);
        assert!(bytes.len() * 2 < serde_json::to_vec(&p).unwrap().len());

        let h = family();
        let r = crate::followup::propose::propose_referrals(
            &h,
            &evaluate(&h, default_pack(), d(2026, 3, 1)),
            d(2026, 3, 1),
            now(),
        )
        .remove(0);
        assert_eq!(decode::<Referral>(&encode(&r).unwrap()).unwrap(), r);
        let mut v = Visit::new(RecordHead::new(h.id, now()), d(2026, 3, 1));
        v.checked = vec![Check::PlanMeasures];
        assert_eq!(decode::<Visit>(&encode(&v).unwrap()).unwrap(), v);
        let x = ExitRecord {
            head: RecordHead::new(h.id, now()),
            on: d(2026, 3, 1),
            reason: ExitReason::Moved,
            note: None,
        };
        assert_eq!(decode::<ExitRecord>(&encode(&x).unwrap()).unwrap(), x);
    }

    #[test]
    fn another_kind_an_unknown_codec_or_garbage_is_refused() {
        let bytes = encode(&plan()).unwrap();
        assert_eq!(
            decode::<Visit>(&bytes),
            Err(FollowUpCodecError::Decode(RecordKind::Visit))
        );
        let mut other = bytes.clone();
        other[0] = 0x01;
        assert_eq!(
            decode::<IntegrationPlan>(&other),
            Err(FollowUpCodecError::UnsupportedVersion(0x01))
        );
        assert!(decode::<IntegrationPlan>(&bytes[..bytes.len() / 2]).is_err());
        assert_eq!(
            decode::<IntegrationPlan>(&[]),
            Err(FollowUpCodecError::Decompress)
        );
        for k in RecordKind::ALL {
            assert_eq!(kind_of_entity(entity_code(k)), Some(k));
        }
        assert_eq!(
            decode_head(RecordKind::Plan, &bytes).unwrap(),
            decode::<IntegrationPlan>(&bytes).unwrap().head
        );
        assert!(decode_head(RecordKind::Exit, &bytes).is_err());
        assert_eq!(kind_of_entity(1), None);
    }
}
