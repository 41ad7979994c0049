/* End-to-end tests of every endpoint against sendivent-mock (SENDIVENT_BASE_URL must point at
 * it: test.sh starts it), error paths, and 16 threads sending through one client. */
#include <pthread.h>
#include <stdint.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "json.h"
#include "test.h"

#define KEY "test_c_e2e_0123456789abcdef"

static sendivent_client *client;

/* Parses an answer and returns its root (freed by the caller with json_free). */
static json *parse_answer(char *out) {
  const char *error = NULL;
  json *root = out ? json_parse(out, &error) : NULL;
  if (!root) fprintf(stderr, "answer is not JSON (%s): %s\n", error ? error : "null", out ? out : "(null)");
  CHECK(root != NULL);
  sendivent_string_free(out);
  return root;
}

static const json *data_of(const json *root) { return json_get(root, "data"); }

static double meta_number(const json *root, const char *key) {
  const json *v = json_get(json_get(root, "meta"), key);
  return v && v->type == JSON_NUMBER ? v->number : -1;
}

static void test_send(void) {
  char *out = NULL;
  sendivent_error *err = NULL;
  CHECK_RESULT(sendivent_send(client, "user.welcome", NULL,
                              "{\"to\": {\"email\": \"ada@example.com\", \"name\": \"Ada\", \"tier\": \"gold\"},"
                              " \"payload\": {\"message\": \"hello from C\"}}",
                              NULL, &out, &err),
               err, SENDIVENT_OK);
  json *root = parse_answer(out);
  const json *data = data_of(root);
  CHECK(json_get(data, "success") && json_get(data, "success")->boolean);
  const json *deliveries = json_get(data, "deliveries");
  CHECK(deliveries && deliveries->type == JSON_ARRAY && deliveries->count >= 1);
  CHECK(meta_number(root, "status") == 200);
  CHECK(meta_number(root, "attempts") == 1);
  CHECK(json_str(json_get(json_get(root, "meta"), "request_id")) != NULL);
  /* Every send carries an idempotency key, generated when the caller gives none. */
  CHECK(json_str(json_get(json_get(root, "meta"), "idempotency_key")) != NULL);
  json_free(root);

  /* The caller's idempotency key: the second request is answered from the first. */
  char key[64], options[128];
  snprintf(key, sizeof key, "c-e2e-%ld", (long)getpid());
  snprintf(options, sizeof options, "{\"idempotency_key\": \"%s\"}", key);
  const char *req = "{\"to\": \"ada@example.com\", \"payload\": {\"message\": \"once\"}}";
  CHECK_RESULT(sendivent_send(client, "user.welcome", NULL, req, options, &out, &err), err, SENDIVENT_OK);
  json *first = parse_answer(out);
  CHECK_RESULT(sendivent_send(client, "user.welcome", NULL, req, options, &out, &err), err, SENDIVENT_OK);
  json *second = parse_answer(out);
  CHECK_STR(json_str(json_get(json_get(second, "meta"), "idempotency_key")), key);
  const json *replay = json_get(json_get(second, "meta"), "idempotent_replay");
  CHECK(replay && replay->boolean);
  CHECK(json_equal(data_of(first), data_of(second)));
  json_free(first);
  json_free(second);

  /* One channel only, to a formatted phone number normalised to E.164 first. */
  CHECK_RESULT(
      sendivent_send(client, "order.confirmed", "sms",
                     "{\"to\": \"+46 70 123 45 67\", \"payload\": {\"order_id\": \"1042\"}}", NULL, &out, &err),
      err, SENDIVENT_OK);
  root = parse_answer(out);
  deliveries = json_get(data_of(root), "deliveries");
  CHECK(deliveries && deliveries->count == 1);
  if (deliveries && deliveries->count == 1) {
    CHECK_STR(json_str(json_get(deliveries->items[0], "channel")), "sms");
    CHECK(json_str(json_get(deliveries->items[0], "uuid")) != NULL);
  }
  json_free(root);

  /* A contact without a phone on an email + sms event: the send succeeds, the skipped channel is
   * listed in `errors`. */
  CHECK_RESULT(sendivent_send(client, "order.confirmed", NULL,
                              "{\"to\": \"grace@example.com\", \"payload\": {\"order_id\": \"7\"}}", NULL, &out, &err),
               err, SENDIVENT_OK);
  root = parse_answer(out);
  const json *skipped = json_get(data_of(root), "errors");
  CHECK(json_get(data_of(root), "success") && json_get(data_of(root), "success")->boolean);
  CHECK(skipped && skipped->count == 1);
  if (skipped && skipped->count == 1) CHECK_STR(json_str(json_get(skipped->items[0], "code")), "MISSING_IDENTIFIER");
  json_free(root);

  /* A failed send is an error carrying the API's reasons. */
  out = NULL;
  CHECK_RESULT(
      sendivent_send(client, "no.such.event", NULL, "{\"to\": \"ada@example.com\", \"payload\": {}}", NULL, &out, &err),
      err, SENDIVENT_ERR_SEND_FAILED);
  CHECK(out == NULL);
  CHECK_STR(sendivent_error_code(err), "SEND_FAILED");
  CHECK_STR(sendivent_error_class(err), "SendFailedError");
  CHECK(sendivent_error_is_a(err, "APIError"));
  CHECK(sendivent_error_status(err) >= 200);
  json *details = json_parse(sendivent_error_details_json(err), NULL);
  const json *reasons = json_get(details, "errors");
  CHECK(reasons && reasons->type == JSON_ARRAY && reasons->count >= 1);
  if (reasons && reasons->count >= 1) CHECK_STR(json_str(json_get(reasons->items[0], "code")), "EVENT_NOT_FOUND");
  json_free(details);
  sendivent_error_free(err);
  err = NULL;
}

