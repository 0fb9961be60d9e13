//! A deterministic synthetic corpus of incident records, for benchmarks.
//!
//! ```text
//! cargo run --release --example gen_corpus -- --n 10000 --out DIR [--hugo DIR] [--git] [--seed N]
//! cargo run --release --example gen_corpus -- --n 10000 --out DIR --git --commits 30000 --layout flat
//! ```
//!
//! Writes `DIR/pm.toml`, one playbook per incident type under
//! `DIR/playbooks/`, and `--n` incident records sharded by year under
//! `DIR/incidents/<year>/<id>.md`, every one of them in the format of
//! docs/format.md and accepted by `pm lint` without errors (warnings are
//! expected: unexplained gaps, overdue or unowned action items, as in a real
//! repository). The same seed always gives the same bytes; the generator has
//! its own small PRNG so the output does not depend on a crate's algorithm.
//!
//! `--hugo DIR` writes the same content as a minimal Hugo site (no theme: one
//! list and one single layout that print title, date and body), so both tools
//! can be timed on the same Markdown. `--git` makes `--out` a git repository
//! whose history adds the records over many commits and revises some later.
//! `--commits N` makes that history about N commits long (never fewer): more
//! commits with one change each, more revisions of records and playbooks, and
//! a fifth of the commits touching only files pm does not read (a README,
//! docs, scripts, comments in pm.toml). `--layout flat` puts every record in
//! `incidents/` itself instead of `incidents/<year>/`. Without these two
//! flags the output is what it always was, byte for byte.
//!
//! Both output folders must be empty or absent.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::error::Error;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use jiff::Span;
use jiff::civil::Date;
use jiff::tz::TimeZone;

type Res<T> = Result<T, Box<dyn Error>>;

// ---------------------------------------------------------------------------
// PRNG: SplitMix64, small, fast and good enough for synthetic text.

