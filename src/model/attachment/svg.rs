//! SVG attachments as pm publishes them: a clean copy, written from the
//! parsed drawing.
//!
//! The source is parsed as XML by `roxmltree` (a maintained parser that
//! resolves namespaces, expands entities with limits against entity bombs,
//! and keeps byte positions). Then [`clean`] walks the tree and writes a new
//! document that holds only:
//!
//! - elements in the SVG namespace that draw or describe a static picture
//!   ([`ELEMENTS`]); anything that runs or changes the document (`<script>`,
//!   `<foreignObject>`, animation, HTML or MathML elements) is refused with
//!   its place in the file, so the author can export the drawing again;
//! - attributes of a fixed list ([`ATTRIBUTES`], `aria-*`, `data-*`,
//!   `xml:space`, `xml:lang`, `xlink:title`), and links (`href`,
//!   `xlink:href`) whose target is a fragment, a relative path, `http(s)`,
//!   `mailto` or a raster `data:` image; an event handler (`on…`) or a
//!   script URL is refused;
//! - text, escaped.
//!
//! Comments, processing instructions (an `xml-stylesheet` could name XSLT),
//! the DOCTYPE, and elements and attributes of other namespaces (editor
//! metadata such as Inkscape's or RDF) are left out: browsers draw none of
//! them. What the browser parses is pm's own well-formed, escaped output, so
//! a construct that pm's parser and a browser's read differently (a newline
//! before `=`, a `>` inside a value, a namespace prefix, an entity) cannot
//! carry anything past this check. The walk keeps its own stack: a deeply
//! nested file cannot overflow pm's.

use std::fmt::Write as _;

use roxmltree::{Document, Node, ParsingOptions};

use crate::markdown::{Escape, escape_into};

const SVG_NS: &str = "http://www.w3.org/2000/svg";
const XLINK_NS: &str = "http://www.w3.org/1999/xlink";
const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";
const XHTML_NS: &str = "http://www.w3.org/1999/xhtml";
const MATHML_NS: &str = "http://www.w3.org/1998/Math/MathML";

/// At most this many nodes in one drawing: far above any exported graph
/// (a dense Grafana panel has a few thousand), far below what costs memory.
const NODES_LIMIT: u32 = 1_000_000;

/// The SVG elements pm publishes: shapes, text, structure, paint servers,
/// clipping, masking, filters, links and styles. Not among them: `script`,
/// `foreignObject` (HTML inside the drawing), the animation elements
/// (`animate`, `set`, … can rewrite a link into script), `discard`, and the
/// media and frame elements.
pub const ELEMENTS: &[&str] = &[
    "a",
    "circle",
    "clipPath",
    "defs",
    "desc",
    "ellipse",
    "feBlend",
    "feColorMatrix",
    "feComponentTransfer",
    "feComposite",
    "feConvolveMatrix",
    "feDiffuseLighting",
    "feDisplacementMap",
    "feDistantLight",
    "feDropShadow",
    "feFlood",
    "feFuncA",
    "feFuncB",
    "feFuncG",
    "feFuncR",
    "feGaussianBlur",
    "feImage",
    "feMerge",
    "feMergeNode",
    "feMorphology",
    "feOffset",
    "fePointLight",
    "feSpecularLighting",
    "feSpotLight",
    "feTile",
    "feTurbulence",
    "filter",
    "g",
    "image",
    "line",
    "linearGradient",
    "marker",
    "mask",
    "metadata",
    "path",
    "pattern",
    "polygon",
    "polyline",
    "radialGradient",
    "rect",
    "stop",
    "style",
    "svg",
    "switch",
    "symbol",
    "text",
    "textPath",
    "title",
    "tspan",
    "use",
    "view",
];

