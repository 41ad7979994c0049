//! The generated surface of the Kotlin and Swift bindings (`bindings-uniffi`): the uniffi
//! records, enums and error of the models, one client method per operation (async and
//! blocking), the paginators, the options records, and the Kotlin extensions (pagination as
//! `Flow`/`Sequence`, the open sets' values as constants). uniffi-bindgen then turns the Rust
//! into Kotlin and Swift (`bindings-uniffi/generate.sh`).
//!
//! Every record's fields are the canonical JSON keys of the core's model (renamed to
//! snake_case where the key is not), so a record is built from the canonical JSON that
//! `Client::call` returns and serialised back into the arguments `Client::call` takes.

use std::collections::BTreeSet;

use minijinja::{Environment, context};
use serde::Serialize;
use serde_json::Value;

use crate::ir::{Ir, Model, ModelKind, Ty, clean_doc, pascal, snake};
use crate::{Output, templates};

/// Where each generated file goes.
const MODELS_RS: &str = "bindings-uniffi/src/models_gen.rs";
const ERRORS_RS: &str = "bindings-uniffi/src/errors_gen.rs";
const CLIENT_RS: &str = "bindings-uniffi/src/client_gen.rs";
const KOTLIN_EXTENSIONS: &str = "bindings-uniffi/kotlin/src/main/kotlin/com/sendivent/Extensions.kt";

/// Models that are not an operation's argument or answer but are still part of the surface.
const EXTRA_OUTPUT_ROOTS: &[&str] = &["WebhookEvent", "Verified", "ErrorBody", "ErrorDetails", "ResponseMeta"];
/// Decoding kinds besides the operation names (tests/vectors/README.md "decoding.json").
const EXTRA_DECODE_KINDS: &[(&str, &str)] = &[("webhook_event", "WebhookEvent"), ("error_body", "ErrorBody")];

/// The name a binding gives an option whose type the description does not state (the bounded
/// ones take theirs from `bounds`), and its documentation. The description lists the names
/// (`constants.client_options`, `constants.request_options`); a name missing here fails the
/// generation, so a new option cannot be left out silently.
const OPTION_TYPES: &[(&str, &str, &str)] = &[
    ("api_key", "String", "The API key (`live_…` or `test_…`). Default: `SENDIVENT_API_KEY`."),
    ("base_url", "String", "Base URL override. Default: `SENDIVENT_BASE_URL`, else chosen by the key's prefix."),
    ("allow_insecure_http", "bool", "Allow plain `http://` to hosts other than loopback. Default: false."),
    (
        "rate_limit",
        "RateLimitOption",
        "Client-side rate limit: requests per second, or the key's documented rate. Default: off.",
    ),
    ("default_headers", "Vec<Header>", "Headers added to every request."),
    ("log_level", "String", "`debug`, `info` or `off`. Default: `SENDIVENT_LOG`, else off."),
    ("idempotency_key", "String", "The `X-Idempotency-Key` of this call (sends get a generated one otherwise)."),
    ("extra_headers", "Vec<Header>", "Headers added to this call."),
];
/// Options whose value is a secret: shown redacted by `toString()`/`description`.
const SECRET_OPTIONS: &[&str] = &["api_key"];
/// Records shown as one of their fields (`toString()`, `description`, an exception's message):
/// an error's details read `CODE: message (HTTP status, request id …)`.
const DISPLAY_AS: &[(&str, &str)] = &[("ErrorDetails", "display")];

#[derive(Serialize)]
struct FieldCtx {
    /// The Rust (and uniffi) field name.
    name: String,
    /// The canonical JSON key.
    json: String,
    ty: String,
    doc: String,
    /// `#[serde(...)]` arguments, or empty.
    serde: Vec<String>,
    /// `#[uniffi(default ...)]` argument, or empty.
    default: String,
    secret: bool,
}

#[derive(Serialize)]
struct RecordCtx {
    name: String,
    doc: String,
    fields: Vec<FieldCtx>,
    /// Has secret fields: `Debug`/`Display` are written by hand with them redacted.
    secret: bool,
    /// An operation's answer: carries `last_response`.
    answer: bool,
    /// The field `Display` shows, if any.
    display: Option<String>,
    deserialize: bool,
}

