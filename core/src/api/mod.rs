//! The one description of the Sendivent API: every operation, with its HTTP method, path,
//! parameters, request and response models, retry policy and pagination
//! (docs/contract.md §1).
//!
//! The Rust client builds its requests from these entries, the bindings' generic `call` runs
//! them by name ([`crate::client::Client::call`]), and `make generate` renders each binding's
//! surface (Python resources, Go methods, TypeScript types, C functions) and `api/openapi.json`
//! from them, so an endpoint path or a retry rule is written here and nowhere else.
//!
//! ```
//! use sendivent::api::{self, HttpMethod, RetryPolicy};
//!
//! let op = api::operation("contacts.get").unwrap();
//! assert_eq!((op.method, op.path), (HttpMethod::Get, "/v1/contacts/{identifier}"));
//! assert_eq!(op.retry, RetryPolicy::Safe);
//! assert!(api::OPERATIONS.iter().all(|op| op.path.starts_with("/v1/")));
//! ```

pub mod bounds;
mod segment;

pub use segment::path_segment;

/// The HTTP methods the API uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HttpMethod {
    /// GET.
    Get,
    /// POST.
    Post,
    /// PATCH.
    Patch,
    /// DELETE.
    Delete,
}

impl HttpMethod {
    /// The method's name, upper case.
    pub const fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Post => "POST",
            HttpMethod::Patch => "PATCH",
            HttpMethod::Delete => "DELETE",
        }
    }
}

/// When the client may repeat a request whose first attempt may have reached the server
/// (the answer was lost, timed out, or was a 5xx) — docs/contract.md §2 "Retries".
///
/// Every policy repeats a request that certainly did not take effect (the connection was
/// refused, or the API answered 408 or 429).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RetryPolicy {
    /// Reading: repeating changes nothing.
    Safe,
    /// Repeated with the same `X-Idempotency-Key`, which the API honours on sends: a repeat
    /// whose first attempt went through is answered from the API's store.
    IdempotencyKey,
    /// Repeating has the effect of doing it once (setting fields, adding a token to a set).
    Idempotent,
    /// A delete: repeated, and a 404 on a repeat after an attempt that may have gone through
    /// means that attempt deleted it, so the call succeeds.
    Delete,
    /// A create of something unique: repeated, and a 409 on a repeat after an attempt that may
    /// have gone through is resolved by reading the resource back with the named operation;
    /// it is returned when it matches what was sent, else the 409 stands.
    CreateOrRead(&'static str),
}

impl RetryPolicy {
    /// The policy's name in the description (`safe`, `idempotency_key`, …).
    pub const fn as_str(self) -> &'static str {
        match self {
            RetryPolicy::Safe => "safe",
            RetryPolicy::IdempotencyKey => "idempotency_key",
            RetryPolicy::Idempotent => "idempotent",
            RetryPolicy::Delete => "delete",
            RetryPolicy::CreateOrRead(_) => "create_or_read",
        }
    }
}

/// The type of a path parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ParamType {
    /// Free text, percent-encoded as one path segment.
    String,
    /// A [`crate::models::Channel`] name.
    Channel,
}

impl ParamType {
    /// The type's name in the description.
    pub const fn as_str(self) -> &'static str {
        match self {
            ParamType::String => "string",
            ParamType::Channel => "channel",
        }
    }
}

/// A path parameter of an operation: `{name}` in [`Operation::path`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PathParam {
    /// The name, as in the path template and in `call` arguments.
    pub name: &'static str,
    /// What it is, for people.
    pub doc: &'static str,
    /// Its type.
    pub ty: ParamType,
    /// Whether it may be left out; an optional parameter is the path's last segment, dropped
    /// with its `/` when absent (`/v1/send/{event}` or `/v1/send/{event}/{channel}`).
    pub optional: bool,
}

/// How the API's answer wraps the value the SDK returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Envelope {
    /// The body is the value.
    Bare,
    /// `{success, data: <value>}`.
    Data,
    /// `{success, data: {<field>: <value>}}`; a bare `{<field>: <value>}` is accepted too.
    DataField(&'static str),
}

/// Pagination of a list operation: walk `offset` until `total` items were seen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Pagination {
    /// The field of the page holding the items (`contacts`).
    pub items: &'static str,
    /// The model of one item.
    pub item: &'static str,
}