/// The attributes (in no namespace) pm publishes, besides `aria-*`,
/// `data-*` and the checked `href`: geometry, presentation, paint servers,
/// filters, text layout and conditional processing. None of them runs
/// script or loads a document.
pub const ATTRIBUTES: &[&str] = &[
    "alignment-baseline",
    "amplitude",
    "azimuth",
    "baseFrequency",
    "baseProfile",
    "baseline-shift",
    "bias",
    "class",
    "clip",
    "clip-path",
    "clip-rule",
    "clipPathUnits",
    "color",
    "color-interpolation",
    "color-interpolation-filters",
    "color-profile",
    "color-rendering",
    "crossorigin",
    "cx",
    "cy",
    "d",
    "decoding",
    "diffuseConstant",
    "direction",
    "display",
    "divisor",
    "dominant-baseline",
    "dx",
    "dy",
    "edgeMode",
    "elevation",
    "enable-background",
    "exponent",
    "fill",
    "fill-opacity",
    "fill-rule",
    "filter",
    "filterUnits",
    "flood-color",
    "flood-opacity",
    "font",
    "font-family",
    "font-size",
    "font-size-adjust",
    "font-stretch",
    "font-style",
    "font-variant",
    "font-weight",
    "fr",
    "fx",
    "fy",
    "glyph-orientation-horizontal",
    "glyph-orientation-vertical",
    "gradientTransform",
    "gradientUnits",
    "height",
    "href",
    "hreflang",
    "id",
    "image-rendering",
    "in",
    "in2",
    "intercept",
    "k1",
    "k2",
    "k3",
    "k4",
    "kernelMatrix",
    "kernelUnitLength",
    "kerning",
    "lang",
    "lengthAdjust",
    "letter-spacing",
    "lighting-color",
    "limitingConeAngle",
    "marker",
    "marker-end",
    "marker-mid",
    "marker-start",
    "markerHeight",
    "markerUnits",
    "markerWidth",
    "mask",
    "mask-type",
    "maskContentUnits",
    "maskUnits",
    "media",
    "method",
    "mode",
    "numOctaves",
    "offset",
    "opacity",
    "operator",
    "order",
    "orient",
    "overflow",
    "paint-order",
    "path",
    "pathLength",
    "patternContentUnits",
    "patternTransform",
    "patternUnits",
    "pointer-events",
    "points",
    "pointsAtX",
    "pointsAtY",
    "pointsAtZ",
    "preserveAlpha",
    "preserveAspectRatio",
    "primitiveUnits",
    "r",
    "radius",
    "refX",
    "refY",
    "rel",
    "requiredExtensions",
    "requiredFeatures",
    "result",
    "role",
    "rotate",
    "rx",
    "ry",
    "scale",
    "seed",
    "shape-rendering",
    "side",
    "slope",
    "spacing",
    "specularConstant",
    "specularExponent",
    "spreadMethod",
    "startOffset",
    "stdDeviation",
    "stitchTiles",
    "stop-color",
    "stop-opacity",
    "stroke",
    "stroke-dasharray",
    "stroke-dashoffset",
    "stroke-linecap",
    "stroke-linejoin",
    "stroke-miterlimit",
    "stroke-opacity",
    "stroke-width",
    "style",
    "surfaceScale",
    "systemLanguage",
    "tabindex",
    "tableValues",
    "target",
    "targetX",
    "targetY",
    "text-anchor",
    "text-decoration",
    "text-overflow",
    "text-rendering",
    "textLength",
    "title",
    "transform",
    "transform-box",
    "transform-origin",
    "type",
    "unicode-bidi",
    "values",
    "vector-effect",
    "version",
    "viewBox",
    "visibility",
    "white-space",
    "width",
    "word-spacing",
    "writing-mode",
    "x",
    "x1",
    "x2",
    "xChannelSelector",
    "y",
    "y1",
    "y2",
    "yChannelSelector",
    "z",
    "zoomAndPan",
];

/// Why an SVG is not published: where (a byte offset in its text), what,
/// and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Byte offset of the construct in the source text.
    pub at: usize,
    /// What is wrong: lowercase, no trailing period.
    pub message: String,
    /// How to fix it.
    pub help: String,
}

const EXPORT_AGAIN: &str = "export the drawing again as a plain, static SVG (most tools have such an option: no scripts, animation, interactivity or embedded HTML), or attach it as PNG";

impl Problem {
    fn new(at: usize, message: String) -> Self {
        Problem {
            at,
            message,
            help: EXPORT_AGAIN.to_owned(),
        }
    }
}

