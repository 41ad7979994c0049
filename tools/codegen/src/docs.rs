//! `docs/errors.md`: the error codes and classes, one table for every language.

use minijinja::{Environment, context};

use crate::ir::{Ir, clean_doc};
use crate::{Output, templates};

pub fn render(ir: &Ir, env: &Environment<'static>) -> Result<Vec<Output>, String> {
    let errors = &ir.raw["errors"];
    let mut classes = errors["classes"].as_array().cloned().unwrap_or_default();
    for class in &mut classes {
        let name = class["name"].as_str().unwrap_or_default().to_owned();
        class["go"] = format!("Class{}", name.trim_end_matches("Error")).into();
        class["doc"] = clean_doc(class["doc"].as_str().unwrap_or_default()).into();
        // The chain up to the root, for the table.
        let mut chain = vec![name.clone()];
        let mut parent = class["parent"].as_str().map(str::to_owned);
        while let Some(p) = parent {
            chain.push(p.clone());
            parent = errors["classes"]
                .as_array()
                .into_iter()
                .flatten()
                .find(|c| c["name"] == p.as_str())
                .and_then(|c| c["parent"].as_str())
                .map(str::to_owned);
        }
        class["chain"] = chain.join(" → ").into();
    }
    let contents = templates::render(
        env,
        "docs/errors.md.j2",
        context! {
            header => crate::header("<!--") + " -->",
            classes => classes,
            codes => errors["codes"],
            statuses => errors["statuses"],
        },
    )?;
    Ok(vec![Output { path: "docs/errors.md", contents }])
}
