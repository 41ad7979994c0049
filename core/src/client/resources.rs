//! One typed method per operation of [`crate::api`], grouped by resource. Paths, methods and
//! retry policies come from the description; these methods add the Rust types.

use std::sync::Arc;

use tokio::sync::Semaphore;

use super::rt;
use super::transport::{RequestSpec, decode};
use super::{Client, Paginator, RequestOptions, Response};
use crate::api::{self, bounds};
use crate::error::{Error, ErrorCode, Result};
use crate::models::{
    Acknowledged, Channel, Contact, ContactInput, ContactList, ContactListParams, CreateWebhook, Deleted, Delivery,
    DeliveryList, DeliveryListParams, DeliveryTrace, Event, EventList, IntegrationList, IntegrationListParams,
    PushToken, SendRequest, SendResponse, UpdateWebhook, WebhookConfig,
};

/// One send of [`Client::send_many`].
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SendItem {
    /// The event name.
    pub event: String,
    /// Only this channel, when set.
    #[serde(default)]
    pub channel: Option<Channel>,
    /// The request.
    #[serde(rename = "body")]
    pub request: SendRequest,
    /// This item's idempotency key; generated when absent.
    #[serde(default)]
    pub idempotency_key: Option<String>,
}

impl SendItem {
    /// An item for `event`.
    pub fn new(event: impl Into<String>, request: SendRequest) -> SendItem {
        SendItem { event: event.into(), channel: None, request, idempotency_key: None }
    }
}

/// The default number of sends in flight in [`Client::send_many`] ([`bounds::CONCURRENCY`]).
pub const DEFAULT_SEND_MANY_CONCURRENCY: usize = bounds::CONCURRENCY.default as usize;

impl Client {
    /// `POST /v1/send/{event}`: sends the event on all its channels. The request is validated
    /// first (INVALID_EMAIL, INVALID_PHONE, VALIDATION_ERROR before anything is sent); a send the
    /// API answers with `success: false` is [`Error::SendFailed`] carrying the `errors` list.
    pub async fn send(&self, event: &str, request: SendRequest) -> Result<Response<SendResponse>> {
        self.send_impl(event, None, &request).await
    }

    /// `POST /v1/send/{event}/{channel}`: sends on one channel only. With [`Channel::Slack`],
    /// `to` may be a Slack channel id (`C01234ABCDE`) as well as `#name`.
    pub async fn send_on(&self, event: &str, channel: Channel, request: SendRequest) -> Result<Response<SendResponse>> {
        self.send_impl(event, Some(&channel), &request).await
    }

    pub(crate) async fn send_impl(
        &self,
        event: &str,
        channel: Option<&Channel>,
        request: &SendRequest,
    ) -> Result<Response<SendResponse>> {
        let request = request.validated_on(channel)?;
        let spec = RequestSpec::new(&api::SEND, &[Some(event), channel.map(Channel::as_str)])?.json(&request)?;
        self.execute_send(spec).await
    }

    /// Sends many notifications with at most `concurrency` in flight (1 to 256; see
    /// [`DEFAULT_SEND_MANY_CONCURRENCY`]), returning one result per item in the order given.
    /// Each item has its own idempotency key, so retries inside one item never duplicate it.
    /// Combine with a client-side rate limit ([`super::RateLimit::Documented`]) to stay under
    /// the key's rate.
    pub async fn send_many(&self, items: Vec<SendItem>, concurrency: usize) -> Vec<Result<Response<SendResponse>>> {
        self.send_many_with(items, concurrency, |_, _| {}).await
    }