#[derive(Serialize)]
struct VariantCtx {
    name: String,
    ty: String,
    doc: String,
}

#[derive(Serialize)]
struct UnionCtx {
    name: String,
    doc: String,
    variants: Vec<VariantCtx>,
}

#[derive(Serialize)]
struct OpenEnumCtx {
    name: String,
    doc: String,
    values: Vec<Value>,
}

#[derive(Serialize)]
struct ParamCtx {
    name: String,
    ty: String,
    doc: String,
    /// How the argument goes into `Client::call`'s arguments: `path`, `optional_path`, `body`,
    /// `query`.
    role: String,
    /// The argument may be left out (it defaults to `None`).
    optional: bool,
    /// Its Kotlin type.
    kotlin: String,
}

#[derive(Serialize)]
struct OperationCtx {
    /// The operation's name in the description (`contacts.get`).
    name: String,
    /// The Rust method name (`get`, `send`).
    method: String,
    doc: String,
    params: Vec<ParamCtx>,
    response: String,
    /// The paginator object of the auto-paginating form, if any.
    paginator: Option<String>,
    item: Option<String>,
}

#[derive(Serialize)]
struct ResourceCtx {
    /// The object's name (`Contacts`).
    name: String,
    /// The accessor on `Client` (`contacts`).
    accessor: String,
    doc: String,
    operations: Vec<OperationCtx>,
}

#[derive(Serialize)]
struct PaginatorCtx {
    name: String,
    item: String,
    operations: Vec<String>,
}

#[derive(Serialize)]
struct ClassCtx {
    /// The class name, identical in every language (`NotFoundError`).
    name: String,
    /// The Kotlin enum constant of `ErrorClass` (`NOT_FOUND_ERROR`).
    doc: String,
    parent: Option<String>,
}

#[derive(Serialize)]
struct DecodeCtx {
    kind: String,
    variant: String,
    model: String,
}

struct Types<'a> {
    ir: &'a Ir,
}

impl Types<'_> {
    /// The Rust type of a field or argument.
    fn rust(&self, ty: &Ty) -> Result<String, String> {
        Ok(match ty {
            Ty::String => "String".into(),
            Ty::Integer => "i64".into(),
            Ty::Number => "f64".into(),
            Ty::Bool => "bool".into(),
            Ty::Any => "JsonValue".into(),
            Ty::Ref { name } => match &self.ir.model(name)?.kind {
                // Open sets travel as their string: unknown values are kept as sent.
                ModelKind::OpenEnum { .. } => "String".into(),
                _ => name.clone(),
            },
            Ty::Array { item } => format!("Vec<{}>", self.rust(item)?),
            Ty::Map { value } => format!("HashMap<String, {}>", self.rust(value)?),
            Ty::Tuple { items } if items.iter().all(|i| *i == Ty::String) && items.len() == 2 => "Header".into(),
            Ty::Tuple { items } => return Err(format!("uniffi: no type for the tuple {items:?}")),
            Ty::Nullable { inner } => format!("Option<{}>", self.rust(inner)?),
        })
    }
}

fn doc_or(doc: &str, fallback: impl FnOnce() -> String) -> String {
    let doc = clean_doc(doc);
    if doc.trim().is_empty() { fallback() } else { doc }
}

/// Rust keywords that cannot be field names as they are.
const RUST_KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern", "false", "fn",
    "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "self",
    "static", "struct", "super", "trait", "true", "type", "unsafe", "use", "where", "while", "yield",
];

fn field_name(json: &str) -> Result<String, String> {
    let name = snake(json);
    if RUST_KEYWORDS.contains(&name.as_str()) {
        return Err(format!("uniffi: the field `{json}` is a Rust keyword; give it a name"));
    }
    Ok(name)
}

/// What the models become: records, enums, and the open sets' values (Kotlin constants).
struct Models {
    records: Vec<RecordCtx>,
    unions: Vec<UnionCtx>,
    open_enums: Vec<OpenEnumCtx>,
}

