//! The data subject's rights over their record: a complete export, and
//! erasure by pseudonymisation. Transaction scripts; the GraphQL layer and
//! the CLI call them.

pub mod erase;
pub mod export;
pub mod retention;

pub use erase::{erase, Erasure};
pub use export::{export, SubjectDocument};
