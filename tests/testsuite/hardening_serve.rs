//! `pm serve` against hostile browsers and clients (docs/security.md, part
//! 7): a DNS-rebinding page, a foreign page opening the live-reload socket,
//! oversized socket messages, slow and idle connections, attachments opened
//! directly, and the repository folder replaced under the server.
//!
//! Every test runs the real binary on a free loopback port and speaks raw
//! HTTP (and websocket frames) over `TcpStream`; every wait is bounded.

use std::io::{ErrorKind, Read as _, Write as _};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use crate::serve::{INCIDENT, INCIDENT_PAGE, Server, status_of};
use crate::support::{Project, copy_tree, fixture};

/// The incident's title in the fixture, which no refused request may see.
const TITLE: &str = "Example: API error spike after a config change";

/// A `GET /` with the given `Host` line (`None`: no `Host` header at all).
fn get_with_host(server: &Server, host: Option<&str>) -> crate::serve::Reply {
    let host = host.map(|h| format!("Host: {h}\r\n")).unwrap_or_default();
    server.request(&format!(
        "GET {INCIDENT_PAGE} HTTP/1.1\r\n{host}Connection: close\r\n\r\n"
    ))
}

#[test]
fn serve_answers_only_the_host_names_it_listens_as() {
    let project = Project::from_fixture("basic");
    let server = Server::start(&project, &[]);
    let port = server.port;

    for host in [
        format!("127.0.0.1:{port}"),
        "127.0.0.1".to_owned(),
        format!("localhost:{port}"),
        format!("LocalHost:{port}"),
        "localhost".to_owned(),
        format!("[::1]:{port}"),
    ] {
        let reply = get_with_host(&server, Some(&host));
        assert_eq!(reply.status, 200, "Host: {host}\n{}", reply.head);
        assert!(reply.body.contains(TITLE), "Host: {host}");
    }

    // A DNS-rebinding page: its own name, the right address and port.
    for host in [
        format!("attacker.example:{port}"),
        "attacker.example".to_owned(),
        format!("localhost.attacker.example:{port}"),
        format!("127.0.0.1.nip.io:{port}"),
        format!("127.0.0.1:{}", port.wrapping_add(1).max(1)),
        format!("localhost:{port}:{port}"),
        format!("[::2]:{port}"),
        String::new(),
    ] {
        let reply = get_with_host(&server, Some(&host));
        assert_eq!(reply.status, 421, "Host: {host}\n{}", reply.head);
        assert!(!reply.body.contains(TITLE), "Host: {host}");
        assert!(reply.body.contains("pm serve"), "{}", reply.body);
        assert_eq!(reply.header("x-content-type-options"), Some("nosniff"));
    }
    // Nor does an absolute request target name another host.
    let reply = server.request(&format!(
        "GET http://attacker.example:{port}{INCIDENT_PAGE} HTTP/1.1\r\nHost: attacker.example:{port}\r\nConnection: close\r\n\r\n"
    ));
    assert_eq!(reply.status, 421, "{}", reply.head);
    assert!(!reply.body.contains(TITLE));

    // HTTP/1.1 requires Host.
    let reply = get_with_host(&server, None);
    assert_eq!(reply.status, 400, "{}", reply.head);
    assert!(!reply.body.contains(TITLE));

    // The live-reload script and socket are behind the same check.
    let reply = server.request(&format!(
        "GET /__pm/livereload.js HTTP/1.1\r\nHost: attacker.example:{port}\r\nConnection: close\r\n\r\n"
    ));
    assert_eq!(reply.status, 421, "{}", reply.head);
    server.stop();
}

/// Opens the live-reload socket with the given `Origin` line; the status of
/// the answer and the connection (to send frames on when it is 101).
fn open_socket(server: &Server, origin: Option<&str>) -> (u16, TcpStream) {
    let mut stream = server.connect();
    let origin = origin
        .map(|o| format!("Origin: {o}\r\n"))
        .unwrap_or_default();
    write!(
        stream,
        "GET /__pm/livereload HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n{origin}\r\n",
        server.port
    )
    .unwrap();
    // The head only: a 101 keeps the connection open for frames.
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        assert!(head.len() < 16 * 1024, "an endless response head");
        match stream.read(&mut byte) {
            Ok(1) => head.push(byte[0]),
            other => panic!(
                "the socket's answer ended early ({other:?}): `{}`",
                String::from_utf8_lossy(&head)
            ),
        }
    }
    (status_of(&String::from_utf8_lossy(&head)), stream)
}

/// A masked client frame (opcode, payload), as RFC 6455 requires of clients.
fn client_frame(opcode: u8, payload: &[u8]) -> Vec<u8> {
    let mut frame = vec![0x80 | opcode];
    match payload.len() {
        n if n < 126 => frame.push(0x80 | n as u8),
        n if n <= usize::from(u16::MAX) => {
            frame.push(0x80 | 126);
            frame.extend_from_slice(&(n as u16).to_be_bytes());
        }
        n => {
            frame.push(0x80 | 127);
            frame.extend_from_slice(&(n as u64).to_be_bytes());
        }
    }
    let mask = [0x12, 0x34, 0x56, 0x78];
    frame.extend_from_slice(&mask);
    frame.extend(payload.iter().zip(mask.iter().cycle()).map(|(b, m)| b ^ m));
    frame
}