/// The records of the struct models, the enums of the unions.
fn models(ir: &Ir, inputs: &BTreeSet<String>, answers: &BTreeSet<String>, order: &[&Model]) -> Result<Models, String> {
    let types = Types { ir };
    let mut records = Vec::new();
    let mut unions = Vec::new();
    let mut open_enums = Vec::new();
    for model in order {
        let input = inputs.contains(&model.name);
        match &model.kind {
            ModelKind::Struct { fields, additional } => {
                // An argument's optional fields are those its wire form (what the core
                // accepts) does not require; an answer's are those the canonical form may leave
                // out.
                let wire_required: Vec<String> = ir.raw["wire_models"][&model.name]["required"]
                    .as_array()
                    .map(|r| r.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect())
                    .unwrap_or_default();
                let mut out = Vec::new();
                for field in fields {
                    let required = if input { wire_required.contains(&field.name) } else { field.required };
                    let name = field_name(&field.name)?;
                    let mut serde = Vec::new();
                    if name != field.name {
                        serde.push(format!("rename = \"{}\"", field.name));
                    }
                    let mut ty = types.rust(&field.ty)?;
                    let mut default = String::new();
                    if !required {
                        if !field.ty.is_nullable() {
                            ty = format!("Option<{ty}>");
                        }
                        serde.push("default".into());
                        serde.push("skip_serializing_if = \"Option::is_none\"".into());
                    }
                    if ty.starts_with("Option<") && (input || !required) {
                        default = "default = None".into();
                    }
                    out.push(FieldCtx {
                        doc: doc_or(&field.doc, || format!("`{}`.", field.name)),
                        json: field.name.clone(),
                        name,
                        ty,
                        serde,
                        default,
                        secret: field.secret,
                    });
                }
                if let Some(extra) = additional {
                    out.push(FieldCtx {
                        name: "extra".into(),
                        json: String::new(),
                        ty: format!("HashMap<String, {}>", types.rust(extra)?),
                        doc: "Fields beyond the named ones, kept as they are (JSON values by name).".into(),
                        serde: vec!["flatten".into()],
                        default: "default".into(),
                        secret: false,
                    });
                }
                if out.iter().any(|f| f.name == "extra" && !f.json.is_empty()) {
                    return Err(format!("uniffi: {} has a field `extra`", model.name));
                }
                records.push(RecordCtx {
                    name: model.name.clone(),
                    doc: doc_or(&model.doc, || format!("`{}`.", model.name)),
                    secret: out.iter().any(|f| f.secret),
                    fields: out,
                    answer: answers.contains(&model.name),
                    deserialize: !input,
                    display: DISPLAY_AS.iter().find(|(m, _)| *m == model.name).map(|(_, f)| (*f).to_owned()),
                });
            }
            ModelKind::Union { variants } => {
                let mut out = Vec::new();
                for variant in variants {
                    let (name, doc) = match variant {
                        Ty::String => ("Text".to_owned(), "A string.".to_owned()),
                        Ty::Array { .. } => ("Many".to_owned(), "Several.".to_owned()),
                        Ty::Ref { name } => match &ir.model(name)?.kind {
                            ModelKind::Struct { .. } => {
                                let short = name.strip_suffix("Input").unwrap_or(name);
                                (short.to_owned(), format!("A `{name}`."))
                            }
                            _ => ("One".to_owned(), format!("One `{name}`.")),
                        },
                        other => return Err(format!("uniffi: {}: no variant name for {other:?}", model.name)),
                    };
                    out.push(VariantCtx { name, ty: types.rust(variant)?, doc });
                }
                unions.push(UnionCtx {
                    name: model.name.clone(),
                    doc: doc_or(&model.doc, || format!("`{}`.", model.name)),
                    variants: out,
                });
            }
            ModelKind::OpenEnum { values } => open_enums.push(OpenEnumCtx {
                name: model.name.clone(),
                doc: doc_or(&model.doc, || format!("`{}`.", model.name)),
                values: values
                    .iter()
                    .map(|v| {
                        serde_json::json!({"value": v.value, "constant": crate::ir::screaming(&v.name),
                                           "doc": doc_or(&v.doc, || format!("`{}`.", v.value))})
                    })
                    .collect(),
            }),
        }
    }
    Ok(Models { records, unions, open_enums })
}

