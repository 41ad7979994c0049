/* Runs every shared vector (every .json file in tests/vectors) through the C ABI. A file whose `function`
 * (or a behaviour case whose `check`) this runner does not know fails the run: vectors are never skipped.
 * Writes how many cases of each file it ran to $SENDIVENT_VECTOR_COUNTS_DIR/c.json. */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <sys/stat.h>

#include "json.h"
#include "test.h"

static int cases_run = 0;

/* The client of the behaviour checks: a loopback port nothing listens on, no retries. */
static sendivent_client *offline = NULL;
#define KEY "test_c_vectors_0123456789abcdef"
#define OFFLINE_URL "http://127.0.0.1:9"

/* Compares an outcome with a case's `expect`. `ok_json` is the call's JSON output on success. */
static void expect_outcome(const char *file, const json *c, sendivent_result res, sendivent_error *err,
                           const json *ok_value) {
  const char *name = json_str(json_get(c, "name"));
  const json *expect = json_get(c, "expect");
  const json *want_ok = json_get(expect, "ok");
  const json *want_err = json_get(expect, "error");
  test_checks++;
  cases_run++;
  if (want_ok) {
    if (res != SENDIVENT_OK) {
      test_failures++;
      fprintf(stderr, "%s: %s: expected ok, got %s: %s\n", file, name, sendivent_error_code(err),
              sendivent_error_message(err));
    } else if (!json_equal(want_ok, ok_value)) {
      char *got = ok_value ? json_dump(ok_value) : NULL, *want = json_dump(want_ok);
      test_failures++;
      fprintf(stderr, "%s: %s: expected %s, got %s\n", file, name, want, got ? got : "(nothing)");
      free(got);
      free(want);
    }
  } else if (want_err) {
    const char *code = json_str(json_get(want_err, "code"));
    if (res == SENDIVENT_OK || !code || strcmp(sendivent_error_code(err), code) != 0 ||
        sendivent_error_number(err) != (uint32_t)res) {
      test_failures++;
      fprintf(stderr, "%s: %s: expected error %s, got %s\n", file, name, code ? code : "?",
              res == SENDIVENT_OK ? "ok" : sendivent_error_code(err));
    }
    /* The result number and the code string agree with the library's table. */
    else if (sendivent_result_name(res) && strcmp(sendivent_result_name(res), code) != 0 &&
             strcmp(sendivent_result_name(res), "API_ERROR") != 0) {
      test_failures++;
      fprintf(stderr, "%s: %s: result %u is named %s, not %s\n", file, name, (unsigned)res, sendivent_result_name(res),
              code);
    }
  } else {
    test_failures++;
    fprintf(stderr, "%s: %s: expect has neither ok nor error\n", file, name);
  }
  sendivent_error_free(err);
}

static json *string_value(const char *s) {
  json *v = calloc(1, sizeof(json));
  if (!v) return NULL;
  v->type = JSON_STRING;
  v->len = strlen(s);
  v->string = malloc(v->len + 1);
  if (v->string) memcpy(v->string, s, v->len + 1);
  return v;
}

static json *parse_owned(char *text) {
  json *v = text ? json_parse(text, NULL) : NULL;
  sendivent_string_free(text);
  return v;
}

typedef sendivent_result (*string_fn)(const char *, char **, sendivent_error **);

static void run_string_case(const char *file, const json *c, string_fn fn) {
  const char *input = json_str(json_get(c, "input"));
  char *out = NULL;
  sendivent_error *err = NULL;
  sendivent_result res = input ? fn(input, &out, &err) : SENDIVENT_ERR_INVALID_ARGUMENT;
  json *got = out ? string_value(out) : NULL;
  sendivent_string_free(out);
  expect_outcome(file, c, res, err, got);
  json_free(got);
}

/* {"kind": <name>, "value": <value>}, as identifiers.json and recipients.json expect it. */
static json *identifier_value(sendivent_identifier_kind kind, const char *value) {
  const char *kind_name = sendivent_identifier_kind_name(kind);
  json *obj = calloc(1, sizeof(json));
  obj->type = JSON_OBJECT;
  obj->count = 2;
  obj->items = calloc(2, sizeof(json *));
  obj->keys = calloc(2, sizeof(char *));
  obj->keys[0] = strdup("kind");
  obj->items[0] = string_value(kind_name ? kind_name : "?");
  obj->keys[1] = strdup("value");
  obj->items[1] = string_value(value);
  return obj;
}

