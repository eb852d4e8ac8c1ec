/* What the C test programs share: the CHECK counter macro, the emulator's client and
 * the admin calls to the shared emulator at EMU (which each program sets from its
 * arguments). Header-only (static inline), included by one .c file per program. */
#ifndef PURECORE_TEST_CHECK_H
#define PURECORE_TEST_CHECK_H

#include <stdio.h>
#include <stdlib.h>

#include "../../include/purecore.h"
#include "../../examples/emu_http.h"

static const char *EMU;
static int passed, failed;

#define CHECK(cond, ...)                                                     \
  do {                                                                       \
    if (cond) {                                                              \
      passed++;                                                              \
    } else {                                                                 \
      failed++;                                                              \
      fprintf(stderr, "FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond);       \
      fprintf(stderr, __VA_ARGS__);                                          \
      fprintf(stderr, "\n");                                                 \
    }                                                                        \
  } while (0)

#define S PURECORE_STR
#define NONE PURECORE_STR_NULL
static const char *CLIENT_ID = "emulator-client", *CLIENT_SECRET = "emulator-secret";

static inline const char *msg(const PurecoreError *e) { return e ? e->message : "(no error)"; }

/* An admin call to the shared emulator; a failed or refused one ends the program. */
static inline void admin(const char *method, const char *path, const char *json) {
  EmuReply r;
  if (emu_http(EMU, method, path, json, &r) != 0 || r.status >= 300) {
    fprintf(stderr, "admin %s %s failed\n", method, path);
    exit(2);
  }
  free(r.raw);
}

/* One of the emulator's counters (GET /admin/counters), or -1. */
static inline long counter(const char *key) {
  EmuReply r;
  if (emu_http(EMU, "GET", "/admin/counters", NULL, &r) != 0) return -1;
  long n = emu_json_number(r.body, key);
  free(r.raw);
  return n;
}

#endif
