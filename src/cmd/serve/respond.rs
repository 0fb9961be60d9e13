//! Answering a request from the in-memory site: resolving its path to a file
//! of the site (never to the file system), content types, the sandbox for
//! anything that is not a page, and the live-reload script added to pages.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::extract::ws::rejection::WebSocketUpgradeRejection;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};

use super::guard::refusal;
use super::hosts::is_plain_host;
use super::state::{
    FALLBACK_404, LIVERELOAD_JS, LIVERELOAD_SCRIPT, MAX_SOCKET_MESSAGE, OVERLAY_CSS, OVERLAY_STYLE,
    SANDBOX_POLICY, Shared, Snapshot, asset, set_headers, stopped,
};

pub(super) async fn livereload_js() -> Response {
    asset(LIVERELOAD_SCRIPT, "text/javascript; charset=utf-8")
}

pub(super) async fn overlay_css() -> Response {
    asset(OVERLAY_STYLE, "text/css; charset=utf-8")
}

/// `GET /__pm/livereload?since=N`: tells the page to reload once the site
/// served is no longer generation `N`. Only the server's own pages may open
/// it: any other `Origin` (or none) is refused, so a page elsewhere cannot
/// watch the preview through it.
pub(super) async fn livereload(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    uri: Uri,
    upgrade: std::result::Result<WebSocketUpgrade, WebSocketUpgradeRejection>,
) -> Response {
    let mut origins = headers.get_all(header::ORIGIN).iter();
    let own = match (origins.next(), origins.next()) {
        (Some(origin), None) => origin
            .to_str()
            .is_ok_and(|origin| shared.names.allows_origin(origin)),
        _ => false,
    };
    if !own {
        return refusal(
            StatusCode::FORBIDDEN,
            "pm serve: the live-reload socket is only for pages of this preview\n",
        );
    }
    let upgrade = match upgrade {
        Ok(upgrade) => upgrade,
        Err(rejection) => return rejection.into_response(),
    };
    let since = uri.query().and_then(|q| {
        q.split('&')
            .find_map(|pair| pair.strip_prefix("since="))
            .and_then(|n| n.parse::<u64>().ok())
    });
    upgrade
        .max_message_size(MAX_SOCKET_MESSAGE)
        .max_frame_size(MAX_SOCKET_MESSAGE)
        .on_upgrade(move |socket| reload_when_rebuilt(socket, shared, since))
}

pub(super) async fn reload_when_rebuilt(
    mut socket: WebSocket,
    shared: Arc<Shared>,
    since: Option<u64>,
) {
    let mut site = shared.site.clone();
    let mut stopping = shared.stopping.clone();
    let current = site.borrow_and_update().generation;
    // A rebuild may have finished between serving the page and this call.
    let mut reload = since.is_some_and(|g| g != current);
    let since = since.unwrap_or(current);
    while !reload {
        tokio::select! {
            changed = site.changed() => {
                if changed.is_err() {
                    break;
                }
                // A later stage of the same rebuild is no new generation:
                // the page was reloaded when its first stage was served.
                reload = site.borrow_and_update().generation != since;
            }
            message = socket.recv() => match message {
                Some(Ok(Message::Close(_)) | Err(_)) | None => return,
                Some(Ok(_)) => {}
            },
            () = stopped(stopping.clone()) => break,
        }
        if *stopping.borrow_and_update() {
            break;
        }
    }
    if reload {
        let _ = socket.send(Message::Text("reload".into())).await;
    }
    let _ = socket.send(Message::Close(None)).await;
}

/// Every other path: a file of the in-memory site, or the 404 page.
pub(super) async fn site_file(
    State(shared): State<Arc<Shared>>,
    method: Method,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    if method != Method::GET && method != Method::HEAD {
        let mut response = StatusCode::METHOD_NOT_ALLOWED.into_response();
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return response;
    }
    let snapshot = up_to_date(&shared, uri.path()).await;
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| is_plain_host(h));
    match resolve(&snapshot.files, uri.path()) {
        Resolved::File(path) => {
            if content_type(&path).starts_with("text/html") {
                shared.looked_at.saw(&path);
            }
            let bytes = snapshot.files.get(&path).cloned().unwrap_or_default();
            respond(&snapshot, &path, bytes, host, StatusCode::OK)
        }
        Resolved::Directory => {
            // `/incidents/x` → `/incidents/x/`: relative links need the slash.
            let location = format!("{}/", uri.path());
            match HeaderValue::from_str(&location) {
                Ok(value) => {
                    let mut response = StatusCode::PERMANENT_REDIRECT.into_response();
                    response.headers_mut().insert(header::LOCATION, value);
                    response
                }
                Err(_) => not_found(&snapshot, host),
            }
        }
        Resolved::Missing => not_found(&snapshot, host),
    }
}

