//! Domain types: validated values and the vocabulary of the programme.

pub mod cui;
pub mod enterprise;
pub mod geography;
pub mod institution;
pub mod isco;
pub mod labour;
pub mod language;
pub mod matching;
pub mod money;
pub mod nit;
pub mod person;
pub mod phone;
pub mod studies;
pub mod training;
