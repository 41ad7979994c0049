//! The generated surface of `@sendivent/wasm` (bindings-wasm): TypeScript declarations of every
//! model, error and resource method, and the JavaScript that the hand-written entry points wire
//! to the WebAssembly module — the model classes results are built as, the error classes, the
//! resource methods and the option names. Templates: `templates/typescript/`.

use std::collections::BTreeSet;

use minijinja::{Environment, context};
use serde::Serialize;
use serde_json::Value;

use crate::ir::{Field, Ir, Model, ModelKind, Ty, camel, clean_doc, pascal, screaming};
use crate::{Output, templates};

const MODELS_JS: &str = "bindings-wasm/js/lib/models.gen.mjs";
const ERRORS_JS: &str = "bindings-wasm/js/lib/errors.gen.mjs";
const RESOURCES_JS: &str = "bindings-wasm/js/lib/resources.gen.mjs";
const DESCRIPTION_JS: &str = "bindings-wasm/js/lib/description.gen.mjs";
const TYPES_DTS: &str = "bindings-wasm/js/types.gen.d.ts";
const CLIENT_DTS: &str = "bindings-wasm/js/client.gen.d.ts";

/// The fields of `ErrorDetails` an `Error` subclass does not copy: `class` is the class itself,
/// `message` is `Error.message`, and `display` is left to JavaScript (`String(err)` is
/// `name: message`, as for every `Error`).
const ERROR_FIELDS_NOT_COPIED: &[&str] = &["class", "message", "display"];

/// The line width of bindings-wasm/biome.json: the generated files are laid out as Biome's
/// formatter lays them out, so `biome check` passes on them as written.
const LINE_WIDTH: usize = 160;

/// `head` and a union of the string literals `items` ended by `;`, as Biome lays it out: on one
/// line when it fits, else one member per line (inside `Open<…>` when `open`), under `indent`.
fn union_layout(head: &str, items: &[String], open: bool, indent: &str) -> String {
    let quoted: Vec<String> = items.iter().map(|item| js_string(item)).collect();
    let joined = quoted.join(" | ");
    let (left, right) = if open { ("Open<", ">") } else { ("", "") };
    let flat = format!("{indent}{head}{left}{joined}{right};");
    if flat.chars().count() <= LINE_WIDTH {
        return flat;
    }
    let inner = format!("{indent}  ");
    let members = quoted.iter().map(|item| format!("{inner}| {item}")).collect::<Vec<_>>().join("\n");
    if open {
        let one_line = format!("{inner}{joined}");
        let body = if one_line.chars().count() <= LINE_WIDTH { one_line } else { members };
        return format!("{indent}{head}Open<\n{body}\n{indent}>;");
    }
    format!("{indent}{}\n{members};", head.trim_end())
}

/// A JavaScript string literal in single quotes.
fn js_string(text: &str) -> String {
    format!("'{}'", text.replace('\\', "\\\\").replace('\'', "\\'"))
}

/// An object key as Biome writes it: bare when it is an identifier, else quoted.
fn js_key(key: &str) -> String {
    let identifier = key.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == '$')
        && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$');
    if identifier { key.to_owned() } else { js_string(key) }
}

