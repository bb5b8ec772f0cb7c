//! Talking to a SolrCloud collection over plain HTTP: select, update and schema requests,
//! each retried against the cluster's other live nodes when a node fails or is down.
//!
//! A [`Solr`] starts from the node URLs the user gave and adds every live node the cluster
//! reports (`CLUSTERSTATUS`), so a push that began on a node that then stops goes on on
//! another. A request that fails for want of a node (connection refused, timeout, HTTP 5xx
//! while the cluster elects new leaders) is tried again on the next node after a growing
//! pause, [`ATTEMPTS`] times at most; a request Solr refuses (HTTP 4xx) is not retried and
//! its error is reported in Solr's own words. Imports ureq and serde_json only.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use serde_json::Value;

/// Tries per request before giving up (about 75 s of pauses in all).
pub const ATTEMPTS: u32 = 12;
/// Largest response body read, in bytes.
const BODY_LIMIT: u64 = 1 << 30;

/// A SolrCloud collection and the nodes that serve it.
pub struct Solr {
    agent: ureq::Agent,
    nodes: Mutex<Vec<String>>,
    /// Nodes that could not be reached, and until when they are passed over.
    down: Mutex<HashMap<String, Instant>>,
    next: AtomicUsize,
    retries: AtomicUsize,
    /// The collection's name.
    pub collection: String,
}

/// Why one try failed, and whether another node or a pause may help.
enum Failure {
    /// The node could not be reached: try another at once, pass this one over for a while.
    Unreachable(String),
    /// The node answered that it cannot serve now (5xx): pause, then try again.
    Retry(String),
    /// Solr refused the request: no retry helps.
    Fatal(String),
}

/// How long a node that could not be reached is passed over.
const DOWN_FOR: Duration = Duration::from_secs(20);

impl Solr {
    /// Connects to `urls` (comma-separated node base URLs, such as
    /// `http://127.0.0.1:8983/solr`) and checks that `collection` exists there.
    pub fn connect(urls: &str, collection: &str) -> anyhow::Result<Solr> {
        let mut nodes = Vec::new();
        for url in urls.split(',').map(str::trim).filter(|u| !u.is_empty()) {
            if url.starts_with("https://") {
                bail!("{url}: this newsdex speaks plain HTTP to Solr; give an http:// URL (a TLS-terminating proxy on the node works)");
            }
            if !url.starts_with("http://") {
                bail!("{url}: a Solr URL starts with http://, e.g. http://127.0.0.1:8983/solr");
            }
            nodes.push(url.trim_end_matches('/').to_string());
        }
        if nodes.is_empty() {
            bail!("no Solr URL given; pass --solr http://HOST:PORT/solr");
        }
        if collection.is_empty() || collection.contains(['/', '?', '#', ' ']) {
            bail!("{collection:?} is not a collection name");
        }
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(300)))
            .timeout_connect(Some(Duration::from_secs(5)))
            .build()
            .into();
        let solr = Solr {
            agent,
            nodes: Mutex::new(nodes),
            down: Mutex::new(HashMap::new()),
            next: AtomicUsize::new(0),
            retries: AtomicUsize::new(0),
            collection: collection.to_string(),
        };
        solr.discover()?;
        Ok(solr)
    }

    /// Adds the cluster's live nodes to the list, and checks the collection is there.
    fn discover(&self) -> anyhow::Result<()> {
        let status = self
            .admin(&[
                ("action", "CLUSTERSTATUS"),
                ("collection", &self.collection),
            ])
            .with_context(|| format!("looking up collection {:?}", self.collection))?;
        let live = status["cluster"]["live_nodes"].as_array().cloned();
        let mut nodes = self
            .nodes
            .lock()
            .expect("no thread panics holding the node list");
        for node in live.iter().flatten().filter_map(Value::as_str) {
            // a live node's name is host:port_context, the context's slashes as %2F
            if let Some((host, context)) = node.split_once('_') {
                let url = format!("http://{host}/{}", context.replace("%2F", "/"));
                let url = url.trim_end_matches('/').to_string();
                if !nodes.contains(&url) {
                    nodes.push(url);
                }
            }
        }
        Ok(())
    }

    /// The node URLs known, the ones given first.
    pub fn nodes(&self) -> Vec<String> {
        self.nodes
            .lock()
            .expect("no panics holding the list")
            .clone()
    }

    /// Requests that failed once and were tried again.
    pub fn retries(&self) -> usize {
        self.retries.load(Ordering::Relaxed)
    }

    /// A collections API call (`/admin/collections`).
    fn admin(&self, params: &[(&str, &str)]) -> anyhow::Result<Value> {
        self.with_retries("/admin/collections", |base| {
            let req = self.agent.get(format!("{base}/admin/collections"));
            let req = params.iter().fold(req, |r, (k, v)| r.query(*k, *v));
            read(req.query("wt", "json").call(), base)
        })
    }

    /// A search request to the collection's `/select`, the parameters sent as a form.
    pub fn select(&self, params: &[(&str, String)]) -> anyhow::Result<Value> {
        let path = format!("/{}/select", self.collection);
        self.with_retries(&path, |base| {
            let mut form: Vec<(&str, &str)> =
                params.iter().map(|(k, v)| (*k, v.as_str())).collect();
            form.push(("wt", "json"));
            read(
                self.agent.post(format!("{base}{path}")).send_form(form),
                base,
            )
        })
    }

    /// Sends a JSON update body (commands or documents) to the collection's `/update`.
    pub fn update(&self, body: &str, commit: bool) -> anyhow::Result<Value> {
        let path = format!("/{}/update", self.collection);
        self.with_retries(&path, |base| {
            let mut req = self
                .agent
                .post(format!("{base}{path}"))
                .header("Content-Type", "application/json")
                .query("wt", "json");
            if commit {
                req = req.query("commit", "true");
            }
            read(req.send(body), base)
        })
    }

    /// A GET of the collection's schema API (`/schema…`).
    pub fn schema_get(&self, rest: &str, params: &[(&str, &str)]) -> anyhow::Result<Value> {
        let path = format!("/{}/schema{rest}", self.collection);
        self.with_retries(&path, |base| {
            let req = self.agent.get(format!("{base}{path}"));
            let req = params.iter().fold(req, |r, (k, v)| r.query(*k, *v));
            read(req.query("wt", "json").call(), base)
        })
    }

    /// A POST of schema commands to the collection's schema API.
    pub fn schema_post(&self, commands: &Value) -> anyhow::Result<Value> {
        let path = format!("/{}/schema", self.collection);
        let body = commands.to_string();
        self.with_retries(&path, |base| {
            read(
                self.agent
                    .post(format!("{base}{path}"))
                    .header("Content-Type", "application/json")
                    .send(&body),
                base,
            )
        })
    }

    /// Runs `try_once` on one node after another until it succeeds, fails for good, or
    /// has been tried [`ATTEMPTS`] times. A node that cannot be reached is passed over for
    /// [`DOWN_FOR`] and the next one tried at once; other failures wait a growing pause.
    fn with_retries(
        &self,
        what: &str,
        try_once: impl Fn(&str) -> Result<Value, Failure>,
    ) -> anyhow::Result<Value> {
        let mut last = String::new();
        let mut pauses = 0u32;
        for attempt in 0..ATTEMPTS {
            if attempt > 0 {
                self.retries.fetch_add(1, Ordering::Relaxed);
            }
            let (base, others_up) = self.pick();
            let pause = match try_once(&base) {
                Ok(value) => return Ok(value),
                Err(Failure::Fatal(msg)) => bail!("{msg}"),
                Err(Failure::Unreachable(msg)) => {
                    last = msg;
                    self.down
                        .lock()
                        .expect("no panics holding the list")
                        .insert(base, Instant::now() + DOWN_FOR);
                    !others_up
                }
                Err(Failure::Retry(msg)) => {
                    last = msg;
                    true
                }
            };
            if pause {
                let ms = 250u64.saturating_mul(1 << pauses.min(5)).min(8_000);
                std::thread::sleep(Duration::from_millis(ms));
                pauses += 1;
            }
        }
        bail!("{what}: gave up after {ATTEMPTS} tries on every node; last: {last}")
    }

    /// The next node to ask, passing over those lately unreachable (unless all are), and
    /// whether any other node is thought up.
    fn pick(&self) -> (String, bool) {
        let nodes = self.nodes.lock().expect("no panics holding the list");
        let mut down = self.down.lock().expect("no panics holding the list");
        let now = Instant::now();
        down.retain(|_, until| *until > now);
        let up: Vec<&String> = nodes.iter().filter(|n| !down.contains_key(*n)).collect();
        let turn = self.next.fetch_add(1, Ordering::Relaxed);
        if up.is_empty() {
            (nodes[turn % nodes.len()].clone(), false)
        } else {
            (up[turn % up.len()].clone(), up.len() > 1)
        }
    }
}