/// The snapshot to answer a request for `path` from: the one served now,
/// unless it is a rebuild's first stages and has no file at `path` yet,
/// which waits for the stage that has it, or the complete site.
async fn up_to_date(shared: &Shared, path: &str) -> Arc<Snapshot> {
    let mut site = shared.site.clone();
    loop {
        let snapshot = site.borrow_and_update().clone();
        if snapshot.complete || resolve(&snapshot.files, path) != Resolved::Missing {
            return snapshot;
        }
        tokio::select! {
            changed = site.changed() => {
                if changed.is_err() {
                    return snapshot;
                }
            }
            () = stopped(shared.stopping.clone()) => return snapshot,
        }
    }
}

pub(super) fn not_found(snapshot: &Snapshot, host: Option<&str>) -> Response {
    let page = snapshot
        .files
        .get("404.html")
        .cloned()
        .unwrap_or_else(|| Bytes::from_static(FALLBACK_404.as_bytes()));
    respond(snapshot, "404.html", page, host, StatusCode::NOT_FOUND)
}

pub(super) fn respond(
    snapshot: &Snapshot,
    path: &str,
    bytes: Bytes,
    host: Option<&str>,
    status: StatusCode,
) -> Response {
    let content_type = content_type(path);
    let page = content_type.starts_with("text/html") && !is_attachment(path);
    let body = if page {
        let html = String::from_utf8_lossy(&bytes);
        Bytes::from(for_preview(&html, snapshot, host))
    } else {
        bytes
    };
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = status;
    set_headers(response.headers_mut(), content_type);
    if !page {
        // An HTML attachment is no page: served as it is, and inert.
        response.headers_mut().insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(SANDBOX_POLICY),
        );
    }
    response
}

/// Whether a site file is an incident's attachment, copied from its bundle
/// (`incidents/<id>/<name>`), rather than a page pm rendered: the only page
/// in an incident's folder is its `index.html`.
pub(super) fn is_attachment(path: &str) -> bool {
    path.strip_prefix("incidents/")
        .and_then(|rest| rest.split_once('/'))
        .is_some_and(|(_, name)| name != "index.html")
}

/// What a request path names in the site.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Resolved {
    /// A file of the site, by its site-relative path.
    File(String),
    /// A folder with an `index.html`, asked for without the trailing slash.
    Directory,
    /// Nothing, or a path that tries to leave the site.
    Missing,
}

/// Maps a request path (still percent-encoded) to a file of the site.
/// Only plain segments are accepted: `.`, `..`, empty segments, backslashes
/// and NUL (encoded or not) name nothing.
pub(super) fn resolve(files: &BTreeMap<String, Bytes>, raw: &str) -> Resolved {
    let Some(decoded) = percent_decode(raw) else {
        return Resolved::Missing;
    };
    let Some(path) = decoded.strip_prefix('/') else {
        return Resolved::Missing;
    };
    let (body, folder) = match path.strip_suffix('/') {
        Some(body) => (body, true),
        None => (path, path.is_empty()),
    };
    let plain = |segment: &str| {
        !segment.is_empty() && segment != "." && segment != ".." && !segment.contains(['\\', '\0'])
    };
    if !body.is_empty() && !body.split('/').all(plain) {
        return Resolved::Missing;
    }
    let key = match (body.is_empty(), folder) {
        (true, _) => "index.html".to_owned(),
        (false, true) => format!("{body}/index.html"),
        (false, false) => body.to_owned(),
    };
    if files.contains_key(&key) {
        Resolved::File(key)
    } else if !folder && files.contains_key(&format!("{body}/index.html")) {
        Resolved::Directory
    } else {
        Resolved::Missing
    }
}

/// Decodes `%XX` escapes; `None` for a malformed escape or non-UTF-8 bytes.
pub(super) fn percent_decode(raw: &str) -> Option<String> {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'%' {
            let hex = bytes.get(i + 1..i + 3)?;
            let text = std::str::from_utf8(hex).ok()?;
            out.push(u8::from_str_radix(text, 16).ok()?);
            i += 3;
        } else {
            out.push(b);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The content type of a site file, by its extension.
pub(super) fn content_type(path: &str) -> &'static str {
    let extension = path
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match extension.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "atom" => "application/atom+xml",
        "csv" => "text/csv; charset=utf-8",
        "txt" | "log" | "md" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "wasm" => "application/wasm",
        _ => "application/octet-stream",
    }
}