/// The environment with the layout helpers of this language's templates.
fn typescript_environment(env: &Environment<'static>) -> Environment<'static> {
    let mut env = env.clone();
    env.add_function("union", |head: String, items: Vec<String>, open: bool, indent: Option<String>| {
        union_layout(&head, &items, open, indent.as_deref().unwrap_or(""))
    });
    env.add_function("js_strings", |items: Vec<String>| {
        format!("[{}]", items.iter().map(|item| js_string(item)).collect::<Vec<_>>().join(", "))
    });
    env.add_filter("js_key", |key: String| js_key(&key));
    env
}

pub fn render(ir: &Ir, env: &Environment<'static>) -> Result<Vec<Output>, String> {
    let env = &typescript_environment(env);
    let header = crate::header("//");
    let sides = Sides::new(ir)?;
    let types = model_types(ir, &sides)?;
    let classes = runtime_classes(ir)?;
    let errors = error_classes(ir)?;
    let operations = operations(ir)?;
    let response_models = response_models(ir)?;
    let options = options(ir)?;
    let codes = &ir.raw["errors"]["codes"];
    let webhook_codes: Vec<&str> = codes
        .as_array()
        .into_iter()
        .flatten()
        .filter(|c| c["category"] == "webhook")
        .filter_map(|c| c["code"].as_str())
        .collect();
    let env_names = string_constants(ir, |name| name.ends_with("_env"));
    let webhook_headers = string_constants(ir, |name| name.starts_with("webhook_header_"));
    let identifier_kinds = &ir.raw["constants"]["identifier_kinds"];
    let concurrency = bound(ir, "concurrency")?;
    let ctx = context! {
        header => header,
        types => types,
        classes => classes,
        errors => errors,
        codes => codes,
        webhook_codes => webhook_codes,
        operations => &operations,
        resources => resources(ir)?,
        resource_models => operations
            .iter()
            .flat_map(|op| std::iter::once(op.response.clone()).chain(op.item.clone()))
            .collect::<BTreeSet<_>>(),
        response_models => response_models,
        client_options => options.0,
        request_options => options.1,
        env_names => env_names,
        webhook_headers => webhook_headers,
        identifier_kinds => identifier_kinds,
        concurrency_default => concurrency["default"].as_f64().unwrap_or(1.0) as u64,
        concurrency_doc => bound_doc(concurrency),
        version => ir.version(),
    };
    let mut outputs = Vec::new();
    for (path, template) in [
        (MODELS_JS, "typescript/models.gen.mjs.j2"),
        (ERRORS_JS, "typescript/errors.gen.mjs.j2"),
        (RESOURCES_JS, "typescript/resources.gen.mjs.j2"),
        (DESCRIPTION_JS, "typescript/description.gen.mjs.j2"),
        (TYPES_DTS, "typescript/types.gen.d.ts.j2"),
    ] {
        outputs.push(Output { path, contents: templates::render(env, template, ctx.clone())? });
    }
    // The client's types import only the models they name: rendered once importing all of them,
    // then again with those its declarations use.
    let all: Vec<String> = types.iter().map(|t| t.name.clone()).collect();
    let draft =
        templates::render(env, "typescript/client.gen.d.ts.j2", context! { client_imports => &all, ..ctx.clone() })?;
    let declarations: String = draft
        .split_once("from './types.gen.js';")
        .map_or(draft.as_str(), |(_, rest)| rest)
        .lines()
        .filter(|line| !["*", "/*", "//"].iter().any(|comment| line.trim_start().starts_with(comment)))
        .collect::<Vec<_>>()
        .join("\n");
    let used: Vec<&String> = all.iter().filter(|name| names_word(&declarations, name)).collect();
    let contents = templates::render(env, "typescript/client.gen.d.ts.j2", context! { client_imports => used, ..ctx })?;
    outputs.push(Output { path: CLIENT_DTS, contents });
    Ok(outputs)
}

/// Whether `text` names `word` as a whole identifier.
fn names_word(text: &str, word: &str) -> bool {
    let is_ident = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '$';
    text.match_indices(word).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + word.len()..].chars().next();
        !before.is_some_and(is_ident) && !after.is_some_and(is_ident)
    })
}

/// The string constants of the description whose name passes `filter`, as
/// `(SCREAMING_NAME, value)`.
fn string_constants(ir: &Ir, filter: impl Fn(&str) -> bool) -> Vec<(String, &str)> {
    ir.raw["constants"]
        .as_object()
        .into_iter()
        .flatten()
        .filter(|(name, _)| filter(name))
        .filter_map(|(name, value)| Some((screaming(name), value.as_str()?)))
        .collect()
}

/// Which models the SDK reads from callers (request bodies and queries) and which it gives
/// them (answers, webhook events, errors): a field with a default may be left out of the first
/// kind but is always present in the second.
struct Sides {
    inputs: BTreeSet<String>,
}

