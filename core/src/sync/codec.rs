//! How a household becomes the plaintext of a sealed operation, and back.
//!
//! Ciphertext does not compress, so compression happens here, inside the
//! seal, to count on a 2G link. The first byte says which encoding follows:
//!
//! | first byte | encoding | since |
//! |---|---|---|
//! | `0x01` | [`CODEC_COMPACT_V1`]: the compact binary form ([`super::compact`]) compressed with zstd against the embedded dictionary `codec-dict-v1.zdict` (frame without magic number, dictionary id or checksum: the version byte names the dictionary) | seal format 2 |
//! | `0x28` | the original format: the model's serde JSON in a standard zstd frame (`28 b5 2f fd` is zstd's magic number) | seal format 1 |
//!
//! New forms are always written as the newest version; every version ever
//! written stays readable, because the registry keeps the sealed bytes it was
//! sent and opens them again when a supervisor views a case. How to retrain
//! the dictionary: `core/examples/train_codec_dictionary.rs`; a new
//! dictionary is a new codec version, never a replacement of this one.

use super::compact;
use crate::model::Household;
use std::sync::OnceLock;
use zstd::dict::{DecoderDictionary, EncoderDictionary};
use zstd::zstd_safe::{CParameter, DParameter, FrameFormat};

/// The compact binary form, zstd with dictionary 1.
pub const CODEC_COMPACT_V1: u8 = 0x01;
/// The first bytes of the original JSON + zstd content (zstd's magic number).
const LEGACY_JSON_ZSTD: [u8; 4] = [0x28, 0xb5, 0x2f, 0xfd];
/// zstd level: the best ratio that still compresses a form in well under a
/// millisecond on a phone (forms are small).
const LEVEL: i32 = 19;
/// A decoded form larger than this is refused (a zip bomb, not a household).
pub const MAX_DECODED: usize = 1024 * 1024;

/// The dictionary of [`CODEC_COMPACT_V1`], trained on synthetic forms of seeds
/// the benchmarks do not use (see the training example).
static DICTIONARY_V1: &[u8] = include_bytes!("codec-dict-v1.zdict");
/// Its id, as written in its header; checked when this crate is compiled.
pub const DICTIONARY_V1_ID: u32 = 0x4b4d_0001;
const _: () = {
    let d = DICTIONARY_V1;
    assert!(d.len() > 8, "codec dictionary missing");
    assert!(
        u32::from_le_bytes([d[0], d[1], d[2], d[3]]) == 0xec30_a437,
        "codec dictionary is not a zstd dictionary"
    );
    assert!(
        u32::from_le_bytes([d[4], d[5], d[6], d[7]]) == DICTIONARY_V1_ID,
        "codec dictionary id does not match DICTIONARY_V1_ID"
    );
};

/// The dictionary digested once per process (at level [`LEVEL`]): preparing
/// it costs more than compressing a form.
fn encoder_dictionary() -> &'static EncoderDictionary<'static> {
    static D: OnceLock<EncoderDictionary<'static>> = OnceLock::new();
    D.get_or_init(|| EncoderDictionary::new(DICTIONARY_V1, LEVEL))
}

fn decoder_dictionary() -> &'static DecoderDictionary<'static> {
    static D: OnceLock<DecoderDictionary<'static>> = OnceLock::new();
    D.get_or_init(|| DecoderDictionary::new(DICTIONARY_V1))
}

#[derive(Debug, thiserror::Error)]
pub enum CodecError {
    #[error("form cannot be encoded")]
    Encode,
    #[error("form content is not valid compressed data")]
    Decompress,
    #[error("form content is not a household: {0}")]
    Decode(String),
    #[error("form content has unknown codec version {0:#04x}")]
    UnsupportedVersion(u8),
}

impl From<compact::CompactError> for CodecError {
    fn from(e: compact::CompactError) -> CodecError {
        CodecError::Decode(e.to_string())
    }
}

/// The plaintext of a sealed operation for `h`, in the newest encoding.
pub fn encode(h: &Household) -> Result<Vec<u8>, CodecError> {
    let plain = zeroize::Zeroizing::new(compact::encode(h));
    let mut c = zstd::bulk::Compressor::with_prepared_dictionary(encoder_dictionary())
        .map_err(|_| CodecError::Encode)?;
    for p in [
        CParameter::Format(FrameFormat::Magicless),
        CParameter::DictIdFlag(false),
        CParameter::ChecksumFlag(false),
        CParameter::ContentSizeFlag(true),
    ] {
        c.set_parameter(p).map_err(|_| CodecError::Encode)?;
    }
    let body = c.compress(&plain).map_err(|_| CodecError::Encode)?;
    let mut out = Vec::with_capacity(1 + body.len());
    out.push(CODEC_COMPACT_V1);
    out.extend_from_slice(&body);
    Ok(out)
}

