//! The generated surface of the Python binding (`bindings-python/python/sendivent/`): the result
//! classes (`_models.py`), the exception hierarchy (`_exceptions.py`), the sync and async
//! resources (`_resources.py`, one template for both), the constants (`_constants.py`), the
//! package's lazy export table (`__init__.py`) and the native module's stub (`_native.pyi`).
//!
//! This module decides everything that depends on the description (names, Python types, how
//! each field is read from and written back to the core's canonical JSON); the templates in
//! `templates/python/` lay it out.

use std::collections::BTreeSet;

use minijinja::{Environment, context};
use serde::Serialize;
use serde_json::Value;

use crate::ir::{self, Field, Ir, Model, ModelKind, Ty};
use crate::{Output, templates};

/// Python's reserved words: a JSON name that is one gets a trailing `_` (`from` → `from_`).
const KEYWORDS: &[&str] = &[
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del",
    "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda", "nonlocal",
    "not", "or", "pass", "raise", "return", "try", "while", "with", "yield",
];

/// Per-request options: the Python type of each option the description lists, and the doc of
/// those that have no bound to take it from.
const REQUEST_OPTIONS: &[(&str, &str, &str)] = &[
    ("timeout", "Optional[float]", ""),
    ("max_retries", "Optional[int]", ""),
    (
        "idempotency_key",
        "Optional[str]",
        "Your key for this request (e.g. ``\"order-1042-shipped\"``); retries reuse it. Sends get a generated \
         one otherwise.",
    ),
    ("extra_headers", "Optional[Mapping[str, str]]", "Headers added to this request."),
];

/// Error classes that are also a built-in Python exception, so `except ValueError` catches a
/// refused argument.
const EXTRA_BASES: &[(&str, &str)] = &[("ValidationError", "ValueError"), ("ConfigurationError", "ValueError")];

/// Names the hand-written modules export, for the package's lazy export table.
const HAND_WRITTEN: &[(&str, &[&str])] = &[
    ("._client", &["Sendivent", "AsyncSendivent"]),
    ("._native", &["Identifier", "resolve_identifier", "validate_email", "validate_phone"]),
];

/// Names of the models' own attributes and methods, which no field may take.
const RESERVED_ATTRIBUTES: &[&str] = &["to_dict", "last_response", "header", "extra", "verified"];

/// The result of webhook verification, and the model telling how it was verified (its
/// `verified` attribute: which secret matched, for rotation insight).
const VERIFIED_RESULT: &str = "WebhookEvent";
const VERIFICATION: &str = "Verified";

/// Fields whose names mention a secret but hold none (the IR takes every such name for a secret
/// to redact): which secret matched, by position and by a fingerprint made to be logged.
const NOT_SECRET: &[(&str, &str)] = &[(VERIFICATION, "secret_index"), (VERIFICATION, "secret_fingerprint")];

/// Where the generated files go.
const PACKAGE: &str = "bindings-python/python/sendivent";

fn py_name(json: &str) -> String {
    let name = ir::snake(json);
    if KEYWORDS.contains(&name.as_str()) { format!("{name}_") } else { name }
}

fn quote(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_default()
}

/// Where a type is used: in a result class (concrete containers) or as an argument (what a
/// caller may pass).
#[derive(Clone, Copy, PartialEq)]
enum Side {
    Result,
    Argument,
}

/// Renders types and conversions, knowing which models are result classes.
struct Types<'a> {
    ir: &'a Ir,
    classes: BTreeSet<String>,
}

impl Types<'_> {
    fn model(&self, name: &str) -> Result<&Model, String> {
        self.ir.model(name)
    }

    fn is_class(&self, name: &str) -> bool {
        self.classes.contains(name)
    }

    /// The Python type hint.
    fn hint(&self, ty: &Ty, side: Side) -> Result<String, String> {
        Ok(match ty {
            Ty::String => "str".into(),
            Ty::Integer => "int".into(),
            Ty::Number => "float".into(),
            Ty::Bool => "bool".into(),
            Ty::Any => "Any".into(),
            Ty::Ref { name } => match &self.model(name)?.kind {
                ModelKind::Struct { .. } if self.is_class(name) => name.clone(),
                ModelKind::Struct { .. } if side == Side::Argument => "Mapping[str, Any]".into(),
                ModelKind::Struct { .. } => return Err(format!("{name} is used in a result but has no class")),
                ModelKind::OpenEnum { .. } | ModelKind::Union { .. } => name.clone(),
            },
            Ty::Array { item } => match side {
                Side::Result => format!("List[{}]", self.hint(item, side)?),
                Side::Argument => format!("Sequence[{}]", self.hint(item, side)?),
            },
            Ty::Map { value } => match side {
                Side::Result => format!("Dict[str, {}]", self.hint(value, side)?),
                Side::Argument => format!("Mapping[str, {}]", self.hint(value, side)?),
            },
            Ty::Tuple { items } => {
                let items: Vec<String> = items.iter().map(|i| self.hint(i, side)).collect::<Result<_, _>>()?;
                format!("Tuple[{}]", items.join(", "))
            }
            Ty::Nullable { inner } => match inner.as_ref() {
                Ty::Any => "Any".into(),
                inner => format!("Optional[{}]", self.hint(inner, side)?),
            },
        })
    }

    /// The expression reading `src` (canonical JSON) as `ty`, or `None` when the JSON value is
    /// the Python value already.
    fn decode(&self, ty: &Ty, src: &str, depth: usize) -> Result<Option<String>, String> {
        let var = format!("v{depth}");
        Ok(match ty {
            Ty::Ref { name } if self.is_class(name) => Some(format!("{name}._from({src})")),
            Ty::Array { item } => Some(match self.decode(item, &var, depth + 1)? {
                Some(each) => format!("[{each} for {var} in {src}]"),
                None => format!("list({src})"),
            }),
            Ty::Map { value } => Some(match self.decode(value, &var, depth + 1)? {
                Some(each) => format!("{{k{depth}: {each} for k{depth}, {var} in {src}.items()}}"),
                None => format!("dict({src})"),
            }),
            Ty::Tuple { items } => {
                if items.iter().any(|i| !matches!(i, Ty::String | Ty::Integer | Ty::Number | Ty::Bool)) {
                    return Err("tuples hold plain values only".into());
                }
                Some(format!("tuple({src})"))
            }
            Ty::Nullable { inner } => {
                self.decode(inner, src, depth)?.map(|each| format!("None if {src} is None else {each}"))
            }
            _ => None,
        })
    }

    /// The expression writing `src` (a Python value of type `ty`) back as canonical JSON.
    fn encode(&self, ty: &Ty, src: &str, depth: usize) -> String {
        let var = format!("v{depth}");
        match ty {
            Ty::Ref { name } if self.is_class(name) => format!("{src}.to_dict()"),
            Ty::Array { item } => {
                let each = self.encode(item, &var, depth + 1);
                if each == var { format!("list({src})") } else { format!("[{each} for {var} in {src}]") }
            }
            Ty::Map { value } => {
                let each = self.encode(value, &var, depth + 1);
                if each == var {
                    format!("dict({src})")
                } else {
                    format!("{{k{depth}: {each} for k{depth}, {var} in {src}.items()}}")
                }
            }
            Ty::Tuple { .. } => format!("list({src})"),
            Ty::Nullable { inner } => {
                let each = self.encode(inner, src, depth);
                if each == src { each } else { format!("None if {src} is None else {each}") }
            }
            _ => src.to_owned(),
        }
    }
}

