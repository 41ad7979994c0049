//! The API's routes, taken from core's operation table (`sendivent::api::OPERATIONS`): the mock
//! serves exactly the paths the SDK calls, and names each route the way `api/openapi.json`
//! (generated from the same table) does.

use sendivent::api::{OPERATIONS, Operation};

/// One route: a path template (`/v1/contacts/{identifier}`) and the operation served on it.
#[derive(Debug, Clone)]
pub(crate) struct Route {
    /// The template, with `{name}` for each path parameter.
    pub template: String,
    /// The operation.
    pub operation: &'static Operation,
}

/// Every route of every operation. An operation whose last path parameter is optional has two:
/// with it and without it (`/v1/send/{event}` and `/v1/send/{event}/{channel}`).
pub(crate) fn all() -> Vec<Route> {
    let mut routes = Vec::new();
    for &operation in OPERATIONS {
        if let Some(last) = operation.path_params.last().filter(|p| p.optional) {
            let placeholder = format!("/{{{}}}", last.name);
            if let Some(without) = operation.path.strip_suffix(&placeholder) {
                routes.push(Route { template: without.to_owned(), operation });
            }
        }
        routes.push(Route { template: operation.path.to_owned(), operation });
    }
    routes
}

/// The template of the route a raw request path matches, whatever the method: a `{name}`
/// segment matches any non-empty segment. When several match, the one with more literal
/// segments wins.
pub(crate) fn template_of<'a>(routes: &'a [Route], path: &str) -> Option<&'a str> {
    let segments: Vec<&str> = path.split('/').collect();
    routes
        .iter()
        .filter_map(|route| {
            let pattern: Vec<&str> = route.template.split('/').collect();
            if pattern.len() != segments.len() {
                return None;
            }
            let mut literals = 0;
            for (want, got) in pattern.iter().zip(&segments) {
                if want.starts_with('{') && want.ends_with('}') {
                    if got.is_empty() {
                        return None;
                    }
                } else if want == got {
                    literals += 1;
                } else {
                    return None;
                }
            }
            Some((literals, route.template.as_str()))
        })
        .max_by_key(|(literals, _)| *literals)
        .map(|(_, template)| template)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn optional_parameters_give_two_routes_and_paths_find_their_template() {
        let routes = all();
        let templates: Vec<&str> = routes.iter().map(|r| r.template.as_str()).collect();
        assert!(templates.contains(&"/v1/send/{event}"));
        assert!(templates.contains(&"/v1/send/{event}/{channel}"));
        for (path, want) in [
            ("/v1/send/user.welcome", Some("/v1/send/{event}")),
            ("/v1/send/user.welcome/sms", Some("/v1/send/{event}/{channel}")),
            ("/v1/contacts", Some("/v1/contacts")),
            ("/v1/contacts/%2B46701234567", Some("/v1/contacts/{identifier}")),
            ("/v1/contacts/a@b.example/push-tokens", Some("/v1/contacts/{identifier}/push-tokens")),
            ("/v1/deliveries/abc/trace", Some("/v1/deliveries/{uuid}/trace")),
            ("/v1/webhooks", Some("/v1/webhooks")),
            ("/v1/contacts/", None),
            ("/v1/send", None),
            ("/v1/nothing", None),
            ("/health", None),
        ] {
            assert_eq!(template_of(&routes, path), want, "{path}");
        }
    }
}