static void test_contacts(void) {
  char *out = NULL, body[512], email[128];
  sendivent_error *err = NULL;
  snprintf(email, sizeof email, "c.e2e+%ld@example.com", (long)getpid());
  snprintf(body, sizeof body,
           "{\"email\": \"%s\", \"name\": \"Grace\", \"phone\": \"+1 (415) 555-2671\", \"tier\": \"gold\"}", email);
  CHECK_RESULT(sendivent_contacts_create(client, body, NULL, &out, &err), err, SENDIVENT_OK);
  json *created = parse_answer(out);
  const json *contact = data_of(created);
  const char *uuid = json_str(json_get(contact, "uuid"));
  CHECK(uuid != NULL && strlen(uuid) == 36);
  CHECK_STR(json_str(json_get(contact, "email")), email);
  CHECK_STR(json_str(json_get(contact, "phone")), "+14155552671");
  CHECK_STR(json_str(json_get(json_get(contact, "meta"), "tier")), "gold");

  /* By email: the `+` and `@` must survive the path. By UUID and phone too. */
  const char *ids[] = {email, uuid, "+14155552671"};
  for (size_t i = 0; i < 3; i++) {
    CHECK_RESULT(sendivent_contacts_get(client, ids[i], NULL, &out, &err), err, SENDIVENT_OK);
    json *got = parse_answer(out);
    CHECK_STR(json_str(json_get(data_of(got), "uuid")), uuid);
    json_free(got);
  }

  CHECK_RESULT(sendivent_contacts_update(client, uuid, "{\"name\": \"Grace Hopper\"}", NULL, &out, &err), err,
               SENDIVENT_OK);
  json *updated = parse_answer(out);
  CHECK_STR(json_str(json_get(data_of(updated), "name")), "Grace Hopper");
  CHECK_STR(json_str(json_get(data_of(updated), "email")), email);
  json_free(updated);

  snprintf(body, sizeof body, "{\"search\": \"c.e2e+%ld\", \"limit\": 10}", (long)getpid());
  CHECK_RESULT(sendivent_contacts_list(client, body, NULL, &out, &err), err, SENDIVENT_OK);
  json *page = parse_answer(out);
  const json *contacts = json_get(data_of(page), "contacts");
  CHECK(contacts && contacts->type == JSON_ARRAY && contacts->count == 1);
  CHECK(json_get(data_of(page), "total") && json_get(data_of(page), "total")->number == 1);
  json_free(page);
  CHECK_RESULT(sendivent_contacts_list(client, NULL, NULL, &out, &err), err, SENDIVENT_OK);
  page = parse_answer(out);
  CHECK(json_get(data_of(page), "total") && json_get(data_of(page), "total")->number >= 1);
  json_free(page);

  CHECK_RESULT(
      sendivent_contacts_add_push_token(client, uuid, "{\"token\": \"ExponentPushToken[c-e2e]\"}", NULL, &out, &err),
      err, SENDIVENT_OK);
  json *ack = parse_answer(out);
  CHECK(json_get(data_of(ack), "success") && json_get(data_of(ack), "success")->boolean);
  json_free(ack);
  CHECK_RESULT(sendivent_contacts_get(client, uuid, NULL, &out, &err), err, SENDIVENT_OK);
  json *with_token = parse_answer(out);
  const json *tokens = json_get(data_of(with_token), "push_tokens");
  CHECK(tokens && tokens->count == 1 && strcmp(json_str(tokens->items[0]), "ExponentPushToken[c-e2e]") == 0);
  json_free(with_token);
  CHECK_RESULT(
      sendivent_contacts_remove_push_token(client, uuid, "{\"token\": \"ExponentPushToken[c-e2e]\"}", NULL, &out, &err),
      err, SENDIVENT_OK);
  json_free(parse_answer(out));

  CHECK_RESULT(sendivent_contacts_delete(client, uuid, NULL, &out, &err), err, SENDIVENT_OK);
  json *deleted = parse_answer(out);
  CHECK(json_get(data_of(deleted), "deleted") && json_get(data_of(deleted), "deleted")->boolean);
  json_free(deleted);

  out = NULL;
  CHECK_RESULT(sendivent_contacts_get(client, uuid, NULL, &out, &err), err, SENDIVENT_ERR_NOT_FOUND);
  CHECK(out == NULL);
  CHECK_STR(sendivent_error_code(err), "NOT_FOUND");
  CHECK(sendivent_error_status(err) == 404);
  CHECK(strlen(sendivent_error_message(err)) > 0);
  CHECK(sendivent_error_request_id(err) != NULL && strncmp(sendivent_error_request_id(err), "req_", 4) == 0);
  sendivent_error_free(err);
  err = NULL;
  json_free(created);
}