/// A field of a result class.
#[derive(Serialize)]
struct ClassField {
    /// The Python attribute.
    name: String,
    /// The JSON key, quoted.
    key: String,
    doc: String,
    hint: String,
    /// `= <default>` of the dataclass field, when it has one.
    default: Option<String>,
    /// How `_from` reads it from `d`.
    decode: String,
    /// How `to_dict` writes it (from `self.<name>`).
    encode: String,
    /// `always`, or for fields the canonical JSON leaves out when empty: `not_none`, `not_empty`.
    emit: &'static str,
    secret: bool,
}

#[derive(Serialize)]
struct Class {
    name: String,
    doc: String,
    fields: Vec<ClassField>,
    /// The type of the fields beyond the named ones, kept in `extra`.
    extra: Option<String>,
    /// The field a list result iterates over, and the type of its items.
    items: Option<Items>,
    /// Whether `repr` must redact a secret field.
    has_secret: bool,
    /// Whether the class has a `headers` field of `[name, value]` pairs (gets `header(name)`).
    has_headers: bool,
    /// Whether the class is what webhook verification returns (gets `verified`).
    verified: bool,
}

#[derive(Serialize)]
struct Items {
    field: String,
    hint: String,
}

#[derive(Serialize)]
struct Alias {
    name: String,
    doc: String,
    hint: String,
    /// `name = hint`, laid out for the formatter.
    definition: String,
}

/// The Python default of a field, from the schema's `default` or its type.
fn default_of(schema: &Value, ty: &Ty) -> Result<Option<String>, String> {
    if let Some(default) = schema.get("default") {
        return Ok(Some(match default {
            Value::Null => "None".into(),
            Value::Bool(true) => "True".into(),
            Value::Bool(false) => "False".into(),
            Value::String(s) => quote(s),
            Value::Number(n) => n.to_string(),
            Value::Array(a) if a.is_empty() => "field(default_factory=list)".into(),
            Value::Object(o) if o.is_empty() => "field(default_factory=dict)".into(),
            other => return Err(format!("no Python default for {other}")),
        }));
    }
    Ok(match ty {
        Ty::Nullable { .. } | Ty::Any => Some("None".into()),
        Ty::Array { .. } => Some("field(default_factory=list)".into()),
        Ty::Map { .. } => Some("field(default_factory=dict)".into()),
        _ => None,
    })
}

fn property_schema<'a>(ir: &'a Ir, model: &str, field: &str) -> &'a Value {
    &ir.raw["models"][model]["properties"][field]
}

fn class(types: &Types<'_>, model: &Model, items: Option<Items>) -> Result<Class, String> {
    let ModelKind::Struct { fields, additional } = &model.kind else {
        return Err(format!("{} is not an object", model.name));
    };
    let mut out = Vec::new();
    for f in fields {
        let name = py_name(&f.name);
        if RESERVED_ATTRIBUTES.contains(&name.as_str()) {
            return Err(format!("{}.{}: the name is taken by the result classes' own attributes", model.name, f.name));
        }
        let key = quote(&f.name);
        let src = if f.required {
            format!("d[{key}]")
        } else {
            match &f.ty {
                Ty::Array { .. } => format!("d.get({key}) or []"),
                Ty::Map { .. } => format!("d.get({key}) or {{}}"),
                _ => format!("d.get({key})"),
            }
        };
        let emit = match (&f.required, &f.ty) {
            (true, _) => "always",
            (false, Ty::Nullable { .. } | Ty::Any) => "not_none",
            (false, Ty::Array { .. } | Ty::Map { .. }) => "not_empty",
            (false, other) => return Err(format!("{}.{}: no rule to leave out a {other:?}", model.name, f.name)),
        };
        out.push(ClassField {
            decode: types.decode(&f.ty, &src, 0)?.unwrap_or(src),
            encode: types.encode(&f.ty, &format!("self.{name}"), 0),
            hint: types.hint(&f.ty, Side::Result)?,
            default: default_of(property_schema(types.ir, &model.name, &f.name), &f.ty)?,
            doc: f.doc.clone(),
            key,
            name,
            emit,
            secret: f.secret && !NOT_SECRET.contains(&(model.name.as_str(), f.name.as_str())),
        });
    }
    // Dataclass fields with a default come after those without (keyword construction reads
    // the same either way).
    out.sort_by_key(|f| f.default.is_some());
    let has_headers = fields.iter().any(|f| {
        f.name == "headers"
            && matches!(&f.ty, Ty::Array { item } if matches!(item.as_ref(), Ty::Tuple { items } if items.len() == 2))
    });
    Ok(Class {
        name: model.name.clone(),
        doc: model.doc.clone(),
        has_secret: out.iter().any(|f| f.secret),
        fields: out,
        extra: additional.as_ref().map(|t| types.hint(t, Side::Result)).transpose()?,
        items,
        has_headers,
        verified: model.name == VERIFIED_RESULT,
    })
}

