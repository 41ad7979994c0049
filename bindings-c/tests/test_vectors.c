/* Runs every shared vector (every .json file in tests/vectors) through the C ABI. A file whose `function`
 * this runner does not know fails the run: vectors are never skipped. */
#include <dirent.h>
#include <stdint.h>

#include "json.h"
#include "test.h"

static int cases_run = 0;

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
      fprintf(stderr, "%s: %s: result %u is named %s, not %s\n", file, name, (unsigned)res,
              sendivent_result_name(res), code);
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

static void run_identifier_case(const char *file, const json *c) {
  const char *input = json_str(json_get(c, "input"));
  char *out = NULL;
  sendivent_identifier_kind kind = 0;
  sendivent_error *err = NULL;
  sendivent_result res = sendivent_resolve_identifier(input, &kind, &out, &err);
  json *got = NULL;
  if (res == SENDIVENT_OK) {
    const char *kind_name = sendivent_identifier_kind_name(kind);
    json *obj = calloc(1, sizeof(json));
    obj->type = JSON_OBJECT;
    obj->count = 2;
    obj->items = calloc(2, sizeof(json *));
    obj->keys = calloc(2, sizeof(char *));
    obj->keys[0] = strdup("kind");
    obj->items[0] = string_value(kind_name ? kind_name : "?");
    obj->keys[1] = strdup("value");
    obj->items[1] = string_value(out);
    got = obj;
  }
  sendivent_string_free(out);
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
  sendivent_result res = sendivent_webhook_sign(json_str(json_get(input, "secret")), json_str(json_get(input, "id")),
                                                ts ? (int64_t)ts->number : 0, (const uint8_t *)body,
                                                body ? strlen(body) : 0, &out, &err);
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
  if (now) { opts.use_now = true; opts.now = (int64_t)now->number; }
  const json *tol = json_get(input, "tolerance_seconds");
  if (tol) opts.tolerance_secs = (uint64_t)tol->number;
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
      if (res == SENDIVENT_OK) { got = calloc(1, sizeof(json)); got->type = JSON_BOOL; got->boolean = true; }
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
    for (size_t i = 0; i < cases->count; i++) {
      const json *c = cases->items[i];
      if (strcmp(function, "validate_email") == 0) run_string_case(file, c, sendivent_validate_email);
      else if (strcmp(function, "validate_phone") == 0) run_string_case(file, c, sendivent_validate_phone);
      else if (strcmp(function, "resolve_identifier") == 0) run_identifier_case(file, c);
      else if (strcmp(function, "decode_response") == 0) run_decode_case(file, c);
      else if (strcmp(function, "webhook_sign") == 0) run_sign_case(file, c);
      else if (strcmp(function, "webhook_verify") == 0) run_verify_case(file, c);
      else {
        fprintf(stderr, "%s: unknown function `%s`: teach bindings-c/tests/test_vectors.c to run it\n", file,
                function);
        test_failures++;
        break;
      }
    }
  }
  printf("%-22s %-20s %d cases\n", file, function ? function : "?", cases_run - before);
  json_free(doc);
  return 1;
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
      if (strcmp(names[i], names[j]) > 0) { char *t = names[i]; names[i] = names[j]; names[j] = t; }
  int files = 0;
  for (int i = 0; i < count; i++) {
    files += run_file(dir, names[i]);
    free(names[i]);
  }
  CHECK(files > 0);
  printf("vectors: %d files, %d cases\n", files, cases_run);
  /* For test.sh's meta-check against the number of cases in the files. */
  if (getenv("SENDIVENT_VECTORS_COUNT_FILE")) {
    FILE *f = fopen(getenv("SENDIVENT_VECTORS_COUNT_FILE"), "w");
    if (f) { fprintf(f, "%d\n", cases_run); fclose(f); }
  }
  TEST_MAIN_END("test_vectors");
}