/* identifiers.json: the input string alone; recipients.json: {"value", "channel"} through the
 * channel-aware function. */
static void run_identifier_case(const char *file, const json *c, bool with_channel) {
  const json *input = json_get(c, "input");
  char *out = NULL;
  sendivent_identifier_kind kind = 0;
  sendivent_error *err = NULL;
  sendivent_result res = with_channel
                             ? sendivent_resolve_recipient(json_str(json_get(input, "value")),
                                                           json_str(json_get(input, "channel")), &kind, &out, &err)
                             : sendivent_resolve_identifier(json_str(input), &kind, &out, &err);
  json *got = res == SENDIVENT_OK ? identifier_value(kind, out) : NULL;
  sendivent_string_free(out);
  expect_outcome(file, c, res, err, got);
  json_free(got);
}

/* send_requests.json: the body a send would carry, from the request as a C caller writes it (the
 * JSON text sendivent_send takes). */
static void run_prepare_send_case(const char *file, const json *c) {
  const json *input = json_get(c, "input");
  char *body = json_dump(json_get(input, "body"));
  char *out = NULL;
  sendivent_error *err = NULL;
  sendivent_result res = sendivent_prepare_send(body, json_str(json_get(input, "channel")), &out, &err);
  free(body);
  json *got = parse_owned(out);
  expect_outcome(file, c, res, err, got);
  json_free(got);
}

static void run_decode_case(const char *file, const json *c) {
  const json *input = json_get(c, "input");
  const char *kind = json_str(json_get(input, "kind"));
  char *body = json_get(input, "body") ? json_dump(json_get(input, "body")) : NULL;
  char *out = NULL;
  sendivent_error *err = NULL;
  sendivent_result res = sendivent_decode_response(kind, body, &out, &err);
  free(body);
  json *got = parse_owned(out);
  expect_outcome(file, c, res, err, got);
  json_free(got);
}

static void run_sign_case(const char *file, const json *c) {
  const json *input = json_get(c, "input");
  const char *body = json_str(json_get(input, "body"));
  const json *ts = json_get(input, "timestamp");
  char *out = NULL;
  sendivent_error *err = NULL;
  sendivent_result res =
      sendivent_webhook_sign(json_str(json_get(input, "secret")), json_str(json_get(input, "id")),
                             ts ? (int64_t)ts->number : 0, (const uint8_t *)body, body ? strlen(body) : 0, &out, &err);
  json *got = out ? string_value(out) : NULL;
  sendivent_string_free(out);
  expect_outcome(file, c, res, err, got);
  json_free(got);
}

static void run_verify_case(const char *file, const json *c) {
  const json *input = json_get(c, "input");
  const json *headers_in = json_get(input, "headers");
  const char *body = json_str(json_get(input, "body"));
  size_t body_len = body ? json_get(input, "body")->len : 0;
  size_t n = headers_in ? headers_in->count : 0;
  sendivent_webhook_header *headers = calloc(n ? n : 1, sizeof *headers);
  for (size_t i = 0; i < n; i++) {
    headers[i].name = json_str(headers_in->items[i]->items[0]);
    headers[i].value = json_str(headers_in->items[i]->items[1]);
  }
  sendivent_verify_options opts = sendivent_verify_options_default();
  const json *now = json_get(c, "now");
  if (now) {
    opts.use_now = true;
    opts.now = (int64_t)now->number;
  }
  const json *tol = json_get(input, "tolerance_seconds");
  if (tol) opts.tolerance = tol->number;
  const json *skip = json_get(input, "skip_timestamp_check");
  if (skip) opts.skip_timestamp_check = skip->boolean;
  const json *parse = json_get(input, "parse_event");
  bool parse_event = parse && parse->boolean;

  /* Through a verifier (secret or secrets), and for one secret also through the one-shot call. */
  const json *secret = json_get(input, "secret");
  const json *secrets = json_get(input, "secrets");
  size_t count = secret ? 1 : (secrets ? secrets->count : 0);
  const char **list = calloc(count ? count : 1, sizeof(char *));
  if (secret) list[0] = json_str(secret);
  for (size_t i = 0; secrets && i < secrets->count; i++) list[i] = json_str(secrets->items[i]);

  sendivent_webhook_verifier *verifier = NULL;
  sendivent_error *err = NULL;
  char *event = NULL;
  json *got = NULL;
  sendivent_result res = sendivent_webhook_verifier_new(list, count, &verifier, &err);
  if (res == SENDIVENT_OK) {
    if (parse_event) {
      res = sendivent_webhook_verifier_verify_event(verifier, (const uint8_t *)body, body_len, headers, n, &opts,
                                                    &event, &err);
      got = parse_owned(event);
    } else {
      res = sendivent_webhook_verifier_verify(verifier, (const uint8_t *)body, body_len, headers, n, &opts, &err);
      if (res == SENDIVENT_OK) {
        got = calloc(1, sizeof(json));
        got->type = JSON_BOOL;
        got->boolean = true;
      }
    }
  }
  sendivent_webhook_verifier_free(verifier);
  sendivent_result verifier_res = res;
  expect_outcome(file, c, res, err, got);
  json_free(got);

  if (secret) {
    /* The one-shot functions agree with the verifier. */
    sendivent_result one_shot;
    if (parse_event) {
      char *ev = NULL;
      one_shot = sendivent_webhook_verify_event(list[0], (const uint8_t *)body, body_len, headers, n, &opts, &ev, NULL);
      sendivent_string_free(ev);
    } else {
      one_shot = sendivent_webhook_verify(list[0], (const uint8_t *)body, body_len, headers, n, &opts, NULL);
    }
    CHECK(one_shot == verifier_res);
  }
  free(list);
  free(headers);
}

