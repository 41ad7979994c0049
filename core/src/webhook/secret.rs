//! Parsing of webhook key material, with a named error for each common mistake.

use std::fmt;

use base64::Engine as _;
#[cfg(feature = "ed25519")]
use ed25519_dalek::{Signer as _, SigningKey, VerifyingKey};
use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::error::{Error, ErrorCode, Result, redact};

/// HMAC-SHA256, the `v1` scheme.
pub(crate) type HmacSha256 = Hmac<Sha256>;

/// The shortest symmetric key accepted, in bytes (128 bits).
pub const MIN_SECRET_BYTES: usize = 16;

/// Standard base64; padding optional; non-canonical trailing bits rejected.
pub(crate) const BASE64: base64::engine::GeneralPurpose = base64::engine::GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    base64::engine::GeneralPurposeConfig::new()
        .with_encode_padding(true)
        .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent),
);

/// What a [`Secret`] is, which decides what it can do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SecretKind {
    /// A symmetric `whsec_…` (or bare base64) key: signs and verifies `v1` (HMAC-SHA256).
    Symmetric,
    /// An ed25519 public key `whpk_…`: verifies `v1a` signatures, cannot sign.
    Ed25519Public,
    /// An ed25519 private key `whsk_…`: signs and verifies `v1a` signatures.
    Ed25519Private,
}

impl SecretKind {
    /// The signature version this key produces or checks: `"v1"` or `"v1a"`.
    pub fn version(self) -> &'static str {
        match self {
            SecretKind::Symmetric => "v1",
            SecretKind::Ed25519Public | SecretKind::Ed25519Private => "v1a",
        }
    }
}

#[derive(Clone)]
pub(crate) enum Key {
    /// The keyed HMAC state, computed once; cloned for every message.
    Hmac(HmacSha256),
    /// Verify-only ed25519.
    #[cfg(feature = "ed25519")]
    Public(VerifyingKey),
    /// Signing ed25519 (verifies with its public half).
    #[cfg(feature = "ed25519")]
    Private(SigningKey),
}

/// Parsed webhook key material: a `whsec_` symmetric secret, a `whpk_` ed25519 public key or a
/// `whsk_` ed25519 private key.
///
/// Parsing catches the usual copy-and-paste mistakes with a specific error code instead of
/// letting every webhook fail with "no matching signature" later:
///
/// | input | code |
/// |---|---|
/// | empty or only whitespace | `WEBHOOK_SECRET_EMPTY` |
/// | an API key (`live_…`, `test_…`) | `WEBHOOK_SECRET_IS_API_KEY` |
/// | a `webhook-signature` value (`v1,…`, `v1a,…`) | `WEBHOOK_SECRET_IS_SIGNATURE` |
/// | bad base64, a symmetric key under 16 bytes, a wrong-size ed25519 key | `WEBHOOK_INVALID_SECRET` |
///
/// Surrounding whitespace (a trailing newline from an env file) is ignored. Base64 is the
/// standard alphabet, padded or not. `Debug` shows only the prefix and the last four characters.
///
/// ```
/// use sendivent::webhook::{Secret, SecretKind};
///
/// let secret = Secret::parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
/// assert_eq!(secret.kind(), SecretKind::Symmetric);
/// assert_eq!(format!("{secret:?}"), "Secret { kind: Symmetric, key: \"whsec_…LaSw\", fingerprint: \"whsec:1175e5f68e96f34d\" }");
///
/// let err = Secret::parse("test_4eC39HqLyjWDarjtT1zdp7dc").unwrap_err();
/// assert_eq!(err.code(), "WEBHOOK_SECRET_IS_API_KEY");
/// ```
#[derive(Clone)]
pub struct Secret {
    pub(crate) key: Key,
    /// The symmetric key bytes, kept for hosts that compute the HMAC themselves.
    hmac_key: Option<Box<[u8]>>,
    redacted: String,
    fingerprint: String,
}