/// Whether the server closes `stream` within `limit`: reads until the end
/// (a close frame or anything else before it is fine) or a reset.
fn closed_within(stream: &mut TcpStream, limit: Duration) -> bool {
    let started = Instant::now();
    stream
        .set_read_timeout(Some(Duration::from_millis(100)))
        .unwrap();
    let mut buf = [0u8; 4096];
    while started.elapsed() < limit {
        match stream.read(&mut buf) {
            Ok(0) => return true,
            Ok(_) => {}
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
            Err(_) => return true,
        }
    }
    false
}

#[test]
fn serve_live_reload_socket_opens_only_for_its_own_origin() {
    let project = Project::from_fixture("basic");
    let server = Server::start(&project, &[]);
    let port = server.port;

    for origin in [
        format!("http://127.0.0.1:{port}"),
        format!("http://localhost:{port}"),
        format!("HTTP://LOCALHOST:{port}"),
        format!("http://[::1]:{port}"),
    ] {
        let (status, _) = open_socket(&server, Some(&origin));
        assert_eq!(status, 101, "Origin: {origin}");
    }
    for origin in [
        Some("http://attacker.example".to_owned()),
        Some(format!("http://attacker.example:{port}")),
        Some(format!("https://127.0.0.1:{port}")),
        Some(format!("http://127.0.0.1:{}", port.wrapping_add(1).max(1))),
        Some("http://127.0.0.1".to_owned()),
        Some(format!("http://127.0.0.1:{port}/path")),
        Some("null".to_owned()),
        Some(String::new()),
        None,
    ] {
        let (status, _) = open_socket(&server, origin.as_deref());
        assert_eq!(status, 403, "Origin: {origin:?}");
    }
    server.stop();
}

#[test]
fn serve_live_reload_socket_closes_on_an_oversized_message() {
    let project = Project::from_fixture("basic");
    let server = Server::start(&project, &[]);
    let origin = format!("http://127.0.0.1:{}", server.port);

    let (status, mut socket) = open_socket(&server, Some(&origin));
    assert_eq!(status, 101);
    // Alive: a ping is answered with a pong carrying the same bytes.
    socket.write_all(&client_frame(0x9, b"hi")).unwrap();
    let mut pong = [0u8; 4];
    socket.read_exact(&mut pong).expect("a pong");
    assert_eq!(pong, [0x8A, 2, b'h', b'i']);

    // 64 KiB of text, where the page never sends anything.
    let big = client_frame(0x1, &vec![b'a'; 64 * 1024]);
    // The server may close before it has read it all.
    let _ = socket.write_all(&big);
    assert!(
        closed_within(&mut socket, Duration::from_secs(5)),
        "the socket stayed open after a 64 KiB message"
    );

    // The same in many small frames of one message.
    let (status, mut socket) = open_socket(&server, Some(&origin));
    assert_eq!(status, 101);
    let mut fragments = Vec::new();
    for i in 0..128 {
        let opcode = if i == 0 { 0x1 } else { 0x0 };
        let mut frame = client_frame(opcode, &[b'a'; 100]);
        frame[0] &= 0x7F; // not the final fragment
        fragments.extend_from_slice(&frame);
    }
    let _ = socket.write_all(&fragments);
    assert!(
        closed_within(&mut socket, Duration::from_secs(5)),
        "the socket stayed open after a 12,800-byte fragmented message"
    );
    server.stop();
}

#[test]
fn serve_cuts_off_slow_and_idle_clients() {
    let project = Project::from_fixture("basic");
    // Debug builds take the header timeout from the environment, so this
    // test waits one second, not the ten of a real `pm serve`.
    let server = Server::start_with_env(&project, &[], &[("PM_SERVE_HEADER_TIMEOUT_MS", "1000")]);
    let limit = Duration::from_secs(6);

    // Slowloris: a request head that never ends, one byte at a time.
    let mut slow = server.connect();
    write!(
        slow,
        "GET / HTTP/1.1\r\nHost: 127.0.0.1:{}\r\n",
        server.port
    )
    .unwrap();
    slow.set_read_timeout(Some(Duration::from_millis(100)))
        .unwrap();
    // Meanwhile the server answers everyone else.
    let (status, page) = server.get(INCIDENT_PAGE);
    assert_eq!(status, 200);
    assert!(page.contains(TITLE));
    let started = Instant::now();
    let mut cut_off = false;
    let mut buf = [0u8; 1024];
    while started.elapsed() < limit {
        if slow.write_all(b"X").is_err() {
            cut_off = true;
            break;
        }
        match slow.read(&mut buf) {
            Ok(0) => {
                cut_off = true;
                break;
            }
            // A 408 before the close is fine; the close must follow.
            Ok(_) => {}
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
            Err(_) => {
                cut_off = true;
                break;
            }
        }
    }
    assert!(
        cut_off,
        "a request head sent a byte at a time was still being read after {limit:?}"
    );

    // A connection that never sends anything, and one idle after a response.
    let mut idle = server.connect();
    assert!(
        closed_within(&mut idle, limit),
        "a silent connection was kept open"
    );
    let mut kept = server.connect();
    write!(
        kept,
        "GET /style.css HTTP/1.1\r\nHost: 127.0.0.1:{}\r\n\r\n",
        server.port
    )
    .unwrap();
    assert!(
        closed_within(&mut kept, limit),
        "an idle keep-alive connection was kept open"
    );

    // And still does.
    let (status, page) = server.get(INCIDENT_PAGE);
    assert_eq!(status, 200);
    assert!(page.contains(TITLE));
    server.stop();
}

