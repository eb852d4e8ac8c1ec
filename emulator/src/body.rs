//! The response body type: a full buffer, or a deliberately truncated one.

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

#[derive(Debug)]
pub(crate) enum RespBody {
    Full(Option<Bytes>),
    /// Sends `part`, waits, then fails so hyper closes the connection mid-body.
    Truncated {
        part: Option<Bytes>,
        delay: Pin<Box<Sleep>>,
    },
}

impl RespBody {
    pub fn full(b: Bytes) -> RespBody {
        if b.is_empty() {
            RespBody::Full(None)
        } else {
            RespBody::Full(Some(b))
        }
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
        }
    }

    fn is_end_stream(&self) -> bool {
        matches!(self, RespBody::Full(None))
    }

    fn size_hint(&self) -> SizeHint {
        match self {
            RespBody::Full(Some(b)) => SizeHint::with_exact(b.len() as u64),
            RespBody::Full(None) => SizeHint::with_exact(0),
            RespBody::Truncated { .. } => SizeHint::default(),
        }
    }
}
