//! User aliases: names a user declares the same, or not the same, in `newsdex.toml`.
//!
//! ```toml
//! # names of one entity that no spelling rule could link
//! [same]
//! "Kurdistan Workers' Party" = ["PKK", "KGK"]
//!
//! # names that key alike but are different entities
//! [different]
//! "Ali Faiz" = ["Ali Fayez"]
//!
//! # names the recogniser typed wrong: person, place or org
//! [retype]
//! "Al Jazeera" = "org"
//!
//! # words the recogniser took for names, each with the reason
//! [not_entity]
//! "REUTER" = "the wire's sign-off"
//! ```
//!
//! The file is read at query time, so editing it changes `mentions`, `entities`
//! and the entity filters at once, with no re-indexing and no re-run of entity
//! recognition. `retype` and `not_entity` match a name in any spelling (by key). newsdex looks for `newsdex.toml` in the corpus folder the
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
    #[serde(default)]
    retype: HashMap<String, String>,
    #[serde(default)]
    not_entity: HashMap<String, String>,
}

/// The kinds a `[retype]` entry may name.
const KINDS: [&str; 3] = ["person", "place", "org"];

/// Loaded alias declarations, looked up by name key.
#[derive(Debug, Default)]
pub struct Aliases {
    same: Vec<Vec<String>>,
    different: Vec<(String, String)>,
    /// Name key → the kind the user gives it.
    retype: HashMap<String, &'static str>,
    /// Name keys the user says are no entity.
    not_entity: HashMap<String, String>,
    /// Name key of each name in a `[same]` group → the key of the group's first name.
    same_group: HashMap<String, String>,
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
        let same: Vec<Vec<String>> = file
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
        let mut retype = HashMap::new();
        for (name, kind) in file.retype {
            let Some(kind) = KINDS.iter().find(|k| **k == kind.trim()) else {
                anyhow::bail!(
                    "[retype] {name:?} = {kind:?}: the kind must be one of person, place, org"
                );
            };
            retype.insert(name_key(&name), *kind);
        }
        let not_entity = file
            .not_entity
            .into_keys()
            .map(|name| (name_key(&name), name))
            .collect();
        // a name in two groups belongs to the first, as a scan of the groups would find
        let mut same_group = HashMap::new();
        for group in &same {
            let first = name_key(&group[0]);
            for n in group {
                same_group
                    .entry(name_key(n))
                    .or_insert_with(|| first.clone());
            }
        }
        Ok(Aliases {
            same,
            different,
            retype,
            not_entity,
            same_group,
        })
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

    /// The kind an entity recorded as `kind` (`person`, `place`, `org`) under `name` is
    /// to be counted as: the kind the user gave it in `[retype]`, else its own; `None`
    /// when the user declared it no entity in `[not_entity]`.
    pub fn kind_of<'a>(&self, name: &str, kind: &'a str) -> Option<&'a str>
    where
        'static: 'a,
    {
        if self.not_entity.is_empty() && self.retype.is_empty() {
            return Some(kind);
        }
        let key = name_key(name);
        if self.not_entity.contains_key(&key) {
            return None;
        }
        Some(self.retype.get(&key).copied().unwrap_or(kind))
    }

    /// The kind the user gave `name` in `[retype]`, if any.
    pub fn retyped(&self, name: &str) -> Option<&'static str> {
        if self.retype.is_empty() {
            return None;
        }
        self.retype.get(&name_key(name)).copied()
    }

    /// Whether the user declared `name` no entity in `[not_entity]`.
    pub fn is_not_entity(&self, name: &str) -> bool {
        !self.not_entity.is_empty() && self.not_entity.contains_key(&name_key(name))
    }

    /// The key `entities` groups `name` under: the key of the first name of its
    /// `[same]` group; for a name in a `[different]` pair, its key and its spelling, so
    /// that it is listed apart from the name it keys alike with; else its name key.
    pub fn group_key(&self, name: &str) -> String {
        let key = name_key(name);
        if let Some(first) = self.same_group.get(&key) {
            return first.clone();
        }
        if self.different.is_empty() {
            return key; // no file, or none of this kind: the common case costs one key
        }
        let folded = spelling(name);
        if self
            .different
            .iter()
            .any(|(a, b)| *a == folded || *b == folded)
        {
            return format!("{key}\u{1f}{folded}");
        }
        key
    }

    /// Whether the file retypes or rules out any name (then every kind must be read to
    /// list one).
    pub fn changes_kinds(&self) -> bool {
        !self.retype.is_empty() || !self.not_entity.is_empty()
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