impl Sides {
    fn new(ir: &Ir) -> Result<Sides, String> {
        let mut input_roots: Vec<&str> = Vec::new();
        let mut output_roots: Vec<&str> = vec!["ResponseMeta", "ErrorDetails"];
        for op in ir.operations() {
            input_roots.extend(["query", "body"].iter().filter_map(|k| op[*k].as_str()));
            output_roots.extend(op["response"].as_str());
        }
        let extra = extra_kind_models(ir)?;
        output_roots.extend(extra.iter().map(|(_, model)| model.as_str()));
        let inputs: BTreeSet<String> = ir.reachable(&input_roots).iter().map(|m| m.name.clone()).collect();
        for model in ir.reachable(&output_roots) {
            if matches!(model.kind, ModelKind::Struct { .. }) && inputs.contains(&model.name) {
                return Err(format!(
                    "{} is both a request and an answer model: the TypeScript types need one optionality per field",
                    model.name
                ));
            }
        }
        Ok(Sides { inputs })
    }

    fn is_input(&self, model: &Model) -> bool {
        self.inputs.contains(&model.name)
    }
}

/// `webhook_event` → `WebhookEvent`: the decode kinds besides the operations, with their models.
fn extra_kind_models(ir: &Ir) -> Result<Vec<(String, String)>, String> {
    sendivent::models::EXTRA_KINDS
        .iter()
        .map(|kind| {
            let model = pascal(kind);
            ir.model(&model).map(|_| ((*kind).to_owned(), model.clone()))
        })
        .collect()
}

/// The models in the description's order.
fn models_in_order(ir: &Ir) -> Result<Vec<&Model>, String> {
    let names = ir.raw["models"].as_object().ok_or("the description has no models")?;
    names.keys().map(|name| ir.model(name)).collect()
}

/// A property name as TypeScript and JavaScript write it: bare when it is an identifier.
fn property(name: &str) -> String {
    let identifier = name.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == '$')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$');
    if identifier { name.to_owned() } else { format!("{name:?}") }
}

/// `.name` or `["na-me"]`.
fn access(name: &str) -> String {
    let p = property(name);
    if p.starts_with('"') { format!("[{p}]") } else { format!(".{p}") }
}

/// Documentation text safe inside a `/** … */` block.
fn doc(text: &str) -> String {
    clean_doc(text).replace("*/", "*\\/")
}

/// The TypeScript spelling of a type.
fn ts_type(ty: &Ty) -> String {
    match ty {
        Ty::String => "string".into(),
        Ty::Integer | Ty::Number => "number".into(),
        Ty::Bool => "boolean".into(),
        Ty::Any => "JsonValue".into(),
        Ty::Ref { name } => name.clone(),
        Ty::Array { item } => match **item {
            Ty::Nullable { .. } => format!("Array<{}>", ts_type(item)),
            _ => format!("{}[]", ts_type(item)),
        },
        Ty::Map { value } => format!("{{ [key: string]: {} }}", ts_type(value)),
        Ty::Tuple { items } => format!("[{}]", items.iter().map(ts_type).collect::<Vec<_>>().join(", ")),
        Ty::Nullable { inner } => format!("{} | null", ts_type(inner)),
    }
}

#[derive(Serialize)]
struct TsField {
    name: String,
    doc: String,
    ty: String,
    optional: bool,
}

#[derive(Serialize)]
struct TsValue {
    value: String,
    doc: String,
}

#[derive(Serialize)]
struct TsModel {
    name: String,
    doc: String,
    /// `interface`, `enum` (an open set of strings) or `union`.
    kind: &'static str,
    fields: Vec<TsField>,
    /// The type of fields beyond the named ones, when they are kept.
    index: Option<String>,
    values: Vec<TsValue>,
    union: String,
}

/// Whether the schema of `field` of `model` gives a default (the SDK fills it in when absent).
fn has_default(ir: &Ir, model: &str, field: &str) -> bool {
    ir.raw["models"][model]["properties"][field].get("default").is_some()
}

