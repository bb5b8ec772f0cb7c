//! The HTTP/1.1 transport of `serve`: connections, request heads, answers on the wire.
//!
//! Each connection has a thread of its own that reads its requests (kept alive as HTTP/1.1
//! asks) and writes the answers; at most `workers` requests are answered at once, the rest
//! wait for a turn. A connection that has sent nothing for [`IDLE`] is closed, and at most
//! [`MAX_CONNECTIONS`] are open at once (the next gets a 503 and is closed). The request
//! head is parsed by `httparse`; this server only reads, so a request that carries a body
//! is answered and the connection closed without reading it.
//!
//! It replaced tiny_http 0.12, whose thread pool could leave a new connection unserved
//! until another connection closed when several arrived together (BENCHMARKS.md, issue 18).
//!
//! May import: `routes` (the answer type). Knows nothing of the index.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use super::routes::Reply;

/// A connection with no request for this long is closed.
pub const IDLE: Duration = Duration::from_secs(15);
/// Most connections open at once.
pub const MAX_CONNECTIONS: usize = 256;
/// Longest request head (request line and headers) read, in bytes.
const MAX_HEAD_BYTES: usize = 16 * 1024;
/// How often an idle connection looks at the stop flag.
const TICK: Duration = Duration::from_millis(100);

/// One request, as the routes need it.
pub struct Request<'a> {
    /// `GET`, `HEAD`, …
    pub method: &'a str,
    /// The request target: path and query string.
    pub target: &'a str,
}

/// Stops a server: sets its flag, then connects once to its address so that the accept
/// waiting in [`serve`] returns and sees the flag.
pub struct Stopper {
    flag: Arc<AtomicBool>,
    addr: SocketAddr,
}

impl Stopper {
    /// A stopper for the server listening on `addr` (an unspecified address, such as
    /// 0.0.0.0, is reached on loopback) and watching `flag`.
    pub fn new(flag: Arc<AtomicBool>, addr: SocketAddr) -> Stopper {
        let mut addr = addr;
        if addr.ip().is_unspecified() {
            addr.set_ip(match addr {
                SocketAddr::V4(_) => std::net::Ipv4Addr::LOCALHOST.into(),
                SocketAddr::V6(_) => std::net::Ipv6Addr::LOCALHOST.into(),
            });
        }
        Stopper { flag, addr }
    }

    /// Asks the server to stop: it answers the requests in hand, then [`serve`] returns.
    pub fn stop(&self) {
        self.flag.store(true, Ordering::SeqCst);
        // if this fails, the server is not waiting in accept or is gone already
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_secs(2));
    }
}

/// Counts the requests being answered and makes the others wait for a turn.
struct Turns {
    busy: Mutex<usize>,
    freed: Condvar,
    max: usize,
}

impl Turns {
    fn take(&self) {
        let mut busy = self.busy.lock().unwrap_or_else(|e| e.into_inner());
        while *busy >= self.max {
            busy = self.freed.wait(busy).unwrap_or_else(|e| e.into_inner());
        }
        *busy += 1;
    }

    fn give_back(&self) {
        let mut busy = self.busy.lock().unwrap_or_else(|e| e.into_inner());
        *busy -= 1;
        self.freed.notify_one();
    }
}

/// Accepts connections on `listener` and answers their requests with `answer`, at most
/// `workers` at once, until `stop` is set; the requests in hand are answered first.
///
/// The accept waits without a timeout, so an idle server uses no CPU: whoever sets `stop`
/// then connects once to the listener to wake it (see [`Stopper`]). (It used to look for
/// a connection every 2 ms: 0.7% of a core while idle.)
pub fn serve(
    listener: &TcpListener,
    workers: usize,
    stop: &AtomicBool,
    answer: &(dyn Fn(&Request) -> Reply + Sync),
) -> std::io::Result<()> {
    listener.set_nonblocking(false)?;
    let turns = Turns {
        busy: Mutex::new(0),
        freed: Condvar::new(),
        max: workers.max(1),
    };
    let open = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        while !stop.load(Ordering::SeqCst) {
            let stream = match listener.accept() {
                Ok((stream, _)) => stream,
                // a connection that failed before it was accepted is no concern of the
                // server's; a pause, in case the error repeats (out of file descriptors)
                Err(_) => {
                    std::thread::sleep(Duration::from_millis(10));
                    continue;
                }
            };
            if stop.load(Ordering::SeqCst) {
                // the connection that woke the accept to stop, or one that came with it
                break;
            }
            if open.load(Ordering::SeqCst) >= MAX_CONNECTIONS {
                let mut stream = stream;
                let _ = stream.set_nonblocking(false);
                let busy = plain(503, "too many connections; try again\n");
                let _ = write_reply(&mut stream, busy, false, true);
                continue;
            }
            open.fetch_add(1, Ordering::SeqCst);
            let (turns, open) = (&turns, &open);
            let spawned = std::thread::Builder::new()
                .name("newsdex-http".into())
                .spawn_scoped(scope, move || {
                    let _ = connection(stream, turns, stop, answer);
                    open.fetch_sub(1, Ordering::SeqCst);
                });
            if spawned.is_err() {
                open.fetch_sub(1, Ordering::SeqCst);
            }
        }
    });
    Ok(())
}

