//! The one home of name knowledge: how spellings of a name are told to be one.
//!
//! [`keys`] builds the variant key of a name and holds the language knowledge it rests
//! on (particles and linkers of Arabic, Persian and Urdu names, honorifics, the format
//! of the terms stored in the index); [`analyzer`] is the tokenizer that reduces passage
//! text to those keys at index time and builds the same keys for a query; [`curation`]
//! reads the user's file of names declared the same or different. Every other room asks
//! these three; none spells a particle, a linker or a key by hand.
//!
//! Imports nothing of the crate: the recogniser, the index and search all build on it.

pub mod analyzer;
pub mod curation;
pub mod keys;
