//! One method per endpoint of CONTRACT §1, grouped by resource.

use std::sync::Arc;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use tokio::sync::Semaphore;

use super::rt;
use super::transport::{Method, RequestSpec};
use super::{Client, Paginator, RequestOptions, Response};
use crate::error::{Error, ErrorCode, Result};
use crate::models::{
    Acknowledged, Channel, Contact, ContactData, ContactInput, ContactList, ContactListParams, CreateWebhook, Deleted,
    Delivery, DeliveryList, DeliveryListParams, DeliveryTrace, Envelope, Event, EventData, EventList, IntegrationList,
    PushToken, SendRequest, SendResponse, UpdateWebhook, WebhookConfig, WebhookData,
};

/// Everything but RFC 3986 unreserved characters is escaped in a path segment, so a phone's
/// `+`, an email's `@` and `+`, and a `/` or `#` in an external id survive the trip.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// Percent-encodes one path segment; refuses an empty one (it would change the route).
pub(crate) fn segment(value: &str, what: &str) -> Result<String> {
    let value = value.trim();
    if value.is_empty() {
        return Err(Error::invalid(ErrorCode::ValidationError, format!("{what} must not be empty")));
    }
    Ok(utf8_percent_encode(value, SEGMENT).to_string())
}

/// One send of [`Client::send_many`].
#[derive(Debug, Clone, PartialEq)]
pub struct SendItem {
    /// The event name.
    pub event: String,
    /// Only this channel, when set.
    pub channel: Option<Channel>,
    /// The request.
    pub request: SendRequest,
    /// This item's idempotency key; generated when absent.
    pub idempotency_key: Option<String>,
}

impl SendItem {
    /// An item for `event`.
    pub fn new(event: impl Into<String>, request: SendRequest) -> SendItem {
        SendItem { event: event.into(), channel: None, request, idempotency_key: None }
    }
}

impl Client {
    /// `POST /v1/send/{event}`: sends the event on all its channels. The request is validated
    /// first (INVALID_EMAIL, INVALID_PHONE, VALIDATION_ERROR before anything is sent); a send the
    /// API answers with `success: false` is [`Error::SendFailed`] carrying the `errors` list.
    pub async fn send(&self, event: &str, request: SendRequest) -> Result<Response<SendResponse>> {
        self.send_impl(event, None, &request).await
    }

    /// `POST /v1/send/{event}/{channel}`: sends on one channel only.
    pub async fn send_on(&self, event: &str, channel: Channel, request: SendRequest) -> Result<Response<SendResponse>> {
        self.send_impl(event, Some(&channel), &request).await
    }

    async fn send_impl(
        &self,
        event: &str,
        channel: Option<&Channel>,
        request: &SendRequest,
    ) -> Result<Response<SendResponse>> {
        let request = request.validated()?;
        let mut path = format!("v1/send/{}", segment(event, "event name")?);
        if let Some(channel) = channel {
            path.push('/');
            path.push_str(&segment(channel.as_str(), "channel")?);
        }
        let mut spec = RequestSpec::new(Method::Post, path).json(&request)?;
        spec.is_send = true;
        self.execute_send(spec).await
    }

    /// Sends many notifications with at most `concurrency` in flight, returning one result per
    /// item in the order given. Each item has its own idempotency key, so retries inside one
    /// item never duplicate it. Combine with a client-side rate limit
    /// ([`super::RateLimit::Documented`]) to stay under the key's rate.
    pub async fn send_many(&self, items: Vec<SendItem>, concurrency: usize) -> Vec<Result<Response<SendResponse>>> {
        let permits = Arc::new(Semaphore::new(concurrency.max(1)));
        let handles: Vec<_> = items
            .into_iter()
            .map(|item| {
                let client = match &item.idempotency_key {
                    Some(key) => self.with_options(RequestOptions::default().idempotency_key(key.clone())),
                    None => Client { inner: Arc::clone(&self.inner), options: self.options_without_key() },
                };
                let permits = Arc::clone(&permits);
                rt::spawn(async move {
                    let _permit = permits
                        .acquire_owned()
                        .await
                        .map_err(|_| Error::invalid(ErrorCode::InternalError, "send_many was cancelled"))?;
                    client.send_impl(&item.event, item.channel.as_ref(), &item.request).await
                })
            })
            .collect();
        let mut results = Vec::with_capacity(handles.len());
        for handle in handles {
            results.push(
                handle.join().await.unwrap_or_else(|e| {
                    Err(Error::invalid(ErrorCode::InternalError, format!("a send task failed: {e}")))
                }),
            );
        }
        results
    }

