//! HTTPS for the registry: rustls (ring provider, TLS 1.3 and 1.2) behind
//! axum's `Listener` trait.
//!
//! Devices pin the registry's end-entity certificate (`komek_core::sync::tls`),
//! so the registry serves its own certificate and hands out its pins at
//! enrolment: the pin of the certificate it serves and, during a rotation,
//! the pin of the next one. Handshakes run on their own tasks, each with a
//! time limit: over 2G a handshake takes seconds, and one slow or hostile
//! client must not hold up the others. A failed handshake is logged by its
//! reason only (no address, nothing about who connected). Dropping the
//! listener (a stopped or killed registry) stops accepting and aborts the
//! handshakes in flight.

use axum::serve::Listener;
use komek_core::sync::tls::Pin;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio::task::{AbortHandle, JoinSet};
use tokio_rustls::server::TlsStream;
use tokio_rustls::TlsAcceptor;

/// How long a client may take to complete its handshake (2G: seconds).
pub const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(30);
/// At most this many handshakes at once; more connections wait in the
/// kernel's backlog.
pub const MAX_HANDSHAKES: usize = 256;

/// The certificate the registry serves, from PEM files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlsFiles {
    /// The certificate chain, end-entity first (PEM).
    pub cert_chain: PathBuf,
    /// Its private key (PEM: PKCS#8, PKCS#1 or SEC1).
    pub key: PathBuf,
    /// The pin of the certificate that will replace this one (base64,
    /// `sha256/…` or hex): handed to devices at enrolment with the current
    /// pin, so they accept the new certificate when it is served.
    pub next_pin: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum TlsSetupError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{0} holds no PEM certificate")]
    NoCertificate(PathBuf),
    #[error("{0} is not a PEM certificate chain")]
    BadCertificate(PathBuf),
    #[error("{0} holds no PEM private key (PKCS#8, PKCS#1 or SEC1)")]
    BadKey(PathBuf),
    #[error("the next certificate pin is not a SHA-256 digest in base64 or hex")]
    BadNextPin,
    /// rustls refused the pair (a key that does not match the certificate,
    /// an unsupported key type).
    #[error("TLS configuration refused: {0}")]
    Config(String),
}

/// A loaded server configuration and the pins devices receive.
#[derive(Clone)]
pub struct TlsIdentity {
    pub config: Arc<rustls::ServerConfig>,
    /// The served end-entity certificate's pin first, then the next one.
    pub pins: Vec<String>,
}

impl std::fmt::Debug for TlsIdentity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TlsIdentity")
            .field("pins", &self.pins)
            .finish_non_exhaustive()
    }
}

fn read(path: &Path) -> Result<Vec<u8>, TlsSetupError> {
    std::fs::read(path).map_err(|source| TlsSetupError::Read {
        path: path.to_path_buf(),
        source,
    })
}

impl TlsIdentity {
    /// Load the certificate chain and key from PEM files.
    pub fn load(files: &TlsFiles) -> Result<TlsIdentity, TlsSetupError> {
        let pem = read(&files.cert_chain)?;
        let chain: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(&pem)
            .collect::<Result<_, _>>()
            .map_err(|_| TlsSetupError::BadCertificate(files.cert_chain.clone()))?;
        // The key file's bytes are secret: dropped (not logged) on every path.
        let key_pem = zeroize::Zeroizing::new(read(&files.key)?);
        let key = PrivateKeyDer::from_pem_slice(&key_pem)
            .map_err(|_| TlsSetupError::BadKey(files.key.clone()))?;
        let next = files
            .next_pin
            .as_deref()
            .map(Pin::parse)
            .transpose()
            .map_err(|_| TlsSetupError::BadNextPin)?;
        TlsIdentity::from_der(chain, key, next).map_err(|e| match e {
            TlsSetupError::NoCertificate(_) => {
                TlsSetupError::NoCertificate(files.cert_chain.clone())
            }
            e => e,
        })
    }

    /// Build from DER: `chain` end-entity first, and an optional next pin.
    pub fn from_der(
        chain: Vec<CertificateDer<'static>>,
        key: PrivateKeyDer<'static>,
        next: Option<Pin>,
    ) -> Result<TlsIdentity, TlsSetupError> {
        let end_entity = chain
            .first()
            .ok_or_else(|| TlsSetupError::NoCertificate(PathBuf::new()))?;
        let mut pins = vec![Pin::of_certificate(end_entity.as_ref())];
        if let Some(next) = next {
            if !pins.contains(&next) {
                pins.push(next);
            }
        }
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut config = rustls::ServerConfig::builder_with_provider(provider)
            .with_protocol_versions(&[&rustls::version::TLS13, &rustls::version::TLS12])
            .map_err(|e| TlsSetupError::Config(e.to_string()))?
            .with_no_client_auth()
            .with_single_cert(chain, key)
            .map_err(|e| TlsSetupError::Config(e.to_string()))?;
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        Ok(TlsIdentity {
            config: Arc::new(config),
            pins: pins.iter().map(Pin::to_base64).collect(),
        })
    }
}

/// A TCP listener that hands axum connections whose TLS handshake finished.
pub struct TlsListener {
    ready: mpsc::Receiver<(TlsStream<TcpStream>, SocketAddr)>,
    local: SocketAddr,
    acceptor: AbortHandle,
}

