//! `pm serve`: the local preview server.
//!
//! Owns HTTP, the live-reload websocket and file watching. It builds the site
//! through the same pipeline as `pm build` ([`crate::pipeline::site::load_site`] and
//! [`crate::pipeline::site::Site::render_all`]) but keeps the files in memory: nothing here
//! writes to disk, and only files of the in-memory site are ever served, so a
//! request path can never reach the file system.
//!
//! What the browser gets differs from the built site in one way only: served
//! HTML pages carry a `<script>` that reloads them after a rebuild (their
//! Content-Security-Policy is widened to allow it and its websocket), and,
//! while the records have errors, an overlay listing them. Both are added
//! here, at serve time, never by the templates.
//!
//! The preview shows drafts and unpublished records to whoever can reach it,
//! so every request must name the server (`Host`: `localhost`, a loopback
//! address or the one listened on) and the live-reload socket opens only for
//! its own pages (`Origin`); a web page elsewhere, even one that rebinds its
//! DNS name to 127.0.0.1, gets a refusal. Request heads must arrive within
//! [`HEADER_TIMEOUT`], socket messages stay tiny, and nothing but a page can
//! run script. docs/security.md, part 7, lists the guarantees and tests.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write as _;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::ws::rejection::WebSocketUpgradeRejection;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, Version, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use notify_debouncer_full::notify::{self, EventKind, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};
use tokio::sync::watch;

use crate::cli::{Cli, Format, ServeArgs, SourceArgs};
use crate::diag::{self, Diagnostics, Level};
use crate::error::{Error, Result};
use crate::pipeline::site::{SiteOptions, load_site};
use crate::pipeline::{Ui, resolve_today};
use crate::{EXIT_OK, source};

use super::report::report;
use super::shared::root_of;

/// The script that reloads pages; served by `pm serve` only.
const LIVERELOAD_JS: &str = "/__pm/livereload.js";
/// The websocket the script listens on.
const LIVERELOAD_WS: &str = "/__pm/livereload";
/// The overlay's style sheet (the pages' CSP forbids inline styles).
const OVERLAY_CSS: &str = "/__pm/overlay.css";

/// How long the watcher waits for a burst of saves to settle.
const DEBOUNCE: Duration = Duration::from_millis(150);
/// How long open connections get to finish once Ctrl-C is pressed.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(2);
/// How long a client may take to send a request's head, and how long a
/// kept-alive connection may sit idle before its next one: a client that
/// trickles its headers a byte at a time (slowloris) is cut off then.
const HEADER_TIMEOUT: Duration = Duration::from_secs(10);
/// Debug builds only: the header timeout in milliseconds, so tests need not
/// wait [`HEADER_TIMEOUT`].
#[cfg(debug_assertions)]
const HEADER_TIMEOUT_VAR: &str = "PM_SERVE_HEADER_TIMEOUT_MS";
/// The largest websocket frame or message the live-reload socket reads.
/// The page never sends anything but pings and a close; more is hostile.
const MAX_SOCKET_MESSAGE: usize = 1024;
/// How often the watcher checks that the repository folder is still the
/// one it watches (it may be deleted and made again).
const ROOT_CHECK: Duration = Duration::from_millis(500);
/// The policy of every response that is not a page of the site: nothing in
/// an attachment, a feed or a refusal opened on its own can run.
const SANDBOX_POLICY: &str =
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; sandbox";

const LIVERELOAD_SCRIPT: &str = r#"// pm serve: reloads this page when the site is rebuilt. Only `pm serve` adds it.
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

const OVERLAY_STYLE: &str = "/* pm serve: the overlay listing the records' errors. */
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
const FALLBACK_404: &str = "<!DOCTYPE html>
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
struct Snapshot {
    /// Changes whenever what is served changes; starts from the clock so a
    /// page from an earlier `pm serve` never matches.
    generation: u64,
    /// Site-relative path → bytes, as `pm build` would write them.
    files: Arc<BTreeMap<String, Bytes>>,
    /// The latest build's errors as escaped HTML, shown over every page.
    overlay: Option<String>,
}

/// What the HTTP handlers share.
struct Shared {
    site: watch::Receiver<Arc<Snapshot>>,
    stopping: watch::Receiver<bool>,
    /// The names and port requests must be addressed to.
    names: Names,
}

