//! The token tagger: tokens in, one IOB2 label per token out. It knows nothing of
//! articles, passages or the index; [`crate::entities`] builds on it.
//!
//! [`tokenize`] splits text into tokens, [`features`] describes each token, [`clusters`]
//! holds Brown word clusters, [`model`] is the averaged perceptron with its Viterbi
//! decoder, [`train`] fits it on CoNLL-2003 ([`conll`]) and unlabelled news. The model
//! newsdex ships is `ner.model` beside this file, built into the binary. May import
//! `corpus` (to read unlabelled news for training) and nothing else of the crate.

pub mod clusters;
pub mod conll;
pub mod features;
pub mod model;
pub mod tokenize;
pub mod train;

use std::sync::OnceLock;

use model::Model;

static MODEL_BYTES: &[u8] = include_bytes!("ner.model");

/// The model built into this binary, loaded once; `None` if it was built without one.
pub fn shipped_model() -> Option<&'static Model> {
    static MODEL: OnceLock<Option<Model>> = OnceLock::new();
    MODEL
        .get_or_init(|| {
            if MODEL_BYTES.is_empty() {
                return None;
            }
            Some(
                Model::from_bytes(MODEL_BYTES)
                    .expect("the shipped model is checked by a unit test"),
            )
        })
        .as_ref()
}