/* --- replay.json --- */

static void fail_case(const char *file, const json *c, const char *why, const char *detail) {
  test_failures++;
  fprintf(stderr, "%s: %s: %s%s%s\n", file, json_str(json_get(c, "name")), why, detail ? ": " : "",
          detail ? detail : "");
}

/* Whether `got` has every member of `want` with an equal value (the verification also gives the
 * id and timestamp, which the vectors leave out). */
static bool has_members(const json *got, const json *want) {
  if (!got || got->type != JSON_OBJECT || want->type != JSON_OBJECT) return false;
  for (size_t i = 0; i < want->count; i++)
    if (!json_equal(json_get(got, want->keys[i]), want->items[i])) return false;
  return true;
}

/* One verifier of the case's secrets and one fresh in-memory guard; each step verified in order
 * with sendivent_webhook_verifier_verify_once at its own `now`. The case counts as run once. */
static void run_replay_case(const char *file, const json *c) {
  const json *input = json_get(c, "input");
  const json *secrets = json_get(input, "secrets");
  const json *body_value = json_get(input, "body");
  const json *steps = json_get(input, "steps");
  size_t count = secrets ? secrets->count : 0;
  const char **list = calloc(count ? count : 1, sizeof(char *));
  for (size_t i = 0; i < count; i++) list[i] = json_str(secrets->items[i]);
  sendivent_webhook_verifier *verifier = NULL;
  sendivent_replay_guard *guard = NULL;
  sendivent_error *err = NULL;
  test_checks++;
  cases_run++;
  if (sendivent_webhook_verifier_new(list, count, &verifier, &err) != SENDIVENT_OK ||
      sendivent_replay_guard_new_memory(0, NULL, &guard, &err) != SENDIVENT_OK || !steps || !body_value) {
    fail_case(file, c, "cannot build the verifier and the guard", err ? sendivent_error_message(err) : NULL);
    sendivent_error_free(err);
    sendivent_webhook_verifier_free(verifier);
    free(list);
    return;
  }
  for (size_t s = 0; s < steps->count; s++) {
    const json *step = steps->items[s];
    const json *headers_in = json_get(step, "headers");
    size_t n = headers_in ? headers_in->count : 0;
    sendivent_webhook_header *headers = calloc(n ? n : 1, sizeof *headers);
    for (size_t i = 0; i < n; i++) {
      headers[i].name = json_str(headers_in->items[i]->items[0]);
      headers[i].value = json_str(headers_in->items[i]->items[1]);
    }
    /* A tampered step is a forgery: the body with one space appended. */
    const json *tamper = json_get(step, "tamper");
    bool tampered = tamper && tamper->boolean;
    size_t len = body_value->len + (tampered ? 1 : 0);
    char *body = malloc(len + 1);
    memcpy(body, body_value->string, body_value->len);
    if (tampered) body[body_value->len] = ' ';
    body[len] = '\0';
    sendivent_verify_options opts = sendivent_verify_options_default();
    opts.use_now = true;
    opts.now = (int64_t)json_get(step, "now")->number;
    const json *skip = json_get(step, "skip_timestamp_check");
    opts.skip_timestamp_check = skip && skip->boolean;
    char *verified = NULL;
    sendivent_error *step_err = NULL;
    sendivent_result res = sendivent_webhook_verifier_verify_once(verifier, guard, (const uint8_t *)body, len, headers,
                                                                  n, &opts, &verified, &step_err);
    const json *expect = json_get(step, "expect");
    const json *want_ok = json_get(expect, "ok");
    const char *want_code = json_str(json_get(json_get(expect, "error"), "code"));
    char detail[256];
    snprintf(detail, sizeof detail, "step %zu (%s)", s + 1, json_str(json_get(step, "id")));
    if (want_ok) {
      json *got = parse_owned(verified);
      verified = NULL;
      if (res != SENDIVENT_OK)
        fail_case(file, c, sendivent_error_code(step_err), detail);
      else if (!has_members(got, want_ok))
        fail_case(file, c, "another secret matched", detail);
      json_free(got);
    } else if (res == SENDIVENT_OK || !want_code || strcmp(sendivent_error_code(step_err), want_code) != 0) {
      fail_case(file, c, res == SENDIVENT_OK ? "accepted" : sendivent_error_code(step_err), detail);
    } else if (strcmp(want_code, "WEBHOOK_DUPLICATE") == 0 &&
               (!sendivent_error_is_a(step_err, "WebhookDuplicateError") ||
                sendivent_error_is_a(step_err, "WebhookVerificationError"))) {
      fail_case(file, c, "a duplicate is a WebhookDuplicateError, not a verification failure", detail);
    }
    sendivent_string_free(verified);
    sendivent_error_free(step_err);
    free(body);
    free(headers);
  }
  sendivent_replay_guard_free(guard);
  sendivent_webhook_verifier_free(verifier);
  free(list);
}

