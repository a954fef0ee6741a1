//! How a device reaches its registry: pinned TLS, or plain HTTP on loopback.
//!
//! A district registry is one known server, not a website: it usually has a
//! self-signed certificate made by the office, and the 2G links in between
//! (operators' proxies, a captive portal, a forged base station) are exactly
//! where a man in the middle sits. So a device does not trust web PKI roots at
//! all. It trusts exactly the end-entity certificates whose SHA-256 pins it
//! holds: given with the enrolment code, or seen on first use and confirmed by
//! the enrolment answer, and stored (sealed) with its sync identity. The
//! handshake signature is still checked with the crypto provider's algorithms
//! (rustls with its ring provider), so a stolen certificate without its key is
//! useless.
//!
//! What a pin does not check, on purpose: the host name (devices may reach the
//! registry by an address, and the pin names the certificate exactly) and the
//! validity dates (field devices' clocks are often wrong; rotation is by the
//! "next" pin, see `docs/sync-protocol.md`). Plain `http://` is allowed only to
//! a loopback host: tests, the demo, or a TLS-terminating proxy on the device's
//! own host.

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use ring::digest;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{CryptoProvider, WebPkiSupportedAlgorithms};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, DigitallySignedStruct, SignatureScheme};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use thiserror::Error;

use super::http::{HttpClient, RegistryUrl};

/// The optional prefix of a pin as written by people (`sha256/<base64>`).
pub const PIN_PREFIX: &str = "sha256/";

/// Why a transport to the registry could not be set up, or was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum TlsError {
    #[error("certificate pin is not a SHA-256 digest in base64 or hex")]
    BadPin,
    #[error("registry URL is not an http:// or https:// URL with a host")]
    BadUrl,
    #[error("plain http is allowed only to a loopback address, not to {host}: use https")]
    PlainHttpNotLoopback { host: String },
    #[error("a certificate pin was given for a plain http registry URL: use https")]
    PinWithoutTls,
    #[error("the registry is https but this device holds no certificate pins: enrol again")]
    NoPins,
    #[error("the registry's certificate matches none of the pinned certificates")]
    PinMismatch,
    #[error("the certificate seen at enrolment is not among the pins the registry sent")]
    NotInEnrolmentPins,
    #[error("TLS client setup failed: {0}")]
    Setup(String),
}

/// The SHA-256 digest of a certificate's DER bytes.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Pin([u8; 32]);

impl Pin {
    /// The pin of a DER-encoded certificate.
    pub fn of_certificate(der: &[u8]) -> Pin {
        let mut out = [0u8; 32];
        out.copy_from_slice(digest::digest(&digest::SHA256, der).as_ref());
        Pin(out)
    }

    /// Read a pin as an office writes it: base64 (`sha256/` prefix optional),
    /// or 64 hex digits, optionally separated by colons (as printed by
    /// `openssl x509 -fingerprint -sha256`).
    pub fn parse(text: &str) -> Result<Pin, TlsError> {
        let text = text.trim();
        let body = text.strip_prefix(PIN_PREFIX).unwrap_or(text);
        let hex: String = body.chars().filter(|c| *c != ':').collect();
        let bytes = if hex.len() == 64 && hex.chars().all(|c| c.is_ascii_hexdigit()) {
            (0..32)
                .map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16))
                .collect::<Result<Vec<u8>, _>>()
                .map_err(|_| TlsError::BadPin)?
        } else {
            B64.decode(body).map_err(|_| TlsError::BadPin)?
        };
        bytes.try_into().map(Pin).map_err(|_| TlsError::BadPin)
    }

    /// The canonical form stored and sent: base64 of the digest, no prefix.
    pub fn to_base64(&self) -> String {
        B64.encode(self.0)
    }
}

impl std::fmt::Display for Pin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.to_base64())
    }
}

impl std::fmt::Debug for Pin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Pin({self})")
    }
}