    /// A caller's idempotency key belongs to one send: bulk items never share it.
    fn options_without_key(&self) -> RequestOptions {
        RequestOptions { idempotency_key: None, ..self.options.clone() }
    }

    /// Contacts: list, search, get, create, update, delete, push tokens.
    pub fn contacts(&self) -> Contacts<'_> {
        Contacts { client: self }
    }

    /// Notification events.
    pub fn events(&self) -> Events<'_> {
        Events { client: self }
    }

    /// Deliveries and their traces.
    pub fn deliveries(&self) -> Deliveries<'_> {
        Deliveries { client: self }
    }

    /// Channel integrations.
    pub fn integrations(&self) -> Integrations<'_> {
        Integrations { client: self }
    }

    /// The application's webhook endpoint.
    pub fn webhooks(&self) -> Webhooks<'_> {
        Webhooks { client: self }
    }

    async fn get_data<T: serde::de::DeserializeOwned>(&self, spec: RequestSpec) -> Result<Response<T>> {
        Ok(self.execute::<Envelope<T>>(spec).await?.map(|envelope| envelope.data))
    }
}

/// `/v1/contacts`.
#[derive(Debug, Clone, Copy)]
pub struct Contacts<'c> {
    client: &'c Client,
}

impl Contacts<'_> {
    /// `GET /v1/contacts`: one page.
    pub async fn list(&self, params: &ContactListParams) -> Result<Response<ContactList>> {
        let params = params.validated()?;
        let spec = RequestSpec::new(Method::Get, "v1/contacts".into())
            .query("limit", params.limit)
            .query("offset", params.offset)
            .query("search", params.search);
        self.client.get_data(spec).await
    }

    /// Every contact matching `params.search`, walking `offset` page by page until `total`.
    ///
    /// ```no_run
    /// # async fn f(client: sendivent::client::Client) -> sendivent::Result<()> {
    /// let mut contacts = client.contacts().list_all(Default::default());
    /// while let Some(contact) = contacts.next().await {
    ///     println!("{}", contact?.uuid);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn list_all(&self, params: ContactListParams) -> Paginator<Contact> {
        let client = self.client.clone();
        Paginator::new(params.offset.unwrap_or(0), move |offset| {
            let client = client.clone();
            let params = ContactListParams { offset: Some(offset), ..params.clone() };
            Box::pin(async move { client.contacts().list(&params).await.map(Response::into_inner) })
        })
    }

    /// `GET /v1/contacts/{identifier}`: by email, phone, UUID, external id or Slack user id.
    pub async fn get(&self, identifier: &str) -> Result<Response<Contact>> {
        let spec = RequestSpec::new(Method::Get, format!("v1/contacts/{}", segment(identifier, "identifier")?));
        Ok(self.client.get_data::<ContactData>(spec).await?.map(|d| d.contact))
    }

    /// `POST /v1/contacts`. Needs email, phone or external id; other fields go to `meta`.
    pub async fn create(&self, contact: &ContactInput) -> Result<Response<Contact>> {
        let contact = contact.validated()?;
        let spec = RequestSpec::new(Method::Post, "v1/contacts".into()).json(&contact)?;
        Ok(self.client.execute::<ContactAnswer>(spec).await?.map(ContactAnswer::into_contact))
    }

    /// `PATCH /v1/contacts/{identifier}`: only the fields given change.
    pub async fn update(&self, identifier: &str, changes: &ContactInput) -> Result<Response<Contact>> {
        let changes = changes.validated_fields()?;
        let spec = RequestSpec::new(Method::Patch, format!("v1/contacts/{}", segment(identifier, "identifier")?))
            .json(&changes)?;
        Ok(self.client.execute::<ContactAnswer>(spec).await?.map(ContactAnswer::into_contact))
    }

    /// `DELETE /v1/contacts/{identifier}`: hard delete.
    pub async fn delete(&self, identifier: &str) -> Result<Response<Deleted>> {
        let spec = RequestSpec::new(Method::Delete, format!("v1/contacts/{}", segment(identifier, "identifier")?));
        self.client.execute(spec).await
    }

    /// `POST /v1/contacts/{identifier}/push-tokens`.
    pub async fn add_push_token(&self, identifier: &str, token: &str) -> Result<Response<Acknowledged>> {
        self.push_token(Method::Post, identifier, token).await
    }

    /// `DELETE /v1/contacts/{identifier}/push-tokens`.
    pub async fn remove_push_token(&self, identifier: &str, token: &str) -> Result<Response<Acknowledged>> {
        self.push_token(Method::Delete, identifier, token).await
    }

    async fn push_token(&self, method: Method, identifier: &str, token: &str) -> Result<Response<Acknowledged>> {
        if token.trim().is_empty() {
            return Err(Error::invalid(ErrorCode::ValidationError, "push token must not be empty"));
        }
        let path = format!("v1/contacts/{}/push-tokens", segment(identifier, "identifier")?);
        let spec = RequestSpec::new(method, path).json(&PushToken { token: token.to_owned() })?;
        self.client.execute(spec).await
    }
}