/* --- behaviour.json --- */

/* Every class name the file's cases mention, to check that an error is none of the others. */
static const char *known_classes[64];
static size_t known_class_count = 0;

static void collect_classes(const json *cases) {
  known_class_count = 0;
  for (size_t i = 0; i < cases->count; i++) {
    const json *classes = json_get(json_get(json_get(cases->items[i], "expect"), "ok"), "classes");
    for (size_t j = 0; classes && j < classes->count; j++) {
      const char *name = json_str(classes->items[j]);
      size_t k = 0;
      while (k < known_class_count && strcmp(known_classes[k], name) != 0) k++;
      if (k == known_class_count && known_class_count < 64) known_classes[known_class_count++] = name;
    }
  }
}

static int in_list(const json *list, const char *name) {
  for (size_t i = 0; list && i < list->count; i++)
    if (strcmp(json_str(list->items[i]), name) == 0) return 1;
  return 0;
}

static void run_error_mapping(const char *file, const json *c, const json *input) {
  const char *origin = json_str(json_get(input, "origin"));
  sendivent_error *err = NULL;
  sendivent_result res = SENDIVENT_OK;
  if (origin && strcmp(origin, "answer") == 0) {
    const json *headers = json_get(input, "headers");
    const json *send = json_get(input, "send");
    char *headers_json = headers ? json_dump(headers) : NULL;
    res = sendivent_error_from_answer((uint16_t)json_get(input, "status")->number, headers_json,
                                      json_str(json_get(input, "body")), send && send->boolean, &err);
    free(headers_json);
  } else if (origin && strcmp(origin, "sdk") == 0) {
    res = sendivent_error_from_code(json_str(json_get(input, "code")), json_str(json_get(input, "message")), &err);
  } else {
    fail_case(file, c, "unknown origin", origin);
    return;
  }
  const json *want = json_get(json_get(c, "expect"), "ok");
  json *details = err ? json_parse(sendivent_error_details_json(err), NULL) : NULL;
  if (!err || res == SENDIVENT_OK || sendivent_error_number(err) != (uint32_t)res || !details) {
    fail_case(file, c, "no error object", NULL);
  } else {
    for (size_t i = 0; want && i < want->count; i++) {
      const char *key = want->keys[i];
      const json *value = want->items[i];
      int ok = 1;
      if (strcmp(key, "code") == 0)
        ok = strcmp(sendivent_error_code(err), json_str(value)) == 0;
      else if (strcmp(key, "class") == 0)
        ok = strcmp(sendivent_error_class(err), json_str(value)) == 0;
      else if (strcmp(key, "classes") == 0) {
        /* The error is each listed class (its own first) and none of the others. */
        ok = value->count > 0 && strcmp(sendivent_error_class(err), json_str(value->items[0])) == 0;
        for (size_t k = 0; k < known_class_count; k++)
          if (sendivent_error_is_a(err, known_classes[k]) != in_list(value, known_classes[k])) ok = 0;
      } else if (strcmp(key, "status") == 0)
        ok = value->type == JSON_NULL ? sendivent_error_status(err) == 0
                                      : sendivent_error_status(err) == (uint16_t)value->number;
      else if (strcmp(key, "retryable") == 0)
        ok = sendivent_error_is_retryable(err) == value->boolean;
      else if (strcmp(key, "message") == 0)
        ok = strcmp(sendivent_error_message(err), json_str(value)) == 0;
      else if (strcmp(key, "retry_after") == 0 || strcmp(key, "errors") == 0 || strcmp(key, "reason") == 0)
        ok = json_equal(json_get(details, key), value);
      else {
        fail_case(file, c, "this runner does not know the expected key", key);
        continue;
      }
      if (!ok) fail_case(file, c, "mismatch in", key);
    }
  }
  test_checks++;
  cases_run++;
  json_free(details);
  sendivent_error_free(err);
}

