//! Slow and idle clients are cut, and connections over the limit wait
//! (issue 11, finding 4). The limits are set short here; the defaults and
//! why they suit a 2G device are in docs/registry-server.md.

use komek_registry::{RunningRegistry, ServeOptions, ServerLimits};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Longer than any limit below: a test waiting this long has failed.
const NEVER: Duration = Duration::from_secs(20);

async fn registry(limits: ServerLimits) -> (tempfile::TempDir, RunningRegistry) {
    let dir = tempfile::tempdir().unwrap();
    let running = komek_registry::start_with_limits(
        &dir.path().join("registry"),
        "127.0.0.1:0".parse().unwrap(),
        &ServeOptions::default(),
        limits,
    )
    .await
    .unwrap();
    (dir, running)
}

fn short(max_connections: usize) -> ServerLimits {
    ServerLimits {
        header_timeout: Duration::from_secs(1),
        body_grace: Duration::from_secs(1),
        body_min_bytes_per_sec: 100,
        max_connections,
    }
}

/// Read until the server closes; what it sent.
async fn read_to_close(stream: &mut TcpStream) -> String {
    let mut out = Vec::new();
    let mut buf = [0u8; 1024];
    loop {
        match tokio::time::timeout(NEVER, stream.read(&mut buf)).await {
            Err(_) => panic!("the server kept the connection open"),
            Ok(Ok(0)) | Ok(Err(_)) => break,
            Ok(Ok(n)) => out.extend_from_slice(&buf[..n]),
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[tokio::test]
async fn partial_headers_are_cut_after_the_header_timeout() {
    let (_dir, registry) = registry(short(8)).await;
    let mut stream = TcpStream::connect(registry.addr).await.unwrap();
    stream
        .write_all(b"POST /v1/enrol HTTP/1.1\r\nHost: registry\r\n")
        .await
        .unwrap();
    let answer = read_to_close(&mut stream).await;
    assert!(!answer.contains("200 OK"), "{answer}");
    registry.kill();
}

#[tokio::test]
async fn headers_trickled_byte_by_byte_are_cut_too() {
    let (_dir, registry) = registry(short(8)).await;
    let stream = TcpStream::connect(registry.addr).await.unwrap();
    let (mut reader, mut writer) = stream.into_split();
    let trickle = tokio::spawn(async move {
        // Each byte well inside any idle timeout; the whole far beyond 1 s.
        for b in b"GET /v1/info HTTP/1.1\r\nHost: registry\r\nX-Pad: aaaaaaaaaaaaaaaa\r\n\r\n" {
            if writer.write_all(&[*b]).await.is_err() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    });
    let mut buf = Vec::new();
    let read = tokio::time::timeout(NEVER, reader.read_to_end(&mut buf)).await;
    assert!(read.is_ok(), "the server kept the connection open");
    assert!(!String::from_utf8_lossy(&buf).contains("200 OK"));
    trickle.abort();
    registry.kill();
}

#[tokio::test]
async fn an_idle_keep_alive_connection_is_closed() {
    let (_dir, registry) = registry(short(8)).await;
    let mut stream = TcpStream::connect(registry.addr).await.unwrap();
    stream
        .write_all(b"GET /v1/info HTTP/1.1\r\nHost: registry\r\n\r\n")
        .await
        .unwrap();
    // One answer, then nothing more is asked: the server closes.
    let answer = read_to_close(&mut stream).await;
    assert!(answer.starts_with("HTTP/1.1 200 OK"), "{answer}");
    registry.kill();
}

#[tokio::test]
async fn a_body_trickled_below_the_minimum_rate_is_answered_408_and_closed() {
    let (_dir, registry) = registry(short(8)).await;
    let stream = TcpStream::connect(registry.addr).await.unwrap();
    let (mut reader, mut writer) = stream.into_split();
    writer
        .write_all(
            b"POST /v1/enrol HTTP/1.1\r\nHost: registry\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n",
        )
        .await
        .unwrap();
    let trickle = tokio::spawn(async move {
        for _ in 0..1000 {
            if writer.write_all(b" ").await.is_err() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(300)).await;
        }
    });
    let mut buf = Vec::new();
    let read = tokio::time::timeout(NEVER, reader.read_to_end(&mut buf)).await;
    assert!(read.is_ok(), "the server kept the connection open");
    let answer = String::from_utf8_lossy(&buf);
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    trickle.abort();
    registry.kill();
}

#[tokio::test]
async fn a_body_at_a_slow_but_steady_rate_is_served() {
    // 2G-like: the whole body in chunks well above the minimum rate, taking
    // longer than the grace period.
    let (_dir, registry) = registry(short(8)).await;
    let mut stream = TcpStream::connect(registry.addr).await.unwrap();
    let body = format!(
        "{{\"code\": \"AAAAA-AAAAA\", \"label\": \"{}\"}}",
        "x".repeat(560)
    );
    stream
        .write_all(
            format!(
                "POST /v1/enrol HTTP/1.1\r\nHost: registry\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            )
            .as_bytes(),
        )
        .await
        .unwrap();
    for chunk in body.as_bytes().chunks(60) {
        stream.write_all(chunk).await.unwrap();
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
    let answer = read_to_close(&mut stream).await;
    // Read whole and refused for its content (no device key), not for time.
    assert!(answer.starts_with("HTTP/1.1 400"), "{answer}");
    registry.kill();
}

#[tokio::test]
async fn connections_over_the_limit_wait_for_a_free_one() {
    let limits = ServerLimits {
        header_timeout: Duration::from_secs(60),
        ..short(2)
    };
    let (_dir, registry) = registry(limits).await;
    let held_1 = TcpStream::connect(registry.addr).await.unwrap();
    let held_2 = TcpStream::connect(registry.addr).await.unwrap();
    // Let the server take both before the third arrives.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let mut third = TcpStream::connect(registry.addr).await.unwrap();
    third
        .write_all(b"GET /v1/info HTTP/1.1\r\nHost: registry\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let mut buf = [0u8; 64];
    assert!(
        tokio::time::timeout(Duration::from_millis(700), third.read(&mut buf))
            .await
            .is_err(),
        "served over the limit"
    );
    drop(held_1);
    let answer = read_to_close(&mut third).await;
    assert!(answer.starts_with("HTTP/1.1 200 OK"), "{answer}");
    drop(held_2);
    registry.kill();
}

#[tokio::test]
async fn over_tls_partial_headers_are_cut_too() {
    let dir = tempfile::tempdir().unwrap();
    let c = rcgen::generate_simple_self_signed(vec!["localhost".into()]).unwrap();
    let (cert, key) = (dir.path().join("c.pem"), dir.path().join("k.pem"));
    std::fs::write(&cert, c.cert.pem()).unwrap();
    std::fs::write(&key, c.key_pair.serialize_pem()).unwrap();
    let options = ServeOptions {
        tls: Some(komek_registry::TlsFiles {
            cert_chain: cert,
            key,
            next_pin: None,
        }),
        ..ServeOptions::default()
    };
    let registry = komek_registry::start_with_limits(
        &dir.path().join("registry"),
        "127.0.0.1:0".parse().unwrap(),
        &options,
        short(8),
    )
    .await
    .unwrap();
    let verifier = komek_core::sync::tls::PinnedVerifier::trust_on_first_use();
    let config = rustls::ClientConfig::builder_with_provider(std::sync::Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .dangerous()
    .with_custom_certificate_verifier(std::sync::Arc::new(verifier))
    .with_no_client_auth();
    let tcp = TcpStream::connect(registry.addr).await.unwrap();
    let mut tls = tokio_rustls::TlsConnector::from(std::sync::Arc::new(config))
        .connect("localhost".try_into().unwrap(), tcp)
        .await
        .unwrap();
    tls.write_all(b"POST /v1/enrol HTTP/1.1\r\nHost: registry\r\n")
        .await
        .unwrap();
    let mut buf = Vec::new();
    let read = tokio::time::timeout(NEVER, tls.read_to_end(&mut buf)).await;
    assert!(read.is_ok(), "the server kept the connection open");
    assert!(!String::from_utf8_lossy(&buf).contains("200 OK"));
    registry.kill();
}