/// The field a list operation's result iterates over: its one list of objects.
fn list_items(types: &Types<'_>, model: &Model) -> Result<Items, String> {
    let mut lists = model.fields().iter().filter_map(|f| match &f.ty {
        Ty::Array { item } => match item.as_ref() {
            Ty::Ref { name } if types.is_class(name) => Some(Items { field: py_name(&f.name), hint: name.clone() }),
            _ => None,
        },
        _ => None,
    });
    match (lists.next(), lists.next()) {
        (Some(one), None) => Ok(one),
        _ => Err(format!("{}: a list result needs exactly one list of objects", model.name)),
    }
}

fn alias(types: &Types<'_>, model: &Model) -> Result<Alias, String> {
    Ok(match &model.kind {
        ModelKind::OpenEnum { values } => {
            let literals: Vec<String> = values.iter().map(|v| quote(&v.value)).collect();
            let known: Vec<String> = values
                .iter()
                .map(|v| {
                    if v.doc.is_empty() {
                        format!("``{}``", v.value)
                    } else {
                        format!("``{}`` ({})", v.value, v.doc.trim_end_matches('.'))
                    }
                })
                .collect();
            let hint = format!("Union[Literal[{}], str]", literals.join(", "));
            Alias {
                name: model.name.clone(),
                doc: format!(
                    "{}\n\nAn open set: values newer than this SDK are kept as sent. Known values: {}.",
                    model.doc,
                    known.join(", ")
                ),
                definition: assignment(&model.name, &hint),
                hint,
            }
        }
        ModelKind::Union { variants } => {
            let variants: Vec<String> =
                variants.iter().map(|v| types.hint(v, Side::Argument)).collect::<Result<_, _>>()?;
            let hint = format!("Union[{}]", variants.join(", "));
            Alias { name: model.name.clone(), doc: model.doc.clone(), definition: assignment(&model.name, &hint), hint }
        }
        ModelKind::Struct { .. } => return Err(format!("{} is an object, not an alias", model.name)),
    })
}

/// Type aliases ordered so that each comes after the aliases it uses.
fn order_aliases<'a>(aliases: &[&'a Model]) -> Vec<&'a Model> {
    fn visit<'a>(model: &'a Model, aliases: &[&'a Model], out: &mut Vec<&'a Model>) {
        if out.iter().any(|m| m.name == model.name) {
            return;
        }
        if let ModelKind::Union { variants } = &model.kind {
            let mut refs = Vec::new();
            variants.iter().for_each(|v| refs_of(v, &mut refs));
            for dep in refs.iter().filter_map(|r| aliases.iter().find(|m| m.name == *r)) {
                visit(dep, aliases, out);
            }
        }
        out.push(model);
    }
    let mut out = Vec::new();
    for m in aliases {
        visit(m, aliases, &mut out);
    }
    out
}

fn refs_of(ty: &Ty, out: &mut Vec<String>) {
    match ty {
        Ty::Ref { name } => out.push(name.clone()),
        Ty::Array { item } => refs_of(item, out),
        Ty::Map { value } => refs_of(value, out),
        Ty::Tuple { items } => items.iter().for_each(|i| refs_of(i, out)),
        Ty::Nullable { inner } => refs_of(inner, out),
        _ => {}
    }
}

/// A parameter of a generated method.
#[derive(Serialize)]
struct Param {
    name: String,
    hint: String,
    /// `None` for a required parameter.
    default: Option<String>,
    doc: String,
}

/// A value of a call's arguments: the JSON key and the Python expression giving it.
#[derive(Serialize)]
struct Arg {
    key: String,
    value: String,
}

#[derive(Serialize)]
struct Method {
    name: String,
    operation: String,
    summary: String,
    doc: String,
    http: String,
    /// Positional parameters (path parameters and required body fields).
    positional: Vec<Param>,
    /// Keyword-only parameters before the request options.
    keyword: Vec<Param>,
    /// `**<name>` for the body's fields beyond the named ones.
    var_keyword: Option<Param>,
    /// The module-level function building the core's arguments from the parameters, shared by
    /// the sync and async methods (and, for `send`, by `send_many`).
    args_function: String,
    /// The arguments beside the body (path and query).
    args: Vec<Arg>,
    /// The body's named fields, when the operation has a body.
    body: Option<Vec<Arg>>,
    response: String,
    /// For paginated operations: the item class of `list_all`.
    pages: Option<String>,
    /// The method's docstring (indented for a method body), and `list_all`'s.
    docstring: String,
    pages_docstring: String,
}

#[derive(Serialize)]
struct Resource {
    attr: String,
    class: String,
    doc: String,
    methods: Vec<Method>,
}