/// One operation of the API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Operation {
    /// `resource.method` (`contacts.get`), or just the method for top-level operations (`send`).
    pub name: &'static str,
    /// One line for people, the first line of every generated doc comment.
    pub summary: &'static str,
    /// More detail, or "".
    pub doc: &'static str,
    /// The HTTP method.
    pub method: HttpMethod,
    /// The path template, with `{name}` for each path parameter.
    pub path: &'static str,
    /// The path parameters, in path order.
    pub path_params: &'static [PathParam],
    /// The model whose fields are the query parameters.
    pub query: Option<&'static str>,
    /// The model of the JSON body.
    pub body: Option<&'static str>,
    /// The model the SDK returns.
    pub response: &'static str,
    /// How the API wraps that model.
    pub envelope: Envelope,
    /// When a repeat is safe.
    pub retry: RetryPolicy,
    /// Set for list operations that have an auto-paginating form.
    pub pagination: Option<Pagination>,
}

impl Operation {
    /// The resource (`contacts`), or `None` for a top-level operation (`send`).
    pub fn resource(&self) -> Option<&'static str> {
        self.name.split_once('.').map(|(resource, _)| resource)
    }

    /// The method name within the resource (`get`).
    pub fn method_name(&self) -> &'static str {
        self.name.split_once('.').map_or(self.name, |(_, method)| method)
    }
}

const fn required(name: &'static str, doc: &'static str) -> PathParam {
    PathParam { name, doc, ty: ParamType::String, optional: false }
}

const CONTACT_IDENTIFIER: PathParam =
    required("identifier", "The contact's email, E.164 phone, UUID, external id or Slack user id.");
const WEBHOOK_UUID: PathParam = required("uuid", "The webhook's UUID.");

/// `POST /v1/send/{event}[/{channel}]`.
pub const SEND: Operation = Operation {
    name: "send",
    summary: "Sends an event to its recipients, on every channel the event has or on one.",
    doc: "Recipients are validated before anything is sent. A send the API answers with `success: false` \
          is a SEND_FAILED error carrying the reasons; a send that reached some recipients succeeds and \
          lists the skipped ones in `errors`.",
    method: HttpMethod::Post,
    path: "/v1/send/{event}/{channel}",
    path_params: &[
        required("event", "The event name, e.g. `order.confirmed`."),
        PathParam { name: "channel", doc: "Only this channel.", ty: ParamType::Channel, optional: true },
    ],
    query: None,
    body: Some("SendRequest"),
    response: "SendResponse",
    envelope: Envelope::Bare,
    retry: RetryPolicy::IdempotencyKey,
    pagination: None,
};

/// `GET /v1/contacts`.
pub const CONTACTS_LIST: Operation = Operation {
    name: "contacts.list",
    summary: "Lists contacts, one page at a time, optionally searching by email, name or phone.",
    doc: "",
    method: HttpMethod::Get,
    path: "/v1/contacts",
    path_params: &[],
    query: Some("ContactListParams"),
    body: None,
    response: "ContactList",
    envelope: Envelope::Data,
    retry: RetryPolicy::Safe,
    pagination: Some(Pagination { items: "contacts", item: "Contact" }),
};

/// `GET /v1/contacts/{identifier}`.
pub const CONTACTS_GET: Operation = Operation {
    name: "contacts.get",
    summary: "Gets a contact by email, phone, UUID, external id or Slack user id.",
    doc: "",
    method: HttpMethod::Get,
    path: "/v1/contacts/{identifier}",
    path_params: &[CONTACT_IDENTIFIER],
    query: None,
    body: None,
    response: "Contact",
    envelope: Envelope::DataField("contact"),
    retry: RetryPolicy::Safe,
    pagination: None,
};

/// `POST /v1/contacts`.
pub const CONTACTS_CREATE: Operation = Operation {
    name: "contacts.create",
    summary: "Creates a contact; it needs an email, a phone or an external id.",
    doc: "Fields the API does not define are kept in the contact's `meta`.",
    method: HttpMethod::Post,
    path: "/v1/contacts",
    path_params: &[],
    query: None,
    body: Some("ContactInput"),
    response: "Contact",
    envelope: Envelope::DataField("contact"),
    retry: RetryPolicy::CreateOrRead("contacts.get"),
    pagination: None,
};

/// `PATCH /v1/contacts/{identifier}`.
pub const CONTACTS_UPDATE: Operation = Operation {
    name: "contacts.update",
    summary: "Updates a contact: only the fields given change.",
    doc: "",
    method: HttpMethod::Patch,
    path: "/v1/contacts/{identifier}",
    path_params: &[CONTACT_IDENTIFIER],
    query: None,
    body: Some("ContactInput"),
    response: "Contact",
    envelope: Envelope::DataField("contact"),
    retry: RetryPolicy::Idempotent,
    pagination: None,
};