/// Answers the requests of one connection until it closes, idles past [`IDLE`], sends
/// something that is not a request this server reads, or the server stops.
fn connection(
    mut stream: TcpStream,
    turns: &Turns,
    stop: &AtomicBool,
    answer: &(dyn Fn(&Request) -> Reply + Sync),
) -> std::io::Result<()> {
    stream.set_nonblocking(false)?;
    stream.set_nodelay(true)?;
    stream.set_read_timeout(Some(TICK))?;
    let mut buf: Vec<u8> = Vec::with_capacity(1024);
    let mut chunk = [0u8; 4096];
    let mut idle_since = Instant::now();
    loop {
        // read until a whole head is in hand (pipelined requests may already be there)
        let head_len = loop {
            if let Some(end) = find_head_end(&buf) {
                break end;
            }
            if buf.len() > MAX_HEAD_BYTES {
                let reply = plain(431, "the request head is too long\n");
                return write_reply(&mut stream, reply, false, true);
            }
            if stop.load(Ordering::SeqCst) && buf.is_empty() {
                return Ok(());
            }
            match stream.read(&mut chunk) {
                Ok(0) => return Ok(()),
                Ok(n) => {
                    buf.extend_from_slice(&chunk[..n]);
                    idle_since = Instant::now();
                }
                Err(err)
                    if matches!(
                        err.kind(),
                        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                    ) =>
                {
                    if idle_since.elapsed() > IDLE {
                        return Ok(());
                    }
                }
                Err(err) if err.kind() == std::io::ErrorKind::Interrupted => {}
                Err(err) => return Err(err),
            }
        };
        let mut headers = [httparse::EMPTY_HEADER; 64];
        let mut parsed = httparse::Request::new(&mut headers);
        let complete = matches!(
            parsed.parse(&buf[..head_len]),
            Ok(httparse::Status::Complete(_))
        );
        let (true, Some(method), Some(target), Some(version)) =
            (complete, parsed.method, parsed.path, parsed.version)
        else {
            let reply = plain(400, "not an HTTP request\n");
            return write_reply(&mut stream, reply, false, true);
        };
        let header = |name: &str| {
            parsed
                .headers
                .iter()
                .find(|h| h.name.eq_ignore_ascii_case(name))
                .map(|h| String::from_utf8_lossy(h.value).to_ascii_lowercase())
        };
        let connection_header = header("connection").unwrap_or_default();
        let mut close = if version == 0 {
            !connection_header.contains("keep-alive")
        } else {
            connection_header.contains("close")
        };
        // a body is never read: answer, then close so it is not taken for the next request
        let has_body = header("transfer-encoding").is_some()
            || header("content-length").is_some_and(|v| v.trim() != "0");
        close |= has_body || stop.load(Ordering::SeqCst);
        let head_only = method == "HEAD";
        let request = Request { method, target };
        turns.take();
        let reply = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| answer(&request)));
        turns.give_back();
        let reply = reply.unwrap_or_else(|_| plain(500, "internal error\n"));
        write_reply(&mut stream, reply, head_only, close)?;
        if close {
            return Ok(());
        }
        buf.drain(..head_len);
        idle_since = Instant::now();
    }
}

/// Where the head in `buf` ends (after its blank line), if it is all there.
fn find_head_end(buf: &[u8]) -> Option<usize> {
    buf.windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|at| at + 4)
}

fn plain(status: u16, text: &str) -> Reply {
    Reply {
        status,
        content_type: "text/plain; charset=utf-8",
        body: text.as_bytes().to_vec(),
        cacheable: false,
    }
}

/// Writes `reply` as one HTTP/1.1 answer: status line, headers, body (none for HEAD).
fn write_reply(
    stream: &mut TcpStream,
    reply: Reply,
    head_only: bool,
    close: bool,
) -> std::io::Result<()> {
    let mut out = Vec::with_capacity(reply.body.len() + 512);
    write!(
        out,
        "HTTP/1.1 {} {}\r\nContent-Length: {}\r\n",
        reply.status,
        reason(reply.status),
        reply.body.len()
    )?;
    for (name, value) in reply.headers() {
        write!(out, "{name}: {value}\r\n")?;
    }
    if close {
        out.extend_from_slice(b"Connection: close\r\n");
    }
    out.extend_from_slice(b"\r\n");
    if !head_only {
        out.extend_from_slice(&reply.body);
    }
    stream.write_all(&out)?;
    stream.flush()
}

/// The reason phrase of the statuses this server sends.
fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        414 => "URI Too Long",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heads_end_at_the_blank_line() {
        assert_eq!(
            find_head_end(b"GET / HTTP/1.1\r\nHost: x\r\n\r\nGET"),
            Some(27)
        );
        assert_eq!(find_head_end(b"GET / HTTP/1.1\r\nHost: x\r\n"), None);
    }
}
