// Error code constants mirroring include/sendivent.h; TestCodesMatchLibrary fails when they drift.

package sendivent

// The stable error codes of the SDK (core's ErrorCode table). API errors may also carry codes
// newer than this package; they arrive unchanged in Error.Code.
const (
	// CodeValidationError is VALIDATION_ERROR (result number 1).
	CodeValidationError = "VALIDATION_ERROR"
	// CodeUnauthorized is UNAUTHORIZED (result number 2).
	CodeUnauthorized = "UNAUTHORIZED"
	// CodeQuotaExceeded is QUOTA_EXCEEDED (result number 3).
	CodeQuotaExceeded = "QUOTA_EXCEEDED"
	// CodeForbidden is FORBIDDEN (result number 4).
	CodeForbidden = "FORBIDDEN"
	// CodeNotFound is NOT_FOUND (result number 5).
	CodeNotFound = "NOT_FOUND"
	// CodeConflict is CONFLICT (result number 6).
	CodeConflict = "CONFLICT"
	// CodeRateLimited is RATE_LIMITED (result number 7).
	CodeRateLimited = "RATE_LIMITED"
	// CodeServerError is SERVER_ERROR (result number 8).
	CodeServerError = "SERVER_ERROR"
	// CodeProviderError is PROVIDER_ERROR (result number 9).
	CodeProviderError = "PROVIDER_ERROR"
	// CodeMissingIdentifier is MISSING_IDENTIFIER (result number 20).
	CodeMissingIdentifier = "MISSING_IDENTIFIER"
	// CodeIntegrationMissing is INTEGRATION_MISSING (result number 21).
	CodeIntegrationMissing = "INTEGRATION_MISSING"
	// CodeAddonNotEnabled is ADDON_NOT_ENABLED (result number 22).
	CodeAddonNotEnabled = "ADDON_NOT_ENABLED"
	// CodeUnverifiedSender is UNVERIFIED_SENDER (result number 23).
	CodeUnverifiedSender = "UNVERIFIED_SENDER"
	// CodeInvalidEmail is INVALID_EMAIL (result number 24).
	CodeInvalidEmail = "INVALID_EMAIL"
	// CodeInvalidPhone is INVALID_PHONE (result number 25).
	CodeInvalidPhone = "INVALID_PHONE"
	// CodeEventNotFound is EVENT_NOT_FOUND (result number 26).
	CodeEventNotFound = "EVENT_NOT_FOUND"
	// CodeWebhookMissingHeader is WEBHOOK_MISSING_HEADER (result number 40).
	CodeWebhookMissingHeader = "WEBHOOK_MISSING_HEADER"
	// CodeWebhookInvalidTimestamp is WEBHOOK_INVALID_TIMESTAMP (result number 41).
	CodeWebhookInvalidTimestamp = "WEBHOOK_INVALID_TIMESTAMP"
	// CodeWebhookTimestampTooOld is WEBHOOK_TIMESTAMP_TOO_OLD (result number 42).
	CodeWebhookTimestampTooOld = "WEBHOOK_TIMESTAMP_TOO_OLD"
	// CodeWebhookTimestampTooNew is WEBHOOK_TIMESTAMP_TOO_NEW (result number 43).
	CodeWebhookTimestampTooNew = "WEBHOOK_TIMESTAMP_TOO_NEW"
	// CodeWebhookInvalidSignatureHeader is WEBHOOK_INVALID_SIGNATURE_HEADER (result number 44).
	CodeWebhookInvalidSignatureHeader = "WEBHOOK_INVALID_SIGNATURE_HEADER"
	// CodeWebhookNoMatchingSignature is WEBHOOK_NO_MATCHING_SIGNATURE (result number 45).
	CodeWebhookNoMatchingSignature = "WEBHOOK_NO_MATCHING_SIGNATURE"
	// CodeWebhookInvalidSecret is WEBHOOK_INVALID_SECRET (result number 46).
	CodeWebhookInvalidSecret = "WEBHOOK_INVALID_SECRET"
	// CodeWebhookSecretEmpty is WEBHOOK_SECRET_EMPTY (result number 47).
	CodeWebhookSecretEmpty = "WEBHOOK_SECRET_EMPTY"
	// CodeWebhookSecretIsAPIKey is WEBHOOK_SECRET_IS_API_KEY (result number 48).
	CodeWebhookSecretIsAPIKey = "WEBHOOK_SECRET_IS_API_KEY"
	// CodeWebhookSecretIsSignature is WEBHOOK_SECRET_IS_SIGNATURE (result number 49).
	CodeWebhookSecretIsSignature = "WEBHOOK_SECRET_IS_SIGNATURE"
	// CodeWebhookInvalidPayload is WEBHOOK_INVALID_PAYLOAD (result number 50).
	CodeWebhookInvalidPayload = "WEBHOOK_INVALID_PAYLOAD"
	// CodeMissingAPIKey is MISSING_API_KEY (result number 60).
	CodeMissingAPIKey = "MISSING_API_KEY"
	// CodeInvalidAPIKey is INVALID_API_KEY (result number 61).
	CodeInvalidAPIKey = "INVALID_API_KEY"
	// CodeInvalidBaseURL is INVALID_BASE_URL (result number 62).
	CodeInvalidBaseURL = "INVALID_BASE_URL"
	// CodeInsecureBaseURL is INSECURE_BASE_URL (result number 63).
	CodeInsecureBaseURL = "INSECURE_BASE_URL"
	// CodeInvalidRequest is INVALID_REQUEST (result number 64).
	CodeInvalidRequest = "INVALID_REQUEST"
	// CodeConnectionError is CONNECTION_ERROR (result number 65).
	CodeConnectionError = "CONNECTION_ERROR"
	// CodeTimeout is TIMEOUT (result number 66).
	CodeTimeout = "TIMEOUT"
	// CodeInvalidResponse is INVALID_RESPONSE (result number 67).
	CodeInvalidResponse = "INVALID_RESPONSE"
	// CodeSendFailed is SEND_FAILED (result number 68).
	CodeSendFailed = "SEND_FAILED"
	// CodeAPIError is API_ERROR (result number 69).
	CodeAPIError = "API_ERROR"
	// CodeInvalidArgument is INVALID_ARGUMENT (result number 90).
	CodeInvalidArgument = "INVALID_ARGUMENT"
	// CodeInternalError is INTERNAL_ERROR (result number 91).
	CodeInternalError = "INTERNAL_ERROR"
)

