//! Cheap checks on a parsed query before it runs: width (aliases and root
//! fields) and, over GET, that it is a plain query.

use async_graphql::parser::types::{ExecutableDocument, OperationType, Selection, SelectionSet};

use crate::error::AppError;

fn count_aliases(set: &SelectionSet) -> usize {
    set.items
        .iter()
        .map(|item| match &item.node {
            Selection::Field(f) => {
                usize::from(f.node.alias.is_some()) + count_aliases(&f.node.selection_set.node)
            }
            Selection::InlineFragment(f) => count_aliases(&f.node.selection_set.node),
            Selection::FragmentSpread(_) => 0,
        })
        .sum()
}

/// Refuses documents with too many aliases or root fields.
pub fn check_width(doc: &ExecutableDocument, max: usize) -> Result<(), AppError> {
    let mut aliases: usize = doc
        .fragments
        .values()
        .map(|f| count_aliases(&f.node.selection_set.node))
        .sum();
    for (_, op) in doc.operations.iter() {
        let set = &op.node.selection_set.node;
        aliases += count_aliases(set);
        if set.items.len() > max {
            return Err(AppError::QueryTooComplex(format!(
                "too many root fields: at most {max} per operation"
            )));
        }
    }
    if aliases > max {
        return Err(AppError::QueryTooComplex(format!(
            "too many aliases: at most {max} per request"
        )));
    }
    Ok(())
}

/// Over GET only queries run: a mutation or subscription is refused.
pub fn check_query_only(doc: &ExecutableDocument) -> Result<(), AppError> {
    let writes = doc
        .operations
        .iter()
        .any(|(_, op)| op.node.ty != OperationType::Query);
    if writes {
        return Err(AppError::bad_input(
            "query",
            "GET accepts queries only; send mutations with POST",
        ));
    }
    Ok(())
}
