//! Kazakhstan's regions and cities of republican significance, by KATO prefix.
//!
//! Poverty lines and subsistence minimums are published per region, so the region
//! is the key the rule packs are looked up by.

use serde::{Deserialize, Serialize};

/// A region (oblast) or a city of republican significance. The serialized form is
/// the two-digit KATO prefix's name in snake case; [`Region::kato`] gives the
/// nine-digit KATO code (the prefix followed by seven zeros).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Region {
    Abai,
    Akmola,
    Aktobe,
    AlmatyRegion,
    Atyrau,
    WestKazakhstan,
    Zhambyl,
    Zhetysu,
    Karaganda,
    Kostanay,
    Kyzylorda,
    Mangystau,
    Pavlodar,
    NorthKazakhstan,
    Turkistan,
    Ulytau,
    EastKazakhstan,
    Astana,
    Almaty,
    Shymkent,
}

impl Region {
    pub const ALL: [Region; 20] = [
        Region::Abai,
        Region::Akmola,
        Region::Aktobe,
        Region::AlmatyRegion,
        Region::Atyrau,
        Region::WestKazakhstan,
        Region::Zhambyl,
        Region::Zhetysu,
        Region::Karaganda,
        Region::Kostanay,
        Region::Kyzylorda,
        Region::Mangystau,
        Region::Pavlodar,
        Region::NorthKazakhstan,
        Region::Turkistan,
        Region::Ulytau,
        Region::EastKazakhstan,
        Region::Astana,
        Region::Almaty,
        Region::Shymkent,
    ];

    /// The two-digit KATO prefix (domain file, "Regions").
    pub fn kato_prefix(self) -> u8 {
        match self {
            Region::Abai => 10,
            Region::Akmola => 11,
            Region::Aktobe => 15,
            Region::AlmatyRegion => 19,
            Region::Atyrau => 23,
            Region::WestKazakhstan => 27,
            Region::Zhambyl => 31,
            Region::Zhetysu => 33,
            Region::Karaganda => 35,
            Region::Kostanay => 39,
            Region::Kyzylorda => 43,
            Region::Mangystau => 47,
            Region::Pavlodar => 55,
            Region::NorthKazakhstan => 59,
            Region::Turkistan => 61,
            Region::Ulytau => 62,
            Region::EastKazakhstan => 63,
            Region::Astana => 71,
            Region::Almaty => 75,
            Region::Shymkent => 79,
        }
    }

    /// The nine-digit KATO code of the region itself, e.g. `150000000` for Aktobe.
    pub fn kato(self) -> String {
        format!("{:02}0000000", self.kato_prefix())
    }

    /// The region a KATO code (of the region or anything inside it) belongs to.
    pub fn from_kato(code: &str) -> Option<Region> {
        if code.len() < 2 || !code.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let prefix: u8 = code[..2].parse().ok()?;
        Region::ALL.into_iter().find(|r| r.kato_prefix() == prefix)
    }

    /// The snake-case code used in rule packs and files (`"aktobe"`).
    pub fn code(self) -> &'static str {
        match self {
            Region::Abai => "abai",
            Region::Akmola => "akmola",
            Region::Aktobe => "aktobe",
            Region::AlmatyRegion => "almaty_region",
            Region::Atyrau => "atyrau",
            Region::WestKazakhstan => "west_kazakhstan",
            Region::Zhambyl => "zhambyl",
            Region::Zhetysu => "zhetysu",
            Region::Karaganda => "karaganda",
            Region::Kostanay => "kostanay",
            Region::Kyzylorda => "kyzylorda",
            Region::Mangystau => "mangystau",
            Region::Pavlodar => "pavlodar",
            Region::NorthKazakhstan => "north_kazakhstan",
            Region::Turkistan => "turkistan",
            Region::Ulytau => "ulytau",
            Region::EastKazakhstan => "east_kazakhstan",
            Region::Astana => "astana",
            Region::Almaty => "almaty",
            Region::Shymkent => "shymkent",
        }
    }

    pub fn from_code(code: &str) -> Option<Region> {
        Region::ALL.into_iter().find(|r| r.code() == code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kato_codes_round_trip() {
        for r in Region::ALL {
            assert_eq!(Region::from_kato(&r.kato()), Some(r));
            assert_eq!(Region::from_code(r.code()), Some(r));
            let json = serde_json::to_string(&r).unwrap();
            assert_eq!(json, format!("\"{}\"", r.code()));
        }
        assert_eq!(Region::from_kato("154230100"), Some(Region::Aktobe));
        assert_eq!(Region::from_kato("990000000"), None);
        assert_eq!(Region::from_kato("x1"), None);
    }
}