// knownCodes lists every code constant, for the drift test against the C library's table.
func knownCodes() []string {
	return []string{
		CodeValidationError,
		CodeUnauthorized,
		CodeQuotaExceeded,
		CodeForbidden,
		CodeNotFound,
		CodeConflict,
		CodeRateLimited,
		CodeServerError,
		CodeProviderError,
		CodeMissingIdentifier,
		CodeIntegrationMissing,
		CodeAddonNotEnabled,
		CodeUnverifiedSender,
		CodeInvalidEmail,
		CodeInvalidPhone,
		CodeEventNotFound,
		CodeWebhookMissingHeader,
		CodeWebhookInvalidTimestamp,
		CodeWebhookTimestampTooOld,
		CodeWebhookTimestampTooNew,
		CodeWebhookInvalidSignatureHeader,
		CodeWebhookNoMatchingSignature,
		CodeWebhookInvalidSecret,
		CodeWebhookSecretEmpty,
		CodeWebhookSecretIsAPIKey,
		CodeWebhookSecretIsSignature,
		CodeWebhookInvalidPayload,
		CodeMissingAPIKey,
		CodeInvalidAPIKey,
		CodeInvalidBaseURL,
		CodeInsecureBaseURL,
		CodeInvalidRequest,
		CodeConnectionError,
		CodeTimeout,
		CodeInvalidResponse,
		CodeSendFailed,
		CodeAPIError,
		CodeInvalidArgument,
		CodeInternalError,
	}
}
