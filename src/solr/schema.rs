//! The collection schema newsdex needs, and checking a collection against it.
//!
//! The one statement of the schema is the file users get,
//! `src/solr/configset/conf/managed-schema.xml`, compiled into the binary: [`expected`] reads
//! its `<field>` and `<fieldType>` lines. [`ensure`] compares a collection's schema (Solr's
//! schema API) with it: a collection that has the fields as written is used as it is; one
//! that lacks some and contradicts none (a collection made from Solr's `_default` configset)
//! gets the missing types and fields added through the schema API; one whose fields differ
//! is refused with every difference named. Imports [`super::client`] only.

use std::collections::BTreeMap;

use anyhow::bail;
use serde_json::{json, Value};

use super::client::Solr;

/// The shipped schema file, as users find it in the repository.
pub const SCHEMA_XML: &str = include_str!("configset/conf/managed-schema.xml");
/// Where the shipped configset lives in the repository, for messages.
pub const CONFIGSET_PATH: &str = "src/solr/configset";

/// One `<field>` or `<fieldType>` of the shipped schema: its attributes as written.
#[derive(Clone, Debug, PartialEq)]
pub struct Declared {
    /// The `name` attribute.
    pub name: String,
    /// Every attribute but `name`.
    pub attrs: BTreeMap<String, String>,
}

/// The fields and field types the shipped schema declares, in file order.
pub fn expected() -> (Vec<Declared>, Vec<Declared>) {
    let mut fields = Vec::new();
    let mut types = Vec::new();
    for line in SCHEMA_XML.lines().map(str::trim) {
        let (list, rest) = if let Some(rest) = line.strip_prefix("<fieldType ") {
            (&mut types, rest)
        } else if let Some(rest) = line.strip_prefix("<field ") {
            (&mut fields, rest)
        } else {
            continue;
        };
        let mut attrs = attributes(rest);
        if let Some(name) = attrs.remove("name") {
            list.push(Declared { name, attrs });
        }
    }
    (fields, types)
}

/// `key="value"` pairs of an XML start tag's rest.
fn attributes(tag: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut rest = tag;
    while let Some(eq) = rest.find("=\"") {
        let key = rest[..eq].trim().to_string();
        let after = &rest[eq + 2..];
        let Some(end) = after.find('"') else { break };
        out.insert(key, after[..end].to_string());
        rest = &after[end + 1..];
    }
    out
}

/// What a collection lacks or gets wrong, against the shipped schema.
#[derive(Debug, Default, PartialEq)]
pub struct Differences {
    /// Fields and types to add.
    pub missing: Vec<Declared>,
    /// Field types to add.
    pub missing_types: Vec<Declared>,
    /// Human descriptions of contradictions.
    pub conflicts: Vec<String>,
}

/// Compares Solr's `fields` (with defaults shown), `fieldTypes` and unique key with the
/// shipped schema.
pub fn compare(fields: &[Value], types: &[Value], unique_key: &str) -> Differences {
    let (want_fields, want_types) = expected();
    let mut diff = Differences::default();
    if unique_key != "id" {
        diff.conflicts.push(format!(
            "the unique key is {unique_key:?}, newsdex needs \"id\""
        ));
    }
    let by_name = |list: &[Value], name: &str| -> Option<Value> {
        list.iter().find(|v| v["name"] == name).cloned()
    };
    for want in &want_types {
        match by_name(types, &want.name) {
            None => diff.missing_types.push(want.clone()),
            Some(have) => {
                let class = want.attrs.get("class").map(String::as_str).unwrap_or("");
                let have_class = have["class"].as_str().unwrap_or("");
                if short_class(have_class) != short_class(class) {
                    diff.conflicts.push(format!(
                        "field type {} is {have_class}, newsdex needs {class}",
                        want.name
                    ));
                }
            }
        }
    }
    for want in &want_fields {
        let Some(have) = by_name(fields, &want.name) else {
            diff.missing.push(want.clone());
            continue;
        };
        for (key, value) in &want.attrs {
            let have_value = match &have[key.as_str()] {
                Value::String(s) => s.clone(),
                Value::Bool(b) => b.to_string(),
                Value::Null => "false".to_string(), // a flag left out is off
                other => other.to_string(),
            };
            if &have_value != value {
                diff.conflicts.push(format!(
                    "field {} has {key}={have_value}, newsdex needs {value}",
                    want.name
                ));
            }
        }
    }
    diff
}

/// `solr.StrField` and `org.apache.solr.schema.StrField` are the same class.
fn short_class(class: &str) -> &str {
    class.rsplit('.').next().unwrap_or(class)
}