/// The clean copy of an SVG drawing that pm publishes, or the first reason
/// (in document order) it cannot publish it.
pub fn clean(text: &str) -> Result<String, Problem> {
    let doc = parse(text)?;
    let root = doc.root_element();
    if root.tag_name().namespace() != Some(SVG_NS) || root.tag_name().name() != "svg" {
        return Err(Problem {
            at: root.range().start,
            message: format!(
                "the file's root element is `<{}>`, not an SVG drawing's `<svg>`",
                qualified(root)
            ),
            help: format!(
                "an SVG drawing starts with `<svg xmlns=\"{SVG_NS}\">`: export it again, or attach it as PNG"
            ),
        });
    }
    let xlink = doc
        .descendants()
        .any(|n| n.attributes().any(|a| a.namespace() == Some(XLINK_NS)));
    let mut out = String::with_capacity(text.len());
    // Each entry: a node to write, or an element to close with where its
    // children start (none written: the element closes itself).
    let mut stack: Vec<(Node<'_, '_>, Option<usize>)> = vec![(root, None)];
    while let Some((node, close)) = stack.pop() {
        if let Some(children) = close {
            if out.len() == children {
                out.pop();
                out.push_str("/>");
            } else {
                let _ = write!(out, "</{}>", node.tag_name().name());
            }
            continue;
        }
        if node.is_text() {
            escape_into(&mut out, node.text().unwrap_or_default(), Escape::XmlText);
            continue;
        }
        if !node.is_element() || !kept(node)? {
            continue;
        }
        let name = node.tag_name().name();
        let _ = write!(out, "<{name}");
        if node == root {
            let _ = write!(out, " xmlns=\"{SVG_NS}\"");
            if xlink {
                let _ = write!(out, " xmlns:xlink=\"{XLINK_NS}\"");
            }
        }
        write_attributes(&mut out, node)?;
        out.push('>');
        stack.push((node, Some(out.len())));
        stack.extend(node.children().rev().map(|child| (child, None)));
    }
    out.push('\n');
    Ok(out)
}

/// Parses the drawing. A DOCTYPE line naming the SVG DTD (as some
/// exporters write) is accepted; an internal subset (`[ … ]`, where
/// entities are declared) is refused before anything is expanded.
fn parse(text: &str) -> Result<Document<'_>, Problem> {
    let options = |allow_dtd| ParsingOptions {
        allow_dtd,
        nodes_limit: NODES_LIMIT,
        ..ParsingOptions::default()
    };
    let not_xml = |e: roxmltree::Error| {
        let pos = e.pos();
        Problem {
            at: offset_of(text, pos.row, pos.col),
            message: format!("this SVG is not well-formed XML: {e}"),
            help: "a browser would show an error instead of the drawing: export it again, or attach it as PNG".to_owned(),
        }
    };
    match Document::parse_with_options(text, options(false)) {
        Err(roxmltree::Error::DtdDetected) => {}
        parsed => return parsed.map_err(not_xml),
    }
    if let Some(at) = internal_subset(text) {
        return Err(Problem {
            at,
            message: "the file declares entities or other definitions in its DOCTYPE (`<!DOCTYPE svg [ … ]>`), which can build markup out of text".to_owned(),
            help: "export the drawing again without an internal DTD subset (a plain `<!DOCTYPE svg PUBLIC …>` line is fine), or attach it as PNG".to_owned(),
        });
    }
    Document::parse_with_options(text, options(true)).map_err(not_xml)
}

/// Where a DOCTYPE's internal subset opens: the first `[` after a
/// `<!DOCTYPE` and before the `>` that closes it, outside quoted
/// identifiers. Every `<!DOCTYPE` in the text is looked at (one inside a
/// comment too), so the answer errs towards refusing.
fn internal_subset(text: &str) -> Option<usize> {
    text.match_indices("<!DOCTYPE").find_map(|(start, _)| {
        let mut quote = None;
        for (i, c) in text[start..].char_indices() {
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '"' | '\'') => quote = Some(c),
                (None, '[') => return Some(start + i),
                (None, '>') => return None,
                (None, _) => {}
            }
        }
        None
    })
}

