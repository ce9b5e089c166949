//! SDL printed from an introspection result.
//!
//! `Schema::sdl_with_options` ignores `visible`, so a role's schema can only
//! be seen through introspection; this prints that result in exactly the
//! layout async-graphql's own export uses (tabs, block-string descriptions,
//! the same directive filtering), so the full contract printed from
//! introspection is byte-for-byte `schema.graphql`.

use std::fmt::Write;

use serde::Deserialize;

use super::visibility::ExportView;
use super::AppSchema;
use crate::domain::institution::Role;
use crate::error::{AppError, AppResult};

/// graphql-js 16's `getIntrospectionQuery({ specifiedByUrl, directiveIsRepeatable,
/// inputValueDeprecation, oneOf })`: what GraphiQL and code generators send.
pub const INTROSPECTION_QUERY: &str = r#"
query IntrospectionQuery {
  __schema {
    queryType { name } mutationType { name } subscriptionType { name }
    types { ...FullType }
    directives { name description isRepeatable locations args(includeDeprecated: true) { ...InputValue } }
  }
}
fragment FullType on __Type {
  kind name description specifiedByURL isOneOf
  fields(includeDeprecated: true) { name description args(includeDeprecated: true) { ...InputValue } type { ...TypeRef } isDeprecated deprecationReason }
  inputFields(includeDeprecated: true) { ...InputValue }
  interfaces { ...TypeRef }
  enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason }
  possibleTypes { ...TypeRef }
}
fragment InputValue on __InputValue { name description type { ...TypeRef } defaultValue isDeprecated deprecationReason }
fragment TypeRef on __Type {
  kind name
  ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name
    ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } } } }
}"#;

const SYSTEM_SCALARS: [&str; 5] = ["Int", "Float", "String", "Boolean", "ID"];
const TAB: &str = "\t";

/// The SDL of what `role` may use (`None`: the full contract), from the
/// schema's own introspection under an [`ExportView`] marker.
pub async fn export(schema: &AppSchema, role: Option<Role>) -> AppResult<String> {
    let request = async_graphql::Request::new(INTROSPECTION_QUERY).data(ExportView(role));
    let response = schema.execute(request).await;
    if let Some(err) = response.errors.first() {
        return Err(AppError::Internal(format!("introspection failed: {err}")));
    }
    let data = response
        .data
        .into_json()
        .map_err(|e| AppError::Internal(format!("introspection result: {e}")))?;
    print(&data)
}

/// Prints the `data` of an introspection result (`{"__schema": …}`) as SDL.
pub fn print(data: &serde_json::Value) -> AppResult<String> {
    let schema = Introspection::deserialize(data)
        .map_err(|e| AppError::Internal(format!("not an introspection result: {e}")))?
        .schema;
    let mut out = String::new();
    for ty in schema.types.iter().filter(|t| printable(t)) {
        print_type(&mut out, ty);
    }
    for directive in schema.directives.iter().filter(|d| used(d, &schema)) {
        print_directive(&mut out, directive);
    }
    print_schema_block(&mut out, &schema);
    Ok(out)
}

