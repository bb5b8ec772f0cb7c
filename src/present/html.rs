//! The web pages, rendered from [`super::web`]'s result types: search (query box,
//! ranked hits with their matches marked, entity facets, the spellings a mentions
//! search matched), entity (spellings, a chart over dates, the names seen with it) and
//! article (the whole text, names marked by type, an anchor per passage).
//!
//! Search works with no JavaScript at all (a GET form, links for facets and paging);
//! `assets/app.js` only adds keyboard focus and submit-on-change; the stylesheet and
//! script are compiled into the binary. Building HTML safely: every piece of text goes
//! through [`text`] or [`attr`], every value put in a URL through [`url_part`], and
//! marked-up passages through [`marked`] or [`wrapped`], which escape the text between
//! and inside the marks; nothing else writes text into a page. Addresses carry article
//! ids, percent-encoded, never file paths to open.
//!
//! May import: the result types of `search`; `entities` (kinds); [`super::web`].

use std::borrow::Cow;
use std::fmt::Write as _;

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

use super::web::{ArticleResult, Facets, Filters, MentionsResult, SearchResult};
use crate::compare::diff::{Place, QuoteChange, QuotePlace, Side};
use crate::compare::versions::Member;
use crate::compare::{Comparison, Summary as CompareSummary};
use crate::entities::EntityKind;
use crate::search::article::entity_spans;
use crate::search::entities::EntityCount;
use crate::search::Hit;

/// Characters escaped in a URL component: all but RFC 3986's unreserved ones.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Text for an element's content.
pub fn text(s: &str) -> Cow<'_, str> {
    html_escape::encode_text(s)
}

/// Text for a double-quoted attribute value.
pub fn attr(s: &str) -> Cow<'_, str> {
    html_escape::encode_double_quoted_attribute(s)
}

/// A value percent-encoded for a path segment or query string.
pub fn url_part(s: &str) -> String {
    utf8_percent_encode(s, COMPONENT).to_string()
}

/// A query string from pairs (`?a=1&b=x%20y`), already fit for an `href` attribute
/// once passed through [`attr`].
pub fn query_string<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    let mut out = String::new();
    for (k, v) in pairs {
        out.push(if out.is_empty() { '?' } else { '&' });
        let _ = write!(out, "{}={}", url_part(k), url_part(v));
    }
    out
}

/// One span of a passage to wrap: `open` and `close` are trusted markup.
pub struct Wrap {
    pub start: usize,
    pub end: usize,
    pub open: String,
    pub close: &'static str,
}

/// `text` escaped, with each span wrapped in its markup; spans that overlap an
/// earlier one, run past the end or split a character are left unwrapped.
pub fn wrapped(s: &str, spans: &[Wrap]) -> String {
    let mut out = String::with_capacity(s.len() + spans.len() * 32);
    let mut at = 0;
    for w in spans {
        if w.start < at
            || w.end > s.len()
            || w.start >= w.end
            || !s.is_char_boundary(w.start)
            || !s.is_char_boundary(w.end)
        {
            continue;
        }
        out.push_str(&text(&s[at..w.start]));
        out.push_str(&w.open);
        out.push_str(&text(&s[w.start..w.end]));
        out.push_str(w.close);
        at = w.end;
    }
    out.push_str(&text(&s[at..]));
    out
}

/// A passage with its highlights in `<mark>`.
pub fn marked(s: &str, spans: &[[usize; 2]]) -> String {
    let wraps: Vec<Wrap> = spans
        .iter()
        .map(|&[start, end]| Wrap {
            start,
            end,
            open: "<mark>".to_string(),
            close: "</mark>",
        })
        .collect();
    wrapped(s, &wraps)
}

/// The stylesheet, served at `/static/style.css`.
pub const STYLE: &str = include_str!("assets/style.css");
/// The script, served at `/static/app.js`.
pub const SCRIPT: &str = include_str!("assets/app.js");

