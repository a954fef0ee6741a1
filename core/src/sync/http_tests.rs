//! Tests of the device's HTTP/1.1 client against scripted servers on loopback.

use super::*;
use std::sync::atomic::{AtomicUsize, Ordering};
use tokio::net::TcpListener;

fn url(addr: std::net::SocketAddr) -> RegistryUrl {
    RegistryUrl::parse(&format!("http://{addr}")).unwrap()
}

/// Read one request (head and Content-Length body) from `s`; None at EOF.
async fn read_request(s: &mut TcpStream) -> Option<(String, Vec<u8>)> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8(buf[..end].to_vec()).unwrap();
            let len = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length: "))
                .map_or(0, |v| v.parse::<usize>().unwrap());
            while buf.len() < end + 4 + len {
                let n = s.read(&mut chunk).await.unwrap();
                assert!(n > 0, "body cut");
                buf.extend_from_slice(&chunk[..n]);
            }
            return Some((head, buf[end + 4..end + 4 + len].to_vec()));
        }
        let n = s.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
}

/// How a scripted server answers request n (over all connections).
type Answer = fn(usize, &str) -> Vec<u8>;
/// What a test expects of an error.
type Expect = fn(&HttpError) -> bool;

/// A server that answers every request on a connection with `answer(n)`
/// (n counts requests over all connections); counts connections.
async fn server(
    answer: Answer,
    close_after_each: bool,
) -> (std::net::SocketAddr, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let conns = Arc::new(AtomicUsize::new(0));
    let requests = Arc::new(AtomicUsize::new(0));
    let counted = conns.clone();
    tokio::spawn(async move {
        loop {
            let (mut s, _) = listener.accept().await.unwrap();
            counted.fetch_add(1, Ordering::SeqCst);
            let requests = requests.clone();
            tokio::spawn(async move {
                while let Some((head, _)) = read_request(&mut s).await {
                    let n = requests.fetch_add(1, Ordering::SeqCst);
                    if s.write_all(&answer(n, &head)).await.is_err() {
                        return;
                    }
                    if close_after_each {
                        return;
                    }
                }
            });
        }
    });
    (addr, conns)
}