impl Secret {
    /// Parses a secret. See the type's documentation for the accepted forms and the errors.
    pub fn parse(secret: &str) -> Result<Secret> {
        let secret = secret.trim();
        if secret.is_empty() {
            return Err(secret_error(
                ErrorCode::WebhookSecretEmpty,
                "the webhook secret is empty; it starts with whsec_ and is shown when you create the webhook",
            ));
        }
        if secret.starts_with("live_") || secret.starts_with("test_") {
            return Err(secret_error(
                ErrorCode::WebhookSecretIsApiKey,
                "this looks like an API key; the webhook signing secret starts with whsec_ and is shown when you \
                 create the webhook",
            ));
        }
        if looks_like_signature(secret) {
            return Err(secret_error(
                ErrorCode::WebhookSecretIsSignature,
                "this looks like a webhook-signature header value (v1,…), not the signing secret; the secret \
                 starts with whsec_ and is shown when you create the webhook",
            ));
        }
        let (kind, encoded, prefix) = if let Some(rest) = secret.strip_prefix("whsec_") {
            (SecretKind::Symmetric, rest, "whsec_")
        } else if let Some(rest) = secret.strip_prefix("whpk_") {
            (SecretKind::Ed25519Public, rest, "whpk_")
        } else if let Some(rest) = secret.strip_prefix("whsk_") {
            (SecretKind::Ed25519Private, rest, "whsk_")
        } else {
            (SecretKind::Symmetric, secret, "")
        };
        #[cfg(not(feature = "ed25519"))]
        if kind != SecretKind::Symmetric {
            return Err(secret_error(ErrorCode::WebhookInvalidSecret, WITHOUT_ED25519));
        }
        let bytes = decode_key(encoded, prefix)?;
        let (key, hmac_key) = match kind {
            SecretKind::Symmetric => {
                if bytes.len() < MIN_SECRET_BYTES {
                    return Err(secret_error(
                        ErrorCode::WebhookInvalidSecret,
                        format!(
                            "the webhook secret decodes to {} bytes, fewer than the {MIN_SECRET_BYTES} a signing \
                             key needs; copy the whole whsec_… value",
                            bytes.len()
                        ),
                    ));
                }
                let mac = HmacSha256::new_from_slice(&bytes)
                    .map_err(|_| secret_error(ErrorCode::WebhookInvalidSecret, "unusable HMAC key"))?;
                (Key::Hmac(mac), Some(bytes.into_boxed_slice()))
            }
            #[cfg(feature = "ed25519")]
            SecretKind::Ed25519Public => {
                let array: [u8; 32] = bytes.as_slice().try_into().map_err(|_| {
                    secret_error(
                        ErrorCode::WebhookInvalidSecret,
                        format!("a whpk_ ed25519 public key is 32 bytes, this one decodes to {}", bytes.len()),
                    )
                })?;
                let key = VerifyingKey::from_bytes(&array).map_err(|_| {
                    secret_error(ErrorCode::WebhookInvalidSecret, "the whpk_ key is not a valid ed25519 public key")
                })?;
                (Key::Public(key), None)
            }
            #[cfg(feature = "ed25519")]
            SecretKind::Ed25519Private => (Key::Private(signing_key(&bytes)?), None),
            #[cfg(not(feature = "ed25519"))]
            SecretKind::Ed25519Public | SecretKind::Ed25519Private => {
                return Err(secret_error(ErrorCode::WebhookInvalidSecret, WITHOUT_ED25519));
            }
        };
        let redacted = match kind {
            SecretKind::Ed25519Private => format!("whsk_{}", redact(encoded)),
            _ => redact(secret),
        };
        let fingerprint = fingerprint(&key);
        Ok(Secret { key, hmac_key, redacted, fingerprint })
    }

    /// The symmetric key as bytes (`None` for ed25519 keys), for a host that computes the
    /// HMAC-SHA256 itself ([`crate::webhook::Verifier::prepare_host_hmac`]). It is the secret.
    pub fn hmac_key(&self) -> Option<&[u8]> {
        self.hmac_key.as_deref()
    }

    /// A short, stable name of the key that reveals nothing of it: the first 8 bytes of the
    /// SHA-256 of the key (of the public key for ed25519), in hex, after the key's kind
    /// (`whsec:3f2a…`). Verification reports it, so a receiver rotating secrets can log which
    /// one signed each webhook and retire the old one once it stops appearing.
    pub fn fingerprint(&self) -> &str {
        &self.fingerprint
    }

    /// What this key is.
    pub fn kind(&self) -> SecretKind {
        match self.key {
            Key::Hmac(_) => SecretKind::Symmetric,
            #[cfg(feature = "ed25519")]
            Key::Public(_) => SecretKind::Ed25519Public,
            #[cfg(feature = "ed25519")]
            Key::Private(_) => SecretKind::Ed25519Private,
        }
    }

    /// Whether this key can sign (`whsec_` and `whsk_` can, `whpk_` only verifies).
    pub fn can_sign(&self) -> bool {
        self.kind() != SecretKind::Ed25519Public
    }

    /// For an ed25519 key, the `whpk_…` public key to hand to receivers.
    ///
    /// ```
    /// use sendivent::webhook::Secret;
    ///
    /// let private = Secret::parse("whsk_BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc=").unwrap();
    /// let public = private.public_key().unwrap();
    /// assert!(public.starts_with("whpk_"));
    /// assert!(Secret::parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap().public_key().is_none());
    /// ```
    pub fn public_key(&self) -> Option<String> {
        match &self.key {
            Key::Hmac(_) => None,
            #[cfg(feature = "ed25519")]
            Key::Public(key) => Some(format!("whpk_{}", BASE64.encode(key.as_bytes()))),
            #[cfg(feature = "ed25519")]
            Key::Private(key) => Some(format!("whpk_{}", BASE64.encode(key.verifying_key().as_bytes()))),
        }
    }

