/* A tiny JSON reader for the C tests (vectors and answers). Not part of libsendivent. */
#ifndef SENDIVENT_TEST_JSON_H
#define SENDIVENT_TEST_JSON_H

#include <stdbool.h>
#include <stddef.h>

typedef enum { JSON_NULL, JSON_BOOL, JSON_NUMBER, JSON_STRING, JSON_ARRAY, JSON_OBJECT } json_type;

typedef struct json {
  json_type type;
  bool boolean;
  double number;
  char *string; /* JSON_STRING: decoded UTF-8; JSON_NUMBER: its source text (len bytes) */
  size_t len;
  struct json **items; /* JSON_ARRAY / JSON_OBJECT values */
  char **keys;         /* JSON_OBJECT keys */
  size_t count;
} json;

/* Parses `text`; NULL on a syntax error (with a message in *error if error != NULL). */
json *json_parse(const char *text, const char **error);
void json_free(json *value);
/* The member `key` of an object, or NULL. */
const json *json_get(const json *object, const char *key);
/* The string of a string value, or NULL. */
const char *json_str(const json *value);
/* Structural equality (object member order ignored, numbers compared by value). */
bool json_equal(const json *a, const json *b);
/* Reads a whole file into a malloc'd NUL-terminated buffer, or NULL. */
char *read_file(const char *path);
/* Serialises a value as compact JSON (malloc'd). */
char *json_dump(const json *value);

#endif
