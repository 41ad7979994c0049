//! sendivent-mock's template renderer (Handlebars plus the `{{name | Fallback}}` form) over
//! templates users write. Oracles: no panic; text without `{{` passes through `preprocess`
//! unchanged; a template `check` accepts also renders; with HTML escaping on, a context value
//! full of markup never reaches the output unescaped.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sendivent_mock::render::{check, context, preprocess, render};
use serde_json::json;

const MARKUP: &str = "<b>\"quoted\" & 'single'</b>";

fuzz_target!(|data: &[u8]| {
    let Ok(template) = std::str::from_utf8(data) else { return };
    if !template.contains("{{") {
        assert_eq!(preprocess(template), template);
    }
    let contact = json!({"name": MARKUP, "email": "ada@example.com", "meta": {"tier": MARKUP}});
    let payload = json!({"order": {"id": 1042, "items": [MARKUP, 2, null]}, "name": "payload"});
    let ctx = context(&contact, &payload, &json!({"name": "Shop"}), &json!({"email": "x@example.com"}));
    let compiles = check(template).is_ok();
    let escaped = render(template, &ctx, true);
    let _ = render(template, &ctx, false);
    if compiles {
        // Helpers may still refuse at render time (a missing partial, a bad `each` argument).
        if let Ok(out) = escaped {
            // Triple-stash (`{{{x}}}`, `{{~{x}~}}`) and `{{&x}}` are Handlebars' unescaped forms.
            let raw_forms = ["{{{", "~{", "&", "<"];
            if !raw_forms.iter().any(|form| template.contains(form)) {
                assert!(!out.contains("<b>"), "unescaped markup from {template:?}: {out:?}");
            }
        }
    }
});
