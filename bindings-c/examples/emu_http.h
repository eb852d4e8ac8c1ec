/* A tiny HTTP/1.0 client for the examples and tests: talks to the emulator's admin and authorize
 * endpoints on 127.0.0.1 without going through purecore. */
#ifndef EMU_HTTP_H
#define EMU_HTTP_H

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

typedef struct EmuReply {
  int status;
  char *raw;        /* whole reply, NUL-terminated; free() it */
  const char *body; /* points into raw */
} EmuReply;

/* base: "http://127.0.0.1:PORT". Returns 0 on success. */
static inline int emu_http(const char *base, const char *method, const char *path, const char *json, EmuReply *out) {
  int port = 0;
  if (sscanf(base, "http://127.0.0.1:%d", &port) != 1) return -1;
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  struct sockaddr_in addr;
  memset(&addr, 0, sizeof addr);
  addr.sin_family = AF_INET;
  addr.sin_port = htons((unsigned short)port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0) { close(fd); return -1; }
  char head[1024];
  size_t body_len = json ? strlen(json) : 0;
  int n = snprintf(head, sizeof head,
                   "%s %s HTTP/1.0\r\nHost: 127.0.0.1:%d\r\nContent-Type: application/json\r\n"
                   "Content-Length: %zu\r\n\r\n", method, path, port, body_len);
  if (write(fd, head, (size_t)n) != n || (body_len && write(fd, json, body_len) != (ssize_t)body_len)) {
    close(fd);
    return -1;
  }
  size_t cap = 4096, len = 0;
  char *buf = malloc(cap);
  for (;;) {
    if (len + 1024 > cap) { cap *= 2; buf = realloc(buf, cap); }
    ssize_t r = read(fd, buf + len, cap - len - 1);
    if (r <= 0) break;
    len += (size_t)r;
  }
  close(fd);
  buf[len] = 0;
  out->raw = buf;
  out->status = 0;
  sscanf(buf, "HTTP/%*s %d", &out->status);
  char *sep = strstr(buf, "\r\n\r\n");
  out->body = sep ? sep + 4 : buf + len;
  return 0;
}

/* The value of header `name:` (lower case) of a reply, copied into dst. */
static inline int emu_header(const EmuReply *r, const char *name, char *dst, size_t cap) {
  const char *p = r->raw;
  size_t nl = strlen(name);
  while ((p = strstr(p, "\r\n")) != NULL && p < r->body) {
    p += 2;
    if (strncasecmp(p, name, nl) == 0 && p[nl] == ':') {
      const char *v = p + nl + 1;
      while (*v == ' ') v++;
      const char *end = strstr(v, "\r\n");
      size_t n = (size_t)(end - v);
      if (n >= cap) n = cap - 1;
      memcpy(dst, v, n);
      dst[n] = 0;
      return 0;
    }
  }
  return -1;
}

/* A number field `"key":N` of a JSON body (first occurrence), or -1. */
static inline long emu_json_number(const char *body, const char *key) {
  char pat[128];
  snprintf(pat, sizeof pat, "\"%s\":", key);
  const char *p = strstr(body, pat);
  return p ? strtol(p + strlen(pat), NULL, 10) : -1;
}

#endif