/// Runs `pm serve` until Ctrl-C.
pub(crate) fn run(cli: &Cli, args: &ServeArgs, ui: Ui) -> Result<u8> {
    let given = root_of(cli);
    let root =
        std::fs::canonicalize(&given).map_err(|e| Error::io("cannot read folder", &given, e))?;
    if !root.is_dir() {
        return Err(Error::Usage(format!(
            "`{}` is not a folder",
            given.display()
        )));
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::Usage(format!("cannot start the preview server: {e}")))?;
    runtime.block_on(serve(root, args, ui))
}

async fn serve(root: PathBuf, args: &ServeArgs, ui: Ui) -> Result<u8> {
    let addr = SocketAddr::new(args.interface, args.port);
    let listener = tokio::net::TcpListener::bind(addr).await.map_err(|e| {
        Error::Usage(format!(
            "cannot listen on {addr}: {e}\n  help: choose another port with `-p`, or `-p 0` for any free one"
        ))
    })?;
    let local = listener
        .local_addr()
        .map_err(|e| Error::Usage(format!("cannot listen on {addr}: {e}")))?;

    // Watch before the first build, so no save between the two is missed.
    let (events_tx, events) = mpsc::channel();
    let mut watcher = Watch::start(&root, events_tx)?;

    let mut builder = Builder {
        root: root.clone(),
        drafts: args.drafts,
        ui,
        first: true,
    };
    let first = builder.build(None);
    let (site_tx, site_rx) = watch::channel(Arc::new(first));

    let url = browse_url(local);
    if !args.interface.is_loopback() {
        ui.status(&format!(
            "warning: listening on {local}: the preview is visible to the network, records and all"
        ));
    }
    {
        let mut out = std::io::stdout().lock();
        writeln!(out, "serving the site at {url}")
            .and_then(|()| out.flush())
            .map_err(|e| Error::io("cannot write", Path::new("<stdout>"), e))?;
    }
    ui.status(&format!(
        "watching {}/, {}/, {}/ and {}; press Ctrl-C to stop",
        source::INCIDENTS_DIR,
        source::PLAYBOOKS_DIR,
        source::TEMPLATES_DIR,
        source::CONFIG_FILE
    ));

    // Rebuilds run on their own thread: rendering is CPU work (rayon), and
    // the server keeps answering with the previous site meanwhile.
    std::thread::Builder::new()
        .name("pm-serve-rebuild".into())
        .spawn(move || {
            loop {
                let mut relevant = match events.recv_timeout(ROOT_CHECK) {
                    Ok(batch) => watcher.relevant(batch),
                    Err(mpsc::RecvTimeoutError::Timeout) => false,
                    Err(mpsc::RecvTimeoutError::Disconnected) => break,
                };
                // Saves that arrived while the last build ran are one more rebuild.
                while let Ok(more) = events.try_recv() {
                    relevant |= watcher.relevant(more);
                }
                // A repository folder deleted and made again is a new
                // folder: watch it, then build it.
                relevant |= watcher.follow_root();
                if !relevant {
                    continue;
                }
                let previous = site_tx.borrow().clone();
                let next = builder.build(Some(&previous));
                site_tx.send_if_modified(|current| {
                    let changed = next.files != current.files || next.overlay != current.overlay;
                    if changed {
                        *current = Arc::new(next);
                    }
                    changed
                });
            }
        })
        .map_err(|e| Error::Usage(format!("cannot start the file watcher: {e}")))?;

    if args.open
        && let Err(e) = opener::open_browser(&url)
    {
        ui.status(&format!(
            "warning: cannot open a browser ({e}); open {url} yourself"
        ));
    }

    let (stop_tx, stop_rx) = watch::channel(false);
    tokio::spawn(async move {
        stop_signal().await;
        stop_tx.send_replace(true);
    });
    let shared = Arc::new(Shared {
        site: site_rx,
        stopping: stop_rx.clone(),
        names: Names {
            interface: args.interface,
            port: local.port(),
        },
    });
    let app = Router::new()
        .route(LIVERELOAD_JS, get(livereload_js))
        .route(OVERLAY_CSS, get(overlay_css))
        .route(LIVERELOAD_WS, get(livereload))
        .fallback(site_file)
        .layer(middleware::from_fn_with_state(
            Arc::clone(&shared),
            guard_and_mark,
        ))
        .with_state(shared);
    accept_until_stopped(listener, app, stop_rx).await;
    ui.status("stopped");
    Ok(EXIT_OK)
}