/// A seeded pseudo-random generator (SplitMix64).
#[derive(Clone)]
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`).
    fn below(&mut self, n: u64) -> u64 {
        // Multiply-shift: unbiased enough for text, and never divides by zero.
        ((u128::from(self.next_u64()) * u128::from(n.max(1))) >> 64) as u64
    }

    /// A number in `lo..=hi`.
    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi - lo + 1)
    }

    /// True with probability `p` percent.
    fn pct(&mut self, p: u64) -> bool {
        self.below(100) < p
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len() as u64) as usize]
    }

    /// An index chosen with the given weights.
    fn weighted(&mut self, weights: &[u64]) -> usize {
        let total: u64 = weights.iter().sum();
        let mut x = self.below(total);
        for (i, w) in weights.iter().enumerate() {
            if x < *w {
                return i;
            }
            x -= w;
        }
        weights.len() - 1
    }

    /// `k` distinct items, in the order drawn.
    fn sample<T: Copy>(&mut self, items: &[T], k: usize) -> Vec<T> {
        let mut idx: Vec<usize> = (0..items.len()).collect();
        let k = k.min(items.len());
        for i in 0..k {
            let j = i + self.below((idx.len() - i) as u64) as usize;
            idx.swap(i, j);
        }
        idx[..k].iter().map(|&i| items[i]).collect()
    }
}

// ---------------------------------------------------------------------------
// Vocabulary.

const SERVICES: &[&str] = &[
    "checkout",
    "payments-api",
    "orders-db",
    "ledger-writer",
    "refunds",
    "webhook-dispatcher",
    "kafka",
    "pgbouncer",
    "auth",
    "session-store",
    "search",
    "catalog",
    "inventory",
    "pricing",
    "cart",
    "notifications",
    "email-sender",
    "sms-gateway",
    "fraud-scoring",
    "risk-engine",
    "settlement",
    "payouts",
    "reporting",
    "dashboard",
    "merchant-portal",
    "api-gateway",
    "edge-proxy",
    "cdn",
    "dns",
    "redis-cache",
    "object-storage",
    "scheduler",
    "batch-runner",
    "feature-flags",
    "config-service",
    "identity",
    "billing",
    "invoicing",
    "currency-rates",
    "metrics-pipeline",
];

const VENDORS: &[&str] = &[
    "Northwind Acquiring",
    "Zonecast DNS",
    "Mailhub",
    "Smsly",
    "Harbour Merchant Services",
    "Geoloc API",
    "Cloud KMS",
    "Parcelpoint",
];

const PEOPLE: &[&str] = &[
    "alice", "bob", "carol", "diego", "erin", "felix", "grace", "hiro", "ines", "jonas", "kemal",
    "lena", "mara", "nils", "olga", "priya", "quentin", "rosa", "sofia", "tariq", "uma", "viktor",
    "wen", "yusuf", "zoe", "aiko", "bruno", "chen",
];

const TEAMS: &[&str] = &[
    "team-payments",
    "team-platform",
    "team-database",
    "team-edge",
    "team-data",
    "team-merchant",
    "team-identity",
];

const SEVERITIES: &[&str] = &["SEV1", "SEV2", "SEV3", "SEV4"];
const SEVERITY_WEIGHTS: &[u64] = &[5, 20, 50, 25];
const YEARS: &[i16] = &[2021, 2022, 2023, 2024, 2025, 2026];
const YEAR_WEIGHTS: &[u64] = &[8, 12, 15, 20, 25, 20];

/// The site's zone (pm.toml) and the zone some records set themselves.
const SITE_ZONE: &str = "Europe/Berlin";
const OTHER_ZONE: &str = "America/New_York";

/// One incident type: its playbook and the vocabulary of its incidents.
struct Kind {
    name: &'static str,
    weight: u64,
    /// (title, slug) templates.
    titles: &'static [(&'static str, &'static str)],
    errors: &'static [&'static str],
    symptoms: &'static [&'static str],
    causes: &'static [&'static str],
    rejected: &'static [&'static str],
    mitigations: &'static [&'static str],
    evidence: &'static [&'static str],
    change_kind: &'static str,
    playbook_title: &'static str,
    owner: &'static str,
}

const KINDS: &[Kind] = &[
    Kind {
        name: "bad-deploy",
        weight: 26,
        titles: &[
            ("{svc} errors after release {ver}", "errors-after-release"),
            (
                "{svc} p99 above {ms} ms after a deploy changed {setting}",
                "latency-after-deploy",
            ),
            (
                "Release {ver} of {svc} broke requests from {svc2}",
                "release-broke-clients",
            ),
            ("{svc} crash loop after the {ver} rollout", "crash-loop"),
        ],
        errors: &[
            "NullPointerException in {Svc}Handler.handle",
            "HTTP 500 from `/api/{svc}`: unexpected field `{field}`",
            "panic: runtime error: invalid memory address or nil pointer dereference",
            "SerializationException: Error deserializing Avro message for id {n}",
        ],
        symptoms: &[
            "HTTP 5xx rate on `{svc}` up from 0.1 % to {pct} %",
            "pods of `{svc}` restarting every few minutes",
            "p99 latency of `{svc}` above {ms} ms",
            "errors started within minutes of the `{svc}` rollout",
            "clients of `{svc2}` report unexpected responses",
        ],
        causes: &[
            "Release {ver} changed the default of `{setting}` without a migration",
            "A new field in the `{svc}` response was not optional for `{svc2}`",
            "The canary stage was skipped for {ver} because the pipeline was green",
        ],
        rejected: &[
            "A node pool problem in the cluster",
            "Traffic from one merchant",
            "The database behind `{svc}` is slow",
        ],
        mitigations: &[
            "Roll back `{svc}` to the previous release",
            "Turn off the feature flag `{flag}`",
            "Fix forward with a patched build",
        ],
        evidence: &[
            "Error rate rose at the minute the rollout reached 50 %",
            "Stack traces all in code changed by {ver}",
            "The canary pods showed the same errors an hour earlier",
        ],
        change_kind: "deploy",
        playbook_title: "Bad deploys: a release that broke production",
        owner: "team-platform",
    },
    Kind {
        name: "capacity",
        weight: 14,
        titles: &[
            ("{svc} saturated by a traffic spike", "traffic-spike"),
            (
                "{svc} at its autoscaling ceiling during a merchant's sale",
                "autoscaling-ceiling",
            ),
            ("Queue backlog on {svc} after a retry storm", "retry-storm"),
        ],
        errors: &[
            "upstream request timeout after 5000 ms",
            "HPA {svc}: desired replicas {n} above maxReplicas",
            "0/{n} nodes are available: Insufficient cpu",
        ],
        symptoms: &[
            "request rate on `{svc}` at {pct}x the usual peak",
            "HPA of `{svc}` at `maxReplicas` with CPU above target",
            "504 from the edge for {pct} % of requests",
            "pods `Pending` with `Insufficient cpu`",
        ],
        causes: &[
            "A merchant's sale far above the peak the ceilings were sized from",
            "Client retries without backoff multiplied a moderate spike",
            "No spare node capacity, so new replicas waited for the cluster autoscaler",
        ],
        rejected: &[
            "A bad deploy of `{svc}`",
            "A slow database",
            "A denial-of-service attack",
        ],
        mitigations: &[
            "Raise `maxReplicas` of `{svc}` and add nodes",
            "Rate-limit the heaviest client at the edge",
            "Turn on the waiting room for the merchant",
        ],
        evidence: &[
            "Request rate doubled in 4 minutes from one merchant",
            "Traces spend their time queueing for a worker",
            "CPU at the limit on every `{svc}` pod",
        ],
        change_kind: "traffic",
        playbook_title: "Capacity: more traffic than the platform is sized for",
        owner: "team-platform",
    },
    Kind {
        name: "certificate-expiry",
        weight: 6,
        titles: &[
            ("Certificate for {svc} expired", "certificate-expired"),
            (
                "TLS handshakes to {svc} failing after an intermediate change",
                "tls-handshake-failures",
            ),
        ],
        errors: &[
            "x509: certificate has expired or is not yet valid",
            "SSL routines:tls_process_server_certificate:certificate verify failed",
        ],
        symptoms: &[
            "TLS handshake errors from clients of `{svc}`",
            "synthetic checks of `{svc}` failing on TLS",
            "merchants report `certificate expired` in their logs",
        ],
        causes: &[
            "The certificate of `{svc}` was issued by hand and not tracked by the renewal job",
            "The renewal job failed silently for {n} days",
        ],
        rejected: &["A network problem at the edge", "A DNS change"],
        mitigations: &[
            "Issue a new certificate by hand and reload `{svc}`",
            "Route traffic through the edge proxy's certificate",
        ],
        evidence: &[
            "`openssl s_client` shows `notAfter` in the past",
            "The renewal job's last success was {n} days ago",
        ],
        change_kind: "infra",
        playbook_title: "Certificate expiry",
        owner: "team-edge",
    },
    Kind {
        name: "config-change",
        weight: 14,
        titles: &[
            (
                "{svc} rejecting requests after a config change to {setting}",
                "config-rejects-requests",
            ),
            ("Rate limit on {svc} too broad", "rate-limit-too-broad"),
            (
                "Feature flag {flag} turned on for every merchant",
                "flag-for-everyone",
            ),
        ],
        errors: &[
            "HTTP 429 Too Many Requests from `{svc}`",
            "config validation failed: `{setting}` must be positive",
            "HTTP 403 from the edge: rule {n} matched",
        ],
        symptoms: &[
            "HTTP 429 on `{svc}` for {pct} % of requests",
            "a step change at the minute the config was applied",
            "only some regions affected",
        ],
        causes: &[
            "The change to `{setting}` was applied to every region at once",
            "The config service accepted a value the client library reads differently",
        ],
        rejected: &["A bad deploy of `{svc}`", "Traffic growth"],
        mitigations: &[
            "Revert the config change",
            "Pin the old value for the affected region",
        ],
        evidence: &[
            "The config audit log shows the change at the minute errors started",
            "The rejecting rule is the one edited",
        ],
        change_kind: "config",
        playbook_title: "Config changes: a setting that broke production",
        owner: "team-platform",
    },
    Kind {
        name: "data-corruption",
        weight: 5,
        titles: &[
            ("Duplicate rows written by {svc}", "duplicate-rows"),
            (
                "{svc} stored amounts with the wrong currency exponent",
                "wrong-currency-exponent",
            ),
        ],
        errors: &[
            "duplicate key value violates unique constraint \"{field}_pkey\"",
            "reconciliation mismatch: {n} rows differ",
        ],
        symptoms: &[
            "reconciliation of `{svc}` reports {n} mismatched rows",
            "merchants see duplicate entries in the dashboard",
            "totals in reporting differ from the ledger",
        ],
        causes: &[
            "An idempotency key expired before the retry arrived",
            "A migration changed `{field}` without backfilling old rows",
        ],
        rejected: &["A replication lag problem", "A reporting bug only"],
        mitigations: &[
            "Stop the writer and repair the rows from the ledger",
            "Quarantine the affected records",
        ],
        evidence: &[
            "The duplicates share an idempotency key",
            "Every bad row was written after the migration",
        ],
        change_kind: "migration",
        playbook_title: "Data corruption: wrong or duplicate data written",
        owner: "team-data",
    },
    Kind {
        name: "database",
        weight: 20,
        titles: &[
            (
                "{svc} slow: connection pool exhausted on {db}",
                "pool-exhausted",
            ),
            ("Deadlocks on {db} during a batch run", "deadlocks"),
            ("Query plan flip on {db} slowed {svc}", "plan-flip"),
            ("Replica lag on {db} above {n} s", "replica-lag"),
        ],
        errors: &[
            "FATAL: remaining connection slots are reserved for non-replication superuser connections",
            "ERROR: deadlock detected",
            "canceling statement due to statement timeout",
            "query_wait_timeout",
        ],
        symptoms: &[
            "`{svc}` latency up while the request rate is flat",
            "PgBouncer `cl_waiting` above zero on `{db}`",
            "`deadlock detected` in the PostgreSQL log",
            "batch jobs of `{svc}` running long",
        ],
        causes: &[
            "The pool of `{svc}` was too small for the afternoon peak",
            "Two writers locking the same rows in opposite orders",
            "A plan flip after statistics changed: a sort with `LIMIT` walking the wrong index",
        ],
        rejected: &[
            "Disk latency on the primary",
            "A noisy neighbour on the host",
            "Autovacuum blocking writes",
        ],
        mitigations: &[
            "Raise the pool size of `{svc}`",
            "Kill the blocking sessions after saving their queries",
            "Add the missing index concurrently",
            "Fail over to the standby",
        ],
        evidence: &[
            "`pg_stat_activity` full of `idle in transaction` from `{svc}`",
            "Pool wait time rose with traffic",
            "`EXPLAIN` shows a sequential scan since {time}",
        ],
        change_kind: "migration",
        playbook_title: "Database: slow queries, exhausted pools, lock trouble",
        owner: "team-database",
    },
    Kind {
        name: "dependency-outage",
        weight: 15,
        titles: &[
            ("{vendor} outage: {svc} degraded", "vendor-outage"),
            ("Timeouts from {vendor} slowed {svc}", "vendor-timeouts"),
            ("{vendor} answering with errors", "vendor-errors"),
        ],
        errors: &[
            "upstream {vendor} timeout after 8000 ms",
            "HTTP 503 from {vendor}",
            "connection reset by peer ({vendor})",
        ],
        symptoms: &[
            "calls from `{svc}` to {vendor} timing out",
            "soft declines up from 0.3 % to {pct} %",
            "{vendor}'s status page green while our checks fail",
        ],
        causes: &[
            "A storage failure in {vendor}'s data centre",
            "{vendor} rotated an endpoint without notice",
        ],
        rejected: &[
            "A bad deploy on our side",
            "A network problem in our cluster",
        ],
        mitigations: &[
            "Route traffic to the secondary provider",
            "Lower the client timeout and fail fast",
            "Wait for {vendor} to recover",
        ],
        evidence: &[
            "Only calls to {vendor} are slow; other providers normal",
            "{vendor} confirmed the incident on the phone",
        ],
        change_kind: "dependency",
        playbook_title: "Dependency outages: a vendor or upstream is down",
        owner: "team-payments",
    },
];

const SETTINGS: &[&str] = &[
    "pool_size",
    "max_inflight",
    "retry_budget",
    "read_timeout",
    "cache_ttl",
    "batch_size",
    "rate_limit",
    "max_body_bytes",
];
const FLAGS: &[&str] = &[
    "new-routing",
    "async-capture",
    "refund-events-v3",
    "smart-retries",
    "edge-cache",
    "risk-v2",
];
const FIELDS: &[&str] = &[
    "merchant_id",
    "amount",
    "currency",
    "idempotency_key",
    "capture_id",
];
const DBS: &[&str] = &["orders-db", "ledger-db", "merchants-db", "payments-db"];

// ---------------------------------------------------------------------------
// Text helpers.

/// A TOML basic string.
fn q(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn q_list(items: &[String]) -> String {
    let inner: Vec<String> = items.iter().map(|s| q(s)).collect();
    format!("[{}]", inner.join(", "))
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

fn camel(s: &str) -> String {
    s.split('-').map(capitalize).collect()
}

/// Lowercase ASCII words joined by single hyphens.
fn slugify(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_owned()
}

fn hm(minutes: u32) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

// ---------------------------------------------------------------------------
// One incident.

/// The facts of one incident that templates refer to.
struct Facts {
    svc: &'static str,
    svc2: &'static str,
    vendor: &'static str,
    setting: &'static str,
    flag: &'static str,
    field: &'static str,
    db: &'static str,
    ver: String,
    ms: u64,
    pct: u64,
    n: u64,
}

impl Facts {
    fn fill(&self, template: &str, rng: &mut Rng) -> String {
        let mut out = String::with_capacity(template.len() + 32);
        let mut rest = template;
        while let Some(start) = rest.find('{') {
            out.push_str(&rest[..start]);
            let Some(len) = rest[start..].find('}') else {
                out.push_str(&rest[start..]);
                return out;
            };
            let key = &rest[start + 1..start + len];
            match key {
                "svc" => out.push_str(self.svc),
                "Svc" => out.push_str(&camel(self.svc)),
                "svc2" => out.push_str(self.svc2),
                "vendor" => out.push_str(self.vendor),
                "setting" => out.push_str(self.setting),
                "flag" => out.push_str(self.flag),
                "field" => out.push_str(self.field),
                "db" => out.push_str(self.db),
                "ver" => out.push_str(&self.ver),
                "ms" => {
                    let _ = write!(out, "{}", self.ms);
                }
                "pct" => {
                    let _ = write!(out, "{}", self.pct);
                }
                "n" => {
                    let _ = write!(out, "{}", self.n);
                }
                "time" => out.push_str(&hm(rng.range(6 * 60, 20 * 60) as u32)),
                other => {
                    out.push('{');
                    out.push_str(other);
                    out.push('}');
                }
            }
            rest = &rest[start + len + 1..];
        }
        out.push_str(rest);
        out
    }
}

/// How a record writes its times.
#[derive(Clone, Copy, PartialEq, Eq)]
enum TimeStyle {
    /// First event a local datetime, later ones bare times.
    Bare,
    /// Every event a local datetime.
    Local,
    /// Every event an offset datetime in UTC.
    Utc,
}

/// A generated incident: the pm record and what the Hugo page and the
/// history need.
pub(crate) struct Generated {
    pub(crate) id: String,
    pub(crate) year: i16,
    pub(crate) title: String,
    pub(crate) draft: bool,
    pub(crate) severity: &'static str,
    pub(crate) services: Vec<String>,
    /// UTC start, RFC 3339.
    pub(crate) start_utc: String,
    /// Seconds since the epoch of the start, for commit times.
    pub(crate) start_epoch: i64,
    /// The whole pm record.
    pub(crate) record: String,
    /// Byte offset of the Markdown body in `record`.
    pub(crate) body_offset: usize,
    /// An earlier revision of the record (for `--git`), when it had one.
    pub(crate) first_draft: Option<String>,
}

struct Event {
    at: u32,
    text: String,
    step: Option<&'static str>,
    who: Option<&'static str>,
    source: Option<&'static str>,
    evidence: Option<String>,
    gap: Option<String>,
}

const SOURCES: &[&str] = &[
    "pagerduty",
    "grafana",
    "slack #incidents",
    "deploy log",
    "kubectl logs",
    "statuspage",
    "alertmanager",
    "zendesk",
];

const GAP_REASONS: &[&str] = &[
    "waiting for the vendor's on-call; nothing to do on our side",
    "the fixed build was running the full CI suite",
    "watching the backlog drain before calling it mitigated",
    "replica rebuild in progress; no decision to take until it finished",
    "handover to the next on-call while monitoring",
];

const GENERIC_EVIDENCE: &[&str] = &[
    "Sampled {n} failing requests: all of them pass through `{svc2}`",
    "Logs of `{svc}`: the same error on every pod",
    "No change in traffic mix: the failing requests look like the healthy ones",
];

const FILLER_EVENTS: &[&str] = &[
    "Incident channel `#inc-{svc}` opened",
    "Dashboards for `{svc}` shared in the channel",
    "Second responder joins from {team}",
    "Error rate of `{svc}` flat at {pct} %",
    "Customer support told to expect tickets about `{svc}`",
    "Checked `{svc2}`: healthy",
    "Traffic to `{svc}` drained from one zone to confirm the pattern",
    "Still degraded; next update in 15 minutes",
];