/// Parse every pin of a list (as stored or sent at enrolment).
pub fn parse_pins(pins: &[String]) -> Result<Vec<Pin>, TlsError> {
    pins.iter().map(|p| Pin::parse(p)).collect()
}

/// The pins to store after a pull answer over a pinned connection that
/// presented `current` announced `announced`; `None`: keep `stored`. New pins
/// are taken only when they all parse, differ from the stored ones and
/// include `current` (a list without the certificate being served would lock
/// the device out; an empty list is a registry that announces nothing).
pub fn announced_pins(
    stored: &[String],
    announced: &[String],
    current: Option<Pin>,
) -> Option<Vec<String>> {
    if announced.is_empty() {
        return None;
    }
    let pins = match parse_pins(announced) {
        Ok(p) => p,
        Err(_) => {
            log::warn!("registry announced malformed TLS pins; kept the stored ones");
            return None;
        }
    };
    let canonical: Vec<String> = pins.iter().map(Pin::to_base64).collect();
    if canonical == stored {
        return None;
    }
    match current {
        Some(c) if pins.contains(&c) => Some(canonical),
        _ => {
            log::warn!("registry announced TLS pins without the certificate it serves; kept the stored ones");
            None
        }
    }
}

/// How to reach a registry URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transport {
    /// `http://` to a loopback host.
    PlainLoopback,
    /// `https://`: pinned TLS.
    Https,
}

impl Transport {
    /// The transport a registry URL asks for; refuses plain http to any host
    /// but loopback.
    pub fn for_url(url: &str) -> Result<Transport, TlsError> {
        Transport::of(&RegistryUrl::parse(url).map_err(|_| TlsError::BadUrl)?)
    }

    /// [`Transport::for_url`] of a URL already taken apart.
    fn of(parsed: &RegistryUrl) -> Result<Transport, TlsError> {
        if parsed.https {
            Ok(Transport::Https)
        } else if parsed.is_loopback() {
            Ok(Transport::PlainLoopback)
        } else {
            Err(TlsError::PlainHttpNotLoopback {
                host: parsed.host.clone(),
            })
        }
    }
}

/// What the verifier accepts.
#[derive(Debug, Clone)]
enum Trust {
    /// Exactly these end-entity certificates.
    Pinned(Vec<Pin>),
    /// Any certificate, remembered (the first connection of an enrolment
    /// without a pin; the enrolment answer must then confirm it).
    FirstUse,
}

/// A rustls verifier that accepts exactly the pinned end-entity certificates
/// and checks handshake signatures with the provider's algorithms.
#[derive(Debug)]
pub struct PinnedVerifier {
    trust: Trust,
    algorithms: WebPkiSupportedAlgorithms,
    /// The last end-entity certificate presented, and whether it was refused.
    seen: Mutex<Option<(Pin, bool)>>,
}

fn provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

impl PinnedVerifier {
    /// Accept only certificates whose pin is in `pins` (none: refuse all).
    pub fn pinned(pins: Vec<Pin>) -> PinnedVerifier {
        PinnedVerifier::new(Trust::Pinned(pins))
    }

    /// Accept any certificate and remember it (trust on first use).
    pub fn trust_on_first_use() -> PinnedVerifier {
        PinnedVerifier::new(Trust::FirstUse)
    }

    fn new(trust: Trust) -> PinnedVerifier {
        PinnedVerifier {
            trust,
            algorithms: provider().signature_verification_algorithms,
            seen: Mutex::new(None),
        }
    }

    /// Whether `pin` would be accepted.
    pub fn accepts(&self, pin: &Pin) -> bool {
        match &self.trust {
            // Pins are digests of public certificates: comparing them is not
            // a timing leak of anything secret.
            Trust::Pinned(pins) => pins.contains(pin),
            Trust::FirstUse => true,
        }
    }

    /// The last certificate a server presented, if any.
    pub fn last_seen(&self) -> Option<Pin> {
        self.seen.lock().ok().and_then(|s| s.map(|(p, _)| p))
    }

