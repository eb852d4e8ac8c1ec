//! A small method + path-segment router (a segment trie), generic over the handler type.
//!
//! Patterns look like the Swagger paths: `/users/{userId}/queues`. Literal segments win
//! over parameters; matching backtracks so `/users/me` and `/users/{userId}` coexist.
//! Lookup cost depends on the path depth, not the number of routes, so the whole
//! Platform API catalog can be registered.

use std::collections::HashMap;

#[derive(Debug)]
struct Leaf<H> {
    method: String,
    /// Parameter names in path order.
    names: Vec<String>,
    pattern: String,
    handler: H,
}

#[derive(Debug)]
struct Node<H> {
    literal: HashMap<String, Node<H>>,
    param: Option<Box<Node<H>>>,
    leaves: Vec<Leaf<H>>,
}

impl<H> Default for Node<H> {
    fn default() -> Self {
        Node { literal: HashMap::new(), param: None, leaves: Vec::new() }
    }
}

/// A successful match.
#[derive(Debug)]
pub(crate) struct Matched<'a, H> {
    pub handler: &'a H,
    /// The registered pattern, e.g. `/users/{userId}`.
    #[allow(dead_code)]
    pub pattern: &'a str,
    /// `(name, percent-decoded value)` in path order.
    pub params: Vec<(String, String)>,
}

#[derive(Debug)]
pub(crate) enum Lookup<'a, H> {
    Found(Matched<'a, H>),
    /// The path exists but not for this method; lists the methods that do.
    MethodNotAllowed(Vec<String>),
    NotFound,
}

#[derive(Debug)]
pub(crate) struct Router<H> {
    root: Node<H>,
    len: usize,
}

impl<H> Default for Router<H> {
    fn default() -> Self {
        Router { root: Node::default(), len: 0 }
    }
}

fn segments(path: &str) -> impl Iterator<Item = &str> {
    path.split('/').filter(|s| !s.is_empty())
}

fn param_name(seg: &str) -> Option<&str> {
    seg.strip_prefix('{').and_then(|s| s.strip_suffix('}'))
}

impl<H> Router<H> {
    pub fn new() -> Self {
        Self::default()
    }

    /// Number of registered (method, pattern) pairs.
    #[allow(dead_code)]
    pub fn len(&self) -> usize {
        self.len
    }

    /// Registers `method pattern`. A later registration of the same pair replaces the earlier.
    pub fn add(&mut self, method: &str, pattern: &str, handler: H) -> &mut Self {
        let mut node = &mut self.root;
        let mut names = Vec::new();
        for seg in segments(pattern) {
            node = match param_name(seg) {
                Some(name) => {
                    names.push(name.to_string());
                    node.param.get_or_insert_with(Box::default)
                }
                None => node.literal.entry(seg.to_string()).or_default(),
            };
        }
        let method = method.to_ascii_uppercase();
        let before = node.leaves.len();
        node.leaves.retain(|l| l.method != method);
        if node.leaves.len() == before {
            self.len += 1;
        }
        node.leaves.push(Leaf { method, names, pattern: pattern.to_string(), handler });
        self
    }

    /// Finds the handler for `method` and `path` (no query string). A literal segment wins
    /// over a parameter, but only if the rest of the path and the method match too.
    pub fn lookup(&self, method: &str, path: &str) -> Lookup<'_, H> {
        let segs: Vec<&str> = segments(path).collect();
        let mut values = Vec::new();
        let mut allowed = Vec::new();
        match find(&self.root, &segs, method, &mut values, &mut allowed) {
            Some(leaf) => Lookup::Found(Matched {
                handler: &leaf.handler,
                pattern: &leaf.pattern,
                params: leaf.names.iter().cloned().zip(values).collect(),
            }),
            None if allowed.is_empty() => Lookup::NotFound,
            None => Lookup::MethodNotAllowed(allowed),
        }
    }
}

/// Depth-first search, literal children first. `allowed` collects the methods of nodes that
/// matched the whole path but not the method.
fn find<'a, H>(
    node: &'a Node<H>,
    segs: &[&str],
    method: &str,
    values: &mut Vec<String>,
    allowed: &mut Vec<String>,
) -> Option<&'a Leaf<H>> {
    let Some((first, rest)) = segs.split_first() else {
        if let Some(leaf) = node.leaves.iter().find(|l| l.method.eq_ignore_ascii_case(method)) {
            return Some(leaf);
        }
        for l in &node.leaves {
            if !allowed.contains(&l.method) {
                allowed.push(l.method.clone());
            }
        }
        return None;
    };
    if let Some(child) = node.literal.get(*first) {
        if let Some(found) = find(child, rest, method, values, allowed) {
            return Some(found);
        }
    }
    if let Some(child) = &node.param {
        let decoded = percent_encoding::percent_decode_str(first).decode_utf8_lossy().into_owned();
        values.push(decoded);
        if let Some(found) = find(child, rest, method, values, allowed) {
            return Some(found);
        }
        values.pop();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn router() -> Router<u32> {
        let mut r = Router::new();
        r.add("GET", "/users/me", 1)
            .add("GET", "/users/{userId}", 2)
            .add("get", "/users/{userId}/queues", 3)
            .add("POST", "/analytics/conversations/details/query", 4)
            .add("GET", "/users", 5)
            .add("GET", "/users", 6);
        r
    }

    #[test]
    fn literal_beats_param() {
        let r = router();
        assert!(matches!(r.lookup("GET", "/users/me"), Lookup::Found(m) if *m.handler == 1));
        match r.lookup("GET", "/users/a%20b") {
            Lookup::Found(m) => {
                assert_eq!(*m.handler, 2);
                assert_eq!(m.pattern, "/users/{userId}");
                assert_eq!(m.params, vec![("userId".to_string(), "a b".to_string())]);
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(r.lookup("GET", "/users/me/queues"), Lookup::Found(m) if *m.handler == 3));
        assert!(matches!(r.lookup("GET", "/users/"), Lookup::Found(m) if *m.handler == 6));
    }

    #[test]
    fn misses() {
        let r = router();
        assert!(matches!(r.lookup("GET", "/nope"), Lookup::NotFound));
        assert!(matches!(r.lookup("GET", "/users/x/y/z"), Lookup::NotFound));
        assert!(matches!(r.lookup("DELETE", "/users/me"), Lookup::MethodNotAllowed(m) if m == vec!["GET"]));
        assert_eq!(r.len(), 5);
    }

    #[test]
    fn method_decides_between_literal_and_param() {
        let mut r = router();
        r.add("DELETE", "/users/{userId}", 7);
        match r.lookup("DELETE", "/users/me") {
            Lookup::Found(m) => {
                assert_eq!(*m.handler, 7);
                assert_eq!(m.params, vec![("userId".to_string(), "me".to_string())]);
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(r.lookup("GET", "/users/me"), Lookup::Found(m) if *m.handler == 1));
        assert!(matches!(r.lookup("PUT", "/users/me"), Lookup::MethodNotAllowed(m) if m == vec!["GET", "DELETE"]));
    }
}