/// Makes incident `index` of a corpus generated with `seed`.
pub(crate) fn incident(seed: u64, index: u64) -> Generated {
    let mut rng = Rng::new(seed ^ index.wrapping_mul(0xA24B_AED4_963E_E407));
    let kind_weights: Vec<u64> = KINDS.iter().map(|k| k.weight).collect();
    let kind = &KINDS[rng.weighted(&kind_weights)];
    let severity = SEVERITIES[rng.weighted(SEVERITY_WEIGHTS)];
    let year = YEARS[rng.weighted(YEAR_WEIGHTS)];
    // 2026 stops at the end of October, so no event is in the future.
    let days = if year == 2026 { 303 } else { 365 };
    let date = Date::new(year, 1, 1)
        .ok()
        .and_then(|d| d.checked_add(Span::new().days(rng.below(days) as i64)).ok())
        .unwrap_or(Date::constant(2024, 1, 1));
    let recent = date >= Date::constant(2026, 10, 1);

    let svcs = rng.sample(SERVICES, 4);
    let f = Facts {
        svc: svcs[0],
        svc2: svcs[1],
        vendor: rng.pick(VENDORS),
        setting: rng.pick(SETTINGS),
        flag: rng.pick(FLAGS),
        field: rng.pick(FIELDS),
        db: rng.pick(DBS),
        ver: format!(
            "v{}.{}.{}",
            rng.range(1, 9),
            rng.range(0, 30),
            rng.range(0, 9)
        ),
        ms: rng.range(3, 40) * 100,
        pct: rng.range(2, 60),
        n: rng.range(3, 900),
    };
    let (title_t, slug_t) = rng.pick(kind.titles);
    let title = f.fill(title_t, &mut rng);
    let id = format!("{date}-{}", slugify(&format!("{} {slug_t}", f.svc)));

    let status = if recent {
        rng.pick(&["active", "mitigated", "resolved", "resolved"])
    } else if rng.pct(2) {
        "mitigated"
    } else {
        "resolved"
    };
    let draft = rng.pct(1);
    let zone_name = if rng.pct(5) { OTHER_ZONE } else { SITE_ZONE };
    let style = match rng.below(10) {
        0..=6 => TimeStyle::Bare,
        7..=8 => TimeStyle::Local,
        _ => TimeStyle::Utc,
    };
    let n_people = rng.range(2, 5) as usize;
    let people = rng.sample(PEOPLE, n_people);
    let commander = people[0];
    let team = rng.pick(TEAMS);

    // --- Timeline -------------------------------------------------------
    let start = rng.range(6 * 60, 10 * 60) as u32;
    let mut t = start;
    let mut events: Vec<Event> = Vec::new();
    let mut gaps_left = rng.range(0, 2);
    let fill = |s: &str, rng: &mut Rng| -> String {
        let s = s.replace("{team}", team);
        f.fill(&s, rng)
    };
    let mut push = |rng: &mut Rng,
                    events: &mut Vec<Event>,
                    text: String,
                    step: Option<&'static str>,
                    who: Option<&'static str>| {
        let mut gap = None;
        if !events.is_empty() {
            let long = gaps_left > 0 && rng.pct(6);
            let step_minutes = if long {
                gaps_left -= 1;
                if rng.pct(60) {
                    gap = Some((rng.pick(GAP_REASONS)).to_owned());
                }
                rng.range(35, 120) as u32
            } else {
                rng.range(1, 12) as u32
            };
            // Stay on the same day, well before midnight.
            t = (t + step_minutes).min(23 * 60 + 30);
            if let Some(last) = events.last()
                && last.at >= t
            {
                t = last.at + 1;
            }
        }
        let source = rng.pct(40).then(|| rng.pick(SOURCES));
        events.push(Event {
            at: t,
            text,
            step,
            who,
            source,
            evidence: None,
            gap,
        });
    };
    let who = |rng: &mut Rng| Some(rng.pick(&people));
    if matches!(kind.change_kind, "deploy" | "config" | "migration") {
        let text = fill(
            "Change `{ver}` to `{svc}` rolled out ({setting} updated)",
            &mut rng,
        );
        push(&mut rng, &mut events, text, None, None);
    }
    if rng.pct(90) {
        let text = fill(rng.pick(kind.symptoms), &mut rng);
        let text = format!("Impact starts: {text}");
        push(&mut rng, &mut events, text, Some("impact-start"), None);
    }
    let detected_by = rng.pick(&[
        "monitoring",
        "monitoring",
        "monitoring",
        "customer",
        "employee",
    ]);
    let text = match detected_by {
        "customer" => fill("Merchant reports errors from `{svc}` to support", &mut rng),
        "employee" => fill("An engineer notices `{svc}` errors in the logs", &mut rng),
        _ => fill(
            "Alert: `{svc}` error rate above threshold for 5 minutes",
            &mut rng,
        ),
    };
    push(&mut rng, &mut events, text, Some("detected"), None);
    let text = format!("{} acknowledges and takes command", capitalize(commander));
    push(
        &mut rng,
        &mut events,
        text,
        Some("acknowledge"),
        Some(commander),
    );
    let text = format!(
        "Declared **{severity}**: {}",
        f.fill(kind.symptoms[0], &mut rng)
    );
    push(
        &mut rng,
        &mut events,
        text,
        Some("assess-severity"),
        Some(commander),
    );
    if severity != "SEV4" || rng.pct(50) {
        let w = who(&mut rng);
        push(
            &mut rng,
            &mut events,
            "Status page and #support told: investigating".to_owned(),
            Some("notify-stakeholders"),
            w,
        );
    }
    let text = fill(
        "Recent changes checked: `{ver}` of `{svc}` and a `{svc2}` config change",
        &mut rng,
    );
    let w = who(&mut rng);
    push(&mut rng, &mut events, text, Some("check-recent-changes"), w);
    let n_evidence = rng.range(2, 4) as usize;
    let mut evidence = rng.sample(kind.evidence, n_evidence);
    evidence.extend(rng.sample(GENERIC_EVIDENCE, n_evidence - evidence.len()));
    for e in evidence {
        let text = fill(e, &mut rng);
        let w = who(&mut rng);
        push(&mut rng, &mut events, text, Some("gather-evidence"), w);
        if rng.pct(30)
            && let Some(e) = events.last_mut()
        {
            e.evidence = Some(format!(
                "https://grafana.example.com/d/{}-{}",
                f.svc,
                rng.range(100, 999)
            ));
        }
        if rng.pct(50) {
            let text = fill(rng.pick(FILLER_EVENTS), &mut rng);
            push(&mut rng, &mut events, text, None, None);
        }
    }
    let cause = f.fill(rng.pick(kind.causes), &mut rng);
    let w = who(&mut rng);
    push(
        &mut rng,
        &mut events,
        format!("Hypothesis: {cause}"),
        Some("form-hypothesis"),
        w,
    );
    let w = who(&mut rng);
    push(
        &mut rng,
        &mut events,
        "Reproduced in staging; hypothesis holds".to_owned(),
        Some("test-hypothesis"),
        w,
    );
    let mitigation = f.fill(rng.pick(kind.mitigations), &mut rng);
    if status != "active" {
        let w = who(&mut rng);
        push(
            &mut rng,
            &mut events,
            format!("Mitigation: {mitigation}"),
            Some("mitigate"),
            w,
        );
        for _ in 0..rng.range(1, 3) {
            let text = fill(rng.pick(FILLER_EVENTS), &mut rng);
            push(&mut rng, &mut events, text, None, None);
        }
    } else {
        let text = fill(rng.pick(FILLER_EVENTS), &mut rng);
        push(&mut rng, &mut events, text, None, None);
    }
    if status == "resolved" {
        let w = Some(commander);
        let text = fill(
            "Error rate of `{svc}` at baseline for 30 minutes: resolved",
            &mut rng,
        );
        push(&mut rng, &mut events, text, Some("verify-resolution"), w);
        let w = who(&mut rng);
        push(
            &mut rng,
            &mut events,
            "Status page: resolved".to_owned(),
            Some("communicate-resolution"),
            w,
        );
    }
    let skip_postmortem = rng.pct(10);
    if status != "active" && !skip_postmortem {
        push(
            &mut rng,
            &mut events,
            "Postmortem meeting booked".to_owned(),
            Some("schedule-postmortem"),
            Some(commander),
        );
    }

    let zone = TimeZone::get(zone_name).unwrap_or(TimeZone::UTC);
    let instant = |minutes: u32| -> (String, i64) {
        let dt = date.at((minutes / 60) as i8, (minutes % 60) as i8, 0, 0);
        match zone.to_timestamp(dt) {
            Ok(ts) => (ts.to_string(), ts.as_second()),
            Err(_) => (format!("{dt}Z"), 0),
        }
    };
    let at = |minutes: u32, first: bool| -> String {
        match style {
            TimeStyle::Bare if !first => format!("{}:00", hm(minutes)),
            TimeStyle::Bare | TimeStyle::Local => format!("{date}T{}:00", hm(minutes)),
            TimeStyle::Utc => instant(minutes).0,
        }
    };
    let (start_utc, start_epoch) = instant(events[0].at);

    // --- Front matter ---------------------------------------------------
    let mut fm = String::with_capacity(8 * 1024);
    let services: Vec<String> = svcs[..rng.range(1, 4) as usize]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
    let _ = writeln!(fm, "+++");
    let _ = writeln!(fm, "title = {}", q(&title));
    let _ = writeln!(fm, "severity = {}", q(severity));
    let _ = writeln!(fm, "type = {}", q(kind.name));
    let _ = writeln!(fm, "status = {}", q(status));
    if draft {
        let _ = writeln!(fm, "draft = true");
    }
    let _ = writeln!(fm, "services = {}", q_list(&services));
    let mut tags = vec![kind.change_kind.to_owned(), f.svc.to_owned()];
    if rng.pct(50) {
        tags.push(slugify(f.vendor));
    }
    let _ = writeln!(fm, "tags = {}", q_list(&tags));
    let _ = writeln!(fm, "commander = {}", q(commander));
    let responders: Vec<String> = people.iter().map(|p| (**p).to_owned()).collect();
    let _ = writeln!(fm, "responders = {}", q_list(&responders));
    if zone_name != SITE_ZONE {
        let _ = writeln!(fm, "timezone = {}", q(zone_name));
    }
    let _ = writeln!(fm, "detected_by = {}", q(detected_by));
    if rng.pct(60) {
        let s = format!(
            "{} For {} minutes, {}. {}",
            title,
            events.last().map_or(30, |e| e.at - events[0].at),
            f.fill(rng.pick(kind.symptoms), &mut rng),
            cause
        );
        let _ = writeln!(fm, "summary = {}", q(&s));
    }
    if rng.pct(2) {
        let _ = writeln!(
            fm,
            "allow = [{{ lint = \"unexplained_timeline_gaps\", reason = {} }}]",
            q("the overnight pause was agreed with the vendor")
        );
    }
    let users = rng.range(10, 40_000);
    let _ = writeln!(fm, "\n[impact]");
    let _ = writeln!(
        fm,
        "summary = {}",
        q(&f.fill(
            "Errors or slow responses from `{svc}` for {pct} % of requests",
            &mut rng
        ))
    );
    let _ = writeln!(fm, "users = {users}");
    let _ = writeln!(fm, "customer_facing = {}", rng.pct(70));
    let _ = writeln!(
        fm,
        "slo = {}",
        q(&format!(
            "{} availability 99.9 %: {} % of the monthly error budget burned",
            f.svc,
            rng.range(1, 130)
        ))
    );

    let error = f.fill(rng.pick(kind.errors), &mut rng);
    let stack = stack_trace(&f, &mut rng);
    let _ = writeln!(fm, "\n[triage]");
    let _ = writeln!(fm, "error = {}", q(&error));
    let n_symptoms = rng.range(2, 4) as usize;
    let symptoms: Vec<String> = rng
        .sample(kind.symptoms, n_symptoms)
        .into_iter()
        .map(|s| f.fill(s, &mut rng))
        .collect();
    let _ = writeln!(fm, "symptoms = {}", q_list(&symptoms));
    let _ = writeln!(
        fm,
        "system = {}",
        q(&format!(
            "edge-proxy -> {} -> {} -> {}",
            f.svc, f.svc2, f.db
        ))
    );
    if rng.pct(70) {
        let _ = writeln!(fm, "stack_trace = '''\n{stack}'''");
    }
    if rng.pct(50) {
        let _ = writeln!(
            fm,
            "logs = [{}]",
            q(&format!(
                "{} ERROR {error} ({} times in one minute)",
                hm(start + 5),
                f.n
            ))
        );
    }

    for (i, e) in events.iter().enumerate() {
        let _ = writeln!(fm, "\n[[timeline]]");
        let _ = writeln!(fm, "at = {}", at(e.at, i == 0));
        let _ = writeln!(fm, "text = {}", q(&e.text));
        if let Some(s) = e.step {
            let _ = writeln!(fm, "step = {}", q(s));
        }
        if let Some(w) = e.who {
            let _ = writeln!(fm, "who = {}", q(w));
        }
        if let Some(s) = e.source {
            let _ = writeln!(fm, "source = {}", q(s));
        }
        if let Some(s) = &e.evidence {
            let _ = writeln!(fm, "evidence = {}", q(s));
        }
        if let Some(g) = &e.gap {
            let _ = writeln!(fm, "gap = {}", q(g));
        }
    }

    if skip_postmortem || rng.pct(5) {
        let _ = writeln!(fm, "\n[checklist]");
        if skip_postmortem {
            let _ = writeln!(
                fm,
                "schedule-postmortem = {}",
                q("skipped: reviewed in the weekly ops meeting instead")
            );
        } else {
            let _ = writeln!(fm, "assess-severity = true");
        }
    }

    let change_kinds = [
        "deploy",
        "config",
        "migration",
        "traffic",
        "infra",
        "dependency",
    ];
    for i in 0..rng.range(1, 3) {
        let _ = writeln!(fm, "\n[[changes]]");
        if i == 0 {
            // Not before 04:00: a local time in a DST gap is an error, as it should be.
            let before = start.saturating_sub(rng.range(10, 300) as u32).max(4 * 60);
            let _ = writeln!(
                fm,
                "at = {}",
                if style == TimeStyle::Utc {
                    instant(before).0
                } else {
                    format!("{date}T{}:00", hm(before))
                }
            );
            let _ = writeln!(fm, "kind = {}", q(kind.change_kind));
        } else {
            let prev = date.checked_sub(Span::new().days(rng.range(1, 6) as i64));
            if let Ok(prev) = prev {
                let _ = writeln!(fm, "at = {prev}");
            }
            let _ = writeln!(fm, "kind = {}", q(rng.pick(&change_kinds)));
        }
        let _ = writeln!(fm, "ref = {}", q(&format!("CHG-{}", rng.range(1000, 9999))));
        let _ = writeln!(
            fm,
            "text = {}",
            q(&f.fill("`{setting}` of `{svc}` changed in {ver}", &mut rng))
        );
        let _ = writeln!(fm, "suspect = {}", i == 0);
    }

    let _ = writeln!(fm, "\n[[hypotheses]]");
    let _ = writeln!(
        fm,
        "text = {}",
        q(&f.fill(rng.pick(kind.rejected), &mut rng))
    );
    let _ = writeln!(fm, "result = \"rejected\"");
    let _ = writeln!(
        fm,
        "evidence = {}",
        q("Metrics for it were normal during the whole incident")
    );
    let _ = writeln!(fm, "\n[[hypotheses]]");
    let _ = writeln!(fm, "text = {}", q(&cause));
    let _ = writeln!(
        fm,
        "result = {}",
        q(if status == "active" {
            "untested"
        } else {
            "confirmed"
        })
    );
    let _ = writeln!(fm, "evidence = {}", q(&f.fill(kind.evidence[0], &mut rng)));

    let levels = ["low", "medium", "high"];
    for m in kind.mitigations {
        let _ = writeln!(fm, "\n[[mitigations]]");
        let option = f.fill(m, &mut rng);
        let _ = writeln!(fm, "option = {}", q(&option));
        let _ = writeln!(fm, "speed = {}", q(rng.pick(&levels)));
        let _ = writeln!(fm, "risk = {}", q(rng.pick(&levels)));
        let _ = writeln!(fm, "effectiveness = {}", q(rng.pick(&levels)));
        let chosen = option == mitigation;
        let _ = writeln!(fm, "chosen = {chosen}");
        if chosen && status != "active" {
            let _ = writeln!(
                fm,
                "outcome = {}",
                q(&format!(
                    "Errors back to baseline {} minutes later",
                    rng.range(3, 40)
                ))
            );
        }
    }

    if rng.pct(60) {
        let _ = writeln!(fm, "\n[rollback]");
        let _ = writeln!(fm, "possible = {}", q(rng.pick(&["yes", "no", "partial"])));
        let _ = writeln!(
            fm,
            "decision = {}",
            q(rng.pick(&["rolled-back", "fix-forward", "none"]))
        );
        let _ = writeln!(
            fm,
            "reason = {}",
            q("The previous build had run for weeks; nothing else shipped with it")
        );
    }

    let last = events.last().map_or(start, |e| e.at);
    let mut update_times = vec![events[1.min(events.len() - 1)].at];
    if status != "active" {
        update_times.push((start + last) / 2);
    }
    if status == "resolved" {
        update_times.push(last);
    }
    let update_status = ["investigating", "identified", "resolved"];
    for (i, u) in update_times.iter().enumerate() {
        let _ = writeln!(fm, "\n[[updates]]");
        let _ = writeln!(
            fm,
            "at = {}",
            if style == TimeStyle::Utc {
                instant(*u).0
            } else {
                format!("{date}T{}:00", hm(*u))
            }
        );
        let st = if i + 1 == update_times.len() && status == "resolved" {
            "resolved"
        } else {
            update_status[i.min(1)]
        };
        let _ = writeln!(fm, "status = {}", q(st));
        let _ = writeln!(
            fm,
            "audience = {}",
            q(if rng.pct(70) { "customers" } else { "internal" })
        );
        let text = match st {
            "investigating" => f.fill(
                "Some requests to {svc} are failing. We are investigating and will update this page within 30 minutes.",
                &mut rng,
            ),
            "identified" => "We found the cause and are rolling out a fix.".to_owned(),
            _ => "Everything is working normally again. No action is needed on your side."
                .to_owned(),
        };
        let _ = writeln!(fm, "text = {}", q(&text));
    }

    let action_kinds = [
        "monitoring",
        "prevention",
        "mitigation",
        "process",
        "documentation",
    ];
    let n_actions = rng.range(3, 7);
    for i in 0..n_actions {
        let _ = writeln!(fm, "\n[[actions]]");
        let ak = if rng.pct(3) {
            None
        } else {
            Some(action_kinds[(i as usize) % action_kinds.len()])
        };
        if let Some(k) = ak {
            let _ = writeln!(fm, "kind = {}", q(k));
        }
        let text = match ak {
            Some("monitoring") => f.fill(
                "Alert when `{svc}` errors exceed 1 % for 5 minutes",
                &mut rng,
            ),
            Some("prevention") => f.fill("Validate `{setting}` in CI before {svc} ships", &mut rng),
            Some("mitigation") => format!("Automate the mitigation: {mitigation}"),
            Some("process") => "Add the check to the release checklist".to_owned(),
            _ => format!(
                "Add the signature of this incident to the {} playbook",
                kind.name
            ),
        };
        let _ = writeln!(fm, "text = {}", q(&text));
        if rng.pct(95) {
            let _ = writeln!(fm, "owner = {}", q(rng.pick(&people)));
        }
        let due = date
            .checked_add(Span::new().days(rng.range(14, 120) as i64))
            .unwrap_or(date);
        let has_due = rng.pct(90);
        if has_due {
            let _ = writeln!(fm, "due = {due}");
        }
        let st = if recent {
            rng.pick(&["open", "in-progress", "open", "done"])
        } else {
            match rng.below(100) {
                0..=84 => "done",
                85..=95 => "wont-do",
                96..=97 => "in-progress",
                _ => "open",
            }
        };
        let _ = writeln!(fm, "status = {}", q(st));
        if matches!(st, "done" | "wont-do") {
            let closed = date
                .checked_add(Span::new().days(rng.range(3, 100) as i64))
                .unwrap_or(date)
                .min(Date::constant(2026, 10, 31));
            let _ = writeln!(fm, "closed = {closed}");
        }
        if rng.pct(70) {
            let _ = writeln!(
                fm,
                "link = {}",
                q(&format!(
                    "https://tracker.example.com/OPS-{}",
                    rng.range(100, 9999)
                ))
            );
        }
    }
    fm.push_str("+++\n");

    // --- Body -----------------------------------------------------------
    let body = body(
        &f,
        kind,
        &title,
        &cause,
        &mitigation,
        &stack,
        &error,
        &mut rng,
    );
    let body_offset = fm.len();
    let mut record = fm;
    record.push_str(&body);
    let first_draft = rng.pct(30).then(|| {
        // An earlier revision: the body without its last sections.
        let cut = body.find("\n## What went well").unwrap_or(body.len());
        let mut r = record[..body_offset].to_owned();
        r.push_str(&body[..cut]);
        r
    });
    Generated {
        id,
        year,
        title,
        draft,
        severity,
        services,
        start_utc,
        start_epoch,
        record,
        body_offset,
        first_draft,
    }
}