    /// [`Client::send_many`], calling `on_done(index, result)` as each item finishes (in the
    /// order they finish), e.g. to drive a progress bar or checkpoint a batch.
    pub async fn send_many_with(
        &self,
        items: Vec<SendItem>,
        concurrency: usize,
        on_done: impl Fn(usize, &Result<Response<SendResponse>>) + Send + Sync + 'static,
    ) -> Vec<Result<Response<SendResponse>>> {
        if let Err(err) = bounds::CONCURRENCY.check(concurrency as f64) {
            return items.iter().map(|_| Err(err.clone())).collect();
        }
        let on_done = Arc::new(on_done);
        let permits = Arc::new(Semaphore::new(concurrency));
        let handles: Vec<_> = items
            .into_iter()
            .enumerate()
            .map(|(index, item)| {
                let on_done = Arc::clone(&on_done);
                let client = match &item.idempotency_key {
                    Some(key) => self.with_options(RequestOptions::default().idempotency_key(key.clone())),
                    None => Client { inner: Arc::clone(&self.inner), options: self.options_without_key() },
                };
                let permits = Arc::clone(&permits);
                rt::spawn(async move {
                    let result = match permits.acquire_owned().await {
                        Ok(_permit) => client.send_impl(&item.event, item.channel.as_ref(), &item.request).await,
                        Err(_) => Err(Error::invalid(ErrorCode::InternalError, "send_many was cancelled")),
                    };
                    on_done(index, &result);
                    result
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

    /// A create whose answer may have been lost: a 409 on a repeat is resolved by `read`ing the
    /// resource back; it is the call's result when `matches` says it is what was sent
    /// ([`api::RetryPolicy::CreateOrRead`]).
    async fn create_or_read<T, R, Fut>(
        &self,
        spec: RequestSpec,
        read: R,
        matches: impl FnOnce(&T) -> bool,
    ) -> Result<Response<T>>
    where
        T: serde::de::DeserializeOwned,
        R: FnOnce(Client) -> Fut,
        Fut: std::future::Future<Output = Result<Response<T>>>,
    {
        let raw = self.execute_raw(&spec).await;
        match raw.result {
            Ok((meta, body)) => {
                let data = decode(spec.op, &meta, &body)?;
                Ok(Response { data, meta })
            }
            Err(Error::Api(api)) if api.status == 409 && raw.maybe_applied => {
                let conflict = Error::Api(api);
                match read(self.clone()).await {
                    Ok(found) if matches(found.data()) => {
                        let (data, mut meta) = found.into_parts();
                        meta.recovered = true;
                        meta.attempts += conflict.meta().map_or(0, |m| m.attempts);
                        Ok(Response { data, meta })
                    }
                    _ => Err(conflict),
                }
            }
            Err(err) => Err(err),
        }
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
        let spec = RequestSpec::new(&api::CONTACTS_LIST, &[])?.query_from(&params)?;
        self.client.execute(spec).await
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
        let spec = RequestSpec::new(&api::CONTACTS_GET, &[Some(identifier)])?;
        self.client.execute(spec).await
    }

    /// `POST /v1/contacts`. Needs email, phone or external id; other fields go to `meta`.
    ///
    /// When an answer was lost and the repeat meets 409 CONFLICT, the contact is read back by
    /// its email, phone or external id and returned if it has the fields that were sent.
    pub async fn create(&self, contact: &ContactInput) -> Result<Response<Contact>> {
        let contact = contact.validated()?;
        let spec = RequestSpec::new(&api::CONTACTS_CREATE, &[])?.json(&contact)?;
        let key = [&contact.email, &contact.phone, &contact.external_id].into_iter().flatten().next().cloned();
        self.client
            .create_or_read(
                spec,
                |client| async move {
                    let key = key.ok_or_else(|| Error::invalid(ErrorCode::InvalidRequest, "no identifier"))?;
                    client.contacts().get(&key).await
                },
                |found| contact_matches(found, &contact),
            )
            .await
    }

    /// `PATCH /v1/contacts/{identifier}`: only the fields given change.
    pub async fn update(&self, identifier: &str, changes: &ContactInput) -> Result<Response<Contact>> {
        let changes = changes.validated_fields()?;
        let spec = RequestSpec::new(&api::CONTACTS_UPDATE, &[Some(identifier)])?.json(&changes)?;
        self.client.execute(spec).await
    }

    /// `DELETE /v1/contacts/{identifier}`: hard delete.
    pub async fn delete(&self, identifier: &str) -> Result<Response<Deleted>> {
        let spec = RequestSpec::new(&api::CONTACTS_DELETE, &[Some(identifier)])?;
        self.client.execute(spec).await
    }

    /// `POST /v1/contacts/{identifier}/push-tokens`.
    pub async fn add_push_token(&self, identifier: &str, token: &str) -> Result<Response<Acknowledged>> {
        self.push_token(&api::CONTACTS_ADD_PUSH_TOKEN, identifier, token).await
    }

    /// `DELETE /v1/contacts/{identifier}/push-tokens`.
    pub async fn remove_push_token(&self, identifier: &str, token: &str) -> Result<Response<Acknowledged>> {
        self.push_token(&api::CONTACTS_REMOVE_PUSH_TOKEN, identifier, token).await
    }

    async fn push_token(
        &self,
        op: &'static api::Operation,
        identifier: &str,
        token: &str,
    ) -> Result<Response<Acknowledged>> {
        if token.trim().is_empty() {
            return Err(Error::invalid(ErrorCode::ValidationError, "push token must not be empty"));
        }
        let spec = RequestSpec::new(op, &[Some(identifier)])?.json(&PushToken { token: token.to_owned() })?;
        self.client.execute(spec).await
    }
}

/// Whether a contact read back after a lost create is the one that was sent: every field the
/// request set has that value (custom fields are compared as the server camelCases them, so
/// only the standard ones are checked).
fn contact_matches(found: &Contact, sent: &ContactInput) -> bool {
    let same = |sent: &Option<String>, found: &Option<String>| {
        sent.as_ref().is_none_or(|s| found.as_ref().is_some_and(|f| f.eq_ignore_ascii_case(s)))
    };
    same(&sent.email, &found.email)
        && same(&sent.phone, &found.phone)
        && same(&sent.external_id, &found.external_id)
        && same(&sent.name, &found.name)
        && same(&sent.slack, &found.slack)
        && same(&sent.telegram, &found.telegram)
        && same(&sent.discord, &found.discord)
}

/// `/v1/events`.
#[derive(Debug, Clone, Copy)]
pub struct Events<'c> {
    client: &'c Client,
}

impl Events<'_> {
    /// `GET /v1/events`.
    pub async fn list(&self) -> Result<Response<EventList>> {
        let spec = RequestSpec::new(&api::EVENTS_LIST, &[])?;
        self.client.execute(spec).await
    }

    /// `GET /v1/events/{identifier}`: with templates and channel settings.
    pub async fn get(&self, identifier: &str) -> Result<Response<Event>> {
        let spec = RequestSpec::new(&api::EVENTS_GET, &[Some(identifier)])?;
        self.client.execute(spec).await
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
        let spec = RequestSpec::new(&api::DELIVERIES_LIST, &[])?.query_from(&params)?;
        self.client.execute(spec).await
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
        let spec = RequestSpec::new(&api::DELIVERIES_TRACE, &[Some(uuid)])?;
        self.client.execute(spec).await
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
        let spec = RequestSpec::new(&api::INTEGRATIONS_LIST, &[])?.query_from(&IntegrationListParams { channel })?;
        self.client.execute(spec).await
    }
}

/// `/v1/webhooks`: one endpoint per application.
#[derive(Debug, Clone, Copy)]
pub struct Webhooks<'c> {
    client: &'c Client,
}

impl Webhooks<'_> {
    /// `POST /v1/webhooks`: the answer includes the `signing_secret`. A second endpoint is a
    /// 409 CONFLICT.
    ///
    /// When an answer was lost and the repeat meets 409, the endpoint is read back and returned
    /// if it has the URL and events that were sent, so the signing secret is not lost with the
    /// answer.
    pub async fn create(&self, webhook: &CreateWebhook) -> Result<Response<WebhookConfig>> {
        if webhook.enabled_events.is_empty() {
            return Err(Error::invalid(ErrorCode::ValidationError, "enabled_events needs at least one event type"));
        }
        let spec = RequestSpec::new(&api::WEBHOOKS_CREATE, &[])?.json(webhook)?;
        self.client
            .create_or_read(
                spec,
                |client| async move { client.webhooks().get().await },
                |found| found.url == webhook.url && found.enabled_events == webhook.enabled_events,
            )
            .await
    }

    /// `GET /v1/webhooks`: the application's webhook (404 NOT_FOUND when there is none).
    pub async fn get(&self) -> Result<Response<WebhookConfig>> {
        let spec = RequestSpec::new(&api::WEBHOOKS_GET, &[])?;
        self.client.execute(spec).await
    }

    /// `PATCH /v1/webhooks/{uuid}`: url, enabled events, active flag.
    pub async fn update(&self, uuid: &str, changes: &UpdateWebhook) -> Result<Response<WebhookConfig>> {
        let spec = RequestSpec::new(&api::WEBHOOKS_UPDATE, &[Some(uuid)])?.json(changes)?;
        self.client.execute(spec).await
    }

    /// `DELETE /v1/webhooks/{uuid}`.
    pub async fn delete(&self, uuid: &str) -> Result<Response<Deleted>> {
        let spec = RequestSpec::new(&api::WEBHOOKS_DELETE, &[Some(uuid)])?;
        self.client.execute(spec).await
    }
}