/// The address to browse to: loopback when listening on every interface.
fn browse_url(local: SocketAddr) -> String {
    let ip = match local.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    format!("http://{}/", SocketAddr::new(ip, local.port()))
}

/// Serves connections until the stop flag is set, then gives open ones
/// [`SHUTDOWN_GRACE`] to finish. axum::serve would do the same but sets
/// hyper no timer, and without one hyper cannot time out a request head:
/// hence this loop, with [`header_timeout`] on every connection.
async fn accept_until_stopped(
    mut listener: tokio::net::TcpListener,
    app: Router,
    stop: watch::Receiver<bool>,
) {
    let timeout = header_timeout();
    let mut connections = tokio::task::JoinSet::new();
    loop {
        // axum's `Listener` retries failed accepts (a full file table, say).
        let stream = tokio::select! {
            (stream, _) = axum::serve::Listener::accept(&mut listener) => stream,
            () = stopped(stop.clone()) => break,
        };
        let service = TowerToHyperService::new(app.clone());
        let stop = stop.clone();
        connections.spawn(async move {
            let mut http = hyper::server::conn::http1::Builder::new();
            http.timer(TokioTimer::new()).header_read_timeout(timeout);
            let connection = http
                .serve_connection(TokioIo::new(stream), service)
                .with_upgrades();
            let mut connection = std::pin::pin!(connection);
            tokio::select! {
                // An error here is the client's (a timeout, a reset, bad HTTP).
                _ = connection.as_mut() => return,
                () = stopped(stop) => connection.as_mut().graceful_shutdown(),
            }
            let _ = connection.await;
        });
        // Forget the connections that are done.
        while connections.try_join_next().is_some() {}
    }
    let _ = tokio::time::timeout(SHUTDOWN_GRACE, async {
        while connections.join_next().await.is_some() {}
    })
    .await;
}

/// [`HEADER_TIMEOUT`], or in a debug build the one the environment gives.
fn header_timeout() -> Duration {
    #[cfg(debug_assertions)]
    if let Some(ms) = std::env::var(HEADER_TIMEOUT_VAR)
        .ok()
        .and_then(|v| v.trim().parse::<u64>().ok())
    {
        return Duration::from_millis(ms.max(1));
    }
    HEADER_TIMEOUT
}

/// Resolves on Ctrl-C (or SIGTERM on Unix).
async fn stop_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            // No handler could be installed: never stop on our own.
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let term = async {
            match signal(SignalKind::terminate()) {
                Ok(mut s) => {
                    s.recv().await;
                }
                Err(_) => std::future::pending::<()>().await,
            }
        };
        tokio::select! {
            () = ctrl_c => {}
            () = term => {}
        }
    }
    #[cfg(not(unix))]
    ctrl_c.await;
}

/// Resolves once the stop flag is set.
async fn stopped(mut stop: watch::Receiver<bool>) {
    let _ = stop.wait_for(|stop| *stop).await;
}

/// Builds snapshots and reports each build on the terminal.
struct Builder {
    root: PathBuf,
    drafts: bool,
    ui: Ui,
    first: bool,
}

