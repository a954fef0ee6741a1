//! A small HTTP/1.1 client for the device's connection to its registry.
//!
//! Why not reqwest (which the office tools use): this code ships on every
//! phone, and reqwest with hyper, its connection pool and its URL and IDNA
//! handling made up ~300 KB of a mobile library with a 4 MB budget (ADR 0007,
//! `docs/bindings.md`). A device talks to one registry, one request at a
//! time, with requests it builds itself, so what it needs is small: one
//! kept-alive connection, plain TCP on loopback or rustls with the pinned
//! verifier of [`super::tls`], `Content-Length` and chunked answers, bounded
//! heads and bodies, one deadline per exchange. Answer heads are parsed by
//! `httparse`, hyper's own parser.
//!
//! A request that finds its kept-alive connection closed before any byte of
//! an answer is sent again once on a fresh connection (what browsers and
//! hyper do). That is safe with the sync protocol even if the registry did
//! see the first copy: the copy reuses a request number and is refused as a
//! replay, and operations are applied exactly once by their own numbers.

use rustls::pki_types::ServerName;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpStream;

/// The largest answer head accepted.
const MAX_HEAD: usize = 16 * 1024;
/// The largest answer body accepted (a pull page or a rule pack is far less).
pub const MAX_BODY: usize = 16 * 1024 * 1024;
/// Sent with every request.
const USER_AGENT: &str = concat!("komek/", env!("CARGO_PKG_VERSION"));

/// Why a registry URL cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a registry URL (expected http://host[:port][/path] or https://…)")]
pub struct BadUrl;

/// A registry URL taken apart: `http[s]://host[:port][/prefix]`, nothing else
/// (no user, query or fragment).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistryUrl {
    pub https: bool,
    /// Host name or IP address (an IPv6 address without its brackets).
    pub host: String,
    pub port: u16,
    /// Path the registry is served under, without a trailing `/` ("" at the root).
    pub prefix: String,
}

impl RegistryUrl {
    pub fn parse(url: &str) -> Result<RegistryUrl, BadUrl> {
        let (https, rest) = if let Some(r) = strip_prefix_ignore_case(url, "https://") {
            (true, r)
        } else if let Some(r) = strip_prefix_ignore_case(url, "http://") {
            (false, r)
        } else {
            return Err(BadUrl);
        };
        if rest.contains(['?', '#', '@', ' ', '\\']) || rest.chars().any(|c| c.is_control()) {
            return Err(BadUrl);
        }
        let (authority, path) = rest.find('/').map_or((rest, ""), |i| rest.split_at(i));
        let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
            let (addr, after) = v6.split_once(']').ok_or(BadUrl)?;
            addr.parse::<std::net::Ipv6Addr>().map_err(|_| BadUrl)?;
            (addr, after.strip_prefix(':'))
        } else if after_colon_count(authority) > 1 {
            return Err(BadUrl);
        } else {
            match authority.split_once(':') {
                Some((h, p)) => (h, Some(p)),
                None => (authority, None),
            }
        };
        let valid_host = !host.is_empty()
            && host
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '_'));
        if !valid_host {
            return Err(BadUrl);
        }
        let port = match port {
            Some(p) => p.parse::<u16>().ok().filter(|p| *p != 0).ok_or(BadUrl)?,
            None if https => 443,
            None => 80,
        };
        Ok(RegistryUrl {
            https,
            host: host.to_ascii_lowercase(),
            port,
            prefix: path.trim_end_matches('/').to_string(),
        })
    }

    /// `localhost` or a loopback address.
    pub fn is_loopback(&self) -> bool {
        self.host == "localhost" || self.host.parse::<IpAddr>().is_ok_and(|a| a.is_loopback())
    }

    /// The `Host` header: the port only when it is not the scheme's default.
    fn host_header(&self) -> String {
        let host = if self.host.contains(':') {
            format!("[{}]", self.host)
        } else {
            self.host.clone()
        };
        if self.port == if self.https { 443 } else { 80 } {
            host
        } else {
            format!("{host}:{}", self.port)
        }
    }
}

fn strip_prefix_ignore_case<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &s[prefix.len()..])
}

fn after_colon_count(s: &str) -> usize {
    s.matches(':').count()
}

