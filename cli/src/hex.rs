//! Hexadecimal text for keys and signatures.
//!
//! Public keys, key ids and pack signatures are passed on command lines, pasted
//! into enrolment forms and read aloud over the phone, so they are written as
//! lowercase hex, one line, never as binary.

/// Lowercase hex of `bytes`.
pub fn encode(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(char::from(DIGITS[usize::from(b >> 4)]));
        s.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
    s
}

/// Bytes of hex text; whitespace anywhere is ignored, case does not matter.
/// `None` for an odd number of digits or a character that is not a hex digit.
pub fn decode(text: &str) -> Option<Vec<u8>> {
    let digits: Vec<u8> = text
        .bytes()
        .filter(|b| !b.is_ascii_whitespace())
        .map(|b| match b {
            b'0'..=b'9' => Some(b - b'0'),
            b'a'..=b'f' => Some(b - b'a' + 10),
            b'A'..=b'F' => Some(b - b'A' + 10),
            _ => None,
        })
        .collect::<Option<_>>()?;
    if digits.len() & 1 == 1 {
        return None;
    }
    Some(digits.chunks(2).map(|p| (p[0] << 4) | p[1]).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trips_and_refuses_non_hex() {
        let bytes = [0u8, 1, 0xab, 0xff, 0x10];
        assert_eq!(encode(&bytes), "0001abff10");
        assert_eq!(decode("0001abff10"), Some(bytes.to_vec()));
        assert_eq!(decode(" 00 01\nAB ff10\n"), Some(bytes.to_vec()));
        assert_eq!(decode("abc"), None);
        assert_eq!(decode("zz"), None);
        assert_eq!(decode(""), Some(Vec::new()));
    }
}
