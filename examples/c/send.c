/* Sends one notification with libsendivent.
 *
 *   SENDIVENT_API_KEY=test_...  [SENDIVENT_BASE_URL=http://127.0.0.1:8080]  ./send [event] [recipient]
 *
 * The key and base URL come from the environment (NULL options); with `make demo` they point at
 * the bundled mock server, so nothing leaves the machine. */
#include <stdio.h>
#include <stdlib.h>

#include <sendivent.h>

int main(int argc, char **argv) {
  const char *event = argc > 1 ? argv[1] : "user.welcome";
  const char *to = argc > 2 ? argv[2] : "ada@example.com";

  /* Options are JSON by the description's names, e.g. {"timeout": 10, "max_retries": 3};
   * NULL: every option at its default, the key and base URL from the environment. */
  sendivent_client *client = NULL;
  sendivent_error *err = NULL;
  if (sendivent_client_new(NULL, &client, &err) != SENDIVENT_OK) {
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
  sendivent_result res = sendivent_send(client, event, NULL /* every channel of the event */, request,
                                        NULL /* per-request options: a generated idempotency key */, &answer, &err);
  if (res != SENDIVENT_OK) {
    /* e.g. "SEND_FAILED: the send failed: EVENT_NOT_FOUND: ... (HTTP 404, request id req_...)" */
    fprintf(stderr, "send failed (%s): %s\n", sendivent_error_class(err), sendivent_error_display(err));
    /* Everything about the error, the failed send's reasons under "errors". */
    fprintf(stderr, "details: %s\n", sendivent_error_details_json(err));
    sendivent_error_free(err);
    sendivent_client_free(client);
    return 1;
  }
  /* {"data": {"success": true, "deliveries": [{"channel": "email", "uuid": "<uuid>"}], "errors": []},
   *  "meta": {"status": 200, ...}}; recipients or channels the send skipped are in data.errors. */
  printf("C: sent %s to %s\n%s\n", event, to, answer);
  sendivent_string_free(answer); /* not free(): the library allocated it */
  sendivent_client_free(client);
  return 0;
}