/// Why an exchange failed. Every case is a failure of the link or of the
/// peer, so the sync client retries it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HttpError {
    #[error("could not connect to the registry: {0}")]
    Connect(String),
    #[error("TLS handshake failed: {0}")]
    Handshake(String),
    #[error("connection failed: {0}")]
    Io(String),
    #[error("the registry did not answer in time")]
    Timeout,
    #[error("malformed HTTP answer: {0}")]
    Malformed(&'static str),
    #[error("HTTP answer larger than {MAX_BODY} bytes")]
    TooLarge,
    #[error("header {0} has a character HTTP does not allow")]
    BadHeader(String),
}

impl HttpError {
    /// The registry answered something malformed or oversized: a protocol
    /// fault of the peer, not a failure of the link.
    pub fn is_hostile(&self) -> bool {
        matches!(self, HttpError::Malformed(_) | HttpError::TooLarge)
    }
}

/// An answer: status, content type and the whole body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    pub status: u16,
    pub content_type: Option<String>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

trait Io: AsyncRead + AsyncWrite + Send + Unpin {}
impl<T: AsyncRead + AsyncWrite + Send + Unpin> Io for T {}

/// One open connection and what was read from it past the last answer.
struct Conn {
    io: Box<dyn Io>,
    buf: Vec<u8>,
}

/// An HTTP client for one registry. Cloning shares the kept-alive connection.
#[derive(Clone)]
pub struct HttpClient {
    url: RegistryUrl,
    tls: Option<tokio_rustls::TlsConnector>,
    timeout: Duration,
    idle: Arc<Mutex<Option<Conn>>>,
}

/// How one attempt on a connection ended badly.
enum Failure {
    /// A kept-alive connection was found closed before any answer byte.
    Stale,
    Failed(HttpError),
}

impl From<HttpError> for Failure {
    fn from(e: HttpError) -> Failure {
        Failure::Failed(e)
    }
}

fn io_error(e: std::io::Error) -> HttpError {
    HttpError::Io(e.kind().to_string())
}

impl HttpClient {
    /// A client for `url`; `tls` must be given exactly when the URL is https.
    pub fn new(
        url: RegistryUrl,
        tls: Option<Arc<rustls::ClientConfig>>,
        timeout: Duration,
    ) -> HttpClient {
        HttpClient {
            url,
            tls: tls.map(tokio_rustls::TlsConnector::from),
            timeout,
            idle: Arc::new(Mutex::new(None)),
        }
    }

