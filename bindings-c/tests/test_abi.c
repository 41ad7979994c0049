/* ABI tests that need no server: version, result codes, NULL arguments on every function,
 * client construction errors, validation, error objects. */
#include <stdint.h>

#include "test.h"

#define KEY "test_c_abi_0123456789abcdef"
/* Never contacted by these tests: the discard port, nothing listens. */
#define OFFLINE "{\"api_key\": \"" KEY "\", \"base_url\": \"http://127.0.0.1:9\", \"max_retries\": 0}"

static sendivent_client *make_client(void) {
  sendivent_client *client = NULL;
  sendivent_error *err = NULL;
  CHECK_RESULT(sendivent_client_new(OFFLINE, &client, &err), err, SENDIVENT_OK);
  CHECK(err == NULL);
  sendivent_error_free(err);
  return client;
}

static void test_version_and_codes(void) {
  const char *v = sendivent_version();
  CHECK(v != NULL && strlen(v) >= 5 && strchr(v, '.') != NULL);
  CHECK_STR(sendivent_result_name(SENDIVENT_OK), "OK");
  CHECK_STR(sendivent_result_name(SENDIVENT_ERR_VALIDATION_ERROR), "VALIDATION_ERROR");
  CHECK_STR(sendivent_result_name(SENDIVENT_ERR_INVALID_PHONE), "INVALID_PHONE");
  CHECK_STR(sendivent_result_name(SENDIVENT_ERR_WEBHOOK_NO_MATCHING_SIGNATURE), "WEBHOOK_NO_MATCHING_SIGNATURE");
  CHECK_STR(sendivent_result_name(SENDIVENT_ERR_INVALID_ARGUMENT), "INVALID_ARGUMENT");
  CHECK_STR(sendivent_result_name(SENDIVENT_ERR_INTERNAL_ERROR), "INTERNAL_ERROR");
  CHECK(sendivent_result_name(10) == NULL);
  CHECK(sendivent_result_name(UINT32_MAX) == NULL);
  CHECK_STR(sendivent_identifier_kind_name(SENDIVENT_IDENTIFIER_PHONE), "phone");
  CHECK_STR(sendivent_identifier_kind_name(SENDIVENT_IDENTIFIER_EXTERNAL_ID), "external_id");
  CHECK(sendivent_identifier_kind_name(0) == NULL);
}

/* Prints "<number> <NAME>" for every assigned result, for test.sh's header comparison. */
static void list_codes(void) {
  for (uint32_t n = 0; n < 1000; n++) {
    const char *name = sendivent_result_name(n);
    if (name) printf("%u %s\n", (unsigned)n, name);
  }
}

static void test_null_error_accessors(void) {
  CHECK_STR(sendivent_error_code(NULL), "INVALID_ARGUMENT");
  CHECK(sendivent_error_number(NULL) == SENDIVENT_ERR_INVALID_ARGUMENT);
  CHECK_STR(sendivent_error_class(NULL), "ValidationError");
  CHECK(!sendivent_error_is_a(NULL, "SendiventError"));
  CHECK(!sendivent_error_is_retryable(NULL));
  CHECK(sendivent_error_status(NULL) == 0);
  CHECK_STR(sendivent_error_message(NULL), "");
  CHECK_STR(sendivent_error_display(NULL), "");
  CHECK(sendivent_error_request_id(NULL) == NULL);
  CHECK_STR(sendivent_error_details_json(NULL), "{}");
  sendivent_error_free(NULL);
  sendivent_string_free(NULL);
  sendivent_client_free(NULL);
  sendivent_paginator_free(NULL);
}

/* Asserts a call failed with INVALID_ARGUMENT naming `arg`, and frees the error. */
static void expect_null_arg(sendivent_result res, sendivent_error *err, const char *arg, int line) {
  test_checks++;
  if (res != SENDIVENT_ERR_INVALID_ARGUMENT || !err || strcmp(sendivent_error_code(err), "INVALID_ARGUMENT") != 0 ||
      sendivent_error_number(err) != SENDIVENT_ERR_INVALID_ARGUMENT ||
      (arg && !strstr(sendivent_error_message(err), arg))) {
    test_failures++;
    fprintf(stderr, "line %d: expected INVALID_ARGUMENT about `%s`, got %u: %s\n", line, arg ? arg : "", (unsigned)res,
            err ? sendivent_error_message(err) : "(no error)");
  }
  sendivent_error_free(err);
}

#define NULL_ARG(call, arg)                    \
  do {                                         \
    sendivent_error *err = NULL;               \
    sendivent_result res_ = call;              \
    expect_null_arg(res_, err, arg, __LINE__); \
  } while (0)

