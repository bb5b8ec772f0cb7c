//! The JSON API: each route builds one of `present::web`'s result types from the
//! `search` functions the CLI calls, and the JSON is that value serialised; its hits
//! are `search::Hit`, serialised exactly as `newsdex search --json` prints them (one
//! serialisation, not two). The pages render the same values.
//!
//! ```text
//! GET /api/search?q=&person=&place=&org=&limit=&offset=
//!     {"query","filters":{"person":[…],…},"offset","limit","more","hits":[Hit…],
//!      "facets":{"person":[{"name","passages"}…],"place":…,"org":…}}
//! GET /api/mentions?name=&exact=&limit=&offset=
//!     {"name","exact","passages","articles","spellings":[{"spelling","passages"}…],
//!      "offset","limit","hits":[Hit with "matched"…],"facets":…}
//! GET /api/entities?type=&cooccur=&limit=
//!     {"type","cooccur","cooccur_passages","entities":[EntityCount…]}
//! GET /api/article/{id}
//!     {"article","path","title","date","source","url","passages":[Hit + "entities"…]}
//! errors: {"error":{"status":400,"message":"cannot parse query …"}}
//! ```
//!
//! Facets count the people, places and organisations named in the first
//! [`FACET_WINDOW`] ranked hits, read from the index's entity columns
//! (`search::facets`), or in every passage a mentions search found.
//!
//! May import: the rest of `serve`, `search`, `index`, `present` (result types),
//! `entities` (types).

use std::collections::HashMap;

use serde::Serialize;

use crate::present::web::{
    ArticleResult, EntitiesResult, Facet, Facets, Filters, MentionsResult, SearchResult, Spelling,
    FACET_VALUES,
};

use super::routes::Params;
use super::{HttpError, State, MAX_DEPTH, MAX_PAGE};
use crate::entities::EntityKind;
use crate::index::schema::news_tokens;
use crate::search::{self, QueryError};

/// Ranked hits the facets are counted over.
pub const FACET_WINDOW: usize = 100;
/// Hits per page when the request does not say.
pub const DEFAULT_PAGE: usize = 20;
/// Most entities one listing returns.
pub const MAX_ENTITIES: usize = 1_000;
/// Most entity filters one search takes.
const MAX_FILTERS: usize = 10;

/// The `person`, `place` and `org` parameters of a request, bounded.
fn filters_from_params(params: &Params) -> Result<Filters, HttpError> {
    let mut f = Filters::default();
    for kind in EntityKind::ALL {
        for value in params.all(kind.field_name()) {
            if value.len() > super::MAX_QUERY_BYTES {
                return Err(HttpError::bad_request(format!(
                    "a `{}` filter is longer than {} bytes",
                    kind.field_name(),
                    super::MAX_QUERY_BYTES
                )));
            }
            f.push(kind, value.to_string());
        }
    }
    if f.pairs().len() > MAX_FILTERS {
        return Err(HttpError::bad_request(format!(
            "at most {MAX_FILTERS} entity filters at once"
        )));
    }
    Ok(f)
}

/// A search failure as an answer: the parser's wording as a 400, anything else a 500.
fn classify(err: anyhow::Error) -> HttpError {
    match err.downcast_ref::<QueryError>() {
        Some(q) => HttpError::bad_request(q.0.clone()),
        None => HttpError::internal(err),
    }
}

/// Runs a ranked search; `None` when neither a query nor a filter was given.
pub fn run_search(state: &State, params: &Params) -> Result<Option<SearchResult>, HttpError> {
    let query = params.text("q")?;
    let filters = filters_from_params(params)?;
    let limit = params.number("limit", DEFAULT_PAGE, MAX_PAGE)?;
    let offset = params.number("offset", 0, MAX_DEPTH)?;
    if offset + limit > MAX_DEPTH {
        return Err(HttpError::bad_request(format!(
            "results deeper than {MAX_DEPTH} are not served; narrow the query"
        )));
    }
    if query.is_none() && filters.is_empty() {
        return Ok(None);
    }
    let idx = state.index()?;
    let parsed = match query {
        Some(q) => Some(search::parse_query(&idx, q).map_err(|e| HttpError::bad_request(e.0))?),
        None => None,
    };
    let built = search::with_filters(&idx, parsed, &filters.pairs(), Some(&state.names))
        .map_err(|e| HttpError::bad_request(format!("{e:#}")))?;
    let found = search::facets::search_with_facets(
        &idx,
        built.as_ref(),
        offset,
        limit,
        FACET_WINDOW,
        Some(&*state.names),
    )
    .map_err(classify)?;
    let [person, place, org] = found.names.map(|mut names| {
        names.truncate(FACET_VALUES);
        names
            .into_iter()
            .map(|(name, passages)| Facet { name, passages })
            .collect()
    });
    Ok(Some(SearchResult {
        query: query.map(str::to_string),
        filters,
        offset,
        limit,
        more: found.more,
        hits: found.hits,
        facets: Facets { person, place, org },
    }))
}