/// The `send_many` of the top-level `send` operation: which keys an item may have; each item
/// becomes the core's `{event, channel?, body, idempotency_key?}` through `send`'s own
/// arguments function.
#[derive(Serialize)]
struct SendMany {
    keys: Vec<String>,
    /// `send`'s arguments function and its positional and keyword parameters.
    args_function: String,
    positional: Vec<String>,
    keyword: Vec<String>,
    concurrency: String,
    response: String,
}

fn operation_method(types: &Types<'_>, op: &Value, options: &[RequestOption]) -> Result<Method, String> {
    let name = op["name"].as_str().ok_or("an operation without a name")?;
    let mut positional = Vec::new();
    let mut path_keyword = Vec::new();
    let mut query_keyword = Vec::new();
    let mut body_keyword = Vec::new();
    let mut args = Vec::new();
    for p in op["path_params"].as_array().into_iter().flatten() {
        let json = p["name"].as_str().unwrap_or_default();
        let hint = match p["type"].as_str() {
            Some("channel") => "Channel".to_owned(),
            _ => "str".to_owned(),
        };
        let optional = p["optional"].as_bool().unwrap_or(false);
        let param = Param {
            name: py_name(json),
            hint: if optional { format!("Optional[{hint}]") } else { hint },
            default: optional.then(|| "None".to_owned()),
            doc: p["doc"].as_str().unwrap_or_default().to_owned(),
        };
        args.push(Arg { key: quote(json), value: param.name.clone() });
        if optional { path_keyword.push(param) } else { positional.push(param) }
    }
    if let Some(query) = op["query"].as_str() {
        for f in types.model(query)?.fields() {
            let param = argument(types, f, true)?;
            args.push(Arg { key: quote(&f.name), value: param.name.clone() });
            query_keyword.push(param);
        }
    }
    let mut var_keyword = None;
    let body = match op["body"].as_str() {
        None => None,
        Some(model_name) => {
            let model = types.model(model_name)?;
            let mut fields = Vec::new();
            for f in model.fields() {
                // Fields the caller must give are positional (`add_push_token(identifier, token)`).
                let schema = property_schema(types.ir, model_name, &f.name);
                let needed = f.required && schema.get("default").is_none();
                let param = argument(types, f, !needed)?;
                fields.push(Arg { key: quote(&f.name), value: param.name.clone() });
                if needed { positional.push(param) } else { body_keyword.push(param) }
            }
            if let ModelKind::Struct { additional: Some(ty), .. } = &model.kind {
                var_keyword = Some(Param {
                    name: "fields".into(),
                    hint: types.hint(ty, Side::Argument)?,
                    default: None,
                    doc: "Further fields, sent as given.".into(),
                });
            }
            Some(fields)
        }
    };
    let keyword: Vec<Param> = path_keyword.into_iter().chain(body_keyword).chain(query_keyword).collect();
    // The generated body's own names: `self`, and the locals holding the answer.
    let mut names: Vec<&str> = vec!["self", "answer", "pager"];
    names.extend(positional.iter().chain(&keyword).chain(&var_keyword).map(|p| p.name.as_str()));
    names.extend(options.iter().map(|o| o.name.as_str()));
    let unique: BTreeSet<&str> = names.iter().copied().collect();
    if unique.len() != names.len() {
        return Err(format!("{name}: two parameters would have the same Python name: {names:?}"));
    }
    let response = op["response"].as_str().ok_or("an operation without a response")?;
    if !types.is_class(response) {
        return Err(format!("{name}: the response {response} has no class"));
    }
    let pages = match op["pagination"].as_object() {
        Some(p) => Some(p["item"].as_str().ok_or("pagination without an item")?.to_owned()),
        None => None,
    };
    let summary = op["summary"].as_str().unwrap_or_default().to_owned();
    let doc = op["doc"].as_str().unwrap_or_default().to_owned();
    let http = format!(
        "{} {}",
        op["http_method"].as_str().unwrap_or_default(),
        http_path(op["path"].as_str().unwrap_or_default(), op)
    );
    let mut documented: Vec<(&str, &str)> =
        positional.iter().chain(&keyword).chain(&var_keyword).map(|p| (p.name.as_str(), p.doc.as_str())).collect();
    documented.extend(options.iter().map(|o| (o.name.as_str(), o.doc.as_str())));
    let docstring = method_docstring(&[&summary, &doc, &format!("``{http}``")], &documented, 8);
    let query: Vec<(&str, &str)> = keyword.iter().map(|p| (p.name.as_str(), p.doc.as_str())).collect();
    let mut pages_documented = query;
    pages_documented.extend(options.iter().map(|o| (o.name.as_str(), o.doc.as_str())));
    let pages_docstring = method_docstring(
        &[
            &format!(
                "Every item of :meth:`{}`, fetched page by page as you iterate.",
                op["method_name"].as_str().unwrap_or_default()
            ),
            "The walk starts at ``offset`` (default 0) and ends after ``total`` items; a failed page raises.",
            &format!("``{http}``"),
        ],
        &pages_documented,
        8,
    );
    Ok(Method {
        args_function: format!("_args_{}", name.replace('.', "_")),
        name: op["method_name"].as_str().unwrap_or(name).to_owned(),
        operation: name.to_owned(),
        summary,
        doc,
        http,
        docstring,
        pages_docstring,
        positional,
        keyword,
        var_keyword,
        args,
        body,
        response: response.to_owned(),
        pages,
    })
}