/* The source text of a number (its exact spelling in the vector). */
static void number_text(const json *value, char *buf, size_t size) {
  size_t len = value->len < size - 1 ? value->len : size - 1;
  memcpy(buf, value->string, len);
  buf[len] = '\0';
}

/* Each scope gives the option where a user gives it and returns that call's outcome. */
static sendivent_result bounds_outcome(const json *input, sendivent_error **err) {
  const char *scope = json_str(json_get(input, "scope"));
  const char *option = json_str(json_get(input, "option"));
  const json *value = json_get(input, "value");
  char number[64], options[512];
  number_text(value, number, sizeof number);
  char *out = NULL;
  if (strcmp(scope, "client") == 0) {
    snprintf(options, sizeof options, "{\"api_key\": \"%s\", \"base_url\": \"%s\", \"%s\": %s}", KEY, OFFLINE_URL,
             option, number);
    sendivent_client *client = NULL;
    sendivent_result res = sendivent_client_new(options, &client, err);
    sendivent_client_free(client);
    return res;
  }
  if (strcmp(scope, "request") == 0) {
    /* Accepted options let the call reach core's path check, which refuses `..` before any request. */
    snprintf(options, sizeof options, "{\"%s\": %s}", option, number);
    sendivent_result res = sendivent_contacts_get(offline, "..", options, &out, err);
    sendivent_string_free(out);
    if (res == SENDIVENT_ERR_VALIDATION_ERROR) {
      sendivent_error_free(*err);
      *err = NULL;
      return SENDIVENT_OK;
    }
    return res;
  }
  if (strcmp(scope, "verify") == 0 && strcmp(option, "tolerance") == 0) {
    const char *secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", *body = "{}";
    char *sig = NULL;
    if (sendivent_webhook_sign(secret, "msg_1", 1700000000, (const uint8_t *)body, 2, &sig, err) != SENDIVENT_OK)
      return SENDIVENT_ERR_INTERNAL_ERROR;
    sendivent_webhook_header headers[] = {
        {"webhook-id", "msg_1"}, {"webhook-timestamp", "1700000000"}, {"webhook-signature", sig}};
    sendivent_verify_options opts = sendivent_verify_options_default();
    opts.tolerance = value->number;
    opts.use_now = true;
    opts.now = 1700000000;
    sendivent_result res = sendivent_webhook_verify(secret, (const uint8_t *)body, 2, headers, 3, &opts, err);
    sendivent_string_free(sig);
    return res;
  }
  if (strcmp(scope, "send_many") == 0 && strcmp(option, "concurrency") == 0) {
    double concurrency = value->number;
    sendivent_result res = sendivent_send_many(offline, "[]", &concurrency, NULL, &out, err);
    if (res == SENDIVENT_OK && strcmp(out, "[]") != 0) res = SENDIVENT_ERR_INTERNAL_ERROR;
    sendivent_string_free(out);
    return res;
  }
  return (sendivent_result)UINT32_MAX;
}

