/* Sends one notification with libsendivent.
 *
 *   SENDIVENT_API_KEY=test_...  [SENDIVENT_BASE_URL=http://127.0.0.1:8080]  ./send [event] [recipient]
 *
 * The key and base URL come from the environment (options left NULL); with `make demo` they
 * point at the bundled mock server, so nothing leaves the machine. */
#include <stdio.h>
#include <stdlib.h>

#include <sendivent.h>

int main(int argc, char **argv) {
  const char *event = argc > 1 ? argv[1] : "user.welcome";
  const char *to = argc > 2 ? argv[2] : "ada@example.com";

  sendivent_client_options options = sendivent_client_options_default(); /* env key + URL */
  sendivent_client *client = NULL;
  sendivent_error *err = NULL;
  if (sendivent_client_new(&options, &client, &err) != SENDIVENT_OK) {
    fprintf(stderr, "cannot create the client: %s: %s\n", sendivent_error_code(err), sendivent_error_message(err));
    sendivent_error_free(err);
    return 1;
  }

  /* The request is JSON: recipients, template variables, optional language/sender. */
  char request[512];
  snprintf(request, sizeof request,
           "{\"to\": {\"email\": \"%s\", \"name\": \"Ada\", \"tier\": \"gold\"},"
           " \"payload\": {\"message\": \"Sent from C with libsendivent %s\"}}",
           to, sendivent_version());

  char *answer = NULL;
  sendivent_result res = sendivent_send(client, event, request, NULL /* generated idempotency key */, &answer, &err);
  if (res != SENDIVENT_OK) {
    fprintf(stderr, "send failed: %s (HTTP %u): %s\n", sendivent_error_code(err), sendivent_error_status(err),
            sendivent_error_message(err));
    if (res == SENDIVENT_ERR_SEND_FAILED) fprintf(stderr, "reasons: %s\n", sendivent_error_details_json(err));
    if (sendivent_error_request_id(err)) fprintf(stderr, "request id: %s\n", sendivent_error_request_id(err));
    sendivent_error_free(err);
    sendivent_client_free(client);
    return 1;
  }
  /* {"data": {"success": true, "deliveries": [{"email": "<uuid>"}]}, "meta": {"status": 200, ...}} */
  printf("C: sent %s to %s\n%s\n", event, to, answer);
  sendivent_string_free(answer); /* not free(): the library allocated it */
  sendivent_client_free(client);
  return 0;
}