/// Wraps `text` at 100 columns: the first line after `first`, the others after `rest`.
fn wrap(text: &str, first: &str, rest: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = first.to_owned();
    let mut empty = true;
    for word in text.split_whitespace() {
        if !empty && line.chars().count() + 1 + word.chars().count() > 100 {
            lines.push(std::mem::replace(&mut line, rest.to_owned()));
            empty = true;
        }
        if !empty {
            line.push(' ');
        }
        line.push_str(word);
        empty = false;
    }
    lines.push(line);
    lines
}

/// A method's docstring: paragraphs, then `Args:` with one hanging entry per parameter.
fn method_docstring(paragraphs: &[&str], args: &[(&str, &str)], indent: usize) -> String {
    let pad = " ".repeat(indent);
    let mut lines: Vec<String> = Vec::new();
    for paragraph in paragraphs.iter().flat_map(|p| p.split("\n\n")).filter(|p| !p.trim().is_empty()) {
        if !lines.is_empty() {
            lines.push(String::new());
        }
        lines.extend(wrap(&paragraph.replace('\\', "\\\\"), &pad, &pad));
    }
    if !args.is_empty() {
        lines.push(String::new());
        lines.push(format!("{pad}Args:"));
        for (name, doc) in args {
            let doc = doc.replace('\\', "\\\\");
            lines.extend(wrap(&format!("{name}: {doc}"), &format!("{pad}    "), &format!("{pad}        ")));
        }
    }
    lines.push(pad.clone());
    let text = lines.join("\n");
    format!("\"\"\"{}\"\"\"", text.trim_start())
}

/// `/v1/send/{event}/{channel}` → `/v1/send/{event}[/{channel}]`: an optional last parameter in
/// brackets.
fn http_path(path: &str, op: &Value) -> String {
    let optional = op["path_params"].as_array().into_iter().flatten().find(|p| p["optional"] == true);
    match optional.and_then(|p| p["name"].as_str()) {
        Some(name) => path.replace(&format!("/{{{name}}}"), &format!("[/{{{name}}}]")),
        None => path.to_owned(),
    }
}

/// A body or query field as a parameter.
fn argument(types: &Types<'_>, f: &Field, optional: bool) -> Result<Param, String> {
    let hint = types.hint(&f.ty, Side::Argument)?;
    let hint = if optional && !f.ty.is_nullable() && hint != "Any" { format!("Optional[{hint}]") } else { hint };
    Ok(Param { name: py_name(&f.name), hint, default: optional.then(|| "None".to_owned()), doc: f.doc.clone() })
}

#[derive(Serialize)]
struct RequestOption {
    name: String,
    hint: String,
    doc: String,
}

#[derive(Serialize)]
struct ErrorClass {
    name: String,
    bases: String,
    doc: String,
}

/// An attribute every exception carries: one field of `ErrorDetails`.
#[derive(Serialize)]
struct ErrorAttribute {
    name: String,
    key: String,
    hint: String,
    doc: String,
    /// The constructor's parameter: its type, its default, and the value assigned from it.
    param_hint: String,
    default: String,
    assign: String,
    decode: String,
}

#[derive(Serialize)]
struct Constant {
    name: String,
    /// `NAME = value`, laid out for the formatter.
    definition: String,
    doc: String,
}

fn py_value(value: &Value) -> Option<String> {
    Some(match value {
        Value::String(s) => quote(s),
        Value::Bool(true) => "True".into(),
        Value::Bool(false) => "False".into(),
        Value::Number(n) => n.to_string(),
        Value::Array(items) => {
            let items: Vec<String> = items.iter().map(py_value).collect::<Option<_>>()?;
            if items.len() == 1 { format!("({},)", items[0]) } else { format!("({})", items.join(", ")) }
        }
        _ => return None,
    })
}