static void test_events_deliveries_integrations(void) {
  char *out = NULL;
  sendivent_error *err = NULL;
  CHECK_RESULT(sendivent_events_list(client, NULL, &out, &err), err, SENDIVENT_OK);
  json *events = parse_answer(out);
  const json *list = json_get(data_of(events), "events");
  int found = 0;
  for (size_t i = 0; list && list->type == JSON_ARRAY && i < list->count; i++)
    if (json_str(json_get(list->items[i], "identifier")) &&
        strcmp(json_str(json_get(list->items[i], "identifier")), "user.welcome") == 0)
      found = 1;
  CHECK(found);
  json_free(events);

  CHECK_RESULT(sendivent_events_get(client, "user.welcome", NULL, &out, &err), err, SENDIVENT_OK);
  json *event = parse_answer(out);
  CHECK_STR(json_str(json_get(data_of(event), "identifier")), "user.welcome");
  CHECK(json_get(data_of(event), "templates") && json_get(data_of(event), "templates")->count >= 1);
  json_free(event);

  CHECK_RESULT(sendivent_events_get(client, "no.such.event", NULL, &out, &err), err, SENDIVENT_ERR_NOT_FOUND);
  sendivent_error_free(err);
  err = NULL;

  CHECK_RESULT(sendivent_deliveries_list(client, "{\"limit\": 5, \"event\": \"user.welcome\"}", NULL, &out, &err), err,
               SENDIVENT_OK);
  json *page = parse_answer(out);
  const json *deliveries = json_get(data_of(page), "deliveries");
  CHECK(deliveries && deliveries->type == JSON_ARRAY && deliveries->count >= 1 && deliveries->count <= 5);
  if (deliveries && deliveries->count >= 1) {
    const char *uuid = json_str(json_get(deliveries->items[0], "uuid"));
    CHECK(uuid != NULL);
    CHECK_RESULT(sendivent_deliveries_trace(client, uuid, NULL, &out, &err), err, SENDIVENT_OK);
    json *trace = parse_answer(out);
    CHECK_STR(json_str(json_get(json_get(data_of(trace), "delivery"), "uuid")), uuid);
    CHECK(json_get(data_of(trace), "timeline") && json_get(data_of(trace), "timeline")->type == JSON_ARRAY);
    json_free(trace);
  }
  json_free(page);
  CHECK_RESULT(sendivent_deliveries_list(client, "{\"status\": \"sideways\"}", NULL, &out, &err), err,
               SENDIVENT_ERR_VALIDATION_ERROR);
  CHECK(sendivent_error_status(err) == 400);
  sendivent_error_free(err);
  err = NULL;

  CHECK_RESULT(sendivent_integrations_list(client, NULL, NULL, &out, &err), err, SENDIVENT_OK);
  json *all = parse_answer(out);
  const json *integrations = json_get(data_of(all), "integrations");
  CHECK(integrations && integrations->count >= 1);
  json_free(all);
  CHECK_RESULT(sendivent_integrations_list(client, "{\"channel\": \"email\"}", NULL, &out, &err), err, SENDIVENT_OK);
  json *email = parse_answer(out);
  integrations = json_get(data_of(email), "integrations");
  CHECK(integrations && integrations->count >= 1);
  for (size_t i = 0; integrations && i < integrations->count; i++)
    CHECK_STR(json_str(json_get(integrations->items[i], "channel")), "email");
  json_free(email);
}

