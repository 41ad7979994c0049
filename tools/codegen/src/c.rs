//! The generated surface of the C ABI (`bindings-c/src/*_gen.rs`, turned into
//! `include/sendivent.h` by cbindgen): the `sendivent_result` codes, the identifier kinds, and
//! one C function per operation, each a call of the binding's generic `call`.

use minijinja::{Environment, context};
use serde::Serialize;
use serde_json::Value;

use crate::ir::Ir;
use crate::templates::{self, comment};
use crate::{Output, header};

/// A doc comment's blocks: paragraphs, and lists kept one item per line.
enum Block {
    Text(String),
    List(Vec<String>),
}

/// Renders blocks as `///` lines: paragraphs wrapped at 100 columns, list items with a hanging
/// indent, a blank `///` line between blocks.
fn doc_comment(blocks: &[Block], indent: &str) -> String {
    let prefix = format!("{indent}/// ");
    let rendered: Vec<String> = blocks
        .iter()
        .map(|block| match block {
            Block::Text(text) => comment(text.clone(), prefix.clone(), Some(100)),
            Block::List(items) => items
                .iter()
                .map(|item| {
                    let wrapped = comment(item.clone(), format!("{prefix}  "), Some(100));
                    format!("{prefix}- {}", wrapped.trim_start_matches(&format!("{prefix}  ")))
                })
                .collect::<Vec<_>>()
                .join("\n"),
        })
        .collect();
    rendered.join(&format!("\n{}\n", prefix.trim_end()))
}

#[derive(Serialize)]
struct Code {
    variant: String,
    number: u64,
    code: String,
    doc: String,
}

#[derive(Serialize)]
struct Kind {
    variant: String,
    number: usize,
    name: String,
}

#[derive(Serialize)]
struct Function {
    name: String,
    op: String,
    doc: String,
    /// The C string parameters after `client`, in order: path parameters, `query_json`,
    /// `body_json`, `options_json`.
    inputs: Vec<String>,
}

fn text(value: &Value) -> &str {
    value.as_str().unwrap_or_default()
}

/// `name` (a code-formatted list) of the fields of `model`, for "… with `a`, `b`, `c`".
fn field_list(ir: &Ir, model: &str) -> Result<String, String> {
    let names: Vec<String> = ir.model(model)?.fields().iter().map(|f| format!("`{}`", f.name)).collect();
    Ok(names.join(", "))
}

/// The path as people read it: an optional last parameter in brackets.
pub fn display_path(op: &Value) -> String {
    let mut path = text(&op["path"]).to_owned();
    for param in op["path_params"].as_array().into_iter().flatten() {
        if param["optional"] == true {
            let segment = format!("/{{{}}}", text(&param["name"]));
            path = path.replace(&segment, &format!("[{segment}]"));
        }
    }
    path
}

fn request_options(ir: &Ir) -> String {
    let bounds = ir.raw["bounds"].as_array().cloned().unwrap_or_default();
    let names: Vec<String> = ir.raw["constants"]["request_options"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|name| {
            let unit = bounds.iter().find(|b| b["name"] == *name).map(|b| text(&b["unit"])).unwrap_or_default();
            if unit == "seconds" { format!("`{}` (seconds)", text(name)) } else { format!("`{}`", text(name)) }
        })
        .collect();
    names.join(", ")
}