fn stack_trace(f: &Facts, rng: &mut Rng) -> String {
    let svc = camel(f.svc);
    let mut out = String::new();
    match rng.below(4) {
        0 => {
            let _ = writeln!(
                out,
                "panic: runtime error: invalid memory address or nil pointer dereference"
            );
            let _ = writeln!(out, "goroutine {} [running]:", rng.range(1, 9000));
            for _ in 0..rng.range(4, 10) {
                let pkg = rng.pick(&["store", "handler", "client", "pool", "retry"]);
                let _ = writeln!(
                    out,
                    "{}/internal/{pkg}.(*{svc}{}).{}(...)\n\t/src/{}/internal/{pkg}/{pkg}.go:{} +0x{:x}",
                    f.svc,
                    capitalize(pkg),
                    rng.pick(&["Acquire", "Do", "Handle", "Get", "Put"]),
                    f.svc,
                    rng.range(20, 800),
                    rng.range(16, 4096)
                );
            }
        }
        1 => {
            let _ = writeln!(
                out,
                "java.lang.IllegalStateException: {} unavailable",
                f.svc2
            );
            for _ in 0..rng.range(5, 12) {
                let cls = rng.pick(&["Client", "Service", "Repository", "Listener", "Executor"]);
                let _ = writeln!(
                    out,
                    "\tat com.acme.{}.{svc}{cls}.{}({svc}{cls}.java:{})",
                    f.svc.replace('-', ""),
                    rng.pick(&["call", "handle", "onMessage", "execute", "load"]),
                    rng.range(20, 900)
                );
            }
            let _ = writeln!(
                out,
                "Caused by: java.net.SocketTimeoutException: Read timed out"
            );
        }
        2 => {
            let _ = writeln!(out, "Traceback (most recent call last):");
            for _ in 0..rng.range(4, 9) {
                let m = rng.pick(&["views", "tasks", "client", "models", "retry"]);
                let _ = writeln!(
                    out,
                    "  File \"/app/{}/{m}.py\", line {}, in {}\n    result = {m}.run(payload)",
                    f.svc.replace('-', "_"),
                    rng.range(10, 700),
                    rng.pick(&["dispatch", "handle", "process", "fetch"])
                );
            }
            let _ = writeln!(
                out,
                "TimeoutError: {} did not answer within {} ms",
                f.svc2, f.ms
            );
        }
        _ => {
            let _ = writeln!(
                out,
                "Error: connect ECONNREFUSED 10.0.{}.{}:5432",
                rng.range(0, 9),
                rng.range(2, 250)
            );
            for _ in 0..rng.range(4, 9) {
                let _ = writeln!(
                    out,
                    "    at {} (/srv/{}/lib/{}.js:{}:{})",
                    rng.pick(&["Pool.connect", "Client.query", "Router.handle", "next"]),
                    f.svc,
                    rng.pick(&["db", "router", "middleware", "index"]),
                    rng.range(10, 400),
                    rng.range(1, 60)
                );
            }
        }
    }
    out
}

