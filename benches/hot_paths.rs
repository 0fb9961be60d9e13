//! Micro-benchmarks of pm's hot paths, through its public library API, on
//! records made by the corpus generator (`examples/gen_corpus.rs`).
//!
//! ```text
//! cargo bench --bench hot_paths            # everything
//! cargo bench --bench hot_paths -- parse   # names containing `parse`
//! ```
//!
//! Per record: front-matter parse, validation, Markdown render (pm's and
//! bare comrak with the same options: the floor), timeline analysis, one
//! incident page. Per corpus (100 and 1,000 records): the in-memory pipeline
//! parse → validate → analyze → lint, and the index page that lists every
//! incident (to catch anything that grows faster than the corpus).

use jiff::civil::Date;
use pm::analysis::{self, Analyses};
use pm::config::Config;
use pm::diag::Diagnostics;
use pm::lint::{self, CliLevels, Levels, LintCx};
use pm::markdown::{Depth, Markdown};
use pm::model::{self, Corpus};
use pm::parse;
use pm::render::view::ViewCx;
use pm::render::{Page, Renderer, Templates};
use pm::source::{RecordKind, SourceFile, SourceSet};

#[path = "../examples/gen_corpus.rs"]
#[allow(dead_code, reason = "the generator's command line is not used here")]
mod gen_corpus;

const SEED: u64 = 42;
const TODAY: Date = Date::constant(2026, 12, 1);

fn main() {
    divan::main();
}

/// The source files of a generated corpus of `n` incidents and its playbooks.
fn source_set(n: u64) -> SourceSet {
    let mut records: Vec<SourceFile> = gen_corpus::corpus(SEED, n)
        .into_iter()
        .map(|g| SourceFile {
            kind: RecordKind::Incident,
            rel: format!("incidents/{}/{}.md", g.year, g.id),
            stem: g.id,
            bytes: g.record.into_bytes(),
            attachments: None,
        })
        .collect();
    for (kind, text) in gen_corpus::playbooks(SEED) {
        records.push(SourceFile {
            kind: RecordKind::Playbook,
            rel: format!("playbooks/{kind}.md"),
            stem: kind.to_owned(),
            bytes: text.into_bytes(),
            attachments: None,
        });
    }
    records.sort_by(|a, b| a.rel.cmp(&b.rel));
    SourceSet {
        config: Some(gen_corpus::pm_toml().as_bytes().to_vec()),
        records,
        templates: Vec::new(),
    }
}

fn config() -> Config {
    let mut diags = Diagnostics::new();
    Config::parse(gen_corpus::pm_toml(), &mut diags)
        .unwrap_or_else(|| panic!("the generated pm.toml does not parse"))
}

/// Everything the later stages need, loaded as `pm build` loads it.
struct Loaded {
    config: Config,
    corpus: Corpus,
    analyses: Analyses,
    markdown: Markdown,
    diags: Diagnostics,
}

fn load(set: &SourceSet) -> Loaded {
    let config = config();
    let mut diags = Diagnostics::new();
    let parsed = parse::parse(set.records.clone(), &mut diags);
    let corpus = model::validate(parsed, &config, &mut diags);
    let markdown = Markdown::new();
    let analyses = analysis::analyze(&corpus, &config, &markdown, Depth::Page);
    Loaded {
        config,
        corpus,
        analyses,
        markdown,
        diags,
    }
}

/// [`load`], then every lint, as `pm build` does before rendering: pages
/// show the findings of their record.
fn load_and_lint(set: &SourceSet) -> Loaded {
    let Loaded {
        config,
        corpus,
        analyses,
        markdown,
        mut diags,
    } = load(set);
    let levels = Levels::resolve(&config, &CliLevels::default(), &mut diags);
    let index = lint::Index::new(&corpus, &analyses);
    let cx = LintCx {
        facts: pm::analysis::Facts {
            corpus: &corpus,
            analyses: &analyses,
            config: &config,
            markdown: &markdown,
            history: None,
            today: TODAY,
        },
        index: &index,
    };
    lint::run_all(&cx, &levels, &mut diags);
    Loaded {
        config,
        corpus,
        analyses,
        markdown,
        diags,
    }
}

