//! Deterministic seed data: users, permissions, analytics conversations, the organization.

use serde_json::{json, Value};

use crate::creds;

/// The built-in user plus 56 others.
pub(crate) const USER_COUNT: usize = 57;

pub(crate) const ORG_ID: &str = "00000000-0000-4000-8000-0000000000a0";
pub(crate) const ORG_NAME: &str = "Emulator Org";
const DIVISION_ID: &str = "00000000-0000-4000-8000-0000000000d1";
const AVAILABLE_ID: &str = "6a3af858-942f-489d-9700-5f9bcdcdae9b";
const MODIFIED: &str = "2024-01-02T03:04:05.000Z";

const FIRST: [&str; 8] = ["Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Frances", "Ken"];
const LAST: [&str; 7] = ["Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Knuth", "Allen"];

/// Id of seeded user `i` (0-based); user 0 is [`creds::USER_ID`].
pub(crate) fn user_id(i: usize) -> String {
    format!("00000000-0000-4000-8000-{:012x}", i + 1)
}

/// Index of a seeded user id.
pub(crate) fn user_index(id: &str) -> Option<usize> {
    (0..USER_COUNT).find(|&i| user_id(i) == id)
}

/// What `expand` asked for.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Expand {
    pub presence: bool,
    pub authorization: bool,
}

impl Expand {
    pub fn from_list(list: &[String]) -> Expand {
        Expand {
            presence: list.iter().any(|e| e == "presence"),
            authorization: list.iter().any(|e| e == "authorization"),
        }
    }
}

fn user_name(i: usize) -> (String, String) {
    if i == 0 {
        return ("Emulator User".to_string(), "emulator.user@example.test".to_string());
    }
    let first = FIRST[(i - 1) % FIRST.len()];
    let last = LAST[(i - 1) / FIRST.len() % LAST.len()];
    (format!("{first} {last}"), format!("{}.{}@example.test", first.to_ascii_lowercase(), last.to_ascii_lowercase()))
}

pub(crate) fn user(i: usize, expand: Expand) -> Value {
    let id = user_id(i);
    let (name, email) = user_name(i);
    let mut u = json!({
        "id": id,
        "name": name,
        "division": {
            "id": DIVISION_ID,
            "name": "Home",
            "selfUri": format!("/api/v2/authorization/divisions/{DIVISION_ID}"),
        },
        "chat": {"jabberId": format!("{}@emulator.orgspan.test", id.replace('-', ""))},
        "email": email,
        "state": "active",
        "username": email,
        "version": 1,
        "acdAutoAnswer": false,
        "selfUri": format!("/api/v2/users/{id}"),
    });
    if expand.presence {
        u["presence"] = json!({
            "source": "PURECLOUD",
            "presenceDefinition": {
                "id": AVAILABLE_ID,
                "systemPresence": "Available",
                "selfUri": format!("/api/v2/presencedefinitions/{AVAILABLE_ID}"),
            },
            "message": "",
            "modifiedDate": MODIFIED,
        });
    }
    if expand.authorization {
        u["authorization"] = json!({
            "roles": [{"id": "00000000-0000-4000-8000-0000000000e1", "name": "employee"}],
            "unusedRoles": [],
            "permissions": ["directory:user:view", "analytics:conversationDetail:view"],
            "permissionPolicies": [],
        });
    }
    u
}

