//! The template environment shared by every language: the templates under
//! `tools/codegen/templates/` and the filters they use to name and document things.

use std::path::Path;

use minijinja::{Environment, UndefinedBehavior};

use crate::ir;

/// Loads every template (by its path below `templates/`, e.g. `python/_models.py.j2`).
pub fn environment() -> Result<Environment<'static>, String> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_trim_blocks(true);
    env.set_lstrip_blocks(true);
    env.set_keep_trailing_newline(true);
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
    load(&mut env, &dir, &dir)?;
    env.add_filter("snake", |s: String| ir::snake(&s));
    env.add_filter("camel", |s: String| ir::camel(&s));
    env.add_filter("pascal", |s: String| ir::pascal(&s));
    env.add_filter("screaming", |s: String| ir::screaming(&s));
    env.add_filter("comment", comment);
    env.add_filter("json", |v: minijinja::Value| serde_json::to_string(&v).unwrap_or_default());
    Ok(env)
}

fn load(env: &mut Environment<'static>, root: &Path, dir: &Path) -> Result<(), String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    let mut paths: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            load(env, root, &path)?;
            continue;
        }
        let name = path.strip_prefix(root).map_err(|e| e.to_string())?.to_string_lossy().replace('\\', "/");
        let source = std::fs::read_to_string(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        env.add_template_owned(name, source).map_err(|e| format!("template {}: {e}", path.display()))?;
    }
    Ok(())
}

/// Wraps documentation at `width` columns, each line starting with `prefix` (`"/// "`,
/// `"# "`, `" * "`); blank lines between paragraphs keep the prefix without trailing space.
pub fn comment(text: String, prefix: String, width: Option<usize>) -> String {
    let width = width.unwrap_or(100);
    let mut out: Vec<String> = Vec::new();
    for (i, paragraph) in text.split("\n\n").enumerate() {
        if i > 0 {
            out.push(prefix.trim_end().to_owned());
        }
        let mut line = String::new();
        for word in paragraph.split_whitespace() {
            if !line.is_empty() && prefix.len() + line.len() + 1 + word.len() > width {
                out.push(format!("{prefix}{line}"));
                line.clear();
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        if !line.is_empty() {
            out.push(format!("{prefix}{line}"));
        }
    }
    out.join("\n")
}

/// Renders a template with a context, mapping errors to text.
pub fn render(env: &Environment<'static>, name: &str, ctx: minijinja::Value) -> Result<String, String> {
    let template = env.get_template(name).map_err(|e| format!("{name}: {e}"))?;
    template.render(ctx).map_err(|e| {
        let mut message = format!("{name}: {e}");
        let mut source = std::error::Error::source(&e);
        while let Some(cause) = source {
            message.push_str(&format!(": {cause}"));
            source = cause.source();
        }
        message
    })
}
