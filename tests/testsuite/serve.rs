//! `pm serve`: a real server on a free loopback port, fetched over plain TCP.
//! Edits to the records must show up within a bounded time, errors as an
//! overlay on every page; nothing may be written; Ctrl-C stops it.

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::TcpStream;
use std::process::{Child, Stdio};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

use crate::support::{Project, list_files, pm_command};

/// How long a change may take to be served (rebuild after a 150 ms debounce).
const CHANGE_DEADLINE: Duration = Duration::from_secs(10);
/// How long the first build may take on a slow, busy machine.
const START_DEADLINE: Duration = Duration::from_secs(60);

pub(crate) const INCIDENT: &str = "incidents/2026-11-02-api-error-spike.md";
pub(crate) const INCIDENT_PAGE: &str = "/incidents/2026-11-02-api-error-spike/";

/// A running `pm serve`, killed when dropped (a failed test leaves none behind).
pub(crate) struct Server {
    child: Child,
    /// The port it listens on, on 127.0.0.1.
    pub(crate) port: u16,
    stderr: Arc<Mutex<String>>,
}

impl Server {
    pub(crate) fn start(project: &Project, extra: &[&str]) -> Server {
        Server::start_with_env(project, extra, &[])
    }

    /// [`Server::start`] with environment variables set for `pm serve`.
    pub(crate) fn start_with_env(
        project: &Project,
        extra: &[&str],
        env: &[(&str, &str)],
    ) -> Server {
        let mut command = pm_command();
        for (key, value) in env {
            command.env(key, value);
        }
        let mut child = command
            .current_dir(project.root())
            .args(["serve", "-p", "0"])
            .args(extra)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start pm serve");
        let stderr = Arc::new(Mutex::new(String::new()));
        let mut err_pipe = child.stderr.take().expect("stderr");
        let sink = Arc::clone(&stderr);
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = err_pipe.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock()
                    .unwrap()
                    .push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        });
        let (lines_tx, lines) = mpsc::channel();
        let out_pipe = child.stdout.take().expect("stdout");
        std::thread::spawn(move || {
            for line in BufReader::new(out_pipe).lines().map_while(Result::ok) {
                if lines_tx.send(line).is_err() {
                    break;
                }
            }
        });
        let mut server = Server {
            child,
            port: 0,
            stderr,
        };
        let line = lines
            .recv_timeout(START_DEADLINE)
            .unwrap_or_else(|_| panic!("pm serve printed no URL\n--- stderr\n{}", server.stderr()));
        let url = line
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .unwrap_or_else(|| panic!("no URL in `{line}`"));
        let port = url
            .trim_start_matches("http://127.0.0.1:")
            .trim_end_matches('/');
        server.port = port
            .parse()
            .unwrap_or_else(|_| panic!("not a loopback URL with a port: `{url}`"));
        server
    }

    pub(crate) fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    /// `GET path` over a fresh connection: the status and the body.
    pub(crate) fn get(&self, path: &str) -> (u16, String) {
        let reply = self.request(&format!(
            "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\n\r\n",
            self.port
        ));
        (reply.status, reply.body)
    }

    /// A connection to the server, with a read timeout.
    pub(crate) fn connect(&self) -> TcpStream {
        let stream = TcpStream::connect(("127.0.0.1", self.port)).expect("connect to pm serve");
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        stream
    }

    /// Sends `raw` (a whole request, which should ask for `Connection:
    /// close`) over a fresh connection and reads the response to its end.
    pub(crate) fn request(&self, raw: &str) -> Reply {
        let mut stream = self.connect();
        stream.write_all(raw.as_bytes()).unwrap();
        let mut response = Vec::new();
        stream.read_to_end(&mut response).expect("read response");
        let text = String::from_utf8_lossy(&response).into_owned();
        let (head, body) = text
            .split_once("\r\n\r\n")
            .unwrap_or_else(|| panic!("not an HTTP response: `{text}`"));
        Reply {
            status: status_of(head),
            head: head.to_owned(),
            body: body.to_owned(),
        }
    }

    /// Polls `path` until `check` accepts its body, or fails after the deadline.
    #[track_caller]
    pub(crate) fn wait_for(&self, path: &str, what: &str, check: impl Fn(&str) -> bool) -> String {
        let started = Instant::now();
        loop {
            let (status, body) = self.get(path);
            if check(&body) {
                return body;
            }
            assert!(
                started.elapsed() < CHANGE_DEADLINE,
                "{path} never showed {what} (last status {status})\n--- body\n{body}\n--- stderr\n{}",
                self.stderr()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Ctrl-C, then waits for a clean exit.
    pub(crate) fn stop(mut self) {
        #[cfg(unix)]
        {
            let status = std::process::Command::new("kill")
                .args(["-INT", &self.child.id().to_string()])
                .status()
                .expect("run kill");
            assert!(status.success());
            let started = Instant::now();
            loop {
                if let Some(status) = self.child.try_wait().expect("wait for pm serve") {
                    assert!(
                        status.success(),
                        "pm serve exited with {status}\n--- stderr\n{}",
                        self.stderr()
                    );
                    break;
                }
                assert!(
                    started.elapsed() < CHANGE_DEADLINE,
                    "pm serve did not stop on Ctrl-C"
                );
                std::thread::sleep(Duration::from_millis(50));
            }
            // The stderr reader may still be copying the last line.
            let started = Instant::now();
            while !self.stderr().contains("stopped") && started.elapsed() < CHANGE_DEADLINE {
                std::thread::sleep(Duration::from_millis(20));
            }
            assert!(self.stderr().contains("stopped"), "{}", self.stderr());
        }
        #[cfg(not(unix))]
        {
            self.child.kill().expect("kill pm serve");
            self.child.wait().expect("wait for pm serve");
        }
    }
}

/// A response read by [`Server::request`].
pub(crate) struct Reply {
    pub(crate) status: u16,
    /// The status line and the headers.
    pub(crate) head: String,
    pub(crate) body: String,
}

impl Reply {
    /// The value of header `name` (case-insensitive), if present.
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().skip(1).find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.trim()
                .eq_ignore_ascii_case(name)
                .then_some(value.trim())
        })
    }
}

