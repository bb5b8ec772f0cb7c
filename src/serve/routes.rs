//! Which handler answers which request, and the headers every answer carries.
//!
//! Only GET (and HEAD) are served; the API lives under `/api/`, the pages at `/`,
//! `/entity` and `/article/{id}`, the embedded assets under `/static/`. Every
//! answer carries a Content-Security-Policy that allows scripts, styles and images
//! from this server only, so even text that escaped escaping could run nothing.
//!
//! May import: the rest of `serve`, `present` (the embedded assets).

use std::borrow::Cow;

use super::{api, pages, HttpError, State};
use crate::present::html;

/// The policy on every answer: nothing from elsewhere, no inline script or style.
const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; \
                   form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/// An answer ready to send.
pub(crate) struct Reply {
    pub status: u16,
    pub content_type: &'static str,
    pub body: Vec<u8>,
    /// Whether the body may be cached (the embedded assets).
    pub cacheable: bool,
}

impl Reply {
    /// A 200 answer.
    pub fn ok(content_type: &'static str, body: impl Into<Vec<u8>>) -> Reply {
        Reply {
            status: 200,
            content_type,
            body: body.into(),
            cacheable: false,
        }
    }

    /// The headers every answer carries besides its length: its type, the security
    /// policy, and whether it may be cached.
    pub fn headers(&self) -> [(&'static str, &'static str); 5] {
        let cache = if self.cacheable {
            "max-age=3600"
        } else {
            "no-store"
        };
        [
            ("Content-Type", self.content_type),
            ("Content-Security-Policy", CSP),
            ("X-Content-Type-Options", "nosniff"),
            ("Referrer-Policy", "no-referrer"),
            ("Cache-Control", cache),
        ]
    }
}

/// A request's query string, decoded.
pub(crate) struct Params(Vec<(String, String)>);

impl Params {
    /// Decodes `a=1&b=x+y` (percent escapes and `+` for space).
    pub fn parse(query: &str) -> Params {
        Params(
            form_urlencoded::parse(query.as_bytes())
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect(),
        )
    }

    /// The first value of `name`, trimmed; `None` when absent or blank.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty())
    }

    /// Every non-blank value of `name`, in order.
    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.0
            .iter()
            .filter(move |(k, _)| k == name)
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty())
    }

    /// The first value of `name` as text no longer than the query bound.
    pub fn text(&self, name: &str) -> Result<Option<&str>, HttpError> {
        match self.get(name) {
            Some(v) if v.len() > super::MAX_QUERY_BYTES => Err(HttpError::bad_request(format!(
                "`{name}` is {} bytes long; the most this server accepts is {}",
                v.len(),
                super::MAX_QUERY_BYTES
            ))),
            v => Ok(v),
        }
    }

    /// The first value of `name` as a number no larger than `max`, else `default`.
    pub fn number(&self, name: &str, default: usize, max: usize) -> Result<usize, HttpError> {
        let Some(v) = self.get(name) else {
            return Ok(default);
        };
        let n: usize = v.parse().map_err(|_| {
            HttpError::bad_request(format!("`{name}` must be a whole number, not {v:?}"))
        })?;
        if n > max {
            return Err(HttpError::bad_request(format!(
                "`{name}` is {n}; the most this server accepts is {max}"
            )));
        }
        Ok(n)
    }

    /// Whether `name` is set to a true value (`1`, `true`, `yes`, `on`).
    pub fn flag(&self, name: &str) -> bool {
        matches!(self.get(name), Some("1" | "true" | "yes" | "on"))
    }
}

/// Answers one request.
pub(crate) fn answer(state: &State, method: &str, url: &str) -> Reply {
    let (path, query) = url.split_once('?').unwrap_or((url, ""));
    let is_api = path.starts_with("/api/");
    if !matches!(method, "GET" | "HEAD") {
        let err = HttpError {
            status: 405,
            message: format!("{method} is not served; this server only reads (use GET)"),
        };
        return failure(is_api, &err);
    }
    let params = Params::parse(query);
    let result = if let Some(rest) = path.strip_prefix("/api/") {
        route_api(state, rest, &params)
    } else {
        route_page(state, path, &params)
    };
    result.unwrap_or_else(|err| failure(is_api, &err))
}