static void test_null_arguments(sendivent_client *c) {
  char *out = (char *)"untouched";
  char *const sentinel = out;
  sendivent_client *client_out = NULL;
  sendivent_paginator *pages = NULL;
  sendivent_identifier_kind kind = 0;

  NULL_ARG(sendivent_client_new(NULL, NULL, &err), "out_client");
  CHECK(client_out == NULL);
  NULL_ARG(sendivent_client_debug_string(NULL, &out, &err), "client");
  NULL_ARG(sendivent_client_debug_string(c, NULL, &err), "out_text");

  /* The generated functions: required path parameters, the client and out_json. */
  NULL_ARG(sendivent_send(NULL, "e", NULL, "{}", NULL, &out, &err), "client");
  NULL_ARG(sendivent_send(c, NULL, NULL, "{}", NULL, &out, &err), "event");
  NULL_ARG(sendivent_send(c, "e", NULL, "{}", NULL, NULL, &err), "out_json");
  NULL_ARG(sendivent_contacts_list(NULL, NULL, NULL, &out, &err), "client");
  NULL_ARG(sendivent_contacts_list(c, NULL, NULL, NULL, &err), "out_json");
  NULL_ARG(sendivent_contacts_get(c, NULL, NULL, &out, &err), "identifier");
  NULL_ARG(sendivent_contacts_update(c, NULL, "{}", NULL, &out, &err), "identifier");
  NULL_ARG(sendivent_contacts_delete(c, NULL, NULL, &out, &err), "identifier");
  NULL_ARG(sendivent_contacts_remove_push_token(c, NULL, "{\"token\": \"t\"}", NULL, &out, &err), "identifier");
  NULL_ARG(sendivent_events_list(NULL, NULL, &out, &err), "client");
  NULL_ARG(sendivent_events_get(c, NULL, NULL, &out, &err), "identifier");
  NULL_ARG(sendivent_deliveries_list(c, NULL, NULL, NULL, &err), "out_json");
  NULL_ARG(sendivent_deliveries_trace(c, NULL, NULL, &out, &err), "uuid");
  NULL_ARG(sendivent_integrations_list(NULL, NULL, NULL, &out, &err), "client");
  NULL_ARG(sendivent_webhooks_get(c, NULL, NULL, &err), "out_json");
  NULL_ARG(sendivent_webhooks_update(c, NULL, "{}", NULL, &out, &err), "uuid");
  NULL_ARG(sendivent_webhooks_delete(c, NULL, NULL, &out, &err), "uuid");
  /* The generic entry points. */
  NULL_ARG(sendivent_call(NULL, "events.list", NULL, NULL, &out, &err), "client");
  NULL_ARG(sendivent_call(c, NULL, NULL, NULL, &out, &err), "op_name");
  NULL_ARG(sendivent_call(c, "events.list", NULL, NULL, NULL, &err), "out_json");
  NULL_ARG(sendivent_paginator_new(NULL, "contacts.list", NULL, NULL, &pages, &err), "client");
  NULL_ARG(sendivent_paginator_new(c, NULL, NULL, NULL, &pages, &err), "op_name");
  NULL_ARG(sendivent_paginator_new(c, "contacts.list", NULL, NULL, NULL, &err), "out_paginator");
  NULL_ARG(sendivent_paginator_next(NULL, &out, &err), "paginator");
  NULL_ARG(sendivent_send_many(NULL, "[]", NULL, NULL, &out, &err), "client");
  NULL_ARG(sendivent_send_many(c, NULL, NULL, NULL, &out, &err), "items_json");
  NULL_ARG(sendivent_send_many(c, "[]", NULL, NULL, NULL, &err), "out_json");
  NULL_ARG(sendivent_redact(NULL, &out, &err), "secret");
  NULL_ARG(sendivent_redact("test_x", NULL, &err), "out_redacted");
  NULL_ARG(sendivent_error_from_code(NULL, "m", &err), "code");
  /* Validation and decoding. */
  NULL_ARG(sendivent_validate_email(NULL, &out, &err), "input");
  NULL_ARG(sendivent_validate_email("a@b.se", NULL, &err), "out_normalized");
  NULL_ARG(sendivent_validate_phone(NULL, &out, &err), "input");
  NULL_ARG(sendivent_validate_phone("+46701234567", NULL, &err), "out_e164");
  NULL_ARG(sendivent_resolve_identifier(NULL, &kind, &out, &err), "input");
  NULL_ARG(sendivent_resolve_identifier("x", NULL, &out, &err), "out_kind");
  NULL_ARG(sendivent_resolve_identifier("x", &kind, NULL, &err), "out_value");
  NULL_ARG(sendivent_decode_response(NULL, "{}", &out, &err), "kind");
  NULL_ARG(sendivent_decode_response("send", NULL, &out, &err), "json");
  NULL_ARG(sendivent_decode_response("send", "{}", NULL, &err), "out_json");
  NULL_ARG(sendivent_resolve_recipient(NULL, "slack", &kind, &out, &err), "input");
  NULL_ARG(sendivent_resolve_recipient("x", NULL, NULL, &out, &err), "out_kind");
  NULL_ARG(sendivent_resolve_recipient("x", "slack", &kind, NULL, &err), "out_value");
  NULL_ARG(sendivent_prepare_send(NULL, NULL, &out, &err), "body_json");
  NULL_ARG(sendivent_prepare_send("{}", "email", NULL, &err), "out_json");
  /* Out-parameters are written only on success. */
  CHECK(out == sentinel);
  CHECK(kind == 0);
  CHECK(pages == NULL);

  /* out_err is optional: a NULL out_err still gets the result code. */
  CHECK(sendivent_send(c, NULL, NULL, "{}", NULL, &out, NULL) == SENDIVENT_ERR_INVALID_ARGUMENT);
  CHECK(sendivent_validate_phone(NULL, &out, NULL) == SENDIVENT_ERR_INVALID_ARGUMENT);
  CHECK(out == sentinel);
}

