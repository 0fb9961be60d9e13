//! `pm serve`: the local preview server.
//!
//! Owns HTTP, the live-reload websocket and file watching. It builds the site
//! through the same stages as `pm build`, incrementally (`incremental`:
//! after a save only the records that changed are read, linted and
//! rendered again, and the files across records are rendered from the
//! others' kept rows; the files are the same as a full build's), but keeps
//! the files in memory: nothing here writes to disk, and only files of the
//! in-memory site are ever served, so a request path can never reach the
//! file system.
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
//!
//! Files, in order (each uses only earlier ones): `hosts`, `state`,
//! `guard`, `respond`, `incremental`, `site`, `watcher`, then this one,
//! which runs the server.

mod guard;
mod hosts;
mod incremental;
mod respond;
mod site;
mod state;
mod watcher;

use std::io::Write as _;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::Duration;

use axum::Router;
use axum::middleware::{self};
use axum::routing::get;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::sync::watch;

use crate::cli::{Cli, ServeArgs};
use crate::error::{Error, Result};
use crate::pipeline::Ui;
use crate::{EXIT_OK, source};

use crate::cmd::repo::root_of;
use guard::guard_and_mark;
use hosts::Names;
use respond::{livereload, livereload_js, overlay_css, site_file};
use site::Builder;
use state::{
    HEADER_TIMEOUT, LIVERELOAD_JS, LIVERELOAD_WS, LookedAt, OVERLAY_CSS, ROOT_CHECK,
    SHUTDOWN_GRACE, Shared, stopped,
};
use watcher::Watch;

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
    let (events_tx, watched) = mpsc::channel();
    let mut watcher = Watch::start(&root, events_tx)?;
    // Whether the watcher reported something other than reads since the
    // rebuild loop last looked: a rebuild's last stage stops for it
    // ([`Builder::finish`]).
    let saved = Arc::new(AtomicBool::new(false));
    let (forward, events) = mpsc::channel();
    let saving = Arc::clone(&saved);
    std::thread::Builder::new()
        .name("pm-serve-saves".into())
        .spawn(move || {
            for batch in watched {
                if !watcher::only_reads(&batch) {
                    saving.store(true, Ordering::SeqCst);
                }
                if forward.send(batch).is_err() {
                    break;
                }
            }
        })
        .map_err(|e| Error::Usage(format!("cannot start the file watcher: {e}")))?;

    let mut builder = Builder::new(root.clone(), args.drafts, ui)?;
    // The first build is served once its first stage is done, as a
    // rebuild is: its files across records follow on the rebuild thread.
    let (first, mut pending) = builder.build(None, None);
    let first = Arc::new(first);
    let mut kept = pending.is_none().then(|| Arc::clone(&first));
    let (site_tx, site_rx) = watch::channel(first);
    let looked_at = Arc::new(LookedAt::default());
    let wanted = Arc::clone(&looked_at);

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
    // the server keeps answering meanwhile. A rebuild is served in stages
    // (docs/design-decisions.md, "Incremental `pm serve`"): first the
    // records' own pages, then the files across records the pages served
    // last asked for, then the rest; a request for a file of a later stage
    // waits for it.
    std::thread::Builder::new()
        .name("pm-serve-rebuild".into())
        .spawn(move || {
            let mut unfinished = false;
            loop {
                if let Some(pending) = pending.take() {
                    let front = site_tx.borrow().clone();
                    let first = wanted.paths();
                    let cancel = || saved.load(Ordering::SeqCst);
                    let early = |soon| {
                        site_tx.send_replace(Arc::new(soon));
                    };
                    let done = builder.finish(pending, &front, None, &first, &cancel, early);
                    unfinished = done.is_none();
                    if let Some(done) = done {
                        let done = Arc::new(done);
                        kept = Some(Arc::clone(&done));
                        site_tx.send_replace(done);
                    }
                }
                let mut relevant = match events.recv_timeout(ROOT_CHECK) {
                    Ok(batch) => {
                        saved.store(false, Ordering::SeqCst);
                        watcher.relevant(batch)
                    }
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
                // A rebuild stopped for a save is finished even when the
                // save turns out not to matter.
                if !relevant && !unfinished {
                    continue;
                }
                let now = site_tx.borrow().clone();
                let next = match builder.build(Some(&now), kept.as_deref()) {
                    (front, Some(pending)) => {
                        let front = Arc::new(front);
                        site_tx.send_replace(Arc::clone(&front));
                        across_delay();
                        let first = wanted.paths();
                        let cancel = || saved.load(Ordering::SeqCst);
                        let early = |soon| {
                            site_tx.send_replace(Arc::new(soon));
                        };
                        builder.finish(pending, &front, kept.as_deref(), &first, &cancel, early)
                    }
                    (failed, None) => Some(failed),
                };
                // Without a last stage, a newer save is waiting: the
                // first stage's files stay served until it is built.
                unfinished = next.is_none();
                if let Some(next) = next {
                    let next = Arc::new(next);
                    kept = Some(Arc::clone(&next));
                    site_tx.send_replace(next);
                }
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
        looked_at,
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
    if let Some(ms) = std::env::var(state::HEADER_TIMEOUT_VAR)
        .ok()
        .and_then(|v| v.trim().parse::<u64>().ok())
    {
        return Duration::from_millis(ms.max(1));
    }
    HEADER_TIMEOUT
}

/// In a debug build, waits as long as the environment says (see
/// [`state::ACROSS_DELAY_VAR`]).
fn across_delay() {
    #[cfg(debug_assertions)]
    if let Some(ms) = std::env::var(state::ACROSS_DELAY_VAR)
        .ok()
        .and_then(|v| v.trim().parse::<u64>().ok())
    {
        std::thread::sleep(Duration::from_millis(ms));
    }
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

#[cfg(test)]
mod incremental_tests;
#[cfg(test)]
mod tests;
