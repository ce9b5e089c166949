//! Query depth, with introspection judged on its own terms.
//!
//! Ordinary fields are limited to `REINTEGRA_MAX_DEPTH` levels. The standard
//! introspection query of graphql-js, `gql` and GraphiQL nests `ofType`
//! about ten levels inside `__schema { types { fields { type … } } }`, so
//! under `__schema` and `__type` the limit is [`INTROSPECTION_DEPTH`]
//! instead; what makes introspection expensive is not depth but nested
//! lists (`types { fields { type { fields … } } }` multiplies at each
//! level), so there at most [`INTROSPECTION_FANOUT`] list fields may nest.
//! Fragments are followed where they are spread.

use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};

use crate::error::AppError;

/// Deepest selection allowed under `__schema` / `__type`.
pub const INTROSPECTION_DEPTH: usize = 32;
/// List fields that may nest under `__schema` / `__type` (the standard
/// query nests three: `types { fields { args } }`).
pub const INTROSPECTION_FANOUT: usize = 3;
/// Introspection fields that return lists.
const FANOUT_FIELDS: [&str; 8] = [
    "types",
    "fields",
    "args",
    "inputFields",
    "interfaces",
    "possibleTypes",
    "enumValues",
    "directives",
];

#[derive(Clone, Copy)]
struct Walk {
    depth: usize,
    introspection: bool,
    fanout: usize,
    /// Fragment spreads followed so far on this path (cycles are invalid
    /// GraphQL, refused by validation later; this only bounds the walk).
    spreads: usize,
}

fn too_deep(what: &str, max: usize) -> AppError {
    AppError::QueryTooComplex(format!("{what} is nested too deep: at most {max} levels"))
}

fn walk(
    doc: &ExecutableDocument,
    set: &SelectionSet,
    at: Walk,
    max: usize,
) -> Result<(), AppError> {
    for item in &set.items {
        match &item.node {
            Selection::Field(f) => {
                let name = f.node.name.node.as_str();
                let mut next = Walk {
                    depth: at.depth + 1,
                    ..at
                };
                if at.depth == 0 && (name == "__schema" || name == "__type") {
                    next.introspection = true;
                }
                if next.introspection {
                    next.fanout += usize::from(FANOUT_FIELDS.contains(&name));
                    if next.fanout > INTROSPECTION_FANOUT {
                        return Err(too_deep("introspection list", INTROSPECTION_FANOUT));
                    }
                    if next.depth > INTROSPECTION_DEPTH {
                        return Err(too_deep("introspection", INTROSPECTION_DEPTH));
                    }
                } else if next.depth > max {
                    return Err(too_deep("query", max));
                }
                walk(doc, &f.node.selection_set.node, next, max)?;
            }
            Selection::InlineFragment(f) => walk(doc, &f.node.selection_set.node, at, max)?,
            Selection::FragmentSpread(s) => {
                let Some(frag) = doc.fragments.get(&s.node.fragment_name.node) else {
                    continue;
                };
                if at.spreads >= INTROSPECTION_DEPTH {
                    return Err(too_deep("fragment spreading", INTROSPECTION_DEPTH));
                }
                let next = Walk {
                    spreads: at.spreads + 1,
                    ..at
                };
                walk(doc, &frag.node.selection_set.node, next, max)?;
            }
        }
    }
    Ok(())
}

/// Refuses any operation of `doc` nested deeper than allowed.
pub fn check(doc: &ExecutableDocument, max: usize) -> Result<(), AppError> {
    let start = Walk {
        depth: 0,
        introspection: false,
        fanout: 0,
        spreads: 0,
    };
    for (_, op) in doc.operations.iter() {
        walk(doc, &op.node.selection_set.node, start, max)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(q: &str) -> ExecutableDocument {
        async_graphql::parser::parse_query(q).unwrap()
    }

    #[test]
    fn ordinary_depth_is_limited() {
        assert!(check(&doc("{ a { b { c } } }"), 3).is_ok());
        assert!(check(&doc("{ a { b { c { d } } } }"), 3).is_err());
        let spread = "query { a { ...F } } fragment F on T { b { c { d } } }";
        assert!(check(&doc(spread), 3).is_err());
    }

    #[test]
    fn introspection_may_go_deep_but_not_wide() {
        let of_type = format!("{}name{}", "ofType { ".repeat(12), " }".repeat(12));
        let standard = format!(
            "{{ __schema {{ types {{ fields {{ args {{ type {{ {of_type} }} }} }} }} }} }}"
        );
        assert!(check(&doc(&standard), 12).is_ok());
        let nested =
            "{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }";
        assert!(check(&doc(nested), 12).is_err());
    }
}
