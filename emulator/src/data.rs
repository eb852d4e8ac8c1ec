//! Deterministic seed data: users, routing queues, permissions, analytics conversations, the
//! organization.

use serde_json::{json, Value};

use crate::creds;

/// The built-in user plus 56 others.
pub(crate) const USER_COUNT: usize = 57;

pub(crate) const ORG_ID: &str = "00000000-0000-4000-8000-0000000000a0";
pub(crate) const ORG_NAME: &str = "Emulator Org";
pub(crate) const DIVISION_ID: &str = "00000000-0000-4000-8000-0000000000d1";
const AVAILABLE_ID: &str = "6a3af858-942f-489d-9700-5f9bcdcdae9b";
pub(crate) const MODIFIED: &str = "2024-01-02T03:04:05.000Z";
/// Number of seeded routing queues.
pub(crate) const QUEUE_COUNT: usize = 60;

const FIRST: [&str; 8] = ["Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Frances", "Ken"];
const LAST: [&str; 7] = ["Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Knuth", "Allen"];

/// Id of seeded user `i` (0-based); user 0 is [`creds::USER_ID`].
pub(crate) fn user_id(i: usize) -> String {
    format!("00000000-0000-4000-8000-{:012x}", i + 1)
}

/// What `expand` asked for.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Expand {
    pub presence: bool,
    pub authorization: bool,
    pub profile_skills: bool,
}

impl Expand {
    /// Unknown expand values are ignored.
    pub fn from_list(list: &[String]) -> Expand {
        Expand {
            presence: list.iter().any(|e| e == "presence"),
            authorization: list.iter().any(|e| e == "authorization"),
            profile_skills: list.iter().any(|e| e == "profileSkills"),
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

/// The home division as a reference.
pub(crate) fn division(id: &str) -> Value {
    let name = if id == DIVISION_ID { "Home" } else { "Division" };
    json!({"id": id, "name": name, "selfUri": format!("/api/v2/authorization/divisions/{id}")})
}

/// Seeded user `i` (0-based) without expansions; `expand` adds presence and authorization
/// (profile skills are kept by the user store).
pub(crate) fn user(i: usize, expand: Expand) -> Value {
    let id = user_id(i);
    let (name, email) = user_name(i);
    let mut u = new_user(&id, &name, &email, DIVISION_ID);
    if expand.presence {
        u["presence"] = presence();
    }
    if expand.authorization {
        u["authorization"] = authorization();
    }
    u
}

/// The JSON of a user as the store keeps it (no expansions).
pub(crate) fn new_user(id: &str, name: &str, email: &str, division_id: &str) -> Value {
    json!({
        "id": id,
        "name": name,
        "division": division(division_id),
        "chat": {"jabberId": format!("{}@emulator.orgspan.test", id.replace('-', ""))},
        "email": email,
        "state": "active",
        "username": email,
        "version": 1,
        "acdAutoAnswer": false,
        "selfUri": format!("/api/v2/users/{id}"),
    })
}

/// `expand=presence`: every user is Available.
pub(crate) fn presence() -> Value {
    json!({
        "source": "PURECLOUD",
        "presenceDefinition": {
            "id": AVAILABLE_ID,
            "systemPresence": "Available",
            "selfUri": format!("/api/v2/presencedefinitions/{AVAILABLE_ID}"),
        },
        "message": "",
        "modifiedDate": MODIFIED,
    })
}

/// `expand=authorization`: the employee role.
pub(crate) fn authorization() -> Value {
    json!({
        "roles": [{"id": "00000000-0000-4000-8000-0000000000e1", "name": "employee"}],
        "unusedRoles": [],
        "permissions": ["directory:user:view", "analytics:conversationDetail:view"],
        "permissionPolicies": [],
    })
}

const QUEUE_TEAMS: [&str; 10] =
    ["Sales", "Support", "Billing", "Returns", "VIP", "Technical", "Retention", "Chat", "Email", "Callback"];
const QUEUE_REGIONS: [&str; 6] = ["Americas", "APAC", "EMEA", "French", "Global", "Spanish"];

/// Id of seeded queue `i` (0-based).
pub(crate) fn queue_id(i: usize) -> String {
    format!("00000000-0000-4000-8100-{:012x}", i + 1)
}

/// Seeded routing queue `i` (0-based): names like `Support EMEA`, all unique.
pub(crate) fn queue(i: usize) -> Value {
    let id = queue_id(i);
    let name = format!("{} {}", QUEUE_TEAMS[i % QUEUE_TEAMS.len()], QUEUE_REGIONS[i / QUEUE_TEAMS.len() % 6]);
    json!({
        "id": id,
        "name": name,
        "description": format!("Seeded queue {}", i + 1),
        "division": division(DIVISION_ID),
        "dateCreated": MODIFIED,
        "dateModified": MODIFIED,
        "createdBy": creds::USER_ID,
        "modifiedBy": creds::USER_ID,
        "memberCount": 0,
        "userMemberCount": 0,
        "joinedMemberCount": 0,
        "skillEvaluationMethod": "BEST",
        "scoringMethod": "TimestampAndPriority",
        "autoAnswerOnly": false,
        "enableTranscription": false,
        "selfUri": format!("/api/v2/routing/queues/{id}"),
    })
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
        assert_eq!(permissions().len(), 30);
        let queues: std::collections::BTreeSet<String> =
            (0..QUEUE_COUNT).map(|i| queue(i)["name"].as_str().unwrap_or_default().to_string()).collect();
        assert_eq!(queues.len(), QUEUE_COUNT);
    }
}
