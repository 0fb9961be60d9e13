//! What the server shares: its settings, the built-in assets it serves, and
//! the snapshot of the site every handler reads.

use super::hosts::Names;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::Response;
use tokio::sync::watch;

/// The script that reloads pages; served by `pm serve` only.
pub(super) const LIVERELOAD_JS: &str = "/__pm/livereload.js";
/// The websocket the script listens on.
pub(super) const LIVERELOAD_WS: &str = "/__pm/livereload";
/// The overlay's style sheet (the pages' CSP forbids inline styles).
pub(super) const OVERLAY_CSS: &str = "/__pm/overlay.css";

/// How long the watcher waits for a burst of saves to settle. An
/// editor's save (a write, or a temporary file renamed over the record)
/// is over in a millisecond or two; a build started in the middle of a
/// burst is stopped by the next event and built again, and a file changed
/// less than 2 s ago is read again on every build, so a shorter wait costs
/// at most a rebuild, never a stale page (docs/design-decisions.md).
pub(super) const DEBOUNCE: Duration = Duration::from_millis(50);
/// How long open connections get to finish once Ctrl-C is pressed.
pub(super) const SHUTDOWN_GRACE: Duration = Duration::from_secs(2);
/// How long a client may take to send a request's head, and how long a
/// kept-alive connection may sit idle before its next one: a client that
/// trickles its headers a byte at a time (slowloris) is cut off then.
pub(super) const HEADER_TIMEOUT: Duration = Duration::from_secs(10);
/// Debug builds only: the header timeout in milliseconds, so tests need not
/// wait [`HEADER_TIMEOUT`].
#[cfg(debug_assertions)]
pub(super) const HEADER_TIMEOUT_VAR: &str = "PM_SERVE_HEADER_TIMEOUT_MS";
/// Debug builds only: milliseconds a rebuild waits between serving the
/// records' own pages and rendering the files across records, so tests can
/// ask for those files while they are not up to date.
#[cfg(debug_assertions)]
pub(super) const ACROSS_DELAY_VAR: &str = "PM_SERVE_ACROSS_DELAY_MS";
/// The largest websocket frame or message the live-reload socket reads.
/// The page never sends anything but pings and a close; more is hostile.
pub(super) const MAX_SOCKET_MESSAGE: usize = 1024;
/// How often the watcher checks that the repository folder is still the
/// one it watches (it may be deleted and made again).
pub(super) const ROOT_CHECK: Duration = Duration::from_millis(500);
/// The policy of every response that is not a page of the site: nothing in
/// an attachment, a feed or a refusal opened on its own can run.
pub(super) const SANDBOX_POLICY: &str =
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; sandbox";

pub(super) const LIVERELOAD_SCRIPT: &str = r#"// pm serve: reloads this page when the site is rebuilt. Only `pm serve` adds it.
(function () {
  "use strict";
  var me = document.currentScript;
  var since = me ? new URL(me.src).searchParams.get("since") : null;
  var url = (location.protocol === "https:" ? "wss://" : "ws://") + location.host +
    "/__pm/livereload" + (since ? "?since=" + encodeURIComponent(since) : "");
  var delay = 500;
  function connect() {
    var socket = new WebSocket(url);
    socket.onopen = function () { delay = 500; };
    socket.onmessage = function (event) {
      if (event.data === "reload") { location.reload(); }
    };
    socket.onclose = function () {
      setTimeout(connect, delay);
      delay = Math.min(delay * 2, 5000);
    };
  }
  connect();
})();
"#;