const PARAGRAPHS: &[&str] = &[
    "Requests to `{svc}` queued behind a shared resource, and every retry made the queue longer. The dashboards showed the symptom within minutes, but the cause sat one hop further down in `{svc2}`, which is where the first responder did not look at first.",
    "The change had been reviewed and tested at off-peak load, where it behaved. Under the afternoon peak the same setting left no headroom: {pct} % of requests waited for a worker, and those that waited longer than {ms} ms failed.",
    "We rely on `{svc}` for every payment, so its error budget is small. This incident burned a large part of it in one afternoon, and the merchants who noticed told us before our own alerts did in {n} of the cases we looked at afterwards.",
    "The logs were loud but not helpful: the same timeout message appeared for three different causes, and it took two responders some time to separate them. A dedicated error code for pool exhaustion would have saved most of that time.",
    "The runbook step for this case existed, but it pointed at a dashboard that had been renamed. The responders found the right one by searching, which cost a few minutes and some confidence.",
    "Nothing in the deploy pipeline compares the new value of `{setting}` with the traffic it has to carry. A load test with production-like traffic would have shown the problem before the release went out.",
    "Communication went well: the status page was updated every 30 minutes, support had a macro within a quarter of an hour, and the account managers of the largest merchants called them before they called us.",
    "After the mitigation the backlog drained at about {n} items per second, so the visible impact lasted longer than the fault itself. The timeline records both: the mitigation, and the moment the backlog reached zero.",
    "Three things had to line up for this to happen:\n\n- `{setting}` had drifted from its documented value\n- the alert on `{svc}` used a five-minute window\n- the on-call for `{svc2}` was in a different time zone\n\nEach alone would have been harmless.",
    "The client library of `{svc2}` retries on every 5xx with a fixed delay of 100 ms. During the incident this tripled the load on `{svc}` and hid the real error rate behind a wall of retries: of {n} failed calls per second, about two thirds were retries.",
    "The feature flag `{flag}` was meant to limit the blast radius, but it was evaluated per request rather than per merchant, so every merchant saw some failures instead of a few merchants seeing all of them.",
    "We looked at the last {n} deploys of `{svc}`: none of them changed `{setting}` before, which is why nobody thought of it. The value is now checked by a test that reads the production config.",
    "The capacity model for `{svc}` was last updated a year ago. Traffic has grown by about {pct} % since, and the headroom we believed we had was gone long before this incident.",
    "Key numbers from the investigation:\n\n1. first failed request at the minute of the change\n2. peak error rate {pct} %\n3. {n} merchants affected, most of them small\n4. no data lost, every request could be retried",
    "The database side looked healthy at first glance: CPU at 30 %, no slow queries in the log. Only the connection wait time in `pgbouncer` showed the queue, and that panel is not on the service dashboard.",
    "A similar incident happened on `{svc2}` last year. Its action items were about that service only; the same pattern in `{svc}` was never looked for.",
];

const WENT_WELL: &[&str] = &[
    "The alert fired within minutes and named the right service.",
    "The rollback was fast and safe.",
    "The status page was updated on time, every time.",
    "Responders from two teams joined within ten minutes.",
    "The playbook's first check pointed straight at the cause.",
    "Support had a macro ready before the first ticket arrived.",
];

const WENT_WRONG: &[&str] = &[
    "Nothing checked the change at peak load.",
    "The alert threshold was too lax to fire early.",
    "Two dashboards disagreed about the error rate.",
    "The vendor's status page stayed green for an hour.",
    "Nobody owned the renewal job.",
    "The first hypothesis was chased for too long.",
];

