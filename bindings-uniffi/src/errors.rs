//! The core's errors as `SendiventError` (its variants and `ErrorClass` are generated from the
//! description, `errors_gen.rs`): the core decides code, class and every detail
//! (`Error::details`); this file only carries them over and asks the core about the hierarchy.

use std::fmt;

use sendivent::{Error, ErrorCode};

use crate::errors_gen::{ErrorClass, SendiventError};
use crate::json::{from_canonical, to_canonical};
use crate::models_gen::ErrorDetails;

/// The error a core error is raised as.
pub(crate) fn from_core(err: &Error) -> SendiventError {
    let details = err.details();
    match to_canonical(&details).and_then(from_canonical::<ErrorDetails>) {
        Ok(details) => SendiventError::from_details(details),
        // Only a record out of step with the core's `ErrorDetails` (a stale `make generate`)
        // lands here; the error still has a code, a class and a message.
        Err(_) => SendiventError::InternalError {
            details: ErrorDetails {
                code: ErrorCode::InternalError.as_str().to_owned(),
                class: sendivent::ErrorClass::Internal.name().to_owned(),
                message: details.message.clone(),
                display: details.display,
                ..ErrorDetails::default()
            },
        },
    }
}

fn core_class(class: ErrorClass) -> Option<sendivent::ErrorClass> {
    sendivent::ErrorClass::ALL.iter().copied().find(|c| c.name() == class.name())
}

#[uniffi::export]
impl SendiventError {
    /// The stable code (`NOT_FOUND`, `INVALID_PHONE`, …); for an error the API answered, its code
    /// exactly as sent.
    pub fn code(&self) -> String {
        self.details_ref().code.clone()
    }

    /// Everything about the error: code, class, message, HTTP status, request id, whether a
    /// retry may succeed, `Retry-After`, a failed send's reasons, a webhook failure's reason,
    /// the response's metadata.
    pub fn details(&self) -> ErrorDetails {
        self.details_ref().clone()
    }

    /// The class this error is raised as (its variant).
    pub fn error_class(&self) -> ErrorClass {
        ErrorClass::from_name(&self.details_ref().class).unwrap_or(ErrorClass::InternalError)
    }

    /// Whether this error is of the class `ancestor` or derives from it:
    /// `is_a(ErrorClass.API_ERROR)` holds for every error the API answered, as `except APIError`
    /// catches them in Python.
    pub fn is_a(&self, ancestor: ErrorClass) -> bool {
        self.error_class().is_a(ancestor)
    }
}

#[uniffi::export]
impl ErrorClass {
    /// The class it derives from; `None` for `SendiventError`, the root.
    pub fn parent(&self) -> Option<ErrorClass> {
        core_class(*self).and_then(sendivent::ErrorClass::parent).and_then(|p| ErrorClass::from_name(p.name()))
    }

    /// Whether this class is `ancestor` or derives from it.
    pub fn is_a(&self, ancestor: ErrorClass) -> bool {
        match (core_class(*self), core_class(ancestor)) {
            (Some(class), Some(ancestor)) => class.is_a(ancestor),
            _ => false,
        }
    }
}

impl fmt::Display for ErrorClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl fmt::Display for SendiventError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.details_ref().display)
    }
}

impl std::error::Error for SendiventError {}

/// A foreign implementation of a callback interface (a `ReplayStore`) threw something other
/// than a `SendiventError`: the store failed, REPLAY_STORE_ERROR.
impl From<uniffi::UnexpectedUniFFICallbackError> for SendiventError {
    fn from(err: uniffi::UnexpectedUniFFICallbackError) -> SendiventError {
        from_core(&sendivent::webhook::store_error(err.reason))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_class_of_the_core_is_a_variant_with_the_same_hierarchy() {
        for core in sendivent::ErrorClass::ALL {
            let class = ErrorClass::from_name(core.name()).unwrap_or_else(|| panic!("no ErrorClass {}", core.name()));
            assert_eq!(class.parent().map(ErrorClass::name), core.parent().map(sendivent::ErrorClass::name));
            for ancestor in sendivent::ErrorClass::ALL {
                let other = ErrorClass::from_name(ancestor.name()).unwrap_or(ErrorClass::InternalError);
                assert_eq!(class.is_a(other), core.is_a(*ancestor), "{} is_a {}", core.name(), ancestor.name());
            }
        }
    }

    #[test]
    fn every_code_the_sdk_raises_is_raised_as_its_class() {
        for code in ErrorCode::ALL {
            let Some(err) = Error::from_code(code.as_str(), "m") else { continue };
            let raised = SendiventError::from(err.clone());
            assert_eq!(raised.code(), code.as_str());
            assert_eq!(raised.error_class().name(), err.class().name(), "{code}");
            assert_eq!(raised.details().message, err.message());
        }
        let answer =
            SendiventError::from(Error::from_answer(404, Vec::new(), br#"{"error":"gone","code":"NOT_FOUND"}"#, false));
        assert!(matches!(&answer, SendiventError::NotFoundError { details } if details.status == Some(404)));
        assert!(answer.is_a(ErrorClass::APIError) && !answer.is_a(ErrorClass::ValidationError));
    }
}
