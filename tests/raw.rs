//! Raw HTTP/1.1 servers on 127.0.0.1 that misbehave on purpose (never answer,
//! stall, trickle, send endless bodies, cut the connection), for the
//! misbehaving-server tests and the memory benchmark. Each connection gets
//! one request and one answer; the server counts the connections and the
//! body bytes it managed to write.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// A running server; it stops with the runtime.
#[derive(Debug, Clone)]
pub struct Server {
    /// `http://127.0.0.1:<port>`.
    pub base: String,
    written: Arc<AtomicU64>,
    connections: Arc<AtomicUsize>,
}

impl Server {
    /// The body bytes written so far, over all connections.
    pub fn written(&self) -> u64 {
        self.written.load(Ordering::SeqCst)
    }

    /// The connections accepted so far.
    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }
}

/// One accepted connection.
pub struct Conn {
    socket: TcpStream,
    /// 0 for the first connection of the server, 1 for the next, …
    pub number: usize,
    written: Arc<AtomicU64>,
}

impl Conn {
    /// Reads the request head (and nothing of a body); `None` when the
    /// client went away first.
    pub async fn read_request(&mut self) -> Option<String> {
        let mut head = Vec::new();
        let mut buf = [0; 4096];
        while !head.windows(4).any(|w| w == b"\r\n\r\n") {
            match self.socket.read(&mut buf).await {
                Ok(0) | Err(_) => return None,
                Ok(n) => head.extend_from_slice(&buf[..n]),
            }
        }
        Some(String::from_utf8_lossy(&head).into_owned())
    }

    /// Writes `bytes` (not counted as body); `false` when the client went
    /// away.
    pub async fn send(&mut self, bytes: impl AsRef<[u8]>) -> bool {
        self.socket.write_all(bytes.as_ref()).await.is_ok()
    }

    /// Writes `len` body bytes in 64 KiB chunks, counting them, until done or
    /// the client goes away; returns the bytes written.
    pub async fn send_body(&mut self, len: u64) -> u64 {
        let chunk = vec![b'x'; 64 * 1024];
        let mut sent = 0;
        while sent < len {
            let n = (len - sent).min(chunk.len() as u64) as usize;
            if self.socket.write_all(&chunk[..n]).await.is_err() {
                break;
            }
            sent += n as u64;
            self.written.fetch_add(n as u64, Ordering::SeqCst);
        }
        sent
    }

    /// Writes one counted body byte; `false` when the client went away.
    pub async fn send_byte(&mut self) -> bool {
        let ok = self.socket.write_all(b"x").await.is_ok();
        if ok {
            self.written.fetch_add(1, Ordering::SeqCst);
        }
        ok
    }

    /// Keeps the connection open, answering nothing, until the client closes it.
    pub async fn hold(mut self) {
        let mut buf = [0; 4096];
        while let Ok(n) = self.socket.read(&mut buf).await {
            if n == 0 {
                break;
            }
        }
    }

    /// Closes the connection now.
    pub async fn close(mut self) {
        let _ = self.socket.shutdown().await;
    }
}

/// Starts a server that hands every connection to `handle`.
pub async fn serve<F, Fut>(handle: F) -> Server
where
    F: Fn(Conn) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a port on 127.0.0.1");
    let server = Server {
        base: format!("http://{}", listener.local_addr().expect("an address")),
        written: Arc::default(),
        connections: Arc::default(),
    };
    let (written, connections) = (server.written.clone(), server.connections.clone());
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let number = connections.fetch_add(1, Ordering::SeqCst);
            tokio::spawn(handle(Conn {
                socket,
                number,
                written: written.clone(),
            }));
        }
    });
    server
}

/// A response head: status line, `headers` (each `Name: value`), and
/// `Connection: close`, then the blank line.
pub fn head(status: &str, headers: &[String]) -> String {
    let mut head = format!("HTTP/1.1 {status}\r\nConnection: close\r\n");
    for header in headers {
        head.push_str(header);
        head.push_str("\r\n");
    }
    head.push_str("\r\n");
    head
}

/// A whole `Connection: close` response with a `Content-Length`.
pub fn response(status: &str, headers: &[String], body: &str) -> String {
    let mut headers = headers.to_vec();
    headers.push(format!("Content-Length: {}", body.len()));
    head(status, &headers) + body
}