/// Create/update answers: `{success, data:{contact}}`, tolerating a bare `{contact}` too.
#[derive(serde::Deserialize)]
#[serde(untagged)]
enum ContactAnswer {
    Envelope { data: ContactData },
    Bare { contact: Contact },
}

impl ContactAnswer {
    fn into_contact(self) -> Contact {
        match self {
            ContactAnswer::Envelope { data } => data.contact,
            ContactAnswer::Bare { contact } => contact,
        }
    }
}

/// `/v1/events`.
#[derive(Debug, Clone, Copy)]
pub struct Events<'c> {
    client: &'c Client,
}

impl Events<'_> {
    /// `GET /v1/events`.
    pub async fn list(&self) -> Result<Response<Vec<Event>>> {
        let spec = RequestSpec::new(Method::Get, "v1/events".into());
        Ok(self.client.get_data::<EventList>(spec).await?.map(|l| l.events))
    }

    /// `GET /v1/events/{identifier}`: with templates and channel settings.
    pub async fn get(&self, identifier: &str) -> Result<Response<Event>> {
        let spec = RequestSpec::new(Method::Get, format!("v1/events/{}", segment(identifier, "event identifier")?));
        Ok(self.client.get_data::<EventData>(spec).await?.map(|d| d.event))
    }
}

/// `/v1/deliveries`.
#[derive(Debug, Clone, Copy)]
pub struct Deliveries<'c> {
    client: &'c Client,
}

impl Deliveries<'_> {
    /// `GET /v1/deliveries`: one page, filtered.
    pub async fn list(&self, params: &DeliveryListParams) -> Result<Response<DeliveryList>> {
        let params = params.validated()?;
        let spec = RequestSpec::new(Method::Get, "v1/deliveries".into())
            .query("limit", params.limit)
            .query("offset", params.offset)
            .query("event", params.event)
            .query("channel", params.channel)
            .query("status", params.status);
        self.client.get_data(spec).await
    }

    /// Every matching delivery, page by page.
    pub fn list_all(&self, params: DeliveryListParams) -> Paginator<Delivery> {
        let client = self.client.clone();
        Paginator::new(params.offset.unwrap_or(0), move |offset| {
            let client = client.clone();
            let params = DeliveryListParams { offset: Some(offset), ..params.clone() };
            Box::pin(async move { client.deliveries().list(&params).await.map(Response::into_inner) })
        })
    }

    /// `GET /v1/deliveries/{uuid}/trace`: the delivery, its timeline and content snapshot.
    pub async fn trace(&self, uuid: &str) -> Result<Response<DeliveryTrace>> {
        let spec = RequestSpec::new(Method::Get, format!("v1/deliveries/{}/trace", segment(uuid, "delivery uuid")?));
        self.client.get_data(spec).await
    }
}