/// A built page as `pm serve` serves it: the reload script (with the CSP
/// widened for it and its websocket), and the overlay when there are errors.
pub(super) fn for_preview(html: &str, snapshot: &Snapshot, host: Option<&str>) -> String {
    let mut connect = vec!["'self'".to_owned()];
    if let Some(host) = host {
        connect.push(format!("ws://{host}"));
    }
    let mut page = allow_livereload(html, &connect);
    let mut head = String::new();
    if snapshot.overlay.is_some() {
        head.push_str(&format!(
            "<link rel=\"stylesheet\" href=\"{OVERLAY_CSS}\">\n"
        ));
    }
    head.push_str(&format!(
        "<script src=\"{LIVERELOAD_JS}?since={}\" defer></script>\n",
        snapshot.generation
    ));
    page = insert_before(&page, "</head>", &head, 0);
    if let Some(overlay) = &snapshot.overlay {
        page = insert_after_body_tag(&page, overlay);
    }
    page
}

/// Inserts `text` before the first `marker` (ASCII case-insensitive), or at
/// `fallback` when there is none.
pub(super) fn insert_before(html: &str, marker: &str, text: &str, fallback: usize) -> String {
    let at = find_ascii_ci(html, marker, 0).unwrap_or(fallback.min(html.len()));
    let mut out = String::with_capacity(html.len() + text.len());
    out.push_str(&html[..at]);
    out.push_str(text);
    out.push_str(&html[at..]);
    out
}

/// Inserts `text` just inside `<body ...>`, or at the end without one.
pub(super) fn insert_after_body_tag(html: &str, text: &str) -> String {
    let at = find_ascii_ci(html, "<body", 0)
        .and_then(|start| html[start..].find('>').map(|end| start + end + 1))
        .unwrap_or(html.len());
    let mut out = String::with_capacity(html.len() + text.len());
    out.push_str(&html[..at]);
    out.push_str(text);
    out.push_str(&html[at..]);
    out
}

/// Byte offset of `needle` (ASCII) in `hay` at or after `from`, ignoring ASCII case.
pub(super) fn find_ascii_ci(hay: &str, needle: &str, from: usize) -> Option<usize> {
    let hay = hay.as_bytes();
    let needle = needle.as_bytes();
    (from..=hay.len().checked_sub(needle.len())?).find(|&i| {
        hay.get(i..i + needle.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(needle))
    })
}

/// Rewrites the page's `<meta http-equiv="Content-Security-Policy">` so the
/// reload script (`script-src 'self'`) and its websocket (`connect-src`)
/// are allowed. A page without such a meta tag is left as it is.
pub(super) fn allow_livereload(html: &str, connect: &[String]) -> String {
    let mut from = 0;
    while let Some(start) = find_ascii_ci(html, "<meta", from) {
        let Some(len) = html[start..].find('>') else {
            break;
        };
        let tag = &html[start..start + len];
        from = start + len;
        if find_ascii_ci(tag, "content-security-policy", 0).is_none() {
            continue;
        }
        let Some(value_at) = find_ascii_ci(tag, "content=\"", 0).map(|i| i + "content=\"".len())
        else {
            continue;
        };
        let Some(value_len) = tag[value_at..].find('"') else {
            continue;
        };
        let policy = &tag[value_at..value_at + value_len];
        let script = ["'self'".to_owned()];
        let rewritten = widen_policy(
            &widen_policy(policy, "script-src", &script),
            "connect-src",
            connect,
        );
        let (before, after) = (start + value_at, start + value_at + value_len);
        return format!("{}{}{}", &html[..before], rewritten, &html[after..]);
    }
    html.to_owned()
}

/// Adds `sources` to `directive` in a CSP, creating the directive if needed
/// and dropping a `'none'` it held.
pub(super) fn widen_policy(policy: &str, directive: &str, sources: &[String]) -> String {
    let mut directives: Vec<Vec<String>> = policy
        .split(';')
        .map(|d| {
            d.split_ascii_whitespace()
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
        .filter(|d| !d.is_empty())
        .collect();
    let existing = directives.iter_mut().find(|d| {
        d.first()
            .is_some_and(|name| name.eq_ignore_ascii_case(directive))
    });
    match existing {
        Some(d) => {
            d.retain(|s| !s.eq_ignore_ascii_case("'none'"));
            for source in sources {
                if !d.iter().skip(1).any(|s| s == source) {
                    d.push(source.clone());
                }
            }
        }
        None => {
            let mut d = vec![directive.to_owned()];
            d.extend(sources.iter().cloned());
            directives.push(d);
        }
    }
    directives
        .iter()
        .map(|d| d.join(" "))
        .collect::<Vec<_>>()
        .join("; ")
}