static void test_webhooks(void) {
  char *out = NULL;
  sendivent_error *err = NULL;
  /* Start from no webhook: the mock allows one per application. */
  if (sendivent_webhooks_get(client, NULL, &out, NULL) == SENDIVENT_OK) {
    json *existing = parse_answer(out);
    CHECK_RESULT(sendivent_webhooks_delete(client, json_str(json_get(data_of(existing), "uuid")), NULL, &out, &err),
                 err, SENDIVENT_OK);
    json_free(parse_answer(out));
    json_free(existing);
  }
  CHECK_RESULT(sendivent_webhooks_get(client, NULL, &out, &err), err, SENDIVENT_ERR_NOT_FOUND);
  sendivent_error_free(err);
  err = NULL;

  const char *create =
      "{\"url\": \"https://example.com/hooks/sendivent\", \"enabled_events\": [\"delivery.sent\","
      " \"delivery.failed\"], \"description\": \"C e2e\"}";
  CHECK_RESULT(sendivent_webhooks_create(client, create, NULL, &out, &err), err, SENDIVENT_OK);
  json *hook = parse_answer(out);
  const char *uuid = json_str(json_get(data_of(hook), "uuid"));
  const char *secret = json_str(json_get(data_of(hook), "signing_secret"));
  CHECK(uuid != NULL);
  CHECK(secret != NULL && strncmp(secret, "whsec_", 6) == 0);

  CHECK_RESULT(sendivent_webhooks_create(client, create, NULL, &out, &err), err, SENDIVENT_ERR_CONFLICT);
  CHECK(sendivent_error_status(err) == 409);
  sendivent_error_free(err);
  err = NULL;

  CHECK_RESULT(sendivent_webhooks_get(client, NULL, &out, &err), err, SENDIVENT_OK);
  json *got = parse_answer(out);
  CHECK_STR(json_str(json_get(data_of(got), "uuid")), uuid);
  json_free(got);

  CHECK_RESULT(sendivent_webhooks_update(client, uuid, "{\"is_active\": false}", NULL, &out, &err), err, SENDIVENT_OK);
  json *updated = parse_answer(out);
  CHECK(json_get(data_of(updated), "is_active") && !json_get(data_of(updated), "is_active")->boolean);
  json_free(updated);

  CHECK_RESULT(sendivent_webhooks_delete(client, uuid, NULL, &out, &err), err, SENDIVENT_OK);
  json_free(parse_answer(out));
  json_free(hook);
}

