//! Every string a request carries — inline arguments and variables — is
//! checked before anything runs: bounded length, and no character the
//! databases cannot store (PostgreSQL refuses NUL in text).

use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};
use async_graphql::Variables;
use async_graphql_value::{ConstValue, Value};

use crate::error::AppError;

/// Checks one string found at `path`.
fn check_string(path: &str, s: &str, max_chars: usize) -> Result<(), AppError> {
    // Cheap byte test first: a string within the limit in bytes is within it in characters.
    if s.len() > max_chars && s.chars().count() > max_chars {
        return Err(AppError::bad_input(
            path,
            format!("is longer than {max_chars} characters"),
        ));
    }
    if s.contains('\0') {
        return Err(AppError::bad_input(
            path,
            "contains a NUL character, which cannot be stored",
        ));
    }
    Ok(())
}

/// Walks a value, checking every string (and object key) in it.
fn check_value(path: &str, value: &ConstValue, max_chars: usize) -> Result<(), AppError> {
    match value {
        ConstValue::String(s) => check_string(path, s, max_chars),
        ConstValue::List(items) => items
            .iter()
            .enumerate()
            .try_for_each(|(i, v)| check_value(&format!("{path}[{i}]"), v, max_chars)),
        ConstValue::Object(map) => map.iter().try_for_each(|(k, v)| {
            let inner = format!("{path}.{k}");
            check_string(&inner, k.as_str(), max_chars)?;
            check_value(&inner, v, max_chars)
        }),
        _ => Ok(()),
    }
}

/// Checks the request's variables; the field is the variable's path.
pub fn check_variables(vars: &Variables, max_chars: usize) -> Result<(), AppError> {
    vars.iter()
        .try_for_each(|(name, v)| check_value(name.as_str(), v, max_chars))
}

fn literal(value: &Value) -> ConstValue {
    // Variables are checked on their own; here they stand for nothing.
    value
        .clone()
        .into_const_with::<()>(|_| Ok(ConstValue::Null))
        .unwrap_or(ConstValue::Null)
}

fn check_selection(set: &SelectionSet, max_chars: usize) -> Result<(), AppError> {
    set.items.iter().try_for_each(|item| match &item.node {
        Selection::Field(f) => {
            for (name, value) in &f.node.arguments {
                check_value(name.node.as_str(), &literal(&value.node), max_chars)?;
            }
            check_selection(&f.node.selection_set.node, max_chars)
        }
        Selection::InlineFragment(f) => check_selection(&f.node.selection_set.node, max_chars),
        Selection::FragmentSpread(_) => Ok(()),
    })
}

/// Checks every inline argument of every operation and fragment.
pub fn check_document(doc: &ExecutableDocument, max_chars: usize) -> Result<(), AppError> {
    for (_, op) in doc.operations.iter() {
        check_selection(&op.node.selection_set.node, max_chars)?;
    }
    doc.fragments
        .values()
        .try_for_each(|f| check_selection(&f.node.selection_set.node, max_chars))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(q: &str) -> ExecutableDocument {
        async_graphql::parser::parse_query(q).unwrap()
    }

    #[test]
    fn nul_and_overlong_strings_are_refused_with_their_path() {
        let err = check_document(&doc(r#"{ a(filter: { name: "x\u0000y" }) }"#), 100).unwrap_err();
        assert!(matches!(err, AppError::BadUserInput { ref field, .. } if field == "filter.name"));
        let long = format!(r#"{{ a(id: "{}") }}"#, "x".repeat(101));
        assert!(check_document(&doc(&long), 100).is_err());
        assert!(check_document(&doc(r#"{ a(id: "ok", n: 3) { b(s: ["fine"]) } }"#), 100).is_ok());
        let vars = Variables::from_json(serde_json::json!({ "i": { "ids": ["a", "b\u{0}"] } }));
        let err = check_variables(&vars, 100).unwrap_err();
        assert!(matches!(err, AppError::BadUserInput { ref field, .. } if field == "i.ids[1]"));
    }
}