pub(super) const OVERLAY_STYLE: &str = "/* pm serve: the overlay listing the records' errors. */
.pm-serve-overlay {
  position: fixed; inset: 0 0 auto 0; z-index: 2147483647;
  max-height: 70vh; overflow: auto; margin: 0; padding: 0.75rem 1rem;
  background: #fff5f5; color: #1a1a1a; border-bottom: 3px solid #c62828;
  box-shadow: 0 4px 16px rgb(0 0 0 / 25%); font: 15px/1.4 system-ui, sans-serif;
}
.pm-serve-overlay summary { cursor: pointer; font-weight: 600; color: #b71c1c; }
.pm-serve-overlay pre {
  white-space: pre-wrap; overflow-wrap: anywhere; margin: 0.5rem 0;
  font: 13px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
}
.pm-serve-overlay p { margin: 0.25rem 0 0; }
@media (prefers-color-scheme: dark) {
  .pm-serve-overlay { background: #2a1414; color: #f2f2f2; border-bottom-color: #ef5350; }
  .pm-serve-overlay summary { color: #ff8a80; }
}
";

/// Shown for a missing path when the site has no `404.html` of its own.
pub(super) const FALLBACK_404: &str = "<!DOCTYPE html>
<html lang=\"en\">
<head>
<meta charset=\"utf-8\">
<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'self'\">
<title>Page not found</title>
<link rel=\"stylesheet\" href=\"/style.css\">
</head>
<body>
<main class=\"wrap\"><h1>Page not found</h1><p><a href=\"/index.html\">All incidents</a></p></main>
</body>
</html>
";

/// One build of the site, as served.
#[derive(Debug)]
pub(super) struct Snapshot {
    /// Changes whenever what is served changes; starts from the clock so a
    /// page from an earlier `pm serve` never matches.
    pub(super) generation: u64,
    /// Site-relative path → bytes, as `pm build` would write them.
    pub(super) files: Arc<BTreeMap<String, Bytes>>,
    /// The latest build's errors as escaped HTML, shown over every page.
    pub(super) overlay: Option<String>,
    /// Whether `files` is the whole site. While a rebuild renders the
    /// files across records, the snapshot served holds only the files
    /// already up to date (the records' own pages first): a request for
    /// any other path waits for the next snapshot, never for a file of the
    /// build before.
    pub(super) complete: bool,
}

/// How many pages [`LookedAt`] remembers.
pub(super) const LOOKED_AT: usize = 16;

/// The pages served last, newest first: after a save, the files across
/// records among them are rendered before the others (the index always).
#[derive(Debug, Default)]
pub(super) struct LookedAt(std::sync::Mutex<std::collections::VecDeque<String>>);

impl LookedAt {
    /// Remembers that the page at site path `path` was served.
    pub(super) fn saw(&self, path: &str) {
        if let Ok(mut paths) = self.0.lock() {
            if paths.front().is_some_and(|p| p == path) {
                return;
            }
            paths.retain(|p| p != path);
            paths.push_front(path.to_owned());
            paths.truncate(LOOKED_AT);
        }
    }

    /// The pages to render first: those served last, and the index.
    pub(super) fn paths(&self) -> std::collections::BTreeSet<String> {
        let mut paths: std::collections::BTreeSet<String> = match self.0.lock() {
            Ok(paths) => paths.iter().cloned().collect(),
            Err(_) => Default::default(),
        };
        paths.insert("index.html".to_owned());
        paths
    }
}

/// What the HTTP handlers share.
pub(super) struct Shared {
    pub(super) site: watch::Receiver<Arc<Snapshot>>,
    /// The pages served last, for the next rebuild to render first.
    pub(super) looked_at: Arc<LookedAt>,
    pub(super) stopping: watch::Receiver<bool>,
    /// The names and port requests must be addressed to.
    pub(super) names: Names,
}

pub(super) fn asset(text: &'static str, content_type: &'static str) -> Response {
    let mut response = Response::new(Body::from(text));
    set_headers(response.headers_mut(), content_type);
    response
}

pub(super) fn set_headers(headers: &mut HeaderMap, content_type: &'static str) {
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    // A preview is always fresh.
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
}

/// Resolves once the stop flag is set.
pub(super) async fn stopped(mut stop: watch::Receiver<bool>) {
    let _ = stop.wait_for(|stop| *stop).await;
}