#[allow(
    clippy::too_many_arguments,
    reason = "one call site, all facts of the record"
)]
fn body(
    f: &Facts,
    kind: &Kind,
    title: &str,
    cause: &str,
    mitigation: &str,
    stack: &str,
    error: &str,
    rng: &mut Rng,
) -> String {
    let target = rng.range(1000, 5000) as usize;
    let mut b = String::with_capacity(target + 1024);
    // Paragraphs in a shuffled order, none twice.
    let mut paras = rng.sample(PARAGRAPHS, PARAGRAPHS.len()).into_iter();
    let mut para = |rng: &mut Rng| f.fill(paras.next().unwrap_or(PARAGRAPHS[0]), rng);
    let _ = writeln!(b, "\n## Summary\n");
    let _ = writeln!(
        b,
        "{title}. {}. The incident was mitigated by this step: {}.\n",
        cause.trim_end_matches('.'),
        mitigation.trim_end_matches('.')
    );
    let _ = writeln!(b, "## Impact\n");
    let _ = writeln!(
        b,
        "About {} % of requests to `{}` failed or were slow; merchants saw `{}`.\n",
        f.pct, f.svc, error
    );
    let _ = writeln!(b, "| metric | before | during | after |");
    let _ = writeln!(b, "|---|---:|---:|---:|");
    let _ = writeln!(b, "| error rate | 0.1 % | {} % | 0.1 % |", f.pct);
    let _ = writeln!(b, "| p99 latency | 180 ms | {} ms | 190 ms |", f.ms);
    let _ = writeln!(
        b,
        "| requests per second | {} | {} | {} |\n",
        f.n * 10,
        f.n * 7,
        f.n * 10
    );
    let _ = writeln!(b, "## Root cause\n");
    let _ = writeln!(b, "{}. {}\n", cause.trim_end_matches('.'), para(rng));
    let _ = writeln!(b, "The first stack trace in the logs:\n");
    let _ = writeln!(b, "```text\n{stack}```\n");
    let mut optional: Vec<String> = Vec::new();
    optional.push(format!(
        "## Resolution\n\n1. {}\n2. Watched the error rate of `{}` return to baseline\n3. Confirmed with support that no new tickets arrived\n",
        mitigation, f.svc
    ));
    optional.push(format!(
        "## What went well\n\n- {}\n- {}\n",
        rng.pick(WENT_WELL),
        rng.pick(WENT_WELL)
    ));
    optional.push(format!(
        "## What went wrong\n\n- {}\n- {}\n- {}\n",
        rng.pick(WENT_WRONG),
        rng.pick(WENT_WRONG),
        rng.pick(WENT_WRONG)
    ));
    let mut lessons = format!(
        "## Lessons\n\n{} See the [{} playbook](https://wiki.example.com/playbooks/{}) for the checks we added.\n",
        para(rng),
        kind.name,
        kind.name
    );
    if rng.pct(1) {
        lessons.push_str("\nA line with raw HTML<br>that is shown as text.\n");
    }
    optional.push(lessons);
    if rng.pct(40) {
        let cmd = match kind.name {
            "database" => format!(
                "```sql\nselect state, count(*) from pg_stat_activity where application_name = '{}' group by state;\n```\n",
                f.svc
            ),
            "capacity" => format!(
                "```bash\nkubectl -n {} get hpa {} -o wide\n```\n",
                f.svc, f.svc
            ),
            _ => format!(
                "```bash\nkubectl -n {} rollout history deploy/{}\n```\n",
                f.svc, f.svc
            ),
        };
        optional.insert(
            0,
            format!("## Timeline notes\n\nThe command that showed the cause:\n\n{cmd}"),
        );
    }
    for section in &optional {
        b.push_str(section);
        b.push('\n');
    }
    // Grow to the target size with more prose in the root cause analysis.
    let mut extra = 0;
    while b.len() < target && extra < 12 {
        let p = para(rng);
        if b.len() + p.len() > 5000 {
            break;
        }
        let at = b.find("## Resolution").unwrap_or(b.len());
        b.insert_str(at, &format!("{p}\n\n"));
        extra += 1;
    }
    b
}

// ---------------------------------------------------------------------------
// Playbooks, config, Hugo.

fn playbook(kind: &Kind, rng: &mut Rng) -> String {
    let f = Facts {
        svc: "the affected service",
        svc2: "its clients",
        vendor: "the vendor",
        setting: "the changed setting",
        flag: "the flag",
        field: "the key",
        db: "the database",
        ver: "the latest release".to_owned(),
        ms: 2000,
        pct: 5,
        n: 100,
    };
    let list = |items: &[&str], rng: &mut Rng| -> String {
        let v: Vec<String> = items.iter().map(|s| f.fill(s, rng)).collect();
        q_list(&v)
    };
    let mut p = String::new();
    let _ = writeln!(p, "+++");
    let _ = writeln!(p, "title = {}", q(kind.playbook_title));
    let _ = writeln!(p, "owner = {}", q(kind.owner));
    let _ = writeln!(p, "symptoms = {}", list(kind.symptoms, rng));
    let _ = writeln!(p, "first_checks = {}", list(kind.evidence, rng));
    let _ = writeln!(p, "causes = {}", list(kind.causes, rng));
    let _ = writeln!(
        p,
        "resolution = {}",
        q_list(&[
            "Apply the mitigation with the best effectiveness for the least risk".to_owned(),
            "Write down every manual change and commit it afterwards".to_owned(),
        ])
    );
    let _ = writeln!(
        p,
        "verification = {}",
        q_list(&["Error rate at baseline for 30 minutes at normal traffic".to_owned()])
    );
    let levels = ["low", "medium", "high"];
    for m in kind.mitigations {
        let _ = writeln!(p, "\n[[mitigations]]");
        let _ = writeln!(p, "option = {}", q(&f.fill(m, rng)));
        let _ = writeln!(p, "speed = {}", q(rng.pick(&levels)));
        let _ = writeln!(p, "risk = {}", q(rng.pick(&levels)));
        let _ = writeln!(p, "effectiveness = {}", q(rng.pick(&levels)));
    }
    let _ = writeln!(p, "\n[[commands]]");
    let _ = writeln!(p, "label = \"Recent rollouts\"");
    let _ = writeln!(p, "run = \"kubectl rollout history deploy/SERVICE\"");
    let _ = writeln!(p, "+++\n");
    let _ = writeln!(
        p,
        "Ask in the owning team's channel before a risky mitigation. This playbook is \
         revised after every {} incident.\n",
        kind.name
    );
    p
}

const PM_TOML: &str = r#"# A synthetic corpus made by `cargo run --example gen_corpus`.

[site]
title = "Synthetic incident reviews"
description = "A generated corpus for benchmarks"
base_url = "/"
timezone = "Europe/Berlin"
severities = ["SEV1", "SEV2", "SEV3", "SEV4"]

[timeline]
gap = "30m"
gap_by_severity = { SEV1 = "20m" }

[body]
required_sections = ["Summary", "Impact", "Root cause"]
"#;

const HUGO_CONFIG: &str = r#"baseURL = "/"
title = "Synthetic incident reviews"
languageCode = "en"
# No taxonomies: the records use none, as pm's site has none.
disableKinds = ["taxonomy", "term"]
"#;

const HUGO_SINGLE: &str = r#"<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body>
<main>
<h1>{{ .Title }}</h1>
<p><time datetime="{{ .Date.Format "2006-01-02T15:04:05Z07:00" }}">{{ .Date.Format "2 January 2006 15:04" }}</time></p>
{{ .Content }}
</main>
</body>
</html>
"#;

const HUGO_LIST: &str = r#"<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body>
<main>
<h1>{{ .Title }}</h1>
{{ .Content }}
<ul>
{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> <time>{{ .Date.Format "2006-01-02" }}</time></li>
{{ end }}</ul>
</main>
</body>
</html>
"#;

/// The Hugo page of an incident: TOML front matter Hugo understands, the same body.
fn hugo_page(g: &Generated) -> String {
    let mut p = String::with_capacity(g.record.len() - g.body_offset + 256);
    let _ = writeln!(p, "+++");
    let _ = writeln!(p, "title = {}", q(&g.title));
    let _ = writeln!(p, "date = {}", g.start_utc);
    if g.draft {
        let _ = writeln!(p, "draft = true");
    }
    let _ = writeln!(p, "severity = {}", q(g.severity));
    let _ = writeln!(p, "services = {}", q_list(&g.services));
    let _ = writeln!(p, "+++");
    p.push_str(&g.record[g.body_offset..]);
    p
}

fn hugo_playbook(text: &str, title: &str) -> String {
    let body = text
        .match_indices("+++\n")
        .nth(1)
        .map_or("", |(i, _)| &text[i + 4..]);
    format!(
        "+++\ntitle = {}\ndate = 2021-01-01T00:00:00Z\n+++\n{body}",
        q(title)
    )
}

// ---------------------------------------------------------------------------
// Files.

fn write_new(path: &Path, bytes: &[u8]) -> Res<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| format!("cannot create `{}`: {e}", path.display()))?;
    file.write_all(bytes)?;
    Ok(())
}

/// Refuses a folder that exists and is not empty.
fn check_empty(dir: &Path) -> Res<()> {
    match std::fs::read_dir(dir) {
        Ok(mut entries) => {
            if entries.next().is_some() {
                return Err(format!(
                    "`{}` is not empty: give an empty or new folder",
                    dir.display()
                )
                .into());
            }
            Ok(())
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(format!("cannot read `{}`: {e}", dir.display()).into()),
    }
}

/// Every incident of a corpus of `n`, with unique ids, in generation order.
pub(crate) fn corpus(seed: u64, n: u64) -> Vec<Generated> {
    let mut seen: HashSet<String> = HashSet::with_capacity(n as usize);
    let mut out = Vec::with_capacity(n as usize);
    for i in 0..n {
        let mut g = incident(seed, i);
        if !seen.insert(g.id.clone()) {
            let base = g.id.clone();
            let mut k = 2;
            while !seen.insert(format!("{base}-{k}")) {
                k += 1;
            }
            g.id = format!("{base}-{k}");
        }
        out.push(g);
    }
    out
}

/// The playbooks: (type, text).
pub(crate) fn playbooks(seed: u64) -> Vec<(&'static str, String)> {
    let mut rng = Rng::new(seed ^ 0x5EED_F00D);
    KINDS
        .iter()
        .map(|k| (k.name, playbook(k, &mut rng)))
        .collect()
}

/// The pm.toml of the corpus.
pub(crate) fn pm_toml() -> &'static str {
    PM_TOML
}

/// Where record files go under `incidents/`.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Layout {
    /// `incidents/<year>/<id>.md` (the default).
    Sharded,
    /// `incidents/<id>.md`: every record in one folder.
    Flat,
}

fn rel_path(g: &Generated, layout: Layout) -> String {
    match layout {
        Layout::Sharded => format!("incidents/{}/{}.md", g.year, g.id),
        Layout::Flat => format!("incidents/{}.md", g.id),
    }
}