    /// Whether the last certificate presented was refused for its pin.
    pub fn refused_last(&self) -> bool {
        self.seen
            .lock()
            .ok()
            .and_then(|s| s.map(|(_, refused)| refused))
            .unwrap_or(false)
    }
}

impl ServerCertVerifier for PinnedVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let pin = Pin::of_certificate(end_entity.as_ref());
        let ok = self.accepts(&pin);
        if let Ok(mut seen) = self.seen.lock() {
            *seen = Some((pin, !ok));
        }
        if ok {
            Ok(ServerCertVerified::assertion())
        } else {
            Err(rustls::Error::InvalidCertificate(
                CertificateError::ApplicationVerificationFailure,
            ))
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}

/// A rustls client configuration (ring; TLS 1.3 and 1.2) using `verifier`.
pub fn client_config(verifier: Arc<PinnedVerifier>) -> Result<rustls::ClientConfig, TlsError> {
    let mut config = rustls::ClientConfig::builder_with_provider(provider())
        .with_protocol_versions(&[&rustls::version::TLS13, &rustls::version::TLS12])
        .map_err(|e| TlsError::Setup(e.to_string()))?
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_no_client_auth();
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(config)
}

/// The verifier for `url`: exactly `pins` when https (an empty list is
/// refused with [`TlsError::NoPins`]), None on loopback http.
pub fn verifier_for(url: &str, pins: &[String]) -> Result<Option<Arc<PinnedVerifier>>, TlsError> {
    match Transport::for_url(url)? {
        Transport::PlainLoopback => Ok(None),
        Transport::Https => {
            let pins = parse_pins(pins)?;
            if pins.is_empty() {
                return Err(TlsError::NoPins);
            }
            Ok(Some(Arc::new(PinnedVerifier::pinned(pins))))
        }
    }
}

/// An HTTP client for one registry URL, and the verifier behind it (None on
/// plain loopback http).
#[derive(Clone)]
pub struct RegistryHttp {
    pub client: HttpClient,
    pub verifier: Option<Arc<PinnedVerifier>>,
}

impl RegistryHttp {
    /// A client for `url`: pinned to `verifier` when https, plain on loopback.
    /// `timeout` bounds each exchange (connection, handshake and answer).
    pub fn new(
        url: &str,
        verifier: Option<Arc<PinnedVerifier>>,
        timeout: Duration,
    ) -> Result<RegistryHttp, TlsError> {
        let parsed = RegistryUrl::parse(url).map_err(|_| TlsError::BadUrl)?;
        let (tls, verifier) = match Transport::of(&parsed)? {
            Transport::PlainLoopback => {
                if verifier.is_some() {
                    return Err(TlsError::PinWithoutTls);
                }
                (None, None)
            }
            Transport::Https => {
                let verifier = verifier.ok_or(TlsError::NoPins)?;
                let config = client_config(verifier.clone())?;
                (Some(Arc::new(config)), Some(verifier))
            }
        };
        let client = HttpClient::new(parsed, tls, timeout);
        Ok(RegistryHttp { client, verifier })
    }

    /// A client for `url` that accepts exactly `pins` when https (an empty
    /// list is refused with [`TlsError::NoPins`]); plain on loopback http.
    pub fn pinned(url: &str, pins: &[String], timeout: Duration) -> Result<RegistryHttp, TlsError> {
        RegistryHttp::new(url, verifier_for(url, pins)?, timeout)
    }