/// Checks the collection's schema, adding what a fresh collection lacks; fails with every
/// difference when the collection was made for something else.
pub fn ensure(solr: &Solr) -> anyhow::Result<usize> {
    let fields = solr.schema_get("/fields", &[("showDefaults", "true")])?;
    let types = solr.schema_get("/fieldtypes", &[])?;
    let key = solr.schema_get("/uniquekey", &[])?;
    let empty = Vec::new();
    let diff = compare(
        fields["fields"].as_array().unwrap_or(&empty),
        types["fieldTypes"].as_array().unwrap_or(&empty),
        key["uniqueKey"].as_str().unwrap_or(""),
    );
    if !diff.conflicts.is_empty() {
        bail!(
            "collection {:?} has a schema newsdex cannot use:\n  {}\n\
             create the collection from newsdex's configset ({CONFIGSET_PATH}), or from Solr's \
             _default configset and let `newsdex push` add the fields",
            solr.collection,
            diff.conflicts.join("\n  ")
        );
    }
    let added = diff.missing.len() + diff.missing_types.len();
    // types first, in a request of their own: the fields name them (and a JSON object's
    // keys carry no order a schema request could rely on)
    let types: Vec<Value> = diff.missing_types.iter().map(type_command).collect();
    if !types.is_empty() {
        solr.schema_post(&json!({ "add-field-type": types }))?;
    }
    let fields: Vec<Value> = diff.missing.iter().map(field_command).collect();
    if !fields.is_empty() {
        solr.schema_post(&json!({ "add-field": fields }))?;
    }
    Ok(added)
}

/// The schema API command adding a field type; the pre-analysed type takes its query
/// analyser (whitespace-separated terms), which a start tag's attributes do not say.
fn type_command(t: &Declared) -> Value {
    let mut cmd = attrs_json(t);
    if t.attrs
        .get("class")
        .is_some_and(|c| c.ends_with("PreAnalyzedField"))
    {
        cmd["queryAnalyzer"] = json!({"tokenizer": {"class": "solr.WhitespaceTokenizerFactory"}});
    }
    cmd
}

fn field_command(f: &Declared) -> Value {
    attrs_json(f)
}

fn attrs_json(d: &Declared) -> Value {
    let mut obj = serde_json::Map::new();
    obj.insert("name".into(), Value::String(d.name.clone()));
    for (k, v) in &d.attrs {
        let value = match v.as_str() {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            _ => Value::String(v.clone()),
        };
        obj.insert(k.clone(), value);
    }
    Value::Object(obj)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_schema_declares_every_field_newsdex_sends() {
        let (fields, types) = expected();
        let names: Vec<&str> = fields.iter().map(|f| f.name.as_str()).collect();
        for name in [
            "id",
            "kind",
            "path",
            "article",
            "title",
            "heading",
            "passage",
            "text",
            "text_keys",
            "start",
            "date",
            "person",
            "place",
            "org",
            "person_key",
            "name_keys",
            "ents",
            "surface",
            "file_hash",
            "file_status",
        ] {
            assert!(names.contains(&name), "{name} missing from {names:?}");
        }
        assert!(types.iter().any(|t| t.name == "newsdex_tokens"));
        let text = fields.iter().find(|f| f.name == "text").unwrap();
        assert_eq!(text.attrs["type"], "newsdex_tokens");
        assert_eq!(text.attrs["stored"], "true");
    }

    #[test]
    fn a_collection_is_matched_added_to_or_refused() {
        let (fields, types) = expected();
        let as_solr = |d: &Declared| {
            let mut v = attrs_json(d);
            for flag in ["indexed", "stored", "multiValued", "docValues"] {
                if v.get(flag).is_none() {
                    v[flag] = json!(false);
                }
            }
            v
        };
        let have_fields: Vec<Value> = fields.iter().map(as_solr).collect();
        let have_types: Vec<Value> = types.iter().map(attrs_json).collect();
        assert_eq!(
            compare(&have_fields, &have_types, "id"),
            Differences::default()
        );

        let fresh = compare(&have_fields[..2], &have_types[..1], "id");
        assert!(fresh.conflicts.is_empty());
        assert_eq!(fresh.missing.len(), fields.len() - 2);
        assert_eq!(fresh.missing_types.len(), types.len() - 1);

        let mut wrong = have_fields.clone();
        let text = wrong.iter_mut().find(|f| f["name"] == "text").unwrap();
        text["type"] = json!("text_general");
        let diff = compare(&wrong, &have_types, "uid");
        assert_eq!(diff.conflicts.len(), 2, "{:?}", diff.conflicts);
        assert!(diff.conflicts[1].contains("field text has type=text_general"));
    }

    #[test]
    fn the_token_type_is_added_with_its_query_analyser() {
        let (_, types) = expected();
        let t = types.iter().find(|t| t.name == "newsdex_tokens").unwrap();
        let cmd = type_command(t);
        assert_eq!(cmd["class"], "solr.PreAnalyzedField");
        assert_eq!(
            cmd["queryAnalyzer"]["tokenizer"]["class"],
            "solr.WhitespaceTokenizerFactory"
        );
    }
}