#[test]
fn serve_marks_every_response_nosniff_and_sandboxes_attachments() {
    let project = Project::from_fixture("basic");
    // The incident as a bundle, with attachments beside it.
    let bundle = INCIDENT.trim_end_matches(".md");
    project.file(&format!("{bundle}/index.md"), project.read(INCIDENT));
    std::fs::remove_file(project.root().join(INCIDENT)).unwrap();
    project.file(&format!("{bundle}/graph.png"), b"\x89PNG\r\n\x1a\n");
    project.file(
        &format!("{bundle}/db-errors.log"),
        "ERROR <script>x</script>\n",
    );
    // HTML attachments are refused (hardening_attachments); a drawing is
    // published as pm's clean copy, and sandboxed here all the same.
    project.file(
        &format!("{bundle}/graph.svg"),
        "<svg xmlns='http://www.w3.org/2000/svg'><rect width='1' height='1'/></svg>",
    );
    let server = Server::start(&project, &[]);
    let port = server.port;
    let get = |method: &str, path: &str| {
        server.request(&format!(
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
        ))
    };

    // Every answer, whatever made it.
    for (method, path, status) in [
        ("GET", "/", 200),
        ("GET", INCIDENT_PAGE, 200),
        ("GET", INCIDENT_PAGE.trim_end_matches('/'), 308),
        ("GET", "/style.css", 200),
        ("GET", "/__pm/livereload.js", 200),
        ("GET", "/nope/", 404),
        ("POST", "/", 405),
        ("POST", "/__pm/livereload.js", 405),
        ("GET", "/__pm/livereload", 403),
    ] {
        let reply = get(method, path);
        assert_eq!(reply.status, status, "{method} {path}\n{}", reply.head);
        assert_eq!(
            reply.header("x-content-type-options"),
            Some("nosniff"),
            "{method} {path}\n{}",
            reply.head
        );
    }

    // Pages keep their own policy (in a meta tag, widened for live reload).
    let page = get("GET", INCIDENT_PAGE);
    assert_eq!(
        page.header("content-security-policy"),
        None,
        "{}",
        page.head
    );
    assert!(page.body.contains("connect-src 'self'"), "{}", page.body);

    // An attachment opened on its own can run nothing and gets no reload
    // script.
    let sandbox = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; sandbox";
    for (name, content_type) in [
        ("graph.png", "image/png"),
        ("db-errors.log", "text/plain; charset=utf-8"),
        ("graph.svg", "image/svg+xml"),
    ] {
        let reply = get("GET", &format!("{INCIDENT_PAGE}{name}"));
        assert_eq!(reply.status, 200, "{name}\n{}", reply.head);
        assert_eq!(reply.header("content-type"), Some(content_type), "{name}");
        assert_eq!(
            reply.header("content-security-policy"),
            Some(sandbox),
            "{name}\n{}",
            reply.head
        );
        assert!(!reply.body.contains("livereload"), "{name}: {}", reply.body);
    }
    server.stop();
}

#[test]
#[expect(
    clippy::disallowed_methods,
    reason = "the test deletes its own temporary repository under the server"
)]
fn serve_rebuilds_after_the_repository_folder_is_replaced() {
    let project = Project::from_fixture("basic");
    let server = Server::start(&project, &[]);
    let (status, page) = server.get(INCIDENT_PAGE);
    assert_eq!(status, 200);
    assert!(page.contains(TITLE));

    // `rm -rf` the repository and make it again, with an edit.
    std::fs::remove_dir_all(project.root()).unwrap();
    // Long enough for the server to notice the folder gone (and, before the
    // fix, to rebuild from nothing and lose the watch for good).
    std::thread::sleep(Duration::from_secs(1));
    copy_tree(&fixture("basic"), project.root());
    let edited = project
        .read(INCIDENT)
        .replace(TITLE, "Rate limit lowered by mistake");
    project.file(INCIDENT, &edited);

    server.wait_for(INCIDENT_PAGE, "the title of the new folder", |b| {
        b.contains("Rate limit lowered by mistake")
    });
    // And it keeps watching the new folder.
    project.file(
        INCIDENT,
        edited.replace("Rate limit lowered by mistake", "Third title"),
    );
    server.wait_for(INCIDENT_PAGE, "an edit in the new folder", |b| {
        b.contains("Third title")
    });
    server.stop();
}