/// A typical record: the one of median size among the first 101.
fn typical(set: &SourceSet) -> &SourceFile {
    let mut incidents: Vec<&SourceFile> = set
        .records
        .iter()
        .filter(|f| f.kind == RecordKind::Incident)
        .take(101)
        .collect();
    incidents.sort_by_key(|f| f.bytes.len());
    incidents[incidents.len() / 2]
}

/// The [`typical`] record's Markdown body.
fn typical_body() -> String {
    let set = source_set(101);
    let text = String::from_utf8_lossy(&typical(&set).bytes);
    let body = text.match_indices("+++\n").nth(1).map_or(0, |(i, _)| i + 4);
    text[body..].to_owned()
}

/// Front matter split and TOML parse of one record (`pm::parse::parse_file`).
#[divan::bench]
fn parse_front_matter(bencher: divan::Bencher<'_, '_>) {
    let set = source_set(101);
    let file = typical(&set).clone();
    bencher
        .counter(divan::counter::BytesCount::new(file.bytes.len()))
        .with_inputs(|| file.clone())
        .bench_values(|file| parse::parse_file(divan::black_box(file)));
}

/// Validation of one parsed record into the model (`pm::model::validate`).
#[divan::bench]
fn validate_record(bencher: divan::Bencher<'_, '_>) {
    let set = source_set(101);
    let file = typical(&set).clone();
    let config = config();
    bencher
        .with_inputs(|| match parse::parse_file(file.clone()).1 {
            Ok(parsed) => parsed,
            Err(d) => panic!("generated record does not parse: {d:?}"),
        })
        .bench_values(|parsed| {
            let mut diags = Diagnostics::new();
            model::validate(vec![parsed], &config, &mut diags)
        });
}

/// pm's Markdown render of one body: HTML plus outline, links and raw HTML lines.
#[divan::bench]
fn markdown_render(bencher: divan::Bencher<'_, '_>) {
    let body = typical_body();
    let markdown = Markdown::new();
    bencher
        .counter(divan::counter::BytesCount::new(body.len()))
        .bench(|| markdown.render(divan::black_box(&body)));
}

/// The outline `pm lint` reads of one body (headings, links, raw HTML
/// lines): comrak's parse without the autolink extension, no HTML.
#[divan::bench]
fn markdown_outline(bencher: divan::Bencher<'_, '_>) {
    let body = typical_body();
    let markdown = Markdown::new();
    bencher
        .counter(divan::counter::BytesCount::new(body.len()))
        .bench(|| markdown.outline(divan::black_box(&body)));
}

/// The floor: comrak alone, same extensions, HTML only.
#[divan::bench]
fn markdown_comrak_floor(bencher: divan::Bencher<'_, '_>) {
    let body = typical_body();
    let mut options = comrak::Options::default();
    options.extension.strikethrough = true;
    options.extension.table = true;
    options.extension.autolink = true;
    options.extension.tasklist = true;
    options.extension.footnotes = true;
    options.render.escape = true;
    bencher
        .counter(divan::counter::BytesCount::new(body.len()))
        .bench(|| comrak::markdown_to_html(divan::black_box(&body), &options));
}

/// Milestones, durations, gaps, checklist and body render of one incident
/// (`pm::analysis::analyze_incident`).
#[divan::bench]
fn analyze_incident(bencher: divan::Bencher<'_, '_>) {
    let set = source_set(101);
    let loaded = load(&set);
    let id = typical_id(&set, &loaded);
    let Some(incident) = loaded.corpus.incidents.get(&id) else {
        panic!("no incident `{id}`");
    };
    bencher.bench(|| {
        analysis::analyze_incident(
            divan::black_box(incident),
            &loaded.config,
            &loaded.markdown,
            Depth::Outline,
        )
    });
}

fn typical_id(set: &SourceSet, loaded: &Loaded) -> String {
    let stem = typical(set).stem.clone();
    if loaded.corpus.incidents.contains_key(&stem) {
        stem
    } else {
        loaded
            .corpus
            .incidents
            .keys()
            .next()
            .cloned()
            .unwrap_or_else(|| panic!("empty corpus"))
    }
}

