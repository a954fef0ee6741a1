//! Median sizes of a five-member household's sealed content, per encoding.
//!
//! The same households as the sync benchmark (`tests/benches/sync.rs`: seeds
//! 1, 2, … of `synth::households`, five members, finalized today), none of
//! them in the dictionary's training set. Quick to run in a debug build:
//! `cargo run -p komek-core --example codec_sizes`.

use komek_core::model::{FormStatus, Household};
use komek_core::sync::codec;

fn median(mut v: Vec<usize>) -> usize {
    v.sort_unstable();
    v.get(v.len() / 2).copied().unwrap_or_default()
}

/// The household as the app would make it without derived ids (random v4).
fn with_random_ids(h: &Household) -> Household {
    let mut r = h.clone();
    let mut map = std::collections::HashMap::new();
    for m in &mut r.members {
        let new = uuid::Uuid::new_v4();
        map.insert(m.id, new);
        m.id = new;
    }
    let remap = |id: &mut uuid::Uuid| {
        if let Some(n) = map.get(id) {
            *id = *n;
        }
    };
    for m in &mut r.members {
        m.cares_for.iter_mut().for_each(remap);
    }
    for i in &mut r.incomes {
        i.id = uuid::Uuid::new_v4();
        remap(&mut i.member_id);
    }
    for d in &mut r.documents {
        if let Some(id) = d.member_id.as_mut() {
            remap(id);
        }
    }
    for c in &mut r.consents {
        c.id = uuid::Uuid::new_v4();
    }
    r
}

/// The household with its names, place and address through a random letter
/// substitution (one per household): words the dictionary cannot know, while
/// the family's own repetitions (a surname's male and female forms, a
/// patronymic from the father's name) stay. The synthetic generator draws
/// names from short lists that the dictionary has all seen; real names are
/// between the two figures.
fn with_unseen_text(h: &Household, rng: &mut impl rand::Rng) -> Household {
    use rand::seq::SliceRandom;
    let mut perm: Vec<u32> = (0..32).collect();
    perm.shuffle(rng);
    let subst = |s: &mut String| {
        *s = s
            .chars()
            .map(|c| {
                let u = c as u32;
                let (base, i) = match u {
                    0x410..=0x42f => (0x410, u - 0x410),
                    0x430..=0x44f => (0x430, u - 0x430),
                    _ => return c,
                };
                char::from_u32(base + perm[i as usize]).unwrap_or(c)
            })
            .collect();
    };
    let mut r = h.clone();
    for m in &mut r.members {
        subst(&mut m.surname);
        subst(&mut m.given_name);
        if let Some(p) = m.patronymic.as_mut() {
            subst(p);
        }
    }
    for s in [&mut r.address, &mut r.location.settlement]
        .into_iter()
        .flatten()
    {
        subst(s);
    }
    r
}

fn main() -> Result<(), codec::CodecError> {
    use rand::SeedableRng;
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(99);
    let today = chrono::Utc::now().date_naive();
    let now = chrono::Utc::now();
    let mut hs = Vec::new();
    let mut seed = 1;
    while hs.len() < 101 {
        hs.extend(
            komek_core::synth::households(seed, 200, today)
                .into_iter()
                .filter(|h| h.members.len() == 5),
        );
        seed += 1;
    }
    hs.truncate(101);
    for h in &mut hs {
        h.status = FormStatus::Final;
        h.updated_at = now;
        h.finalized_at = Some(now);
    }
    let mut json = Vec::new();
    let mut legacy = Vec::new();
    let mut raw = Vec::new();
    let mut compact = Vec::new();
    let mut random = Vec::new();
    let mut unseen = Vec::new();
    for h in &hs {
        json.push(serde_json::to_vec(h).map_or(0, |j| j.len()));
        legacy.push(codec::encode_legacy_json(h)?.len());
        raw.push(codec::compact_uncompressed(h).len());
        let c = codec::encode(h)?;
        if codec::decode(&c)? != *h {
            return Err(codec::CodecError::Encode);
        }
        compact.push(c.len());
        random.push(codec::encode(&with_random_ids(h))?.len());
        unseen.push(codec::encode(&with_unseen_text(h, &mut rng))?.len());
    }
    println!("five-member households, median of {}:", hs.len());
    println!(
        "  JSON                                   {:>5}",
        median(json)
    );
    println!(
        "  JSON + zstd (codec before v1)          {:>5}",
        median(legacy)
    );
    println!(
        "  compact, uncompressed                  {:>5}",
        median(raw)
    );
    println!(
        "  codec v1 (compact + zstd + dictionary) {:>5}",
        median(compact)
    );
    println!(
        "  codec v1, random (v4) record ids       {:>5}",
        median(random)
    );
    println!(
        "  codec v1, names and places unseen      {:>5}",
        median(unseen)
    );
    Ok(())
}