    /// Send `method path` (path below the URL's prefix, query included) with
    /// `headers` and `body`, and read the whole answer, within the timeout.
    pub async fn send(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> Result<Response, HttpError> {
        let head = self.request_head(method, path, headers, body.len())?;
        match tokio::time::timeout(self.timeout, self.exchange(&head, body)).await {
            Ok(result) => result,
            Err(_) => Err(HttpError::Timeout),
        }
    }

    async fn exchange(&self, head: &[u8], body: &[u8]) -> Result<Response, HttpError> {
        let reused = self.idle.lock().ok().and_then(|mut idle| idle.take());
        if let Some(conn) = reused {
            match self.attempt(conn, head, body, true).await {
                Ok(r) => return Ok(r),
                Err(Failure::Failed(e)) => return Err(e),
                Err(Failure::Stale) => {
                    log::debug!("kept-alive connection was closed; reconnecting")
                }
            }
        }
        let conn = self.connect().await?;
        match self.attempt(conn, head, body, false).await {
            Ok(r) => Ok(r),
            Err(Failure::Failed(e)) => Err(e),
            Err(Failure::Stale) => Err(HttpError::Io("connection closed".into())),
        }
    }

    fn request_head(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body_len: usize,
    ) -> Result<Vec<u8>, HttpError> {
        let target = format!("{}{path}", self.url.prefix);
        let clean = |s: &str| !s.is_empty() && s.bytes().all(|b| b > b' ' && b != 0x7f);
        if !clean(method) || !clean(&target) {
            return Err(HttpError::BadHeader("request line".into()));
        }
        let mut head = format!(
            "{method} {target} HTTP/1.1\r\nhost: {}\r\nuser-agent: {USER_AGENT}\r\n",
            self.url.host_header()
        );
        if body_len > 0 || !matches!(method, "GET" | "HEAD") {
            head.push_str(&format!("content-length: {body_len}\r\n"));
        }
        for (name, value) in headers {
            let name_ok =
                !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
            let value_ok = value
                .bytes()
                .all(|b| b == b'\t' || (b' '..0x7f).contains(&b));
            if !name_ok || !value_ok {
                return Err(HttpError::BadHeader(name.to_string()));
            }
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str("\r\n");
        Ok(head.into_bytes())
    }

    async fn connect(&self) -> Result<Conn, HttpError> {
        let tcp = TcpStream::connect((self.url.host.as_str(), self.url.port))
            .await
            .map_err(|e| HttpError::Connect(e.kind().to_string()))?;
        // Requests are small and answered at once: do not wait to fill packets.
        let _ = tcp.set_nodelay(true);
        let io: Box<dyn Io> = match &self.tls {
            None => Box::new(tcp),
            Some(connector) => {
                let name = ServerName::try_from(self.url.host.clone())
                    .map_err(|_| HttpError::Connect("host is not a valid TLS name".into()))?;
                let tls = connector
                    .connect(name, tcp)
                    .await
                    .map_err(|e| HttpError::Handshake(e.to_string()))?;
                Box::new(tls)
            }
        };
        Ok(Conn {
            io,
            buf: Vec::new(),
        })
    }

    /// Write the request and read its answer on `conn`; put the connection
    /// back for the next request when both sides keep it open.
    async fn attempt(
        &self,
        mut conn: Conn,
        head: &[u8],
        body: &[u8],
        reused: bool,
    ) -> Result<Response, Failure> {
        let written = async {
            conn.io.write_all(head).await?;
            conn.io.write_all(body).await?;
            conn.io.flush().await
        }
        .await;
        if let Err(e) = written {
            return Err(if reused {
                Failure::Stale
            } else {
                Failure::Failed(io_error(e))
            });
        }
        if reused && conn.buf.is_empty() && !matches!(conn.fill().await, Ok(n) if n > 0) {
            return Err(Failure::Stale);
        }
        let (response, keep) = conn.read_response().await?;
        if keep && conn.buf.is_empty() {
            if let Ok(mut idle) = self.idle.lock() {
                *idle = Some(conn);
            }
        }
        Ok(response)
    }
}

/// A parsed answer head.
struct Head {
    status: u16,
    len: usize,
    content_type: Option<String>,
    content_length: Option<usize>,
    chunked: bool,
    close: bool,
}

fn parse_head(buf: &[u8]) -> Result<Option<Head>, HttpError> {
    let mut headers = [httparse::EMPTY_HEADER; 64];
    let mut resp = httparse::Response::new(&mut headers);
    let len = match resp.parse(buf) {
        Ok(httparse::Status::Complete(n)) => n,
        Ok(httparse::Status::Partial) => return Ok(None),
        Err(_) => return Err(HttpError::Malformed("answer head")),
    };
    let mut head = Head {
        status: resp.code.ok_or(HttpError::Malformed("status"))?,
        len,
        content_type: None,
        content_length: None,
        chunked: false,
        close: resp.version == Some(0),
    };
    for h in resp.headers.iter() {
        let value =
            std::str::from_utf8(h.value).map_err(|_| HttpError::Malformed("header value"))?;
        let value = value.trim();
        if h.name.eq_ignore_ascii_case("content-type") {
            head.content_type = Some(value.to_string());
        } else if h.name.eq_ignore_ascii_case("content-length") {
            let n = Some(value)
                .filter(|v| !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()))
                .and_then(|v| v.parse::<usize>().ok())
                .ok_or(HttpError::Malformed("content-length"))?;
            if head.content_length.is_some_and(|m| m != n) {
                return Err(HttpError::Malformed("content-length"));
            }
            head.content_length = Some(n);
        } else if h.name.eq_ignore_ascii_case("transfer-encoding") {
            head.chunked = value
                .rsplit(',')
                .next()
                .is_some_and(|last| last.trim().eq_ignore_ascii_case("chunked"));
            if !head.chunked {
                return Err(HttpError::Malformed("transfer-encoding"));
            }
        } else if h.name.eq_ignore_ascii_case("connection") {
            let v = value.to_ascii_lowercase();
            if v.split(',').any(|t| t.trim() == "close") {
                head.close = true;
            }
        }
    }
    Ok(Some(head))
}

/// Parse one whole answer from `bytes`, as the client reads it off a
/// connection that ends after them. The client's own parser, exposed for
/// tests and the fuzz target (`fuzz/fuzz_targets/http_response.rs`).
pub fn parse_response(bytes: &[u8]) -> Result<Response, HttpError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .map_err(io_error)?;
    let mut conn = Conn {
        io: Box::new(std::io::Cursor::new(bytes.to_vec())),
        buf: Vec::new(),
    };
    runtime.block_on(async move { conn.read_response().await.map(|(r, _)| r) })
}