/// Whether an element is written (`false`: left out with what it holds);
/// an error for one that would run or load a document.
fn kept(node: Node<'_, '_>) -> Result<bool, Problem> {
    let at = node.range().start;
    let name = node.tag_name().name();
    match node.tag_name().namespace() {
        Some(SVG_NS) if ELEMENTS.contains(&name) => Ok(true),
        Some(SVG_NS) => Err(Problem::new(
            at,
            match name {
                "script" => "the drawing contains a `<script>` element, which runs when the SVG is opened".to_owned(),
                "foreignObject" => "the drawing contains a `<foreignObject>`, HTML inside the drawing that can run script".to_owned(),
                "animate" | "animateMotion" | "animateTransform" | "set" | "discard" => format!(
                    "the drawing contains an animation element `<{name}>`, which can change a link into script"
                ),
                _ => format!("the drawing contains `<{name}>`, which is not among the SVG elements pm publishes"),
            },
        )),
        Some(XHTML_NS) | Some(MATHML_NS) => Err(Problem::new(
            at,
            format!(
                "the drawing contains `<{}>`, an HTML or MathML element that can run script",
                qualified(node)
            ),
        )),
        // Other namespaces (editor metadata, RDF) and none: browsers draw
        // nothing of them, so they are left out.
        _ => Ok(false),
    }
}

/// Writes an element's publishable attributes; an error for an event
/// handler or a link to script.
fn write_attributes(out: &mut String, node: Node<'_, '_>) -> Result<(), Problem> {
    for attr in node.attributes() {
        let name = attr.name();
        let prefix = match attr.namespace() {
            None => {
                if name.len() > 2 && name[..2].eq_ignore_ascii_case("on") {
                    return Err(Problem::new(
                        attr.range().start,
                        format!(
                            "`{name}` is an event handler attribute, which runs script when the SVG is opened or used"
                        ),
                    ));
                }
                let listed = ATTRIBUTES.contains(&name)
                    || name.starts_with("aria-")
                    || name.starts_with("data-");
                if !listed {
                    continue;
                }
                ""
            }
            Some(XLINK_NS) if matches!(name, "href" | "title") => "xlink:",
            Some(XML_NS) if matches!(name, "space" | "lang") => "xml:",
            Some(_) => continue,
        };
        if name == "href" && !safe_link(attr.value()) {
            return Err(Problem::new(
                attr.range().start,
                format!(
                    "`{prefix}{name}` links to `{}`, a kind of address that can run script",
                    scheme(&normalized(attr.value())).unwrap_or_default()
                ),
            ));
        }
        let _ = write!(out, " {prefix}{name}=\"");
        escape_into(out, attr.value(), Escape::XmlAttribute);
        out.push('"');
    }
    Ok(())
}

/// A URL as a browser reads it: without leading and trailing spaces and
/// control characters, and without tabs and newlines anywhere.
fn normalized(url: &str) -> String {
    url.trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect()
}