pub fn render(ir: &Ir, env: &Environment<'static>) -> Result<Vec<Output>, String> {
    let operations = ir.operations();
    let string_list = |v: &Value| -> Vec<String> {
        v.as_array().into_iter().flatten().filter_map(Value::as_str).map(str::to_owned).collect()
    };

    // Result classes: every model an operation returns, what a received webhook and every
    // response carry, and what those use.
    let mut roots: Vec<&str> = operations.iter().filter_map(|op| op["response"].as_str()).collect();
    roots.extend([VERIFIED_RESULT, VERIFICATION, "ResponseMeta", "ErrorBody"]);
    let results = ir.reachable(&roots);
    let classes: BTreeSet<String> =
        results.iter().filter(|m| matches!(m.kind, ModelKind::Struct { .. })).map(|m| m.name.clone()).collect();
    for name in [VERIFIED_RESULT, VERIFICATION] {
        if !classes.contains(name) {
            return Err(format!("the description has no {name} model"));
        }
    }
    let types = Types { ir, classes };

    // Aliases: the open sets and unions of results and of arguments.
    let mut argument_roots: Vec<&str> = Vec::new();
    for op in operations {
        argument_roots.extend(op["query"].as_str());
        argument_roots.extend(op["body"].as_str());
    }
    let mut alias_models: Vec<&Model> = Vec::new();
    for m in results.iter().copied().chain(ir.reachable(&argument_roots)) {
        if !matches!(m.kind, ModelKind::Struct { .. }) && !alias_models.iter().any(|a| a.name == m.name) {
            alias_models.push(m);
        }
    }
    let aliases: Vec<Alias> =
        order_aliases(&alias_models).into_iter().map(|m| alias(&types, m)).collect::<Result<_, _>>()?;

    let mut list_results = BTreeSet::new();
    for op in operations {
        if op["method_name"] == "list" {
            list_results.insert(op["response"].as_str().unwrap_or_default().to_owned());
        }
    }
    let classes: Vec<Class> = results
        .iter()
        .filter(|m| types.is_class(&m.name))
        .map(|m| {
            let items = if list_results.contains(&m.name) { Some(list_items(&types, m)?) } else { None };
            class(&types, m, items)
        })
        .collect::<Result<_, _>>()?;
    let responses: Vec<(String, String)> = operations
        .iter()
        .map(|op| {
            (op["name"].as_str().unwrap_or_default().to_owned(), op["response"].as_str().unwrap_or_default().to_owned())
        })
        .collect();

    // Per-request options, typed here, named by the description.
    let bounds = ir.raw["bounds"].as_array().cloned().unwrap_or_default();
    let bound_doc = |name: &str| -> Option<String> {
        bounds.iter().find(|b| b["name"] == name).and_then(|b| b["doc"].as_str()).map(str::to_owned)
    };
    let mut request_options = Vec::new();
    for name in string_list(&ir.raw["constants"]["request_options"]) {
        let Some((_, hint, doc)) = REQUEST_OPTIONS.iter().find(|(n, _, _)| *n == name) else {
            return Err(format!("the request option {name} has no Python type in python.rs"));
        };
        let doc = bound_doc(&name).unwrap_or_else(|| (*doc).to_owned());
        request_options.push(RequestOption { name: name.clone(), hint: (*hint).to_owned(), doc });
    }

    // Resources, and the top-level operations of the client.
    let mut resources = Vec::new();
    for r in ir.raw["resources"].as_array().into_iter().flatten() {
        let attr = r["name"].as_str().unwrap_or_default().to_owned();
        let methods = operations
            .iter()
            .filter(|op| op["resource"] == attr.as_str())
            .map(|op| operation_method(&types, op, &request_options))
            .collect::<Result<_, _>>()?;
        resources.push(Resource {
            class: ir::pascal(&attr),
            doc: r["doc"].as_str().unwrap_or_default().to_owned(),
            attr,
            methods,
        });
    }
    let top_level: Vec<Method> = operations
        .iter()
        .filter(|op| op["resource"].is_null())
        .map(|op| operation_method(&types, op, &request_options))
        .collect::<Result<_, _>>()?;
    let send = top_level.iter().find(|m| m.operation == "send").ok_or("the description has no send operation")?;
    let concurrency = bounds.iter().find(|b| b["name"] == "concurrency").ok_or("no concurrency bound")?;
    let send_many = {
        if send.body.is_none() || send.var_keyword.is_some() {
            return Err("send_many needs send to have a body of named fields".into());
        }
        let names = |params: &[Param]| -> Vec<String> { params.iter().map(|p| p.name.clone()).collect() };
        let mut keys: Vec<String> = names(&send.positional);
        keys.extend(names(&send.keyword));
        keys.push("idempotency_key".into());
        SendMany {
            keys,
            args_function: send.args_function.clone(),
            positional: names(&send.positional),
            keyword: names(&send.keyword),
            concurrency: py_value(&concurrency["default"]).unwrap_or_default().trim_end_matches(".0").to_owned(),
            response: send.response.clone(),
        }
    };

    // Errors: the classes, and the attributes every error carries (ErrorDetails but the class
    // and the text, which are the exception's type and `str()`).
    let errors = &ir.raw["errors"];
    let mut error_classes = Vec::new();
    for c in errors["classes"].as_array().into_iter().flatten() {
        let name = c["name"].as_str().unwrap_or_default().to_owned();
        let mut bases: Vec<String> = vec![c["parent"].as_str().unwrap_or("Exception").to_owned()];
        bases.extend(EXTRA_BASES.iter().filter(|(n, _)| *n == name).map(|(_, b)| (*b).to_owned()));
        error_classes.push(ErrorClass {
            bases: bases.join(", "),
            doc: ir::clean_doc(c["doc"].as_str().unwrap_or_default()),
            name,
        });
    }
    for (name, _) in EXTRA_BASES {
        if !error_classes.iter().any(|c| c.name == *name) {
            return Err(format!("python.rs gives {name} an extra base, but the description has no such class"));
        }
    }
    let details = ir.model("ErrorDetails")?;
    for required in ["class", "display", "code", "message", "status", "request_id"] {
        if !details.fields().iter().any(|f| f.name == required) {
            return Err(format!("ErrorDetails has no `{required}`"));
        }
    }
    let mut attributes = Vec::new();
    for f in details.fields().iter().filter(|f| f.name != "class" && f.name != "display") {
        let key = quote(&f.name);
        let src = format!("d[{key}]");
        let name = py_name(&f.name);
        let hint = types.hint(&f.ty, Side::Result)?;
        // Built by hand, an exception's message defaults to its text.
        let (param_hint, default, assign) = match &f.ty {
            _ if f.name == "message" => {
                ("Optional[str]".to_owned(), "None".to_owned(), format!("display if {name} is None else {name}"))
            }
            Ty::String => (hint.clone(), "\"\"".into(), name.clone()),
            Ty::Bool => (hint.clone(), "False".into(), name.clone()),
            Ty::Nullable { .. } => (hint.clone(), "None".into(), name.clone()),
            Ty::Array { item } => (
                format!("Optional[Sequence[{}]]", types.hint(item, Side::Result)?),
                "None".into(),
                format!("list({name} or ())"),
            ),
            other => return Err(format!("ErrorDetails.{}: no default for {other:?}", f.name)),
        };
        attributes.push(ErrorAttribute {
            decode: types.decode(&f.ty, &src, 0)?.unwrap_or(src),
            doc: f.doc.clone(),
            name,
            hint,
            param_hint,
            default,
            assign,
            key,
        });
    }

    // Constants: each policy constant and each bound's default.
    let mut constants = Vec::new();
    for (key, value) in ir.raw["constants"].as_object().into_iter().flatten() {
        let value = py_value(value).ok_or_else(|| format!("constant {key}: no Python literal"))?;
        let name = ir::screaming(key);
        constants.push(Constant { definition: assignment(&name, &value), name, doc: String::new() });
    }
    for b in &bounds {
        let name = b["name"].as_str().unwrap_or_default();
        let mut value = py_value(&b["default"]).unwrap_or_default();
        if b["integer"] == true {
            value = value.trim_end_matches(".0").to_owned();
        }
        let unit = b["unit"].as_str().unwrap_or_default();
        let constant = format!("DEFAULT_{}", ir::screaming(name));
        constants.push(Constant {
            definition: assignment(&constant, &value),
            name: constant,
            doc: format!("The default `{name}` ({unit}). {}", b["doc"].as_str().unwrap_or_default()),
        });
    }

    let exports = exports(&classes, &aliases, &error_classes);
    // The imports for type checkers, in the formatter's order.
    let mut export_imports: Vec<&Export> = exports.iter().collect();
    export_imports.sort_by_key(|e| (e.module.clone(), isort_key(&e.name)));
    // The models the resources name (in signatures and results), in the formatter's order.
    let mut resource_names: BTreeSet<String> = BTreeSet::new();
    for m in resources.iter().flat_map(|r| &r.methods).chain(&top_level) {
        let hints = m.positional.iter().chain(&m.keyword).chain(&m.var_keyword).map(|p| p.hint.as_str());
        for name in hints.flat_map(|h| h.split(|c: char| !c.is_ascii_alphanumeric() && c != '_')) {
            resource_names.insert(name.to_owned());
        }
        resource_names.insert(m.response.clone());
        resource_names.extend(m.pages.clone());
    }
    resource_names.insert(send_many.response.clone());
    let mut resource_imports: Vec<String> = aliases
        .iter()
        .map(|a| a.name.clone())
        .chain(classes.iter().map(|c| c.name.clone()))
        .filter(|name| resource_names.contains(name))
        .collect();
    resource_imports.sort_by_key(|name| isort_key(name));
    let header = crate::header("#");
    let ctx = context! {
        header => header,
        version => ir.version(),
        classes => classes,
        aliases => aliases,
        responses => responses,
        resources => resources,
        top_level => top_level,
        send_many => send_many,
        request_options => request_options,
        error_classes => error_classes,
        error_attributes => attributes,
        constants => constants,
        identifier_kinds => string_list(&ir.raw["constants"]["identifier_kinds"]),
        log_env => ir.raw["constants"]["log_env"],
        exports => exports,
        export_imports => export_imports,
        resource_imports => resource_imports,
    };
    let files = [
        ("python/_models.py.j2", "_models.py"),
        ("python/_exceptions.py.j2", "_exceptions.py"),
        ("python/_resources.py.j2", "_resources.py"),
        ("python/_constants.py.j2", "_constants.py"),
        ("python/__init__.py.j2", "__init__.py"),
        ("python/_native.pyi.j2", "_native.pyi"),
    ];
    let mut env = env.clone();
    env.add_filter("docstring", docstring);
    let mut outputs = Vec::new();
    for (template, file) in files {
        let contents = templates::render(&env, template, ctx.clone())?;
        let path: &'static str = Box::leak(format!("{PACKAGE}/{file}").into_boxed_str());
        outputs.push(Output { path, contents });
    }
    Ok(outputs)
}