    /// Signs a message: the `webhook-signature` header value (`v1,<base64>` for a symmetric
    /// secret, `v1a,<base64>` for an ed25519 private key). See [`crate::webhook::sign`].
    pub fn sign(&self, msg_id: &str, timestamp: i64, body: &[u8]) -> Result<String> {
        super::check_msg_id(msg_id)?;
        let mut ts_buf = [0u8; 20];
        let ts = super::format_timestamp(timestamp, &mut ts_buf);
        match &self.key {
            Key::Hmac(mac) => {
                let tag = super::hmac_tag(mac, msg_id.as_bytes(), ts, body);
                Ok(format!("v1,{}", BASE64.encode(tag)))
            }
            #[cfg(feature = "ed25519")]
            Key::Private(key) => {
                let message = super::signed_content(msg_id.as_bytes(), ts, body);
                let signature = key.sign(&message);
                Ok(format!("v1a,{}", BASE64.encode(signature.to_bytes())))
            }
            #[cfg(feature = "ed25519")]
            Key::Public(_) => Err(secret_error(
                ErrorCode::WebhookInvalidSecret,
                "a whpk_ public key can only verify; signing needs the whsk_ private key",
            )),
        }
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Secret")
            .field("kind", &self.kind())
            .field("key", &self.redacted)
            .field("fingerprint", &self.fingerprint)
            .finish()
    }
}

fn fingerprint(key: &Key) -> String {
    #[cfg(feature = "ed25519")]
    use sha2::Digest as _;
    let (prefix, digest) = match key {
        // An HMAC key's state does not expose the key bytes; its MAC of a fixed label is as
        // stable and as opaque.
        Key::Hmac(mac) => {
            let mut mac = mac.clone();
            mac.update(b"sendivent key fingerprint");
            ("whsec", mac.finalize().into_bytes())
        }
        #[cfg(feature = "ed25519")]
        Key::Public(public) => ("whpk", sha2::Sha256::digest(public.as_bytes())),
        #[cfg(feature = "ed25519")]
        Key::Private(private) => ("whpk", sha2::Sha256::digest(private.verifying_key().as_bytes())),
    };
    let hex: String = digest.iter().take(8).map(|b| format!("{b:02x}")).collect();
    format!("{prefix}:{hex}")
}

impl std::str::FromStr for Secret {
    type Err = Error;

    fn from_str(s: &str) -> Result<Secret> {
        Secret::parse(s)
    }
}

fn secret_error(code: ErrorCode, message: impl Into<String>) -> Error {
    Error::webhook(code, message)
}

/// `v1,…`, `v1a,…`, a space-separated list with such an entry, or a whole header line.
fn looks_like_signature(secret: &str) -> bool {
    let lowered_prefix = secret.get(..18).is_some_and(|p| p.eq_ignore_ascii_case("webhook-signature:"));
    lowered_prefix || secret.split_ascii_whitespace().any(|token| token.starts_with("v1,") || token.starts_with("v1a,"))
}

fn decode_key(encoded: &str, prefix: &str) -> Result<Vec<u8>> {
    let shown = if prefix.is_empty() { "the webhook secret" } else { "the part after the prefix" };
    if encoded.is_empty() {
        return Err(secret_error(ErrorCode::WebhookInvalidSecret, format!("nothing follows {prefix}")));
    }
    BASE64.decode(encoded).map_err(|err| {
        let hint =
            if prefix.is_empty() { "; a webhook signing secret looks like whsec_ followed by base64" } else { "" };
        let detail = match err {
            base64::DecodeError::InvalidByte(offset, byte) => {
                let byte = char::from(byte);
                let shown_byte =
                    if byte.is_ascii_graphic() { format!("'{byte}'") } else { "a non-printable byte".into() };
                format!("{shown_byte} at offset {offset}")
            }
            base64::DecodeError::InvalidLength(len) => format!("{len} symbols, a length base64 cannot have"),
            base64::DecodeError::InvalidLastSymbol(offset, _) => {
                format!("a non-canonical last character at offset {offset}")
            }
            base64::DecodeError::InvalidPadding => "misplaced '=' padding".into(),
        };
        secret_error(ErrorCode::WebhookInvalidSecret, format!("{shown} is not valid base64 ({detail}){hint}"))
    })
}

/// Why a `whpk_`/`whsk_` key is refused by a build without the `ed25519` feature.
#[cfg(not(feature = "ed25519"))]
const WITHOUT_ED25519: &str = "whpk_ and whsk_ keys (ed25519, v1a signatures) are not supported by this build of the SDK, \
     which leaves ed25519 out to stay small; use a build with it (in JavaScript: @sendivent/wasm/webhook-ed25519 or \
     @sendivent/wasm)";

#[cfg(feature = "ed25519")]
fn signing_key(bytes: &[u8]) -> Result<SigningKey> {
    if let Ok(seed) = <&[u8; 32]>::try_from(bytes) {
        return Ok(SigningKey::from_bytes(seed));
    }
    if let Ok(pair) = <&[u8; 64]>::try_from(bytes) {
        return SigningKey::from_keypair_bytes(pair).map_err(|_| {
            secret_error(
                ErrorCode::WebhookInvalidSecret,
                "the whsk_ key is 64 bytes but its second half is not the public key of its first half",
            )
        });
    }
    Err(secret_error(
        ErrorCode::WebhookInvalidSecret,
        format!(
            "a whsk_ ed25519 private key is 32 bytes (seed) or 64 bytes (seed and public key), this one decodes to {}",
            bytes.len()
        ),
    ))
}
