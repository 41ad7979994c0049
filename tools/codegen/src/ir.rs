//! The description, read into types the language modules render from: models with typed fields
//! (from the JSON Schema of the core's serde types), operations, error codes and classes.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::{Map, Value};

/// A field or item type.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Ty {
    String,
    Integer,
    Number,
    Bool,
    /// Any JSON value.
    Any,
    /// A named model.
    Ref {
        name: String,
    },
    Array {
        item: Box<Ty>,
    },
    /// A JSON object with values of one type.
    Map {
        value: Box<Ty>,
    },
    /// A fixed-length array (`[name, value]` header pairs).
    Tuple {
        items: Vec<Ty>,
    },
    Nullable {
        inner: Box<Ty>,
    },
}

impl Ty {
    /// The type without its `Nullable` wrapper.
    pub fn non_null(&self) -> &Ty {
        match self {
            Ty::Nullable { inner } => inner,
            other => other,
        }
    }

    pub fn is_nullable(&self) -> bool {
        matches!(self, Ty::Nullable { .. })
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Field {
    /// The JSON name.
    pub name: String,
    pub doc: String,
    pub ty: Ty,
    /// Always present in the canonical JSON (absent only when `required` is false).
    pub required: bool,
    /// The field holds a secret: shown redacted by `repr`/`toString`.
    pub secret: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct EnumValue {
    pub value: String,
    /// The Rust variant name (PascalCase).
    pub name: String,
    pub doc: String,
}

#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ModelKind {
    Struct {
        fields: Vec<Field>,
        /// Fields beyond the named ones are accepted (and their type).
        additional: Option<Ty>,
    },
    /// A string of an open set: the known values, and any other string kept as sent.
    OpenEnum { values: Vec<EnumValue> },
    /// One of several shapes (a recipient: a string or a contact): JSON in typed languages.
    Union { variants: Vec<Ty> },
}

#[derive(Debug, Clone, Serialize)]
pub struct Model {
    pub name: String,
    pub doc: String,
    #[serde(flatten)]
    pub kind: ModelKind,
}

impl Model {
    pub fn fields(&self) -> &[Field] {
        match &self.kind {
            ModelKind::Struct { fields, .. } => fields,
            _ => &[],
        }
    }
}

/// The whole description, typed.
pub struct Ir {
    pub raw: Value,
    pub models: BTreeMap<String, Model>,
}

impl Ir {
    pub fn new(raw: Value) -> Result<Ir, String> {
        let mut models = BTreeMap::new();
        let defs = raw["models"].as_object().ok_or("the description has no models")?;
        for (name, schema) in defs {
            models.insert(name.clone(), model(name, schema)?);
        }
        Ok(Ir { raw, models })
    }

    pub fn model(&self, name: &str) -> Result<&Model, String> {
        self.models.get(name).ok_or_else(|| format!("no model {name}"))
    }

    pub fn operations(&self) -> &[Value] {
        self.raw["operations"].as_array().map(Vec::as_slice).unwrap_or(&[])
    }

    pub fn version(&self) -> &str {
        self.raw["constants"]["version"].as_str().unwrap_or("0.0.0")
    }

    /// Every model reachable from `roots`, in a stable order (roots first, then what they use).
    pub fn reachable(&self, roots: &[&str]) -> Vec<&Model> {
        let mut seen: Vec<String> = Vec::new();
        let mut queue: Vec<String> = roots.iter().map(|r| (*r).to_owned()).collect();
        while let Some(name) = queue.first().cloned() {
            queue.remove(0);
            if seen.contains(&name) {
                continue;
            }
            let Some(model) = self.models.get(&name) else { continue };
            seen.push(name);
            let mut refs = Vec::new();
            match &model.kind {
                ModelKind::Struct { fields, additional } => {
                    for f in fields {
                        collect_refs(&f.ty, &mut refs);
                    }
                    if let Some(a) = additional {
                        collect_refs(a, &mut refs);
                    }
                }
                ModelKind::Union { variants } => variants.iter().for_each(|v| collect_refs(v, &mut refs)),
                ModelKind::OpenEnum { .. } => {}
            }
            queue.extend(refs);
        }
        seen.iter().filter_map(|n| self.models.get(n)).collect()
    }
}

fn collect_refs(ty: &Ty, out: &mut Vec<String>) {
    match ty {
        Ty::Ref { name } => out.push(name.clone()),
        Ty::Array { item } => collect_refs(item, out),
        Ty::Map { value } => collect_refs(value, out),
        Ty::Tuple { items } => items.iter().for_each(|i| collect_refs(i, out)),
        Ty::Nullable { inner } => collect_refs(inner, out),
        _ => {}
    }
}

fn model(name: &str, schema: &Value) -> Result<Model, String> {
    let doc = clean_doc(schema["description"].as_str().unwrap_or(""));
    if let Some(values) = schema.get("x-open-enum").and_then(Value::as_array) {
        let values = values
            .iter()
            .map(|v| EnumValue {
                value: v["value"].as_str().unwrap_or_default().to_owned(),
                name: v["name"].as_str().unwrap_or_default().to_owned(),
                doc: clean_doc(v["doc"].as_str().unwrap_or_default()),
            })
            .collect();
        return Ok(Model { name: name.to_owned(), doc, kind: ModelKind::OpenEnum { values } });
    }
    if let Some(variants) = schema.get("anyOf").and_then(Value::as_array) {
        let variants = variants.iter().map(ty).collect::<Result<_, _>>()?;
        return Ok(Model { name: name.to_owned(), doc, kind: ModelKind::Union { variants } });
    }
    let required: Vec<&str> =
        schema["required"].as_array().map(|r| r.iter().filter_map(Value::as_str).collect()).unwrap_or_default();
    let empty = Map::new();
    let properties = schema["properties"].as_object().unwrap_or(&empty);
    let mut fields = Vec::new();
    for (field_name, field_schema) in properties {
        fields.push(Field {
            name: field_name.clone(),
            doc: clean_doc(field_schema["description"].as_str().unwrap_or("")),
            ty: ty(field_schema)?,
            required: required.contains(&field_name.as_str()),
            // `signing_secret` is one; `secret_index` and `secret_fingerprint` (which secret
            // matched a webhook) are safe to show.
            secret: field_name == "secret" || field_name.ends_with("_secret"),
        });
    }
    let additional = match schema.get("additionalProperties") {
        Some(Value::Bool(true)) => Some(Ty::Any),
        Some(other @ Value::Object(_)) => Some(ty(other)?),
        _ => None,
    };
    Ok(Model { name: name.to_owned(), doc, kind: ModelKind::Struct { fields, additional } })
}

/// A JSON Schema (as schemars writes them) as a [`Ty`].
pub fn ty(schema: &Value) -> Result<Ty, String> {
    if let Some(reference) = schema["$ref"].as_str() {
        let name = reference.rsplit('/').next().unwrap_or(reference);
        return Ok(Ty::Ref { name: name.to_owned() });
    }
    if let Some(any_of) = schema["anyOf"].as_array() {
        let non_null: Vec<&Value> = any_of.iter().filter(|s| s["type"] != "null").collect();
        return match (non_null.as_slice(), any_of.len() - non_null.len()) {
            ([one], 1) => Ok(Ty::Nullable { inner: Box::new(ty(one)?) }),
            ([one], 0) => ty(one),
            _ => Ok(Ty::Any),
        };
    }
    let types: Vec<&str> = match &schema["type"] {
        Value::String(t) => vec![t.as_str()],
        Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
        _ => return Ok(Ty::Any),
    };
    let nullable = types.contains(&"null");
    let base: Vec<&str> = types.into_iter().filter(|t| *t != "null").collect();
    let inner = match base.as_slice() {
        ["string"] => Ty::String,
        ["integer"] => Ty::Integer,
        ["number"] => Ty::Number,
        ["boolean"] => Ty::Bool,
        ["array"] => {
            if let Some(prefix) = schema["prefixItems"].as_array() {
                Ty::Tuple { items: prefix.iter().map(ty).collect::<Result<_, _>>()? }
            } else {
                Ty::Array { item: Box::new(schema.get("items").map(ty).transpose()?.unwrap_or(Ty::Any)) }
            }
        }
        ["object"] => match schema.get("additionalProperties") {
            Some(Value::Object(_)) => Ty::Map { value: Box::new(ty(&schema["additionalProperties"])?) },
            _ => Ty::Map { value: Box::new(Ty::Any) },
        },
        _ => Ty::Any,
    };
    Ok(if nullable { Ty::Nullable { inner: Box::new(inner) } } else { inner })
}

/// A rustdoc comment as plain documentation for other languages: code blocks dropped, intra-doc
/// links reduced to their text, lines of a paragraph joined, paragraphs kept.
pub fn clean_doc(doc: &str) -> String {
    let mut paragraphs: Vec<String> = Vec::new();
    let mut current: Vec<String> = Vec::new();
    let mut in_code = false;
    for line in doc.lines() {
        let line = line.trim();
        if line.starts_with("```") {
            in_code = !in_code;
            continue;
        }
        if in_code {
            continue;
        }
        if line.is_empty() {
            if !current.is_empty() {
                paragraphs.push(current.join(" "));
                current.clear();
            }
        } else {
            current.push(line.to_owned());
        }
    }
    if !current.is_empty() {
        paragraphs.push(current.join(" "));
    }
    paragraphs.iter().map(|p| strip_links(p)).collect::<Vec<_>>().join("\n\n")
}

/// Rustdoc links as plain text: `` [`X`] `` and `` [`X`](path) `` → `` `X` ``, `[text](url)` →
/// `text`. Other brackets (`[]`, `[{<channel>: <uuid>}]`) are text and stay.
fn strip_links(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find('[') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        let Some(end) = after.find(']') else {
            out.push_str(&rest[start..]);
            return out;
        };
        let label = &after[..end];
        let tail = &after[end + 1..];
        let code_link = label.len() >= 2 && label.starts_with('`') && label.ends_with('`') && !label.contains('[');
        let url_link = tail.starts_with('(') && tail.find(')').is_some() && !label.is_empty();
        if !code_link && !url_link {
            out.push('[');
            rest = after;
            continue;
        }
        out.push_str(label);
        rest = match tail.strip_prefix('(').and_then(|link| link.find(')').map(|close| &link[close + 1..])) {
            Some(after_link) => after_link,
            None => tail,
        };
    }
    out.push_str(rest);
    out
}

/// `externalId` / `external_id` / `ExternalId` → words.
fn words(name: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    let mut current = String::new();
    let chars: Vec<char> = name.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if c == '_' || c == '-' || c == '.' || c == ' ' {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            continue;
        }
        let boundary = c.is_uppercase()
            && !current.is_empty()
            && (chars.get(i.wrapping_sub(1)).is_some_and(|p| p.is_lowercase() || p.is_ascii_digit())
                || chars.get(i + 1).is_some_and(|n| n.is_lowercase()));
        if boundary {
            words.push(std::mem::take(&mut current));
        }
        current.push(c);
    }
    if !current.is_empty() {
        words.push(current);
    }
    words.into_iter().map(|w| w.to_lowercase()).collect()
}