/// A docstring for code indented by `indent` spaces: one line when it fits, else wrapped at
/// 100 columns with the closing quotes on their own line.
fn docstring(text: String, indent: usize) -> String {
    let text = text.trim().replace('\\', "\\\\").replace("\"\"\"", "\\\"\\\"\\\"");
    let text = if text.is_empty() { "Undocumented.".to_owned() } else { text };
    let one_line = format!("\"\"\"{text}\"\"\"");
    if !text.contains('\n') && !text.ends_with('"') && indent + one_line.chars().count() <= 100 {
        return one_line;
    }
    let pad = " ".repeat(indent);
    let body = templates::comment(text, pad.clone(), Some(100));
    let body = body.trim_start();
    // Text that wraps into one line keeps its closing quotes on that line, as the formatter does.
    if !body.contains('\n') && !body.ends_with('"') && indent + body.chars().count() + 6 <= LINE_LENGTH {
        return format!("\"\"\"{body}\"\"\"");
    }
    format!("\"\"\"{body}\n{pad}\"\"\"")
}

#[derive(Serialize)]
struct Export {
    name: String,
    module: String,
}

/// Every public name of the package and the module it lives in.
fn exports(classes: &[Class], aliases: &[Alias], errors: &[ErrorClass]) -> Vec<Export> {
    let mut out = Vec::new();
    for (module, names) in HAND_WRITTEN {
        out.extend(names.iter().map(|n| Export { name: (*n).to_owned(), module: (*module).to_owned() }));
    }
    out.extend(errors.iter().map(|c| Export { name: c.name.clone(), module: "._exceptions".into() }));
    out.extend(classes.iter().map(|c| Export { name: c.name.clone(), module: "._models".into() }));
    out.extend(aliases.iter().map(|a| Export { name: a.name.clone(), module: "._models".into() }));
    out.extend(
        ["SendItem", "SyncPage", "AsyncPage"]
            .iter()
            .map(|n| Export { name: (*n).to_owned(), module: "._resources".into() }),
    );
    out
}

/// How the import sorter orders imported names: constants, then classes, then the rest, each
/// case-insensitively.
fn isort_key(name: &str) -> (u8, String) {
    let rank = if name.len() > 1 && name.chars().all(|c| !c.is_ascii_lowercase()) {
        0
    } else if name.starts_with(|c: char| c.is_ascii_uppercase()) {
        1
    } else {
        2
    };
    (rank, name.to_ascii_lowercase())
}

