/* ABI tests that need no server: version, result codes, NULL arguments on every function,
 * client construction errors, validation, error objects. */
#include <stdint.h>

#include "test.h"

#define KEY "test_c_abi_0123456789abcdef"

static sendivent_client *make_client(void) {
  sendivent_client_options opts = sendivent_client_options_default();
  opts.api_key = KEY;
  opts.base_url = "http://127.0.0.1:9"; /* never contacted by these tests */
  sendivent_client *client = NULL;
  sendivent_error *err = NULL;
  CHECK_RESULT(sendivent_client_new(&opts, &client, &err), err, SENDIVENT_OK);
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
  CHECK(sendivent_error_status(NULL) == 0);
  CHECK_STR(sendivent_error_message(NULL), "");
  CHECK(sendivent_error_request_id(NULL) == NULL);
  CHECK_STR(sendivent_error_details_json(NULL), "[]");
  sendivent_error_free(NULL);
  sendivent_string_free(NULL);
  sendivent_client_free(NULL);
}

/* Asserts a call failed with INVALID_ARGUMENT naming `arg`, and frees the error. */
static void expect_null_arg(sendivent_result res, sendivent_error *err, const char *arg, int line) {
  test_checks++;
  if (res != SENDIVENT_ERR_INVALID_ARGUMENT || !err || strcmp(sendivent_error_code(err), "INVALID_ARGUMENT") != 0 ||
      sendivent_error_number(err) != SENDIVENT_ERR_INVALID_ARGUMENT ||
      (arg && !strstr(sendivent_error_message(err), arg))) {
    test_failures++;
    fprintf(stderr, "line %d: expected INVALID_ARGUMENT about `%s`, got %u: %s\n", line, arg ? arg : "",
            (unsigned)res, err ? sendivent_error_message(err) : "(no error)");
  }
  sendivent_error_free(err);
}

#define NULL_ARG(call, arg)                          \
  do {                                               \
    sendivent_error *err = NULL;                     \
    sendivent_result res_ = call;                    \
    expect_null_arg(res_, err, arg, __LINE__);       \
  } while (0)

