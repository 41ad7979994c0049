/* Minimal test harness for the libsendivent C tests. */
#ifndef SENDIVENT_TEST_H
#define SENDIVENT_TEST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sendivent.h"

static int test_failures = 0;
static int test_checks = 0;

#define CHECK(cond)                                                            \
  do {                                                                         \
    test_checks++;                                                             \
    if (!(cond)) {                                                             \
      test_failures++;                                                         \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
    }                                                                          \
  } while (0)

#define CHECK_STR(actual, expected)                                                                                  \
  do {                                                                                                               \
    const char *a_ = (actual), *e_ = (expected);                                                                     \
    test_checks++;                                                                                                   \
    if (!a_ || !e_ || strcmp(a_, e_) != 0) {                                                                         \
      test_failures++;                                                                                               \
      fprintf(stderr, "%s:%d: expected %s == \"%s\", got \"%s\"\n", __FILE__, __LINE__, #actual, e_ ? e_ : "(null)", \
              a_ ? a_ : "(null)");                                                                                   \
    }                                                                                                                \
  } while (0)

/* Checks a result and, on mismatch, prints the error's code and message. */
#define CHECK_RESULT(res, err, expected)                                                      \
  do {                                                                                        \
    sendivent_result r_ = (res);                                                              \
    test_checks++;                                                                            \
    if (r_ != (expected)) {                                                                   \
      test_failures++;                                                                        \
      fprintf(stderr, "%s:%d: expected %s, got %s (%u): %s\n", __FILE__, __LINE__, #expected, \
              sendivent_result_name(r_) ? sendivent_result_name(r_) : "?", (unsigned)r_,      \
              (err) ? sendivent_error_message(err) : "(no error object)");                    \
    }                                                                                         \
  } while (0)

#define TEST_MAIN_END(name)                                                     \
  do {                                                                          \
    printf("%s: %d checks, %d failures\n", (name), test_checks, test_failures); \
    return test_failures == 0 && test_checks > 0 ? 0 : 1;                       \
  } while (0)

#endif