pub fn snake(name: &str) -> String {
    words(name).join("_")
}

pub fn camel(name: &str) -> String {
    let mut out = String::new();
    for (i, w) in words(name).iter().enumerate() {
        if i == 0 {
            out.push_str(w);
        } else {
            out.push_str(&capitalize(w));
        }
    }
    out
}

pub fn pascal(name: &str) -> String {
    words(name).iter().map(|w| capitalize(w)).collect()
}

pub fn screaming(name: &str) -> String {
    words(name).join("_").to_uppercase()
}

fn capitalize(w: &str) -> String {
    let mut c = w.chars();
    match c.next() {
        Some(first) => first.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_convert() {
        assert_eq!(snake("externalId"), "external_id");
        assert_eq!(camel("external_id"), "externalId");
        assert_eq!(pascal("add_push_token"), "AddPushToken");
        assert_eq!(screaming("WebhookMissingHeader"), "WEBHOOK_MISSING_HEADER");
        assert_eq!(snake("APIError"), "api_error");
    }

    #[test]
    fn docs_are_cleaned() {
        let doc =
            "The [`Error`] of [`Client::send`](crate::x).\nSecond line.\n\n```\ncode\n```\n\nSee [docs](https://x).";
        assert_eq!(clean_doc(doc), "The `Error` of `Client::send`. Second line.\n\nSee docs.");
    }
}