/// `/v1/integrations`.
#[derive(Debug, Clone, Copy)]
pub struct Integrations<'c> {
    client: &'c Client,
}

impl Integrations<'_> {
    /// `GET /v1/integrations`, optionally for one channel. Secrets are never returned.
    pub async fn list(&self, channel: Option<Channel>) -> Result<Response<IntegrationList>> {
        let spec = RequestSpec::new(Method::Get, "v1/integrations".into()).query("channel", channel);
        self.client.get_data(spec).await
    }
}

/// `/v1/webhooks`: one endpoint per application.
#[derive(Debug, Clone, Copy)]
pub struct Webhooks<'c> {
    client: &'c Client,
}

/// Webhook answers: `{success, data:{webhook}}`, tolerating a bare config too.
#[derive(serde::Deserialize)]
#[serde(untagged)]
enum WebhookAnswer {
    Envelope { data: WebhookData },
    Bare(WebhookConfig),
}

impl WebhookAnswer {
    fn into_config(self) -> WebhookConfig {
        match self {
            WebhookAnswer::Envelope { data } => data.webhook,
            WebhookAnswer::Bare(config) => config,
        }
    }
}

impl Webhooks<'_> {
    /// `POST /v1/webhooks`: the answer includes the `signing_secret`. A second endpoint is a
    /// 409 CONFLICT.
    pub async fn create(&self, webhook: &CreateWebhook) -> Result<Response<WebhookConfig>> {
        if webhook.enabled_events.is_empty() {
            return Err(Error::invalid(ErrorCode::ValidationError, "enabled_events needs at least one event type"));
        }
        let spec = RequestSpec::new(Method::Post, "v1/webhooks".into()).json(webhook)?;
        Ok(self.client.execute::<WebhookAnswer>(spec).await?.map(WebhookAnswer::into_config))
    }

    /// `GET /v1/webhooks`: the application's webhook (404 NOT_FOUND when there is none).
    pub async fn get(&self) -> Result<Response<WebhookConfig>> {
        let spec = RequestSpec::new(Method::Get, "v1/webhooks".into());
        Ok(self.client.execute::<WebhookAnswer>(spec).await?.map(WebhookAnswer::into_config))
    }

    /// `PATCH /v1/webhooks/{uuid}`: url, enabled events, active flag.
    pub async fn update(&self, uuid: &str, changes: &UpdateWebhook) -> Result<Response<WebhookConfig>> {
        let spec =
            RequestSpec::new(Method::Patch, format!("v1/webhooks/{}", segment(uuid, "webhook uuid")?)).json(changes)?;
        Ok(self.client.execute::<WebhookAnswer>(spec).await?.map(WebhookAnswer::into_config))
    }

    /// `DELETE /v1/webhooks/{uuid}`.
    pub async fn delete(&self, uuid: &str) -> Result<Response<Deleted>> {
        let spec = RequestSpec::new(Method::Delete, format!("v1/webhooks/{}", segment(uuid, "webhook uuid")?));
        self.client.execute(spec).await
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn path_segments_keep_plus_and_at() {
        assert_eq!(segment("+46701234567", "x").unwrap(), "%2B46701234567");
        assert_eq!(segment("ada+news@example.com", "x").unwrap(), "ada%2Bnews%40example.com");
        assert_eq!(segment("a/b#c d", "x").unwrap(), "a%2Fb%23c%20d");
        assert_eq!(segment("user.welcome", "x").unwrap(), "user.welcome");
        assert_eq!(segment("  ", "event name").unwrap_err().code(), "VALIDATION_ERROR");
    }
}