fn renderer<'a>(loaded: &'a Loaded, templates: &'a Templates) -> Renderer<'a> {
    Renderer {
        cx: ViewCx {
            facts: pm::analysis::Facts {
                corpus: &loaded.corpus,
                analyses: &loaded.analyses,
                config: &loaded.config,
                markdown: &loaded.markdown,
                history: None,
                today: TODAY,
            },
            diagnostics: &loaded.diags,
            lessons: Default::default(),
        },
        templates,
    }
}

/// One incident page through the templates (`pm::render::Renderer::render`),
/// in corpora of two sizes: the page should cost the same in both.
#[divan::bench(args = [100, 1000])]
fn render_incident_page(bencher: divan::Bencher<'_, '_>, n: u64) {
    let set = source_set(n);
    let loaded = load_and_lint(&set);
    let templates = Templates::load(&[]).unwrap_or_else(|e| panic!("templates: {e}"));
    let renderer = renderer(&loaded, &templates);
    let page = Page::Incident(typical_id(&set, &loaded));
    bencher.bench(|| renderer.render(divan::black_box(&page)));
}

/// Compiling the built-in templates (once per build).
#[divan::bench]
fn load_templates() -> Templates {
    Templates::load(&[]).unwrap_or_else(|e| panic!("templates: {e}"))
}

/// The index page, which lists every incident: should grow linearly.
#[divan::bench(args = [100, 1000])]
fn render_index_page(bencher: divan::Bencher<'_, '_>, n: u64) {
    let set = source_set(n);
    let loaded = load_and_lint(&set);
    let templates = Templates::load(&[]).unwrap_or_else(|e| panic!("templates: {e}"));
    let renderer = renderer(&loaded, &templates);
    bencher.bench(|| renderer.render(&Page::Index));
}

/// The action-items page, which lists every action of every incident.
#[divan::bench(args = [100, 1000])]
fn render_actions_page(bencher: divan::Bencher<'_, '_>, n: u64) {
    let set = source_set(n);
    let loaded = load_and_lint(&set);
    let templates = Templates::load(&[]).unwrap_or_else(|e| panic!("templates: {e}"));
    let renderer = renderer(&loaded, &templates);
    bencher.bench(|| renderer.render(&Page::Actions));
}

/// `incidents.json` for the whole corpus.
#[divan::bench(args = [100, 1000])]
fn render_incidents_json(bencher: divan::Bencher<'_, '_>, n: u64) {
    let set = source_set(n);
    let loaded = load_and_lint(&set);
    let templates = Templates::load(&[]).unwrap_or_else(|e| panic!("templates: {e}"));
    let renderer = renderer(&loaded, &templates);
    bencher.bench(|| renderer.render(&Page::Json));
}

/// Every lint over a loaded corpus (`pm::lint::run_all`).
#[divan::bench(args = [100, 1000])]
fn lint_corpus(bencher: divan::Bencher<'_, '_>, n: u64) {
    let set = source_set(n);
    let loaded = load(&set);
    bencher.bench(|| {
        let mut diags = Diagnostics::new();
        let levels = Levels::resolve(&loaded.config, &CliLevels::default(), &mut diags);
        let index = lint::Index::new(&loaded.corpus, &loaded.analyses);
        let cx = LintCx {
            facts: pm::analysis::Facts {
                corpus: &loaded.corpus,
                analyses: &loaded.analyses,
                config: &loaded.config,
                markdown: &loaded.markdown,
                history: None,
                today: TODAY,
            },
            index: &index,
        };
        lint::run_all(&cx, &levels, &mut diags);
        diags
    });
}

/// parse → validate → analyze of a whole corpus held in memory: what
/// `pm lint` and `pm build` do before linting and writing, without the disk.
#[divan::bench(args = [100, 1000], sample_count = 20)]
fn load_corpus(bencher: divan::Bencher<'_, '_>, n: u64) {
    let set = source_set(n);
    let bytes: usize = set.records.iter().map(|f| f.bytes.len()).sum();
    bencher
        .counter(divan::counter::BytesCount::new(bytes))
        .bench(|| load(divan::black_box(&set)));
}