/// `ClientOptions` and `RequestOptions`: the description's option names, typed.
fn options_record(ir: &Ir, record: &str, names_key: &str, doc: &str) -> Result<RecordCtx, String> {
    let names = ir.raw["constants"][names_key].as_array().ok_or(format!("no constants.{names_key}"))?;
    let bounds = ir.raw["bounds"].as_array().ok_or("no bounds")?;
    let mut fields = Vec::new();
    for name in names {
        let name = name.as_str().ok_or("an option name that is not a string")?;
        let bound = bounds.iter().find(|b| b["name"] == name);
        let typed = OPTION_TYPES.iter().find(|(n, _, _)| *n == name);
        let (ty, doc) = match (typed, bound) {
            // A bounded option takes a number of its unit, unless it has a type of its own
            // (`rate_limit` is also "documented").
            (Some((_, ty, doc)), None) => ((*ty).to_owned(), (*doc).to_owned()),
            (typed, Some(bound)) => {
                let unit = match bound["unit"].as_str().unwrap_or_default() {
                    "count" => String::new(),
                    "per_second" => " requests per second".to_owned(),
                    other => format!(" {other}"),
                };
                let (min, max) = (number(&bound["min"]), number(&bound["max"]));
                let range = if bound["min_exclusive"] == true {
                    format!("More than {min} and at most {max}{unit}")
                } else {
                    format!("From {min} to {max}{unit}")
                };
                match typed {
                    Some((_, ty, doc)) => {
                        ((*ty).to_owned(), format!("{doc} {range}; out of range is INVALID_ARGUMENT."))
                    }
                    None => {
                        let ty = if bound["integer"] == true { "i64" } else { "f64" };
                        let doc = bound["doc"].as_str().unwrap_or_default();
                        let default = number(&bound["default"]);
                        (ty.to_owned(), format!("{doc} {range}, default {default}; out of range is INVALID_ARGUMENT."))
                    }
                }
            }
            (None, None) => return Err(format!("uniffi: the option `{name}` has no type in OPTION_TYPES")),
        };
        let mut serde = vec!["skip_serializing_if = \"Option::is_none\"".to_owned()];
        if ty == "f64" {
            // NaN would serialise as null ("not given") instead of failing the bound.
            serde.push("serialize_with = \"crate::json::finite_option\"".into());
        }
        fields.push(FieldCtx {
            name: field_name(name)?,
            json: name.to_owned(),
            ty: format!("Option<{ty}>"),
            doc,
            serde,
            default: "default = None".into(),
            secret: SECRET_OPTIONS.contains(&name),
        });
    }
    Ok(RecordCtx {
        name: record.to_owned(),
        doc: doc.to_owned(),
        secret: fields.iter().any(|f| f.secret),
        fields,
        answer: false,
        deserialize: false,
        display: None,
    })
}

/// A number of the description as people write it: `30`, `0.5`.
fn number(value: &Value) -> String {
    match value.as_f64() {
        Some(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{}", n as i64),
        Some(n) => n.to_string(),
        None => value.to_string(),
    }
}

fn str_field<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key].as_str().unwrap_or_default()
}

