//! Cheap checks on parsed queries before they run: width (aliases and root
//! fields, totalled over a batch) and, over GET, that it is a plain query.

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

/// Aliases and root fields counted over every operation of one request,
/// a batch included: a batch cannot multiply the width limit.
#[derive(Default, Debug)]
pub struct Width {
    aliases: usize,
    root_fields: usize,
}

impl Width {
    /// Adds one document's aliases and root fields, and refuses the request
    /// as soon as either total passes `max`.
    pub fn add(&mut self, doc: &ExecutableDocument, max: usize) -> Result<(), AppError> {
        self.aliases += doc
            .fragments
            .values()
            .map(|f| count_aliases(&f.node.selection_set.node))
            .sum::<usize>();
        for (_, op) in doc.operations.iter() {
            let set = &op.node.selection_set.node;
            self.aliases += count_aliases(set);
            self.root_fields += set.items.len();
        }
        if self.root_fields > max {
            return Err(AppError::QueryTooComplex(format!(
                "too many root fields: at most {max} per request, batches included"
            )));
        }
        if self.aliases > max {
            return Err(AppError::QueryTooComplex(format!(
                "too many aliases: at most {max} per request, batches included"
            )));
        }
        Ok(())
    }
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
