use std::collections::BTreeMap;

use axum::body::Bytes;

use super::hosts::is_plain_host;
use super::respond::{Resolved, content_type, for_preview, is_attachment, resolve, widen_policy};
use super::site::overlay_html;
use super::state::Snapshot;
use super::*;

fn site(paths: &[&str]) -> BTreeMap<String, Bytes> {
    paths
        .iter()
        .map(|p| ((*p).to_owned(), Bytes::from_static(b"x")))
        .collect()
}

#[test]
fn request_paths_resolve_only_to_site_files() {
    let files = site(&["index.html", "style.css", "incidents/a/index.html"]);
    let file = |p: &str| Resolved::File(p.to_owned());
    assert_eq!(resolve(&files, "/"), file("index.html"));
    assert_eq!(resolve(&files, "/style.css"), file("style.css"));
    assert_eq!(
        resolve(&files, "/incidents/a/"),
        file("incidents/a/index.html")
    );
    assert_eq!(resolve(&files, "/incidents/a"), Resolved::Directory);
    assert_eq!(
        resolve(&files, "/incidents/%61/"),
        file("incidents/a/index.html")
    );
    for escape in [
        "/../Cargo.toml",
        "/%2e%2e/",
        "/%2E%2E/Cargo.toml",
        "/incidents/../style.css",
        "/./style.css",
        "//style.css",
        "/incidents//a/",
        "/..%2fstyle.css",
        "/%5c..%5cstyle.css",
        "/style.css%00",
        "/%zz",
        "/%c3",
        "relative",
        "/missing.html",
    ] {
        assert_eq!(resolve(&files, escape), Resolved::Missing, "{escape}");
    }
}

#[test]
fn content_types_follow_the_extension() {
    assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
    assert_eq!(content_type("style.css"), "text/css; charset=utf-8");
    assert_eq!(content_type("incidents.json"), "application/json");
    assert_eq!(content_type("graph.PNG"), "image/png");
    assert_eq!(content_type("noext"), "application/octet-stream");
}

#[test]
fn the_policy_allows_the_reload_script_and_its_socket() {
    let page = "<html><head><meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'self'\"></head><body class=\"x\"><p>hi</p></body></html>";
    let snapshot = Snapshot {
        generation: 7,
        files: Arc::default(),
        overlay: Some(overlay_html("1 error", "error: <bad> & \"worse\"")),
        complete: true,
    };
    let out = for_preview(page, &snapshot, Some("127.0.0.1:4000"));
    assert!(out.contains(
            "content=\"default-src 'none'; style-src 'self'; script-src 'self'; connect-src 'self' ws://127.0.0.1:4000\""
        ), "{out}");
    assert!(out.contains("<script src=\"/__pm/livereload.js?since=7\" defer></script>\n</head>"));
    assert!(out.contains("<body class=\"x\"><aside class=\"pm-serve-overlay\""));
    assert!(out.contains("error: &lt;bad&gt; &amp; &quot;worse&quot;"));
    assert!(!out.contains("<bad>"));
}

#[test]
fn an_existing_directive_is_widened_not_duplicated() {
    let policy = "default-src 'none'; script-src 'self'; connect-src 'none'";
    let widened = widen_policy(policy, "script-src", &["'self'".to_owned()]);
    assert_eq!(widened, policy);
    let widened = widen_policy(policy, "connect-src", &["'self'".to_owned()]);
    assert_eq!(
        widened,
        "default-src 'none'; script-src 'self'; connect-src 'self'"
    );
}

#[test]
fn only_plain_hosts_reach_the_policy() {
    assert!(is_plain_host("127.0.0.1:1111"));
    assert!(is_plain_host("[::1]:1111"));
    assert!(is_plain_host("localhost"));
    assert!(!is_plain_host("evil\"; script-src *"));
    assert!(!is_plain_host(""));
}

#[test]
fn only_the_server_s_own_names_are_allowed() {
    let loopback = Names {
        interface: IpAddr::V4(Ipv4Addr::LOCALHOST),
        port: 1111,
    };
    for host in [
        "localhost",
        "localhost:1111",
        "LOCALHOST:1111",
        "127.0.0.1",
        "127.0.0.1:1111",
        "[::1]",
        "[::1]:1111",
        "[0:0:0:0:0:0:0:1]:1111",
    ] {
        assert!(loopback.allows_host(host), "{host}");
    }
    for host in [
        "",
        ":1111",
        "localhost:80",
        "localhost:",
        "localhost:1111:1111",
        "localhost.",
        "evil.localhost",
        "127.0.0.1.nip.io",
        "127.1",
        "0x7f.0.0.1",
        "10.0.0.1:1111",
        "[::1",
        "[::1]x",
        "user@127.0.0.1:1111",
        "localhost:99999",
    ] {
        assert!(!loopback.allows_host(host), "{host}");
    }
    assert!(loopback.allows_origin("http://localhost:1111"));
    assert!(loopback.allows_origin("http://[::1]:1111"));
    for origin in [
        "null",
        "",
        "http://localhost",
        "https://localhost:1111",
        "http://localhost:1111/",
        "http://evil.example:1111",
        "ws://localhost:1111",
    ] {
        assert!(!loopback.allows_origin(origin), "{origin}");
    }

    let lan = Names {
        interface: "192.168.1.5".parse().unwrap(),
        port: 80,
    };
    assert!(lan.allows_host("192.168.1.5"));
    assert!(lan.allows_origin("http://192.168.1.5"));
    assert!(!lan.allows_host("192.168.1.6"));
    // Every interface: any address, still no other name.
    let any = Names {
        interface: IpAddr::V6(Ipv6Addr::UNSPECIFIED),
        port: 1111,
    };
    assert!(any.allows_host("192.168.1.6:1111"));
    assert!(any.allows_host("[fe80::1]:1111"));
    assert!(!any.allows_host("my-laptop.local:1111"));
}

#[test]
fn attachments_are_told_from_pages() {
    assert!(!is_attachment("incidents/a/index.html"));
    assert!(!is_attachment("index.html"));
    assert!(!is_attachment("playbooks/x/index.html"));
    assert!(is_attachment("incidents/a/notes.html"));
    assert!(is_attachment("incidents/a/sub/index.html"));
    assert!(is_attachment("incidents/a/graph.png"));
}

#[test]
fn browse_url_prefers_loopback() {
    let any = SocketAddr::new(IpAddr::V4(Ipv4Addr::UNSPECIFIED), 1111);
    assert_eq!(browse_url(any), "http://127.0.0.1:1111/");
    let v6 = SocketAddr::new(IpAddr::V6(Ipv6Addr::LOCALHOST), 80);
    assert_eq!(browse_url(v6), "http://[::1]:80/");
}