/// `(domain, entityType, action, label)` of the seeded permissions.
const PERMISSIONS: [(&str, &str, &str, &str); 30] = [
    ("analytics", "conversationDetail", "view", "View conversation details"),
    ("analytics", "conversationAggregate", "view", "View conversation aggregates"),
    ("analytics", "userDetail", "view", "View user details"),
    ("analytics", "queueObservation", "view", "View queue observations"),
    ("architect", "flow", "view", "View flows"),
    ("architect", "flow", "edit", "Edit flows"),
    ("architect", "flow", "publish", "Publish flows"),
    ("authorization", "role", "view", "View roles"),
    ("authorization", "role", "add", "Add roles"),
    ("authorization", "role", "edit", "Edit roles"),
    ("authorization", "role", "delete", "Delete roles"),
    ("authorization", "division", "view", "View divisions"),
    ("conversation", "call", "add", "Place calls"),
    ("conversation", "communication", "view", "View communications"),
    ("conversation", "message", "create", "Create messages"),
    ("directory", "user", "view", "View users"),
    ("directory", "user", "add", "Add users"),
    ("directory", "user", "edit", "Edit users"),
    ("directory", "user", "delete", "Delete users"),
    ("directory", "group", "view", "View groups"),
    ("oauth", "client", "view", "View OAuth clients"),
    ("oauth", "client", "add", "Add OAuth clients"),
    ("recording", "recording", "view", "View recordings"),
    ("routing", "queue", "view", "View queues"),
    ("routing", "queue", "add", "Add queues"),
    ("routing", "queue", "edit", "Edit queues"),
    ("routing", "queue", "delete", "Delete queues"),
    ("routing", "skill", "view", "View skills"),
    ("telephony", "plugin", "all", "Telephony plugin"),
    ("users", "presence", "edit", "Edit presence"),
];

pub(crate) fn permissions() -> Vec<Value> {
    PERMISSIONS
        .iter()
        .map(|(domain, entity, action, label)| {
            json!({
                "id": format!("{domain}:{entity}:{action}"),
                "domain": domain,
                "entityType": entity,
                "action": action,
                "label": label,
                "allowsConditions": false,
                "divisionAware": true,
            })
        })
        .collect()
}

/// Scopes reported by `GET /api/v2/tokens/me`.
pub(crate) const SCOPES: [&str; 6] = ["analytics", "authorization", "conversations", "oauth", "routing", "users"];

pub(crate) fn organization() -> Value {
    json!({"id": ORG_ID, "name": ORG_NAME, "selfUri": format!("/api/v2/organizations/{ORG_ID}")})
}

pub(crate) fn conversations() -> Vec<Value> {
    let media = ["voice", "chat", "email"];
    let directions = ["inbound", "outbound", "inbound"];
    (0..3)
        .map(|i| {
            let conv_id = format!("00000000-0000-4000-9000-{:012x}", i + 1);
            let start = format!("2024-01-0{}T10:00:00.000Z", i + 1);
            let end = format!("2024-01-0{}T10:05:00.000Z", i + 1);
            json!({
                "conversationId": conv_id,
                "conversationStart": start,
                "conversationEnd": end,
                "originatingDirection": directions[i],
                "divisionIds": [DIVISION_ID],
                "participants": [
                    {
                        "participantId": format!("00000000-0000-4000-a000-{:012x}", 2 * i + 1),
                        "participantName": "Customer",
                        "purpose": "customer",
                        "sessions": [{
                            "sessionId": format!("00000000-0000-4000-b000-{:012x}", 2 * i + 1),
                            "mediaType": media[i],
                            "direction": directions[i],
                            "metrics": [],
                        }],
                    },
                    {
                        "participantId": format!("00000000-0000-4000-a000-{:012x}", 2 * i + 2),
                        "participantName": "Emulator User",
                        "purpose": "agent",
                        "userId": creds::USER_ID,
                        "sessions": [{
                            "sessionId": format!("00000000-0000-4000-b000-{:012x}", 2 * i + 2),
                            "mediaType": media[i],
                            "direction": directions[i],
                            "metrics": [{"name": "tHandle", "value": 300_000, "emitDate": end}],
                        }],
                    },
                ],
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeded_users_are_stable_and_unique() {
        assert_eq!(user_id(0), creds::USER_ID);
        let ids: std::collections::BTreeSet<String> = (0..USER_COUNT).map(user_id).collect();
        assert_eq!(ids.len(), USER_COUNT);
        let names: std::collections::BTreeSet<String> = (0..USER_COUNT).map(|i| user_name(i).0).collect();
        assert_eq!(names.len(), USER_COUNT);
        assert_eq!(user_index(&user_id(56)), Some(56));
        assert_eq!(permissions().len(), 30);
    }
}
