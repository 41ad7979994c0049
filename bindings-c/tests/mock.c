/* GET /_mock/state of a sendivent-mock on 127.0.0.1, over HTTP/1.0 (the server closes the
 * connection after the answer, so its end is the end of the body). */
#include "mock.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

json *mock_state(const char *base_url) {
  const char *host = strstr(base_url, "://");
  const char *colon = host ? strrchr(host + 3, ':') : NULL;
  int port = colon ? atoi(colon + 1) : 0;
  if (port <= 0) {
    fprintf(stderr, "mock_state: no port in %s\n", base_url);
    return NULL;
  }
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (fd < 0 || connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
    perror("mock_state: connect");
    if (fd >= 0) close(fd);
    return NULL;
  }
  const char *request = "GET /_mock/state HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n";
  if (write(fd, request, strlen(request)) != (ssize_t)strlen(request)) {
    perror("mock_state: write");
    close(fd);
    return NULL;
  }
  size_t cap = 1 << 16, len = 0;
  char *buf = malloc(cap);
  for (;;) {
    if (len + 4096 + 1 > cap) {
      cap *= 2;
      char *grown = realloc(buf, cap);
      if (!grown) break;
      buf = grown;
    }
    ssize_t n = read(fd, buf + len, cap - len - 1);
    if (n <= 0) break;
    len += (size_t)n;
  }
  close(fd);
  buf[len] = '\0';
  char *body = strstr(buf, "\r\n\r\n");
  const char *error = NULL;
  json *state = body ? json_parse(body + 4, &error) : NULL;
  if (!state) fprintf(stderr, "mock_state: not a state answer (%s): %.200s\n", error ? error : "no body", buf);
  free(buf);
  return state;
}
