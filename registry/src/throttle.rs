//! Slowing down guessing: failed logins and enrolments, per name and per
//! client address, with a delay that doubles with each failure.
//!
//! Passwords are Argon2id-hashed and enrolment codes carry 50 random bits, so
//! guessing is already slow; this keeps a flood of guesses from costing the
//! registry its memory and CPU (every refused attempt here costs no hash) and
//! lets supervisors see the attempts in the audit log. A key (a name's digest,
//! an address) gets `free` failures; each one after that locks it for
//! `base × 2^(n−1)` up to `max`; a success clears the key, and failures are
//! forgotten `forget_after` the last one. The state is in memory, per
//! registry process: a restart forgets it (the audit log keeps the record).
//! The table is bounded: when full, the oldest entries are dropped.

use ring::digest;
use std::collections::HashMap;
use std::hash::Hash;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How a [`Throttle`] counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThrottleConfig {
    /// Failures allowed before the first delay.
    pub free: u32,
    /// The first delay; each further failure doubles it.
    pub base: Duration,
    /// The longest delay.
    pub max: Duration,
    /// Failures older than this (after the last one) are forgotten.
    pub forget_after: Duration,
    /// At most this many keys are tracked.
    pub max_entries: usize,
}

impl ThrottleConfig {
    /// Per login name: 5 free failures, then 2 s doubling to 15 minutes.
    pub const LOGIN_NAME: ThrottleConfig = ThrottleConfig {
        free: 5,
        base: Duration::from_secs(2),
        max: Duration::from_secs(15 * 60),
        forget_after: Duration::from_secs(3600),
        max_entries: 10_000,
    };
    /// Per client address (an office behind one NAT shares it): 20 free
    /// failures, then 2 s doubling to 15 minutes. Logins and enrolments
    /// are counted apart.
    pub const ADDRESS: ThrottleConfig = ThrottleConfig {
        free: 20,
        ..ThrottleConfig::LOGIN_NAME
    };
}

#[derive(Debug, Clone, Copy)]
struct Entry {
    failures: u32,
    last: Instant,
    locked_until: Option<Instant>,
}

/// Failure counts per key `K`.
#[derive(Debug)]
pub struct Throttle<K> {
    config: ThrottleConfig,
    entries: Mutex<HashMap<K, Entry>>,
}

/// What a failure did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// Counted; still under the free allowance.
    Counted,
    /// The key is locked for this long.
    Locked(Duration),
}

impl<K: Hash + Eq + Clone> Throttle<K> {
    pub fn new(config: ThrottleConfig) -> Throttle<K> {
        Throttle {
            config,
            entries: Mutex::new(HashMap::new()),
        }
    }

    fn entries(&self) -> std::sync::MutexGuard<'_, HashMap<K, Entry>> {
        // A panic elsewhere while holding the lock leaves plain counters:
        // still usable.
        self.entries
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// `Err(wait)` while `key` is locked.
    pub fn check(&self, key: &K, now: Instant) -> Result<(), Duration> {
        match self.entries().get(key).and_then(|e| e.locked_until) {
            Some(until) if until > now => Err(until - now),
            _ => Ok(()),
        }
    }

    /// Count a failure of `key`.
    pub fn fail(&self, key: &K, now: Instant) -> Failure {
        let config = self.config;
        let mut entries = self.entries();
        if !entries.contains_key(key) && entries.len() >= config.max_entries {
            make_room(&mut entries, &config, now);
        }
        let entry = entries.entry(key.clone()).or_insert(Entry {
            failures: 0,
            last: now,
            locked_until: None,
        });
        if now.saturating_duration_since(entry.last) > config.forget_after {
            entry.failures = 0;
        }
        entry.failures = entry.failures.saturating_add(1);
        entry.last = now;
        if entry.failures <= config.free {
            return Failure::Counted;
        }
        let doublings = (entry.failures - config.free - 1).min(30);
        let delay = config
            .base
            .checked_mul(1u32 << doublings)
            .map_or(config.max, |d| d.min(config.max));
        entry.locked_until = Some(now + delay);
        Failure::Locked(delay)
    }

    /// Clear `key` (a successful login).
    pub fn succeed(&self, key: &K) {
        self.entries().remove(key);
    }

