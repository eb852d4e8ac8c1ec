//! The stateful part of the API host: users (with profile skills) and routing queues.
//!
//! Records are kept as JSON objects in creation order; the handlers in `api/users.rs` and
//! `api/queues.rs` own the rules (versions, uniqueness, paging). The store starts from the
//! seed data in `data.rs` and goes back to it on `reset`.

use std::collections::HashMap;
use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{Map, Value};

use crate::data;

pub(crate) type Record = Map<String, Value>;

#[derive(Debug, Default)]
pub(crate) struct Directory {
    /// Users in creation order (the seeded ones first).
    pub users: Vec<Record>,
    /// Profile skills by user id (absent: none).
    pub skills: HashMap<String, Vec<String>>,
    /// Routing queues in creation order.
    pub queues: Vec<Record>,
}

fn record(v: Value) -> Record {
    match v {
        Value::Object(m) => m,
        _ => Record::new(),
    }
}

impl Directory {
    /// The seed: 57 users and 60 routing queues.
    pub fn seeded() -> Directory {
        Directory {
            users: (0..data::USER_COUNT).map(|i| record(data::user(i, data::Expand::default()))).collect(),
            skills: HashMap::new(),
            queues: (0..data::QUEUE_COUNT).map(|i| record(data::queue(i))).collect(),
        }
    }

    pub fn user_index(&self, id: &str) -> Option<usize> {
        self.users.iter().position(|u| str_field(u, "id") == Some(id))
    }

    pub fn user(&self, id: &str) -> Option<&Record> {
        self.user_index(id).map(|i| &self.users[i])
    }

    /// The id of another user (not `except`) with this email, compared case-insensitively.
    pub fn email_taken(&self, email: &str, except: Option<&str>) -> bool {
        self.users.iter().any(|u| {
            str_field(u, "email").is_some_and(|e| e.eq_ignore_ascii_case(email)) && str_field(u, "id") != except
        })
    }

    pub fn queue_index(&self, id: &str) -> Option<usize> {
        self.queues.iter().position(|q| str_field(q, "id") == Some(id))
    }
}

/// A string field of a record.
pub(crate) fn str_field<'a>(r: &'a Record, key: &str) -> Option<&'a str> {
    r.get(key).and_then(Value::as_str)
}

/// The current UTC time as `YYYY-MM-DDThh:mm:ss.mmmZ`.
pub(crate) fn now_iso() -> String {
    let d = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default();
    iso_from_unix_millis(i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

/// Milliseconds since the epoch as ISO-8601 with a `Z` (proleptic Gregorian calendar).
pub(crate) fn iso_from_unix_millis(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let millis = ms.rem_euclid(1000);
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Days to civil date (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{millis:03}Z", rem / 3600, rem % 3600 / 60, rem % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_dates() {
        assert_eq!(iso_from_unix_millis(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(iso_from_unix_millis(1_704_164_645_000), "2024-01-02T03:04:05.000Z");
        assert_eq!(iso_from_unix_millis(951_782_400_123), "2000-02-29T00:00:00.123Z");
        assert!(now_iso().ends_with('Z'));
    }

    #[test]
    fn seed() {
        let d = Directory::seeded();
        assert_eq!(d.users.len(), data::USER_COUNT);
        assert_eq!(d.queues.len(), data::QUEUE_COUNT);
        assert!(d.user(crate::creds::USER_ID).is_some());
        assert!(d.email_taken("EMULATOR.user@example.test", None));
        assert!(!d.email_taken("emulator.user@example.test", Some(crate::creds::USER_ID)));
    }
}