fn model_types(ir: &Ir, sides: &Sides) -> Result<Vec<TsModel>, String> {
    let mut out = Vec::new();
    for model in models_in_order(ir)? {
        let mut ts = TsModel {
            name: model.name.clone(),
            doc: doc(&model.doc),
            kind: "interface",
            fields: Vec::new(),
            index: None,
            values: Vec::new(),
            union: String::new(),
        };
        match &model.kind {
            ModelKind::Struct { fields, additional } => {
                let input = sides.is_input(model);
                ts.fields = fields
                    .iter()
                    .map(|f| TsField {
                        name: property(&f.name),
                        doc: doc(&f.doc),
                        ty: ts_type(&f.ty),
                        optional: !f.required || (input && has_default(ir, &model.name, &f.name)),
                    })
                    .collect();
                // Named fields must fit the index signature: kept extra fields are JSON values.
                ts.index = additional.as_ref().map(|_| "JsonValue | undefined".to_owned());
            }
            ModelKind::OpenEnum { values } => {
                ts.kind = "enum";
                ts.values = values.iter().map(|v| TsValue { value: v.value.clone(), doc: doc(&v.doc) }).collect();
            }
            ModelKind::Union { variants } => {
                ts.kind = "union";
                ts.union = variants.iter().map(ts_type).collect::<Vec<_>>().join(" | ");
            }
        }
        out.push(ts);
    }
    Ok(out)
}

/// The JavaScript expression that turns the canonical JSON `expr` of type `ty` into the SDK's
/// object (`new Contact(expr)`), or `None` when the JSON value is the object already.
fn js_convert(ir: &Ir, ty: &Ty, expr: &str, depth: usize) -> Result<Option<String>, String> {
    let var = format!("v{depth}");
    Ok(match ty {
        Ty::Ref { name } => match ir.model(name)?.kind {
            ModelKind::Struct { .. } => Some(format!("new {name}({expr})")),
            _ => None,
        },
        Ty::Array { item } => {
            js_convert(ir, item, &var, depth + 1)?.map(|inner| format!("{expr}.map(({var}) => {inner})"))
        }
        Ty::Map { value } => js_convert(ir, value, &var, depth + 1)?.map(|inner| {
            format!("Object.fromEntries(Object.entries({expr}).map(([k{depth}, {var}]) => [k{depth}, {inner}]))")
        }),
        Ty::Nullable { inner } => {
            js_convert(ir, inner, expr, depth)?.map(|converted| format!("{expr} == null ? null : {converted}"))
        }
        Ty::Tuple { items } => {
            if items
                .iter()
                .map(|i| js_convert(ir, i, "x", depth + 1))
                .collect::<Result<Vec<_>, _>>()?
                .iter()
                .any(Option::is_some)
            {
                return Err("tuples of models are not supported by the TypeScript generator".into());
            }
            None
        }
        _ => None,
    })
}

#[derive(Serialize)]
struct JsField {
    name: String,
    /// `.name` or `["name"]`.
    access: String,
    expr: String,
    required: bool,
    /// Held in a private field behind a getter: readable, but no formatting shows it (not even
    /// `console.dir`, which skips custom inspection) and no spread or clone copies it.
    secret: bool,
}

#[derive(Serialize)]
struct JsClass {
    name: String,
    doc: String,
    fields: Vec<JsField>,
    /// JSON names of the named fields, for models that keep other fields as sent.
    known: Option<Vec<String>>,
    secrets: Vec<String>,
}

/// Whether a field's value is a secret (`signing_secret`), not something about one
/// (`secret_index`, `secret_fingerprint`, which are safe to log).
fn holds_secret(field: &Field) -> bool {
    field.secret && field.name.ends_with("secret")
}

/// The models the SDK gives its callers besides answers: what a verified webhook says.
const SDK_MODELS: &[&str] = &["Verified"];

