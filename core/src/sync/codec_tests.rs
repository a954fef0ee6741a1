use super::*;
use chrono::NaiveDate;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 2, 10).unwrap()
}

#[test]
fn households_round_trip_and_shrink() {
    for h in crate::synth::households(7, 20, today()) {
        let bytes = encode(&h).unwrap();
        assert_eq!(bytes[0], CODEC_COMPACT_V1);
        assert_eq!(decode(&bytes).unwrap(), h);
        assert!(bytes.len() < encode_legacy_json(&h).unwrap().len());
    }
    assert!(matches!(
        decode(b"nope"),
        Err(CodecError::UnsupportedVersion(b'n'))
    ));
    assert!(matches!(decode(b""), Err(CodecError::Decompress)));
}

#[test]
fn the_old_json_content_still_decodes() {
    for h in crate::synth::households(8, 12, today()) {
        let old = encode_legacy_json(&h).unwrap();
        assert_eq!(&old[..4], &LEGACY_JSON_ZSTD);
        assert_eq!(decode(&old).unwrap(), h);
    }
}

#[test]
fn oversized_content_is_refused_in_both_codecs() {
    let bomb = vec![0u8; MAX_DECODED + 1];
    let mut c = zstd::bulk::Compressor::with_dictionary(LEVEL, DICTIONARY_V1).unwrap();
    c.set_parameter(CParameter::Format(FrameFormat::Magicless))
        .unwrap();
    let mut v1 = vec![CODEC_COMPACT_V1];
    v1.extend_from_slice(&c.compress(&bomb).unwrap());
    assert!(v1.len() < 1_000);
    assert!(matches!(decode(&v1), Err(CodecError::Decompress)));
    let old = zstd::bulk::compress(&bomb, 3).unwrap();
    assert!(matches!(decode(&old), Err(CodecError::Decompress)));
    // Within the cap but not a household: a typed error, no content quoted.
    let mut junk = vec![CODEC_COMPACT_V1];
    junk.extend_from_slice(&c.compress(&[0xff; 64]).unwrap());
    assert!(matches!(decode(&junk), Err(CodecError::Decode(_))));
}

#[test]
fn a_five_member_form_is_a_few_hundred_bytes() {
    // Households of a seed the dictionary was not trained on.
    let hs: Vec<_> = crate::synth::households(71, 120, today())
        .into_iter()
        .filter(|h| h.members.len() == 5)
        .collect();
    assert!(hs.len() > 10);
    let mut sizes: Vec<usize> = hs.iter().map(|h| encode(h).unwrap().len()).collect();
    sizes.sort_unstable();
    let median = sizes[sizes.len() / 2];
    let legacy = encode_legacy_json(&hs[0]).unwrap().len();
    assert!(median < 220, "median {median}");
    assert!(median * 5 < legacy, "median {median}, legacy {legacy}");
}

/// The decompressed buffer is exactly as large as the content (what is
/// zeroized on drop is what was written), and a frame that does not declare
/// its size is refused.
#[test]
fn buffers_are_sized_from_the_declared_content() {
    let h = &crate::synth::households(9, 1, today())[0];
    let bytes = encode(h).unwrap();
    let plain = inflate_v1(&bytes[1..]).unwrap();
    assert_eq!(plain.capacity(), plain.len());
    assert_eq!(&plain[..], &compact::encode(h)[..]);

    let content = compact::encode(h);
    let mut c = zstd::bulk::Compressor::with_dictionary(LEVEL, DICTIONARY_V1).unwrap();
    c.set_parameter(CParameter::Format(FrameFormat::Magicless))
        .unwrap();
    c.set_parameter(CParameter::ContentSizeFlag(false)).unwrap();
    let mut no_size = vec![CODEC_COMPACT_V1];
    no_size.extend_from_slice(&c.compress(&content).unwrap());
    assert!(matches!(decode(&no_size), Err(CodecError::Decompress)));
}