/// The longest line the formatter (`ruff format`, configured in `ruff.toml`) keeps.
const LINE_LENGTH: usize = 120;

/// A Python expression as the formatter sees it: an atom, or a bracketed list of items
/// (`Union[...]`, `Literal[...]`, a tuple) it may split across lines.
#[derive(Debug, PartialEq)]
enum Expr {
    Atom(String),
    Group {
        head: String,
        open: char,
        items: Vec<Expr>,
        close: char,
        /// A one-element tuple keeps its comma on one line too.
        lone_comma: bool,
    },
}

impl Expr {
    /// Parses an expression made of names, string literals, brackets and commas (type hints,
    /// tuples of constants).
    fn parse(text: &str) -> Expr {
        let chars: Vec<char> = text.chars().collect();
        let mut pos = 0;
        Expr::parse_item(&chars, &mut pos)
    }

    fn parse_item(chars: &[char], pos: &mut usize) -> Expr {
        let mut head = String::new();
        while let Some(&c) = chars.get(*pos) {
            match c {
                '"' | '\'' => {
                    head.push(c);
                    *pos += 1;
                    while let Some(&s) = chars.get(*pos) {
                        head.push(s);
                        *pos += 1;
                        if s == '\\' {
                            if let Some(&escaped) = chars.get(*pos) {
                                head.push(escaped);
                                *pos += 1;
                            }
                        } else if s == c {
                            break;
                        }
                    }
                }
                '[' | '(' => {
                    let close = if c == '[' { ']' } else { ')' };
                    *pos += 1;
                    let mut items = Vec::new();
                    let mut lone_comma = false;
                    loop {
                        while chars.get(*pos) == Some(&' ') {
                            *pos += 1;
                        }
                        match chars.get(*pos) {
                            None => break,
                            Some(&next) if next == close => {
                                *pos += 1;
                                break;
                            }
                            _ => {}
                        }
                        items.push(Expr::parse_item(chars, pos));
                        if chars.get(*pos) == Some(&',') {
                            *pos += 1;
                            lone_comma = items.len() == 1 && chars.get(*pos) == Some(&close);
                        }
                    }
                    return Expr::Group { head: head.trim().to_owned(), open: c, items, close, lone_comma };
                }
                ',' | ']' | ')' => break,
                _ => {
                    head.push(c);
                    *pos += 1;
                }
            }
        }
        Expr::Atom(head.trim().to_owned())
    }

    /// The expression on one line.
    fn flat(&self) -> String {
        match self {
            Expr::Atom(text) => text.clone(),
            Expr::Group { head, open, items, close, lone_comma } => {
                let inner: Vec<String> = items.iter().map(Expr::flat).collect();
                let comma = if *lone_comma { "," } else { "" };
                format!("{head}{open}{}{comma}{close}", inner.join(", "))
            }
        }
    }

    /// The expression starting after `before` characters of a line indented by `indent`, with
    /// `after` characters following it on its last line: on one line when it fits, else split
    /// at its outer brackets with the items on one indented line, else one item per line with
    /// a trailing comma (the formatter's own choices, so that its check finds nothing to do).
    fn layout(&self, indent: usize, before: usize, after: usize) -> String {
        let flat = self.flat();
        let Expr::Group { head, open, items, close, .. } = self else { return flat };
        if before + flat.chars().count() + after <= LINE_LENGTH || items.is_empty() {
            return flat;
        }
        let inner = " ".repeat(indent + 4);
        let pad = " ".repeat(indent);
        let body: Vec<String> = items.iter().map(Expr::flat).collect();
        let body = body.join(", ");
        if items.len() > 1 && indent + 4 + body.chars().count() <= LINE_LENGTH {
            return format!("{head}{open}\n{inner}{body}\n{pad}{close}");
        }
        let lines: Vec<String> =
            items.iter().map(|item| format!("{inner}{},", item.layout(indent + 4, indent + 4, 1))).collect();
        format!("{head}{open}\n{}\n{pad}{close}", lines.join("\n"))
    }
}

/// `name = value` at the top level of a module, laid out as the formatter does.
fn assignment(name: &str, value: &str) -> String {
    format!("{name} = {}", Expr::parse(value).layout(0, name.chars().count() + 3, 0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_expressions_stay_on_one_line() {
        assert_eq!(assignment("X", "Union[Literal[\"a\", \"b\"], str]"), "X = Union[Literal[\"a\", \"b\"], str]");
        assert_eq!(assignment("T", "(\"only\",)"), "T = (\"only\",)");
    }

    #[test]
    fn long_expressions_split_at_their_outer_brackets_first() {
        let literals: Vec<String> = (0..5).map(|i| format!("\"delivery.value_{i}\"")).collect();
        let hint = format!("Union[Literal[{}], str]", literals.join(", "));
        let laid = assignment("WebhookEventType", &hint);
        assert_eq!(laid, format!("WebhookEventType = Union[\n    Literal[{}], str\n]", literals.join(", ")));
    }

    #[test]
    fn very_long_expressions_take_one_item_per_line() {
        let names: Vec<String> = (0..12).map(|i| format!("\"option_number_{i}\"")).collect();
        let laid = assignment("OPTIONS", &format!("({})", names.join(", ")));
        let lines: Vec<&str> = laid.lines().collect();
        assert_eq!(lines.first(), Some(&"OPTIONS = ("));
        assert_eq!(lines.get(1), Some(&"    \"option_number_0\","));
        assert_eq!(lines.last(), Some(&")"));
        assert_eq!(lines.len(), 14);
        assert_eq!(Expr::parse("Literal[\"a,]\", 'b']").flat(), "Literal[\"a,]\", 'b']");
    }
}