// ---------------------------------------------------------------------------
// Git history.

/// The files of the next commit, and the tree ids of the folders written so
/// far, so that a commit writes only the folders it changed. Trees are
/// serialised here (git's canonical form: `<mode> <name>\0<id>`, entries in
/// git's order) and written straight to the object database.
struct Tree {
    /// Folder (`""` for the root) → file name → blob id.
    files: BTreeMap<String, BTreeMap<String, git2::Oid>>,
    /// Folder → the id of its last written tree.
    written: BTreeMap<String, git2::Oid>,
    dirty: BTreeSet<String>,
    buf: Vec<u8>,
}

fn parent_dir(dir: &str) -> Option<&str> {
    if dir.is_empty() {
        None
    } else {
        Some(dir.rsplit_once('/').map_or("", |(p, _)| p))
    }
}

impl Tree {
    fn new() -> Tree {
        Tree {
            files: BTreeMap::new(),
            written: BTreeMap::new(),
            dirty: BTreeSet::new(),
            buf: Vec::new(),
        }
    }

    /// Sets the blob of a root-relative path (`incidents/2024/x.md`).
    fn set(&mut self, path: &str, oid: git2::Oid) {
        let (dir, name) = path.rsplit_once('/').unwrap_or(("", path));
        self.files
            .entry(dir.to_owned())
            .or_default()
            .insert(name.to_owned(), oid);
        let mut d = Some(dir);
        while let Some(dir) = d {
            if !self.dirty.insert(dir.to_owned()) {
                break;
            }
            d = parent_dir(dir);
        }
    }

    /// Writes the changed folders, deepest first, and returns the root tree.
    fn write(&mut self, odb: &git2::Odb<'_>) -> Res<git2::Oid> {
        let mut dirty: Vec<String> = std::mem::take(&mut self.dirty).into_iter().collect();
        dirty.sort_by_key(|d| {
            std::cmp::Reverse(if d.is_empty() {
                0
            } else {
                d.matches('/').count() + 1
            })
        });
        let empty = BTreeMap::new();
        for dir in dirty {
            let files = self.files.get(&dir).unwrap_or(&empty);
            let subdirs: Vec<(&str, git2::Oid)> = self
                .written
                .iter()
                .filter(|(d, _)| parent_dir(d) == Some(dir.as_str()))
                .map(|(d, id)| (d.rsplit('/').next().unwrap_or(d), *id))
                .collect();
            self.buf.clear();
            let put = |buf: &mut Vec<u8>, mode: &[u8], name: &str, id: git2::Oid| {
                buf.extend_from_slice(mode);
                buf.push(b' ');
                buf.extend_from_slice(name.as_bytes());
                buf.push(0);
                buf.extend_from_slice(id.as_bytes());
            };
            if subdirs.is_empty() {
                // Only files: name order is git's order.
                for (name, id) in files {
                    put(&mut self.buf, b"100644", name, *id);
                }
            } else {
                // Git sorts a folder as if its name ended in `/`.
                let mut entries: Vec<(String, bool, &str, git2::Oid)> = files
                    .iter()
                    .map(|(n, id)| (n.clone(), false, n.as_str(), *id))
                    .chain(
                        subdirs
                            .iter()
                            .map(|(n, id)| (format!("{n}/"), true, *n, *id)),
                    )
                    .collect();
                entries.sort_by(|a, b| a.0.cmp(&b.0));
                for (_, is_dir, name, id) in entries {
                    let mode: &[u8] = if is_dir { b"40000" } else { b"100644" };
                    put(&mut self.buf, mode, name, id);
                }
            }
            let id = odb.write(git2::ObjectType::Tree, &self.buf)?;
            self.written.insert(dir, id);
        }
        Ok(*self.written.get("").ok_or("no root tree")?)
    }
}

/// Files the history changes besides records and playbooks (`--commits`):
/// pm never reads them, so pm's history pass must skip their commits cheaply.
const OTHER_FILES: &[(&str, u64)] = &[
    ("README.md", 25),
    ("docs/process.md", 20),
    ("tools/page_oncall.py", 20),
    ("tools/export_actions.py", 20),
    ("pm.toml", 15),
];

/// Version `v` (from 1) of one of the [`OTHER_FILES`]; `last` is its final
/// version, the one the working tree holds.
fn other_file(file: usize, v: usize, last: bool) -> String {
    let line = |j: usize| {
        let svc = SERVICES[(j * 7 + file) % SERVICES.len()];
        let team = TEAMS[(j * 3 + file) % TEAMS.len()];
        let who = PEOPLE[(j * 5 + file) % PEOPLE.len()];
        match OTHER_FILES[file].0 {
            "README.md" => format!("- {j}: {who} updated the links to the `{svc}` runbooks\n"),
            "docs/process.md" => format!(
                "{j}. {team} reviews `{svc}` incidents within {} days.\n",
                2 + j % 5
            ),
            _ => format!("    (\"{svc}\", \"{team}\", \"{who}\"),  # {j}\n"),
        }
    };
    let lines: String = (v.saturating_sub(12)..=v).map(line).collect();
    match OTHER_FILES[file].0 {
        "pm.toml" if last => PM_TOML.to_owned(),
        "pm.toml" => format!("{PM_TOML}\n# Thresholds reviewed, round {v}.\n"),
        "README.md" => format!(
            "# Incident reviews\n\nPostmortems and playbooks, linted and published by pm.\n\n## Changes\n\n{lines}"
        ),
        "docs/process.md" => format!("# How we run incident reviews\n\n{lines}"),
        name => format!(
            "\"\"\"{name}: a helper for the on-call rota (not read by pm).\"\"\"\n\nROTA = [\n{lines}]\n"
        ),
    }
}

enum Step {
    /// The next version of record `i`.
    Record(usize),
    /// The next version of playbook `b`.
    Playbook(usize),
    /// The next version of one of the [`OTHER_FILES`], in a commit of its own.
    Other(usize),
}

/// The shape of the history `--git` writes.
struct HistoryPlan {
    layout: Layout,
    /// `--commits N`: about N commits in all (exactly N when there are at
    /// least as many record changes to spread); `None` keeps the original
    /// shape of 2–11 record changes per commit.
    commits: Option<usize>,
}

