//! Domain types: validated values and the vocabulary of the programme.

pub mod institution;