impl Builder {
    /// One run of the site pipeline, into memory. When the site cannot be
    /// rendered at all (bad `pm.toml`, a template error), the previous
    /// build's files stay up under the overlay.
    fn build(&mut self, previous: Option<&Snapshot>) -> Snapshot {
        let started = Instant::now();
        let mut diags = Diagnostics::new();
        // The "no git history" warning is said once, not on every save.
        let pipeline_ui = if self.first {
            self.ui
        } else {
            Ui {
                quiet: true,
                ..self.ui
            }
        };
        let source = SourceArgs {
            rev: None,
            require_history: false,
        };
        let rendered = resolve_today(None).and_then(|today| {
            let opts = SiteOptions {
                source: &source,
                drafts: self.drafts,
                today,
            };
            let Some(mut site) = load_site(&self.root, &opts, pipeline_ui, &mut diags)? else {
                return Ok(None);
            };
            // The preview is served from the root, whatever the live site's address.
            site.loaded.config.base_url = "/".to_owned();
            let files = site.render_all(&diags)?;
            Ok(Some((
                files,
                site.loaded.corpus.incidents.len(),
                site.loaded.files.len(),
            )))
        });
        let _ = report(&diags, Format::Human, self.ui);
        let errors = diags.count(Level::Error);
        let warnings = diags.count(Level::Warning);
        let what = if self.first { "built" } else { "rebuilt" };
        self.first = false;
        let seconds = started.elapsed().as_secs_f64();

        let mut problems = String::new();
        for d in diags.items().iter().filter(|d| d.level == Level::Error) {
            problems.push_str(&diag::render_human(d, &diags.sources, false));
            problems.push_str("\n\n");
        }
        let (files, overlay) = match rendered {
            Ok(Some((files, incidents, records))) => {
                let summary = diag::summary_line(errors, warnings, records);
                self.ui.status(&format!(
                    "{what} {} and {} in {seconds:.2} s ({summary})",
                    diag::plural(incidents, "incident"),
                    diag::plural(files.len(), "file"),
                ));
                let overlay = (errors > 0).then(|| {
                    overlay_html(
                        &format!(
                            "pm serve: {}; pages of records with errors may be missing or incomplete",
                            diag::plural(errors, "error")
                        ),
                        &problems,
                    )
                });
                let files = files
                    .into_iter()
                    .map(|(path, bytes)| (path, Bytes::from(bytes)))
                    .collect();
                (Arc::new(files), overlay)
            }
            failed => {
                let headline = match failed {
                    Err(e) => {
                        let message = format!("error: {e}");
                        let prefix = if self.ui.color {
                            "\x1b[1;31merror\x1b[0m"
                        } else {
                            "error"
                        };
                        let mut err = std::io::stderr().lock();
                        let _ = writeln!(err, "{prefix}: {e}");
                        problems.push_str(&message);
                        "pm serve: the site could not be built"
                    }
                    Ok(_) => "pm serve: pm.toml has errors, so the site could not be built",
                };
                let kept = previous.map(|p| Arc::clone(&p.files));
                self.ui.status(&format!(
                    "error: the site was not {what} in {seconds:.2} s; {}",
                    if kept.is_some() {
                        "still serving the last site that built"
                    } else {
                        "serving only the error until it is fixed"
                    }
                ));
                let headline = if kept.is_some() {
                    format!("{headline}; this is the last site that built")
                } else {
                    headline.to_owned()
                };
                (
                    kept.unwrap_or_default(),
                    Some(overlay_html(&headline, &problems)),
                )
            }
        };
        let generation = match previous {
            Some(p) => p.generation.wrapping_add(1),
            None => std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(1, |d| d.as_millis() as u64),
        };
        Snapshot {
            generation,
            files,
            overlay,
        }
    }
}

/// The overlay: a collapsible panel over the page, with the findings as
/// plain (escaped) text in the same human format as the terminal's.
fn overlay_html(headline: &str, problems: &str) -> String {
    format!(
        "<aside class=\"pm-serve-overlay\" role=\"alert\"><details open><summary>{}</summary><pre>{}</pre><p>Fix it and save: this page reloads by itself.</p></details></aside>",
        escape_html(headline),
        escape_html(problems.trim_end())
    )
}

fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The file watcher: the repository root (for `pm.toml`, and for the
/// source folders appearing) and each source folder that exists.
struct Watch {
    root: PathBuf,
    debouncer: Debouncer<notify::RecommendedWatcher, RecommendedCache>,
    /// Source folders watched recursively.
    folders: BTreeSet<PathBuf>,
    /// Which folder the root watch is on ([`folder_identity`]).
    identity: Option<FolderIdentity>,
    /// The root folder went away since it was last watched (its watch with
    /// it): seen missing, or reported removed by the watcher.
    lost: bool,
}

const FOLDERS: [&str; 3] = [
    source::INCIDENTS_DIR,
    source::PLAYBOOKS_DIR,
    source::TEMPLATES_DIR,
];

/// What tells one folder from another made later at the same path.
type FolderIdentity = (u64, u64);

/// The device and inode of a folder on Unix; elsewhere its creation time.
/// `None` when it does not exist (or the platform tells nothing).
fn folder_identity(path: &Path) -> Option<FolderIdentity> {
    let meta = std::fs::metadata(path).ok().filter(|m| m.is_dir())?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt as _;
        Some((meta.dev(), meta.ino()))
    }
    #[cfg(not(unix))]
    {
        let created = meta.created().ok()?;
        let since = created.duration_since(std::time::UNIX_EPOCH).ok()?;
        Some((since.as_secs(), u64::from(since.subsec_nanos())))
    }
}

