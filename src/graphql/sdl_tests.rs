//! The printer reproduces async-graphql's own SDL from introspection alone.

use async_graphql::*;

use super::{print, INTROSPECTION_QUERY};

/// A URL-like scalar with a specification.
struct Link(String);

#[Scalar(specified_by_url = "https://url.spec.whatwg.org/")]
impl ScalarType for Link {
    fn parse(value: Value) -> InputValueResult<Self> {
        match value {
            Value::String(s) => Ok(Link(s)),
            v => Err(InputValueError::expected_type(v)),
        }
    }
    fn to_value(&self) -> Value {
        Value::String(self.0.clone())
    }
}

/// A colour.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
enum Colour {
    /// Red.
    Red,
    #[graphql(deprecation = "use RED\nor nothing")]
    Blue,
}

/// Pick one.
#[derive(OneofObject)]
enum Pick {
    /// By id.
    Id(ID),
    Name(String),
}

#[derive(InputObject)]
struct Range {
    /// Lower bound,
    /// inclusive.
    #[graphql(default = 1)]
    from: i32,
    to: Option<i32>,
    #[graphql(default_with = "vec![Colour::Red]")]
    colours: Vec<Colour>,
}

#[derive(SimpleObject)]
struct Cat {
    name: String,
}

#[derive(SimpleObject)]
struct Dog {
    /// Barks.
    name: String,
}

#[derive(Interface)]
#[graphql(field(name = "name", ty = "&String"))]
enum Named {
    Cat(Cat),
    Dog(Dog),
}

#[derive(Union)]
enum Pet {
    Cat(Cat),
    Dog(Dog),
}

struct Query;

/// The root.
#[Object]
impl Query {
    /// Pets in a range.
    async fn pets(&self, range: Range, #[graphql(default = 3)] first: i32) -> Vec<Pet> {
        let _ = (range, first);
        vec![]
    }
    async fn named(
        &self,
        #[graphql(desc = "Which one.")] pick: Pick,
        colour: Option<Colour>,
    ) -> Option<Named> {
        let _ = (pick, colour);
        None
    }
    #[graphql(deprecation = "gone")]
    async fn link(&self, #[graphql(deprecation)] old: Option<Link>) -> Option<Link> {
        old
    }
    #[graphql(deprecation)]
    async fn colour(&self) -> Colour {
        Colour::Red
    }
}

fn schema() -> Schema<Query, EmptyMutation, EmptySubscription> {
    Schema::build(Query, EmptyMutation, EmptySubscription)
        .register_output_type::<Named>()
        .finish()
}

async fn printed(s: &Schema<Query, EmptyMutation, EmptySubscription>) -> String {
    let response = s.execute(INTROSPECTION_QUERY).await;
    assert!(response.errors.is_empty(), "{:?}", response.errors);
    print(&response.data.into_json().unwrap()).unwrap()
}

#[actix_web::test]
async fn printed_introspection_equals_async_graphql_sdl() {
    let s = schema();
    let expected = s.sdl_with_options(SDLExportOptions::new().include_specified_by());
    let got = printed(&s).await;
    assert_eq!(
        got, expected,
        "\n--- got ---\n{got}\n--- expected ---\n{expected}"
    );
}

#[test]
fn garbage_is_an_error_not_a_panic() {
    assert!(print(&serde_json::json!({"nope": 1})).is_err());
}

#[test]
fn a_quote_in_a_deprecation_reason_is_escaped() {
    // async-graphql 7.2.1 writes it unescaped (invalid SDL); this printer
    // does not copy that, and nothing in Reintegra's schema has one.
    let mut out = String::new();
    super::deprecated(&mut out, true, Some("use \"x\""));
    assert_eq!(out, r#" @deprecated(reason: "use \"x\"")"#);
}