/* The generic entry points: a call by name, the paginator, send_many. */
static void test_generic_entry_points(void) {
  char *out = NULL;
  sendivent_error *err = NULL;
  CHECK_RESULT(sendivent_call(client, "contacts.get", "{\"identifier\": \"ada@example.com\"}", NULL, &out, &err), err,
               SENDIVENT_OK);
  json *ada = parse_answer(out);
  CHECK_STR(json_str(json_get(data_of(ada), "email")), "ada@example.com");
  json_free(ada);

  /* Walk every contact one per page (the fixtures have two or more): the library steps the offset
   * and stops at the total. */
  CHECK_RESULT(sendivent_contacts_list(client, "{\"limit\": 100}", NULL, &out, &err), err, SENDIVENT_OK);
  json *page = parse_answer(out);
  const json *total = json_get(data_of(page), "total");
  sendivent_paginator *pages = NULL;
  CHECK_RESULT(sendivent_paginator_new(client, "contacts.list", "{\"limit\": 1}", NULL, &pages, &err), err,
               SENDIVENT_OK);
  int seen = 0;
  for (;;) {
    char *item = NULL;
    if (sendivent_paginator_next(pages, &item, &err) != SENDIVENT_OK) {
      CHECK_RESULT(SENDIVENT_ERR_INTERNAL_ERROR, err, SENDIVENT_OK);
      sendivent_error_free(err);
      err = NULL;
      break;
    }
    if (!item) break;
    json *contact = json_parse(item, NULL);
    CHECK(json_str(json_get(contact, "uuid")) != NULL);
    json_free(contact);
    sendivent_string_free(item);
    seen++;
  }
  CHECK(total && seen == (int)total->number && seen >= 2);
  if (!total || seen != (int)total->number)
    fprintf(stderr, "the paginator saw %d contacts of %g\n", seen, total ? total->number : -1);
  /* At the end it stays at the end. */
  char *after = (char *)"untouched";
  CHECK_RESULT(sendivent_paginator_next(pages, &after, &err), err, SENDIVENT_OK);
  CHECK(after == NULL);
  sendivent_paginator_free(pages);
  json_free(page);

  /* Many sends at once: one result per item, in order, a failed item does not stop the others. */
  const char *items =
      "[{\"event\": \"user.welcome\", \"body\": {\"to\": \"many1@example.com\"}},"
      " {\"event\": \"no.such.event\", \"body\": {\"to\": \"many2@example.com\"}},"
      " {\"event\": \"order.confirmed\", \"channel\": \"email\", \"body\": {\"to\": \"many3@example.com\"},"
      " \"idempotency_key\": \"c-many-3\"}]";
  double concurrency = 2;
  CHECK_RESULT(sendivent_send_many(client, items, &concurrency, NULL, &out, &err), err, SENDIVENT_OK);
  json *results = json_parse(out, NULL);
  sendivent_string_free(out);
  CHECK(results && results->type == JSON_ARRAY && results->count == 3);
  if (results && results->count == 3) {
    CHECK(json_get(json_get(json_get(results->items[0], "ok"), "data"), "deliveries") != NULL);
    CHECK_STR(json_str(json_get(json_get(results->items[1], "error"), "code")), "SEND_FAILED");
    CHECK_STR(json_str(json_get(json_get(results->items[1], "error"), "class")), "SendFailedError");
    CHECK_STR(json_str(json_get(json_get(json_get(results->items[2], "ok"), "meta"), "idempotency_key")), "c-many-3");
  }
  json_free(results);
}

static void test_transport_errors(void) {
  /* The discard port: nothing listens. */
  const char *options = "{\"api_key\": \"" KEY
                        "\", \"base_url\": \"http://127.0.0.1:9\", \"max_retries\": 0, "
                        "\"timeout\": 2}";
  sendivent_client *dead = NULL;
  sendivent_error *err = NULL;
  char *out = NULL;
  CHECK_RESULT(sendivent_client_new(options, &dead, &err), err, SENDIVENT_OK);
  CHECK_RESULT(sendivent_events_list(dead, NULL, &out, &err), err, SENDIVENT_ERR_CONNECTION_ERROR);
  CHECK(out == NULL);
  CHECK_STR(sendivent_error_code(err), "CONNECTION_ERROR");
  CHECK_STR(sendivent_error_class(err), "APIConnectionError");
  CHECK(sendivent_error_is_retryable(err));
  CHECK(sendivent_error_status(err) == 0);
  /* The API key never appears in an error message. */
  CHECK(strstr(sendivent_error_message(err), "0123456789") == NULL);
  sendivent_error_free(err);
  sendivent_client_free(dead);
}

/* --- 16 threads, one client --- */

#define THREADS 16

typedef struct {
  int index;
  int iterations;
  int ok;
  char uuids[64][40];
  int uuid_count;
} worker;