static void test_null_arguments(sendivent_client *c) {
  char *out = (char *)"untouched";
  char *const sentinel = out;
  sendivent_client *client_out = NULL;
  sendivent_client_options opts = sendivent_client_options_default();
  sendivent_identifier_kind kind = 0;

  NULL_ARG(sendivent_client_new(NULL, &client_out, &err), "options");
  NULL_ARG(sendivent_client_new(&opts, NULL, &err), "out_client");
  CHECK(client_out == NULL);

  NULL_ARG(sendivent_send(NULL, "e", "{}", NULL, &out, &err), "client");
  NULL_ARG(sendivent_send(c, NULL, "{}", NULL, &out, &err), "event");
  NULL_ARG(sendivent_send(c, "e", NULL, NULL, &out, &err), "request_json");
  NULL_ARG(sendivent_send(c, "e", "{}", NULL, NULL, &err), "out_json");
  NULL_ARG(sendivent_send_on(NULL, "e", "email", "{}", NULL, &out, &err), "client");
  NULL_ARG(sendivent_send_on(c, "e", NULL, "{}", NULL, &out, &err), "channel");
  NULL_ARG(sendivent_send_on(c, "e", "email", NULL, NULL, &out, &err), "request_json");
  NULL_ARG(sendivent_contacts_list(NULL, NULL, &out, &err), "client");
  NULL_ARG(sendivent_contacts_list(c, NULL, NULL, &err), "out_json");
  NULL_ARG(sendivent_contacts_get(c, NULL, &out, &err), "identifier");
  NULL_ARG(sendivent_contacts_create(c, NULL, &out, &err), "contact_json");
  NULL_ARG(sendivent_contacts_update(c, NULL, "{}", &out, &err), "identifier");
  NULL_ARG(sendivent_contacts_update(c, "x", NULL, &out, &err), "changes_json");
  NULL_ARG(sendivent_contacts_delete(c, NULL, &out, &err), "identifier");
  NULL_ARG(sendivent_contacts_add_push_token(c, "x", NULL, &out, &err), "token");
  NULL_ARG(sendivent_contacts_remove_push_token(c, NULL, "t", &out, &err), "identifier");
  NULL_ARG(sendivent_events_list(NULL, &out, &err), "client");
  NULL_ARG(sendivent_events_get(c, NULL, &out, &err), "identifier");
  NULL_ARG(sendivent_deliveries_list(c, NULL, NULL, &err), "out_json");
  NULL_ARG(sendivent_deliveries_trace(c, NULL, &out, &err), "uuid");
  NULL_ARG(sendivent_integrations_list(NULL, NULL, &out, &err), "client");
  NULL_ARG(sendivent_webhooks_create(c, NULL, &out, &err), "webhook_json");
  NULL_ARG(sendivent_webhooks_get(c, NULL, &err), "out_json");
  NULL_ARG(sendivent_webhooks_update(c, NULL, "{}", &out, &err), "uuid");
  NULL_ARG(sendivent_webhooks_delete(c, NULL, &out, &err), "uuid");
  NULL_ARG(sendivent_validate_email(NULL, &out, &err), "input");
  NULL_ARG(sendivent_validate_email("a@b.se", NULL, &err), "out_normalized");
  NULL_ARG(sendivent_validate_phone(NULL, &out, &err), "input");
  NULL_ARG(sendivent_validate_phone("+46701234567", NULL, &err), "out_e164");
  NULL_ARG(sendivent_resolve_identifier(NULL, &kind, &out, &err), "input");
  NULL_ARG(sendivent_resolve_identifier("x", NULL, &out, &err), "out_kind");
  NULL_ARG(sendivent_resolve_identifier("x", &kind, NULL, &err), "out_value");
  NULL_ARG(sendivent_decode_response(NULL, "{}", &out, &err), "kind");
  NULL_ARG(sendivent_decode_response("send_response", NULL, &out, &err), "json");
  NULL_ARG(sendivent_decode_response("send_response", "{}", NULL, &err), "out_json");
  /* Out-parameters are written only on success. */
  CHECK(out == sentinel);
  CHECK(kind == 0);

  /* out_err is optional: a NULL out_err still gets the result code. */
  CHECK(sendivent_send(c, NULL, "{}", NULL, &out, NULL) == SENDIVENT_ERR_INVALID_ARGUMENT);
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
  CHECK_RESULT(sendivent_send(c, "user.welcome", "{not json", NULL, &out, &err), err, SENDIVENT_ERR_INVALID_REQUEST);
  CHECK_STR(sendivent_error_code(err), "INVALID_REQUEST");
  CHECK(sendivent_error_status(err) == 0);
  sendivent_error_free(err);

  /* Recipients are validated before anything is sent (the base URL is unreachable). */
  err = NULL;
  CHECK_RESULT(sendivent_send(c, "user.welcome", "{\"to\": \"0701234567 8\", \"payload\": {}}", NULL, &out, &err), err,
               SENDIVENT_ERR_INVALID_PHONE);
  sendivent_error_free(err);
  err = NULL;
  CHECK_RESULT(sendivent_send(c, "user.welcome", "{\"to\": \"nobody@\", \"payload\": {}}", NULL, &out, &err), err,
               SENDIVENT_ERR_INVALID_EMAIL);
  CHECK_STR(sendivent_error_code(err), "INVALID_EMAIL");
  sendivent_error_free(err);
  err = NULL;
  CHECK_RESULT(sendivent_send(c, "user.welcome", "{\"to\": \"ada@example.com\", \"payload\": [1]}", NULL, &out, &err),
               err, SENDIVENT_ERR_VALIDATION_ERROR);
  sendivent_error_free(err);
  err = NULL;
  CHECK_RESULT(sendivent_contacts_list(c, "{\"limit\": 1000}", &out, &err), err, SENDIVENT_ERR_VALIDATION_ERROR);
  sendivent_error_free(err);
  err = NULL;
  CHECK_RESULT(sendivent_contacts_create(c, "{\"name\": \"No Identifier\"}", &out, &err), err,
               SENDIVENT_ERR_VALIDATION_ERROR);
  sendivent_error_free(err);
}