/// What the query box holds on a page.
#[derive(Default)]
struct QueryBox<'a> {
    q: &'a str,
    mentions: bool,
}

fn kind_label(kind: EntityKind) -> &'static str {
    match kind {
        EntityKind::Person => "People",
        EntityKind::Place => "Places",
        EntityKind::Org => "Organisations",
    }
}

/// The whole page around `body`.
fn layout(title: &str, qbox: &QueryBox, body: &str) -> String {
    let sel = |on: bool| if on { " selected" } else { "" };
    format!(
        r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} · newsdex</title>
<link rel="stylesheet" href="/static/style.css">
<script src="/static/app.js" defer></script>
</head>
<body>
<header class="top">
<a class="brand" href="/">newsdex</a>
<form class="search" action="/" method="get" role="search">
<input type="search" name="q" value="{q}" placeholder="&quot;Lashkar-e-Taiba&quot; attack" aria-label="Query">
<select name="mode" aria-label="Kind of search">
<option value="search"{ranked}>Ranked passages</option>
<option value="mentions"{every}>Every mention of a name</option>
</select>
<button type="submit">Search</button>
</form>
</header>
<main>
{body}
</main>
<footer>newsdex {version} · read-only · <a href="/api/entities?limit=50">JSON API</a></footer>
</body>
</html>
"#,
        title = text(title),
        q = attr(qbox.q),
        ranked = sel(!qbox.mentions),
        every = sel(qbox.mentions),
        version = env!("CARGO_PKG_VERSION"),
    )
}

const SYNTAX_HELP: &str = r#"<details class="help" open><summary>How to write a query</summary>
<dl>
<dt><code>strikes Iran</code></dt><dd>passages with all the words (case and accents do not matter; <i>strike</i> and <i>strikes</i> are different words)</dd>
<dt><code>"Lashkar-e-Taiba"</code></dt><dd>the exact phrase</dd>
<dt><code>Iran OR Pakistan</code>, <code>-Davos</code>, <code>( … )</code></dt><dd>either word, without a word, grouping</dd>
<dt><code>person:"Ali Vaez"</code>, <code>place:Iran</code>, <code>org:"Crisis Group"</code></dt><dd>passages naming that entity, in any spelling (Vaez, Fayez, Faiz)</dd>
<dt><code>person:*</code></dt><dd>passages naming any person</dd>
<dt><code>title:strikes</code>, <code>source:Reuters</code>, <code>date:2024-01-18</code></dt><dd>a word of the title, or the article's source or date as written</dd>
</dl>
<p><b>Every mention of a name</b> lists all passages that name someone or something, in every spelling the archive uses, in archive order — not only the best-ranked.</p>
</details>"#;

/// A link to the entity page of `name`.
fn entity_link(kind: Option<EntityKind>, name: &str, class: &str, label: &str) -> String {
    let mut pairs = vec![("name", name)];
    if let Some(k) = kind {
        pairs.push(("type", k.field_name()));
    }
    format!(
        r#"<a class="{class}" href="/entity{}">{}</a>"#,
        attr(&query_string(pairs)),
        text(label)
    )
}

/// The article address of a hit, at its passage.
fn hit_href(hit: &Hit) -> String {
    format!("/article/{}#p{}", url_part(&hit.article), hit.passage)
}