/* The outcome of a case whose expect is `ok: true` or an error: `res` UINT32_MAX means the
 * runner did not know the input (`what` says which part). */
static void expect_accepted_or_refused(const char *file, const json *c, sendivent_result res, sendivent_error *err,
                                       const char *what, const char *value) {
  if ((uint32_t)res == UINT32_MAX) {
    fail_case(file, c, what, value);
    return;
  }
  json *ok = NULL;
  if (res == SENDIVENT_OK) {
    ok = calloc(1, sizeof(json));
    ok->type = JSON_BOOL;
    ok->boolean = true;
  }
  expect_outcome(file, c, res, err, ok);
  json_free(ok);
}

static void run_option_bounds(const char *file, const json *c, const json *input) {
  sendivent_error *err = NULL;
  sendivent_result res = bounds_outcome(input, &err);
  expect_accepted_or_refused(file, c, res, err, "this runner does not know the scope or option",
                             json_str(json_get(input, "scope")));
}

/* The headers as the client's default_headers, or as one call's extra_headers on the offline
 * client (no retries), where an accepted header reaches the closed port. */
static void run_header_options(const char *file, const json *c, const json *input) {
  const char *scope = json_str(json_get(input, "scope"));
  char *headers = json_dump(json_get(input, "headers"));
  char *options = NULL, *out = NULL;
  sendivent_error *err = NULL;
  sendivent_result res = (sendivent_result)UINT32_MAX;
  if (scope && strcmp(scope, "client") == 0) {
    if (asprintf(&options, "{\"api_key\": \"%s\", \"base_url\": \"%s\", \"default_headers\": %s}", KEY, OFFLINE_URL,
                 headers) >= 0) {
      sendivent_client *client = NULL;
      res = sendivent_client_new(options, &client, &err);
      sendivent_client_free(client);
    }
  } else if (scope && strcmp(scope, "request") == 0) {
    if (asprintf(&options, "{\"extra_headers\": %s}", headers) >= 0) {
      res = sendivent_events_list(offline, options, &out, &err);
      sendivent_string_free(out);
      if (res == SENDIVENT_ERR_CONNECTION_ERROR) {
        sendivent_error_free(err);
        err = NULL;
        res = SENDIVENT_OK;
      }
    }
  }
  free(options);
  free(headers);
  expect_accepted_or_refused(file, c, res, err, "this runner does not know the scope", scope);
}

static void run_redaction(const char *file, const json *c, const json *input) {
  const char *kind = json_str(json_get(input, "kind"));
  const char *secret = json_str(json_get(input, "secret"));
  const char *shown = json_str(json_get(json_get(json_get(c, "expect"), "ok"), "shown"));
  /* What the C API can print of the object holding the secret, and core's redaction itself. */
  char *texts[2] = {NULL, NULL};
  sendivent_redact(secret, &texts[0], NULL);
  if (strcmp(kind, "api_key") == 0) {
    char options[512];
    snprintf(options, sizeof options, "{\"api_key\": \"%s\", \"base_url\": \"%s\"}", secret, OFFLINE_URL);
    sendivent_client *client = NULL;
    if (sendivent_client_new(options, &client, NULL) == SENDIVENT_OK)
      sendivent_client_debug_string(client, &texts[1], NULL);
    sendivent_client_free(client);
  } else if (strcmp(kind, "webhook_secret") == 0) {
    sendivent_webhook_verifier *verifier = NULL;
    if (sendivent_webhook_verifier_new(&secret, 1, &verifier, NULL) == SENDIVENT_OK)
      sendivent_webhook_verifier_debug_string(verifier, &texts[1], NULL);
    sendivent_webhook_verifier_free(verifier);
  } else {
    fail_case(file, c, "this runner does not know the kind", kind);
    return;
  }
  const char *underscore = strchr(secret, '_');
  const char *hidden = underscore ? underscore + 1 : secret;
  for (int i = 0; i < 2; i++) {
    if (!texts[i] || !strstr(texts[i], shown))
      fail_case(file, c, "the output does not show", shown);
    else if (strlen(hidden) >= 8 && strstr(texts[i], hidden))
      fail_case(file, c, "the output shows the secret", NULL);
    sendivent_string_free(texts[i]);
  }
  test_checks++;
  cases_run++;
}