static void test_invalid_utf8_and_json(sendivent_client *c) {
  char *out = NULL;
  sendivent_error *err = NULL;
  CHECK_RESULT(sendivent_validate_email("ad\xff@example.com", &out, &err), err, SENDIVENT_ERR_INVALID_ARGUMENT);
  CHECK(strstr(sendivent_error_message(err), "UTF-8") != NULL);
  sendivent_error_free(err);

  err = NULL;
  CHECK_RESULT(sendivent_send(c, "user.welcome", NULL, "{not json", NULL, &out, &err), err,
               SENDIVENT_ERR_INVALID_REQUEST);
  CHECK_STR(sendivent_error_code(err), "INVALID_REQUEST");
  CHECK_STR(sendivent_error_class(err), "ValidationError");
  CHECK(sendivent_error_status(err) == 0);
  sendivent_error_free(err);

  /* Options that are not JSON, unknown, or out of bounds: INVALID_ARGUMENT before any request. */
  const char *bad_options[] = {"{", "[]", "{\"timout\": 5}", "{\"timeout\": 0}", "{\"max_retries\": 11}"};
  for (size_t i = 0; i < sizeof bad_options / sizeof bad_options[0]; i++) {
    err = NULL;
    CHECK_RESULT(sendivent_events_list(c, bad_options[i], &out, &err), err, SENDIVENT_ERR_INVALID_ARGUMENT);
    sendivent_error_free(err);
  }

  /* Recipients are validated before anything is sent (the base URL is unreachable). */
  err = NULL;
  CHECK_RESULT(sendivent_send(c, "user.welcome", NULL, "{\"to\": \"0701234567 8\", \"payload\": {}}", NULL, &out, &err),
               err, SENDIVENT_ERR_INVALID_PHONE);
  CHECK_STR(sendivent_error_class(err), "InvalidPhoneError");
  CHECK(sendivent_error_is_a(err, "ValidationError") && sendivent_error_is_a(err, "SendiventError"));
  CHECK(!sendivent_error_is_a(err, "APIError") && !sendivent_error_is_a(err, "NoSuchError"));
  sendivent_error_free(err);
  err = NULL;
  CHECK_RESULT(sendivent_send(c, "user.welcome", "email", "{\"to\": \"nobody@\", \"payload\": {}}", NULL, &out, &err),
               err, SENDIVENT_ERR_INVALID_EMAIL);
  CHECK_STR(sendivent_error_code(err), "INVALID_EMAIL");
  sendivent_error_free(err);
  err = NULL;
  CHECK_RESULT(
      sendivent_send(c, "user.welcome", NULL, "{\"to\": \"ada@example.com\", \"payload\": [1]}", NULL, &out, &err), err,
      SENDIVENT_ERR_VALIDATION_ERROR);
  sendivent_error_free(err);
  err = NULL;
  CHECK_RESULT(sendivent_contacts_list(c, "{\"limit\": 1000}", NULL, &out, &err), err, SENDIVENT_ERR_VALIDATION_ERROR);
  sendivent_error_free(err);
  err = NULL;
  CHECK_RESULT(sendivent_contacts_list(c, "[1]", NULL, &out, &err), err, SENDIVENT_ERR_INVALID_REQUEST);
  sendivent_error_free(err);
  err = NULL;
  CHECK_RESULT(sendivent_contacts_create(c, "{\"name\": \"No Identifier\"}", NULL, &out, &err), err,
               SENDIVENT_ERR_VALIDATION_ERROR);
  sendivent_error_free(err);
  /* An operation that needs a body, without one; a generic call with an unknown operation or argument. */
  err = NULL;
  CHECK_RESULT(sendivent_webhooks_create(c, NULL, NULL, &out, &err), err, SENDIVENT_ERR_INVALID_REQUEST);
  sendivent_error_free(err);
  err = NULL;
  CHECK_RESULT(sendivent_call(c, "contacts.fetch", NULL, NULL, &out, &err), err, SENDIVENT_ERR_INVALID_REQUEST);
  CHECK(strstr(sendivent_error_message(err), "contacts.get") != NULL);
  sendivent_error_free(err);
  err = NULL;
  CHECK_RESULT(sendivent_call(c, "events.list", "{\"limit\": 1}", NULL, &out, &err), err,
               SENDIVENT_ERR_INVALID_REQUEST);
  sendivent_error_free(err);
  err = NULL;
  CHECK_RESULT(sendivent_call(c, "contacts.get", "{\"identifier\": \"..\"}", NULL, &out, &err), err,
               SENDIVENT_ERR_VALIDATION_ERROR);
  sendivent_error_free(err);
  /* Only list operations paginate. */
  sendivent_paginator *pages = NULL;
  err = NULL;
  CHECK_RESULT(sendivent_paginator_new(c, "events.list", NULL, NULL, &pages, &err), err, SENDIVENT_ERR_INVALID_REQUEST);
  CHECK(pages == NULL);
  sendivent_error_free(err);
  /* send_many: a list that is not an array, a concurrency out of bounds; an empty list is fine. */
  err = NULL;
  CHECK_RESULT(sendivent_send_many(c, "{}", NULL, NULL, &out, &err), err, SENDIVENT_ERR_INVALID_REQUEST);
  sendivent_error_free(err);
  double zero = 0;
  err = NULL;
  CHECK_RESULT(sendivent_send_many(c, "[]", &zero, NULL, &out, &err), err, SENDIVENT_ERR_INVALID_ARGUMENT);
  sendivent_error_free(err);
  out = NULL;
  CHECK_RESULT(sendivent_send_many(c, "[]", NULL, NULL, &out, NULL), NULL, SENDIVENT_OK);
  CHECK_STR(out, "[]");
  sendivent_string_free(out);
  /* A malformed item is that item's error; the call succeeds. */
  out = NULL;
  CHECK_RESULT(sendivent_send_many(c, "[{\"evnt\": \"x\"}]", NULL, NULL, &out, NULL), NULL, SENDIVENT_OK);
  CHECK(out && strstr(out, "\"error\"") && strstr(out, "INVALID_REQUEST"));
  sendivent_string_free(out);
}