/// Finds every passage that mentions `name` and keeps one page of them.
pub fn run_mentions(
    state: &State,
    name: &str,
    exact: bool,
    params: &Params,
) -> Result<MentionsResult, HttpError> {
    if news_tokens(name).is_empty() {
        return Err(HttpError::bad_request(format!(
            "the name {name:?} has no letters or digits to look for"
        )));
    }
    let limit = params.number("limit", DEFAULT_PAGE, MAX_PAGE)?;
    let offset = params.number("offset", 0, usize::MAX)?;
    let idx = state.index()?;
    let opts = search::mentions::MentionOptions {
        exact,
        aliases: search::mentions::aliases_for(&idx, None).map_err(HttpError::internal)?,
    };
    let found = search::mentions::mentions(&idx, name, &opts).map_err(classify)?;
    let mut articles: Vec<&str> = found.hits.iter().map(|h| h.article.as_str()).collect();
    articles.sort_unstable();
    articles.dedup();
    let mut dates: HashMap<&str, usize> = HashMap::new();
    for d in found.hits.iter().filter_map(|h| h.date.as_deref()) {
        *dates.entry(d.get(..10).unwrap_or(d)).or_default() += 1;
    }
    let mut dates: Vec<(String, usize)> =
        dates.into_iter().map(|(d, n)| (d.to_string(), n)).collect();
    dates.sort();
    Ok(MentionsResult {
        name: name.to_string(),
        exact,
        passages: found.hits.len(),
        articles: articles.len(),
        spellings: found
            .spellings
            .into_iter()
            .map(|(spelling, passages)| Spelling { spelling, passages })
            .collect(),
        offset,
        limit,
        facets: Facets::count(&found.hits),
        dates,
        hits: found.hits.into_iter().skip(offset).take(limit).collect(),
    })
}

/// Lists entities, of one type or co-occurring with a name.
pub fn run_entities(state: &State, params: &Params) -> Result<EntitiesResult, HttpError> {
    let kind = match params.get("type") {
        None => None,
        Some(t) => Some(
            EntityKind::ALL
                .into_iter()
                .find(|k| k.field_name() == t)
                .ok_or_else(|| {
                    HttpError::bad_request(format!("unknown type {t:?}; use person, place or org"))
                })?,
        ),
    };
    let cooccur = params.text("cooccur")?;
    let limit = params.number("limit", 50, MAX_ENTITIES)?;
    let idx = state.index()?;
    let (mut entities, cooccur_passages) = match cooccur {
        Some(name) => {
            if news_tokens(name).is_empty() {
                return Err(HttpError::bad_request(format!(
                    "the name {name:?} has no letters or digits to look for"
                )));
            }
            let (list, n) =
                search::entities::cooccurring(&idx, name).map_err(HttpError::internal)?;
            (list, Some(n))
        }
        None => {
            let all = state.all_entities(&idx)?;
            let of_kind = all
                .iter()
                .filter(|e| kind.is_none_or(|k| e.kind == k.field_name()))
                .take(limit)
                .cloned()
                .collect();
            (of_kind, None)
        }
    };
    if let Some(kind) = kind {
        entities.retain(|e| e.kind == kind.field_name());
    }
    entities.truncate(limit);
    Ok(EntitiesResult {
        kind: kind.map(EntityKind::field_name),
        cooccur: cooccur.map(str::to_string),
        cooccur_passages,
        entities,
    })
}

/// Reads one article back from the index; 404 when no article has that id.
pub fn run_article(state: &State, id: &str) -> Result<ArticleResult, HttpError> {
    let idx = state.index()?;
    let passages = search::article::article(&idx, id).map_err(HttpError::internal)?;
    let Some(first) = passages.first() else {
        return Err(HttpError::not_found(format!(
            "no article with id {id:?} in the index"
        )));
    };
    let h = &first.hit;
    Ok(ArticleResult {
        article: h.article.clone(),
        path: h.path.clone(),
        title: h.title.clone(),
        date: h.date.clone(),
        source: h.source.clone(),
        url: h.url.clone(),
        passages,
    })
}

fn to_json(value: &impl Serialize) -> Result<String, HttpError> {
    serde_json::to_string(value).map_err(|e| HttpError::internal(e.into()))
}

/// `GET /api/search`.
pub fn search(state: &State, params: &Params) -> Result<String, HttpError> {
    match run_search(state, params)? {
        Some(result) => to_json(&result),
        None => Err(HttpError::bad_request(
            "give a query `q` or at least one of `person`, `place`, `org`",
        )),
    }
}

/// `GET /api/mentions`.
pub fn mentions(state: &State, params: &Params) -> Result<String, HttpError> {
    let name = params
        .text("name")?
        .ok_or_else(|| HttpError::bad_request("give the `name` to look for"))?;
    to_json(&run_mentions(state, name, params.flag("exact"), params)?)
}

/// `GET /api/entities`.
pub fn entities(state: &State, params: &Params) -> Result<String, HttpError> {
    to_json(&run_entities(state, params)?)
}

/// `GET /api/article/{id}`.
pub fn article(state: &State, id: &str) -> Result<String, HttpError> {
    to_json(&run_article(state, id)?)
}

/// The JSON body of an error answer.
pub fn error_body(err: &HttpError) -> String {
    serde_json::json!({"error": {"status": err.status, "message": err.message}}).to_string()
}