fn operation(ir: &Ir, op: &Value, paginators: &mut Vec<PaginatorCtx>) -> Result<OperationCtx, String> {
    let name = str_field(op, "name").to_owned();
    let mut params = Vec::new();
    let path_params = op["path_params"].as_array().cloned().unwrap_or_default();
    for p in path_params.iter().filter(|p| p["optional"] != true) {
        params.push(ParamCtx {
            name: field_name(str_field(p, "name"))?,
            ty: "String".into(),
            doc: clean_doc(str_field(p, "doc")),
            role: "path".into(),
            optional: false,
            kotlin: String::new(),
        });
    }
    if let Some(body) = op["body"].as_str() {
        params.push(ParamCtx {
            name: "body".into(),
            ty: body.to_owned(),
            doc: doc_or(&ir.model(body)?.doc, || format!("The `{body}`.")),
            role: "body".into(),
            optional: false,
            kotlin: String::new(),
        });
    }
    if let Some(query) = op["query"].as_str() {
        params.push(ParamCtx {
            name: "params".into(),
            ty: format!("Option<{query}>"),
            doc: doc_or(&ir.model(query)?.doc, || format!("The `{query}`.")),
            role: "query".into(),
            optional: true,
            kotlin: String::new(),
        });
    }
    for p in path_params.iter().filter(|p| p["optional"] == true) {
        params.push(ParamCtx {
            name: field_name(str_field(p, "name"))?,
            ty: "Option<String>".into(),
            doc: clean_doc(str_field(p, "doc")),
            role: "optional_path".into(),
            optional: true,
            kotlin: String::new(),
        });
    }
    for p in &mut params {
        p.kotlin = match p.ty.strip_prefix("Option<").and_then(|t| t.strip_suffix('>')) {
            Some(inner) => format!("{inner}?"),
            None => p.ty.clone(),
        };
    }
    let (paginator, item) = match op["pagination"]["item"].as_str() {
        Some(item) => {
            let paginator = format!("{item}Paginator");
            match paginators.iter_mut().find(|p| p.name == paginator) {
                Some(existing) => existing.operations.push(name.clone()),
                None => paginators.push(PaginatorCtx {
                    name: paginator.clone(),
                    item: item.to_owned(),
                    operations: vec![name.clone()],
                }),
            }
            (Some(paginator), Some(item.to_owned()))
        }
        None => (None, None),
    };
    let mut doc = clean_doc(str_field(op, "summary"));
    let more = clean_doc(str_field(op, "doc"));
    if !more.is_empty() {
        doc = format!("{doc}\n\n{more}");
    }
    doc = format!("{doc}\n\n`{} {}` (operation `{name}`).", str_field(op, "http_method"), str_field(op, "path"));
    for p in &params {
        doc = format!("{doc}\n\n`{}`: {}", p.name, p.doc);
    }
    doc = format!("{doc}\n\n`options`: per-call overrides (timeout, retries, idempotency key, headers).");
    Ok(OperationCtx {
        method: field_name(str_field(op, "method_name"))?,
        name,
        doc,
        params,
        response: str_field(op, "response").to_owned(),
        paginator,
        item,
    })
}