fn function(ir: &Ir, op: &Value) -> Result<Function, String> {
    let name = text(&op["name"]);
    let mut inputs = Vec::new();
    let mut params = vec!["`client`: must not be NULL; a client from `sendivent_client_new`.".to_owned()];
    for param in op["path_params"].as_array().into_iter().flatten() {
        let param_name = text(&param["name"]);
        let doc = crate::ir::clean_doc(text(&param["doc"]));
        let nullable = if param["optional"] == true {
            "may be NULL to leave the segment out"
        } else {
            "must not be NULL (a path segment, percent-encoded by the library)"
        };
        params.push(format!("`{param_name}`: {nullable}. {doc}"));
        inputs.push(param_name.to_owned());
    }
    if let Some(query) = op["query"].as_str() {
        params.push(format!(
            "`query_json`: may be NULL; the query as a JSON object, a `{query}` with {}.",
            field_list(ir, query)?
        ));
        inputs.push("query_json".to_owned());
    }
    if let Some(body) = op["body"].as_str() {
        params.push(format!(
            "`body_json`: the request body as JSON, a `{body}` with {}. NULL sends no body, which only operations \
             without a required body accept (else `SENDIVENT_ERR_INVALID_REQUEST`).",
            field_list(ir, body)?
        ));
        inputs.push("body_json".to_owned());
    }
    params.push(format!(
        "`options_json`: may be NULL; per-request options as a JSON object with any of {}. Out of bounds or \
         unknown: `SENDIVENT_ERR_INVALID_ARGUMENT`.",
        request_options(ir)
    ));
    inputs.push("options_json".to_owned());
    params.push(format!(
        "`out_json`: must not be NULL; on success receives `{{\"data\": <{}>, \"meta\": <ResponseMeta>}}` as JSON, \
         owned by the caller: release it with `sendivent_string_free` (not `free()`).",
        text(&op["response"])
    ));
    params.push(
        "`out_err`: may be NULL; on failure receives an error object to release with `sendivent_error_free`."
            .to_owned(),
    );
    let mut about = format!("`{} {}`.", text(&op["http_method"]), display_path(op));
    let extra = crate::ir::clean_doc(text(&op["doc"]));
    if !extra.is_empty() {
        about = format!("{about} {extra}");
    }
    let blocks = [
        Block::Text(crate::ir::clean_doc(text(&op["summary"]))),
        Block::Text(about),
        Block::List(params),
        Block::Text(
            "Out-parameters are written only in their case (success or failure). Blocks the calling thread until \
             the call, retries included, ends. Thread safety: safe to call concurrently on one client from many \
             threads."
                .to_owned(),
        ),
        Block::Text("# Safety".to_owned()),
        Block::Text(
            "Pointers are NULL or valid for their documented use; strings are NUL-terminated UTF-8.".to_owned(),
        ),
    ];
    Ok(Function {
        name: format!("sendivent_{}", name.replace('.', "_")),
        op: name.to_owned(),
        doc: doc_comment(&blocks, ""),
        inputs,
    })
}

pub fn render(ir: &Ir, env: &Environment<'static>) -> Result<Vec<Output>, String> {
    let codes: Vec<Code> = ir.raw["errors"]["codes"]
        .as_array()
        .ok_or("the description has no error codes")?
        .iter()
        .map(|c| {
            let retryable = if c["retryable"] == true { ", retryable" } else { "" };
            let about = format!(
                "`{}` (class `{}`{retryable}): {}",
                text(&c["code"]),
                text(&c["class"]),
                crate::ir::clean_doc(text(&c["doc"]))
            );
            Code {
                variant: format!("SENDIVENT_ERR_{}", text(&c["code"])),
                number: c["number"].as_u64().unwrap_or_default(),
                code: text(&c["code"]).to_owned(),
                doc: doc_comment(&[Block::Text(about)], "    "),
            }
        })
        .collect();
    let kinds: Vec<Kind> = ir.raw["constants"]["identifier_kinds"]
        .as_array()
        .ok_or("the description has no identifier kinds")?
        .iter()
        .enumerate()
        .map(|(i, k)| Kind {
            variant: format!("SENDIVENT_IDENTIFIER_{}", text(k).to_uppercase()),
            number: i + 1,
            name: text(k).to_owned(),
        })
        .collect();
    let functions = ir.operations().iter().map(|op| function(ir, op)).collect::<Result<Vec<_>, _>>()?;
    let header = header("//");
    Ok(vec![
        Output {
            path: "bindings-c/src/result_gen.rs",
            contents: templates::render(env, "c/result_gen.rs.j2", context! { header, codes })?,
        },
        Output {
            path: "bindings-c/src/identifier_gen.rs",
            contents: templates::render(env, "c/identifier_gen.rs.j2", context! { header, kinds })?,
        },
        Output {
            path: "bindings-c/src/operations_gen.rs",
            contents: templates::render(env, "c/operations_gen.rs.j2", context! { header, functions })?,
        },
    ])
}
