//! `newsdex serve` end to end: the real binary on a temp index of `corpus/` plus a hostile
//! article, on an ephemeral loopback port, asked by a real HTTP client (ureq); and, where
//! Debian's chromium and chromedriver are installed, a headless browser driven through the
//! W3C WebDriver protocol. Every process a test starts is stopped by its PID when the test
//! ends, pass or fail; every wait is a bounded loop.

mod util;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use util::Dir;

/// An article built to break a page that forgot to escape: markup in the title and text.
const HOSTILE: &str = "<script>alert(\"title\")</script> Minister's <b>bold</b> claim\n\n\
Ali Vaez said <script>document.title=\"pwned\"</script> the \"quoted\" & <img src=x onerror=alert(1)> strikes were reckless.\n";

/// A temp corpus (a copy of `corpus/` and the hostile article) and its index.
fn fixture() -> Dir {
    let d = Dir::new();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    for entry in std::fs::read_dir(&src).expect("corpus/ is readable") {
        let path = entry.unwrap().path();
        if path.is_file() {
            let name = path.file_name().unwrap().to_str().unwrap().to_string();
            d.write(&name, std::fs::read(&path).unwrap());
        }
    }
    d.write("hostile.txt", HOSTILE);
    d.index_ok();
    d
}

/// A running `newsdex serve`, killed by PID when dropped.
struct Server {
    child: Child,
    base: String,
    lines: mpsc::Receiver<String>,
    agent: ureq::Agent,
}

impl Server {
    /// Starts the server on `index` at 127.0.0.1:0 and waits (at most 30 s) for its
    /// `listening on http://ADDR` line.
    fn start(index: &Path) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_newsdex"))
            .env_remove("NEWSDEX_INDEX")
            .arg("--index")
            .arg(index)
            .args(["serve", "--addr", "127.0.0.1:0"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start newsdex serve");
        let stderr = child.stderr.take().unwrap();
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(60)))
            .build()
            .into();
        let mut server = Server {
            child,
            base: String::new(),
            lines,
            agent,
        };
        let line = server.line_with("listening on ");
        let addr = line.strip_prefix("listening on ").unwrap();
        assert!(addr.starts_with("http://127.0.0.1:"), "{line}");
        assert!(!addr.ends_with(":0"), "the real port is printed: {line}");
        server.base = addr.to_string();
        server
    }

    /// The next stderr line containing `needle` (at most 30 s of waiting).
    fn line_with(&self, needle: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(30);
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            match self.lines.recv_timeout(left) {
                Ok(line) if line.contains(needle) => return line,
                Ok(_) => {}
                Err(_) => break,
            }
        }
        panic!("newsdex serve printed no line with {needle:?}");
    }

    /// GET `path`: status, headers we check, body.
    fn get(&self, path: &str) -> Reply {
        let mut resp = self
            .agent
            .get(format!("{}{path}", self.base))
            .call()
            .unwrap_or_else(|e| panic!("GET {path}: {e}"));
        let header = |name: &str| {
            resp.headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_string()
        };
        let (content_type, csp) = (header("content-type"), header("content-security-policy"));
        Reply {
            status: resp.status().as_u16(),
            content_type,
            csp,
            body: resp.body_mut().read_to_string().expect("a text body"),
        }
    }

    /// GET `path` expecting JSON with `status`.
    fn json(&self, path: &str, status: u16) -> Value {
        let r = self.get(path);
        assert_eq!(r.status, status, "GET {path}: {}", r.body);
        assert_eq!(r.content_type, "application/json", "GET {path}");
        serde_json::from_str(&r.body).unwrap_or_else(|e| panic!("GET {path}: {e}: {}", r.body))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct Reply {
    status: u16,
    content_type: String,
    csp: String,
    body: String,
}

/// `newsdex <args> --json` on the fixture's index, as JSON values.
fn cli_json(d: &Dir, args: &[&str]) -> Vec<Value> {
    let run = d.run(args);
    assert!(run.code() <= 1, "{args:?}: {}", run.stderr());
    run.json_lines()
}

#[test]
fn search_api_returns_the_clis_hits_with_facets() {
    let d = fixture();
    let s = Server::start(&d.index());
    let r = s.json("/api/search?q=strikes&limit=10", 200);
    let cli = cli_json(&d, &["search", "strikes", "--json", "-n", "10"]);
    assert!(cli.len() >= 5);
    assert_eq!(r["hits"].as_array().unwrap(), &cli, "one serialisation");
    assert_eq!(r["more"], true);
    // facets count the names in the best 100 hits, as the CLI's top 100 name them
    let top = cli_json(&d, &["search", "strikes", "--json", "-n", "100"]);
    for kind in ["person", "place", "org"] {
        let mut counts: std::collections::BTreeMap<String, u64> = Default::default();
        for hit in &top {
            for name in hit[kind].as_array().unwrap() {
                *counts
                    .entry(name.as_str().unwrap().to_string())
                    .or_default() += 1;
            }
        }
        let mut want: Vec<(String, u64)> = counts.into_iter().collect();
        want.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        want.truncate(15);
        let got: Vec<(String, u64)> = r["facets"][kind]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                (
                    f["name"].as_str().unwrap().to_string(),
                    f["passages"].as_u64().unwrap(),
                )
            })
            .collect();
        assert_eq!(got, want, "{kind} facets");
    }
    assert!(r["facets"]["place"][0]["passages"].as_u64().unwrap() >= 3);

    // paging: offset 3 is the CLI's fourth hit onward
    let page = s.json("/api/search?q=strikes&limit=2&offset=3", 200);
    assert_eq!(page["hits"].as_array().unwrap(), &cli[3..5]);

    // filters narrow like --person, and a filter alone is a query
    let f = s.json("/api/search?q=strikes&person=Ali%20Vaez", 200);
    let cli = cli_json(&d, &["search", "strikes", "--person", "Ali Vaez", "--json"]);
    assert_eq!(f["hits"].as_array().unwrap(), &cli);
    assert_eq!(f["filters"]["person"], json!(["Ali Vaez"]));
    let only = s.json("/api/search?org=International%20Crisis%20Group", 200);
    assert!(!only["hits"].as_array().unwrap().is_empty());
}