impl TlsListener {
    /// Accept on `tcp` and complete handshakes with `config` in the background.
    /// Must be called inside a tokio runtime.
    pub fn new(tcp: TcpListener, config: Arc<rustls::ServerConfig>) -> std::io::Result<Self> {
        let local = tcp.local_addr()?;
        let (tx, ready) = mpsc::channel(64);
        let task = tokio::spawn(accept_loop(tcp, TlsAcceptor::from(config), tx));
        Ok(TlsListener {
            ready,
            local,
            acceptor: task.abort_handle(),
        })
    }
}

impl Drop for TlsListener {
    fn drop(&mut self) {
        // Closes the TCP socket and aborts every handshake in flight.
        self.acceptor.abort();
    }
}

impl Listener for TlsListener {
    type Io = TlsStream<TcpStream>;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        match self.ready.recv().await {
            Some(conn) => conn,
            // The accept loop ended (it only does when this listener is
            // dropped): no connection will ever come.
            None => std::future::pending().await,
        }
    }

    fn local_addr(&self) -> std::io::Result<Self::Addr> {
        Ok(self.local)
    }
}

type Handshake = (
    Result<std::io::Result<TlsStream<TcpStream>>, tokio::time::error::Elapsed>,
    SocketAddr,
);

async fn accept_loop(
    tcp: TcpListener,
    acceptor: TlsAcceptor,
    ready: mpsc::Sender<(TlsStream<TcpStream>, SocketAddr)>,
) {
    // Owned here: aborting this task drops (so aborts) every handshake.
    let mut handshakes: JoinSet<Handshake> = JoinSet::new();
    loop {
        tokio::select! {
            accepted = tcp.accept(), if handshakes.len() < MAX_HANDSHAKES => match accepted {
                Ok((stream, peer)) => {
                    let _ = stream.set_nodelay(true);
                    let acceptor = acceptor.clone();
                    handshakes.spawn(async move {
                        (tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(stream)).await, peer)
                    });
                }
                Err(e) => {
                    // Out of file descriptors and the like: wait, then go on.
                    log::warn!("accepting a connection failed: {e}");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            },
            Some(done) = handshakes.join_next(), if !handshakes.is_empty() => match done {
                Ok((Ok(Ok(stream)), peer)) => {
                    if ready.send((stream, peer)).await.is_err() {
                        return;
                    }
                }
                Ok((Ok(Err(e)), _)) => log::info!("TLS handshake failed: {e}"),
                Ok((Err(_), _)) => log::info!("TLS handshake timed out"),
                Err(e) => log::warn!("TLS handshake task ended abnormally: {e}"),
            },
            _ = ready.closed() => return,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pair() -> (Vec<CertificateDer<'static>>, PrivateKeyDer<'static>, Pin) {
        let c = rcgen::generate_simple_self_signed(vec!["localhost".into()]).unwrap();
        let pin = Pin::of_certificate(c.cert.der());
        let key = PrivateKeyDer::Pkcs8(c.key_pair.serialize_der().into());
        (vec![c.cert.der().clone()], key, pin)
    }

    #[test]
    fn the_pins_are_the_served_certificate_then_the_next() {
        let (chain, key, pin) = pair();
        let (_, _, next) = pair();
        let id = TlsIdentity::from_der(chain.clone(), key.clone_key(), Some(next)).unwrap();
        assert_eq!(id.pins, vec![pin.to_base64(), next.to_base64()]);
        // The current pin given again as "next" is not listed twice.
        let id = TlsIdentity::from_der(chain, key, Some(pin)).unwrap();
        assert_eq!(id.pins, vec![pin.to_base64()]);
    }

    #[test]
    fn a_key_of_another_certificate_is_refused() {
        let (chain, _, _) = pair();
        let (_, other_key, _) = pair();
        assert!(matches!(
            TlsIdentity::from_der(chain, other_key, None),
            Err(TlsSetupError::Config(_))
        ));
    }

    #[test]
    fn pem_files_load_and_bad_ones_say_which_file() {
        let dir = tempfile::tempdir().unwrap();
        let c = rcgen::generate_simple_self_signed(vec!["localhost".into()]).unwrap();
        let cert = dir.path().join("cert.pem");
        let key = dir.path().join("key.pem");
        std::fs::write(&cert, c.cert.pem()).unwrap();
        std::fs::write(&key, c.key_pair.serialize_pem()).unwrap();
        let files = TlsFiles {
            cert_chain: cert.clone(),
            key: key.clone(),
            next_pin: None,
        };
        let id = TlsIdentity::load(&files).unwrap();
        assert_eq!(id.pins, vec![Pin::of_certificate(c.cert.der()).to_base64()]);

        let empty = dir.path().join("empty.pem");
        std::fs::write(&empty, "").unwrap();
        let err = TlsIdentity::load(&TlsFiles {
            cert_chain: empty.clone(),
            ..files.clone()
        })
        .unwrap_err();
        assert!(
            matches!(err, TlsSetupError::NoCertificate(ref p) if *p == empty),
            "{err}"
        );
        // A certificate where the key should be.
        let err = TlsIdentity::load(&TlsFiles {
            key: cert.clone(),
            ..files.clone()
        })
        .unwrap_err();
        assert!(matches!(err, TlsSetupError::BadKey(_)), "{err}");
        let err = TlsIdentity::load(&TlsFiles {
            key: dir.path().join("missing.pem"),
            ..files.clone()
        })
        .unwrap_err();
        assert!(err.to_string().contains("missing.pem"), "{err}");
        let err = TlsIdentity::load(&TlsFiles {
            next_pin: Some("nope".into()),
            ..files
        })
        .unwrap_err();
        assert!(matches!(err, TlsSetupError::BadNextPin));
    }
}
