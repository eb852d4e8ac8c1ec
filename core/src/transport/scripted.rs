//! A scripted server in place of the network, for unit tests of the request
//! engine and the refresh rules: every request is recorded and answered by a
//! function of it.

use std::sync::{Arc, Mutex};

use super::{HttpSend, Outgoing, Reply, SendError, SendFuture, Stage};

/// One request as the scripted server received it.
#[derive(Debug, Clone)]
pub(crate) struct Seen {
    pub method: String,
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: Option<bytes::Bytes>,
}

impl Seen {
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

/// A scripted reply: status, headers, body.
pub(crate) type Canned = (u16, Vec<(&'static str, &'static str)>, &'static str);

type Answer = dyn Fn(&Seen, usize) -> Result<Reply, SendError> + Send + Sync;

pub(crate) struct Scripted {
    pub seen: Mutex<Vec<Seen>>,
    answer: Box<Answer>,
}

impl Scripted {
    /// A server answering each request with `answer(request, how many came before it)`.
    pub(crate) fn new(answer: impl Fn(&Seen, usize) -> Result<Reply, SendError> + Send + Sync + 'static) -> Arc<Self> {
        Arc::new(Scripted { seen: Mutex::new(Vec::new()), answer: Box::new(answer) })
    }

    /// A server giving these replies in turn (the last one again when they run out).
    pub(crate) fn replies(replies: Vec<Canned>) -> Arc<Self> {
        Scripted::new(move |_, n| {
            let (status, headers, body) = replies.get(n).or(replies.last()).cloned().unwrap_or((200, vec![], ""));
            Ok(reply(status, &headers, body))
        })
    }

    pub(crate) fn requests(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

pub(crate) fn reply(status: u16, headers: &[(&str, &str)], body: &str) -> Reply {
    Reply {
        status,
        headers: headers.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect(),
        body: bytes::Bytes::from(body.to_owned()),
    }
}

/// A failure after the request may have reached the server (a reset, no reply).
pub(crate) fn reset() -> SendError {
    SendError::Failed { stage: Stage::Send, timed_out: false, message: "connection reset".into(), partial: None }
}

/// A connection that could not be made: nothing was sent.
pub(crate) fn refused() -> SendError {
    SendError::Failed { stage: Stage::Connect, timed_out: false, message: "connection refused".into(), partial: None }
}

impl HttpSend for Scripted {
    fn send<'a>(&'a self, req: Outgoing<'a>) -> SendFuture<'a> {
        let seen = Seen {
            method: req.method.to_owned(),
            url: req.url.to_string(),
            headers: req.headers.to_vec(),
            body: req.body.clone(),
        };
        let n = {
            let mut all = self.seen.lock().unwrap();
            all.push(seen.clone());
            all.len() - 1
        };
        let out = (self.answer)(&seen, n);
        Box::pin(async move {
            // A moment in flight, so concurrent calls overlap.
            tokio::task::yield_now().await;
            out
        })
    }
}