static void *send_worker(void *arg) {
  worker *w = arg;
  for (int i = 0; i < w->iterations; i++) {
    char body[256], *out = NULL;
    sendivent_error *err = NULL;
    snprintf(body, sizeof body, "{\"to\": \"thread%d.%d@example.com\", \"payload\": {\"message\": \"n%d\"}}", w->index,
             i, i);
    if (sendivent_send(client, "user.welcome", "email", body, NULL, &out, &err) != SENDIVENT_OK) {
      fprintf(stderr, "thread %d send %d failed: %s %s\n", w->index, i, sendivent_error_code(err),
              sendivent_error_message(err));
      sendivent_error_free(err);
      continue;
    }
    json *root = json_parse(out, NULL);
    sendivent_string_free(out);
    const json *d = json_get(data_of(root), "deliveries");
    const char *uuid = d && d->count == 1 ? json_str(json_get(d->items[0], "uuid")) : NULL;
    if (uuid && w->uuid_count < 64) {
      snprintf(w->uuids[w->uuid_count++], sizeof w->uuids[0], "%s", uuid);
      w->ok++;
    }
    json_free(root);
  }
  return NULL;
}

static void test_concurrent_sends(int iterations) {
  static worker workers[THREADS];
  pthread_t threads[THREADS];
  for (int t = 0; t < THREADS; t++) {
    workers[t] = (worker){.index = t, .iterations = iterations};
    CHECK(pthread_create(&threads[t], NULL, send_worker, &workers[t]) == 0);
  }
  int total = 0;
  for (int t = 0; t < THREADS; t++) {
    pthread_join(threads[t], NULL);
    CHECK(workers[t].ok == iterations);
    total += workers[t].ok;
  }
  CHECK(total == THREADS * iterations);
  /* Every send created its own delivery: no answer was crossed between threads. */
  int duplicates = 0;
  for (int a = 0; a < THREADS; a++)
    for (int i = 0; i < workers[a].uuid_count; i++)
      for (int b = a; b < THREADS; b++)
        for (int j = (b == a ? i + 1 : 0); j < workers[b].uuid_count; j++)
          if (strcmp(workers[a].uuids[i], workers[b].uuids[j]) == 0) duplicates++;
  CHECK(duplicates == 0);
  printf("concurrent: %d threads x %d sends through one client\n", THREADS, iterations);
}

/* docs/contract.md §2 "Processes": a client made (and used) before fork() works in the child,
 * which gets a fresh runtime and connection pool, and still works in the parent. */
static void test_fork(void) {
  char *out = NULL;
  const char *req = "{\"to\": \"fork@example.com\", \"payload\": {\"message\": \"before fork\"}}";
  CHECK_RESULT(sendivent_send(client, "user.welcome", "email", req, NULL, &out, NULL), NULL, SENDIVENT_OK);
  sendivent_string_free(out);
  /* The child reports through a pipe: under valgrind its exit status also counts what the parent's
   * runtime, abandoned in the child on purpose, leaves behind. */
  int report[2];
  CHECK(pipe(report) == 0);
  fflush(NULL);
  pid_t child = fork();
  CHECK(child >= 0);
  if (child == 0) {
    /* The child: a send and a read through the parent's client; a hang (on the parent's runtime,
     * whose threads the child does not have) fails by SIGALRM. */
    close(report[0]);
    alarm(60);
    int failures = 0;
    char *answer = NULL;
    sendivent_error *err = NULL;
    const char *child_req = "{\"to\": \"fork-child@example.com\", \"payload\": {\"message\": \"in the child\"}}";
    if (sendivent_send(client, "user.welcome", "email", child_req, NULL, &answer, &err) != SENDIVENT_OK) {
      fprintf(stderr, "fork child: send failed: %s\n", sendivent_error_display(err));
      failures++;
    }
    sendivent_string_free(answer);
    sendivent_error_free(err);
    err = NULL;
    answer = NULL;
    if (sendivent_contacts_get(client, "fork-child@example.com", NULL, &answer, &err) != SENDIVENT_OK) {
      fprintf(stderr, "fork child: contacts.get failed: %s\n", sendivent_error_display(err));
      failures++;
    }
    sendivent_string_free(answer);
    sendivent_error_free(err);
    const char *verdict = failures == 0 ? "ok" : "failed";
    ssize_t written = write(report[1], verdict, strlen(verdict));
    /* _exit: the parent's threads do not exist here; the child ends without running exit handlers. */
    _exit(written > 0 ? 0 : 1);
  }
  close(report[1]);
  char verdict[16] = "";
  ssize_t n = read(report[0], verdict, sizeof verdict - 1);
  verdict[n > 0 ? n : 0] = '\0';
  close(report[0]);
  int status = 0;
  CHECK(waitpid(child, &status, 0) == child);
  CHECK(WIFEXITED(status)); /* not killed by the alarm */
  CHECK_STR(verdict, "ok");
  out = NULL;
  CHECK_RESULT(sendivent_send(client, "user.welcome", "email", req, NULL, &out, NULL), NULL, SENDIVENT_OK);
  sendivent_string_free(out);
  printf("fork: a client made before fork() served the child and the parent\n");
}