/// Makes `out` a repository whose history adds every record in date order
/// and revises about a third of them days later. With `--commits`, it also
/// revises records and playbooks more often and adds commits that touch
/// only other files, to reach the number of commits asked for. Returns the
/// number of commits and the final versions of the other files.
fn git_history(
    out: &Path,
    incidents: &[Generated],
    books: &[(&'static str, String)],
    seed: u64,
    plan: &HistoryPlan,
) -> Res<(usize, Vec<(&'static str, String)>)> {
    let mut opts = git2::RepositoryInitOptions::new();
    opts.initial_head("main");
    let repo = git2::Repository::init_opts(out, &opts)?;
    let odb = repo.odb()?;
    // Every object a tree names was just written here: skip libgit2's
    // existence check on each tree entry.
    git2::opts::strict_object_creation(false);
    let mut rng = Rng::new(seed ^ 0x617);
    let mut order: Vec<usize> = (0..incidents.len()).collect();
    order.sort_by_key(|&i| (incidents[i].start_epoch, i));
    // (time, step), then sorted by time.
    let mut steps: Vec<(i64, Step)> = Vec::with_capacity(incidents.len() * 2);
    let mut added_at = vec![0i64; incidents.len()];
    for &i in &order {
        let g = &incidents[i];
        // Postmortems land a day or two after the incident.
        let added = g.start_epoch + rng.range(20 * 3600, 72 * 3600) as i64;
        added_at[i] = added;
        steps.push((added, Step::Record(i)));
        if g.first_draft.is_some() {
            steps.push((
                added + rng.range(2 * 86400, 20 * 86400) as i64,
                Step::Record(i),
            ));
        }
    }
    let first = steps.iter().map(|s| s.0).min().unwrap_or(1_600_000_000);
    let last = steps.iter().map(|s| s.0).max().unwrap_or(first);
    let span = (last - first).max(1) as u64;
    for (b, _) in books.iter().enumerate() {
        steps.push((first + rng.below(span) as i64, Step::Playbook(b)));
    }

    // `--commits`: how many record changes each commit makes, and the extra
    // revisions and other-file commits that reach the target. A separate
    // generator, so the default history stays what it always was.
    let mut sizes: Option<std::vec::IntoIter<usize>> = None;
    if let Some(target) = plan.commits {
        let mut x = Rng::new(seed ^ 0xC0_33175);
        let others = target.saturating_sub(1) / 5;
        let record_commits = target.saturating_sub(1 + others).max(1);
        let base = steps.len();
        let mut planned: Vec<usize> = (0..record_commits)
            .map(|_| if x.pct(85) { 1 } else { x.range(2, 4) as usize })
            .collect();
        let total: usize = planned.iter().sum();
        if total < base {
            // Fewer commits than changes: spread them evenly.
            planned = (0..record_commits)
                .map(|c| base * (c + 1) / record_commits - base * c / record_commits)
                .collect();
        }
        for _ in 0..total.saturating_sub(base) {
            if x.pct(2) {
                let b = x.below(books.len() as u64) as usize;
                steps.push((first + x.below(span) as i64, Step::Playbook(b)));
            } else {
                let i = x.below(incidents.len().max(1) as u64) as usize;
                if i < incidents.len() {
                    let at = added_at[i] + x.range(3 * 3600, 120 * 86400) as i64;
                    steps.push((at, Step::Record(i)));
                }
            }
        }
        let weights: Vec<u64> = OTHER_FILES.iter().map(|f| f.1).collect();
        for _ in 0..others {
            let at = first + x.below(span) as i64;
            steps.push((at, Step::Other(x.weighted(&weights))));
        }
        sizes = Some(planned.into_iter());
    }
    steps.sort_by_key(|s| s.0);

    // How many versions each file gets, so the last one is the final text.
    let mut versions = vec![0usize; incidents.len()];
    let mut book_versions = vec![0usize; books.len()];
    let mut other_versions = vec![0usize; OTHER_FILES.len()];
    for (_, step) in &steps {
        match step {
            Step::Record(i) => versions[*i] += 1,
            Step::Playbook(b) => book_versions[*b] += 1,
            Step::Other(f) => other_versions[*f] += 1,
        }
    }
    let mut written = vec![0usize; incidents.len()];
    let mut book_written = vec![0usize; books.len()];
    let mut other_written = vec![0usize; OTHER_FILES.len()];

    let mut tree = Tree::new();
    tree.set("pm.toml", repo.blob(PM_TOML.as_bytes())?);
    // The first commit: pm.toml and first versions of the playbooks.
    for (kind, text) in books {
        let cut = text.rfind("Ask in").unwrap_or(text.len());
        tree.set(
            &format!("playbooks/{kind}.md"),
            repo.blob(&text.as_bytes()[..cut])?,
        );
    }
    let mut commits = 0;
    let sig_at = |who: &str, at: i64| {
        git2::Signature::new(who, &format!("{who}@example.com"), &git2::Time::new(at, 0))
    };
    let root = tree.write(&odb)?;
    let sig = sig_at("alice", first - 86400)?;
    let mut parent = repo.commit(
        None,
        &sig,
        &sig,
        "Start the incident reviews: pm.toml and playbooks",
        &repo.find_tree(root)?,
        &[],
    )?;
    commits += 1;
    let mut commit =
        |tree: &mut Tree, parent: &mut git2::Oid, who: &str, at: i64, message: &str| -> Res<()> {
            let root = tree.write(&odb)?;
            let sig = sig_at(who, at)?;
            *parent = repo.commit(
                None,
                &sig,
                &sig,
                message,
                &repo.find_tree(root)?,
                &[&repo.find_commit(*parent)?],
            )?;
            commits += 1;
            Ok(())
        };
    let mut k = 0;
    let mut carry = None;
    while k < steps.len() {
        if let (_, Step::Other(f)) = &steps[k] {
            other_written[*f] += 1;
            let v = other_written[*f];
            let (name, _) = OTHER_FILES[*f];
            let text = other_file(*f, v, v == other_versions[*f]);
            tree.set(name, repo.blob(text.as_bytes())?);
            let who = rng.pick(PEOPLE);
            let message = match name {
                "pm.toml" => "pm.toml: review the gap thresholds".to_owned(),
                "README.md" => "README: update the runbook links".to_owned(),
                n => format!("{n}: update the rota"),
            };
            commit(&mut tree, &mut parent, who, steps[k].0, &message)?;
            k += 1;
            continue;
        }
        let size = match (carry.take(), sizes.as_mut()) {
            (Some(rest), _) => rest,
            (None, Some(planned)) => planned.next().unwrap_or(usize::MAX),
            (None, None) => rng.range(2, 12) as usize,
        };
        let mut added = 0;
        let mut revised = 0;
        let mut taken = 0;
        let mut at = first;
        while k < steps.len() && taken < size {
            let (t, step) = &steps[k];
            match step {
                Step::Other(_) => {
                    // Commit what was taken; the rest of this change follows
                    // the other file's commit.
                    carry = Some(size - taken);
                    break;
                }
                Step::Record(i) => {
                    let g = &incidents[*i];
                    let v = written[*i];
                    written[*i] += 1;
                    let marked;
                    let text = if v + 1 == versions[*i] {
                        &g.record
                    } else if v == 0 && g.first_draft.is_some() {
                        g.first_draft.as_deref().unwrap_or(&g.record)
                    } else {
                        marked = format!("{}\n<!-- review round {v} -->\n", g.record);
                        &marked
                    };
                    tree.set(&rel_path(g, plan.layout), repo.blob(text.as_bytes())?);
                    if v == 0 {
                        added += 1;
                    } else {
                        revised += 1;
                    }
                }
                Step::Playbook(b) => {
                    let (kind, text) = &books[*b];
                    book_written[*b] += 1;
                    let marked;
                    let text = if book_written[*b] == book_versions[*b] {
                        text
                    } else {
                        marked = format!("{text}\n<!-- revision {} -->\n", book_written[*b]);
                        &marked
                    };
                    tree.set(&format!("playbooks/{kind}.md"), repo.blob(text.as_bytes())?);
                    revised += 1;
                }
            }
            at = *t;
            taken += 1;
            k += 1;
        }
        if taken == 0 {
            continue;
        }
        let who = rng.pick(PEOPLE);
        let message = match (added, revised) {
            (a, 0) => format!("Add {a} postmortems"),
            (0, r) => format!("Revise {r} records after review"),
            (a, r) => format!("Add {a} postmortems, revise {r}"),
        };
        commit(&mut tree, &mut parent, who, at, &message)?;
    }
    repo.reference("refs/heads/main", parent, true, "gen_corpus")?;
    let head_tree = repo.find_commit(parent)?.tree()?;
    let mut index = repo.index()?;
    index.read_tree(&head_tree)?;
    index.write()?;
    let finals = OTHER_FILES
        .iter()
        .enumerate()
        .filter(|(f, (name, _))| other_versions[*f] > 0 && *name != "pm.toml")
        .map(|(f, (name, _))| (*name, other_file(f, other_versions[f], true)))
        .collect();
    Ok((commits, finals))
}

// ---------------------------------------------------------------------------

struct Args {
    n: u64,
    out: PathBuf,
    hugo: Option<PathBuf>,
    git: bool,
    seed: u64,
    layout: Layout,
    commits: Option<usize>,
}

const USAGE: &str = "usage: gen_corpus --n N --out DIR [--hugo DIR] [--git [--commits N]] [--layout sharded|flat] [--seed N]";

fn parse_args() -> Res<Args> {
    let mut n = None;
    let mut out = None;
    let mut hugo = None;
    let mut git = false;
    let mut seed = 42;
    let mut layout = Layout::Sharded;
    let mut commits = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = |name: &str| args.next().ok_or_else(|| format!("`{name}` needs a value"));
        match a.as_str() {
            "--n" => n = Some(value("--n")?.parse::<u64>()?),
            "--out" => out = Some(PathBuf::from(value("--out")?)),
            "--hugo" => hugo = Some(PathBuf::from(value("--hugo")?)),
            "--seed" => seed = value("--seed")?.parse::<u64>()?,
            "--git" => git = true,
            "--commits" => commits = Some(value("--commits")?.parse::<usize>()?),
            "--layout" => {
                layout = match value("--layout")?.as_str() {
                    "sharded" => Layout::Sharded,
                    "flat" => Layout::Flat,
                    other => {
                        return Err(format!("`--layout {other}`: give `sharded` or `flat`").into());
                    }
                }
            }
            "-h" | "--help" => return Err(USAGE.into()),
            other => return Err(format!("unknown argument `{other}`; see --help").into()),
        }
    }
    if commits.is_some() && !git {
        return Err("`--commits` needs `--git`".into());
    }
    if commits.is_some_and(|c| c < 2) {
        return Err("`--commits` needs at least 2".into());
    }
    Ok(Args {
        n: n.ok_or("`--n N` is required")?,
        out: out.ok_or("`--out DIR` is required")?,
        hugo,
        git,
        seed,
        layout,
        commits,
    })
}

fn main() -> std::process::ExitCode {
    match run() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "gen_corpus: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn run() -> Res<()> {
    let args = parse_args()?;
    let started = std::time::Instant::now();
    check_empty(&args.out)?;
    if let Some(h) = &args.hugo {
        check_empty(h)?;
    }
    let incidents = corpus(args.seed, args.n);
    let books = playbooks(args.seed);

    write_new(&args.out.join("pm.toml"), pm_toml().as_bytes())?;
    for (kind, text) in &books {
        write_new(
            &args.out.join(format!("playbooks/{kind}.md")),
            text.as_bytes(),
        )?;
    }
    let mut bytes = 0usize;
    for g in &incidents {
        write_new(
            &args.out.join(rel_path(g, args.layout)),
            g.record.as_bytes(),
        )?;
        bytes += g.record.len();
    }
    if let Some(h) = &args.hugo {
        write_new(&h.join("hugo.toml"), HUGO_CONFIG.as_bytes())?;
        write_new(
            &h.join("layouts/_default/single.html"),
            HUGO_SINGLE.as_bytes(),
        )?;
        write_new(&h.join("layouts/_default/list.html"), HUGO_LIST.as_bytes())?;
        write_new(
            &h.join("content/_index.md"),
            b"+++\ntitle = \"Synthetic incident reviews\"\n+++\n",
        )?;
        write_new(
            &h.join("content/incidents/_index.md"),
            b"+++\ntitle = \"Incidents\"\n+++\n",
        )?;
        write_new(
            &h.join("content/playbooks/_index.md"),
            b"+++\ntitle = \"Playbooks\"\n+++\n",
        )?;
        for g in &incidents {
            write_new(
                &h.join(format!("content/incidents/{}.md", g.id)),
                hugo_page(g).as_bytes(),
            )?;
        }
        for ((kind, text), k) in books.iter().zip(KINDS) {
            write_new(
                &h.join(format!("content/playbooks/{kind}.md")),
                hugo_playbook(text, k.playbook_title).as_bytes(),
            )?;
        }
    }
    let commits = if args.git {
        let plan = HistoryPlan {
            layout: args.layout,
            commits: args.commits,
        };
        let (commits, others) = git_history(&args.out, &incidents, &books, args.seed, &plan)?;
        // The working tree matches the last commit.
        for (name, text) in others {
            write_new(&args.out.join(name), text.as_bytes())?;
        }
        commits
    } else {
        0
    };
    let mut err = std::io::stderr().lock();
    let _ = writeln!(
        err,
        "gen_corpus: {} incidents ({:.1} MB), {} playbooks into `{}`{}{} in {:.1} s",
        incidents.len(),
        bytes as f64 / 1e6,
        books.len(),
        args.out.display(),
        args.hugo
            .as_ref()
            .map(|h| format!(", Hugo site into `{}`", h.display()))
            .unwrap_or_default(),
        if args.git {
            format!(", {commits} commits")
        } else {
            String::new()
        },
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
