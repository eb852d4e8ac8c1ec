//! The response body type: a full buffer, a deliberately truncated one, or a generated one
//! (of a given size, or endless) for the body-size faults.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use hyper::body::{Body, Frame, SizeHint};
use tokio::time::Sleep;

/// How long a truncated body waits after its partial chunk so hyper flushes it before the
/// connection is torn down.
const TRUNCATE_FLUSH_DELAY: Duration = Duration::from_millis(30);

/// Size of one generated chunk.
const CHUNK: usize = 64 * 1024;
/// What generated bodies are made of.
static FILL: [u8; CHUNK] = [b'x'; CHUNK];

#[derive(Debug)]
pub(crate) enum RespBody {
    Full(Option<Bytes>),
    /// Sends `part`, waits, then fails so hyper closes the connection mid-body.
    Truncated {
        part: Option<Bytes>,
        delay: Pin<Box<Sleep>>,
    },
    /// `total` bytes made as they are written: `"`, `x`s, `"` (a JSON string when `total >= 2`).
    /// `exact` announces the size (hyper then sends a Content-Length; otherwise chunked).
    Generated {
        total: u64,
        sent: u64,
        exact: bool,
    },
    /// 64 KiB chunks forever (chunked).
    Endless,
}

impl RespBody {
    pub fn full(b: Bytes) -> RespBody {
        if b.is_empty() {
            RespBody::Full(None)
        } else {
            RespBody::Full(Some(b))
        }
    }

    pub fn generated(total: u64, exact: bool) -> RespBody {
        RespBody::Generated { total, sent: 0, exact }
    }

    pub fn truncated(part: Bytes) -> RespBody {
        RespBody::Truncated {
            part: (!part.is_empty()).then_some(part),
            delay: Box::pin(tokio::time::sleep(TRUNCATE_FLUSH_DELAY)),
        }
    }
}

impl Body for RespBody {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, std::io::Error>>> {
        match self.get_mut() {
            RespBody::Full(b) => Poll::Ready(b.take().map(|b| Ok(Frame::data(b)))),
            RespBody::Truncated { part, delay } => {
                if let Some(p) = part.take() {
                    return Poll::Ready(Some(Ok(Frame::data(p))));
                }
                match delay.as_mut().poll(cx) {
                    Poll::Pending => Poll::Pending,
                    Poll::Ready(()) => Poll::Ready(Some(Err(std::io::Error::new(
                        std::io::ErrorKind::ConnectionAborted,
                        "emulator fault: truncated body",
                    )))),
                }
            }
            RespBody::Generated { total, sent, .. } => {
                if *sent >= *total {
                    return Poll::Ready(None);
                }
                let chunk = if *sent == 0 || *sent + 1 == *total {
                    Bytes::from_static(b"\"")
                } else {
                    // Up to the closing quote.
                    let n = usize::try_from(*total - 1 - *sent).unwrap_or(CHUNK).min(CHUNK);
                    Bytes::from_static(&FILL[..n])
                };
                *sent += chunk.len() as u64;
                Poll::Ready(Some(Ok(Frame::data(chunk))))
            }
            RespBody::Endless => Poll::Ready(Some(Ok(Frame::data(Bytes::from_static(&FILL))))),
        }
    }

    fn is_end_stream(&self) -> bool {
        match self {
            RespBody::Full(None) => true,
            RespBody::Generated { total, sent, .. } => sent >= total,
            _ => false,
        }
    }

    fn size_hint(&self) -> SizeHint {
        match self {
            RespBody::Full(Some(b)) => SizeHint::with_exact(b.len() as u64),
            RespBody::Full(None) => SizeHint::with_exact(0),
            RespBody::Generated { total, sent, exact: true } => SizeHint::with_exact(total.saturating_sub(*sent)),
            RespBody::Truncated { .. } | RespBody::Generated { .. } | RespBody::Endless => SizeHint::default(),
        }
    }
}