/// The status code of a response head.
pub(crate) fn status_of(head: &str) -> u16 {
    head.split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("bad status line in `{head}`"))
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn serves_rebuilds_reports_errors_and_stops() {
    let project = Project::from_fixture("basic");
    let before = list_files(project.root());
    let server = Server::start(&project, &[]);

    // The site, with the reload script allowed by the page's policy.
    let (status, index) = server.get("/");
    assert_eq!(status, 200, "{index}");
    assert!(
        index.contains("<script src=\"/__pm/livereload.js?since="),
        "{index}"
    );
    assert!(index.contains("script-src 'self'"), "{index}");
    assert!(index.contains("connect-src 'self'"), "{index}");
    assert!(!index.contains("pm-serve-overlay"), "{index}");
    let (status, page) = server.get(INCIDENT_PAGE);
    assert_eq!(status, 200);
    assert!(page.contains("Example: API error spike after a config change"));
    let (status, script) = server.get("/__pm/livereload.js");
    assert_eq!(status, 200);
    assert!(script.contains("WebSocket"));

    // An edit is served without restarting.
    let record = project.read(INCIDENT);
    let edited = record.replace(
        "title = \"Example: API error spike after a config change\"",
        "title = \"Rate limit lowered by mistake\"",
    );
    assert_ne!(record, edited);
    project.file(INCIDENT, &edited);
    server.wait_for(INCIDENT_PAGE, "the new title", |b| {
        b.contains("Rate limit lowered by mistake")
    });

    // A broken record: the server stays up and every page shows the finding.
    let broken = edited.replace("severity = \"SEV3\"", "severity = \"SEV9\"");
    assert_ne!(broken, edited);
    project.file(INCIDENT, &broken);
    let overlaid = server.wait_for("/", "the error overlay", |b| b.contains("pm-serve-overlay"));
    assert!(overlaid.contains("unknown severity `SEV9`"), "{overlaid}");
    // Escaped: the snippet's quotes come through as entities, not markup.
    assert!(
        overlaid.contains("severity = &quot;SEV9&quot;"),
        "{overlaid}"
    );
    let (_, page) = server.get("/actions/");
    assert!(page.contains("pm-serve-overlay"));
    assert!(
        server
            .stderr()
            .contains("error[invalid_value]: unknown severity `SEV9`"),
        "{}",
        server.stderr()
    );

    // Fixed: the overlay goes away.
    project.file(INCIDENT, &edited);
    server.wait_for("/", "no overlay", |b| {
        !b.contains("pm-serve-overlay") && b.contains("livereload.js")
    });

    // Only files of the site are served.
    for path in [
        "/../Cargo.toml",
        "/%2e%2e/",
        "/%2e%2e/pm.toml",
        "/pm.toml",
        "/nope/",
    ] {
        let (status, _) = server.get(path);
        assert_eq!(status, 404, "{path}");
    }

    server.stop();

    // Nothing was written: the same files, and no public/.
    assert!(!project.exists("public"));
    assert_eq!(list_files(project.root()), before);

    // `pm build` writes the site without any of serve's additions.
    project.pm(["build"]).output().code(0);
    let built = project.read("public/index.html");
    assert!(!built.contains("__pm"), "{built}");
}

#[test]
fn a_busy_port_is_a_usage_error() {
    let project = Project::from_fixture("basic");
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let out = project.pm(["serve", "-p", &port]).output();
    out.code(2);
    assert!(
        out.stderr.contains("cannot listen on 127.0.0.1:"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("-p 0"), "{}", out.stderr);
}