static void test_client_construction(void) {
  sendivent_client *client = NULL;
  sendivent_error *err = NULL;

  CHECK_RESULT(sendivent_client_new("{\"api_key\": \"sk_live_wrong_prefix_1234\"}", &client, &err), err,
               SENDIVENT_ERR_INVALID_API_KEY);
  CHECK(client == NULL);
  CHECK_STR(sendivent_error_class(err), "ConfigurationError");
  /* The key never appears in messages: at most its last four characters. */
  CHECK(err && strstr(sendivent_error_message(err), "wrong_prefix") == NULL);
  CHECK(err && strstr(sendivent_error_details_json(err), "wrong_prefix") == NULL);
  sendivent_error_free(err);

  err = NULL;
  CHECK_RESULT(sendivent_client_new("{\"api_key\": \"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\"}", &client, &err), err,
               SENDIVENT_ERR_INVALID_API_KEY);
  sendivent_error_free(err);

  err = NULL;
  const char *insecure = "{\"api_key\": \"" KEY "\", \"base_url\": \"http://api.example.com\"}";
  CHECK_RESULT(sendivent_client_new(insecure, &client, &err), err, SENDIVENT_ERR_INSECURE_BASE_URL);
  sendivent_error_free(err);
  const char *allowed = "{\"api_key\": \"" KEY
                        "\", \"base_url\": \"http://api.example.com\", "
                        "\"allow_insecure_http\": true, \"timeout\": 2.5, \"rate_limit\": \"documented\", "
                        "\"default_headers\": {\"X-Team\": \"c\"}, \"log_level\": \"off\"}";
  CHECK_RESULT(sendivent_client_new(allowed, &client, NULL), NULL, SENDIVENT_OK);
  /* The client's description redacts its key. */
  char *text = NULL;
  CHECK_RESULT(sendivent_client_debug_string(client, &text, NULL), NULL, SENDIVENT_OK);
  CHECK(text &&
        strstr(text,
               "test_\xe2\x80\xa6"
               "cdef") != NULL &&
        strstr(text, "0123456789") == NULL);
  sendivent_string_free(text);
  sendivent_client_free(client);
  client = NULL;

  err = NULL;
  CHECK_RESULT(sendivent_client_new("{\"api_key\": \"" KEY "\", \"base_url\": \"not a url\"}", &client, &err), err,
               SENDIVENT_ERR_INVALID_BASE_URL);
  sendivent_error_free(err);

  /* An explicit timeout of 0 is refused (it never means "the default"), as in every language. */
  err = NULL;
  CHECK_RESULT(sendivent_client_new("{\"api_key\": \"" KEY "\", \"timeout\": 0}", &client, &err), err,
               SENDIVENT_ERR_INVALID_ARGUMENT);
  CHECK(strstr(sendivent_error_message(err), "timeout") != NULL);
  sendivent_error_free(err);
  err = NULL;
  CHECK_RESULT(sendivent_client_new("not json", &client, &err), err, SENDIVENT_ERR_INVALID_ARGUMENT);
  sendivent_error_free(err);

  /* No key and no SENDIVENT_API_KEY. */
  err = NULL;
  char *saved = getenv("SENDIVENT_API_KEY") ? strdup(getenv("SENDIVENT_API_KEY")) : NULL;
  unsetenv("SENDIVENT_API_KEY");
  CHECK_RESULT(sendivent_client_new(NULL, &client, &err), err, SENDIVENT_ERR_MISSING_API_KEY);
  sendivent_error_free(err);
  if (saved) {
    setenv("SENDIVENT_API_KEY", saved, 1);
    free(saved);
  }
  CHECK(client == NULL);
}

static void test_validation(void) {
  char *out = NULL;
  sendivent_error *err = NULL;
  sendivent_identifier_kind kind = 0;

  CHECK_RESULT(sendivent_validate_phone(" +46 70-123 45 67 ", &out, &err), err, SENDIVENT_OK);
  CHECK_STR(out, "+46701234567");
  sendivent_string_free(out);
  out = NULL;

  CHECK_RESULT(sendivent_validate_phone("0701234567", &out, &err), err, SENDIVENT_ERR_INVALID_PHONE);
  CHECK(out == NULL);
  CHECK_STR(sendivent_error_code(err), "INVALID_PHONE");
  CHECK(sendivent_error_number(err) == SENDIVENT_ERR_INVALID_PHONE);
  CHECK(strstr(sendivent_error_message(err), "country code") != NULL);
  CHECK(strncmp(sendivent_error_display(err), "INVALID_PHONE: ", 15) == 0);
  CHECK(sendivent_error_status(err) == 0);
  CHECK(sendivent_error_request_id(err) == NULL);
  CHECK(!sendivent_error_is_retryable(err));
  CHECK(strstr(sendivent_error_details_json(err), "\"class\":\"InvalidPhoneError\"") != NULL);
  sendivent_error_free(err);
  err = NULL;

  CHECK_RESULT(sendivent_validate_email("Ada@Example.COM", &out, &err), err, SENDIVENT_OK);
  CHECK_STR(out, "Ada@example.com");
  sendivent_string_free(out);
  out = NULL;
  CHECK_RESULT(sendivent_validate_email("ada@", &out, &err), err, SENDIVENT_ERR_INVALID_EMAIL);
  sendivent_error_free(err);
  err = NULL;

  CHECK_RESULT(sendivent_resolve_identifier("U024BE7LH", &kind, &out, &err), err, SENDIVENT_OK);
  CHECK(kind == SENDIVENT_IDENTIFIER_SLACK_USER);
  CHECK_STR(out, "U024BE7LH");
  sendivent_string_free(out);
  CHECK_RESULT(sendivent_resolve_identifier("#alerts", &kind, &out, &err), err, SENDIVENT_OK);
  CHECK(kind == SENDIVENT_IDENTIFIER_SLACK_CHANNEL);
  sendivent_string_free(out);
  CHECK_RESULT(sendivent_resolve_identifier("3F2504E0-4F89-11D3-9A0C-0305E82C3301", &kind, &out, &err), err,
               SENDIVENT_OK);
  CHECK(kind == SENDIVENT_IDENTIFIER_UUID);
  CHECK_STR(out, "3f2504e0-4f89-11d3-9a0c-0305e82c3301");
  sendivent_string_free(out);
  CHECK_RESULT(sendivent_resolve_identifier("12345", &kind, &out, &err), err, SENDIVENT_OK);
  CHECK(kind == SENDIVENT_IDENTIFIER_EXTERNAL_ID);
  sendivent_string_free(out);
  out = NULL;
  kind = 0;
  CHECK_RESULT(sendivent_resolve_identifier("   ", &kind, &out, &err), err, SENDIVENT_ERR_VALIDATION_ERROR);
  CHECK(kind == 0 && out == NULL);
  sendivent_error_free(err);

  /* Core's redaction. */
  CHECK_RESULT(sendivent_redact("live_abcdefghijkl1234", &out, NULL), NULL, SENDIVENT_OK);
  CHECK_STR(out,
            "live_\xe2\x80\xa6"
            "1234");
  sendivent_string_free(out);
}