impl Watch {
    fn start(root: &Path, events: mpsc::Sender<DebounceEventResult>) -> Result<Watch> {
        let failed =
            |e: notify::Error| Error::Usage(format!("cannot watch `{}`: {e}", root.display()));
        let mut debouncer = new_debouncer(DEBOUNCE, None, events).map_err(failed)?;
        let identity = folder_identity(root);
        debouncer
            .watch(root, RecursiveMode::NonRecursive)
            .map_err(failed)?;
        let mut watch = Watch {
            root: root.to_path_buf(),
            debouncer,
            folders: BTreeSet::new(),
            identity,
            lost: false,
        };
        watch.watch_folders();
        Ok(watch)
    }

    /// Watches the repository folder again when it is a new one: deleted
    /// (its watches die with it) and made again at the same path. Checked
    /// both ways, since either alone can miss it: by identity (a removal the
    /// watcher never reported) and by having seen it gone (a new folder may
    /// reuse the old inode). Returns whether to rebuild.
    fn follow_root(&mut self) -> bool {
        let now = folder_identity(&self.root);
        let Some(identity) = now else {
            // Gone: nothing to watch until it is back. Build once, so the
            // pages say the site cannot be built.
            let first = !self.lost;
            self.lost = true;
            return first;
        };
        if !self.lost && self.identity == Some(identity) {
            return false;
        }
        let _ = self.debouncer.unwatch(&self.root);
        for dir in std::mem::take(&mut self.folders) {
            let _ = self.debouncer.unwatch(&dir);
        }
        if self
            .debouncer
            .watch(&self.root, RecursiveMode::NonRecursive)
            .is_err()
        {
            // Gone again already: try on the next check.
            self.lost = true;
            return false;
        }
        self.identity = Some(identity);
        self.lost = false;
        self.watch_folders();
        true
    }

    /// Watches source folders that exist and are not watched yet (one may
    /// be created, or deleted and made again, while pm serves).
    fn watch_folders(&mut self) {
        for name in FOLDERS {
            let dir = self.root.join(name);
            if !dir.is_dir() {
                if self.folders.remove(&dir) {
                    let _ = self.debouncer.unwatch(&dir);
                }
                continue;
            }
            if !self.folders.contains(&dir)
                && self.debouncer.watch(&dir, RecursiveMode::Recursive).is_ok()
            {
                self.folders.insert(dir);
            }
        }
    }

    /// Whether a batch of events touches the records, the templates or
    /// `pm.toml` (and not, say, `public/` or an editor's file beside them).
    fn relevant(&mut self, batch: DebounceEventResult) -> bool {
        let Ok(events) = batch else {
            // The watcher lost track (e.g. too many events): rebuild to be safe.
            self.watch_folders();
            return true;
        };
        // Reads (pm's own, an editor's) are not changes: rebuilding on them
        // would loop, since every build reads the records.
        if events
            .iter()
            .any(|e| matches!(e.kind, EventKind::Remove(_)) && e.paths.contains(&self.root))
        {
            self.lost = true;
        }
        let changes = events
            .iter()
            .filter(|e| !matches!(e.kind, EventKind::Access(_)));
        let hit = changes.flat_map(|e| e.paths.iter()).any(|path| {
            let Ok(rel) = path.strip_prefix(&self.root) else {
                return false;
            };
            let first = rel.components().next().map(|c| c.as_os_str());
            rel == Path::new(source::CONFIG_FILE)
                || first.is_some_and(|f| FOLDERS.iter().any(|name| f == *name))
        });
        if hit {
            self.watch_folders();
        }
        hit
    }
}

// ---- HTTP ----

async fn livereload_js() -> Response {
    asset(LIVERELOAD_SCRIPT, "text/javascript; charset=utf-8")
}

async fn overlay_css() -> Response {
    asset(OVERLAY_STYLE, "text/css; charset=utf-8")
}

fn asset(text: &'static str, content_type: &'static str) -> Response {
    let mut response = Response::new(Body::from(text));
    set_headers(response.headers_mut(), content_type);
    response
}

fn set_headers(headers: &mut HeaderMap, content_type: &'static str) {
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    // A preview is always fresh.
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
}

