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
