//! Response keys in the order the request asked for them (GraphQL spec,
//! "ordered map"). async-graphql resolves a query's fields concurrently and
//! keeps them in completion order, so a slow field can come out last; this
//! puts every object of a response back in request order.

use std::collections::{HashMap, HashSet};

use async_graphql::parser::types::{
    DocumentOperations, ExecutableDocument, Selection, SelectionSet,
};
use async_graphql::{Name, PathSegment, ServerError, Value};

/// Response keys a document may order; far above what the width, depth
/// and complexity limits let through.
const MAX_NODES: usize = 20_000;
const MAX_DEPTH: usize = 64;

/// The response keys of one selection, in request order, and what is
/// selected below each of them.
#[derive(Debug, Default)]
pub struct KeyOrder {
    keys: Vec<Name>,
    below: HashMap<Name, KeyOrder>,
}

impl KeyOrder {
    /// The order of the operation `operation` of `doc` (the only one when
    /// `None`); `None` when the document does not name such an operation.
    pub fn of(doc: &ExecutableDocument, operation: Option<&str>) -> Option<KeyOrder> {
        let op = match (&doc.operations, operation) {
            (DocumentOperations::Single(op), _) => op,
            (DocumentOperations::Multiple(ops), Some(name)) => ops.get(name)?,
            (DocumentOperations::Multiple(ops), None) if ops.len() == 1 => ops.values().next()?,
            _ => return None,
        };
        let mut budget = MAX_NODES;
        KeyOrder::build(doc, &[&op.node.selection_set.node], &mut budget, 0)
    }

    /// `None` when the budget or the depth runs out: only a document that validation
    /// will refuse (fragment cycles) gets that far, and it returns no data.
    fn build(
        doc: &ExecutableDocument,
        sets: &[&SelectionSet],
        budget: &mut usize,
        depth: usize,
    ) -> Option<KeyOrder> {
        if depth > MAX_DEPTH {
            return None;
        }
        let mut fields: Vec<(Name, Vec<&SelectionSet>)> = Vec::new();
        let mut seen_fragments = HashSet::new();
        for set in sets {
            collect(doc, set, &mut fields, &mut seen_fragments);
        }
        *budget = budget.checked_sub(fields.len().max(1))?;
        let mut order = KeyOrder::default();
        for (key, subsets) in fields {
            if subsets.iter().any(|s| !s.items.is_empty()) {
                let below = KeyOrder::build(doc, &subsets, budget, depth + 1)?;
                order.below.insert(key.clone(), below);
            }
            order.keys.push(key);
        }
        Some(order)
    }

    /// Reorders `value` (the response's `data`) to follow this order.
    pub fn apply(&self, value: &mut Value) {
        match value {
            Value::Object(map) => {
                let mut old = std::mem::take(map);
                for key in &self.keys {
                    if let Some((k, mut v)) = old.shift_remove_entry(key) {
                        if let Some(below) = self.below.get(key) {
                            below.apply(&mut v);
                        }
                        map.insert(k, v);
                    }
                }
                // Anything not in the request (never expected) keeps its place after.
                map.extend(old);
            }
            Value::List(items) => items.iter_mut().for_each(|v| self.apply(v)),
            _ => {}
        }
    }
}

/// Puts `null` where a field failed: async-graphql leaves the key out,
/// and the spec (and typed clients) expect the key with `null`.
pub fn null_failed_fields(data: &mut Value, errors: &[ServerError]) {
    for err in errors {
        let Some((PathSegment::Field(last), parents)) = err.path.split_last() else {
            continue;
        };
        if let Some(Value::Object(m)) = walk(data, parents) {
            m.entry(Name::new(last)).or_insert(Value::Null);
        }
    }
}

fn walk<'v>(value: &'v mut Value, path: &[PathSegment]) -> Option<&'v mut Value> {
    let Some((first, rest)) = path.split_first() else {
        return Some(value);
    };
    let next = match (value, first) {
        (Value::Object(m), PathSegment::Field(f)) => m.get_mut(f.as_str())?,
        (Value::List(l), PathSegment::Index(i)) => l.get_mut(*i)?,
        _ => return None,
    };
    walk(next, rest)
}

/// Adds the fields of `set` to `fields` by response key, first occurrence
/// first; fragments are expanded in place, each at most once (a cyclic
/// fragment, which validation refuses later, cannot loop here).
fn collect<'d>(
    doc: &'d ExecutableDocument,
    set: &'d SelectionSet,
    fields: &mut Vec<(Name, Vec<&'d SelectionSet>)>,
    seen_fragments: &mut HashSet<&'d str>,
) {
    for item in &set.items {
        match &item.node {
            Selection::Field(f) => {
                let key = f.node.response_key().node.clone();
                let sub = &f.node.selection_set.node;
                match fields.iter_mut().find(|(k, _)| *k == key) {
                    Some((_, subs)) => subs.push(sub),
                    None => fields.push((key, vec![sub])),
                }
            }
            Selection::InlineFragment(frag) => {
                collect(doc, &frag.node.selection_set.node, fields, seen_fragments)
            }
            Selection::FragmentSpread(spread) => {
                let name = spread.node.fragment_name.node.as_str();
                if !seen_fragments.insert(name) {
                    continue;
                }
                if let Some(def) = doc.fragments.get(&spread.node.fragment_name.node) {
                    collect(doc, &def.node.selection_set.node, fields, seen_fragments);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(v: &Value) -> Vec<String> {
        match v {
            Value::Object(m) => m.keys().map(|k| k.to_string()).collect(),
            _ => vec![],
        }
    }

    #[test]
    fn puts_keys_back_in_request_order() {
        let doc = async_graphql::parser::parse_query(
            "query A { b: me { z y } ...F } fragment F on Query { a { x } b: me { w } }",
        )
        .unwrap();
        let order = KeyOrder::of(&doc, None).unwrap();
        let mut v = Value::from_json(serde_json::json!({
            "a": [{"x": 1}], "b": {"w": 1, "y": 2, "z": 3}
        }))
        .unwrap();
        order.apply(&mut v);
        assert_eq!(keys(&v), ["b", "a"]);
        if let Value::Object(m) = &v {
            assert_eq!(keys(&m["b"]), ["z", "y", "w"]);
        }
    }

    #[test]
    fn cyclic_fragments_do_not_loop() {
        let doc =
            async_graphql::parser::parse_query("{ ...F } fragment F on Query { me { ...F } ...F }")
                .unwrap();
        assert!(KeyOrder::of(&doc, None).is_none());
    }
}

#[cfg(test)]
mod null_tests {
    use super::*;

    #[test]
    fn failed_fields_become_null() {
        let mut data = Value::from_json(serde_json::json!({"a": [{"x": 1}]})).unwrap();
        let mut e1 = ServerError::new("no", None);
        e1.path = vec![PathSegment::Field("b".into())];
        let mut e2 = ServerError::new("no", None);
        e2.path = vec![
            PathSegment::Field("a".into()),
            PathSegment::Index(0),
            PathSegment::Field("y".into()),
        ];
        null_failed_fields(&mut data, &[e1, e2]);
        assert_eq!(
            data.into_json().unwrap(),
            serde_json::json!({"a": [{"x": 1, "y": null}], "b": null})
        );
    }
}