pub fn render(ir: &Ir, env: &Environment<'static>) -> Result<Vec<Output>, String> {
    let ops = ir.operations();
    let mut input_roots: Vec<&str> = Vec::new();
    let mut output_roots: Vec<&str> = Vec::new();
    for op in ops {
        input_roots.extend(op["body"].as_str());
        input_roots.extend(op["query"].as_str());
        output_roots.extend(op["response"].as_str());
        output_roots.extend(op["pagination"]["item"].as_str());
    }
    output_roots.extend(EXTRA_OUTPUT_ROOTS);
    let inputs: BTreeSet<String> = ir.reachable(&input_roots).iter().map(|m| m.name.clone()).collect();
    let outputs: BTreeSet<String> = ir.reachable(&output_roots).iter().map(|m| m.name.clone()).collect();
    for both in inputs.intersection(&outputs) {
        if matches!(ir.model(both)?.kind, ModelKind::Struct { .. }) {
            return Err(format!("uniffi: {both} is both an argument and an answer; give it one role"));
        }
    }
    let answers: BTreeSet<String> = ops.iter().filter_map(|op| op["response"].as_str().map(str::to_owned)).collect();
    let mut roots = input_roots.clone();
    roots.extend(&output_roots);
    let order = ir.reachable(&roots);
    let Models { mut records, unions, open_enums } = models(ir, &inputs, &answers, &order)?;
    records.push(options_record(
        ir,
        "ClientOptions",
        "client_options",
        "Options of a `Client`, by the names every Sendivent SDK uses. Leave a field out (null) for its default.",
    )?);
    records.push(options_record(
        ir,
        "RequestOptions",
        "request_options",
        "Per-call overrides: pass them to one call, or to `Client.with_options` for every call of a clone.",
    )?);

    // send_many's items: the arguments of `send`, plus the item's own idempotency key.
    let send = ops.iter().find(|op| op["name"] == "send").ok_or("no send operation")?;
    let send_ctx = operation(ir, send, &mut Vec::new())?;
    let mut item_fields: Vec<FieldCtx> = send_ctx
        .params
        .iter()
        .map(|p| FieldCtx {
            name: p.name.clone(),
            json: p.name.clone(),
            ty: p.ty.clone(),
            doc: p.doc.clone(),
            serde: if p.ty.starts_with("Option<") {
                vec!["skip_serializing_if = \"Option::is_none\"".into()]
            } else {
                Vec::new()
            },
            default: if p.ty.starts_with("Option<") { "default = None".into() } else { String::new() },
            secret: false,
        })
        .collect();
    item_fields.push(FieldCtx {
        name: "idempotency_key".into(),
        json: "idempotency_key".into(),
        ty: "Option<String>".into(),
        doc: "This item's `X-Idempotency-Key`; generated when left out.".into(),
        serde: vec!["skip_serializing_if = \"Option::is_none\"".into()],
        default: "default = None".into(),
        secret: false,
    });
    records.push(RecordCtx {
        name: "SendItem".into(),
        doc: "One send of `send_many`: the arguments of `send`, with its own idempotency key.".into(),
        fields: item_fields,
        secret: false,
        answer: false,
        deserialize: false,
        display: None,
    });

    let mut top_level = Vec::new();
    let mut resources: Vec<ResourceCtx> = Vec::new();
    for resource in ir.raw["resources"].as_array().into_iter().flatten() {
        let name = str_field(resource, "name");
        resources.push(ResourceCtx {
            name: pascal(name),
            accessor: snake(name),
            doc: clean_doc(str_field(resource, "doc")),
            operations: Vec::new(),
        });
    }
    let mut paginators = Vec::new();
    for op in ops {
        let ctx = operation(ir, op, &mut paginators)?;
        match op["resource"].as_str() {
            None => top_level.push(ctx),
            Some(resource) => resources
                .iter_mut()
                .find(|r| r.accessor == snake(resource))
                .ok_or(format!("uniffi: the resource {resource} is not listed"))?
                .operations
                .push(ctx),
        }
    }

    let mut decode_kinds: Vec<DecodeCtx> = ops
        .iter()
        .map(|op| DecodeCtx {
            kind: str_field(op, "name").to_owned(),
            variant: format!("Decoded{}", pascal(str_field(op, "name"))),
            model: str_field(op, "response").to_owned(),
        })
        .collect();
    for (kind, model) in EXTRA_DECODE_KINDS {
        decode_kinds.push(DecodeCtx {
            kind: (*kind).to_owned(),
            variant: format!("Decoded{}", pascal(kind)),
            model: (*model).to_owned(),
        });
    }

    let classes: Vec<ClassCtx> = ir.raw["errors"]["classes"]
        .as_array()
        .ok_or("no error classes")?
        .iter()
        .map(|c| ClassCtx {
            name: str_field(c, "name").to_owned(),
            doc: clean_doc(str_field(c, "doc")),
            parent: c["parent"].as_str().map(str::to_owned),
        })
        .collect();

    // send_many's `concurrency`, as the description bounds it.
    let bound = ir.raw["bounds"]
        .as_array()
        .and_then(|b| b.iter().find(|b| b["name"] == "concurrency"))
        .ok_or("no concurrency bound")?;
    let concurrency = serde_json::json!({
        "ty": if bound["integer"] == true { "i64" } else { "f64" },
        "min": number(&bound["min"]),
        "max": number(&bound["max"]),
        "default": number(&bound["default"]),
    });

    let header = crate::header("//");
    let ctx = context! {
        header => header,
        records => records,
        unions => unions,
        open_enums => open_enums,
        resources => resources,
        top_level => top_level,
        paginators => paginators,
        decode_kinds => decode_kinds,
        classes => classes,
        concurrency => concurrency,
    };
    let mut outputs = Vec::new();
    for (path, template) in [
        (MODELS_RS, "uniffi/models_gen.rs.j2"),
        (ERRORS_RS, "uniffi/errors_gen.rs.j2"),
        (CLIENT_RS, "uniffi/client_gen.rs.j2"),
        (KOTLIN_EXTENSIONS, "uniffi/Extensions.kt.j2"),
    ] {
        outputs.push(Output { path, contents: templates::render(env, template, ctx.clone())? });
    }
    Ok(outputs)
}