/// One hit in a result list.
fn hit_item(out: &mut String, hit: &Hit) {
    let title = if hit.title.trim().is_empty() {
        hit.article.as_str()
    } else {
        hit.title.as_str()
    };
    let _ = write!(
        out,
        r#"<li class="hit"><h3><a class="title" href="{href}">{title}</a></h3><p class="meta">{path} ¶{n}"#,
        href = attr(&hit_href(hit)),
        title = text(title),
        path = text(&hit.article),
        n = hit.passage,
    );
    for v in [&hit.date, &hit.source].into_iter().flatten() {
        let _ = write!(out, " · {}", text(v));
    }
    if let Some(score) = hit.score {
        let _ = write!(out, r#" · <span class="score">{score:.2}</span>"#);
    }
    let _ = write!(
        out,
        r#"</p><p class="text">{}</p>"#,
        marked(&hit.text, &hit.highlights)
    );
    let mut ents = String::new();
    for (kind, names) in [
        (EntityKind::Person, &hit.person),
        (EntityKind::Place, &hit.place),
        (EntityKind::Org, &hit.org),
    ] {
        for n in names {
            let class = format!("ent {}", kind.field_name());
            ents.push_str(&entity_link(Some(kind), n, &class, n));
            ents.push(' ');
        }
    }
    if !ents.is_empty() {
        let _ = write!(out, r#"<p class="ents">{}</p>"#, ents.trim_end());
    }
    out.push_str("</li>\n");
}

fn hit_list(out: &mut String, hits: &[Hit], offset: usize) {
    let _ = writeln!(out, r#"<ol class="hits" start="{}">"#, offset + 1);
    for hit in hits {
        hit_item(out, hit);
    }
    out.push_str("</ol>\n");
}

/// Previous / next links; `base` are the pairs every link keeps.
fn pager(
    out: &mut String,
    path: &str,
    base: &[(&str, &str)],
    offset: usize,
    limit: usize,
    more: bool,
) {
    if offset == 0 && !more {
        return;
    }
    out.push_str(r#"<nav class="pager">"#);
    let link = |at: usize, label: &str| {
        let at = at.to_string();
        let mut pairs = base.to_vec();
        if at != "0" {
            pairs.push(("offset", &at));
        }
        format!(
            r#"<a href="{path}{}">{label}</a> "#,
            attr(&query_string(pairs))
        )
    };
    if offset > 0 {
        out.push_str(&link(offset.saturating_sub(limit), "← previous"));
    }
    if more {
        out.push_str(&link(offset + limit, "next →"));
    }
    out.push_str("</nav>\n");
}

/// The facet column; `href` makes the link of a value, `is_on` says whether it filters now.
fn facet_column(
    out: &mut String,
    facets: &Facets,
    href: &dyn Fn(EntityKind, &str) -> String,
    is_on: &dyn Fn(EntityKind, &str) -> bool,
) {
    out.push_str(r#"<aside class="facets">"#);
    for kind in EntityKind::ALL {
        let values = facets.of(kind);
        if values.is_empty() {
            continue;
        }
        let _ = write!(out, "<h2>{}</h2><ul>", kind_label(kind));
        for f in values {
            let _ = write!(
                out,
                r#"<li><a class="facet {kind}{on}" href="{href}">{name}</a> <span class="count">{n}</span></li>"#,
                kind = kind.field_name(),
                on = if is_on(kind, &f.name) { " on" } else { "" },
                href = attr(&href(kind, &f.name)),
                name = text(&f.name),
                n = f.passages,
            );
        }
        out.push_str("</ul>");
    }
    out.push_str("</aside>\n");
}

/// What the search page shows under the query box.
pub enum SearchView<'a> {
    /// No query yet: the most named entities (or why they cannot be listed) and the syntax.
    Start(Result<&'a [EntityCount], &'a str>),
    /// A page of ranked hits.
    Ranked(&'a SearchResult),
    /// A page of a name's mentions.
    Mentions(&'a MentionsResult),
    /// The query could not run: the parser's message, and the syntax.
    Error(&'a str),
}

/// The search page (`/`) for the query `q`, in mentions mode or not.
pub fn search_page(q: &str, mentions: bool, view: SearchView) -> String {
    let body = match view {
        SearchView::Start(most) => start_body(most),
        SearchView::Ranked(r) => search_body(r),
        SearchView::Mentions(m) => mentions_body(m),
        SearchView::Error(message) => {
            format!(r#"<p class="error">{}</p>{SYNTAX_HELP}"#, text(message))
        }
    };
    let title = if q.is_empty() { "Search" } else { q };
    layout(title, &QueryBox { q, mentions }, &body)
}

/// The start page: the most named people, places and organisations, and the query syntax.
fn start_body(most: Result<&[EntityCount], &str>) -> String {
    let mut out = String::from(r#"<section class="intro">"#);
    match most {
        Ok(all) => {
            out.push_str(r#"<div class="most">"#);
            for kind in EntityKind::ALL {
                let _ = write!(out, "<div><h2>Most named: {}</h2><ul>", kind_label(kind));
                for e in all.iter().filter(|e| e.kind == kind.field_name()).take(10) {
                    let _ = write!(
                        out,
                        r#"<li>{} <span class="count">{}</span></li>"#,
                        entity_link(Some(kind), &e.name, &format!("facet {}", e.kind), &e.name),
                        e.passages
                    );
                }
                out.push_str("</ul></div>");
            }
            out.push_str("</div>");
        }
        Err(message) => {
            let _ = write!(out, r#"<p class="error">{}</p>"#, text(message));
        }
    }
    out.push_str(SYNTAX_HELP);
    out.push_str("</section>");
    out
}

fn search_body(r: &SearchResult) -> String {
    let q = r.query.as_deref().unwrap_or("");
    let mut base: Vec<(&str, &str)> = Vec::new();
    if !q.is_empty() {
        base.push(("q", q));
    }
    let pairs = r.filters.pairs();
    for (k, n) in &pairs {
        base.push((k.field_name(), n));
    }
    let mut out = String::from(r#"<div class="results-layout">"#);
    let is_on = |kind: EntityKind, name: &str| r.filters.of(kind).iter().any(|n| n == name);
    // a click adds the value as a filter, or takes it off when it is one already
    let href = |kind: EntityKind, name: &str| {
        let mut p: Vec<(&str, &str)> = base
            .iter()
            .copied()
            .filter(|&(k, v)| !(k == kind.field_name() && v == name))
            .collect();
        if !is_on(kind, name) {
            p.push((kind.field_name(), name));
        }
        format!("/{}", query_string(p))
    };
    facet_column(&mut out, &r.facets, &href, &is_on);
    out.push_str(r#"<section class="results">"#);
    active_filters(&mut out, q, &r.filters);
    if r.hits.is_empty() {
        out.push_str(r#"<p class="summary">No passage matches.</p>"#);
    } else {
        // filters alone do not rank (search::with_filters): the hits are in index order
        let order = if q.is_empty() {
            "in index order"
        } else {
            "best first"
        };
        let _ = write!(
            out,
            r#"<p class="summary">Passages {}–{}, {order}{}.</p>"#,
            r.offset + 1,
            r.offset + r.hits.len(),
            if r.more { "" } else { " (all)" }
        );
    }
    hit_list(&mut out, &r.hits, r.offset);
    pager(&mut out, "/", &base, r.offset, r.limit, r.more);
    let _ = write!(
        out,
        r#"<p class="json"><a href="/api/search{}">as JSON</a></p>"#,
        attr(&query_string(base.iter().copied()))
    );
    out.push_str("</section></div>\n");
    out.push_str(SYNTAX_HELP);
    out
}

/// The filters in force, each with a link that removes it.
fn active_filters(out: &mut String, q: &str, filters: &Filters) {
    let pairs = filters.pairs();
    if pairs.is_empty() {
        return;
    }
    out.push_str(r#"<p class="filters">Filtered to "#);
    for (i, (kind, name)) in pairs.iter().enumerate() {
        let mut keep: Vec<(&str, &str)> = Vec::new();
        if !q.is_empty() {
            keep.push(("q", q));
        }
        for (j, (k, n)) in pairs.iter().enumerate() {
            if j != i {
                keep.push((k.field_name(), n));
            }
        }
        let _ = write!(
            out,
            r#"<a class="chip {k}" href="/{href}" title="remove this filter">{k}: {name} ✕</a> "#,
            k = kind.field_name(),
            href = attr(&query_string(keep)),
            name = text(name),
        );
    }
    out.push_str("</p>");
}

fn spellings_line(out: &mut String, m: &MentionsResult) {
    let _ = write!(
        out,
        r#"<p class="summary">{} passages in {} articles mention <b>{}</b>"#,
        m.passages,
        m.articles,
        text(&m.name)
    );
    if !m.spellings.is_empty() {
        out.push_str(r#"; spellings: <span class="spellings">"#);
        for s in &m.spellings {
            let _ = write!(
                out,
                r#"<span class="spelling">{} <span class="count">{}</span></span> "#,
                text(&s.spelling),
                s.passages
            );
        }
        out.push_str("</span>");
    }
    out.push_str("</p>\n");
}

fn mentions_body(m: &MentionsResult) -> String {
    let mut out = String::from(r#"<div class="results-layout">"#);
    let href = |kind: EntityKind, name: &str| {
        format!(
            "/entity{}",
            query_string([("name", name), ("type", kind.field_name())])
        )
    };
    facet_column(&mut out, &m.facets, &href, &|_, _| false);
    out.push_str(r#"<section class="results">"#);
    spellings_line(&mut out, m);
    let _ = write!(
        out,
        r#"<p class="see">{}</p>"#,
        entity_link(
            None,
            &m.name,
            "",
            "Entity page: spellings over time, names seen with it"
        )
    );
    hit_list(&mut out, &m.hits, m.offset);
    let exact = if m.exact { "1" } else { "" };
    let mut base = vec![("q", m.name.as_str()), ("mode", "mentions")];
    if m.exact {
        base.push(("exact", exact));
    }
    let more = m.offset + m.hits.len() < m.passages;
    pager(&mut out, "/", &base, m.offset, m.limit, more);
    let _ = write!(
        out,
        r#"<p class="json"><a href="/api/mentions{}">as JSON</a></p>"#,
        attr(&query_string([("name", m.name.as_str()), ("exact", exact)]))
    );
    out.push_str("</section></div>\n");
    out
}

/// The entity page (`/entity`): spellings, a chart over dates, the names seen with it
/// (`cooccurring`, its own spellings left out) and a page of its passages.
pub fn entity_page(
    name: &str,
    kind: Option<EntityKind>,
    m: &MentionsResult,
    cooccurring: &[EntityCount],
) -> String {
    // the entity's own spellings are not "seen with" it
    let seen_with: Vec<&EntityCount> = cooccurring
        .iter()
        .filter(|e| e.name != name && !m.spellings.iter().any(|s| s.spelling == e.name))
        .take(20)
        .collect();
    let mut out = format!(
        r#"<h1 class="entity">{}{}</h1>"#,
        text(name),
        kind.map(|k| format!(r#" <span class="badge {0}">{0}</span>"#, k.field_name()))
            .unwrap_or_default()
    );
    spellings_line(&mut out, m);
    if let Some(k) = kind {
        let _ = write!(
            out,
            r#"<p class="see"><a href="/{}">Ranked search filtered to this {}</a></p>"#,
            attr(&query_string([(k.field_name(), name)])),
            k.field_name()
        );
    }
    out.push_str(&date_chart(&m.dates));
    out.push_str(r#"<div class="results-layout"><aside class="facets"><h2>Seen with</h2><ul>"#);
    for e in &seen_with {
        let kind = EntityKind::ALL
            .into_iter()
            .find(|k| k.field_name() == e.kind);
        let _ = write!(
            out,
            r#"<li>{} <span class="count">{}</span></li>"#,
            entity_link(kind, &e.name, &format!("facet {}", e.kind), &e.name),
            e.passages
        );
    }
    out.push_str(r#"</ul></aside><section class="results"><h2>Passages</h2>"#);
    hit_list(&mut out, &m.hits, m.offset);
    let mut base = vec![("name", name)];
    if let Some(k) = kind {
        base.push(("type", k.field_name()));
    }
    let more = m.offset + m.hits.len() < m.passages;
    pager(&mut out, "/entity", &base, m.offset, m.limit, more);
    out.push_str("</section></div>\n");
    layout(
        name,
        &QueryBox {
            q: name,
            mentions: true,
        },
        &out,
    )
}

/// A bar chart (inline SVG) of passages per date; days, or months when there are many days.
fn date_chart(dates: &[(String, usize)]) -> String {
    if dates.is_empty() {
        return r#"<p class="nodates">No dated article mentions it, so there is no timeline.</p>"#
            .to_string();
    }
    let mut buckets: Vec<(String, usize)> = dates.to_vec();
    if buckets.len() > 40 {
        let mut months: Vec<(String, usize)> = Vec::new();
        for (d, n) in buckets {
            let m = d.get(..7).unwrap_or(&d).to_string();
            match months.last_mut() {
                Some((last, c)) if *last == m => *c += n,
                _ => months.push((m, n)),
            }
        }
        buckets = months;
    }
    let max = buckets.iter().map(|b| b.1).max().unwrap_or(1).max(1);
    let (h, gap) = (120.0_f64, 2.0_f64);
    // bars at most 48 px wide, the whole chart at most 640 px and wide enough for two labels
    let bar = (640.0 / buckets.len() as f64 - gap).clamp(1.0, 48.0);
    let w = (buckets.len() as f64 * (bar + gap)).max(180.0);
    let mut svg = format!(
        r#"<figure class="chart"><svg viewBox="0 0 {w} {total}" width="{w}" height="{total}" role="img" aria-label="passages mentioning it, by article date">"#,
        total = h + 20.0
    );
    for (i, (label, n)) in buckets.iter().enumerate() {
        let bh = (h * *n as f64 / max as f64).max(1.0);
        let x = i as f64 * (bar + gap);
        let _ = write!(
            svg,
            r#"<rect x="{x:.1}" y="{y:.1}" width="{bar:.1}" height="{bh:.1}"><title>{label}: {n} passages</title></rect>"#,
            y = h - bh,
            label = text(label),
        );
    }
    let first = &buckets[0].0;
    let last = &buckets[buckets.len() - 1].0;
    let _ = write!(
        svg,
        r#"<text x="0" y="{y}">{}</text>"#,
        text(first),
        y = h + 15.0
    );
    if last != first {
        let _ = write!(
            svg,
            r#"<text x="{w}" y="{y}" text-anchor="end">{}</text>"#,
            text(last),
            y = h + 15.0
        );
    }
    let _ = write!(
        svg,
        r#"</svg><figcaption>Passages by article date, dates with mentions only (most in one bar: {max})</figcaption></figure>"#
    );
    svg
}

/// The article page (`/article/{id}`): the whole article, entities marked by type, a link
/// target per passage.
pub fn article_page(a: &ArticleResult, versions: &[Member]) -> String {
    let title = if a.title.trim().is_empty() {
        a.article.as_str()
    } else {
        a.title.as_str()
    };
    let mut out = format!(
        r#"<article class="doc"><h1>{}</h1><p class="meta">{}"#,
        text(title),
        text(&a.article)
    );
    for v in [&a.date, &a.source].into_iter().flatten() {
        let _ = write!(out, " · {}", text(v));
    }
    if let Some(url) = a
        .url
        .as_deref()
        .filter(|u| u.starts_with("https://") || u.starts_with("http://"))
    {
        let _ = write!(
            out,
            r#" · <a href="{}" rel="noopener noreferrer nofollow">original</a>"#,
            attr(url)
        );
    }
    out.push_str(r#"</p><p class="legend"><span class="ent person">person</span> <span class="ent place">place</span> <span class="ent org">organisation</span></p>"#);
    let mut named: Vec<(EntityKind, &str)> = Vec::new();
    for p in &a.passages {
        let spans = entity_spans(&p.hit);
        let wraps: Vec<Wrap> = spans
            .iter()
            .map(|s| Wrap {
                start: s.start,
                end: s.end,
                open: format!(
                    r#"<a class="ent {k}" href="/entity{q}" title="{k}: {name}">"#,
                    k = s.kind,
                    q = attr(&query_string([("name", s.name.as_str()), ("type", s.kind)])),
                    name = attr(&s.name),
                ),
                close: "</a>",
            })
            .collect();
        let _ = write!(
            out,
            r##"<p class="passage" id="p{n}"><a class="pn" href="#p{n}" title="link to this passage">¶{n}</a> {body}</p>"##,
            n = p.hit.passage,
            body = wrapped(&p.hit.text, &wraps),
        );
        out.push('\n');
        for (kind, list) in [
            (EntityKind::Person, &p.hit.person),
            (EntityKind::Place, &p.hit.place),
            (EntityKind::Org, &p.hit.org),
        ] {
            for n in list {
                if !named.iter().any(|(k, m)| *k == kind && *m == n) {
                    named.push((kind, n));
                }
            }
        }
    }
    out.push_str("</article>\n");
    if !named.is_empty() {
        out.push_str(r#"<aside class="named"><h2>Named in this article</h2>"#);
        for kind in EntityKind::ALL {
            let names: Vec<String> = named
                .iter()
                .filter(|(k, _)| *k == kind)
                .map(|(k, n)| entity_link(Some(*k), n, &format!("ent {}", k.field_name()), n))
                .collect();
            if !names.is_empty() {
                let _ = write!(
                    out,
                    "<p><b>{}</b>: {}</p>",
                    kind_label(kind),
                    names.join(" ")
                );
            }
        }
        out.push_str("</aside>\n");
    }
    if !versions.is_empty() {
        out.push_str("<section class=\"versions\"><h2>Other versions of this story</h2><ul>");
        for v in versions {
            let _ = write!(
                out,
                r#"<li><a href="/compare{}">compare</a> with <a href="/article/{}">{}</a>{}</li>"#,
                attr(&query_string([
                    ("a", a.article.as_str()),
                    ("b", v.article.as_str())
                ])),
                attr(&url_part(&v.article)),
                text(if v.title.trim().is_empty() {
                    &v.article
                } else {
                    &v.title
                }),
                v.date
                    .as_deref()
                    .map(|d| format!(" ({})", text(d)))
                    .unwrap_or_default(),
            );
        }
        out.push_str("</ul></section>\n");
    }
    let _ = write!(
        out,
        r#"<p class="json"><a href="/api/article/{}">as JSON</a></p>"#,
        attr(&url_part(&a.article))
    );
    layout(title, &QueryBox::default(), &out)
}

/// `compare A B` as a page: the names, figures and quotes that differ, and the passages
/// cut or added, each linked to its paragraph in its article.
pub fn compare_page(c: &Comparison) -> String {
    let link = |id: &str, p: &Place| {
        format!(
            r#"<a href="/article/{}#p{}">¶{}</a>"#,
            attr(&url_part(id)),
            p.passage,
            p.passage
        )
    };
    let head = |s: &CompareSummary| {
        format!(
            r#"<a href="/article/{}">{}</a>"#,
            attr(&url_part(&s.id)),
            text(if s.title.trim().is_empty() {
                &s.id
            } else {
                &s.title
            })
        )
    };
    let (a, b) = (&c.a.id, &c.b.id);
    let mut out = format!(
        r#"<article class="compare"><h1>Two versions of a story</h1><p class="meta">A: {} · B: {}</p>"#,
        head(&c.a),
        head(&c.b)
    );
    if !c.has_differences() {
        out.push_str("<p>Nothing differs: the same names, figures and quotes, and no passage cut or added.</p>");
    }
    if !c.entities.is_empty() {
        out.push_str("<h2>Named in one version only</h2><ul>");
        for e in &c.entities {
            let (side, id) = match e.side {
                Side::A => ("A", a),
                Side::B => ("B", b),
            };
            let first = e.mentions.first().map(|p| link(id, p)).unwrap_or_default();
            let _ = write!(
                out,
                r#"<li>only in {side}: <span class="ent {k}">{}</span> ({k}, {} mention{}) {first}</li>"#,
                text(&e.name),
                e.mentions.len(),
                if e.mentions.len() == 1 { "" } else { "s" },
                k = e.kind,
            );
        }
        out.push_str("</ul>");
    }
    if !c.figures.is_empty() {
        out.push_str("<h2>Figures that differ</h2><ul>");
        for f in &c.figures {
            let _ = write!(
                out,
                "<li><mark>{}</mark> in A {} → <mark>{}</mark> in B {}</li>",
                text(&f.a.text),
                link(a, &f.a),
                text(&f.b.text),
                link(b, &f.b)
            );
        }
        out.push_str("</ul>");
    }
    if !c.quotes.is_empty() {
        out.push_str("<h2>Quotes</h2><ul>");
        for q in &c.quotes {
            let said = |side: &str, id: &str, qp: &Option<QuotePlace>| {
                qp.as_ref()
                    .map(|qp| {
                        format!(
                            "<p>{side}: “{}” — {} {}</p>",
                            text(&qp.place.text),
                            text(qp.speaker.as_deref().unwrap_or("no speaker given")),
                            link(id, &qp.place)
                        )
                    })
                    .unwrap_or_default()
            };
            let what = match q.change {
                QuoteChange::OnlyA => "quoted in A only",
                QuoteChange::OnlyB => "quoted in B only",
                QuoteChange::Speaker => "attributed differently",
            };
            let _ = write!(
                out,
                "<li><b>{what}</b>{}{}</li>",
                said("A", a, &q.a),
                said("B", b, &q.b)
            );
        }
        out.push_str("</ul>");
    }
    for (heading, id, places) in [("Cut from A", a, &c.cut), ("Added in B", b, &c.added)] {
        if places.is_empty() {
            continue;
        }
        let _ = write!(out, "<h2>{heading}</h2><ul>");
        for p in places {
            let _ = write!(out, "<li>{} {}</li>", text(&p.text), link(id, p));
        }
        out.push_str("</ul>");
    }
    out.push_str("</article>\n");
    layout("Compare versions", &QueryBox::default(), &out)
}

/// An error as a page: the HTTP status and the message.
pub fn error_page(status: u16, message: &str) -> String {
    let body = format!(
        r#"<h1>{status}</h1><p class="error">{}</p><p><a href="/">Back to search</a></p>"#,
        text(message)
    );
    layout("Error", &QueryBox::default(), &body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_marks_are_escaped() {
        let s = "a <script>alert(1)</script> & \"b\"";
        let out = marked(s, &[[2, 10], [5, 3], [30, 99]]);
        assert_eq!(
            out,
            "a <mark>&lt;script&gt;</mark>alert(1)&lt;/script&gt; &amp; \"b\""
        );
        assert_eq!(attr("\"x\" & <y>"), "&quot;x&quot; &amp; &lt;y&gt;");
    }

    #[test]
    fn marks_never_split_a_character() {
        let s = "é<b>";
        assert_eq!(marked(s, &[[1, 3]]), "é&lt;b&gt;");
    }

    #[test]
    fn urls_escape_everything_reserved() {
        assert_eq!(url_part("a/b c#d?&é"), "a%2Fb%20c%23d%3F%26%C3%A9");
        assert_eq!(
            query_string([("q", "\"x\" y"), ("person", "A&B")]),
            "?q=%22x%22%20y&person=A%26B"
        );
    }
}