static void test_decode_response(void) {
  char *out = NULL;
  sendivent_error *err = NULL;
  CHECK_RESULT(sendivent_decode_response("send",
                                         "{\"success\": true, \"deliveries\": [{\"email\": \"u1\"}, {\"fax\": \"u2\"}],"
                                         " \"brand_new_field\": 1}",
                                         &out, &err),
               err, SENDIVENT_OK);
  CHECK(out && strstr(out, "brand_new_field") == NULL && strstr(out, "\"channel\":\"fax\"") != NULL);
  /* The message of a shape error names the field. */
  sendivent_string_free(out);
  out = NULL;
  CHECK_RESULT(sendivent_decode_response("no_such_kind", "{}", &out, &err), err, SENDIVENT_ERR_INVALID_REQUEST);
  CHECK(err && strstr(sendivent_error_message(err), "no_such_kind") != NULL);
  sendivent_error_free(err);
  err = NULL;
  CHECK_RESULT(sendivent_decode_response("send", "{\"deliveries\": []}", &out, &err), err,
               SENDIVENT_ERR_INVALID_RESPONSE);
  CHECK_STR(sendivent_error_class(err), "InvalidResponseError");
  sendivent_error_free(err);
  CHECK(out == NULL);
}

static void test_error_hooks(void) {
  sendivent_error *err = NULL;
  CHECK_RESULT(sendivent_error_from_answer(404, NULL, "{\"error\": \"Contact 'x' not found\", \"code\": \"NOT_FOUND\"}",
                                           false, &err),
               err, SENDIVENT_ERR_NOT_FOUND);
  CHECK_STR(sendivent_error_class(err), "NotFoundError");
  CHECK(sendivent_error_is_a(err, "APIError"));
  CHECK(sendivent_error_status(err) == 404);
  CHECK_STR(sendivent_error_message(err), "Contact 'x' not found");
  sendivent_error_free(err);
  err = NULL;
  CHECK_RESULT(sendivent_error_from_answer(503, "[[\"Retry-After\", \"3\"]]", NULL, false, &err), err,
               SENDIVENT_ERR_SERVER_ERROR);
  CHECK(sendivent_error_is_retryable(err));
  CHECK(strstr(sendivent_error_details_json(err), "\"retry_after\":3") != NULL);
  sendivent_error_free(err);
  err = NULL;
  CHECK_RESULT(sendivent_error_from_answer(500, "{\"not\": \"pairs\"}", NULL, false, &err), err,
               SENDIVENT_ERR_INVALID_ARGUMENT);
  sendivent_error_free(err);
  err = NULL;
  CHECK_RESULT(sendivent_error_from_code("TIMEOUT", "m", &err), err, SENDIVENT_ERR_TIMEOUT);
  CHECK_STR(sendivent_error_class(err), "APITimeoutError");
  CHECK(sendivent_error_is_a(err, "APIConnectionError"));
  sendivent_error_free(err);
  err = NULL;
  CHECK_RESULT(sendivent_error_from_code("NO_SUCH_CODE", "m", &err), err, SENDIVENT_ERR_INVALID_ARGUMENT);
  sendivent_error_free(err);
}

#define WH_SECRET "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
#define WH_BODY                                                                                            \
  "{\"event\":\"delivery.sent\",\"delivery\":{\"uuid\":\"d1\",\"channel\":\"email\",\"status\":\"sent\"}," \
  "\"request_id\":\"r1\",\"timestamp\":\"2026-11-28T12:00:00Z\"}"