#[test]
fn mentions_entities_and_article_apis() {
    let d = fixture();
    let s = Server::start(&d.index());
    let all = s.json("/api/mentions?name=Ali%20Vaez&limit=100", 200);
    let cli = cli_json(&d, &["mentions", "Ali Vaez", "--json"]);
    assert_eq!(all["hits"].as_array().unwrap(), &cli);
    assert_eq!(all["passages"].as_u64().unwrap() as usize, cli.len());
    let spellings: Vec<&str> = all["spellings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["spelling"].as_str().unwrap())
        .collect();
    for variant in ["Ali Vaez", "Fayez", "Faiz"] {
        assert!(spellings.contains(&variant), "{spellings:?}");
    }
    let page = s.json("/api/mentions?name=Ali%20Vaez&offset=2&limit=3", 200);
    assert_eq!(page["hits"].as_array().unwrap(), &cli[2..5]);
    assert_eq!(page["passages"], all["passages"]);
    let exact = s.json("/api/mentions?name=Ali%20Vaez&exact=1", 200);
    assert!(exact["passages"].as_u64() < all["passages"].as_u64());

    let people = s.json("/api/entities?type=person&limit=3", 200);
    let list = people["entities"].as_array().unwrap();
    assert_eq!(list.len(), 3);
    assert!(list.iter().all(|e| e["type"] == "person"));
    let cli = cli_json(&d, &["entities", "--type", "person", "-n", "3", "--json"]);
    assert_eq!(list, &cli);
    let with = s.json("/api/entities?cooccur=Ali%20Vaez", 200);
    assert!(with["cooccur_passages"].as_u64().unwrap() > 0);
    assert!(with["entities"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["name"] == "Iran"));

    // an article, whole and in order, with spans that fall on the names
    let id = "iran-pakistan-strikes.txt";
    let a = s.json(&format!("/api/article/{id}"), 200);
    assert_eq!(a["article"], id);
    let passages = a["passages"].as_array().unwrap();
    assert!(passages.len() > 5);
    let mut named = 0;
    for (i, p) in passages.iter().enumerate() {
        assert_eq!(p["passage"].as_u64().unwrap() as usize, i);
        let text = p["text"].as_str().unwrap();
        for e in p["entities"].as_array().unwrap() {
            let (st, en) = (
                e["start"].as_u64().unwrap() as usize,
                e["end"].as_u64().unwrap() as usize,
            );
            let surface = &text[st..en];
            assert!(surface.chars().next().unwrap().is_uppercase(), "{surface}");
            named += 1;
        }
    }
    assert!(named > 5);
    // ids with reserved characters travel percent-encoded
    let wires = cli_json(&d, &["search", "--json", "-n", "50", "path:wires.jsonl"]);
    let jsonl_id = wires[0]["article"].as_str().unwrap();
    let enc: String = jsonl_id
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    let w = s.json(&format!("/api/article/{enc}"), 200);
    assert_eq!(w["article"], jsonl_id);
}

#[test]
fn bad_requests_get_json_errors_with_status() {
    let d = fixture();
    let s = Server::start(&d.index());
    let e = s.json("/api/search?q=%22open", 400);
    let msg = e["error"]["message"].as_str().unwrap();
    assert!(msg.contains("cannot parse query"), "{msg}");
    assert_eq!(e["error"]["status"], 400);
    let e = s.json("/api/search?q=nosuch:x", 400);
    assert!(e["error"]["message"]
        .as_str()
        .unwrap()
        .contains("no field `nosuch`"));
    s.json("/api/search", 400);
    s.json("/api/search?q=x&limit=1000", 400);
    s.json("/api/search?q=x&limit=ten", 400);
    s.json(&format!("/api/search?q={}", "a".repeat(1_001)), 400);
    s.json("/api/mentions?name=%2B%2B", 400);
    s.json("/api/entities?type=animal", 400);
    s.json("/api/article/no-such-article.txt", 404);
    s.json("/api/nothing", 404);
    let long = s.get(&format!("/?q={}", "a".repeat(9_000)));
    assert_eq!(long.status, 414);
    let post = s
        .agent
        .post(format!("{}/api/search?q=x", s.base))
        .send("")
        .unwrap();
    assert_eq!(post.status().as_u16(), 405);
    // a bad query on the page is a 400 page that shows the parser's message
    let page = s.get("/?q=%22open");
    assert_eq!(page.status, 400);
    assert!(page.body.contains("cannot parse query"), "{}", page.body);
}

#[test]
fn pages_escape_every_text_and_carry_a_csp() {
    let d = fixture();
    let s = Server::start(&d.index());
    let article = s.get("/article/hostile.txt");
    assert_eq!(article.status, 200);
    assert!(article.content_type.starts_with("text/html"));
    assert!(article.csp.contains("script-src 'self'"), "{}", article.csp);
    assert!(!article.csp.contains("unsafe-inline"));
    let body = &article.body;
    // the article's markup shows as text...
    assert!(
        body.contains("&lt;script&gt;document.title=\"pwned\"&lt;/script&gt;"),
        "{body}"
    );
    assert!(
        body.contains("&lt;img src=x onerror=alert(1)&gt;"),
        "{body}"
    );
    assert!(body.contains("<h1>&lt;script&gt;alert(\"title\")&lt;/script&gt; Minister's &lt;b&gt;bold&lt;/b&gt; claim</h1>"), "{body}");
    // ...and the only script element is the server's own
    assert_eq!(body.matches("<script").count(), 1, "{body}");
    assert!(body.contains(r#"<script src="/static/app.js" defer></script>"#));
    assert!(!body.contains("<img"));
    // names are marked, with their type
    assert!(body.contains(r#"class="ent person""#), "{body}");

    // a query with markup is escaped in the box, the title and the parser's message
    let page = s.get("/?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E%20OR%20reckless");
    assert_eq!(page.body.matches("<script").count(), 1, "{}", page.body);
    assert!(page
        .body
        .contains("value=\"&lt;script&gt;alert(1)&lt;/script&gt; OR reckless\""));
    assert!(page.body.contains("<title>&lt;script&gt;alert(1)"));
    let page = s.get("/?q=reckless");
    assert!(page.body.contains("<mark>reckless</mark>"), "{}", page.body);
    // hits link to article ids and passage anchors, not files
    assert!(
        page.body.contains(r#"href="/article/hostile.txt#p1""#),
        "{}",
        page.body
    );

    for path in [
        "/",
        "/entity?name=Ali%20Vaez",
        "/static/app.js",
        "/api/search?q=x",
    ] {
        assert!(s.get(path).csp.contains("default-src 'none'"), "{path}");
    }
}

#[test]
fn search_entity_and_article_pages_work_without_javascript() {
    let d = fixture();
    let s = Server::start(&d.index());
    let home = s.get("/");
    assert_eq!(home.status, 200);
    assert!(home.body.contains("How to write a query"));
    // the start page lists the most named entities, each linking to its page
    let most = s.json("/api/entities?type=place&limit=1", 200);
    let top = most["entities"][0]["name"].as_str().unwrap();
    assert!(
        home.body.contains(&format!(
            r#"<a class="facet place" href="/entity?name={top}&amp;type=place">{top}</a>"#
        )),
        "{}",
        home.body
    );
    let hits = s.get("/?q=%22Crisis+Group%22");
    assert!(
        hits.body.contains("<mark>Crisis Group</mark>"),
        "{}",
        hits.body
    );
    // a facet is a plain link that adds the filter
    assert!(
        hits.body.contains(r#"<a class="facet person" href="/?q=%22Crisis%20Group%22&amp;person=Ali%20Vaez">Ali Vaez</a>"#),
        "{}",
        hits.body
    );
    let filtered = s.get("/?q=%22Crisis%20Group%22&person=Ali%20Vaez");
    assert!(filtered.body.contains(r#"class="chip person""#));
    assert!(filtered.body.contains(r#"class="facet person on""#));
    assert!(filtered.body.contains(", best first"), "{}", filtered.body);
    // a filter alone does not rank, and the page says in what order its passages come
    let alone = s.get("/?person=Ali%20Vaez");
    assert!(alone.body.contains(", in index order"), "{}", alone.body);
    // a mentions search lists the spellings it matched
    let m = s.get("/?q=Ali+Vaez&mode=mentions");
    for spelling in ["Fayez", "Faiz"] {
        assert!(
            m.body
                .contains(&format!(r#"<span class="spelling">{spelling} "#)),
            "{}",
            m.body
        );
    }
    // the entity page: spellings, names seen with it, its passages
    let e = s.get("/entity?name=Ali%20Vaez&type=person");
    assert_eq!(e.status, 200);
    assert!(e.body.contains("Seen with"));
    assert!(e.body.contains(r#"<span class="spelling">Faiz "#));
    assert!(e.body.contains("<mark>Ali Vaez</mark>"));
    // the corpus's JSON articles carry dates, so the chart has bars
    let dated = s.json("/api/mentions?name=Davos", 200);
    assert!(dated["hits"]
        .as_array()
        .unwrap()
        .iter()
        .any(|h| !h["date"].is_null()));
    let chart = s.get("/entity?name=Davos");
    assert!(
        chart.body.contains("<svg") && chart.body.contains("<rect"),
        "{}",
        chart.body
    );
    // the article page: every passage an anchor
    let a = s.get("/article/iran-pakistan-strikes.txt");
    assert!(a
        .body
        .contains(r##"<p class="passage" id="p0"><a class="pn" href="#p0""##));
    assert!(a.body.contains("Named in this article"));
    assert_eq!(s.get("/article/nope").status, 404);
    assert_eq!(s.get("/static/style.css").status, 200);
}

#[test]
fn no_index_is_a_503_until_one_is_built_and_commits_are_followed() {
    let d = Dir::new();
    d.write(
        "a.txt",
        "Border news\n\nNothing happened at the border today.\n",
    );
    let s = Server::start(&d.index());
    let e = s.json("/api/search?q=border", 503);
    let msg = e["error"]["message"].as_str().unwrap();
    assert!(
        msg.starts_with("no index at ") && msg.contains("run `newsdex index` first"),
        "{msg}"
    );
    let page = s.get("/?q=border");
    assert_eq!(page.status, 503);
    assert!(page.body.contains("run `newsdex index` first"));

    d.index_ok();
    let r = s.json("/api/search?q=border", 200);
    assert_eq!(r["hits"][0]["path"], "a.txt");

    // a commit beside the running server shows without a restart
    d.write("b.txt", "Harbour news\n\nA ship reached the harbour.\n");
    d.index_ok();
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let r = s.json("/api/search?q=harbour", 200);
        if !r["hits"].as_array().unwrap().is_empty() {
            break;
        }
        assert!(Instant::now() < deadline, "the new commit never showed");
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn refuses_public_addresses_and_stops_on_sigterm() {
    let d = Dir::new();
    let run = d.run(&["serve", "--addr", "0.0.0.0:0"]);
    assert_eq!(run.code(), 2);
    assert!(
        run.stderr().contains("--public") && run.stderr().contains("no authentication"),
        "{}",
        run.stderr()
    );
    let run = d.run(&["serve", "--addr", "nonsense"]);
    assert_eq!(run.code(), 2);
    assert!(run.stderr().contains("HOST:PORT"), "{}", run.stderr());

    let mut s = Server::start(&d.index());
    let pid = s.child.id().to_string();
    let status = Command::new("kill").args(["-TERM", &pid]).status().unwrap();
    assert!(status.success());
    let deadline = Instant::now() + Duration::from_secs(20);
    let code = loop {
        if let Some(code) = s.child.try_wait().unwrap() {
            break code;
        }
        assert!(Instant::now() < deadline, "serve did not stop on SIGTERM");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(code.success(), "{code:?}");
    s.line_with("stopped");
}

/// Connections that arrive together are all served while every one of them stays open.
/// After one connection had come and gone, tiny_http 0.12 answered 4 of 24 such
/// connections and left the rest waiting for one to close (its thread pool lost the
/// wake-ups; measured with the same sequence against the 213 MB benchmark index).
#[test]
fn connections_opened_together_are_all_answered() {
    use std::io::{Read, Write};
    let d = fixture();
    let s = Server::start(&d.index());
    let addr = s.base.strip_prefix("http://").unwrap().to_string();
    // one connection first, answered and closed
    let mut first = std::net::TcpStream::connect(&addr).unwrap();
    first
        .write_all(b"GET /api/search?q=strikes HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
        .unwrap();
    let mut answer = String::new();
    first.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    std::thread::sleep(Duration::from_millis(300));
    let mut conns: Vec<std::net::TcpStream> = (0..24)
        .map(|_| std::net::TcpStream::connect(&addr).unwrap())
        .collect();
    for c in &mut conns {
        c.write_all(b"GET /api/search?q=strikes HTTP/1.1\r\nHost: t\r\n\r\n")
            .unwrap();
    }
    for (i, c) in conns.iter_mut().enumerate() {
        c.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
        let mut head = Vec::new();
        let mut byte = [0u8; 1];
        while !head.ends_with(b"\r\n\r\n") {
            match c.read(&mut byte) {
                Ok(1) => head.push(byte[0]),
                other => panic!("connection {i} got no answer: {other:?}"),
            }
        }
        let head = String::from_utf8_lossy(&head);
        assert!(head.starts_with("HTTP/1.1 200"), "connection {i}: {head}");
    }
}

// ---------------------------------------------------------------------------------------
// The browser test: headless Chromium through chromedriver's W3C WebDriver HTTP API.

/// The first of `names` on PATH or in /usr/bin.
fn find_program(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    let mut dirs: Vec<PathBuf> = std::env::split_paths(&path).collect();
    dirs.push("/usr/bin".into());
    dirs.push("/usr/lib/chromium".into());
    names
        .iter()
        .flat_map(|n| dirs.iter().map(move |d| d.join(n)))
        .find(|p| p.is_file())
}

/// chromedriver and a session on it, both ended when dropped (the session first, so the
/// browser closes, then the driver by its PID).
struct Browser {
    driver: Child,
    base: String,
    session: String,
    agent: ureq::Agent,
}

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

impl Browser {
    fn start(driver: &Path, chromium: &Path) -> Browser {
        let port = {
            let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            l.local_addr().unwrap().port()
        };
        let driver = Command::new(driver)
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(60)))
            .build()
            .into();
        let mut b = Browser {
            driver,
            base: format!("http://127.0.0.1:{port}"),
            session: String::new(),
            agent,
        };
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let ready = b
                .agent
                .get(format!("{}/status", b.base))
                .call()
                .ok()
                .and_then(|mut r| r.body_mut().read_to_string().ok())
                .and_then(|s| serde_json::from_str::<Value>(&s).ok())
                .is_some_and(|v| v["value"]["ready"] == true);
            if ready {
                break;
            }
            assert!(Instant::now() < deadline, "chromedriver did not get ready");
            std::thread::sleep(Duration::from_millis(100));
        }
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": chromium,
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu",
                         "--disable-dev-shm-usage", "--window-size=1200,900"]
            }
        }}});
        let v = b.call("POST", "/session", Some(caps));
        b.session = v["sessionId"].as_str().expect("a session id").to_string();
        b
    }

    /// One WebDriver command; returns its `value`, panicking on a WebDriver error.
    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let url = format!("{}{path}", self.base);
        let resp = match method {
            "GET" => self.agent.get(&url).call(),
            "DELETE" => self.agent.delete(&url).call(),
            _ => self
                .agent
                .post(&url)
                .header("Content-Type", "application/json")
                .send(body.unwrap_or(json!({})).to_string()),
        };
        let mut resp = resp.unwrap_or_else(|e| panic!("{method} {path}: {e}"));
        let status = resp.status().as_u16();
        let text = resp.body_mut().read_to_string().unwrap();
        let v: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
        assert!(status < 400, "{method} {path}: {status} {text}");
        v["value"].clone()
    }

    fn s(&self, rest: &str) -> String {
        format!("/session/{}{rest}", self.session)
    }

    fn go(&self, url: &str) {
        self.call("POST", &self.s("/url"), Some(json!({"url": url})));
    }

    fn url(&self) -> String {
        self.call("GET", &self.s("/url"), None)
            .as_str()
            .unwrap()
            .to_string()
    }

    /// Element ids matching a CSS selector (possibly none).
    fn find_all(&self, css: &str) -> Vec<String> {
        let v = self.call(
            "POST",
            &self.s("/elements"),
            Some(json!({"using": "css selector", "value": css})),
        );
        v.as_array()
            .unwrap()
            .iter()
            .map(|e| {
                e[ELEMENT]
                    .as_str()
                    .unwrap_or_else(|| panic!("no element reference in {e}"))
                    .to_string()
            })
            .collect()
    }

    /// Element ids matching a CSS selector within `element`.
    fn find_all_in(&self, element: &str, css: &str) -> Vec<String> {
        let v = self.call(
            "POST",
            &self.s(&format!("/element/{element}/elements")),
            Some(json!({"using": "css selector", "value": css})),
        );
        v.as_array()
            .unwrap()
            .iter()
            .filter_map(|e| e[ELEMENT].as_str().map(str::to_string))
            .collect()
    }

    /// Waits (at most 20 s) until `css` matches, and returns the matches.
    fn wait_for(&self, css: &str) -> Vec<String> {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let found = self.find_all(css);
            if !found.is_empty() {
                return found;
            }
            assert!(
                Instant::now() < deadline,
                "nothing matched {css:?} at {}",
                self.url()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn text(&self, element: &str) -> String {
        let v = self.call("GET", &self.s(&format!("/element/{element}/text")), None);
        v.as_str().unwrap().to_string()
    }

    fn click(&self, element: &str) {
        self.call(
            "POST",
            &self.s(&format!("/element/{element}/click")),
            Some(json!({})),
        );
    }

    fn type_into(&self, element: &str, text: &str) {
        let path = self.s(&format!("/element/{element}/value"));
        self.call("POST", &path, Some(json!({"text": text})));
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let _ = self
                .agent
                .delete(format!("{}/session/{}", self.base, self.session))
                .call();
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

#[test]
fn browser_searches_filters_and_opens_an_article() {
    let (Some(driver), Some(chromium)) = (
        find_program(&["chromedriver"]),
        find_program(&["chromium", "chromium-browser", "google-chrome"]),
    ) else {
        let msg =
            "no chromium and chromedriver found (Debian: apt-get install chromium chromium-driver)";
        assert!(
            std::env::var_os("NEWSDEX_REQUIRE_BROWSER").is_none(),
            "NEWSDEX_REQUIRE_BROWSER is set but {msg}"
        );
        eprintln!("skipping the browser test: {msg}");
        return;
    };
    let d = fixture();
    let s = Server::start(&d.index());
    let b = Browser::start(&driver, &chromium);

    // type a query and press Enter
    b.go(&format!("{}/", s.base));
    let input = b.wait_for("form.search input[name=q]");
    b.type_into(&input[0], "\"Crisis Group\" Iran\u{E007}");
    let marks = b.wait_for("li.hit mark");
    let marked: Vec<String> = marks.iter().map(|m| b.text(m)).collect();
    assert!(marked.iter().any(|m| m == "Crisis Group"), "{marked:?}");
    let before = b.find_all("li.hit").len();

    // click the first person facet: the hits are filtered to passages naming them
    let facet = b.wait_for("aside.facets a.facet.person")[0].clone();
    let name = b.text(&facet);
    b.click(&facet);
    let chip = b.wait_for("a.chip.person");
    assert!(b.text(&chip[0]).contains(&name), "{name}");
    assert!(b.url().contains("person="));
    let hits = b.find_all("li.hit");
    assert!(!hits.is_empty() && hits.len() <= before);
    // the page shows what the API answers for the same filter: every spelling of the name
    let api = s.json(
        &format!(
            "/api/search?q=%22Crisis%20Group%22%20Iran&person={}",
            name.replace(' ', "%20")
        ),
        200,
    );
    assert_eq!(hits.len(), api["hits"].as_array().unwrap().len());
    for ents in b.find_all("li.hit p.ents") {
        assert!(!b.find_all_in(&ents, "a.ent.person").is_empty());
    }

    // open the first hit: the article page at that passage, names marked by type
    let title = b.wait_for("li.hit a.title")[0].clone();
    b.click(&title);
    b.wait_for("p.passage:target");
    assert!(b.url().contains("/article/"), "{}", b.url());
    assert!(!b.find_all("article.doc a.ent.person").is_empty());
    assert!(!b.find_all("article.doc a.ent.place").is_empty());
}

/// The compare page (issue 19, item 3): linked from an article with versions, it shows
/// what `compare` finds, and it reads only articles of the index.
#[test]
fn article_pages_link_their_versions_to_a_compare_page() {
    let d = fixture();
    let s = Server::start(&d.index());
    let article = s.get("/article/iran-pakistan-strikes.txt");
    assert_eq!(article.status, 200);
    assert!(
        article.body.contains("Other versions of this story"),
        "no versions section"
    );
    assert!(article
        .body
        .contains(r#"href="/compare?a=iran-pakistan-strikes.txt&amp;b="#));
    let page = s.get("/compare?a=iran-pakistan-strikes.txt&b=iran-pakistan-translated.md");
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.csp.contains("default-src"));
    // the CLI's comparison of the same two articles, as the page shows it
    let cli = cli_json(
        &d,
        &[
            "compare",
            "iran-pakistan-strikes.txt",
            "iran-pakistan-translated.md",
            "--json",
        ],
    );
    let only = cli[0]["entities"].as_array().expect("entity differences");
    assert!(!only.is_empty());
    for e in only {
        let name = e["name"].as_str().unwrap();
        let shown = name.replace('&', "&amp;").replace('\'', "&#x27;");
        assert!(page.body.contains(&shown), "{name} not on the page");
    }
    assert!(page.body.contains("Named in one version only"));
    // no file outside the index is read, and a missing article is a 404
    assert_eq!(s.get("/compare?a=/etc/passwd&b=hostile.txt").status, 404);
    assert_eq!(s.get("/compare?a=hostile.txt").status, 400);
}