    /// Whether the last failure was the registry presenting an unpinned
    /// certificate.
    pub fn pin_refused(&self) -> bool {
        self.verifier.as_ref().is_some_and(|v| v.refused_last())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cert() -> rcgen::CertifiedKey {
        rcgen::generate_simple_self_signed(vec!["registry.test".into()]).unwrap()
    }

    #[test]
    fn a_pin_reads_as_base64_prefixed_base64_and_hex() {
        let c = cert();
        let pin = Pin::of_certificate(c.cert.der());
        let b64 = pin.to_base64();
        assert_eq!(Pin::parse(&b64).unwrap(), pin);
        assert_eq!(Pin::parse(&format!("sha256/{b64}")).unwrap(), pin);
        let hex: String = pin.0.iter().map(|b| format!("{b:02X}")).collect();
        assert_eq!(Pin::parse(&hex).unwrap(), pin);
        assert_eq!(Pin::parse(&hex.to_lowercase()).unwrap(), pin);
        let colons: Vec<String> = pin.0.iter().map(|b| format!("{b:02X}")).collect();
        assert_eq!(Pin::parse(&format!(" {} ", colons.join(":"))).unwrap(), pin);
        // The pin is the SHA-256 of the DER bytes, nothing else.
        let direct = digest::digest(&digest::SHA256, c.cert.der());
        assert_eq!(pin.0.as_slice(), direct.as_ref());
    }

    #[test]
    fn a_malformed_pin_is_refused() {
        for bad in [
            "",
            "sha256/",
            "not base64!",
            &B64.encode([1u8; 31]),
            &B64.encode([1u8; 33]),
            &"ab".repeat(31),
            &"zz".repeat(32),
        ] {
            assert_eq!(Pin::parse(bad), Err(TlsError::BadPin), "{bad:?}");
        }
        assert_eq!(
            parse_pins(&[B64.encode([7u8; 32]), "x".into()]),
            Err(TlsError::BadPin)
        );
    }

    #[test]
    fn announced_pins_are_taken_only_when_they_keep_the_current_certificate() {
        let (a, b, c) = (
            Pin::of_certificate(b"a"),
            Pin::of_certificate(b"b"),
            Pin::of_certificate(b"c"),
        );
        let s = |pins: &[Pin]| pins.iter().map(Pin::to_base64).collect::<Vec<_>>();
        let stored = s(&[a, b]);
        // The rotation happened: the registry serves b and plans c.
        assert_eq!(
            announced_pins(&stored, &s(&[b, c]), Some(b)),
            Some(s(&[b, c]))
        );
        // Written another way (prefix, hex): stored canonically.
        let hex: String = b.0.iter().map(|x| format!("{x:02x}")).collect();
        assert_eq!(
            announced_pins(&stored, &[hex, format!("sha256/{c}")], Some(b)),
            Some(s(&[b, c]))
        );
        // Nothing new, nothing announced, malformed, or without the
        // certificate being served: keep what is stored.
        assert_eq!(announced_pins(&stored, &stored, Some(a)), None);
        assert_eq!(announced_pins(&stored, &[], Some(a)), None);
        assert_eq!(announced_pins(&stored, &["bad".into()], Some(a)), None);
        assert_eq!(announced_pins(&stored, &s(&[c]), Some(a)), None);
        assert_eq!(announced_pins(&stored, &s(&[c]), None), None);
    }

    #[test]
    fn plain_http_is_for_loopback_only() {
        for ok in [
            "http://127.0.0.1:8750",
            "http://127.9.0.1",
            "http://[::1]:80/",
            "http://localhost:8750",
            "http://LOCALHOST",
        ] {
            assert_eq!(Transport::for_url(ok), Ok(Transport::PlainLoopback), "{ok}");
        }
        assert_eq!(
            Transport::for_url("https://10.0.0.5:8750"),
            Ok(Transport::Https)
        );
        assert_eq!(
            Transport::for_url("http://registry.example.kz:8750"),
            Err(TlsError::PlainHttpNotLoopback {
                host: "registry.example.kz".into()
            })
        );
        assert!(matches!(
            Transport::for_url("http://192.168.1.10"),
            Err(TlsError::PlainHttpNotLoopback { .. })
        ));
        assert!(matches!(
            Transport::for_url("http://localhost.evil.kz"),
            Err(TlsError::PlainHttpNotLoopback { .. })
        ));
        for bad in ["ftp://127.0.0.1", "127.0.0.1:8750", "https://", "file:///x"] {
            assert_eq!(Transport::for_url(bad), Err(TlsError::BadUrl), "{bad}");
        }
    }

    #[test]
    fn the_verifier_accepts_exactly_the_pinned_certificates() {
        let (a, b, c) = (cert(), cert(), cert());
        let pin = |k: &rcgen::CertifiedKey| Pin::of_certificate(k.cert.der());
        let v = PinnedVerifier::pinned(vec![pin(&a), pin(&b)]);
        let name = ServerName::try_from("registry.test").unwrap();
        let check = |k: &rcgen::CertifiedKey| {
            v.verify_server_cert(k.cert.der(), &[], &name, &[], UnixTime::now())
        };
        assert!(check(&a).is_ok());
        assert!(!v.refused_last());
        assert!(check(&b).is_ok());
        assert_eq!(v.last_seen(), Some(pin(&b)));
        assert_eq!(
            check(&c).unwrap_err(),
            rustls::Error::InvalidCertificate(CertificateError::ApplicationVerificationFailure)
        );
        assert!(v.refused_last());
        assert_eq!(v.last_seen(), Some(pin(&c)));
        // Presenting a pinned certificate as an "intermediate" does not help.
        assert!(v
            .verify_server_cert(
                c.cert.der(),
                &[a.cert.der().clone()],
                &name,
                &[],
                UnixTime::now()
            )
            .is_err());
        // No pins: nothing is accepted.
        let none = PinnedVerifier::pinned(Vec::new());
        assert!(none
            .verify_server_cert(a.cert.der(), &[], &name, &[], UnixTime::now())
            .is_err());
    }

    #[test]
    fn trust_on_first_use_accepts_and_remembers() {
        let a = cert();
        let v = PinnedVerifier::trust_on_first_use();
        assert_eq!(v.last_seen(), None);
        let name = ServerName::try_from("127.0.0.1").unwrap();
        assert!(v
            .verify_server_cert(a.cert.der(), &[], &name, &[], UnixTime::now())
            .is_ok());
        assert_eq!(v.last_seen(), Some(Pin::of_certificate(a.cert.der())));
        assert!(!v.refused_last());
    }

    #[test]
    fn the_verifier_offers_the_ring_signature_schemes() {
        let schemes = PinnedVerifier::pinned(Vec::new()).supported_verify_schemes();
        assert!(schemes.contains(&SignatureScheme::ECDSA_NISTP256_SHA256));
        assert!(schemes.contains(&SignatureScheme::ED25519));
        assert!(schemes.contains(&SignatureScheme::RSA_PSS_SHA256));
    }

    #[test]
    fn clients_follow_the_transport_rules() {
        let t = Duration::from_secs(5);
        assert!(RegistryHttp::pinned("http://127.0.0.1:1", &[], t)
            .unwrap()
            .verifier
            .is_none());
        assert_eq!(
            RegistryHttp::pinned("https://127.0.0.1:1", &[], t).err(),
            Some(TlsError::NoPins)
        );
        assert_eq!(
            RegistryHttp::pinned("https://127.0.0.1:1", &["bad".into()], t).err(),
            Some(TlsError::BadPin)
        );
        assert!(
            RegistryHttp::pinned("https://127.0.0.1:1", &[B64.encode([3u8; 32])], t)
                .unwrap()
                .verifier
                .is_some()
        );
        let v = Arc::new(PinnedVerifier::trust_on_first_use());
        assert_eq!(
            RegistryHttp::new("http://127.0.0.1:1", Some(v), t).err(),
            Some(TlsError::PinWithoutTls)
        );
        assert!(matches!(
            RegistryHttp::pinned("http://example.kz", &[], t).err(),
            Some(TlsError::PlainHttpNotLoopback { .. })
        ));
    }
}