#[derive(Deserialize)]
struct Introspection {
    #[serde(rename = "__schema")]
    schema: SchemaDef,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SchemaDef {
    query_type: Named,
    mutation_type: Option<Named>,
    subscription_type: Option<Named>,
    types: Vec<FullType>,
    directives: Vec<Directive>,
}

#[derive(Deserialize)]
struct Named {
    name: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct FullType {
    kind: String,
    name: String,
    description: Option<String>,
    #[serde(rename = "specifiedByURL", default)]
    specified_by_url: Option<String>,
    #[serde(default)]
    is_one_of: Option<bool>,
    fields: Option<Vec<Field>>,
    input_fields: Option<Vec<InputValue>>,
    interfaces: Option<Vec<TypeRef>>,
    enum_values: Option<Vec<EnumValue>>,
    possible_types: Option<Vec<TypeRef>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Field {
    name: String,
    description: Option<String>,
    args: Vec<InputValue>,
    #[serde(rename = "type")]
    ty: TypeRef,
    is_deprecated: bool,
    deprecation_reason: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct InputValue {
    name: String,
    description: Option<String>,
    #[serde(rename = "type")]
    ty: TypeRef,
    default_value: Option<String>,
    #[serde(default)]
    is_deprecated: bool,
    deprecation_reason: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct EnumValue {
    name: String,
    description: Option<String>,
    is_deprecated: bool,
    deprecation_reason: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct TypeRef {
    kind: String,
    name: Option<String>,
    of_type: Option<Box<TypeRef>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Directive {
    name: String,
    description: Option<String>,
    #[serde(default)]
    is_repeatable: bool,
    locations: Vec<String>,
    args: Vec<InputValue>,
}

impl TypeRef {
    /// `[Foo!]!` notation.
    fn render(&self) -> String {
        match (self.kind.as_str(), &self.of_type) {
            ("NON_NULL", Some(inner)) => format!("{}!", inner.render()),
            ("LIST", Some(inner)) => format!("[{}]", inner.render()),
            _ => self.name.clone().unwrap_or_default(),
        }
    }
}

/// Introspection-only and built-in types are implied; an object left with
/// no field (a root a role can use nothing of) would not be valid SDL.
fn printable(ty: &FullType) -> bool {
    let introspection = ty.name.starts_with("__");
    let built_in = ty.kind == "SCALAR" && SYSTEM_SCALARS.contains(&ty.name.as_str());
    let empty = ty.kind == "OBJECT" && ty.fields.as_ref().is_some_and(Vec::is_empty);
    !(introspection || built_in || empty)
}

fn print_type(out: &mut String, ty: &FullType) {
    if let Some(d) = &ty.description {
        description(out, 0, d);
    }
    match ty.kind.as_str() {
        "SCALAR" => scalar(out, ty),
        "OBJECT" | "INTERFACE" => object(out, ty),
        "ENUM" => enumeration(out, ty),
        "INPUT_OBJECT" => input_object(out, ty),
        "UNION" => union(out, ty),
        _ => {}
    }
}

fn scalar(out: &mut String, ty: &FullType) {
    let _ = write!(out, "scalar {}", ty.name);
    if let Some(url) = &ty.specified_by_url {
        let _ = write!(out, " @specifiedBy(url: \"{}\")", url.replace('"', "\\\""));
    }
    out.push_str("\n\n");
}

fn object(out: &mut String, ty: &FullType) {
    let keyword = if ty.kind == "OBJECT" {
        "type"
    } else {
        "interface"
    };
    let _ = write!(out, "{keyword} {}", ty.name);
    let interfaces: Vec<String> = ty
        .interfaces
        .iter()
        .flatten()
        .map(TypeRef::render)
        .collect();
    if !interfaces.is_empty() {
        let _ = write!(out, " implements {}", interfaces.join(" & "));
    }
    out.push_str(" {\n");
    for field in ty.fields.iter().flatten() {
        print_field(out, field);
    }
    out.push_str("}\n\n");
}

/// One field, arguments laid out as async-graphql lays them out: on one
/// line, unless one of them has a description.
fn print_field(out: &mut String, field: &Field) {
    if let Some(d) = &field.description {
        description(out, 1, d);
    }
    let _ = write!(out, "{TAB}{}", field.name);
    if !field.args.is_empty() {
        out.push('(');
        let multiline = field.args.iter().any(|a| a.description.is_some());
        for (i, arg) in field.args.iter().enumerate() {
            if i != 0 {
                out.push(',');
            }
            if let Some(d) = &arg.description {
                out.push('\n');
                description(out, 2, d);
            }
            if multiline {
                out.push_str(&TAB.repeat(2));
            } else if i != 0 {
                out.push(' ');
            }
            input_value(out, arg);
        }
        if multiline {
            let _ = write!(out, "\n{TAB}");
        }
        out.push(')');
    }
    let _ = write!(out, ": {}", field.ty.render());
    deprecated(
        out,
        field.is_deprecated,
        field.deprecation_reason.as_deref(),
    );
    out.push('\n');
}

fn enumeration(out: &mut String, ty: &FullType) {
    let _ = writeln!(out, "enum {} {{", ty.name);
    for value in ty.enum_values.iter().flatten() {
        if let Some(d) = &value.description {
            description(out, 1, d);
        }
        let _ = write!(out, "{TAB}{}", value.name);
        deprecated(
            out,
            value.is_deprecated,
            value.deprecation_reason.as_deref(),
        );
        out.push('\n');
    }
    out.push_str("}\n\n");
}

fn input_object(out: &mut String, ty: &FullType) {
    let _ = write!(out, "input {}", ty.name);
    if ty.is_one_of == Some(true) {
        out.push_str(" @oneOf");
    }
    out.push_str(" {\n");
    for field in ty.input_fields.iter().flatten() {
        if let Some(d) = &field.description {
            description(out, 1, d);
        }
        out.push_str(TAB);
        input_value(out, field);
        out.push('\n');
    }
    out.push_str("}\n\n");
}

fn union(out: &mut String, ty: &FullType) {
    let members: Vec<String> = ty
        .possible_types
        .iter()
        .flatten()
        .map(TypeRef::render)
        .collect();
    let _ = write!(out, "union {} = {}\n\n", ty.name, members.join(" | "));
}

fn input_value(out: &mut String, value: &InputValue) {
    let _ = write!(out, "{}: {}", value.name, value.ty.render());
    if let Some(default) = &value.default_value {
        let _ = write!(out, " = {default}");
    }
    deprecated(
        out,
        value.is_deprecated,
        value.deprecation_reason.as_deref(),
    );
}

fn deprecated(out: &mut String, is: bool, reason: Option<&str>) {
    match (is, reason) {
        (false, _) => {}
        (true, None) => out.push_str(" @deprecated"),
        (true, Some(r)) => {
            let _ = write!(out, " @deprecated(reason: \"{}\")", escape(r));
        }
    }
}

/// A block-string description, indented `level` tabs.
fn description(out: &mut String, level: usize, text: &str) {
    let tabs = TAB.repeat(level);
    let body = text.replace('\n', &format!("\n{tabs}"));
    let _ = writeln!(out, "{tabs}\"\"\"\n{tabs}{body}\n{tabs}\"\"\"");
}

/// A string literal's escapes, as async-graphql writes deprecation reasons
/// (plus `\"`, which it forgets).
fn escape(s: &str) -> String {
    s.chars().fold(String::new(), |mut acc, c| {
        match c {
            '\\' => acc.push_str("\\\\"),
            '\x08' => acc.push_str("\\b"),
            '\x0c' => acc.push_str("\\f"),
            '\n' => acc.push_str("\\n"),
            '\r' => acc.push_str("\\r"),
            '\t' => acc.push_str("\\t"),
            '"' => acc.push_str("\\\""),
            c => acc.push(c),
        }
        acc
    })
}

/// async-graphql leaves out `@deprecated`, `@specifiedBy` and `@oneOf`
/// when nothing in the schema uses them; so does this printer.
fn used(directive: &Directive, schema: &SchemaDef) -> bool {
    let types = &schema.types;
    match directive.name.as_str() {
        "deprecated" => types.iter().any(|t| {
            (t.kind == "OBJECT" && t.fields.iter().flatten().any(|f| f.is_deprecated))
                || t.enum_values.iter().flatten().any(|v| v.is_deprecated)
        }),
        "specifiedBy" => types.iter().any(|t| t.specified_by_url.is_some()),
        "oneOf" => types.iter().any(|t| t.is_one_of == Some(true)),
        _ => true,
    }
}

fn print_directive(out: &mut String, directive: &Directive) {
    if let Some(d) = &directive.description {
        description(out, 0, d);
    }
    let _ = write!(out, "directive @{}", directive.name);
    if !directive.args.is_empty() {
        let args: Vec<String> = directive
            .args
            .iter()
            .map(|a| match &a.default_value {
                Some(d) => format!("{}: {} = {d}", a.name, a.ty.render()),
                None => format!("{}: {}", a.name, a.ty.render()),
            })
            .collect();
        let _ = write!(out, "({})", args.join(", "));
    }
    if directive.is_repeatable {
        out.push_str(" repeatable");
    }
    let _ = writeln!(out, " on {}", directive.locations.join(" | "));
}

/// The `schema { … }` block; a root left without fields is not named.
fn print_schema_block(out: &mut String, schema: &SchemaDef) {
    let has_fields = |root: &Named| {
        schema
            .types
            .iter()
            .find(|t| t.name == root.name)
            .is_some_and(printable)
    };
    let _ = writeln!(out, "schema {{\n{TAB}query: {}", schema.query_type.name);
    if let Some(m) = schema.mutation_type.as_ref().filter(|m| has_fields(m)) {
        let _ = writeln!(out, "{TAB}mutation: {}", m.name);
    }
    if let Some(s) = schema.subscription_type.as_ref().filter(|s| has_fields(s)) {
        let _ = writeln!(out, "{TAB}subscription: {}", s.name);
    }
    out.push_str("}\n");
}

#[cfg(test)]
#[path = "sdl_tests.rs"]
mod tests;
