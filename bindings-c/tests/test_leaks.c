/* Key-leak scan: provokes every kind of error and description the C API produces while it holds an
 * API key or a webhook secret, and fails if the key, the secret, or an Authorization value appears
 * in any message, display line, details JSON, request id or debug string (docs/contract.md §2
 * "Errors": "The message never contains an API key or a webhook secret"). Needs sendivent-mock at
 * SENDIVENT_BASE_URL for the answers the API gives (401, 403, 404, a failed send). */
#include <stdint.h>

#include "test.h"

#define KEY "test_leakscanKEYBODY0123456789zz"
#define KEY_BODY "leakscanKEYBODY0123456789"
#define REVOKED_KEY "test_revoked_leakscanKEYBODY0123456789"
#define INACTIVE_KEY "test_inactive_leakscanKEYBODY0123456789"
#define SECRET "whsec_bGVha3NjYW4tc2VjcmV0LWJvZHktMDEyMzQ1Njc4OSE="
#define SECRET_BODY "bGVha3NjYW4tc2VjcmV0LWJvZHktMDEyMzQ1Njc4OSE"

static int scanned = 0;

static const char *const needles[] = {KEY_BODY, SECRET_BODY, "Bearer ", "bGVha3NjYW4tc2Vj"};

/* The needle `text` shows: the key or the signing secret (whole, or the part after their prefix),
 * or an Authorization header value; NULL when it shows none. */
static const char *shown_secret(const char *text) {
  for (size_t i = 0; text && i < sizeof needles / sizeof needles[0]; i++)
    if (strstr(text, needles[i])) return needles[i];
  return NULL;
}

/* Fails when `text` shows a secret. */
static void scan(const char *what, const char *text) {
  if (!text) return;
  scanned++;
  test_checks++;
  const char *needle = shown_secret(text);
  if (needle) {
    test_failures++;
    fprintf(stderr, "LEAK in %s: contains %s: %s\n", what, needle, text);
  }
}

/* Scans everything an error object gives, then frees it. Fails when there is no error. */
static void scan_error(const char *what, sendivent_result res, sendivent_error *err) {
  test_checks++;
  if (res == SENDIVENT_OK || !err) {
    test_failures++;
    fprintf(stderr, "%s: expected an error, got %s\n", what, sendivent_result_name(res));
    sendivent_error_free(err);
    return;
  }
  scan(what, sendivent_error_code(err));
  scan(what, sendivent_error_class(err));
  scan(what, sendivent_error_message(err));
  scan(what, sendivent_error_display(err));
  scan(what, sendivent_error_request_id(err));
  scan(what, sendivent_error_details_json(err));
  sendivent_error_free(err);
}

/* Runs `call`, which writes its error to `err`, and scans that error. */
#define SCAN_ERROR(what, call)      \
  do {                              \
    sendivent_error *err = NULL;    \
    sendivent_result res_ = (call); \
    scan_error((what), res_, err);  \
  } while (0)

static void scan_owned(const char *what, char *text) {
  scan(what, text);
  sendivent_string_free(text);
}

static sendivent_client *client_for(const char *key, const char *base_url, const char *extra) {
  char options[1024];
  snprintf(options, sizeof options, "{\"api_key\": \"%s\", \"base_url\": \"%s\", \"max_retries\": 0%s}", key, base_url,
           extra ? extra : "");
  sendivent_client *client = NULL;
  sendivent_error *err = NULL;
  sendivent_result res = sendivent_client_new(options, &client, &err);
  CHECK_RESULT(res, err, SENDIVENT_OK);
  sendivent_error_free(err);
  if (client) {
    char *text = NULL;
    CHECK(sendivent_client_debug_string(client, &text, NULL) == SENDIVENT_OK);
    scan("sendivent_client_debug_string", text);
    sendivent_string_free(text);
  }
  return client;
}

static void api_errors(const char *base_url) {
  char *out = NULL;
  /* Request logging on (to stderr, which test.sh scans too). */
  sendivent_client *c =
      client_for(KEY, base_url, ", \"default_headers\": {\"X-Trace\": \"t\"}, \"log_level\": \"debug\"");
  SCAN_ERROR("404", sendivent_contacts_get(c, "nobody-here@example.com", NULL, &out, &err));
  SCAN_ERROR("failed send",
             sendivent_send(c, "no.such.event", NULL, "{\"to\": \"ada@example.com\"}", NULL, &out, &err));
  SCAN_ERROR("400", sendivent_contacts_list(c, "{\"limit\": 1000}", NULL, &out, &err));
  SCAN_ERROR("409", sendivent_contacts_create(c, "{\"email\": \"ada@example.com\"}", NULL, &out, &err));
  SCAN_ERROR("bad extra header",
             sendivent_events_list(c, "{\"extra_headers\": {\"Bad\\nHeader\": \"x\"}}", &out, &err));
  SCAN_ERROR("bad option", sendivent_events_list(c, "{\"timeout\": 0}", &out, &err));
  /* A successful answer carries no credentials either. */
  CHECK(sendivent_events_list(c, NULL, &out, NULL) == SENDIVENT_OK);
  scan_owned("events.list answer", out);
  out = NULL;
  char *many = NULL;
  CHECK(sendivent_send_many(c,
                            "[{\"event\": \"no.such.event\", \"body\": {\"to\": \"a@example.com\"}}, {\"event\": 5}]",
                            NULL, NULL, &many, NULL) == SENDIVENT_OK);
  scan_owned("send_many answer", many);
  sendivent_client_free(c);

  c = client_for(REVOKED_KEY, base_url, NULL);
  SCAN_ERROR("401", sendivent_events_list(c, NULL, &out, &err));
  sendivent_client_free(c);
  c = client_for(INACTIVE_KEY, base_url, NULL);
  SCAN_ERROR("403", sendivent_events_list(c, NULL, &out, &err));
  sendivent_client_free(c);
  /* No answer at all: a connection error. */
  c = client_for(KEY, "http://127.0.0.1:9", NULL);
  SCAN_ERROR("connection", sendivent_events_list(c, NULL, &out, &err));
  sendivent_client_free(c);
}