/// The lowercase scheme of a normalised URL; `None` for a relative one.
fn scheme(url: &str) -> Option<String> {
    let (head, _) = url.split_once(':')?;
    let mut chars = head.chars();
    let first = chars.next()?;
    (first.is_ascii_alphabetic()
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
    .then(|| head.to_ascii_lowercase())
}

/// Whether a link in a drawing may be published: a fragment or relative
/// path, `http(s)`, `mailto`, or a raster image as a `data:` URL.
fn safe_link(url: &str) -> bool {
    let url = normalized(url);
    match scheme(&url).as_deref() {
        None | Some("http" | "https" | "mailto") => true,
        Some("data") => {
            let media = url["data:".len()..]
                .split([';', ','])
                .next()
                .unwrap_or_default()
                .trim()
                .to_ascii_lowercase();
            matches!(
                media.as_str(),
                "image/png" | "image/jpeg" | "image/gif" | "image/webp" | "image/avif"
            )
        }
        Some(_) => false,
    }
}

/// `prefix:name` as the author wrote it, for messages.
fn qualified(node: Node<'_, '_>) -> String {
    let name = node.tag_name().name();
    match node
        .tag_name()
        .namespace()
        .and_then(|ns| node.lookup_prefix(ns))
    {
        Some(prefix) if !prefix.is_empty() => format!("{prefix}:{name}"),
        _ => name.to_owned(),
    }
}

/// The byte offset of a 1-based row and character column.
fn offset_of(text: &str, row: u32, col: u32) -> usize {
    let line_start = if row <= 1 {
        0
    } else {
        memchr::memchr_iter(b'\n', text.as_bytes())
            .nth(row as usize - 2)
            .map_or(text.len(), |i| i + 1)
    };
    text[line_start..]
        .char_indices()
        .nth(col.saturating_sub(1) as usize)
        .map_or(text.len(), |(i, _)| line_start + i)
}

#[cfg(test)]
mod tests {
    use super::*;

    const NS: &str = "xmlns=\"http://www.w3.org/2000/svg\"";

    fn refused(svg: &str) -> Problem {
        match clean(svg) {
            Ok(out) => panic!("published:\n{svg}\nas:\n{out}"),
            Err(p) => p,
        }
    }

    /// The published copy, parsed again, holds nothing that runs: every
    /// element is a listed SVG element, no attribute is a handler, every
    /// link is safe, and there is no DOCTYPE, comment or instruction.
    fn assert_inert(out: &str) {
        let doc = match Document::parse(out) {
            Ok(doc) => doc,
            Err(e) => panic!("the clean copy is not XML ({e}):\n{out}"),
        };
        for node in doc.descendants() {
            assert!(!node.is_pi() && !node.is_comment(), "{out}");
            if node.is_element() {
                assert_eq!(node.tag_name().namespace(), Some(SVG_NS), "{out}");
                assert!(ELEMENTS.contains(&node.tag_name().name()), "{out}");
                for a in node.attributes() {
                    assert!(!a.name().to_ascii_lowercase().starts_with("on"), "{out}");
                    if a.name() == "href" {
                        assert!(safe_link(a.value()), "{out}");
                    }
                }
            }
        }
        assert_eq!(clean(out).as_deref(), Ok(out), "cleaning is not idempotent");
    }

    #[test]
    fn the_review_bypasses_of_the_text_filter_are_refused() {
        // The four shapes issue 16 found passing the old text filter.
        for (svg, needle) in [
            (format!("<svg {NS} onload\n=\"alert(1)\"/>"), "onload"),
            (format!("<svg {NS} onload  =  'alert(1)'/>"), "onload"),
            (
                format!("<svg {NS}><rect title=\"a>b\" onclick=\"alert(1)\"/></svg>"),
                "onclick",
            ),
            (
                format!(
                    "<svg {NS} xmlns:s=\"http://www.w3.org/2000/svg\"><s:script>alert(1)</s:script></svg>"
                ),
                "<script>",
            ),
            (
                format!(
                    "<!DOCTYPE svg [<!ENTITY x \"&#60;script&#62;alert(1)&#60;/script&#62;\">]><svg {NS}>&x;</svg>"
                ),
                "DOCTYPE",
            ),
        ] {
            let p = refused(&svg);
            assert!(p.message.contains(needle), "{svg}: {}", p.message);
        }
    }

    #[test]
    fn every_way_to_run_script_is_refused_at_its_place() {
        for (svg, at) in [
            (format!("<svg {NS}><script>x()</script></svg>"), "<script"),
            (
                format!("<svg {NS}><foreignObject><div/></foreignObject></svg>"),
                "<foreignObject",
            ),
            (
                format!("<svg {NS}><a href=\"&#x6A;avascript:x()\"><text>a</text></a></svg>"),
                "href",
            ),
            (
                format!("<svg {NS}><a href=\" java&#10;script:x()\">a</a></svg>"),
                "href",
            ),
            (
                format!(
                    "<svg {NS} xmlns:xlink=\"http://www.w3.org/1999/xlink\"><a xlink:href=\"JAVASCRIPT:x()\">a</a></svg>"
                ),
                "xlink:href",
            ),
            (
                format!("<svg {NS}><image href=\"data:image/svg+xml,&lt;svg/&gt;\"/></svg>"),
                "href",
            ),
            (
                format!("<svg {NS}><use href=\"data:text/html,x\"/></svg>"),
                "href",
            ),
            (
                format!(
                    "<svg {NS}><a href=\"#x\"><set attributeName=\"href\" to=\"javascript:x()\"/></a></svg>"
                ),
                "<set",
            ),
            (
                format!(
                    "<svg {NS}><animate attributeName=\"href\" values=\"javascript:x()\"/></svg>"
                ),
                "<animate",
            ),
            (
                format!(
                    "<svg {NS} xmlns:h=\"http://www.w3.org/1999/xhtml\"><h:script>x()</h:script></svg>"
                ),
                "<h:script",
            ),
            (
                format!(
                    "<svg {NS}><g><iframe xmlns=\"http://www.w3.org/1999/xhtml\" src=\"x\"/></g></svg>"
                ),
                "<iframe",
            ),
            (
                format!("<svg {NS}><rect OnClick=\"x()\"/></svg>"),
                "OnClick",
            ),
            (
                format!("<svg {NS}><handler>x()</handler></svg>"),
                "<handler",
            ),
        ] {
            let p = refused(&svg);
            let expected = svg.find(at).unwrap_or(usize::MAX);
            assert_eq!(p.at, expected, "{svg}: {}", p.message);
            assert!(!p.help.is_empty());
        }
    }

    #[test]
    fn files_that_are_not_svg_drawings_are_refused() {
        assert!(
            refused("<svg><rect/></svg>")
                .message
                .contains("root element")
        );
        assert!(
            refused("<html xmlns=\"http://www.w3.org/1999/xhtml\"><script>x()</script></html>")
                .message
                .contains("`<html>`")
        );
        let p = refused(&format!("<svg {NS}>\n  <rect></g>\n</svg>"));
        assert!(p.message.contains("not well-formed"), "{}", p.message);
        assert_eq!(
            p.at,
            "<svg xmlns=\"http://www.w3.org/2000/svg\">\n  <rect>".len()
        );
        assert!(refused("").message.contains("not well-formed"));
    }

    #[test]
    fn entity_declarations_are_refused() {
        let mut dtd = String::from("<!DOCTYPE svg [<!ENTITY a0 \"lol\">");
        for i in 1..10 {
            let prev = format!("&a{};", i - 1);
            let _ = write!(dtd, "<!ENTITY a{i} \"{}\">", prev.repeat(10));
        }
        dtd.push_str("]>");
        let p = refused(&format!("{dtd}<svg {NS}><text>&a9;</text></svg>"));
        assert!(p.message.contains("DOCTYPE"), "{}", p.message);
    }

    #[test]
    fn a_deeply_nested_drawing_does_not_overflow_the_stack() {
        let depth = 100_000;
        let svg = format!(
            "<svg {NS}>{}{}</svg>",
            "<g>".repeat(depth),
            "</g>".repeat(depth)
        );
        let out = std::thread::Builder::new()
            .stack_size(256 * 1024)
            .spawn(move || clean(&svg).map(|o| o.len()))
            .map(|h| h.join());
        assert!(matches!(out, Ok(Ok(Ok(_)))), "{out:?}");
    }

    #[test]
    fn a_real_exported_graph_keeps_its_drawing_and_loses_its_metadata() {
        // The shape of a matplotlib export, with Inkscape's attributes added.
        let svg = r##"<?xml version="1.0" encoding="utf-8" standalone="no"?>
<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN"
  "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">
<?xml-stylesheet href="evil.xsl" type="text/xsl"?>
<svg xmlns:xlink="http://www.w3.org/1999/xlink" width="460.8pt" height="345.6pt" viewBox="0 0 460.8 345.6" xmlns="http://www.w3.org/2000/svg" version="1.1" xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape" inkscape:version="1.3">
 <metadata>
  <rdf:RDF xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:cc="http://creativecommons.org/ns#" xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
   <cc:Work><dc:title>p99 latency</dc:title></cc:Work>
  </rdf:RDF>
 </metadata>
 <defs>
  <style type="text/css">*{stroke-linejoin: round; stroke-linecap: butt} g > path {fill: none}</style>
  <path id="m1" d="M 0 0 L 0 3.5" style="stroke: #000000; stroke-width: 0.8"/>
  <clipPath id="p1"><rect x="57.6" y="41.47" width="357.12" height="266.11"/></clipPath>
 </defs>
 <g id="figure_1" inkscape:label="figure">
  <!-- the axes -->
  <use xlink:href="#m1" x="73.83" y="307.58" style="stroke: #000000"/>
  <text x="10" y="20" aria-label="p99 &amp; p50">p99 &lt; 500 ms &#x2014; “ok”</text>
  <a href="https://grafana.example.com/d/abc?x=1&amp;y=2"><path d="M 73 190 L 90 180" clip-path="url(#p1)" data-series="p99"/></a>
  <image href="data:image/png;base64,iVBORw0KGgo=" width="1" height="1"/>
 </g>
</svg>
"##;
        let out = match clean(svg) {
            Ok(out) => out,
            Err(p) => panic!("{p:?}"),
        };
        assert_inert(&out);
        for kept in [
            "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" width=\"460.8pt\"",
            "<style type=\"text/css\">*{stroke-linejoin: round; stroke-linecap: butt} g &gt; path {fill: none}</style>",
            "<use xlink:href=\"#m1\" x=\"73.83\"",
            "<text x=\"10\" y=\"20\" aria-label=\"p99 &amp; p50\">p99 &lt; 500 ms \u{2014} “ok”</text>",
            "href=\"https://grafana.example.com/d/abc?x=1&amp;y=2\"",
            "data-series=\"p99\"",
            "<metadata>",
        ] {
            assert!(out.contains(kept), "lost {kept}:\n{out}");
        }
        for lost in [
            "DOCTYPE",
            "xml-stylesheet",
            "inkscape",
            "rdf",
            "p99 latency",
            "the axes",
        ] {
            assert!(!out.contains(lost), "kept {lost}:\n{out}");
        }
    }

    #[test]
    fn values_keep_their_meaning_through_escaping() {
        let svg = format!(
            "<svg {NS}><text title=\"a&#10;b&#9;&quot;c&quot;\">&lt;script&gt;x()&lt;/script&gt;</text><style><![CDATA[a>b{{}}]]></style></svg>"
        );
        let out = match clean(&svg) {
            Ok(out) => out,
            Err(p) => panic!("{p:?}"),
        };
        assert_inert(&out);
        assert!(out.contains("title=\"a&#10;b&#9;&quot;c&quot;\""), "{out}");
        assert!(out.contains("&lt;script&gt;x()&lt;/script&gt;"), "{out}");
        assert!(out.contains("<style>a&gt;b{}</style>"), "{out}");
    }

    #[test]
    fn only_a_doctype_with_an_internal_subset_is_refused() {
        let plain = "<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" \"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd\">";
        assert_eq!(internal_subset(plain), None);
        assert_eq!(internal_subset("<!DOCTYPE svg SYSTEM \"a[b\">"), None);
        assert_eq!(
            internal_subset("<!DOCTYPE svg [<!ENTITY x \"y\">]>"),
            Some(14)
        );
        assert_eq!(
            internal_subset("<!-- <!DOCTYPE x> --><!DOCTYPE svg [ ]>"),
            Some(35)
        );
        assert!(clean(&format!("{plain}<svg {NS}/>")).is_ok());
        let p = refused(&format!("<!DOCTYPE svg [ ]><svg {NS}/>"));
        assert_eq!(p.at, 14);
    }

    #[test]
    fn offsets_count_characters_on_their_row() {
        assert_eq!(offset_of("ab\ncdé f", 2, 4), "ab\ncdé".len());
        assert_eq!(offset_of("ab", 1, 1), 0);
        assert_eq!(offset_of("ab", 9, 9), 2);
    }

    #[test]
    fn random_drawings_are_refused_or_published_inert() {
        // Pieces of drawings and of attacks, joined at random (a fixed
        // sequence, so the test is the same on every run).
        const PIECES: &[&str] = &[
            "<g>",
            "</g>",
            "<rect width='1'/>",
            "<a href='javascript:x()'>",
            "<a href='#a'>",
            "</a>",
            "<script>x()</script>",
            "<text>on<tspan>load</tspan></text>",
            " onload='x()'",
            "<s:script xmlns:s='http://www.w3.org/2000/svg'/>",
            "<foreignObject/>",
            "<!-- <script> -->",
            "<![CDATA[<script>]]>",
            "&lt;script&gt;",
            "<style>a{}</style>",
            "<h:p xmlns:h='http://www.w3.org/1999/xhtml'/>",
            "<x:y xmlns:x='urn:x' onload='x()'><script/></x:y>",
            "<image href='data:image/png;base64,AA'/>",
            "<use href=' data:text/html,x'/>",
            "<?pi x?>",
        ];
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let (mut published, mut refused) = (0, 0);
        for _ in 0..5_000 {
            let mut svg = format!("<svg {NS}>");
            for _ in 0..(next() % 8) {
                svg.push_str(PIECES[(next() % PIECES.len() as u64) as usize]);
            }
            svg.push_str("</svg>");
            match clean(&svg) {
                Ok(out) => {
                    assert_inert(&out);
                    published += 1;
                }
                Err(p) => {
                    assert!(p.at <= svg.len());
                    refused += 1;
                }
            }
        }
        assert!(published > 500 && refused > 500, "{published} / {refused}");
    }
}