/* The replay guard on a real Redis (SENDIVENT_TEST_REDIS_URL, started by test.sh): two guards,
 * as two receiving processes would have, accept one delivery once. */
static void test_redis_replay_guard(void) {
  const char *url = getenv("SENDIVENT_TEST_REDIS_URL");
  CHECK(url && *url);
  if (!url || !*url) {
    fprintf(stderr, "test_e2e: SENDIVENT_TEST_REDIS_URL is not set; bindings-c/test.sh starts redis-server\n");
    return;
  }
  const char *secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  const char *body =
      "{\"event\":\"delivery.sent\",\"delivery\":{\"uuid\":\"d1\",\"channel\":\"email\",\"status\":\"sent\"}}";
  char id[64], ts[32], ns[64], *sig = NULL;
  long now = (long)time(NULL);
  snprintf(id, sizeof id, "msg_c_redis_%ld_%ld", (long)getpid(), now);
  snprintf(ts, sizeof ts, "%ld", now);
  snprintf(ns, sizeof ns, "c-e2e-%ld:", (long)getpid());
  CHECK_RESULT(sendivent_webhook_sign(secret, id, now, (const uint8_t *)body, strlen(body), &sig, NULL), NULL,
               SENDIVENT_OK);
  sendivent_webhook_header headers[] = {{"webhook-id", id}, {"webhook-timestamp", ts}, {"webhook-signature", sig}};
  sendivent_webhook_verifier *verifier = NULL;
  sendivent_replay_guard *a = NULL, *b = NULL;
  sendivent_error *err = NULL;
  CHECK_RESULT(sendivent_webhook_verifier_new(&secret, 1, &verifier, &err), err, SENDIVENT_OK);
  CHECK_RESULT(sendivent_replay_guard_new_redis(url, ns, &a, &err), err, SENDIVENT_OK);
  CHECK_RESULT(sendivent_replay_guard_new_redis(url, ns, &b, &err), err, SENDIVENT_OK);
  char *event = NULL;
  CHECK_RESULT(sendivent_webhook_verifier_verify_event_once(verifier, a, (const uint8_t *)body, strlen(body), headers,
                                                            3, NULL, &event, NULL, &err),
               err, SENDIVENT_OK);
  CHECK(event && strstr(event, "delivery.sent"));
  sendivent_string_free(event);
  CHECK_RESULT(sendivent_webhook_verifier_verify_once(verifier, b, (const uint8_t *)body, strlen(body), headers, 3,
                                                      NULL, NULL, &err),
               err, SENDIVENT_ERR_WEBHOOK_DUPLICATE);
  sendivent_error_free(err);
  sendivent_replay_guard_free(a);
  sendivent_replay_guard_free(b);
  sendivent_webhook_verifier_free(verifier);
  sendivent_string_free(sig);
  printf("redis: one delivery accepted once across two guards\n");
}

int main(void) {
  const char *base_url = getenv("SENDIVENT_BASE_URL");
  if (!base_url || !*base_url) {
    fprintf(stderr,
            "test_e2e: SENDIVENT_BASE_URL is not set; run it through bindings-c/test.sh, which starts "
            "sendivent-mock\n");
    return 1;
  }
  const char *iters = getenv("SENDIVENT_TEST_ITERATIONS");
  int iterations = iters ? atoi(iters) : 8;
  if (iterations < 1 || iterations > 64) iterations = 8;

  char options[512];
  snprintf(options, sizeof options, "{\"api_key\": \"%s\", \"base_url\": \"%s\"}", KEY, base_url);
  sendivent_error *err = NULL;
  CHECK_RESULT(sendivent_client_new(options, &client, &err), err, SENDIVENT_OK);
  if (!client) TEST_MAIN_END("test_e2e");

  test_send();
  test_contacts();
  test_events_deliveries_integrations();
  test_webhooks();
  test_generic_entry_points();
  test_transport_errors();
  test_concurrent_sends(iterations);
  test_redis_replay_guard();
  test_fork();
  sendivent_client_free(client);
  TEST_MAIN_END("test_e2e");
}