static void configuration_errors(void) {
  const char *options[] = {
      "{\"api_key\": \"sk_" KEY_BODY "\"}",
      "{\"api_key\": \"" KEY "\", \"base_url\": \"http://api.example.com\"}",
      "{\"api_key\": \"" KEY "\", \"base_url\": \"not a url\"}",
      "{\"api_key\": \"" KEY "\", \"timeout\": -1}",
      "{\"api_key\": \"" KEY "\", \"unknown_option\": 1}",
      "{\"api_key\": \"" SECRET "\"}",
      "{\"api_key\": \"test_\"}",
  };
  for (size_t i = 0; i < sizeof options / sizeof options[0]; i++) {
    sendivent_client *c = NULL;
    SCAN_ERROR(options[i], sendivent_client_new(options[i], &c, &err));
    sendivent_client_free(c);
  }
}

static void webhook_errors(void) {
  const char *body =
      "{\"event\":\"delivery.sent\",\"delivery\":{\"uuid\":\"d1\",\"channel\":\"email\",\"status\":\"sent\"}}";
  char *sig = NULL;
  CHECK(sendivent_webhook_sign(SECRET, "msg_1", 1700000000, (const uint8_t *)body, strlen(body), &sig, NULL) ==
        SENDIVENT_OK);
  sendivent_webhook_header headers[] = {
      {"webhook-id", "msg_1"}, {"webhook-timestamp", "1700000000"}, {"webhook-signature", sig}};
  sendivent_verify_options opts = sendivent_verify_options_default();
  opts.use_now = true;
  opts.now = 1700000000;
  /* Secret pitfalls: each error describes the mistake without repeating what was passed. */
  const char *secrets[] = {SECRET "x", "whsec_" KEY_BODY "!!", KEY, sig, "", SECRET "==", "whpk_" SECRET_BODY};
  for (size_t i = 0; i < sizeof secrets / sizeof secrets[0]; i++) {
    sendivent_error *err = NULL;
    sendivent_result res =
        sendivent_webhook_verify(secrets[i], (const uint8_t *)body, strlen(body), headers, 3, &opts, &err);
    if (res != SENDIVENT_OK) scan_error("webhook secret", res, err);
    const char *pair[] = {SECRET, secrets[i]};
    sendivent_webhook_verifier *v = NULL;
    err = NULL;
    res = sendivent_webhook_verifier_new(pair, 2, &v, &err);
    if (res != SENDIVENT_OK) scan_error("sendivent_webhook_verifier_new", res, err);
    sendivent_webhook_verifier_free(v);
  }
  /* Verification failures with the right secret. */
  sendivent_webhook_verifier *v = NULL;
  const char *one[] = {SECRET};
  CHECK(sendivent_webhook_verifier_new(one, 1, &v, NULL) == SENDIVENT_OK);
  char *text = NULL;
  CHECK(sendivent_webhook_verifier_debug_string(v, &text, NULL) == SENDIVENT_OK);
  scan_owned("sendivent_webhook_verifier_debug_string", text);
  SCAN_ERROR("tampered", sendivent_webhook_verifier_verify(v, (const uint8_t *)"{}", 2, headers, 3, &opts, &err));
  opts.now += 1000;
  SCAN_ERROR("stale",
             sendivent_webhook_verifier_verify(v, (const uint8_t *)body, strlen(body), headers, 3, &opts, &err));
  opts.now -= 1000;
  sendivent_replay_guard *guard = NULL;
  CHECK(sendivent_replay_guard_new_memory(0, NULL, &guard, NULL) == SENDIVENT_OK);
  char *verified = NULL;
  CHECK(sendivent_webhook_verifier_verify_once(v, guard, (const uint8_t *)body, strlen(body), headers, 3, &opts,
                                               &verified, NULL) == SENDIVENT_OK);
  scan_owned("verified", verified);
  SCAN_ERROR("duplicate", sendivent_webhook_verifier_verify_once(v, guard, (const uint8_t *)body, strlen(body), headers,
                                                                 3, &opts, NULL, &err));
  sendivent_replay_guard_free(guard);
  sendivent_webhook_verifier_free(v);
  char *redacted = NULL;
  CHECK(sendivent_redact(SECRET, &redacted, NULL) == SENDIVENT_OK);
  scan_owned("sendivent_redact", redacted);
  sendivent_string_free(sig);
}

int main(void) {
  const char *base_url = getenv("SENDIVENT_BASE_URL");
  if (!base_url || !*base_url) {
    fprintf(stderr, "test_leaks: SENDIVENT_BASE_URL is not set; run it through bindings-c/test.sh\n");
    return 1;
  }
  /* The scanner itself finds each form. */
  CHECK(shown_secret("x " KEY " y") && shown_secret("whsec: " SECRET) && shown_secret("Authorization: Bearer x"));
  CHECK(
      !shown_secret("test_\xe2\x80\xa6"
                    "89zz whsec_\xe2\x80\xa6"
                    "OSE="));
  api_errors(base_url);
  configuration_errors();
  webhook_errors();
  printf("leaks: %d texts scanned\n", scanned);
  CHECK(scanned > 60);
  TEST_MAIN_END("test_leaks");
}