fn ok(body: &str) -> Vec<u8> {
    format!(
        "HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

fn client(addr: std::net::SocketAddr) -> HttpClient {
    HttpClient::new(url(addr), None, Duration::from_secs(5))
}

#[test]
fn registry_urls_parse_and_odd_ones_are_refused() {
    let u = RegistryUrl::parse("https://Registry.Example.kz/komek/").unwrap();
    assert_eq!(
        u,
        RegistryUrl {
            https: true,
            host: "registry.example.kz".into(),
            port: 443,
            prefix: "/komek".into()
        }
    );
    assert_eq!(u.host_header(), "registry.example.kz");
    let u = RegistryUrl::parse("http://127.0.0.1:8080").unwrap();
    assert_eq!(
        (u.port, u.prefix.as_str(), u.is_loopback()),
        (8080, "", true)
    );
    assert_eq!(u.host_header(), "127.0.0.1:8080");
    let u = RegistryUrl::parse("http://[::1]:9/").unwrap();
    assert_eq!((u.host.as_str(), u.is_loopback()), ("::1", true));
    assert_eq!(u.host_header(), "[::1]:9");
    assert!(RegistryUrl::parse("http://localhost")
        .unwrap()
        .is_loopback());
    assert!(!RegistryUrl::parse("http://10.0.0.1").unwrap().is_loopback());
    for bad in [
        "ftp://x",
        "registry.kz",
        "http://",
        "http://:80",
        "http://user@host",
        "http://host?x=1",
        "http://host#f",
        "http://host:0",
        "http://host:99999",
        "http://host:x",
        "http://::1/",
        "http://[nonsense]/",
        "http://ho st/",
        "http://host\n/",
    ] {
        assert_eq!(RegistryUrl::parse(bad), Err(BadUrl), "{bad}");
    }
}

#[tokio::test]
async fn answers_with_a_length_reuse_one_connection() {
    let (addr, conns) = server(|n, _| ok(&format!("answer {n}")), false).await;
    let c = client(addr);
    for n in 0..3 {
        let r = c.send("GET", "/v1/info", &[], &[]).await.unwrap();
        assert_eq!(r.status, 200);
        assert!(r.is_success());
        assert_eq!(r.content_type.as_deref(), Some("text/plain"));
        assert_eq!(r.body, format!("answer {n}").into_bytes());
    }
    assert_eq!(conns.load(Ordering::SeqCst), 1, "one kept-alive connection");
}

#[tokio::test]
async fn a_closed_kept_alive_connection_is_replaced_transparently() {
    // The server closes after each answer without saying so.
    let (addr, conns) = server(|_, _| ok("fine"), true).await;
    let c = client(addr);
    for _ in 0..3 {
        let r = c.send("POST", "/v1/push", &[], b"body").await.unwrap();
        assert_eq!(r.body, b"fine");
    }
    assert_eq!(conns.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn chunked_answers_and_interim_answers_are_read() {
    let (addr, _) = server(
        |_, _| {
            b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\ntransfer-encoding: chunked\r\n\r\n4;x=y\r\nabcd\r\n3\r\nefg\r\n0\r\nx-trailer: 1\r\n\r\n"
                .to_vec()
        },
        false,
    )
    .await;
    let c = client(addr);
    let r = c.send("GET", "/", &[], &[]).await.unwrap();
    assert_eq!((r.status, r.body.as_slice()), (201, &b"abcdefg"[..]));
    // The connection stays usable after a chunked answer.
    let r = c.send("GET", "/", &[], &[]).await.unwrap();
    assert_eq!(r.body, b"abcdefg");
}

#[tokio::test]
async fn request_heads_carry_host_length_and_headers() {
    let (addr, _) = server(
        |_, head| {
            let body = head.replace("\r\n", "|");
            ok(&body)
        },
        false,
    )
    .await;
    let c = HttpClient::new(
        RegistryUrl::parse(&format!("http://{addr}/base/")).unwrap(),
        None,
        Duration::from_secs(5),
    );
    let r = c
        .send("POST", "/v1/push?x=1", &[("komek-seq", "7")], b"12345")
        .await
        .unwrap();
    let head = String::from_utf8(r.body).unwrap();
    assert!(
        head.starts_with("POST /base/v1/push?x=1 HTTP/1.1|"),
        "{head}"
    );
    assert!(head.contains(&format!("|host: {addr}|")), "{head}");
    assert!(head.contains("|content-length: 5|"), "{head}");
    assert!(head.contains("|komek-seq: 7"), "{head}");
    let r = c.send("GET", "/v1/info", &[], &[]).await.unwrap();
    assert!(!String::from_utf8(r.body)
        .unwrap()
        .contains("content-length"));
}

#[tokio::test]
async fn headers_that_would_split_a_request_are_refused() {
    let c = client("127.0.0.1:9".parse().unwrap());
    for (name, value) in [("x-a", "1\r\nevil: 2"), ("bad name", "1"), ("", "1")] {
        assert!(
            matches!(
                c.send("GET", "/", &[(name, value)], &[]).await,
                Err(HttpError::BadHeader(_))
            ),
            "{name:?}"
        );
    }
    assert!(matches!(
        c.send("GET", "/a b", &[], &[]).await,
        Err(HttpError::BadHeader(_))
    ));
}

#[tokio::test]
async fn broken_answers_are_typed_errors() {
    let cases: [(Answer, Expect); 5] = [
        (
            |_, _| b"NOT HTTP\r\n\r\n".to_vec(),
            |e| matches!(e, HttpError::Malformed(_)),
        ),
        (
            |_, _| b"HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\nshort".to_vec(),
            |e| matches!(e, HttpError::Io(_)),
        ),
        (
            |_, _| {
                format!(
                    "HTTP/1.1 200 OK\r\ncontent-length: {}\r\n\r\n",
                    MAX_BODY + 1
                )
                .into_bytes()
            },
            |e| matches!(e, HttpError::TooLarge),
        ),
        (
            |_, _| b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\nzz\r\n".to_vec(),
            |e| matches!(e, HttpError::Malformed("chunk size")),
        ),
        (
            |_, _| b"HTTP/1.1 200 OK\r\ncontent-length: 1\r\ncontent-length: 2\r\n\r\nab".to_vec(),
            |e| matches!(e, HttpError::Malformed("content-length")),
        ),
    ];
    for (answer, expected) in cases {
        let (addr, _) = server(answer, true).await;
        let e = client(addr).send("GET", "/", &[], &[]).await.unwrap_err();
        assert!(expected(&e), "{e:?}");
    }
}

/// Chunk sizes and lengths chosen to overflow the client's arithmetic: each
/// is a typed error of the peer, never a panic (issue 11, finding 9).
#[tokio::test]
async fn hostile_chunk_sizes_are_protocol_errors_not_panics() {
    let answer: Answer = |_, _| {
        b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n1\r\na\r\nffffffffffffffff\r\n"
            .to_vec()
    };
    let (addr, _) = server(answer, true).await;
    let e = client(addr).send("GET", "/", &[], &[]).await.unwrap_err();
    assert!(e.is_hostile(), "{e:?}");
}

#[test]
fn hostile_answers_parse_to_typed_errors() {
    let head = "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n";
    let hostile: [(String, Expect); 7] = [
        (format!("{head}1\r\na\r\nffffffffffffffff\r\n"), |e| {
            matches!(e, HttpError::TooLarge)
        }),
        (format!("{head}fffffffffffffffe\r\n"), |e| {
            matches!(e, HttpError::TooLarge)
        }),
        (format!("{head}ffffffffffffffff\r\n"), |e| {
            matches!(e, HttpError::TooLarge)
        }),
        (format!("{head}1ffffffffffffffff\r\n"), |e| {
            matches!(e, HttpError::Malformed("chunk size"))
        }),
        (format!("{head}+5\r\nhello\r\n0\r\n\r\n"), |e| {
            matches!(e, HttpError::Malformed("chunk size"))
        }),
        (
            "HTTP/1.1 200 OK\r\ncontent-length: 99999999999999999999999\r\n\r\n".into(),
            |e| matches!(e, HttpError::Malformed("content-length")),
        ),
        (
            "HTTP/1.1 200 OK\r\ncontent-length: +2\r\n\r\nab".into(),
            |e| matches!(e, HttpError::Malformed("content-length")),
        ),
    ];
    for (bytes, expected) in hostile {
        let e = parse_response(bytes.as_bytes()).unwrap_err();
        assert!(expected(&e), "{e:?}");
        assert!(e.is_hostile(), "{e:?}");
    }
    let fine = format!("{head}5;ext=1\r\nhello\r\n0\r\n\r\n");
    assert_eq!(parse_response(fine.as_bytes()).unwrap().body, b"hello");
}

#[tokio::test]
async fn an_answer_without_length_ends_with_the_connection() {
    let (addr, conns) = server(
        |_, _| b"HTTP/1.0 200 OK\r\n\r\nuntil the end".to_vec(),
        true,
    )
    .await;
    let c = client(addr);
    assert_eq!(
        c.send("GET", "/", &[], &[]).await.unwrap().body,
        b"until the end"
    );
    assert_eq!(
        c.send("GET", "/", &[], &[]).await.unwrap().body,
        b"until the end"
    );
    assert_eq!(conns.load(Ordering::SeqCst), 2, "not reused");
}

#[tokio::test]
async fn a_silent_registry_times_out_and_a_closed_port_fails_to_connect() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let (_s, _) = listener.accept().await.unwrap();
        tokio::time::sleep(Duration::from_secs(30)).await;
    });
    let c = HttpClient::new(url(addr), None, Duration::from_millis(200));
    assert_eq!(c.send("GET", "/", &[], &[]).await, Err(HttpError::Timeout));
    // Nothing listens on a port just released.
    let free = TcpListener::bind("127.0.0.1:0")
        .await
        .unwrap()
        .local_addr()
        .unwrap();
    assert!(matches!(
        client(free).send("GET", "/", &[], &[]).await,
        Err(HttpError::Connect(_))
    ));
}
