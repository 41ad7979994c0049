//! Standard Webhooks signing and verification. PLACEHOLDER — being implemented (issue 2).