/// The classes answers are built as: every struct model an operation, a webhook or an error
/// gives back, and what verifying a webhook tells the receiver.
fn runtime_classes(ir: &Ir) -> Result<Vec<JsClass>, String> {
    let mut roots: Vec<String> = vec!["ResponseMeta".into(), "SendError".into()];
    for model in SDK_MODELS {
        roots.push(ir.model(model)?.name.clone());
    }
    for op in ir.operations() {
        roots.extend(op["response"].as_str().map(str::to_owned));
    }
    roots.extend(extra_kind_models(ir)?.into_iter().map(|(_, model)| model));
    let roots: Vec<&str> = roots.iter().map(String::as_str).collect();
    let reachable: BTreeSet<String> = ir.reachable(&roots).iter().map(|m| m.name.clone()).collect();
    let mut classes = Vec::new();
    // Description order, so a class is defined before the classes that build it are called.
    for model in models_in_order(ir)?.into_iter().filter(|m| reachable.contains(&m.name)) {
        let ModelKind::Struct { fields, additional } = &model.kind else { continue };
        let js_fields = fields
            .iter()
            .map(|f| {
                let source = format!("json{}", access(&f.name));
                let secret = holds_secret(f);
                if secret && property(&f.name) != f.name {
                    return Err(format!("{}.{}: a secret field needs an identifier name", model.name, f.name));
                }
                Ok(JsField {
                    name: f.name.clone(),
                    access: access(&f.name),
                    expr: js_convert(ir, &f.ty, &source, 0)?.unwrap_or(source),
                    required: f.required,
                    secret,
                })
            })
            .collect::<Result<Vec<_>, String>>()?;
        classes.push(JsClass {
            name: model.name.clone(),
            doc: doc(&model.doc),
            fields: js_fields,
            known: additional.as_ref().map(|_| fields.iter().map(|f| f.name.clone()).collect()),
            secrets: fields.iter().filter(|f| holds_secret(f)).map(|f| f.name.clone()).collect(),
        });
    }
    Ok(classes)
}

#[derive(Serialize)]
struct ErrorField {
    /// The JavaScript property (camelCase).
    name: String,
    /// The `ErrorDetails` key.
    key: String,
    doc: String,
    /// How the property is computed from `details`.
    expr: String,
    ty: String,
}

#[derive(Serialize)]
struct ErrorClassOut {
    name: String,
    parent: Option<String>,
    doc: String,
    /// The codes `code` narrows to, when the class narrows it.
    code: Option<Vec<String>>,
}

#[derive(Serialize)]
struct Errors {
    root_fields: Vec<ErrorField>,
    classes: Vec<ErrorClassOut>,
}

/// The value a missing `ErrorDetails` field reads as, for errors built by callers from partial
/// details.
fn fallback(ty: &Ty) -> &'static str {
    match ty {
        Ty::Nullable { .. } | Ty::Ref { .. } | Ty::Any => "null",
        Ty::Array { .. } => "[]",
        Ty::Bool => "false",
        Ty::String => "''",
        Ty::Integer | Ty::Number => "0",
        Ty::Map { .. } => "{}",
        Ty::Tuple { .. } => "[]",
    }
}

fn error_classes(ir: &Ir) -> Result<Errors, String> {
    let details = ir.model("ErrorDetails")?;
    let root_fields = details
        .fields()
        .iter()
        .filter(|f| !ERROR_FIELDS_NOT_COPIED.contains(&f.name.as_str()))
        .map(|f: &Field| {
            let source = format!("details{}", access(&f.name));
            let expr = match js_convert(ir, &f.ty, &source, 0)? {
                // A nullable field's conversion reads `null` already.
                Some(converted) if f.ty.is_nullable() => converted,
                Some(converted) => format!("{source} == null ? {} : {converted}", fallback(&f.ty)),
                None => format!("{source} ?? {}", fallback(&f.ty)),
            };
            let ty = if f.name == "code" { "Open<ErrorCode>".to_owned() } else { ts_type(&f.ty) };
            Ok(ErrorField { name: camel(&f.name), key: f.name.clone(), doc: doc(&f.doc), expr, ty })
        })
        .collect::<Result<Vec<_>, String>>()?;
    let raw_classes = ir.raw["errors"]["classes"].as_array().ok_or("the description has no error classes")?;
    let parent_of = |name: &str| -> Option<String> {
        raw_classes.iter().find(|c| c["name"] == name).and_then(|c| c["parent"].as_str()).map(str::to_owned)
    };
    let is_a = |mut class: String, ancestor: &str| loop {
        if class == ancestor {
            return true;
        }
        match parent_of(&class) {
            Some(parent) => class = parent,
            None => return false,
        }
    };
    let codes = ir.raw["errors"]["codes"].as_array().ok_or("the description has no error codes")?;
    let mut classes = Vec::new();
    for class in raw_classes {
        let name = class["name"].as_str().ok_or("an error class without a name")?.to_owned();
        let parent = class["parent"].as_str().map(str::to_owned);
        // Outside APIError the SDK raises a class only with the codes the table gives it (or
        // its subclasses), so `code` narrows; an answer's class carries the server's code.
        let code = if parent.is_none() || is_a(name.clone(), "APIError") {
            None
        } else {
            let own: Vec<String> = codes
                .iter()
                .filter(|c| c["class"].as_str().is_some_and(|cls| is_a(cls.to_owned(), &name)))
                .filter_map(|c| c["code"].as_str().map(str::to_owned))
                .collect();
            (!own.is_empty()).then_some(own)
        };
        classes.push(ErrorClassOut { name, parent, doc: doc(class["doc"].as_str().unwrap_or_default()), code });
    }
    Ok(Errors { root_fields, classes })
}

