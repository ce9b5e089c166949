//! Money on the wire: a decimal string and its currency, never a float.

use async_graphql::{Enum, SimpleObject};

use crate::domain::money::Centavos;

/// ISO 4217 currency.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Currency {
    /// Guatemalan quetzal.
    #[graphql(name = "GTQ")]
    Gtq,
}

/// An exact amount of money.
#[derive(SimpleObject, Clone, Debug)]
pub struct Money {
    /// Decimal string with two decimals, e.g. `"3500.00"`.
    pub amount: String,
    /// Its currency.
    pub currency: Currency,
}

impl Money {
    /// An amount in quetzales from stored centavos.
    pub fn gtq(centavos: i64) -> Money {
        Money {
            amount: Centavos::from_stored(centavos).to_string(),
            currency: Currency::Gtq,
        }
    }
}