/// Reads a response: its JSON on 2xx, a retryable failure on transport errors and 5xx
/// (a node stopping, a shard without a leader yet), a fatal one on 4xx.
fn read(
    result: Result<ureq::http::Response<ureq::Body>, ureq::Error>,
    base: &str,
) -> Result<Value, Failure> {
    let mut resp = match result {
        Ok(resp) => resp,
        Err(err) => return Err(Failure::Unreachable(format!("{base}: {err}"))),
    };
    let status = resp.status().as_u16();
    let body = match resp
        .body_mut()
        .with_config()
        .limit(BODY_LIMIT)
        .read_to_string()
    {
        Ok(body) => body,
        Err(err) => return Err(Failure::Retry(format!("{base}: reading the answer: {err}"))),
    };
    let json: Option<Value> = serde_json::from_str(&body).ok();
    if (200..300).contains(&status) {
        return json.ok_or_else(|| {
            Failure::Fatal(format!("{base}: Solr answered with something not JSON"))
        });
    }
    let msg = json
        .as_ref()
        .and_then(|j| j["error"]["msg"].as_str())
        .map(str::to_string)
        .unwrap_or_else(|| body.chars().take(300).collect());
    let msg = format!("{base}: Solr said (HTTP {status}): {}", msg.trim());
    if status >= 500 || status == 404 && msg.contains("no servers hosting") {
        Err(Failure::Retry(msg))
    } else {
        Err(Failure::Fatal(msg))
    }
}

/// Escapes a value for a quoted term in Solr's standard query syntax.
pub fn quote(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        if c == '"' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_urls_are_refused_before_any_request() {
        for (url, says) in [
            ("https://solr.example/solr", "plain HTTP"),
            ("127.0.0.1:8983/solr", "starts with http://"),
            (" , ", "no Solr URL"),
        ] {
            let err = Solr::connect(url, "news")
                .err()
                .expect("refused")
                .to_string();
            assert!(err.contains(says), "{url}: {err}");
        }
    }

    #[test]
    fn quoted_values_escape_quotes_and_backslashes() {
        assert_eq!(quote(r#"a "b" \c"#), r#""a \"b\" \\c""#);
    }
}