#[derive(Serialize)]
struct Param {
    /// The JavaScript parameter name.
    js: String,
    /// The argument name of the operation.
    name: String,
    ty: String,
    doc: String,
}

#[derive(Serialize)]
struct JsOperation {
    name: String,
    resource: Option<String>,
    method: String,
    summary: String,
    /// Summary, method and path, details and the path parameters, for the declaration.
    ts_doc: String,
    http: String,
    /// Path parameters given positionally.
    positional: Vec<Param>,
    /// Optional path parameters, given in `params`.
    in_params: Vec<Param>,
    /// The type of `params`, when the operation takes any.
    params_type: Option<String>,
    /// `SendRequest & { channel?: Channel | null }`, when `params_type` names an alias.
    params_alias: Option<String>,
    params_optional: bool,
    /// Where `params` goes: `body` (the request body) or `query` (arguments by name).
    params_kind: &'static str,
    response: String,
    /// The item model of the auto-paginating form.
    item: Option<String>,
    /// The JavaScript parameter list.
    js_params: String,
    /// Takes the optional path parameters out of `params`, when there are any.
    destructure: Option<String>,
    /// The arguments object `Client::call` takes.
    js_args: String,
}

/// `name` or `name: jsName`, as a JavaScript object entry or destructuring pattern.
fn shorthand(p: &Param) -> String {
    if p.js == p.name { p.name.clone() } else { format!("{}: {}", property(&p.name), p.js) }
}

impl JsOperation {
    fn finish(mut self) -> JsOperation {
        let mut params: Vec<String> = self.positional.iter().map(|p| p.js.clone()).collect();
        if self.params_type.is_some() {
            params.push(if self.params_optional { "params = {}".into() } else { "params".into() });
        }
        params.push("options".into());
        self.js_params = params.join(", ");
        let mut args: Vec<String> = self.positional.iter().chain(&self.in_params).map(shorthand).collect();
        let source = if self.in_params.is_empty() { "params" } else { "rest" };
        if self.params_type.is_some() {
            args.push(if self.params_kind == "body" { format!("body: {source}") } else { format!("...{source}") });
        }
        if !self.in_params.is_empty() {
            let names: Vec<String> = self.in_params.iter().map(shorthand).collect();
            self.destructure = Some(format!("const {{ {}, ...rest }} = params;", names.join(", ")));
        }
        self.js_args = if args.is_empty() { "{}".into() } else { format!("{{ {} }}", args.join(", ")) };
        self
    }
}

/// Whether every field of an input model may be left out.
fn all_optional(ir: &Ir, model: &str) -> Result<bool, String> {
    Ok(ir.model(model)?.fields().iter().all(|f| !f.required || has_default(ir, model, &f.name)))
}

fn param_type(ir: &Ir, ty: &str) -> Result<String, String> {
    match ty {
        "string" => Ok("string".into()),
        other => ir.model(&pascal(other)).map(|m| m.name.clone()),
    }
}