/// The household in `bytes`, whichever codec version wrote them.
pub fn decode(bytes: &[u8]) -> Result<Household, CodecError> {
    match bytes.first() {
        Some(&CODEC_COMPACT_V1) => Ok(compact::decode(&inflate_v1(&bytes[1..])?)?),
        Some(_) if bytes.starts_with(&LEGACY_JSON_ZSTD) => decode_legacy_json(bytes),
        Some(&v) => Err(CodecError::UnsupportedVersion(v)),
        None => Err(CodecError::Decompress),
    }
}

/// The compact bytes inside a [`CODEC_COMPACT_V1`] body. The buffer is sized
/// from the frame's declared content size, so zeroizing it touches only what
/// was written (a buffer of [`MAX_DECODED`] capacity cost a 1 MiB memset per
/// form, most of the registry's CPU per pushed form).
fn inflate_v1(body: &[u8]) -> Result<zeroize::Zeroizing<Vec<u8>>, CodecError> {
    let mut d = zstd::bulk::Decompressor::with_prepared_dictionary(decoder_dictionary())
        .map_err(|_| CodecError::Decompress)?;
    d.set_parameter(DParameter::Format(FrameFormat::Magicless))
        .map_err(|_| CodecError::Decompress)?;
    let size = magicless_content_size(body)?;
    Ok(zeroize::Zeroizing::new(
        d.decompress(body, size)
            .map_err(|_| CodecError::Decompress)?,
    ))
}

/// The content size a frame declares, refused above [`MAX_DECODED`]; a frame
/// that lies is refused by the decompressor (its output would not fit).
fn declared_size(frame: &[u8]) -> Result<usize, CodecError> {
    match zstd::zstd_safe::get_frame_content_size(frame) {
        Ok(Some(n)) => usize::try_from(n)
            .ok()
            .filter(|n| *n <= MAX_DECODED)
            .ok_or(CodecError::Decompress),
        // Every frame Komek ever wrote declares its size.
        Ok(None) | Err(_) => Err(CodecError::Decompress),
    }
}

/// [`declared_size`] of a frame written without its magic number: the
/// header is read with the magic put back (a header is at most 14 bytes
/// after it).
fn magicless_content_size(frame: &[u8]) -> Result<usize, CodecError> {
    let mut head = [0u8; 18];
    head[..4].copy_from_slice(&LEGACY_JSON_ZSTD);
    let n = frame.len().min(14);
    head[4..4 + n].copy_from_slice(&frame[..n]);
    declared_size(&head[..4 + n])
}

fn decode_legacy_json(bytes: &[u8]) -> Result<Household, CodecError> {
    let size = declared_size(bytes)?;
    let json = zeroize::Zeroizing::new(
        zstd::bulk::decompress(bytes, size).map_err(|_| CodecError::Decompress)?,
    );
    // serde_json's message names the field and position, never the value.
    serde_json::from_slice(&json)
        .map_err(|e| CodecError::Decode(format!("line {} column {}", e.line(), e.column())))
}

/// The household in the uncompressed compact form ([`compact_uncompressed`]):
/// the compact reader reached directly, for tests and the fuzz target
/// (`fuzz/fuzz_targets/compact.rs`), without zstd in front of it.
pub fn decode_uncompressed(bytes: &[u8]) -> Result<Household, CodecError> {
    Ok(compact::decode(bytes)?)
}

/// The original encoding (JSON + zstd), as devices wrote it before
/// [`CODEC_COMPACT_V1`]: for compatibility tests and measurements only.
#[doc(hidden)]
pub fn encode_legacy_json(h: &Household) -> Result<Vec<u8>, CodecError> {
    let json = zeroize::Zeroizing::new(serde_json::to_vec(h).map_err(|_| CodecError::Encode)?);
    zstd::bulk::compress(&json, LEVEL).map_err(|_| CodecError::Encode)
}

/// The compact bytes before compression: the samples the dictionary is
/// trained on (`core/examples/train_codec_dictionary.rs`).
#[doc(hidden)]
pub fn compact_uncompressed(h: &Household) -> Vec<u8> {
    compact::encode(h)
}

#[cfg(test)]
#[path = "codec_tests.rs"]
mod tests;
