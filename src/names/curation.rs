//! User aliases: names a user declares the same, or not the same, in `newsdex.toml`.
//!
//! ```toml
//! # names of one entity that no spelling rule could link
//! [same]
//! "Islamic State" = ["ISIL", "ISIS", "Daesh"]
//!
//! # names that key alike but are different entities
//! [different]
//! "Ali Faiz" = ["Ali Fayez"]
//! ```
//!
//! The file is read at query time, so editing it changes `mentions` and
//! entity filters at once, with no re-indexing and no re-run of entity
//! recognition. newsdex looks for `newsdex.toml` in the corpus folder the
//! index was built from, unless `--aliases FILE` names another.
//!
//! May import: other files of `names`, nothing else of the crate.

use std::collections::HashMap;
use std::path::Path;

use anyhow::Context;
use serde::Deserialize;

use super::keys::name_key;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    same: HashMap<String, Vec<String>>,
    #[serde(default)]
    different: HashMap<String, Vec<String>>,
}

/// Loaded alias declarations, looked up by name key.
#[derive(Debug, Default)]
pub struct Aliases {
    same: Vec<Vec<String>>,
    different: Vec<(String, String)>,
}

impl Aliases {
    /// Reads an aliases file; a syntax error names the file and line.
    pub fn load(path: &Path) -> anyhow::Result<Aliases> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read aliases file {}", path.display()))?;
        Self::parse(&text).with_context(|| format!("in aliases file {}", path.display()))
    }

    /// Parses aliases from TOML text.
    pub fn parse(text: &str) -> anyhow::Result<Aliases> {
        let file: File =
            toml::from_str(text).map_err(|e| anyhow::anyhow!("{}", e.to_string().trim()))?;
        let same = file
            .same
            .into_iter()
            .map(|(k, mut v)| {
                v.insert(0, k);
                v
            })
            .collect();
        let different = file
            .different
            .into_iter()
            .flat_map(|(k, v)| v.into_iter().map(move |o| (spelling(&k), spelling(&o))))
            .collect();
        Ok(Aliases { same, different })
    }

    /// Other names declared the same as `name` (matched by key), without `name` itself.
    pub fn same_as(&self, name: &str) -> Vec<String> {
        let key = name_key(name);
        let mut out = Vec::new();
        for group in &self.same {
            if group.iter().any(|n| name_key(n) == key) {
                out.extend(group.iter().filter(|n| name_key(n) != key).cloned());
            }
        }
        out
    }

    /// Whether the user declared `a` and `b` different entities (compared by spelling,
    /// ignoring case, accents and spacing, since different names may share a key).
    pub fn are_different(&self, a: &str, b: &str) -> bool {
        let (a, b) = (spelling(a), spelling(b));
        self.different
            .iter()
            .any(|(x, y)| (*x == a && *y == b) || (*x == b && *y == a))
    }
}

fn spelling(name: &str) -> String {
    let folded = deunicode::deunicode(name).to_lowercase();
    folded.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_and_different() {
        let a = Aliases::parse(
            "[same]\n\"Islamic State\" = [\"ISIL\", \"ISIS\", \"Daesh\"]\n[different]\n\"Ali Faiz\" = [\"Ali Fayez\"]\n",
        )
        .unwrap();
        assert_eq!(a.same_as("islamic state"), ["ISIL", "ISIS", "Daesh"]);
        assert_eq!(a.same_as("Daesh"), ["Islamic State", "ISIL", "ISIS"]);
        assert!(a.same_as("Hamas").is_empty());
        assert!(a.are_different("Ali Faiz", "Ali Fayez"));
        assert!(!a.are_different("Ali Fayez", "Ali Fayez"));
        assert!(a.are_different("ali fayez", "ALI FAIZ"));
        assert!(!a.are_different("Ali Vaez", "Ali Fayez"));
    }

    #[test]
    fn syntax_errors_are_reported() {
        let err = Aliases::parse("[same\n\"x\" = 1").unwrap_err();
        assert!(!err.to_string().is_empty());
        assert!(Aliases::parse("[unknown]\n").is_err());
    }
}