fn operations(ir: &Ir) -> Result<Vec<JsOperation>, String> {
    let mut out = Vec::new();
    for op in ir.operations() {
        let name = op["name"].as_str().ok_or("an operation without a name")?;
        let mut positional = Vec::new();
        let mut in_params = Vec::new();
        for p in op["path_params"].as_array().into_iter().flatten() {
            let pname = p["name"].as_str().unwrap_or_default();
            let param = Param {
                js: camel(pname),
                name: pname.to_owned(),
                ty: param_type(ir, p["type"].as_str().unwrap_or("string"))?,
                doc: doc(p["doc"].as_str().unwrap_or_default()),
            };
            if ["params", "options", "call", "paginate"].contains(&param.js.as_str()) {
                return Err(format!("{name}: a path parameter named {pname} clashes with the generated method"));
            }
            if p["optional"] == true { in_params.push(param) } else { positional.push(param) }
        }
        let (model, params_kind) = match (op["query"].as_str(), op["body"].as_str()) {
            (Some(_), Some(_)) => return Err(format!("{name}: an operation with a query and a body")),
            (Some(query), None) => (Some(query), "query"),
            (None, Some(body)) => (Some(body), "body"),
            (None, None) => (None, "query"),
        };
        let extra: Vec<String> = in_params.iter().map(|p| format!("{}?: {} | null", property(&p.name), p.ty)).collect();
        let (params_type, params_alias) = match (model, extra.is_empty()) {
            (None, true) => (None, None),
            (Some(model), true) => (Some(model.to_owned()), None),
            (model, false) => {
                let alias = format!("{}Params", pascal(name));
                let fields = format!("{{ {} }}", extra.join("; "));
                (Some(alias), Some(model.map_or(fields.clone(), |m| format!("{m} & {fields}"))))
            }
        };
        let params_optional = model.map_or(Ok(true), |m| all_optional(ir, m))?;
        let response = op["response"].as_str().ok_or("an operation without a response")?.to_owned();
        ir.model(&response)?;
        let summary = doc(op["summary"].as_str().unwrap_or_default());
        let http =
            format!("{} {}", op["http_method"].as_str().unwrap_or_default(), op["path"].as_str().unwrap_or_default());
        let mut ts_doc = vec![summary.clone(), format!("`{http}`")];
        ts_doc.extend(Some(doc(op["doc"].as_str().unwrap_or_default())).filter(|d| !d.is_empty()));
        ts_doc.extend(positional.iter().map(|p| format!("@param {} {}", p.js, p.doc)));
        ts_doc.extend(in_params.iter().map(|p| format!("@param params.{} {}", p.js, p.doc)));
        out.push(
            JsOperation {
                name: name.to_owned(),
                resource: op["resource"].as_str().map(str::to_owned),
                method: camel(op["method_name"].as_str().unwrap_or(name)),
                summary,
                ts_doc: ts_doc.join("\n\n"),
                http,
                positional,
                in_params,
                params_type,
                params_alias,
                params_optional,
                params_kind,
                response,
                item: op["pagination"]["item"].as_str().map(str::to_owned),
                js_params: String::new(),
                destructure: None,
                js_args: String::new(),
            }
            .finish(),
        );
    }
    Ok(out)
}

fn resources(ir: &Ir) -> Result<Vec<(String, String)>, String> {
    let list = ir.raw["resources"].as_array().ok_or("the description has no resources")?;
    Ok(list
        .iter()
        .map(|r| (r["name"].as_str().unwrap_or_default().to_owned(), doc(r["doc"].as_str().unwrap_or_default())))
        .collect())
}

/// Every kind `decodeResponse` takes, with the model it gives.
fn response_models(ir: &Ir) -> Result<Vec<(String, String)>, String> {
    let mut out: Vec<(String, String)> = ir
        .operations()
        .iter()
        .map(|op| {
            (op["name"].as_str().unwrap_or_default().to_owned(), op["response"].as_str().unwrap_or_default().to_owned())
        })
        .collect();
    out.extend(extra_kind_models(ir)?);
    Ok(out)
}