/* Calls the generated function of an operation with the path arguments of a case. */
static sendivent_result call_with_path(const char *op, const json *args, char **out, sendivent_error **err) {
  const char *id = json_str(json_get(args, "identifier")), *uuid = json_str(json_get(args, "uuid"));
  if (strcmp(op, "send") == 0)
    return sendivent_send(offline, json_str(json_get(args, "event")), json_str(json_get(args, "channel")),
                          "{\"to\": \"ada@example.com\"}", NULL, out, err);
  if (strcmp(op, "contacts.get") == 0) return sendivent_contacts_get(offline, id, NULL, out, err);
  if (strcmp(op, "contacts.update") == 0) return sendivent_contacts_update(offline, id, "{}", NULL, out, err);
  if (strcmp(op, "contacts.delete") == 0) return sendivent_contacts_delete(offline, id, NULL, out, err);
  if (strcmp(op, "contacts.add_push_token") == 0)
    return sendivent_contacts_add_push_token(offline, id, "{\"token\": \"t\"}", NULL, out, err);
  if (strcmp(op, "contacts.remove_push_token") == 0)
    return sendivent_contacts_remove_push_token(offline, id, "{\"token\": \"t\"}", NULL, out, err);
  if (strcmp(op, "events.get") == 0) return sendivent_events_get(offline, id, NULL, out, err);
  if (strcmp(op, "deliveries.trace") == 0) return sendivent_deliveries_trace(offline, uuid, NULL, out, err);
  if (strcmp(op, "webhooks.update") == 0) return sendivent_webhooks_update(offline, uuid, "{}", NULL, out, err);
  if (strcmp(op, "webhooks.delete") == 0) return sendivent_webhooks_delete(offline, uuid, NULL, out, err);
  return (sendivent_result)UINT32_MAX;
}

static void run_path_params(const char *file, const json *c, const json *input) {
  const char *op = json_str(json_get(input, "operation"));
  char *out = NULL;
  sendivent_error *err = NULL;
  sendivent_result res = call_with_path(op, json_get(input, "args"), &out, &err);
  if ((uint32_t)res == UINT32_MAX) {
    fail_case(file, c, "this runner has no call for the operation", op);
    return;
  }
  json *got = out ? json_parse(out, NULL) : NULL;
  sendivent_string_free(out);
  expect_outcome(file, c, res, err, got);
  json_free(got);
}

static void run_behaviour_case(const char *file, const json *c) {
  const char *check = json_str(json_get(c, "check"));
  const json *input = json_get(c, "input");
  if (!check)
    fail_case(file, c, "no check", NULL);
  else if (strcmp(check, "error_mapping") == 0)
    run_error_mapping(file, c, input);
  else if (strcmp(check, "option_bounds") == 0)
    run_option_bounds(file, c, input);
  else if (strcmp(check, "header_options") == 0)
    run_header_options(file, c, input);
  else if (strcmp(check, "redaction") == 0)
    run_redaction(file, c, input);
  else if (strcmp(check, "path_params") == 0)
    run_path_params(file, c, input);
  else
    fail_case(file, c, "this runner does not know the check", check);
}

/* How many cases of each file ran, for $SENDIVENT_VECTOR_COUNTS_DIR/c.json. */
static char *count_names[256];
static int count_values[256];
static int count_files = 0;

