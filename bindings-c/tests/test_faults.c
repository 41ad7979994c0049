/* Exactly once under faults: 500 sends through sendivent_send_many against a sendivent-mock that
 * answers 10% of requests with a 5xx before handling them and loses the answer of 10% of the sends
 * it committed (SENDIVENT_FAULTS_BASE_URL; test.sh starts it with --error-rate 0.1 --drop-rate 0.1).
 * Every call is answered, and the mock's state shows exactly 500 sends and 500 deliveries, one per
 * recipient: a retry after a lost answer is a replay of its idempotency key, never a second send.
 * Half of the sends carry the caller's idempotency key, the others a key the library generates. */
#include <stdint.h>
#include <unistd.h>

#include "json.h"
#include "mock.h"
#include "test.h"

#define KEY "test_c_faults_0123456789abcdef"
#define SENDS 500

static int compare_strings(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* How many distinct values `values` (n strings) holds; sorts them. */
static size_t distinct(const char **values, size_t n) {
  qsort(values, n, sizeof *values, compare_strings);
  size_t count = 0;
  for (size_t i = 0; i < n; i++)
    if (values[i] && (i == 0 || !values[i - 1] || strcmp(values[i], values[i - 1]) != 0)) count++;
  return count;
}

static double count_of(const json *state, const char *name) {
  const json *v = json_get(json_get(state, "counts"), name);
  return v ? v->number : -1;
}

int main(void) {
  const char *base_url = getenv("SENDIVENT_FAULTS_BASE_URL");
  if (!base_url || !*base_url) {
    fprintf(stderr,
            "test_faults: SENDIVENT_FAULTS_BASE_URL is not set; run it through bindings-c/test.sh, which "
            "starts sendivent-mock with --error-rate 0.1 --drop-rate 0.1\n");
    return 1;
  }
  char options[512];
  snprintf(options, sizeof options, "{\"api_key\": \"%s\", \"base_url\": \"%s\", \"max_retries\": 8}", KEY, base_url);
  sendivent_client *client = NULL;
  sendivent_error *err = NULL;
  CHECK_RESULT(sendivent_client_new(options, &client, &err), err, SENDIVENT_OK);
  if (!client) TEST_MAIN_END("test_faults");

  /* [{"event", "channel", "body", "idempotency_key"?}, ...] */
  size_t cap = SENDS * 200 + 16, len = 0;
  char *items = malloc(cap);
  long run = (long)getpid();
  len += (size_t)snprintf(items + len, cap - len, "[");
  for (int i = 0; i < SENDS; i++) {
    char key[64] = "";
    if (i % 2 == 0) snprintf(key, sizeof key, ", \"idempotency_key\": \"c-faults-%ld-%d\"", run, i);
    len += (size_t)snprintf(items + len, cap - len,
                            "%s{\"event\": \"user.welcome\", \"channel\": \"email\", \"body\": {\"to\": "
                            "\"f%d-%ld@example.com\"}%s}",
                            i ? ", " : "", i, run, key);
  }
  snprintf(items + len, cap - len, "]");
  double concurrency = 50;
  char *out = NULL;
  CHECK_RESULT(sendivent_send_many(client, items, &concurrency, NULL, &out, &err), err, SENDIVENT_OK);
  free(items);
  json *results = out ? json_parse(out, NULL) : NULL;
  sendivent_string_free(out);
  CHECK(results && results->type == JSON_ARRAY && results->count == SENDS);

  /* Every call answered, successfully; some after retries, some by a replay of a lost answer. */
  int ok = 0, retried = 0, replays = 0;
  for (size_t i = 0; results && i < results->count; i++) {
    const json *answer = json_get(results->items[i], "ok");
    if (!answer) {
      fprintf(stderr, "send %zu failed: %s\n", i, json_str(json_get(json_get(results->items[i], "error"), "display")));
      continue;
    }
    ok++;
    const json *meta = json_get(answer, "meta");
    retried += json_get(meta, "attempts")->number > 1;
    replays += json_get(meta, "idempotent_replay")->boolean;
  }
  CHECK(ok == SENDS);
  CHECK(retried > 20);
  CHECK(replays > 5);
  json_free(results);

  /* The mock's record: 500 sends, 500 deliveries, each recipient and each idempotency key once. */
  json *state = mock_state(base_url);
  CHECK(state != NULL);
  const json *sends = json_get(state, "sends");
  const json *deliveries = json_get(state, "deliveries");
  CHECK(sends && sends->count == SENDS);
  CHECK(deliveries && deliveries->count == SENDS);
  CHECK(count_of(state, "faults_injected") > 0 && count_of(state, "dropped_responses") > 0);
  CHECK(count_of(state, "replays") >= replays);
  size_t n = deliveries ? deliveries->count : 0, m = sends ? sends->count : 0;
  const char **recipients = calloc(n + 1, sizeof(char *));
  const char **keys = calloc(m + 1, sizeof(char *));
  for (size_t i = 0; i < n; i++) recipients[i] = json_str(json_get(deliveries->items[i], "recipient"));
  for (size_t i = 0; i < m; i++) keys[i] = json_str(json_get(sends->items[i], "idempotency_key"));
  CHECK(distinct(recipients, n) == SENDS);
  CHECK(distinct(keys, m) == SENDS);
  printf(
      "faults: %d sends answered (%d retried, %d answered by a replay); %zu sends and %zu deliveries recorded, "
      "%.0f faults injected, %.0f answers lost\n",
      ok, retried, replays, m, n, count_of(state, "faults_injected"), count_of(state, "dropped_responses"));
  free(recipients);
  free(keys);
  json_free(state);
  sendivent_client_free(client);
  TEST_MAIN_END("test_faults");
}
