//! An emulated network link: a TCP proxy on loopback that adds latency, limits
//! bandwidth and, when asked, cuts connections at random byte offsets.
//!
//! Field devices sync over 2G at the edge of a village. The sync protocol must
//! lose nothing and double nothing whatever byte a connection drops at, and the
//! demo must show how long a sync takes on such a link. Both need the same thing
//! between the device and the registry: this proxy. It uses plain threads, so it
//! works under any client or server runtime.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

/// Bandwidth and one-way delay of a link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LinkProfile {
    pub name: &'static str,
    /// Device → registry, bits per second (0 = unlimited).
    pub up_bps: u64,
    /// Registry → device, bits per second (0 = unlimited).
    pub down_bps: u64,
    /// One-way delay added to every chunk.
    pub latency: Duration,
}

impl LinkProfile {
    /// GPRS-class 2G as seen at a village edge: ~40/20 kbit/s, 300 ms one way.
    pub const GPRS_2G: LinkProfile = LinkProfile {
        name: "2g",
        up_bps: 20_000,
        down_bps: 40_000,
        latency: Duration::from_millis(300),
    };
    /// EDGE: ~200/100 kbit/s, 150 ms.
    pub const EDGE: LinkProfile = LinkProfile {
        name: "edge",
        up_bps: 100_000,
        down_bps: 200_000,
        latency: Duration::from_millis(150),
    };
    /// A modest 3G link: ~2/1 Mbit/s, 60 ms.
    pub const UMTS_3G: LinkProfile = LinkProfile {
        name: "3g",
        up_bps: 1_000_000,
        down_bps: 2_000_000,
        latency: Duration::from_millis(60),
    };
    /// The district office's LAN: no limits.
    pub const LAN: LinkProfile = LinkProfile {
        name: "lan",
        up_bps: 0,
        down_bps: 0,
        latency: Duration::ZERO,
    };

    pub fn by_name(name: &str) -> Option<LinkProfile> {
        [Self::GPRS_2G, Self::EDGE, Self::UMTS_3G, Self::LAN]
            .into_iter()
            .find(|p| p.name == name)
    }
}

/// Where to cut connections: each connection, with probability `cut_probability`,
/// is closed after a random number of bytes (below `max_offset`) in one random
/// direction.
#[derive(Debug, Clone, Copy)]
pub struct FaultPlan {
    pub seed: u64,
    pub cut_probability: f64,
    pub max_offset: usize,
}

/// Byte counts seen by the proxy.
#[derive(Debug, Default)]
pub struct LinkStats {
    pub bytes_up: AtomicU64,
    pub bytes_down: AtomicU64,
    pub connections: AtomicU64,
    pub cuts: AtomicU64,
}

/// A running proxy. Dropping it stops accepting; open connections end when
/// either side closes.
pub struct LinkProxy {
    addr: SocketAddr,
    stats: Arc<LinkStats>,
    stop: Arc<AtomicBool>,
    upstream: Arc<Mutex<SocketAddr>>,
    faults: Arc<Mutex<Option<FaultPlan>>>,
}

