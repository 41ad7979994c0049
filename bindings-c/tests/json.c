/* A tiny JSON reader for the C tests. Strict enough for our vector files and API answers. */
#include "json.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
  const char *p;
  const char *error;
} parser;

static json *parse_value(parser *ps, int depth);

static void skip_ws(parser *ps) {
  while (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r') ps->p++;
}

static json *new_value(json_type type) {
  json *v = calloc(1, sizeof(json));
  if (v) v->type = type;
  return v;
}

static int hex4(const char *s, unsigned *out) {
  unsigned v = 0;
  for (int i = 0; i < 4; i++) {
    char c = s[i];
    v <<= 4;
    if (c >= '0' && c <= '9')
      v |= (unsigned)(c - '0');
    else if (c >= 'a' && c <= 'f')
      v |= (unsigned)(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F')
      v |= (unsigned)(c - 'A' + 10);
    else
      return 0;
  }
  *out = v;
  return 1;
}

static size_t put_utf8(char *out, unsigned cp) {
  if (cp < 0x80) {
    out[0] = (char)cp;
    return 1;
  }
  if (cp < 0x800) {
    out[0] = (char)(0xC0 | (cp >> 6));
    out[1] = (char)(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    out[0] = (char)(0xE0 | (cp >> 12));
    out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[2] = (char)(0x80 | (cp & 0x3F));
    return 3;
  }
  out[0] = (char)(0xF0 | (cp >> 18));
  out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
  out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
  out[3] = (char)(0x80 | (cp & 0x3F));
  return 4;
}

static char *parse_string_raw(parser *ps, size_t *len_out) {
  if (*ps->p != '"') {
    ps->error = "expected a string";
    return NULL;
  }
  ps->p++;
  size_t cap = 16, len = 0;
  char *buf = malloc(cap);
  if (!buf) return NULL;
  for (;;) {
    if (cap - len < 8) {
      cap *= 2;
      char *nb = realloc(buf, cap);
      if (!nb) {
        free(buf);
        return NULL;
      }
      buf = nb;
    }
    unsigned char c = (unsigned char)*ps->p;
    if (c == '\0') {
      ps->error = "unterminated string";
      free(buf);
      return NULL;
    }
    if (c == '"') {
      ps->p++;
      break;
    }
    if (c < 0x20) {
      ps->error = "control character in string";
      free(buf);
      return NULL;
    }
    if (c != '\\') {
      buf[len++] = (char)c;
      ps->p++;
      continue;
    }
    ps->p++;
    char e = *ps->p++;
    switch (e) {
      case '"':
        buf[len++] = '"';
        break;
      case '\\':
        buf[len++] = '\\';
        break;
      case '/':
        buf[len++] = '/';
        break;
      case 'b':
        buf[len++] = '\b';
        break;
      case 'f':
        buf[len++] = '\f';
        break;
      case 'n':
        buf[len++] = '\n';
        break;
      case 'r':
        buf[len++] = '\r';
        break;
      case 't':
        buf[len++] = '\t';
        break;
      case 'u': {
        unsigned cp;
        if (!hex4(ps->p, &cp)) {
          ps->error = "bad \\u escape";
          free(buf);
          return NULL;
        }
        ps->p += 4;
        if (cp >= 0xD800 && cp <= 0xDBFF && ps->p[0] == '\\' && ps->p[1] == 'u') {
          unsigned lo;
          if (hex4(ps->p + 2, &lo) && lo >= 0xDC00 && lo <= 0xDFFF) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            ps->p += 6;
          }
        }
        len += put_utf8(buf + len, cp);
        break;
      }
      default:
        ps->error = "bad escape";
        free(buf);
        return NULL;
    }
  }
  buf[len] = '\0';
  *len_out = len;
  return buf;
}

static int push(json *container, json *item, char *key) {
  json **items = realloc(container->items, (container->count + 1) * sizeof(json *));
  if (!items) return 0;
  container->items = items;
  if (container->type == JSON_OBJECT) {
    char **keys = realloc(container->keys, (container->count + 1) * sizeof(char *));
    if (!keys) return 0;
    container->keys = keys;
    keys[container->count] = key;
  }
  items[container->count++] = item;
  return 1;
}

static json *parse_value(parser *ps, int depth) {
  if (depth > 64) {
    ps->error = "nested too deeply";
    return NULL;
  }
  skip_ws(ps);
  char c = *ps->p;
  if (c == '{' || c == '[') {
    json *v = new_value(c == '{' ? JSON_OBJECT : JSON_ARRAY);
    if (!v) return NULL;
    char close = c == '{' ? '}' : ']';
    ps->p++;
    skip_ws(ps);
    if (*ps->p == close) {
      ps->p++;
      return v;
    }
    for (;;) {
      char *key = NULL;
      if (v->type == JSON_OBJECT) {
        skip_ws(ps);
        size_t klen;
        key = parse_string_raw(ps, &klen);
        if (!key) {
          json_free(v);
          return NULL;
        }
        skip_ws(ps);
        if (*ps->p != ':') {
          ps->error = "expected ':'";
          free(key);
          json_free(v);
          return NULL;
        }
        ps->p++;
      }
      json *item = parse_value(ps, depth + 1);
      if (!item || !push(v, item, key)) {
        free(key);
        json_free(item);
        json_free(v);
        return NULL;
      }
      skip_ws(ps);
      if (*ps->p == ',') {
        ps->p++;
        continue;
      }
      if (*ps->p == close) {
        ps->p++;
        return v;
      }
      ps->error = "expected ',' or a closing bracket";
      json_free(v);
      return NULL;
    }
  }
  if (c == '"') {
    json *v = new_value(JSON_STRING);
    if (!v) return NULL;
    v->string = parse_string_raw(ps, &v->len);
    if (!v->string) {
      json_free(v);
      return NULL;
    }
    return v;
  }
  if (strncmp(ps->p, "true", 4) == 0) {
    ps->p += 4;
    json *v = new_value(JSON_BOOL);
    if (v) v->boolean = true;
    return v;
  }
  if (strncmp(ps->p, "false", 5) == 0) {
    ps->p += 5;
    return new_value(JSON_BOOL);
  }
  if (strncmp(ps->p, "null", 4) == 0) {
    ps->p += 4;
    return new_value(JSON_NULL);
  }
  if (c == '-' || (c >= '0' && c <= '9')) {
    char *end;
    double d = strtod(ps->p, &end);
    if (end == ps->p) {
      ps->error = "bad number";
      return NULL;
    }
    json *v = new_value(JSON_NUMBER);
    if (v) {
      v->number = d;
      v->len = (size_t)(end - ps->p);
      v->string = malloc(v->len + 1); /* the number's text, so dumps reproduce it exactly */
      if (!v->string) {
        free(v);
        return NULL;
      }
      memcpy(v->string, ps->p, v->len);
      v->string[v->len] = '\0';
    }
    ps->p = end;
    return v;
  }
  ps->error = "unexpected character";
  return NULL;
}

json *json_parse(const char *text, const char **error) {
  parser ps = {text, NULL};
  json *v = parse_value(&ps, 0);
  if (v) {
    skip_ws(&ps);
    if (*ps.p != '\0') {
      ps.error = "trailing characters";
      json_free(v);
      v = NULL;
    }
  }
  if (!v && error) *error = ps.error ? ps.error : "out of memory";
  return v;
}

void json_free(json *value) {
  if (!value) return;
  for (size_t i = 0; i < value->count; i++) {
    json_free(value->items[i]);
    if (value->keys) free(value->keys[i]);
  }
  free(value->items);
  free(value->keys);
  free(value->string);
  free(value);
}

const json *json_get(const json *object, const char *key) {
  if (!object || object->type != JSON_OBJECT) return NULL;
  for (size_t i = 0; i < object->count; i++)
    if (strcmp(object->keys[i], key) == 0) return object->items[i];
  return NULL;
}

const char *json_str(const json *value) { return value && value->type == JSON_STRING ? value->string : NULL; }

bool json_equal(const json *a, const json *b) {
  if (!a || !b) return a == b;
  if (a->type != b->type) return false;
  switch (a->type) {
    case JSON_NULL:
      return true;
    case JSON_BOOL:
      return a->boolean == b->boolean;
    case JSON_NUMBER:
      return a->number == b->number;
    case JSON_STRING:
      return a->len == b->len && memcmp(a->string, b->string, a->len) == 0;
    case JSON_ARRAY:
      if (a->count != b->count) return false;
      for (size_t i = 0; i < a->count; i++)
        if (!json_equal(a->items[i], b->items[i])) return false;
      return true;
    case JSON_OBJECT:
      if (a->count != b->count) return false;
      for (size_t i = 0; i < a->count; i++)
        if (!json_equal(a->items[i], json_get(b, a->keys[i]))) return false;
      return true;
  }
  return false;
}

char *read_file(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  size_t cap = 4096, len = 0;
  char *buf = malloc(cap);
  while (buf) {
    size_t n = fread(buf + len, 1, cap - len - 1, f);
    len += n;
    if (n == 0) break;
    if (cap - len < 2) {
      cap *= 2;
      char *nb = realloc(buf, cap);
      if (!nb) {
        free(buf);
        buf = NULL;
        break;
      }
      buf = nb;
    }
  }
  fclose(f);
  if (buf) buf[len] = '\0';
  return buf;
}

typedef struct {
  char *buf;
  size_t len, cap;
} sbuf;

static void sb_put(sbuf *sb, const char *s, size_t n) {
  if (!sb->buf) return;
  if (sb->len + n + 1 > sb->cap) {
    while (sb->len + n + 1 > sb->cap) sb->cap *= 2;
    char *nb = realloc(sb->buf, sb->cap);
    if (!nb) {
      free(sb->buf);
      sb->buf = NULL;
      return;
    }
    sb->buf = nb;
  }
  memcpy(sb->buf + sb->len, s, n);
  sb->len += n;
  sb->buf[sb->len] = '\0';
}

static void dump_string(sbuf *sb, const char *s, size_t n) {
  sb_put(sb, "\"", 1);
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    char esc[8];
    if (c == '"' || c == '\\') {
      esc[0] = '\\';
      esc[1] = (char)c;
      sb_put(sb, esc, 2);
    } else if (c < 0x20) {
      snprintf(esc, sizeof esc, "\\u%04x", c);
      sb_put(sb, esc, 6);
    } else
      sb_put(sb, (const char *)&s[i], 1);
  }
  sb_put(sb, "\"", 1);
}

static void dump(sbuf *sb, const json *v) {
  char num[64];
  switch (v->type) {
    case JSON_NULL:
      sb_put(sb, "null", 4);
      break;
    case JSON_BOOL:
      if (v->boolean)
        sb_put(sb, "true", 4);
      else
        sb_put(sb, "false", 5);
      break;
    case JSON_NUMBER:
      if (v->string) {
        sb_put(sb, v->string, v->len);
        break;
      }
      if (v->number == floor(v->number) && fabs(v->number) < 1e15)
        snprintf(num, sizeof num, "%.0f", v->number);
      else
        snprintf(num, sizeof num, "%.17g", v->number);
      sb_put(sb, num, strlen(num));
      break;
    case JSON_STRING:
      dump_string(sb, v->string, v->len);
      break;
    case JSON_ARRAY:
    case JSON_OBJECT:
      sb_put(sb, v->type == JSON_ARRAY ? "[" : "{", 1);
      for (size_t i = 0; i < v->count; i++) {
        if (i) sb_put(sb, ",", 1);
        if (v->type == JSON_OBJECT) {
          dump_string(sb, v->keys[i], strlen(v->keys[i]));
          sb_put(sb, ":", 1);
        }
        dump(sb, v->items[i]);
      }
      sb_put(sb, v->type == JSON_ARRAY ? "]" : "}", 1);
      break;
  }
}

char *json_dump(const json *value) {
  sbuf sb = {malloc(64), 0, 64};
  if (!sb.buf) return NULL;
  sb.buf[0] = '\0';
  dump(&sb, value);
  return sb.buf;
}