/// `DELETE /v1/contacts/{identifier}`.
pub const CONTACTS_DELETE: Operation = Operation {
    name: "contacts.delete",
    summary: "Deletes a contact for good.",
    doc: "",
    method: HttpMethod::Delete,
    path: "/v1/contacts/{identifier}",
    path_params: &[CONTACT_IDENTIFIER],
    query: None,
    body: None,
    response: "Deleted",
    envelope: Envelope::Bare,
    retry: RetryPolicy::Delete,
    pagination: None,
};

/// `POST /v1/contacts/{identifier}/push-tokens`.
pub const CONTACTS_ADD_PUSH_TOKEN: Operation = Operation {
    name: "contacts.add_push_token",
    summary: "Registers a device push token for a contact.",
    doc: "",
    method: HttpMethod::Post,
    path: "/v1/contacts/{identifier}/push-tokens",
    path_params: &[CONTACT_IDENTIFIER],
    query: None,
    body: Some("PushToken"),
    response: "Acknowledged",
    envelope: Envelope::Bare,
    retry: RetryPolicy::Idempotent,
    pagination: None,
};

/// `DELETE /v1/contacts/{identifier}/push-tokens`.
pub const CONTACTS_REMOVE_PUSH_TOKEN: Operation = Operation {
    name: "contacts.remove_push_token",
    summary: "Removes a device push token from a contact.",
    doc: "",
    method: HttpMethod::Delete,
    path: "/v1/contacts/{identifier}/push-tokens",
    path_params: &[CONTACT_IDENTIFIER],
    query: None,
    body: Some("PushToken"),
    response: "Acknowledged",
    envelope: Envelope::Bare,
    retry: RetryPolicy::Idempotent,
    pagination: None,
};

/// `GET /v1/events`.
pub const EVENTS_LIST: Operation = Operation {
    name: "events.list",
    summary: "Lists the application's notification events.",
    doc: "",
    method: HttpMethod::Get,
    path: "/v1/events",
    path_params: &[],
    query: None,
    body: None,
    response: "EventList",
    envelope: Envelope::Data,
    retry: RetryPolicy::Safe,
    pagination: None,
};

/// `GET /v1/events/{identifier}`.
pub const EVENTS_GET: Operation = Operation {
    name: "events.get",
    summary: "Gets an event with its templates and channel settings.",
    doc: "",
    method: HttpMethod::Get,
    path: "/v1/events/{identifier}",
    path_params: &[required("identifier", "The event name, e.g. `user.welcome`.")],
    query: None,
    body: None,
    response: "Event",
    envelope: Envelope::DataField("event"),
    retry: RetryPolicy::Safe,
    pagination: None,
};

/// `GET /v1/deliveries`.
pub const DELIVERIES_LIST: Operation = Operation {
    name: "deliveries.list",
    summary: "Lists deliveries, newest first, one page at a time, with optional filters.",
    doc: "",
    method: HttpMethod::Get,
    path: "/v1/deliveries",
    path_params: &[],
    query: Some("DeliveryListParams"),
    body: None,
    response: "DeliveryList",
    envelope: Envelope::Data,
    retry: RetryPolicy::Safe,
    pagination: Some(Pagination { items: "deliveries", item: "Delivery" }),
};

/// `GET /v1/deliveries/{uuid}/trace`.
pub const DELIVERIES_TRACE: Operation = Operation {
    name: "deliveries.trace",
    summary: "Traces a delivery: its timeline and the content as sent.",
    doc: "",
    method: HttpMethod::Get,
    path: "/v1/deliveries/{uuid}/trace",
    path_params: &[required("uuid", "The delivery's UUID, as returned by a send.")],
    query: None,
    body: None,
    response: "DeliveryTrace",
    envelope: Envelope::Data,
    retry: RetryPolicy::Safe,
    pagination: None,
};

/// `GET /v1/integrations`.
pub const INTEGRATIONS_LIST: Operation = Operation {
    name: "integrations.list",
    summary: "Lists the configured channel integrations (secrets are never returned).",
    doc: "",
    method: HttpMethod::Get,
    path: "/v1/integrations",
    path_params: &[],
    query: Some("IntegrationListParams"),
    body: None,
    response: "IntegrationList",
    envelope: Envelope::Data,
    retry: RetryPolicy::Safe,
    pagination: None,
};

