//! Template rendering: Handlebars plus Sendivent's fallback form `{{name | Guest}}`.

use handlebars::Handlebars;
use serde_json::{Map, Value};

/// Rewrites every `{{path | Fallback}}` (and `{{{path | Fallback}}}`) into
/// `{{#if path}}{{path}}{{else}}Fallback{{/if}}`, leaving everything else untouched. The fallback
/// may be quoted (`{{name | "dear customer"}}`).
pub fn preprocess(template: &str) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start..];
        let triple = after.starts_with("{{{");
        let (open, close) = if triple { ("{{{", "}}}") } else { ("{{", "}}") };
        let Some(end) = after[open.len()..].find(close) else {
            out.push_str(after);
            return out;
        };
        let inner = &after[open.len()..open.len() + end];
        let whole = &after[..open.len() + end + close.len()];
        match split_fallback(inner) {
            Some((path, fallback)) => {
                out.push_str(&format!("{{{{#if {path}}}}}{open}{path}{close}{{{{else}}}}{fallback}{{{{/if}}}}"));
            }
            None => out.push_str(whole),
        }
        rest = &after[whole.len()..];
    }
    out.push_str(rest);
    out
}

fn split_fallback(inner: &str) -> Option<(&str, &str)> {
    let (path, fallback) = inner.split_once('|')?;
    let path = path.trim();
    let is_path = !path.is_empty()
        && path.chars().all(|c| c.is_alphanumeric() || matches!(c, '_' | '.' | '-' | '@'))
        && path != "else";
    if !is_path {
        return None;
    }
    let fallback = fallback.trim();
    let fallback = fallback
        .strip_prefix('"')
        .and_then(|f| f.strip_suffix('"'))
        .or_else(|| fallback.strip_prefix('\'').and_then(|f| f.strip_suffix('\'')))
        .unwrap_or(fallback);
    Some((path, fallback))
}

/// Checks that a template compiles.
pub fn check(template: &str) -> Result<(), String> {
    handlebars::Template::compile(&preprocess(template)).map(|_| ()).map_err(|e| e.to_string())
}

/// Renders a template. `html_escape` is on for email bodies and off for text channels.
pub fn render(template: &str, context: &Value, html_escape: bool) -> Result<String, String> {
    let mut hb = Handlebars::new();
    if !html_escape {
        hb.register_escape_fn(handlebars::no_escape);
    }
    hb.render_template(&preprocess(template), context).map_err(|e| e.to_string())
}

/// The template context: `contact`, `payload`, `app`, `sender`, and at the top level the
/// contact's fields over the payload's keys, so a bare `{{name}}` resolves against the contact
/// first and the payload second.
pub fn context(contact: &Value, payload: &Value, app: &Value, sender: &Value) -> Value {
    let mut root = Map::new();
    if let Value::Object(payload) = payload {
        root.extend(payload.iter().map(|(k, v)| (k.clone(), v.clone())));
    }
    if let Value::Object(contact) = contact {
        for (key, value) in contact {
            if !value.is_null() && value.as_str() != Some("") {
                root.insert(key.clone(), value.clone());
            }
        }
    }
    root.insert("contact".into(), contact.clone());
    root.insert("payload".into(), payload.clone());
    root.insert("app".into(), app.clone());
    root.insert("sender".into(), sender.clone());
    Value::Object(root)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use serde_json::json;

    #[test]
    fn fallback_form_is_rewritten() {
        assert_eq!(preprocess("Hi {{name | Guest}}!"), "Hi {{#if name}}{{name}}{{else}}Guest{{/if}}!");
        assert_eq!(preprocess("{{{a.b|\"x y\"}}}"), "{{#if a.b}}{{{a.b}}}{{else}}x y{{/if}}");
        assert_eq!(preprocess("{{#if x}}{{x}}{{/if}} {{"), "{{#if x}}{{x}}{{/if}} {{");
    }

    #[test]
    fn renders_contact_then_payload_with_fallbacks() {
        let ctx = context(
            &json!({"name": "Ada", "email": null, "meta": {"tier": "gold"}}),
            &json!({"name": "payload-name", "order": 7}),
            &json!({"name": "Acme"}),
            &json!({"name": "S", "email": "s@x.example"}),
        );
        let t = "{{name}} {{order}} {{contact.email | none}} {{contact.meta.tier}} {{app.name}} {{payload.name}}";
        assert_eq!(render(t, &ctx, false).unwrap(), "Ada 7 none gold Acme payload-name");
        let anon = context(&json!({"name": ""}), &json!({}), &json!({}), &json!({}));
        assert_eq!(render("Hi {{contact.name | Guest}} {{name | Guest}}", &anon, false).unwrap(), "Hi Guest Guest");
        let esc = context(&json!({}), &json!({"x": "<b>&"}), &json!({}), &json!({}));
        assert_eq!(render("{{payload.x}}", &esc, true).unwrap(), "&lt;b&gt;&amp;");
        assert_eq!(render("{{payload.x}}", &esc, false).unwrap(), "<b>&");
    }
}