static void test_client_construction(void) {
  sendivent_client *client = NULL;
  sendivent_error *err = NULL;
  sendivent_client_options opts = sendivent_client_options_default();
  CHECK(opts.api_key == NULL && opts.base_url == NULL && opts.timeout_ms == 0 && opts.max_retries < 0 &&
        !opts.allow_insecure_http);

  opts.api_key = "sk_live_wrong_prefix_1234";
  CHECK_RESULT(sendivent_client_new(&opts, &client, &err), err, SENDIVENT_ERR_INVALID_API_KEY);
  CHECK(client == NULL);
  /* The key never appears in messages: at most its last four characters. */
  CHECK(err && strstr(sendivent_error_message(err), "wrong_prefix") == NULL);
  sendivent_error_free(err);

  err = NULL;
  opts.api_key = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  CHECK_RESULT(sendivent_client_new(&opts, &client, &err), err, SENDIVENT_ERR_INVALID_API_KEY);
  sendivent_error_free(err);

  err = NULL;
  opts.api_key = KEY;
  opts.base_url = "http://api.example.com";
  CHECK_RESULT(sendivent_client_new(&opts, &client, &err), err, SENDIVENT_ERR_INSECURE_BASE_URL);
  sendivent_error_free(err);
  opts.allow_insecure_http = true;
  CHECK_RESULT(sendivent_client_new(&opts, &client, NULL), NULL, SENDIVENT_OK);
  sendivent_client_free(client);
  client = NULL;

  err = NULL;
  opts.base_url = "not a url";
  CHECK_RESULT(sendivent_client_new(&opts, &client, &err), err, SENDIVENT_ERR_INVALID_BASE_URL);
  sendivent_error_free(err);

  /* No key and no SENDIVENT_API_KEY. */
  err = NULL;
  char *saved = getenv("SENDIVENT_API_KEY") ? strdup(getenv("SENDIVENT_API_KEY")) : NULL;
  unsetenv("SENDIVENT_API_KEY");
  opts = sendivent_client_options_default();
  CHECK_RESULT(sendivent_client_new(&opts, &client, &err), err, SENDIVENT_ERR_MISSING_API_KEY);
  sendivent_error_free(err);
  if (saved) { setenv("SENDIVENT_API_KEY", saved, 1); free(saved); }
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
  CHECK(sendivent_error_status(err) == 0);
  CHECK(sendivent_error_request_id(err) == NULL);
  CHECK_STR(sendivent_error_details_json(err), "[]");
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
}

static void test_decode_response(void) {
  char *out = NULL;
  sendivent_error *err = NULL;
  CHECK_RESULT(sendivent_decode_response("send_response",
                                         "{\"success\": true, \"deliveries\": [{\"email\": \"u1\"}, {\"fax\": \"u2\"}],"
                                         " \"brand_new_field\": 1}",
                                         &out, &err),
               err, SENDIVENT_OK);
  CHECK(out && strstr(out, "brand_new_field") == NULL && strstr(out, "\"fax\":\"u2\"") != NULL);
  /* The message of a shape error names the field. */
  sendivent_string_free(out);
  out = NULL;
  CHECK_RESULT(sendivent_decode_response("no_such_kind", "{}", &out, &err), err, SENDIVENT_ERR_INVALID_REQUEST);
  CHECK(err && strstr(sendivent_error_message(err), "no_such_kind") != NULL);
  sendivent_error_free(err);
  err = NULL;
  CHECK_RESULT(sendivent_decode_response("send_response", "{\"deliveries\": []}", &out, &err), err,
               SENDIVENT_ERR_INVALID_RESPONSE);
  sendivent_error_free(err);
  CHECK(out == NULL);
}


#define WH_SECRET "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
#define WH_BODY "{\"event\":\"delivery.sent\",\"delivery\":{\"uuid\":\"d1\",\"channel\":\"email\",\"status\":\"sent\"}," \
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
  CHECK(opts.tolerance_secs == 300 && !opts.use_now && !opts.skip_timestamp_check);
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
  struct { const char *body; int64_t now; size_t nheaders; const char *secret; sendivent_result expected; } cases[] = {
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
  opts.tolerance_secs = 0;
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
  CHECK_RESULT(sendivent_webhook_sign(WH_SECRET, "msg_2", now, (const uint8_t *)not_event, strlen(not_event), &sig2,
                                      NULL),
               NULL, SENDIVENT_OK);
  sendivent_webhook_header h2[] = {{"webhook-id", "msg_2"}, {"webhook-timestamp", "1700000000"},
                                   {"webhook-signature", sig2}};
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
  CHECK_RESULT(sendivent_webhook_verifier_verify(verifier, (const uint8_t *)WH_BODY, strlen(WH_BODY), headers, 4, &opts,
                                                 &err),
               err, SENDIVENT_OK);
  event = NULL;
  CHECK_RESULT(sendivent_webhook_verifier_verify_event(verifier, (const uint8_t *)WH_BODY, strlen(WH_BODY), headers, 4,
                                                       NULL /* system clock: the 2023 timestamp is too old */, &event,
                                                       &err),
               err, SENDIVENT_ERR_WEBHOOK_TIMESTAMP_TOO_OLD);
  sendivent_error_free(err);
  sendivent_webhook_verifier_free(verifier);
  sendivent_webhook_verifier_free(NULL);

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
  test_webhook_abi();
  TEST_MAIN_END("test_abi");
}
