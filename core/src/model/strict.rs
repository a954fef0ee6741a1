//! Strict reading of JSON that comes from outside: no key given twice.
//!
//! serde refuses a struct field given twice and, with `deny_unknown_fields`
//! (on every model type), a field it does not know, so a misspelled
//! `incomez` is an error rather than an empty list. Maps are different:
//! serde's own map impls keep the last of two equal keys silently. A map
//! read from outside takes [`unique_keys`] instead, which names the key
//! given twice.

use serde::de::{Deserialize, Deserializer, Error, MapAccess, Visitor};
use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

/// `#[serde(deserialize_with = "unique_keys")]` for a `BTreeMap` field:
/// a key given twice is an error naming it (keys are labels, never data).
pub fn unique_keys<'de, D, K, V>(d: D) -> Result<BTreeMap<K, V>, D::Error>
where
    D: Deserializer<'de>,
    K: Deserialize<'de> + Ord + fmt::Display,
    V: Deserialize<'de>,
{
    struct Unique<K, V>(PhantomData<(K, V)>);
    impl<'de, K, V> Visitor<'de> for Unique<K, V>
    where
        K: Deserialize<'de> + Ord + fmt::Display,
        V: Deserialize<'de>,
    {
        type Value = BTreeMap<K, V>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a map with each key once")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut out = BTreeMap::new();
            while let Some((k, v)) = map.next_entry::<K, V>()? {
                if out.contains_key(&k) {
                    return Err(A::Error::custom(format_args!("duplicate key `{k}`")));
                }
                out.insert(k, v);
            }
            Ok(out)
        }
    }
    d.deserialize_map(Unique(PhantomData))
}

/// The schema versions this build reads: 1 to `current`. A form from a newer
/// app is refused by name, never read with its new fields dropped.
pub fn known_version<'de, D: Deserializer<'de>>(d: D, current: u16) -> Result<u16, D::Error> {
    let v = u16::deserialize(d)?;
    if (1..=current).contains(&v) {
        Ok(v)
    } else {
        Err(D::Error::custom(format_args!(
            "unsupported schema version (this build reads 1 to {current})"
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    struct Labels {
        #[serde(deserialize_with = "unique_keys")]
        map: BTreeMap<String, u8>,
    }

    #[test]
    fn a_key_given_twice_is_named() {
        let ok: Labels = serde_json::from_str(r#"{"map": {"a": 1, "b": 2}}"#).unwrap();
        assert_eq!(ok.map.len(), 2);
        let e = serde_json::from_str::<Labels>(r#"{"map": {"a": 1, "a": 2}}"#).unwrap_err();
        assert!(e.to_string().starts_with("duplicate key `a`"), "{e}");
    }
}