/// `POST /v1/webhooks`.
pub const WEBHOOKS_CREATE: Operation = Operation {
    name: "webhooks.create",
    summary: "Registers the application's webhook endpoint; the answer carries its signing secret.",
    doc: "An application has one endpoint: a second one is a 409 CONFLICT.",
    method: HttpMethod::Post,
    path: "/v1/webhooks",
    path_params: &[],
    query: None,
    body: Some("CreateWebhook"),
    response: "WebhookConfig",
    envelope: Envelope::DataField("webhook"),
    retry: RetryPolicy::CreateOrRead("webhooks.get"),
    pagination: None,
};

/// `GET /v1/webhooks`.
pub const WEBHOOKS_GET: Operation = Operation {
    name: "webhooks.get",
    summary: "Gets the application's webhook endpoint (404 when there is none).",
    doc: "",
    method: HttpMethod::Get,
    path: "/v1/webhooks",
    path_params: &[],
    query: None,
    body: None,
    response: "WebhookConfig",
    envelope: Envelope::DataField("webhook"),
    retry: RetryPolicy::Safe,
    pagination: None,
};

/// `PATCH /v1/webhooks/{uuid}`.
pub const WEBHOOKS_UPDATE: Operation = Operation {
    name: "webhooks.update",
    summary: "Updates the webhook endpoint: URL, enabled events, active flag.",
    doc: "",
    method: HttpMethod::Patch,
    path: "/v1/webhooks/{uuid}",
    path_params: &[WEBHOOK_UUID],
    query: None,
    body: Some("UpdateWebhook"),
    response: "WebhookConfig",
    envelope: Envelope::DataField("webhook"),
    retry: RetryPolicy::Idempotent,
    pagination: None,
};

/// `DELETE /v1/webhooks/{uuid}`.
pub const WEBHOOKS_DELETE: Operation = Operation {
    name: "webhooks.delete",
    summary: "Deletes the webhook endpoint.",
    doc: "",
    method: HttpMethod::Delete,
    path: "/v1/webhooks/{uuid}",
    path_params: &[WEBHOOK_UUID],
    query: None,
    body: None,
    response: "Deleted",
    envelope: Envelope::Bare,
    retry: RetryPolicy::Delete,
    pagination: None,
};

/// Every operation, in the order documentation lists them.
pub const OPERATIONS: &[&Operation] = &[
    &SEND,
    &CONTACTS_LIST,
    &CONTACTS_GET,
    &CONTACTS_CREATE,
    &CONTACTS_UPDATE,
    &CONTACTS_DELETE,
    &CONTACTS_ADD_PUSH_TOKEN,
    &CONTACTS_REMOVE_PUSH_TOKEN,
    &EVENTS_LIST,
    &EVENTS_GET,
    &DELIVERIES_LIST,
    &DELIVERIES_TRACE,
    &INTEGRATIONS_LIST,
    &WEBHOOKS_CREATE,
    &WEBHOOKS_GET,
    &WEBHOOKS_UPDATE,
    &WEBHOOKS_DELETE,
];

/// The resources, in documentation order, with a line about each.
pub const RESOURCES: &[(&str, &str)] = &[
    ("contacts", "Contacts: list, search, get, create, update, delete, push tokens."),
    ("events", "The application's notification events."),
    ("deliveries", "Delivery history and traces."),
    ("integrations", "Configured channel providers."),
    ("webhooks", "The application's webhook endpoint."),
];

/// The operation with this name.
pub fn operation(name: &str) -> Option<&'static Operation> {
    OPERATIONS.iter().copied().find(|op| op.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_paths_name_their_params() {
        let mut names = std::collections::HashSet::new();
        for op in OPERATIONS {
            assert!(names.insert(op.name), "duplicate operation {}", op.name);
            let placeholders: Vec<&str> =
                op.path.split('/').filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}'))).collect();
            let params: Vec<&str> = op.path_params.iter().map(|p| p.name).collect();
            assert_eq!(placeholders, params, "{}", op.name);
            // Only the last parameter may be optional.
            for p in op.path_params.iter().rev().skip(1) {
                assert!(!p.optional, "{}: only the last path parameter may be optional", op.name);
            }
            if let Some(resource) = op.resource() {
                assert!(RESOURCES.iter().any(|(r, _)| *r == resource), "{}: resource not listed", op.name);
            }
            if let RetryPolicy::CreateOrRead(read) = op.retry {
                assert_eq!(operation(read).map(|r| r.method), Some(HttpMethod::Get), "{}", op.name);
            }
            // Bodies only where the method carries one; reads are safe.
            assert_eq!(op.method == HttpMethod::Get, op.retry == RetryPolicy::Safe, "{}", op.name);
        }
    }
}
