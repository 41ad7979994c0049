/* The C client's part of `make soak` (tools/soak.sh): mixed calls through libsendivent against a
 * sendivent-mock that injects errors and lost answers, measuring this process's resident memory
 * and open file descriptors after a warm-up and at the end.
 *
 *   soak_c SECONDS BASE_URL
 *
 * Prints one JSON line, as examples/rust/src/bin/soak.rs does: {"language", "seconds",
 * "operations", "errors", "start_rss_kb", "end_rss_kb", "start_fds", "end_fds"}. tools/soak.sh
 * judges the growth. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sendivent.h"

#define SECRET "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
#define BODY "{\"event\":\"delivery.sent\",\"delivery\":{\"uuid\":\"d1\",\"channel\":\"email\",\"status\":\"sent\"}}"
#define MAX_CODES 64

static long rss_kb(void) {
  FILE *f = fopen("/proc/self/status", "r");
  char line[256];
  long kb = 0;
  while (f && fgets(line, sizeof line, f))
    if (strncmp(line, "VmRSS:", 6) == 0) kb = strtol(line + 6, NULL, 10);
  if (f) fclose(f);
  return kb;
}

static long open_fds(void) {
  DIR *d = opendir("/proc/self/fd");
  long n = 0;
  while (d && readdir(d)) n++;
  if (d) closedir(d);
  return n > 2 ? n - 2 : 0; /* without . and .. */
}

static double now_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Error counts by code. */
static char codes[MAX_CODES][64];
static long code_counts[MAX_CODES];
static int code_total = 0;
static long operations = 0;

/* Counts one operation; on failure counts its code and frees the error; frees the answer. */
static void count(sendivent_result res, sendivent_error *err, char *answer) {
  operations++;
  sendivent_string_free(answer);
  if (res == SENDIVENT_OK) return;
  const char *code = sendivent_error_code(err);
  int i = 0;
  while (i < code_total && strcmp(codes[i], code) != 0) i++;
  if (i == code_total && code_total < MAX_CODES) snprintf(codes[code_total++], sizeof codes[0], "%s", code);
  if (i < MAX_CODES) code_counts[i]++;
  sendivent_error_free(err);
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: soak_c SECONDS BASE_URL\n");
    return 2;
  }
  double seconds = atof(argv[1]);
  char options[512];
  snprintf(options, sizeof options,
           "{\"api_key\": \"test_soak_c_0123456789\", \"base_url\": \"%s\", \"max_retries\": 3, \"timeout\": 5}",
           argv[2]);
  sendivent_client *client = NULL;
  sendivent_error *err = NULL;
  if (sendivent_client_new(options, &client, &err) != SENDIVENT_OK) {
    fprintf(stderr, "soak_c: %s\n", sendivent_error_display(err));
    sendivent_error_free(err);
    return 1;
  }
  sendivent_webhook_verifier *verifier = NULL;
  const char *secrets[] = {SECRET};
  if (sendivent_webhook_verifier_new(secrets, 1, &verifier, NULL) != SENDIVENT_OK) return 1;
  sendivent_verify_options verify = sendivent_verify_options_default();
  verify.use_now = true;
  verify.now = 1700000000;

  double started = now_seconds();
  double deadline = started + seconds;
  double warm_up = started + (seconds / 10 > 2 ? seconds / 10 : 2);
  long start_rss = -1, start_fds = -1;
  for (long n = 1; now_seconds() < deadline; n++) {
    if (start_rss < 0 && now_seconds() >= warm_up) {
      start_rss = rss_kb();
      start_fds = open_fds();
    }
    char email[128], body[256], request[256], id[64];
    char *out = NULL;
    snprintf(email, sizeof email, "soak-c-%ld@example.com", n % 500);
    snprintf(body, sizeof body, "{\"to\": \"%s\"}", email);
    snprintf(request, sizeof request, "{\"idempotency_key\": \"soak-c-%ld-%ld\"}", (long)started, n);
    err = NULL;
    count(sendivent_send(client, "user.welcome", NULL, body, request, &out, &err), err, out);
    char contact[256], identifier[160];
    snprintf(identifier, sizeof identifier, "c%ld-%s", n, email);
    snprintf(contact, sizeof contact, "{\"email\": \"%s\"}", identifier);
    out = NULL, err = NULL;
    count(sendivent_contacts_create(client, contact, NULL, &out, &err), err, out);
    out = NULL, err = NULL;
    count(sendivent_contacts_delete(client, identifier, NULL, &out, &err), err, out);
    out = NULL, err = NULL;
    count(sendivent_contacts_list(client, "{\"limit\": 20}", NULL, &out, &err), err, out);
    out = NULL, err = NULL;
    count(sendivent_deliveries_list(client, "{\"limit\": 20}", NULL, &out, &err), err, out);
    out = NULL, err = NULL;
    count(sendivent_events_list(client, NULL, &out, &err), err, out);

    char *sig = NULL, *event = NULL;
    snprintf(id, sizeof id, "msg_%ld", n);
    if (sendivent_webhook_sign(SECRET, id, 1700000000, (const uint8_t *)BODY, strlen(BODY), &sig, NULL) != SENDIVENT_OK)
      return 1;
    sendivent_webhook_header headers[] = {
        {"webhook-id", id}, {"webhook-timestamp", "1700000000"}, {"webhook-signature", sig}};
    err = NULL;
    count(sendivent_webhook_verifier_verify_event(verifier, (const uint8_t *)BODY, strlen(BODY), headers, 3, &verify,
                                                  &event, &err),
          err, event);
    sendivent_string_free(sig);
  }
  if (start_rss < 0) {
    start_rss = rss_kb();
    start_fds = open_fds();
  }
  printf("{\"language\": \"c\", \"seconds\": %g, \"operations\": %ld, \"errors\": {", seconds, operations);
  for (int i = 0; i < code_total; i++) printf("%s\"%s\": %ld", i ? ", " : "", codes[i], code_counts[i]);
  printf("}, \"start_rss_kb\": %ld, \"end_rss_kb\": %ld, \"start_fds\": %ld, \"end_fds\": %ld}\n", start_rss, rss_kb(),
         start_fds, open_fds());
  sendivent_webhook_verifier_free(verifier);
  sendivent_client_free(client);
  return 0;
}
