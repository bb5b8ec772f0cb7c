//! The page routes: each gathers its results through [`super::api`] (the same values the
//! JSON API returns) and hands them to `present::html` to render.
//!
//! May import: the rest of `serve`, `search`, `compare`, `present`, `entities` (types).

use super::routes::Params;
use super::{api, HttpError, State};
use crate::compare::versions;
use crate::entities::EntityKind;
use crate::present::html::{self, SearchView};

/// `GET /`: the query box, and ranked hits or every mention of a name; a query the parser
/// refuses is a 400 page with its message.
pub fn search(state: &State, params: &Params) -> Result<(u16, String), HttpError> {
    let q = params.text("q")?.unwrap_or_default();
    let mentions = params.get("mode") == Some("mentions");
    let outcome = if mentions && !q.is_empty() {
        api::run_mentions(state, q, params.flag("exact"), params)
            .map(|m| html::search_page(q, mentions, SearchView::Mentions(&m)))
    } else {
        api::run_search(state, params).map(|r| match r {
            Some(r) => html::search_page(q, mentions, SearchView::Ranked(&r)),
            None => {
                let most = state.index().and_then(|idx| state.all_entities(&idx));
                let most = match &most {
                    Ok(all) => Ok(all.as_slice()),
                    Err(err) => Err(err.message.as_str()),
                };
                html::search_page(q, mentions, SearchView::Start(most))
            }
        })
    };
    match outcome {
        Ok(body) => Ok((200, body)),
        Err(err) if err.status == 400 => Ok((
            400,
            html::search_page(q, mentions, SearchView::Error(&err.message)),
        )),
        Err(err) => Err(err),
    }
}

/// `GET /entity?name=&type=`: spellings, a chart over dates, co-occurring names, passages.
pub fn entity(state: &State, params: &Params) -> Result<String, HttpError> {
    let name = params
        .text("name")?
        .ok_or_else(|| HttpError::bad_request("give the entity's `name`"))?;
    let kind = params
        .get("type")
        .and_then(|t| EntityKind::ALL.into_iter().find(|k| k.field_name() == t));
    let m = api::run_mentions(state, name, false, params)?;
    let idx = state.index()?;
    let (cooccurring, _) =
        crate::search::entities::cooccurring(&idx, name).map_err(HttpError::internal)?;
    Ok(html::entity_page(name, kind, &m, &cooccurring))
}

/// `GET /article/{id}`: the whole article, and links to compare it with its versions.
pub fn article(state: &State, id: &str) -> Result<String, HttpError> {
    let article = api::run_article(state, id)?;
    let idx = state.index()?;
    let scope = versions::Scope::Article(article.article.clone());
    let (stories, _) = versions::find(&idx, &scope, 1).map_err(HttpError::internal)?;
    let others: Vec<versions::Member> = stories
        .into_iter()
        .flat_map(|s| s.articles)
        .filter(|m| m.article != article.article)
        .collect();
    Ok(html::article_page(&article, &others))
}

/// `GET /compare?a=&b=`: two articles of the index compared, as `newsdex compare` does;
/// only articles in the index, never files on the server's disk.
pub fn compare(state: &State, params: &Params) -> Result<String, HttpError> {
    let idx = state.index()?;
    let load = |name: &str| -> Result<crate::compare::Version, HttpError> {
        let id = params
            .text(name)?
            .ok_or_else(|| HttpError::bad_request(format!("give the article id `{name}`")))?;
        crate::compare::load::from_index(&idx, id)
            .map_err(HttpError::internal)?
            .ok_or_else(|| HttpError::not_found(format!("no article {id:?} in the index")))
    };
    let (a, b) = (load("a")?, load("b")?);
    let aliases = crate::search::mentions::aliases_for(&idx, None).map_err(HttpError::internal)?;
    Ok(html::compare_page(&crate::compare::compare(
        &a, &b, &aliases,
    )))
}

/// An error as a page.
pub fn error_page(err: &HttpError) -> String {
    html::error_page(err.status, &err.message)
}