static void test_webhook_abi(void) {
  /* The Standard Webhooks reference vector. */
  const char *ref_body = "{\"test\": 2432232314}";
  char *sig = NULL;
  sendivent_error *err = NULL;
  CHECK_RESULT(sendivent_webhook_sign(WH_SECRET, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, (const uint8_t *)ref_body,
                                      strlen(ref_body), &sig, &err),
               err, SENDIVENT_OK);
  CHECK_STR(sig, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
  sendivent_string_free(sig);

  const int64_t now = 1700000000;
  sig = NULL;
  CHECK_RESULT(sendivent_webhook_sign(WH_SECRET, "msg_1", now, (const uint8_t *)WH_BODY, strlen(WH_BODY), &sig, &err),
               err, SENDIVENT_OK);
  sendivent_webhook_header headers[] = {
      {"Content-Type", "application/json"},
      {"Webhook-Id", "msg_1"},
      {"WEBHOOK-TIMESTAMP", "1700000000"},
      {"webhook-signature", sig},
  };
  sendivent_verify_options opts = sendivent_verify_options_default();
  CHECK(opts.tolerance == 300 && !opts.use_now && !opts.skip_timestamp_check);
  opts.use_now = true;
  opts.now = now + 60;
  CHECK_RESULT(sendivent_webhook_verify(WH_SECRET, (const uint8_t *)WH_BODY, strlen(WH_BODY), headers, 4, &opts, &err),
               err, SENDIVENT_OK);

  char *event = NULL;
  CHECK_RESULT(sendivent_webhook_verify_event(WH_SECRET, (const uint8_t *)WH_BODY, strlen(WH_BODY), headers, 4, &opts,
                                              &event, &err),
               err, SENDIVENT_OK);
  CHECK(event && strstr(event, "\"event\":\"delivery.sent\"") && strstr(event, "\"uuid\":\"d1\""));
  sendivent_string_free(event);

  /* A changed body, a stale and a future timestamp, a missing header, bad secrets. */
  struct {
    const char *body;
    int64_t now;
    size_t nheaders;
    const char *secret;
    sendivent_result expected;
  } cases[] = {
      {"{\"event\":\"delivery.failed\"}", now, 4, WH_SECRET, SENDIVENT_ERR_WEBHOOK_NO_MATCHING_SIGNATURE},
      {WH_BODY, now + 301, 4, WH_SECRET, SENDIVENT_ERR_WEBHOOK_TIMESTAMP_TOO_OLD},
      {WH_BODY, now - 301, 4, WH_SECRET, SENDIVENT_ERR_WEBHOOK_TIMESTAMP_TOO_NEW},
      {WH_BODY, now, 3, WH_SECRET, SENDIVENT_ERR_WEBHOOK_MISSING_HEADER},
      {WH_BODY, now, 4, "", SENDIVENT_ERR_WEBHOOK_SECRET_EMPTY},
      {WH_BODY, now, 4, "test_0123456789abcdef", SENDIVENT_ERR_WEBHOOK_SECRET_IS_API_KEY},
      {WH_BODY, now, 4, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", SENDIVENT_ERR_WEBHOOK_SECRET_IS_SIGNATURE},
      {WH_BODY, now, 4, "whsec_not*base64!", SENDIVENT_ERR_WEBHOOK_INVALID_SECRET},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    err = NULL;
    opts.now = cases[i].now;
    CHECK_RESULT(sendivent_webhook_verify(cases[i].secret, (const uint8_t *)cases[i].body, strlen(cases[i].body),
                                          headers, cases[i].nheaders, &opts, &err),
                 err, cases[i].expected);
    CHECK(err != NULL && sendivent_error_number(err) == cases[i].expected);
    /* Secrets never appear in messages. */
    CHECK(err && strstr(sendivent_error_message(err), "MfKQ9r8GKYqrTwjUPD8ILPZIo2") == NULL);
    sendivent_error_free(err);
  }
  /* Tolerance 0 never disables the check; skipping it is its own option. */
  opts.now = now + 1;
  opts.tolerance = 0;
  CHECK(sendivent_webhook_verify(WH_SECRET, (const uint8_t *)WH_BODY, strlen(WH_BODY), headers, 4, &opts, NULL) ==
        SENDIVENT_ERR_WEBHOOK_TIMESTAMP_TOO_OLD);
  opts.skip_timestamp_check = true;
  CHECK(sendivent_webhook_verify(WH_SECRET, (const uint8_t *)WH_BODY, strlen(WH_BODY), headers, 4, &opts, NULL) ==
        SENDIVENT_OK);
  opts = sendivent_verify_options_default();
  opts.use_now = true;
  opts.now = now;

  /* A valid signature over a body that is not an event. */
  const char *not_event = "[1, 2]";
  char *sig2 = NULL;
  CHECK_RESULT(
      sendivent_webhook_sign(WH_SECRET, "msg_2", now, (const uint8_t *)not_event, strlen(not_event), &sig2, NULL), NULL,
      SENDIVENT_OK);
  sendivent_webhook_header h2[] = {
      {"webhook-id", "msg_2"}, {"webhook-timestamp", "1700000000"}, {"webhook-signature", sig2}};
  CHECK_RESULT(sendivent_webhook_verify((WH_SECRET), (const uint8_t *)not_event, strlen(not_event), h2, 3, &opts, NULL),
               NULL, SENDIVENT_OK);
  event = NULL;
  err = NULL;
  CHECK_RESULT(sendivent_webhook_verify_event(WH_SECRET, (const uint8_t *)not_event, strlen(not_event), h2, 3, &opts,
                                              &event, &err),
               err, SENDIVENT_ERR_WEBHOOK_INVALID_PAYLOAD);
  CHECK(event == NULL);
  sendivent_error_free(err);
  sendivent_string_free(sig2);

  /* A verifier with two secrets (rotation). */
  const char *secrets[] = {"whsec_C2FnZS1zZWNyZXQtZm9yLXJvdGF0aW9uLTAwMQ==", WH_SECRET};
  sendivent_webhook_verifier *verifier = NULL;
  CHECK_RESULT(sendivent_webhook_verifier_new(secrets, 2, &verifier, &err), err, SENDIVENT_OK);
  CHECK_RESULT(
      sendivent_webhook_verifier_verify(verifier, (const uint8_t *)WH_BODY, strlen(WH_BODY), headers, 4, &opts, &err),
      err, SENDIVENT_OK);
  event = NULL;
  CHECK_RESULT(
      sendivent_webhook_verifier_verify_event(verifier, (const uint8_t *)WH_BODY, strlen(WH_BODY), headers, 4,
                                              NULL /* system clock: the 2023 timestamp is too old */, &event, &err),
      err, SENDIVENT_ERR_WEBHOOK_TIMESTAMP_TOO_OLD);
  sendivent_error_free(err);
  /* Its description shows each secret redacted. */
  char *text = NULL;
  CHECK_RESULT(sendivent_webhook_verifier_debug_string(verifier, &text, NULL), NULL, SENDIVENT_OK);
  CHECK(text &&
        strstr(text,
               "whsec_\xe2\x80\xa6"
               "LaSw") != NULL &&
        strstr(text, "MfKQ9r8GKYqr") == NULL);
  sendivent_string_free(text);
  sendivent_webhook_verifier_free(verifier);
  sendivent_webhook_verifier_free(NULL);

  /* A tolerance out of its bounds is refused before any check. */
  opts.tolerance = -1;
  CHECK(sendivent_webhook_verify(WH_SECRET, (const uint8_t *)WH_BODY, strlen(WH_BODY), headers, 4, &opts, NULL) ==
        SENDIVENT_ERR_INVALID_ARGUMENT);
  opts.tolerance = 1e20;
  CHECK(sendivent_webhook_verify(WH_SECRET, (const uint8_t *)WH_BODY, strlen(WH_BODY), headers, 4, &opts, NULL) ==
        SENDIVENT_ERR_INVALID_ARGUMENT);
  opts = sendivent_verify_options_default();
  opts.use_now = true;
  opts.now = now;

  /* NULL arguments. */
  sendivent_webhook_header bad[] = {{NULL, "x"}};
  NULL_ARG(sendivent_webhook_verify(NULL, (const uint8_t *)"{}", 2, headers, 4, &opts, &err), "secret");
  NULL_ARG(sendivent_webhook_verify(WH_SECRET, NULL, 2, headers, 4, &opts, &err), "body");
  NULL_ARG(sendivent_webhook_verify(WH_SECRET, (const uint8_t *)"{}", 2, NULL, 4, &opts, &err), "headers");
  NULL_ARG(sendivent_webhook_verify(WH_SECRET, (const uint8_t *)"{}", 2, bad, 1, &opts, &err), "headers[0].name");
  NULL_ARG(sendivent_webhook_verify_event(WH_SECRET, (const uint8_t *)"{}", 2, headers, 4, &opts, NULL, &err),
           "out_event_json");
  NULL_ARG(sendivent_webhook_sign(NULL, "m", 1, (const uint8_t *)"{}", 2, &sig2, &err), "secret");
  NULL_ARG(sendivent_webhook_sign(WH_SECRET, NULL, 1, (const uint8_t *)"{}", 2, &sig2, &err), "msg_id");
  NULL_ARG(sendivent_webhook_sign(WH_SECRET, "m", 1, (const uint8_t *)"{}", 2, NULL, &err), "out_signature");
  NULL_ARG(sendivent_webhook_verifier_new(NULL, 1, &verifier, &err), "secrets");
  NULL_ARG(sendivent_webhook_verifier_new(secrets, 2, NULL, &err), "out_verifier");
  NULL_ARG(sendivent_webhook_verifier_verify(NULL, (const uint8_t *)"{}", 2, headers, 4, &opts, &err), "verifier");
  /* An empty body may be NULL. */
  CHECK(sendivent_webhook_verify(WH_SECRET, NULL, 0, headers, 4, &opts, NULL) ==
        SENDIVENT_ERR_WEBHOOK_NO_MATCHING_SIGNATURE);
  sendivent_string_free(sig);
}

/* A replay store kept by the caller: a fixed table of keys, a call counter, and a switch that
 * makes it fail like an unreachable database. */
struct test_store {
  char keys[8][128];
  int count;
  int calls;
  int freed;
  int failing;
  double last_ttl;
  int64_t last_now;
};

static bool test_store_insert(void *userdata, const char *key, double ttl_seconds, int64_t now, char *error_buf,
                              size_t error_buf_len) {
  struct test_store *store = userdata;
  store->calls++;
  store->last_ttl = ttl_seconds;
  store->last_now = now;
  if (store->failing) {
    snprintf(error_buf, error_buf_len, "connection refused by the test store");
    return true; /* ignored: the message decides */
  }
  for (int i = 0; i < store->count; i++)
    if (strcmp(store->keys[i], key) == 0) return false;
  if (store->count < 8) snprintf(store->keys[store->count++], sizeof store->keys[0], "%s", key);
  return true;
}

static void test_store_free(void *userdata) { ((struct test_store *)userdata)->freed++; }

static void test_replay_guard(void) {
  const int64_t now = 1700000000;
  char *sig = NULL;
  CHECK_RESULT(sendivent_webhook_sign(WH_SECRET, "msg_r1", now, (const uint8_t *)WH_BODY, strlen(WH_BODY), &sig, NULL),
               NULL, SENDIVENT_OK);
  sendivent_webhook_header headers[] = {
      {"webhook-id", "msg_r1"}, {"webhook-timestamp", "1700000000"}, {"webhook-signature", sig}};
  sendivent_verify_options opts = sendivent_verify_options_default();
  opts.use_now = true;
  opts.now = now + 10;
  const uint8_t *body = (const uint8_t *)WH_BODY;
  size_t len = strlen(WH_BODY);
  /* Rotation: the new secret first, the old one (which signed) second. */
  const char *secrets[] = {"whsec_C2FnZS1zZWNyZXQtZm9yLXJvdGF0aW9uLTAwMQ==", WH_SECRET};
  sendivent_webhook_verifier *verifier = NULL;
  CHECK_RESULT(sendivent_webhook_verifier_new(secrets, 2, &verifier, NULL), NULL, SENDIVENT_OK);

  /* Which secret matched: the second, by index and fingerprint. */
  char *verified = NULL;
  sendivent_error *err = NULL;
  CHECK_RESULT(sendivent_webhook_verifier_verify_detailed(verifier, body, len, headers, 3, &opts, &verified, &err), err,
               SENDIVENT_OK);
  CHECK(verified && strstr(verified, "\"secret_index\":1") && strstr(verified, "\"secret_fingerprint\":\"whsec:") &&
        strstr(verified, "\"msg_id\":\"msg_r1\"") && strstr(verified, "\"timestamp\":1700000000"));
  CHECK(verified && !strstr(verified, "MfKQ9r8GKYqr"));
  sendivent_string_free(verified);

  /* In memory: the first delivery passes, the second is a duplicate, not a verification failure. */
  sendivent_replay_guard *memory = NULL;
  CHECK_RESULT(sendivent_replay_guard_new_memory(0, NULL, &memory, &err), err, SENDIVENT_OK);
  verified = NULL;
  CHECK_RESULT(sendivent_webhook_verifier_verify_once(verifier, memory, body, len, headers, 3, &opts, &verified, &err),
               err, SENDIVENT_OK);
  CHECK(verified && strstr(verified, "\"secret_index\":1"));
  sendivent_string_free(verified);
  verified = NULL;
  CHECK_RESULT(sendivent_webhook_verifier_verify_once(verifier, memory, body, len, headers, 3, &opts, &verified, &err),
               err, SENDIVENT_ERR_WEBHOOK_DUPLICATE);
  CHECK(verified == NULL);
  CHECK_STR(sendivent_error_class(err), "WebhookDuplicateError");
  CHECK(sendivent_error_is_a(err, "SendiventError") && !sendivent_error_is_a(err, "WebhookVerificationError"));
  CHECK(!sendivent_error_is_retryable(err) && strstr(sendivent_error_message(err), "msg_r1"));
  sendivent_error_free(err);
  err = NULL;
  /* A forgery of the recorded id fails its signature, not as a duplicate. */
  CHECK(sendivent_webhook_verifier_verify_once(verifier, memory, (const uint8_t *)"{}", 2, headers, 3, &opts, NULL,
                                               NULL) == SENDIVENT_ERR_WEBHOOK_NO_MATCHING_SIGNATURE);
  /* The event form: the event, and no verification output when none is asked for. */
  char *sig3 = NULL, *event = NULL;
  CHECK_RESULT(sendivent_webhook_sign(WH_SECRET, "msg_r3", now, body, len, &sig3, NULL), NULL, SENDIVENT_OK);
  sendivent_webhook_header h3[] = {
      {"webhook-id", "msg_r3"}, {"webhook-timestamp", "1700000000"}, {"webhook-signature", sig3}};
  CHECK_RESULT(
      sendivent_webhook_verifier_verify_event_once(verifier, memory, body, len, h3, 3, &opts, &event, NULL, &err), err,
      SENDIVENT_OK);
  CHECK(event && strstr(event, "\"event\":\"delivery.sent\""));
  sendivent_string_free(event);
  event = NULL;
  CHECK(sendivent_webhook_verifier_verify_event_once(verifier, memory, body, len, h3, 3, &opts, &event, NULL, NULL) ==
        SENDIVENT_ERR_WEBHOOK_DUPLICATE);
  CHECK(event == NULL);

  /* The caller's store: called with the namespaced key and the window's ttl; freed with the guard. */
  struct test_store store = {0};
  sendivent_replay_guard *custom = NULL;
  CHECK_RESULT(sendivent_replay_guard_new_custom(test_store_insert, &store, test_store_free, "shop:", &custom, &err),
               err, SENDIVENT_OK);
  CHECK(sendivent_webhook_verifier_verify_once(verifier, custom, body, len, headers, 3, &opts, NULL, NULL) ==
        SENDIVENT_OK);
  CHECK(store.count == 1 && strcmp(store.keys[0], "shop:msg_r1") == 0);
  CHECK(store.last_now == now + 10 && store.last_ttl == 300 + 1 - 10);
  CHECK(sendivent_webhook_verifier_verify_once(verifier, custom, body, len, headers, 3, &opts, NULL, NULL) ==
        SENDIVENT_ERR_WEBHOOK_DUPLICATE);
  /* A store that fails: REPLAY_STORE_ERROR (retryable: answer 5xx), with the store's message. */
  store.failing = 1;
  CHECK_RESULT(sendivent_webhook_verifier_verify_once(verifier, custom, body, len, h3, 3, &opts, NULL, &err), err,
               SENDIVENT_ERR_REPLAY_STORE_ERROR);
  CHECK_STR(sendivent_error_class(err), "ReplayStoreError");
  CHECK(sendivent_error_is_retryable(err) &&
        strstr(sendivent_error_message(err), "connection refused by the test store"));
  sendivent_error_free(err);
  err = NULL;
  CHECK(store.calls == 3 && store.freed == 0);
  sendivent_replay_guard_free(custom);
  CHECK(store.freed == 1);
  /* A failed construction does not take the caller's data. */
  NULL_ARG(sendivent_replay_guard_new_custom(test_store_insert, &store, test_store_free, "ns", NULL, &err),
           "out_guard");
  NULL_ARG(sendivent_replay_guard_new_custom(NULL, &store, test_store_free, NULL, &custom, &err), "insert_if_absent");
  CHECK(store.freed == 1);

  /* Redis: a malformed URL is refused at once; an unreachable server fails the verification. */
  sendivent_replay_guard *redis = NULL;
  CHECK(sendivent_replay_guard_new_redis("not a url", NULL, &redis, NULL) == SENDIVENT_ERR_REPLAY_STORE_ERROR);
  CHECK(redis == NULL);
  CHECK_RESULT(sendivent_replay_guard_new_redis("redis://127.0.0.1:9/0", NULL, &redis, &err), err, SENDIVENT_OK);
  CHECK(sendivent_webhook_verifier_verify_once(verifier, redis, body, len, headers, 3, &opts, NULL, NULL) ==
        SENDIVENT_ERR_REPLAY_STORE_ERROR);
  sendivent_replay_guard_free(redis);

  /* NULL arguments. */
  NULL_ARG(sendivent_replay_guard_new_memory(0, NULL, NULL, &err), "out_guard");
  NULL_ARG(sendivent_replay_guard_new_redis(NULL, NULL, &redis, &err), "url");
  NULL_ARG(sendivent_webhook_verifier_verify_once(verifier, NULL, body, len, headers, 3, &opts, NULL, &err), "guard");
  NULL_ARG(sendivent_webhook_verifier_verify_once(NULL, memory, body, len, headers, 3, &opts, NULL, &err), "verifier");
  NULL_ARG(sendivent_webhook_verifier_verify_event_once(verifier, memory, body, len, h3, 3, &opts, NULL, NULL, &err),
           "out_event_json");
  NULL_ARG(sendivent_webhook_verifier_verify_detailed(verifier, body, len, headers, 3, &opts, NULL, &err),
           "out_verified_json");
  sendivent_replay_guard_free(NULL);
  sendivent_replay_guard_free(memory);
  sendivent_webhook_verifier_free(verifier);
  sendivent_string_free(sig3);
  sendivent_string_free(sig);
}

int main(int argc, char **argv) {
  if (argc > 1 && strcmp(argv[1], "--list-codes") == 0) {
    list_codes();
    return 0;
  }
  test_version_and_codes();
  test_null_error_accessors();
  sendivent_client *client = make_client();
  test_null_arguments(client);
  test_invalid_utf8_and_json(client);
  sendivent_client_free(client);
  test_client_construction();
  test_validation();
  test_decode_response();
  test_error_hooks();
  test_webhook_abi();
  test_replay_guard();
  TEST_MAIN_END("test_abi");
}