impl LinkProxy {
    /// Listen on `127.0.0.1:0` and forward to `upstream` through `profile`.
    pub fn start(
        upstream: SocketAddr,
        profile: LinkProfile,
        faults: Option<FaultPlan>,
    ) -> io::Result<LinkProxy> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let stats = Arc::new(LinkStats::default());
        let stop = Arc::new(AtomicBool::new(false));
        let upstream = Arc::new(Mutex::new(upstream));
        let plan = Arc::new(Mutex::new(faults));
        let (stats2, stop2, upstream2, plan2) =
            (stats.clone(), stop.clone(), upstream.clone(), plan.clone());
        thread::spawn(move || {
            let mut rng = ChaCha8Rng::seed_from_u64(faults.map_or(0, |f| f.seed));
            while !stop2.load(Ordering::Relaxed) {
                match listener.accept() {
                    Ok((client, _)) => {
                        let target = match upstream2.lock() {
                            Ok(a) => *a,
                            Err(_) => return,
                        };
                        let faults = plan2.lock().ok().and_then(|p| *p);
                        let cut = faults.and_then(|f| {
                            rng.gen_bool(f.cut_probability.clamp(0.0, 1.0)).then(|| {
                                (
                                    rng.gen_bool(0.5),
                                    rng.gen_range(0..f.max_offset.max(1)) as u64,
                                )
                            })
                        });
                        stats2.connections.fetch_add(1, Ordering::Relaxed);
                        let stats3 = stats2.clone();
                        thread::spawn(move || {
                            let _ = serve(client, target, profile, cut, &stats3);
                        });
                    }
                    Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                        thread::sleep(Duration::from_millis(2));
                    }
                    Err(_) => thread::sleep(Duration::from_millis(10)),
                }
            }
        });
        Ok(LinkProxy {
            addr,
            stats,
            stop,
            upstream,
            faults: plan,
        })
    }

    /// The address devices connect to.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    pub fn stats(&self) -> &LinkStats {
        &self.stats
    }

    /// Point new connections at another upstream (a restarted registry).
    pub fn set_upstream(&self, upstream: SocketAddr) {
        if let Ok(mut a) = self.upstream.lock() {
            *a = upstream;
        }
    }
}

impl LinkProxy {
    /// Change (or, with `None`, stop) the cuts for new connections.
    pub fn set_faults(&self, faults: Option<FaultPlan>) {
        if let Ok(mut f) = self.faults.lock() {
            *f = faults;
        }
    }
}