impl Conn {
    /// Read more bytes into the buffer; 0 at the end of the stream.
    async fn fill(&mut self) -> Result<usize, HttpError> {
        let mut chunk = [0u8; 8192];
        let n = self.io.read(&mut chunk).await.map_err(io_error)?;
        self.buf.extend_from_slice(&chunk[..n]);
        Ok(n)
    }

    /// Make sure `n` bytes are buffered.
    async fn need(&mut self, n: usize) -> Result<(), HttpError> {
        while self.buf.len() < n {
            if self.fill().await? == 0 {
                return Err(HttpError::Io("connection closed mid-answer".into()));
            }
        }
        Ok(())
    }

    /// Take the first `n` buffered bytes.
    fn take(&mut self, n: usize) -> Vec<u8> {
        let rest = self.buf.split_off(n);
        std::mem::replace(&mut self.buf, rest)
    }

    /// Read one answer (skipping interim 1xx ones); whether the connection
    /// can carry another request.
    async fn read_response(&mut self) -> Result<(Response, bool), HttpError> {
        let head = loop {
            match parse_head(&self.buf)? {
                Some(h) if (100..200).contains(&h.status) => {
                    self.take(h.len);
                }
                Some(h) => break h,
                None if self.buf.len() > MAX_HEAD => {
                    return Err(HttpError::Malformed("answer head too long"))
                }
                None => {
                    if self.fill().await? == 0 {
                        return Err(HttpError::Io("connection closed before an answer".into()));
                    }
                }
            }
        };
        self.take(head.len);
        let mut keep = !head.close;
        let body = if head.status == 204 || head.status == 304 {
            Vec::new()
        } else if head.chunked {
            self.read_chunked().await?
        } else if let Some(n) = head.content_length {
            if n > MAX_BODY {
                return Err(HttpError::TooLarge);
            }
            self.need(n).await?;
            self.take(n)
        } else {
            // Delimited by the end of the connection.
            keep = false;
            while self.fill().await? > 0 {
                if self.buf.len() > MAX_BODY {
                    return Err(HttpError::TooLarge);
                }
            }
            std::mem::take(&mut self.buf)
        };
        Ok((
            Response {
                status: head.status,
                content_type: head.content_type,
                body,
            },
            keep,
        ))
    }

    /// A line of the chunked encoding, without its CRLF.
    async fn line(&mut self) -> Result<Vec<u8>, HttpError> {
        loop {
            if let Some(i) = self.buf.windows(2).position(|w| w == b"\r\n") {
                let line = self.take(i + 2);
                return Ok(line[..i].to_vec());
            }
            if self.buf.len() > MAX_HEAD {
                return Err(HttpError::Malformed("chunk line too long"));
            }
            if self.fill().await? == 0 {
                return Err(HttpError::Io("connection closed mid-answer".into()));
            }
        }
    }

    async fn read_chunked(&mut self) -> Result<Vec<u8>, HttpError> {
        let mut body = Vec::new();
        loop {
            let line = self.line().await?;
            let size = std::str::from_utf8(&line)
                .ok()
                .and_then(|l| l.split(';').next())
                .map(str::trim)
                .filter(|s| !s.is_empty() && s.bytes().all(|b| b.is_ascii_hexdigit()))
                .and_then(|s| usize::from_str_radix(s, 16).ok())
                .ok_or(HttpError::Malformed("chunk size"))?;
            if size == 0 {
                // Trailers, if any, up to the empty line.
                while !self.line().await?.is_empty() {}
                return Ok(body);
            }
            // The size comes off the wire: no arithmetic on it may overflow.
            if body.len().saturating_add(size) > MAX_BODY {
                return Err(HttpError::TooLarge);
            }
            let framed = size
                .checked_add(2)
                .ok_or(HttpError::Malformed("chunk size"))?;
            self.need(framed).await?;
            let chunk = self.take(framed);
            if &chunk[size..] != b"\r\n" {
                return Err(HttpError::Malformed("chunk end"));
            }
            body.extend_from_slice(&chunk[..size]);
        }
    }
}

#[cfg(test)]
#[path = "http_tests.rs"]
mod tests;
