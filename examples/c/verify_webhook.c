/* Verifies a Standard Webhooks request the way a webhook endpoint does.
 *
 *   SENDIVENT_WEBHOOK_SECRET=whsec_...  ./verify_webhook
 *
 * A real endpoint passes the raw body and the request headers it received. This example signs
 * a sample event itself (as Sendivent would) so it runs on its own, then shows that a tampered
 * body is refused. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sendivent.h>

int main(void) {
  const char *secret = getenv("SENDIVENT_WEBHOOK_SECRET");
  if (!secret) secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"; /* the Standard Webhooks example secret */
  const char *body =
      "{\"event\":\"delivery.delivered\",\"delivery\":{\"uuid\":\"6f1c7d2e-8a4b-4c1e-9f3a-2b5d7e9c1a04\","
      "\"channel\":\"email\",\"status\":\"delivered\",\"event_name\":\"user.welcome\"},"
      "\"request_id\":\"req_01HF8Z3K9Q\",\"timestamp\":\"2026-11-28T12:00:00Z\"}";

  /* What Sendivent sends along with the body. */
  char timestamp[32];
  snprintf(timestamp, sizeof timestamp, "%lld", (long long)time(NULL));
  char *signature = NULL;
  sendivent_error *err = NULL;
  if (sendivent_webhook_sign(secret, "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W", atoll(timestamp), (const uint8_t *)body,
                             strlen(body), &signature, &err) != SENDIVENT_OK) {
    fprintf(stderr, "cannot sign: %s: %s\n", sendivent_error_code(err), sendivent_error_message(err));
    sendivent_error_free(err);
    return 1;
  }
  sendivent_webhook_header headers[] = {
      {"Webhook-Id", "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W"},
      {"Webhook-Timestamp", timestamp},
      {"Webhook-Signature", signature},
  };

  /* Keep one verifier per process; it accepts several secrets while you rotate them. */
  sendivent_webhook_verifier *verifier = NULL;
  if (sendivent_webhook_verifier_new(&secret, 1, &verifier, &err) != SENDIVENT_OK) {
    fprintf(stderr, "bad secret: %s: %s\n", sendivent_error_code(err), sendivent_error_message(err));
    sendivent_error_free(err);
    sendivent_string_free(signature);
    return 1;
  }

  int status = 0;
  char *event = NULL;
  /* NULL options: 5 minutes tolerance, system clock. */
  if (sendivent_webhook_verifier_verify_event(verifier, (const uint8_t *)body, strlen(body), headers, 3, NULL, &event,
                                              &err) == SENDIVENT_OK) {
    printf("verified: %s\n", event);
    sendivent_string_free(event);
  } else {
    fprintf(stderr, "rejected a valid webhook: %s: %s\n", sendivent_error_code(err), sendivent_error_message(err));
    sendivent_error_free(err);
    status = 1;
  }

  const char *tampered = "{\"event\":\"delivery.failed\"}";
  err = NULL;
  if (sendivent_webhook_verifier_verify(verifier, (const uint8_t *)tampered, strlen(tampered), headers, 3, NULL,
                                        &err) == SENDIVENT_ERR_WEBHOOK_NO_MATCHING_SIGNATURE) {
    printf("tampered body refused: %s\n", sendivent_error_code(err));
  } else {
    fprintf(stderr, "a tampered body was not refused as expected\n");
    status = 1;
  }
  sendivent_error_free(err);
  sendivent_webhook_verifier_free(verifier);
  sendivent_string_free(signature);
  return status;
}