impl Drop for LinkProxy {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// One proxied connection: a thread per direction. `cut` is (upstream direction?,
/// byte offset) at which both sockets are shut down.
fn serve(
    client: TcpStream,
    target: SocketAddr,
    profile: LinkProfile,
    cut: Option<(bool, u64)>,
    stats: &Arc<LinkStats>,
) -> io::Result<()> {
    client.set_nonblocking(false)?;
    let server = TcpStream::connect(target)?;
    let _ = client.set_nodelay(true);
    let _ = server.set_nodelay(true);
    let up_cut = cut.and_then(|(up, at)| up.then_some(at));
    let down_cut = cut.and_then(|(up, at)| (!up).then_some(at));
    let (c2, s2) = (client.try_clone()?, server.try_clone()?);
    let stats_up = stats.clone();
    let up = thread::spawn(move || {
        pump(
            c2,
            s2,
            profile.up_bps,
            profile.latency,
            up_cut,
            &stats_up,
            true,
        )
    });
    pump(
        server,
        client,
        profile.down_bps,
        profile.latency,
        down_cut,
        stats,
        false,
    );
    let _ = up.join();
    Ok(())
}

fn pump(
    mut from: TcpStream,
    mut to: TcpStream,
    bps: u64,
    latency: Duration,
    cut_at: Option<u64>,
    stats: &LinkStats,
    upward: bool,
) {
    let mut buf = [0u8; 1024];
    let mut sent: u64 = 0;
    let mut line_free = Instant::now();
    loop {
        let n = match from.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        let mut chunk = &buf[..n];
        let mut cut_now = false;
        if let Some(at) = cut_at {
            if sent + n as u64 >= at {
                chunk = &buf[..(at - sent) as usize];
                cut_now = true;
            }
        }
        // Deliver no earlier than arrival + latency, and no faster than the line.
        let arrival = Instant::now();
        let serialize = (chunk.len() as u64 * 8 * 1_000_000)
            .checked_div(bps)
            .map_or(Duration::ZERO, Duration::from_micros);
        let start = line_free.max(arrival);
        line_free = start + serialize;
        let deliver = line_free + latency;
        let now = Instant::now();
        if deliver > now {
            thread::sleep(deliver - now);
        }
        // Count before writing: whoever has received the bytes must see them
        // counted (the count may run ahead by one chunk if the write fails).
        let counter = if upward {
            &stats.bytes_up
        } else {
            &stats.bytes_down
        };
        counter.fetch_add(chunk.len() as u64, Ordering::SeqCst);
        if !chunk.is_empty() && to.write_all(chunk).is_err() {
            break;
        }
        sent += chunk.len() as u64;
        if cut_now {
            stats.cuts.fetch_add(1, Ordering::Relaxed);
            let _ = from.shutdown(Shutdown::Both);
            let _ = to.shutdown(Shutdown::Both);
            return;
        }
    }
    let _ = to.shutdown(Shutdown::Write);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn echo_server() -> SocketAddr {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = l.local_addr().unwrap();
        thread::spawn(move || {
            for s in l.incoming().flatten() {
                thread::spawn(move || {
                    let mut s = s;
                    let mut buf = [0u8; 4096];
                    while let Ok(n) = s.read(&mut buf) {
                        if n == 0 || s.write_all(&buf[..n]).is_err() {
                            break;
                        }
                    }
                });
            }
        });
        addr
    }

    fn round_trip(proxy: &LinkProxy, payload: &[u8]) -> io::Result<Vec<u8>> {
        let mut s = TcpStream::connect(proxy.addr())?;
        s.set_read_timeout(Some(Duration::from_secs(5)))?;
        s.write_all(payload)?;
        let mut got = vec![0u8; payload.len()];
        s.read_exact(&mut got)?;
        Ok(got)
    }

    #[test]
    fn lan_passes_bytes_through_and_counts_them() {
        let p = LinkProxy::start(echo_server(), LinkProfile::LAN, None).unwrap();
        let payload: Vec<u8> = (0..10_000u32).map(|i| i as u8).collect();
        assert_eq!(round_trip(&p, &payload).unwrap(), payload);
        assert_eq!(p.stats().bytes_up.load(Ordering::SeqCst), 10_000);
        assert_eq!(p.stats().bytes_down.load(Ordering::SeqCst), 10_000);
    }

    #[test]
    fn a_slow_link_takes_at_least_its_serialization_time() {
        let slow = LinkProfile {
            name: "test",
            up_bps: 80_000, // 10 kB/s
            down_bps: 0,
            latency: Duration::from_millis(20),
        };
        let p = LinkProxy::start(echo_server(), slow, None).unwrap();
        let start = Instant::now();
        round_trip(&p, &[7u8; 2_000]).unwrap();
        // 2,000 bytes at 10 kB/s is 200 ms, plus two 20 ms latencies.
        assert!(start.elapsed() >= Duration::from_millis(200));
    }

    #[test]
    fn cuts_happen_at_the_planned_rate_and_never_pass_extra_bytes() {
        let plan = FaultPlan {
            seed: 42,
            cut_probability: 1.0,
            max_offset: 500,
        };
        let p = LinkProxy::start(echo_server(), LinkProfile::LAN, Some(plan)).unwrap();
        let mut failures = 0;
        for _ in 0..20 {
            if round_trip(&p, &[1u8; 1_000]).is_err() {
                failures += 1;
            }
        }
        assert_eq!(failures, 20);
        // Every connection was cut once, and none returned 500 bytes or more:
        // a cut upward stops the echo below 500, a cut downward stops it itself.
        assert_eq!(p.stats().cuts.load(Ordering::SeqCst), 20);
        assert!(p.stats().bytes_down.load(Ordering::SeqCst) < 20 * 500);
    }

    #[test]
    fn profiles_are_found_by_name() {
        assert_eq!(LinkProfile::by_name("2g"), Some(LinkProfile::GPRS_2G));
        assert_eq!(LinkProfile::by_name("lan"), Some(LinkProfile::LAN));
        assert_eq!(LinkProfile::by_name("5g"), None);
    }
}
