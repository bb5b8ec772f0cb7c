//! The page routes: each gathers its results through [`super::api`] (the same values the
//! JSON API returns) and hands them to `present::html` to render.
//!
//! May import: the rest of `serve`, `search`, `present`, `entities` (types).

use super::routes::Params;
use super::{api, HttpError, State};
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

/// `GET /article/{id}`: the whole article.
pub fn article(state: &State, id: &str) -> Result<String, HttpError> {
    Ok(html::article_page(&api::run_article(state, id)?))
}

/// An error as a page.
pub fn error_page(err: &HttpError) -> String {
    html::error_page(err.status, &err.message)
}
