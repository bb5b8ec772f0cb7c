//! `newsdex serve`: a local, read-only web interface and JSON API over the index.
//!
//! The server answers plain HTTP/1.1 on a loopback address (`http`: a thread per
//! connection reads its requests), and at most `--workers` requests are answered at
//! once; the rest wait their turn. It opens the index on the first request that needs
//! it and keeps one reader that tantivy reloads when `index` or `watch` commits
//! beside it; while there is no index, every request gets a 503 with the message
//! the CLI would print. [`Server::run`] returns when its stop flag is set and its
//! waiting accept woken (a [`Stopper`] does both; the command calls one on Ctrl-C or
//! SIGTERM), after the requests in hand.
//!
//! `http` is the transport; `routes` maps a request to an answer; `api` builds the result types of
//! `present::web` from the `search` functions and answers `/api/…` with them as
//! JSON; `pages` hands the same values to `present::html` for the pages. It reads the index through `index` and `search` only;
//! `commands::serve` starts it.
//!
//! May import: `index`, `search`, `entities` (types), `present`; nothing but
//! `commands::serve` imports it.

mod api;
mod http;
pub use http::Stopper;
mod pages;
mod routes;

use std::net::{SocketAddr, TcpListener, ToSocketAddrs};
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};

use anyhow::{bail, Context};

use crate::index::{self, NewsIndex};
use crate::present::messages;
use crate::search::{self, entities::EntityCount};

/// Longest query, name or filter accepted, in bytes.
pub const MAX_QUERY_BYTES: usize = 1_000;
/// Most hits or passages one request returns.
pub const MAX_PAGE: usize = 100;
/// Deepest ranked result reachable by paging (`offset + limit`).
pub const MAX_DEPTH: usize = 10_000;
/// Longest request target (path and query string) accepted, in bytes.
const MAX_URL_BYTES: usize = 8_192;

/// What every request shares: where the index is, and the index once it opened.
pub(crate) struct State {
    dir: PathBuf,
    index: Mutex<Option<Arc<NewsIndex>>>,
    /// The full entity listing (a pass over every passage), kept for one reader generation.
    listing: Mutex<Option<(u64, Arc<Vec<EntityCount>>)>>,
    /// The key columns' names, spelled once per segment, for the facets.
    names: Arc<search::facets::NameCache>,
}

/// An answer that is not a success: an HTTP status and a message for the user.
#[derive(Debug)]
pub(crate) struct HttpError {
    pub status: u16,
    pub message: String,
}

impl HttpError {
    pub fn bad_request(message: impl Into<String>) -> HttpError {
        HttpError {
            status: 400,
            message: message.into(),
        }
    }

    pub fn not_found(message: impl Into<String>) -> HttpError {
        HttpError {
            status: 404,
            message: message.into(),
        }
    }

    /// A failure of the server or the index, not of the request.
    pub fn internal(err: anyhow::Error) -> HttpError {
        HttpError {
            status: 500,
            message: format!("{err:#}"),
        }
    }
}

impl State {
    /// The open index, opening it if this is the first request since it appeared; a 503
    /// with the CLI's message ("no index at …; run `newsdex index` first") while it cannot.
    pub fn index(&self) -> Result<Arc<NewsIndex>, HttpError> {
        let mut slot = self.index.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(idx) = &*slot {
            return Ok(Arc::clone(idx));
        }
        let opened = index::open(&self.dir)
            .and_then(NewsIndex::follow_commits)
            .map_err(|err| HttpError {
                status: 503,
                message: format!("{err:#}"),
            })?;
        let idx = Arc::new(opened);
        *slot = Some(Arc::clone(&idx));
        Ok(idx)
    }

    /// Every entity in the index, most passages first: computed once per commit the reader
    /// has loaded, since it reads every passage's entity columns (a second or more on a
    /// large index) and the start page and `/api/entities` ask for it on every visit.
    pub fn all_entities(&self, idx: &NewsIndex) -> Result<Arc<Vec<EntityCount>>, HttpError> {
        let generation = idx
            .searcher()
            .map_err(HttpError::internal)?
            .generation()
            .generation_id();
        let slot = self.listing.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((g, list)) = &*slot {
            if *g == generation {
                return Ok(Arc::clone(list));
            }
        }
        drop(slot); // other requests go on while this one counts
        let list = Arc::new(search::entities::list(idx, None).map_err(HttpError::internal)?);
        let mut slot = self.listing.lock().unwrap_or_else(|e| e.into_inner());
        *slot = Some((generation, Arc::clone(&list)));
        Ok(list)
    }
}

/// A bound, not yet answering, server.
pub struct Server {
    listener: TcpListener,
    addr: SocketAddr,
}

impl Server {
    /// Binds `addr` (`HOST:PORT`; port 0 picks a free one). An address that is not loopback
    /// is refused unless `public`: there is no authentication.
    pub fn bind(addr: &str, public: bool) -> anyhow::Result<Server> {
        let addr = resolve(addr, public)?;
        let listener =
            TcpListener::bind(addr).with_context(|| format!("cannot listen on {addr}"))?;
        let addr = listener
            .local_addr()
            .context("reading the address the server listens on")?;
        Ok(Server { listener, addr })
    }

    /// The address it listens on, with the real port.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// What stops [`Server::run`] when it watches `flag`.
    pub fn stopper(&self, flag: std::sync::Arc<AtomicBool>) -> Stopper {
        http::Stopper::new(flag, self.addr)
    }

    /// Answers requests on `workers` threads over the index at `index_dir` until `stop` is
    /// set and the accept woken ([`Server::stopper`] does both); the requests in hand are
    /// answered first.
    pub fn run(&self, index_dir: PathBuf, workers: usize, stop: &AtomicBool) {
        let state = State {
            dir: index_dir,
            index: Mutex::new(None),
            listing: Mutex::new(None),
            names: Default::default(),
        };
        let answer = |request: &http::Request| {
            if request.target.len() > MAX_URL_BYTES {
                routes::too_long()
            } else {
                routes::answer(&state, request.method, request.target)
            }
        };
        if let Err(err) = http::serve(&self.listener, workers, stop, &answer) {
            messages::serve_warning(&err);
        }
    }
}

/// The socket address to bind: `addr` resolved, and refused unless loopback or `public`.
fn resolve(addr: &str, public: bool) -> anyhow::Result<SocketAddr> {
    let resolved: Vec<SocketAddr> = addr
        .to_socket_addrs()
        .with_context(|| {
            format!("cannot use address {addr:?}; give HOST:PORT, such as 127.0.0.1:7700")
        })?
        .collect();
    let Some(first) = resolved.first().copied() else {
        bail!("address {addr:?} resolves to nothing; give HOST:PORT, such as 127.0.0.1:7700");
    };
    if !public {
        if let Some(open) = resolved.iter().find(|a| !a.ip().is_loopback()) {
            bail!(
                "refusing to serve on {open}, which is not a loopback address: newsdex serve has \
                 no authentication, so anyone who can reach it could read the whole archive; \
                 pass --public to allow it, or listen on 127.0.0.1"
            );
        }
    }
    Ok(first)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_without_public() {
        assert!(resolve("127.0.0.1:0", false).is_ok());
        assert!(resolve("[::1]:0", false).is_ok());
        let err = resolve("0.0.0.0:7700", false).unwrap_err().to_string();
        assert!(
            err.contains("--public") && err.contains("no authentication"),
            "{err}"
        );
        assert!(resolve("0.0.0.0:7700", true).is_ok());
        assert!(resolve("no port", false).is_err());
    }
}