fn bound<'a>(ir: &'a Ir, name: &str) -> Result<&'a Value, String> {
    ir.raw["bounds"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|b| b["name"] == name)
        .ok_or_else(|| format!("the description has no bound {name}"))
}

/// `Per-attempt timeout of a request. In seconds, more than 0 and at most 3600. Default: 30.`
fn bound_doc(bound: &Value) -> String {
    let number = |key: &str| {
        let n = bound[key].as_f64().unwrap_or_default();
        if n.fract() == 0.0 && n.abs() < 1e15 { format!("{}", n as i64) } else { format!("{n}") }
    };
    let unit = match bound["unit"].as_str().unwrap_or_default() {
        "seconds" => "In seconds, ",
        "per_second" => "In requests per second, ",
        "bytes" => "In bytes, ",
        _ => "",
    };
    let lower = if bound["min_exclusive"] == true { "more than" } else { "at least" };
    let whole = if bound["integer"] == true { "a whole number " } else { "" };
    let range = format!("{whole}{lower} {} and at most {}", number("min"), number("max"));
    let range = if unit.is_empty() { capitalize(&range) } else { range };
    format!("{} {unit}{range}. Default: {}.", bound["doc"].as_str().unwrap_or_default(), number("default"))
}

fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|c| c.to_uppercase().collect::<String>() + chars.as_str()).unwrap_or_default()
}

#[derive(Serialize)]
struct JsOption {
    js: String,
    name: String,
    ty: String,
    doc: String,
}

/// How a JavaScript caller writes each option the description names: its TypeScript type, and
/// its documentation unless a bound documents it.
fn option_spec(ir: &Ir, name: &str) -> Result<(&'static str, String), String> {
    let env = |key: &str| ir.raw["constants"][key].as_str().unwrap_or_default().to_owned();
    Ok(match name {
        "api_key" => (
            "string",
            format!("`live_…` or `test_…`. Default: `{}` from the environment (Node, Deno, Bun).", env("api_key_env")),
        ),
        "base_url" => (
            "string",
            format!(
                "Where requests go. Default: `{}`, else {} for `live_` keys and {} for `test_` keys.",
                env("base_url_env"),
                env("production_url"),
                env("sandbox_url")
            ),
        ),
        "allow_insecure_http" => {
            ("boolean", "Allow plain `http://` to hosts other than loopback. Default: false.".into())
        }
        "rate_limit" => (
            "number | 'documented' | 'off'",
            "Client-side rate limit: requests per second (more than 0, at most 100000), or `'documented'` for the \
             API's documented rate of the key's mode. Default: `'off'`."
                .into(),
        ),
        "default_headers" => ("HeaderPairs", "Headers added to every request.".into()),
        "log_level" => (
            "'debug' | 'info' | 'off'",
            format!(
                "Request logging: `'debug'` logs every attempt, `'info'` every call. Default: `{}`, else off.",
                env("log_env")
            ),
        ),
        "idempotency_key" => (
            "string",
            "The idempotency key of a send (e.g. `order-1042-confirmation`); by default each send gets one, \
             reused by its retries."
                .into(),
        ),
        "extra_headers" => ("HeaderPairs", "Headers added to these requests.".into()),
        "timeout" | "max_retries" | "max_response_bytes" => ("number", bound_doc(bound(ir, name)?)),
        other => {
            return Err(format!("option {other} has no TypeScript type: add it to tools/codegen/src/typescript.rs"));
        }
    })
}

fn options(ir: &Ir) -> Result<(Vec<JsOption>, Vec<JsOption>), String> {
    let list = |key: &str| -> Result<Vec<JsOption>, String> {
        ir.raw["constants"][key]
            .as_array()
            .ok_or_else(|| format!("the description has no {key}"))?
            .iter()
            .filter_map(Value::as_str)
            .map(|name| {
                let (ty, doc) = option_spec(ir, name)?;
                Ok(JsOption { js: camel(name), name: name.to_owned(), ty: ty.to_owned(), doc })
            })
            .collect()
    };
    Ok((list("client_options")?, list("request_options")?))
}