    /// Keys tracked now (for tests).
    pub fn len(&self) -> usize {
        self.entries().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Drop forgotten entries; if none are, the least recently failed tenth.
fn make_room<K: Hash + Eq + Clone>(
    entries: &mut HashMap<K, Entry>,
    config: &ThrottleConfig,
    now: Instant,
) {
    entries.retain(|_, e| {
        now.saturating_duration_since(e.last) <= config.forget_after
            || e.locked_until.is_some_and(|u| u > now)
    });
    if entries.len() < config.max_entries {
        return;
    }
    let mut by_age: Vec<(Instant, K)> = entries.iter().map(|(k, e)| (e.last, k.clone())).collect();
    by_age.sort_by_key(|(last, _)| *last);
    let drop = (config.max_entries / 10).max(1);
    for (_, key) in by_age.into_iter().take(drop) {
        entries.remove(&key);
    }
}

/// A login name as a throttle key: its SHA-256, so any name costs 32 bytes.
pub fn name_key(name: &str) -> [u8; 32] {
    let mut out = [0u8; 32];
    out.copy_from_slice(digest::digest(&digest::SHA256, name.as_bytes()).as_ref());
    out
}

/// A client address as a throttle key: IPv4 whole, IPv6 by its /64 (one
/// host gets a whole /64, so counting single addresses would let it rotate).
pub fn address_key(addr: IpAddr) -> IpAddr {
    match addr {
        IpAddr::V4(_) => addr,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let s = v6.segments();
                IpAddr::V6(std::net::Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CONFIG: ThrottleConfig = ThrottleConfig {
        free: 2,
        base: Duration::from_secs(1),
        max: Duration::from_secs(5),
        forget_after: Duration::from_secs(60),
        max_entries: 10,
    };

    #[test]
    fn the_delay_starts_after_the_free_failures_and_doubles_to_the_cap() {
        let t = Throttle::new(CONFIG);
        let start = Instant::now();
        assert_eq!(t.fail(&"a", start), Failure::Counted);
        assert_eq!(t.fail(&"a", start), Failure::Counted);
        assert_eq!(t.check(&"a", start), Ok(()));
        let delays: Vec<Failure> = (0..5).map(|_| t.fail(&"a", start)).collect();
        let secs = |s| Failure::Locked(Duration::from_secs(s));
        assert_eq!(delays, [secs(1), secs(2), secs(4), secs(5), secs(5)]);
        assert_eq!(t.check(&"a", start), Err(Duration::from_secs(5)));
        // Another key is not affected; the lock ends when its time is up.
        assert_eq!(t.check(&"b", start), Ok(()));
        assert_eq!(t.check(&"a", start + Duration::from_secs(5)), Ok(()));
        // A success clears the count.
        t.succeed(&"a");
        assert_eq!(t.fail(&"a", start), Failure::Counted);
    }

    #[test]
    fn failures_are_forgotten_after_a_quiet_while() {
        let t = Throttle::new(CONFIG);
        let start = Instant::now();
        for _ in 0..3 {
            t.fail(&"a", start);
        }
        let later = start + Duration::from_secs(61);
        assert_eq!(t.fail(&"a", later), Failure::Counted);
    }

    #[test]
    fn the_table_stays_bounded_and_drops_the_oldest_first() {
        let t = Throttle::new(CONFIG);
        let start = Instant::now();
        for _ in 0..3 {
            t.fail(&0u32, start);
        }
        let later = start + Duration::from_secs(2);
        for k in 1..100u32 {
            t.fail(&k, later);
            assert!(t.len() <= CONFIG.max_entries);
        }
        // A key locked after the table filled is kept (the oldest go).
        let late = later + Duration::from_secs(1);
        for _ in 0..3 {
            t.fail(&1000u32, late);
        }
        t.fail(&1001u32, late);
        assert!(t.check(&1000u32, late).is_err());
    }

    #[test]
    fn addresses_count_by_host_and_ipv6_by_prefix() {
        let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:bbbb::2".parse().unwrap();
        let c: IpAddr = "2001:db8:1:3::1".parse().unwrap();
        assert_eq!(address_key(a), address_key(b));
        assert_ne!(address_key(a), address_key(c));
        let mapped: IpAddr = "::ffff:10.0.0.1".parse().unwrap();
        assert_eq!(address_key(mapped), "10.0.0.1".parse::<IpAddr>().unwrap());
        assert_ne!(name_key("sup"), name_key("Sup"));
    }
}