static int run_file(const char *dir, const char *file) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", dir, file);
  char *text = read_file(path);
  const char *perr = NULL;
  json *doc = text ? json_parse(text, &perr) : NULL;
  free(text);
  if (!doc) {
    fprintf(stderr, "%s: cannot read or parse (%s)\n", path, perr ? perr : "read error");
    test_failures++;
    return 0;
  }
  const char *function = json_str(json_get(doc, "function"));
  const json *cases = json_get(doc, "cases");
  int before = cases_run;
  if (!function || !cases || cases->type != JSON_ARRAY || cases->count == 0) {
    fprintf(stderr, "%s: no function or no cases\n", file);
    test_failures++;
  } else {
    if (strcmp(function, "behaviour") == 0) collect_classes(cases);
    for (size_t i = 0; i < cases->count; i++) {
      const json *c = cases->items[i];
      if (strcmp(function, "validate_email") == 0)
        run_string_case(file, c, sendivent_validate_email);
      else if (strcmp(function, "validate_phone") == 0)
        run_string_case(file, c, sendivent_validate_phone);
      else if (strcmp(function, "resolve_identifier") == 0)
        run_identifier_case(file, c, false);
      else if (strcmp(function, "resolve_recipient") == 0)
        run_identifier_case(file, c, true);
      else if (strcmp(function, "prepare_send") == 0)
        run_prepare_send_case(file, c);
      else if (strcmp(function, "webhook_replay") == 0)
        run_replay_case(file, c);
      else if (strcmp(function, "decode_response") == 0)
        run_decode_case(file, c);
      else if (strcmp(function, "webhook_sign") == 0)
        run_sign_case(file, c);
      else if (strcmp(function, "webhook_verify") == 0)
        run_verify_case(file, c);
      else if (strcmp(function, "behaviour") == 0)
        run_behaviour_case(file, c);
      else {
        fprintf(stderr, "%s: unknown function `%s`: teach bindings-c/tests/test_vectors.c to run it\n", file, function);
        test_failures++;
        break;
      }
    }
  }
  printf("%-22s %-20s %d cases\n", file, function ? function : "?", cases_run - before);
  if (count_files < 256) {
    count_names[count_files] = strdup(file);
    count_values[count_files++] = cases_run - before;
  }
  json_free(doc);
  return 1;
}

/* Writes {"<file>": <cases run>, ...} to <dir>/c.json. */
static void write_counts(const char *dir) {
  if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
    perror(dir);
    test_failures++;
    return;
  }
  char path[4200];
  snprintf(path, sizeof path, "%s/c.json", dir);
  FILE *f = fopen(path, "w");
  if (!f) {
    perror(path);
    test_failures++;
    return;
  }
  fputc('{', f);
  for (int i = 0; i < count_files; i++) fprintf(f, "%s\"%s\": %d", i ? ", " : "", count_names[i], count_values[i]);
  fputs("}\n", f);
  fclose(f);
  printf("counts written to %s\n", path);
}

int main(int argc, char **argv) {
  const char *dir = argc > 1 ? argv[1] : getenv("SENDIVENT_VECTORS_DIR");
  if (!dir) {
    fprintf(stderr, "usage: test_vectors <tests/vectors dir>\n");
    return 2;
  }
  DIR *d = opendir(dir);
  if (!d) {
    perror(dir);
    return 2;
  }
  /* Sorted, so output is stable. */
  char *names[256];
  int count = 0;
  struct dirent *entry;
  while ((entry = readdir(d)) && count < 256) {
    size_t len = strlen(entry->d_name);
    if (len > 5 && strcmp(entry->d_name + len - 5, ".json") == 0) names[count++] = strdup(entry->d_name);
  }
  closedir(d);
  for (int i = 0; i < count; i++)
    for (int j = i + 1; j < count; j++)
      if (strcmp(names[i], names[j]) > 0) {
        char *t = names[i];
        names[i] = names[j];
        names[j] = t;
      }
  char options[256];
  snprintf(options, sizeof options, "{\"api_key\": \"%s\", \"base_url\": \"%s\", \"max_retries\": 0}", KEY,
           OFFLINE_URL);
  CHECK_RESULT(sendivent_client_new(options, &offline, NULL), NULL, SENDIVENT_OK);
  int files = 0;
  for (int i = 0; i < count; i++) {
    files += run_file(dir, names[i]);
    free(names[i]);
  }
  sendivent_client_free(offline);
  CHECK(files > 0);
  printf("vectors: %d files, %d cases\n", files, cases_run);
  const char *counts_dir = getenv("SENDIVENT_VECTOR_COUNTS_DIR");
  char default_dir[4000];
  if (!counts_dir || !*counts_dir) {
    snprintf(default_dir, sizeof default_dir, "%s/../../target/vector-counts", dir);
    counts_dir = default_dir;
  }
  write_counts(counts_dir);
  for (int i = 0; i < count_files; i++) free(count_names[i]);
  TEST_MAIN_END("test_vectors");
}