fn route_api(state: &State, rest: &str, params: &Params) -> Result<Reply, HttpError> {
    let json = match rest {
        "search" => api::search(state, params)?,
        "mentions" => api::mentions(state, params)?,
        "entities" => api::entities(state, params)?,
        _ => match rest.strip_prefix("article/") {
            Some(id) => api::article(state, &decode_segment(id)?)?,
            None => return Err(HttpError::not_found(format!("no API route /api/{rest}"))),
        },
    };
    Ok(Reply::ok("application/json", json))
}

fn route_page(state: &State, path: &str, params: &Params) -> Result<Reply, HttpError> {
    const HTML: &str = "text/html; charset=utf-8";
    let asset = |content_type, body: &str| Reply {
        cacheable: true,
        ..Reply::ok(content_type, body)
    };
    Ok(match path {
        "/" => {
            let (status, page) = pages::search(state, params)?;
            Reply {
                status,
                ..Reply::ok(HTML, page)
            }
        }
        "/entity" => Reply::ok(HTML, pages::entity(state, params)?),
        "/compare" => Reply::ok(HTML, pages::compare(state, params)?),
        "/static/style.css" => asset("text/css; charset=utf-8", html::STYLE),
        "/static/app.js" => asset("text/javascript; charset=utf-8", html::SCRIPT),
        _ => match path.strip_prefix("/article/") {
            Some(id) => Reply::ok(HTML, pages::article(state, &decode_segment(id)?)?),
            None => return Err(HttpError::not_found(format!("no page at {path}"))),
        },
    })
}

/// A percent-encoded path segment (an article id) as text.
fn decode_segment(segment: &str) -> Result<String, HttpError> {
    percent_encoding::percent_decode_str(segment)
        .decode_utf8()
        .map(Cow::into_owned)
        .map_err(|_| HttpError::bad_request("the article id in the address is not UTF-8"))
}

/// The answer for a request target over the length bound.
pub(crate) fn too_long() -> Reply {
    failure(
        true,
        &HttpError {
            status: 414,
            message: format!(
                "the address is longer than the {} bytes this server accepts",
                super::MAX_URL_BYTES
            ),
        },
    )
}

/// An error as JSON (`{"error": {"status": …, "message": …}}`) or as an HTML page.
fn failure(is_api: bool, err: &HttpError) -> Reply {
    let (content_type, body) = if is_api {
        ("application/json", api::error_body(err))
    } else {
        ("text/html; charset=utf-8", pages::error_page(err))
    };
    Reply {
        status: err.status,
        content_type,
        body: body.into_bytes(),
        cacheable: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn params_decode_and_bound() {
        let p = Params::parse("q=%22Ali+Vaez%22&limit=5&bad=x&empty=+&exact=1");
        assert_eq!(p.get("q"), Some("\"Ali Vaez\""));
        assert_eq!(p.get("empty"), None);
        assert_eq!(p.number("limit", 10, 100).unwrap(), 5);
        assert_eq!(p.number("missing", 10, 100).unwrap(), 10);
        assert_eq!(p.number("bad", 10, 100).unwrap_err().status, 400);
        assert_eq!(p.number("limit", 10, 3).unwrap_err().status, 400);
        assert!(p.flag("exact") && !p.flag("q"));
        let long = format!("q={}", "a".repeat(super::super::MAX_QUERY_BYTES + 1));
        assert_eq!(Params::parse(&long).text("q").unwrap_err().status, 400);
    }

    #[test]
    fn segments_decode() {
        assert_eq!(decode_segment("a%2Fb.jsonl%23L2").unwrap(), "a/b.jsonl#L2");
        assert!(decode_segment("%FF").is_err());
    }
}