/// `GET /__pm/livereload?since=N`: tells the page to reload once the site
/// served is no longer generation `N`. Only the server's own pages may open
/// it: any other `Origin` (or none) is refused, so a page elsewhere cannot
/// watch the preview through it.
async fn livereload(
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

async fn reload_when_rebuilt(mut socket: WebSocket, shared: Arc<Shared>, since: Option<u64>) {
    let mut site = shared.site.clone();
    let mut stopping = shared.stopping.clone();
    let current = site.borrow_and_update().generation;
    // A rebuild may have finished between serving the page and this call.
    let mut reload = since.is_some_and(|g| g != current);
    while !reload {
        tokio::select! {
            changed = site.changed() => {
                if changed.is_err() {
                    break;
                }
                reload = true;
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

/// The names a request may address the server by, and its port. A page
/// that rebinds its own DNS name to 127.0.0.1 still sends that name as
/// `Host` (and `Origin`), so refusing every other name keeps such a page
/// from reading the preview, drafts included.
#[derive(Debug, Clone, Copy)]
struct Names {
    /// The address listened on (`--interface`).
    interface: IpAddr,
    /// The port listened on.
    port: u16,
}

impl Names {
    /// Whether a `Host` header (or a request target's authority) names this
    /// server: `localhost`, `127.0.0.1`, `[::1]` or the interface's address,
    /// in any case, with this server's port or none. Listening on every
    /// interface, any IP address is accepted: a page cannot rebind a bare
    /// address, only a name.
    fn allows_host(&self, host: &str) -> bool {
        split_authority(host).is_some_and(|(name, port)| {
            port.is_none_or(|port| port == self.port) && self.allows_name(name)
        })
    }

    /// Whether an `Origin` is this server's own: `http://` and an allowed
    /// name with this server's port (the scheme's 80 when none is given).
    fn allows_origin(&self, origin: &str) -> bool {
        let Some(authority) = origin
            .get(..7)
            .filter(|scheme| scheme.eq_ignore_ascii_case("http://"))
            .and_then(|_| origin.get(7..))
        else {
            return false;
        };
        split_authority(authority)
            .is_some_and(|(name, port)| port.unwrap_or(80) == self.port && self.allows_name(name))
    }

    fn allows_name(&self, name: &str) -> bool {
        if name.eq_ignore_ascii_case("localhost") {
            return true;
        }
        let ip = match name.strip_prefix('[').and_then(|n| n.strip_suffix(']')) {
            Some(v6) => v6.parse::<Ipv6Addr>().ok().map(IpAddr::V6),
            None => name.parse::<Ipv4Addr>().ok().map(IpAddr::V4),
        };
        ip.is_some_and(|ip| {
            ip == IpAddr::V4(Ipv4Addr::LOCALHOST)
                || ip == IpAddr::V6(Ipv6Addr::LOCALHOST)
                || ip == self.interface
                || self.interface.is_unspecified()
        })
    }
}

/// `name[:port]` → the name and the port; `None` when the port is not a
/// number or the brackets of an IPv6 address do not close.
fn split_authority(authority: &str) -> Option<(&str, Option<u16>)> {
    let (name, port) = if authority.starts_with('[') {
        let end = authority.find(']')? + 1;
        let (name, rest) = authority.split_at(end);
        if rest.is_empty() {
            (name, None)
        } else {
            (name, Some(rest.strip_prefix(':')?))
        }
    } else {
        match authority.split_once(':') {
            Some((name, port)) => (name, Some(port)),
            None => (authority, None),
        }
    };
    let port = match port {
        None => None,
        Some(port) if !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) => {
            Some(port.parse::<u16>().ok()?)
        }
        Some(_) => return None,
    };
    Some((name, port))
}

/// Every request passes here first: one not addressed to this server by
/// name is refused before any handler sees it. Every response leaves with
/// `nosniff`, and, unless it is a page (which carries its own policy), the
/// sandbox policy.
async fn guard_and_mark(
    State(shared): State<Arc<Shared>>,
    request: Request,
    next: Next,
) -> Response {
    let mut response = match addressed_here(&shared.names, &request) {
        Ok(()) => next.run(request).await,
        Err((status, why)) => refusal(status, why),
    };
    let headers = response.headers_mut();
    headers
        .entry(header::X_CONTENT_TYPE_OPTIONS)
        .or_insert(HeaderValue::from_static("nosniff"));
    let page = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("text/html"));
    if !page {
        headers
            .entry(header::CONTENT_SECURITY_POLICY)
            .or_insert(HeaderValue::from_static(SANDBOX_POLICY));
    }
    response
}

/// Why a request is refused: its status and a short explanation.
type Refused = (StatusCode, &'static str);

/// Whether a request names this server: exactly one `Host` (HTTP/1.1
/// requires it; HTTP/1.0 may omit it) naming it, and no request target
/// naming another.
fn addressed_here(names: &Names, request: &Request) -> std::result::Result<(), Refused> {
    const MISDIRECTED: Refused = (
        StatusCode::MISDIRECTED_REQUEST,
        "pm serve answers only requests for localhost, 127.0.0.1, [::1] or the address it listens on\n",
    );
    let mut hosts = request.headers().get_all(header::HOST).iter();
    match (hosts.next(), hosts.next()) {
        (Some(host), None) => {
            if !host.to_str().is_ok_and(|host| names.allows_host(host)) {
                return Err(MISDIRECTED);
            }
        }
        (None, _) if request.version() < Version::HTTP_11 => {}
        (None, _) => {
            return Err((
                StatusCode::BAD_REQUEST,
                "pm serve: an HTTP/1.1 request needs a Host header\n",
            ));
        }
        (Some(_), Some(_)) => {
            return Err((
                StatusCode::BAD_REQUEST,
                "pm serve: a request may have only one Host header\n",
            ));
        }
    }
    match request.uri().authority() {
        Some(authority) if !names.allows_host(authority.as_str()) => Err(MISDIRECTED),
        _ => Ok(()),
    }
}

/// A short plain-text answer to a request pm serve will not serve.
fn refusal(status: StatusCode, why: &'static str) -> Response {
    let mut response = asset(why, "text/plain; charset=utf-8");
    *response.status_mut() = status;
    response
}

/// Every other path: a file of the in-memory site, or the 404 page.
async fn site_file(
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
    let snapshot = shared.site.borrow().clone();
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| is_plain_host(h));
    match resolve(&snapshot.files, uri.path()) {
        Resolved::File(path) => {
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

fn not_found(snapshot: &Snapshot, host: Option<&str>) -> Response {
    let page = snapshot
        .files
        .get("404.html")
        .cloned()
        .unwrap_or_else(|| Bytes::from_static(FALLBACK_404.as_bytes()));
    respond(snapshot, "404.html", page, host, StatusCode::NOT_FOUND)
}

fn respond(
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
fn is_attachment(path: &str) -> bool {
    path.strip_prefix("incidents/")
        .and_then(|rest| rest.split_once('/'))
        .is_some_and(|(_, name)| name != "index.html")
}

/// Whether a `Host` header is safe to echo into the CSP (no quotes, spaces
/// or `;` that could change the policy).
fn is_plain_host(host: &str) -> bool {
    !host.is_empty()
        && host.len() <= 255
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-.:[]".contains(&b))
}

/// What a request path names in the site.
#[derive(Debug, PartialEq, Eq)]
enum Resolved {
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
fn resolve(files: &BTreeMap<String, Bytes>, raw: &str) -> Resolved {
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
fn percent_decode(raw: &str) -> Option<String> {
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
fn content_type(path: &str) -> &'static str {
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
fn for_preview(html: &str, snapshot: &Snapshot, host: Option<&str>) -> String {
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
fn insert_before(html: &str, marker: &str, text: &str, fallback: usize) -> String {
    let at = find_ascii_ci(html, marker, 0).unwrap_or(fallback.min(html.len()));
    let mut out = String::with_capacity(html.len() + text.len());
    out.push_str(&html[..at]);
    out.push_str(text);
    out.push_str(&html[at..]);
    out
}

/// Inserts `text` just inside `<body ...>`, or at the end without one.
fn insert_after_body_tag(html: &str, text: &str) -> String {
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
fn find_ascii_ci(hay: &str, needle: &str, from: usize) -> Option<usize> {
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
fn allow_livereload(html: &str, connect: &[String]) -> String {
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
fn widen_policy(policy: &str, directive: &str, sources: &[String]) -> String {
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

#[cfg(test)]
mod tests {
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
        };
        let out = for_preview(page, &snapshot, Some("127.0.0.1:4000"));
        assert!(out.contains(
            "content=\"default-src 'none'; style-src 'self'; script-src 'self'; connect-src 'self' ws://127.0.0.1:4000\""
        ), "{out}");
        assert!(
            out.contains("<script src=\"/__pm/livereload.js?since=7\" defer></script>\n</head>")
        );
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
}
