/* Bad input through the C ABI, run under valgrind by bindings-c/test.sh:
 *
 * 1. NULL out-pointers: every function with an out-pointer is called with NULL for it
 *    (and with a NULL `error`), repeatedly; valgrind's leak check (definite leaks are
 *    errors) proves nothing is made and lost.
 * 2. The bad-input table: NULL for every pointer argument, invalid UTF-8, empty strings,
 *    negative and huge numbers, bad hosts, CR/LF in headers, invalid JSON, missing
 *    parameters, bad PEMs, proxy URLs and redirects. Each case must return a non-OK
 *    status with a typed error: an error object whose kind is the status returned,
 *    a known kind with its name, a message, and the kind the case expects. A crash
 *    (signal) or a case running over 10 s is counted and fails the run; a case stuck
 *    for 120 s stops the run.
 *
 * Run: test_bad_input http://127.0.0.1:PORT (a running emulator; no other network). */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../../include/purecore.h"

#define S PURECORE_STR
#define SN PURECORE_STRN
#define NONE PURECORE_STR_NULL

static const char *EMU;
static const char *CLIENT_ID = "emulator-client", *CLIENT_SECRET = "emulator-secret";
static const char *REDIRECT = "http://localhost:8085/callback";
static const char BAD_UTF8[] = "ab\xff\xfe";
#define BAD SN(BAD_UTF8, 4)

static int failures;

/* ---- case bookkeeping: crashes, hangs, untyped errors ---- */

static int cases, hangs, untyped, wrong_kind;
static _Atomic(const char *) current = NULL;
static atomic_int finished;
static atomic_llong started_ms;

static long long now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void summary(int crashes) {
  printf("bad input (C): %d cases, %d crashes, %d hangs, %d untyped errors, %d of another kind than expected\n", cases,
         crashes, hangs, untyped, wrong_kind);
  fflush(stdout);
}

static void on_crash(int sig) {
  const char *c = atomic_load(&current);
  fprintf(stderr, "CRASH (signal %d) in case: %s\n", sig, c ? c : "(between cases)");
  summary(1);
  _exit(1);
}

static void *watchdog(void *arg) {
  (void)arg;
  while (!atomic_load(&finished)) {
    usleep(100 * 1000);
    const char *c = atomic_load(&current);
    if (c && now_ms() - atomic_load(&started_ms) > 120000) {
      fprintf(stderr, "HANG: case still running after 120 s: %s\n", c);
      hangs++;
      summary(0);
      _exit(1);
    }
  }
  return NULL;
}

static int known_kind(PurecoreStatus st) { return st >= PURECORE_STATUS_AUTHENTICATION && st <= PURECORE_STATUS_CANCELLED; }

static void begin(const char *label) {
  atomic_store(&started_ms, now_ms());
  atomic_store(&current, label);
}

static void end(const char *label, PurecoreStatus want, PurecoreStatus got, PurecoreError *err) {
  long long took = now_ms() - atomic_load(&started_ms);
  atomic_store(&current, NULL);
  cases++;
  if (took > 10000) {
    hangs++;
    fprintf(stderr, "HANG: %s took %lld ms\n", label, took);
  }
  int typed = got != PURECORE_STATUS_OK && known_kind(got) && err != NULL && err->kind == got && err->kind_name &&
              strcmp(err->kind_name, purecore_status_name(got)) == 0 && err->message && err->message[0];
  if (!typed) {
    untyped++;
    fprintf(stderr, "UNTYPED: %s: status %d (%s), error %s\n", label, got, purecore_status_name(got),
            err ? err->message : "NULL");
  } else if (got != want) {
    wrong_kind++;
    fprintf(stderr, "KIND: %s: want %s, got %s: %s\n", label, purecore_status_name(want), purecore_status_name(got),
            err->message);
  }
  purecore_error_free(err);
}

/* Runs one case: `expr` is a call that receives `&err`. */
#define CASE(want, label, expr)                          \
  do {                                                   \
    PurecoreError *err = NULL;                           \
    begin(label);                                        \
    PurecoreStatus st_ = (PurecoreStatus)(expr);         \
    end(label, PURECORE_STATUS_##want, st_, err);        \
  } while (0)

/* ---- fixtures ---- */

static PurecoreConfig *new_config(void) {
  PurecoreConfig *cfg = NULL;
  if (purecore_config_new(&cfg, NULL) != PURECORE_STATUS_OK) exit(2);
  purecore_config_set_environment(cfg, S(EMU), NULL);
  purecore_config_set_retry(cfg, 0, 10, 50, 1000, false, NULL);
  /* Under valgrind on a busy machine a token request can take longer than the default
     16 s; no case here is about that timeout, so the real logins get a wide bound. */
  purecore_config_set_timeouts(cfg, 120000, 120000, 0, NULL);
  /* No config-file watcher thread, which would outlive the client by a poll interval. */
  purecore_config_set_live_reload(cfg, false, 0, NULL);
  return cfg;
}

static PurecoreClient *new_client(void) {
  PurecoreConfig *cfg = new_config();
  PurecoreClient *client = NULL;
  if (purecore_client_new(cfg, &client, NULL) != PURECORE_STATUS_OK) exit(2);
  purecore_config_free(cfg);
  return client;
}

static void ignore_call(void *u, PurecoreStatus s, PurecoreResponse *r, PurecoreError *e) {
  (void)u;
  (void)s;
  purecore_response_free(r);
  purecore_error_free(e);
}

static void ignore_login(void *u, PurecoreStatus s, PurecoreAuthData *a, PurecoreError *e) {
  (void)u;
  (void)s;
  purecore_auth_data_free(a);
  purecore_error_free(e);
}

/* Two-step cases: a setting that is stored, then refused by validate / client_new. */
static PurecoreStatus validate_with(void (*set)(PurecoreConfig *), PurecoreError **err) {
  PurecoreConfig *cfg = new_config();
  set(cfg);
  PurecoreStatus st = purecore_config_validate(cfg, err);
  purecore_config_free(cfg);
  return st;
}

static PurecoreStatus client_with(void (*set)(PurecoreConfig *), PurecoreError **err) {
  PurecoreConfig *cfg = new_config();
  set(cfg);
  PurecoreClient *client = NULL;
  PurecoreStatus st = purecore_client_new(cfg, &client, err);
  purecore_client_free(client);
  purecore_config_free(cfg);
  return st;
}

static void crlf_header_value(PurecoreConfig *c) { purecore_config_set_default_header(c, S("X-App"), S("a\r\nX-Evil: 1"), NULL); }
static void crlf_header_name(PurecoreConfig *c) { purecore_config_set_default_header(c, S("X-App\r\nX-Evil"), S("1"), NULL); }
static void empty_header_name(PurecoreConfig *c) { purecore_config_set_default_header(c, S(""), S("1"), NULL); }
static void lf_header_value(PurecoreConfig *c) { purecore_config_set_default_header(c, S("X-App"), S("a\nb"), NULL); }
static void proxy_ftp(PurecoreConfig *c) { purecore_config_set_proxy(c, S("ftp://proxy.example.test:21"), NONE, NONE, NULL); }
static void proxy_no_host(PurecoreConfig *c) { purecore_config_set_proxy(c, S("http://"), NONE, NONE, NULL); }
static void proxy_not_url(PurecoreConfig *c) { purecore_config_set_proxy(c, S("not a url"), NONE, NONE, NULL); }
static void proxy_bad_port(PurecoreConfig *c) { purecore_config_set_proxy(c, S("http://proxy.example.test:99999"), S("u"), S("p"), NULL); }
static void proxy_spaces(PurecoreConfig *c) { purecore_config_set_proxy(c, S("http://pro xy:80"), NONE, NONE, NULL); }
static void half_identity_cert(PurecoreConfig *c) { purecore_config_set_client_identity(c, S("cert"), NONE, NULL); }
static void half_identity_key(PurecoreConfig *c) { purecore_config_set_client_identity(c, NONE, S("key"), NULL); }
static void bad_ca(PurecoreConfig *c) { purecore_config_add_ca_pem(c, S("-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----\n"), NULL); }
static void garbage_ca(PurecoreConfig *c) { purecore_config_add_ca_pem(c, S("garbage"), NULL); }
static void bad_identity(PurecoreConfig *c) { purecore_config_set_client_identity(c, S("garbage cert"), S("garbage key"), NULL); }
static void wait_min_over_max(PurecoreConfig *c) { purecore_config_set_retry(c, 1, 100, 10, 1000, false, NULL); }
static void missing_file(PurecoreConfig *c) {
  purecore_config_set_config_file(c, PURECORE_CONFIG_FILE_MODE_PATH, S("/nonexistent/purecore/config"), NULL);
}
static void http_remote(PurecoreConfig *c) { purecore_config_set_environment(c, S("http://api.example.test"), NULL); }

static PurecoreStatus call_with_header(PurecoreClient *client, PurecoreStr name, PurecoreStr value, PurecoreError **err) {
  PurecoreHeaderRef h = {name, value};
  PurecoreResponse *resp = NULL;
  PurecoreStatus st = purecore_client_call(client, S("getUsersMe"), NONE, &h, 1, NULL, &resp, err);
  purecore_response_free(resp);
  return st;
}

static PurecoreStatus call(PurecoreClient *client, PurecoreStr op, PurecoreStr params, PurecoreError **err) {
  PurecoreResponse *resp = NULL;
  PurecoreStatus st = purecore_client_call(client, op, params, NULL, 0, NULL, &resp, err);
  purecore_response_free(resp);
  return st;
}

static PurecoreStatus authorize(PurecoreClient *client, PurecoreAuthorizeRequest req, PurecoreError **err) {
  char *url = NULL, *state = NULL;
  PurecoreStatus st = purecore_client_authorize_url(client, &req, &url, &state, err);
  purecore_string_free(url);
  purecore_string_free(state);
  return st;
}

static PurecoreStatus code_of(PurecoreStr redirect, PurecoreStr state, PurecoreError **err) {
  char *code = NULL;
  PurecoreStatus st = purecore_parse_code_redirect(redirect, state, &code, err);
  purecore_string_free(code);
  return st;
}

static PurecoreStatus implicit(PurecoreClient *client, PurecoreStr redirect, PurecoreStr state, PurecoreError **err) {
  PurecoreAuthData *auth = NULL;
  PurecoreStatus st = purecore_client_login_implicit_redirect(client, redirect, state, &auth, err);
  purecore_auth_data_free(auth);
  return st;
}

static PurecoreStatus verifier(size_t n, PurecoreError **err) {
  char *v = NULL;
  PurecoreStatus st = purecore_pkce_generate_verifier(n, &v, err);
  purecore_string_free(v);
  return st;
}

static PurecoreStatus challenge(PurecoreStr v, PurecoreError **err) {
  char *c = NULL;
  PurecoreStatus st = purecore_pkce_compute_challenge(v, &c, err);
  purecore_string_free(c);
  return st;
}

static PurecoreStatus set_client_env(PurecoreClient *client, const char *env, PurecoreError **err) {
  return purecore_client_set_environment(client, S(env), err);
}

static PurecoreStatus set_env(const char *env, PurecoreError **err) {
  PurecoreConfig *cfg = new_config();
  PurecoreStatus st = purecore_config_set_environment(cfg, S(env), err);
  if (st == PURECORE_STATUS_OK) st = purecore_config_validate(cfg, err);
  purecore_config_free(cfg);
  return st;
}

/* ---- 1. NULL out-pointers ---- */

static void null_out_pointers(PurecoreClient *client) {
  PurecoreConfig *cfg = new_config();
  PurecoreError *err = NULL;
  int refused = 0, total = 0;
#define REFUSED(expr)                                                                      \
  do {                                                                                     \
    total++;                                                                               \
    PurecoreStatus st_ = (expr);                                                           \
    if (st_ == PURECORE_STATUS_INVALID_ARGUMENT && err && strstr(err->message, "NULL")) {  \
      refused++;                                                                           \
    } else {                                                                               \
      failures++;                                                                          \
      fprintf(stderr, "FAIL: %s: %s (%s)\n", #expr, purecore_status_name(st_),             \
              err ? err->message : "no error");                                            \
    }                                                                                      \
    purecore_error_free(err);                                                              \
    err = NULL;                                                                            \
  } while (0)
  for (int round = 0; round < 3; round++) {
    REFUSED(purecore_config_new(NULL, &err));
    REFUSED(purecore_cancel_new(NULL, &err));
    REFUSED(purecore_client_new(cfg, NULL, &err));
    REFUSED(purecore_client_new(NULL, NULL, &err));
    REFUSED(purecore_client_get_config(client, NULL, &err));
    REFUSED(purecore_client_get_config_file_error(client, NULL, &err));
    REFUSED(purecore_client_get_auth_data(client, NULL, &err));
    REFUSED(purecore_client_call(client, S("getUsersMe"), NONE, NULL, 0, NULL, NULL, &err));
    REFUSED(purecore_parse_code_redirect(S("http://localhost/cb?code=abc&state=s"), S("s"), NULL, &err));
    REFUSED(purecore_pkce_generate_verifier(64, NULL, &err));
    REFUSED(purecore_pkce_compute_challenge(S("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"), NULL, &err));
    /* With a NULL error too: the status alone tells. */
    total += 8;
    refused += purecore_config_new(NULL, NULL) == PURECORE_STATUS_INVALID_ARGUMENT;
    refused += purecore_cancel_new(NULL, NULL) == PURECORE_STATUS_INVALID_ARGUMENT;
    refused += purecore_client_new(cfg, NULL, NULL) == PURECORE_STATUS_INVALID_ARGUMENT;
    refused += purecore_client_get_config(client, NULL, NULL) == PURECORE_STATUS_INVALID_ARGUMENT;
    refused += purecore_client_call(client, S("getUsersMe"), NONE, NULL, 0, NULL, NULL, NULL) ==
               PURECORE_STATUS_INVALID_ARGUMENT;
    refused += purecore_parse_code_redirect(S("http://localhost/cb?code=abc"), NONE, NULL, NULL) ==
               PURECORE_STATUS_INVALID_ARGUMENT;
    refused += purecore_pkce_generate_verifier(64, NULL, NULL) == PURECORE_STATUS_INVALID_ARGUMENT;
    refused += purecore_pkce_compute_challenge(S("abc"), NULL, NULL) == PURECORE_STATUS_INVALID_ARGUMENT;

    /* Optional out-pointers: NULL means "not wanted"; the call succeeds and keeps nothing. */
#define GIVES(want, expr)                                                                        \
  do {                                                                                           \
    total++;                                                                                     \
    PurecoreStatus st_ = (expr);                                                                 \
    if (st_ == PURECORE_STATUS_##want) {                                                         \
      refused++;                                                                                 \
    } else {                                                                                     \
      fprintf(stderr, "FAIL: %s: %s, not %s\n", #expr, purecore_status_name(st_), #want);       \
    }                                                                                            \
  } while (0)
    GIVES(OK, purecore_client_get_environment(client, NULL, NULL, NULL));
    GIVES(OK, purecore_region_get(0, NULL, NULL, NULL));
    PurecoreAuthorizeRequest req = {S(CLIENT_ID), S(REDIRECT), S("code"), NONE, NONE, NONE, NONE, NONE, NONE, NONE};
    GIVES(OK, purecore_client_authorize_url(client, &req, NULL, NULL, NULL));
    GIVES(OK, purecore_client_login_client_credentials(client, S(CLIENT_ID), S(CLIENT_SECRET), NULL, NULL));
    GIVES(OK, purecore_client_login_implicit_redirect(
                  client, S("http://localhost:8085/callback#access_token=tok&expires_in=60&state=s"), S("s"), NULL,
                  NULL));
    /* Failures with a NULL error: no error object is made. */
    GIVES(AUTHENTICATION, purecore_client_login_client_credentials(client, S(CLIENT_ID), S("wrong"), NULL, NULL));
    GIVES(CONFIGURATION, purecore_config_set_retry(cfg, -1, 0, 0, 0, false, NULL));
    GIVES(CONFIGURATION, purecore_client_set_access_token(client, S("tok"), INT64_MAX, NULL));
    GIVES(INVALID_ARGUMENT,
          purecore_client_call(client, S("getUser"), S("{}"), NULL, 0, NULL, &(PurecoreResponse *){NULL}, NULL));
#undef GIVES
  }
#undef REFUSED
  purecore_config_free(cfg);
  printf("NULL out-pointers: %d of %d calls refused or fine without leaking (valgrind checks the leaks)\n", refused,
         total);
  if (refused != total) failures++;
}

/* ---- 2. the bad-input table ---- */

static void table(PurecoreClient *client) {
  PurecoreConfig *cfg = new_config();
  PurecoreStr two[] = {S(CLIENT_ID), S(CLIENT_SECRET)};
  PurecoreStr with_null[] = {S(CLIENT_ID), SN(NULL, 3)};
  PurecoreStr with_bad[] = {S(CLIENT_ID), BAD};
  uint16_t statuses[] = {429};
  PurecoreAuthorizeRequest ok_req = {S(CLIENT_ID), S(REDIRECT), S("code"), NONE, NONE, NONE, NONE, NONE, NONE, NONE};
  PurecoreAuthorizeRequest r;

  /* NULL handles, for every function that takes one. */
  CASE(INVALID_ARGUMENT, "cancel_cancel(NULL)", purecore_cancel_cancel(NULL, &err));
  CASE(INVALID_ARGUMENT, "call(NULL client)", call(NULL, S("getUsersMe"), NONE, &err));
  CASE(INVALID_ARGUMENT, "call_async(NULL client)",
       purecore_client_call_async(NULL, S("getUsersMe"), NONE, NULL, 0, NULL, ignore_call, NULL, &err));
  CASE(INVALID_ARGUMENT, "call_async(NULL callback)",
       purecore_client_call_async(client, S("getUsersMe"), NONE, NULL, 0, NULL, NULL, NULL, &err));
  CASE(INVALID_ARGUMENT, "get_config(NULL client)", purecore_client_get_config(NULL, &(PurecoreConfig *){NULL}, &err));
  CASE(INVALID_ARGUMENT, "set_config(NULL client)", purecore_client_set_config(NULL, cfg, &err));
  CASE(INVALID_ARGUMENT, "set_config(NULL config)", purecore_client_set_config(client, NULL, &err));
  CASE(INVALID_ARGUMENT, "client_set_environment(NULL client)", purecore_client_set_environment(NULL, S("eu_west_1"), &err));
  CASE(INVALID_ARGUMENT, "get_environment(NULL client)", purecore_client_get_environment(NULL, NULL, NULL, &err));
  CASE(INVALID_ARGUMENT, "client_set_config_file(NULL client)", purecore_client_set_config_file(NULL, S("/tmp/x"), &err));
  CASE(INVALID_ARGUMENT, "reload_config_file(NULL client)", purecore_client_reload_config_file(NULL, &err));
  CASE(INVALID_ARGUMENT, "get_config_file_error(NULL client)",
       purecore_client_get_config_file_error(NULL, &(PurecoreError *){NULL}, &err));
  CASE(INVALID_ARGUMENT, "set_environment(NULL config)", purecore_config_set_environment(NULL, S("eu_west_1"), &err));
  CASE(INVALID_ARGUMENT, "set_environment_custom(NULL config)",
       purecore_config_set_environment_custom(NULL, S(EMU), S(EMU), &err));
  CASE(INVALID_ARGUMENT, "set_gateway(NULL config)", purecore_config_set_gateway(NULL, S("gw"), NONE, 0, NONE, NONE, &err));
  CASE(INVALID_ARGUMENT, "set_allow_insecure_http(NULL config)", purecore_config_set_allow_insecure_http(NULL, true, &err));
  CASE(INVALID_ARGUMENT, "set_timeouts(NULL config)", purecore_config_set_timeouts(NULL, 1, 1, 1, &err));
  CASE(INVALID_ARGUMENT, "set_retry(NULL config)", purecore_config_set_retry(NULL, 1, 1, 2, 3, false, &err));
  CASE(INVALID_ARGUMENT, "set_retry_statuses(NULL config)", purecore_config_set_retry_statuses(NULL, statuses, 1, &err));
  CASE(INVALID_ARGUMENT, "set_retry_hook(NULL config)", purecore_config_set_retry_hook(NULL, NULL, NULL, &err));
  CASE(INVALID_ARGUMENT, "set_refresh(NULL config)", purecore_config_set_refresh(NULL, true, 0, 0, &err));
  CASE(INVALID_ARGUMENT, "set_logging(NULL config)", purecore_config_set_logging(NULL, 0, 0, false, NONE, false, false, &err));
  CASE(INVALID_ARGUMENT, "set_log_callback(NULL config)", purecore_config_set_log_callback(NULL, NULL, NULL, &err));
  CASE(INVALID_ARGUMENT, "set_proxy(NULL config)", purecore_config_set_proxy(NULL, NONE, NONE, NONE, &err));
  CASE(INVALID_ARGUMENT, "add_ca_pem(NULL config)", purecore_config_add_ca_pem(NULL, S("pem"), &err));
  CASE(INVALID_ARGUMENT, "clear_ca_pems(NULL config)", purecore_config_clear_ca_pems(NULL, &err));
  CASE(INVALID_ARGUMENT, "set_client_identity(NULL config)", purecore_config_set_client_identity(NULL, NONE, NONE, &err));
  CASE(INVALID_ARGUMENT, "set_default_header(NULL config)", purecore_config_set_default_header(NULL, S("a"), S("b"), &err));
  CASE(INVALID_ARGUMENT, "clear_default_headers(NULL config)", purecore_config_clear_default_headers(NULL, &err));
  CASE(INVALID_ARGUMENT, "set_user_agent_suffix(NULL config)", purecore_config_set_user_agent_suffix(NULL, S("x"), &err));
  CASE(INVALID_ARGUMENT, "set_config_file(NULL config)", purecore_config_set_config_file(NULL, 0, NONE, &err));
  CASE(INVALID_ARGUMENT, "set_host_language(NULL config)", purecore_config_set_host_language(NULL, S("c"), &err));
  CASE(INVALID_ARGUMENT, "set_live_reload(NULL config)", purecore_config_set_live_reload(NULL, false, 0, &err));
  CASE(INVALID_ARGUMENT, "validate(NULL config)", purecore_config_validate(NULL, &err));
  CASE(INVALID_ARGUMENT, "set_exchange_hook(NULL config)", purecore_config_set_exchange_hook(NULL, NULL, NULL, &err));
  CASE(INVALID_ARGUMENT, "set_request_hook(NULL client)", purecore_client_set_request_hook(NULL, NULL, NULL, &err));
  CASE(INVALID_ARGUMENT, "set_response_hook(NULL client)", purecore_client_set_response_hook(NULL, NULL, NULL, &err));
  CASE(INVALID_ARGUMENT, "hook_request_method(NULL request)", purecore_hook_request_method(NULL, &(PurecoreStr){0}, &err));
  CASE(INVALID_ARGUMENT, "hook_request_operation_id(NULL request)",
       purecore_hook_request_operation_id(NULL, &(PurecoreStr){0}, &err));
  CASE(INVALID_ARGUMENT, "hook_request_url(NULL request)", purecore_hook_request_url(NULL, &(PurecoreStr){0}, &err));
  CASE(INVALID_ARGUMENT, "hook_request_set_url(NULL request)", purecore_hook_request_set_url(NULL, S("/x"), &err));
  CASE(INVALID_ARGUMENT, "hook_request_header_count(NULL request)",
       purecore_hook_request_header_count(NULL, &(size_t){0}, &err));
  CASE(INVALID_ARGUMENT, "hook_request_header_at(NULL request)",
       purecore_hook_request_header_at(NULL, 0, &(PurecoreHeaderRef){{0}, {0}}, &err));
  CASE(INVALID_ARGUMENT, "hook_request_get_header(NULL request)",
       purecore_hook_request_get_header(NULL, S("a"), &(PurecoreStr){0}, &err));
  CASE(INVALID_ARGUMENT, "hook_request_set_header(NULL request)", purecore_hook_request_set_header(NULL, S("a"), S("b"), &err));
  CASE(INVALID_ARGUMENT, "hook_request_add_header(NULL request)", purecore_hook_request_add_header(NULL, S("a"), S("b"), &err));
  CASE(INVALID_ARGUMENT, "hook_request_remove_header(NULL request)", purecore_hook_request_remove_header(NULL, S("a"), &err));
  CASE(INVALID_ARGUMENT, "hook_request_body(NULL request)",
       purecore_hook_request_body(NULL, &(const uint8_t *){NULL}, &(size_t){0}, &err));
  CASE(INVALID_ARGUMENT, "hook_request_set_body(NULL request)", purecore_hook_request_set_body(NULL, NULL, 0, &err));
  CASE(INVALID_ARGUMENT, "hook_request_set_error_message(NULL request)",
       purecore_hook_request_set_error_message(NULL, S("x"), &err));
  CASE(INVALID_ARGUMENT, "login_client_credentials(NULL client)",
       purecore_client_login_client_credentials(NULL, S(CLIENT_ID), S(CLIENT_SECRET), NULL, &err));
  CASE(INVALID_ARGUMENT, "login_saml2_bearer(NULL client)",
       purecore_client_login_saml2_bearer(NULL, S("a"), S("b"), S("c"), S("d"), NULL, &err));
  CASE(INVALID_ARGUMENT, "login_code(NULL client)", purecore_client_login_code(NULL, S("a"), S("b"), S("c"), S("d"), NULL, &err));
  CASE(INVALID_ARGUMENT, "refresh_code(NULL client)", purecore_client_refresh_code(NULL, S("a"), S("b"), S("c"), NULL, &err));
  CASE(INVALID_ARGUMENT, "login_pkce(NULL client)", purecore_client_login_pkce(NULL, S("a"), S("b"), S("c"), S("d"), NULL, &err));
  CASE(INVALID_ARGUMENT, "login_implicit_redirect(NULL client)",
       purecore_client_login_implicit_redirect(NULL, S("http://x/#access_token=a"), NONE, NULL, &err));
  CASE(INVALID_ARGUMENT, "set_access_token(NULL client)", purecore_client_set_access_token(NULL, S("tok"), -1, &err));
  CASE(INVALID_ARGUMENT, "get_auth_data(NULL client)", purecore_client_get_auth_data(NULL, &(PurecoreAuthData *){NULL}, &err));
  CASE(INVALID_ARGUMENT, "logout(NULL client)", purecore_client_logout(NULL, &err));
  CASE(INVALID_ARGUMENT, "authorize_url(NULL client)", purecore_client_authorize_url(NULL, &ok_req, NULL, NULL, &err));
  CASE(INVALID_ARGUMENT, "authorize_url(NULL request)", purecore_client_authorize_url(client, NULL, NULL, NULL, &err));
  CASE(INVALID_ARGUMENT, "login_async(NULL client)",
       purecore_client_login_async(NULL, PURECORE_GRANT_CLIENT_CREDENTIALS, two, 2, NULL, ignore_login, NULL, &err));
  CASE(INVALID_ARGUMENT, "login_async(NULL callback)",
       purecore_client_login_async(client, PURECORE_GRANT_CLIENT_CREDENTIALS, two, 2, NULL, NULL, NULL, &err));

  /* NULL out-pointers (the leak side is part 1). */
  CASE(INVALID_ARGUMENT, "config_new(NULL out)", purecore_config_new(NULL, &err));
  CASE(INVALID_ARGUMENT, "cancel_new(NULL out)", purecore_cancel_new(NULL, &err));
  CASE(INVALID_ARGUMENT, "client_new(NULL out)", purecore_client_new(cfg, NULL, &err));
  CASE(INVALID_ARGUMENT, "get_config(NULL out)", purecore_client_get_config(client, NULL, &err));
  CASE(INVALID_ARGUMENT, "get_config_file_error(NULL out)", purecore_client_get_config_file_error(client, NULL, &err));
  CASE(INVALID_ARGUMENT, "get_auth_data(NULL out)", purecore_client_get_auth_data(client, NULL, &err));
  CASE(INVALID_ARGUMENT, "call(NULL response_out)",
       purecore_client_call(client, S("getUsersMe"), NONE, NULL, 0, NULL, NULL, &err));
  CASE(INVALID_ARGUMENT, "parse_code_redirect(NULL out)", purecore_parse_code_redirect(S("http://x/?code=a"), NONE, NULL, &err));
  CASE(INVALID_ARGUMENT, "pkce_generate_verifier(NULL out)", purecore_pkce_generate_verifier(64, NULL, &err));
  CASE(INVALID_ARGUMENT, "pkce_compute_challenge(NULL out)", purecore_pkce_compute_challenge(S("abc"), NULL, &err));

  /* NULL pointers with a length, and NULL arrays with a length. */
  CASE(INVALID_ARGUMENT, "set_environment({NULL, 5})", purecore_config_set_environment(cfg, SN(NULL, 5), &err));
  CASE(INVALID_ARGUMENT, "login client_id {NULL, 3}",
       purecore_client_login_client_credentials(client, SN(NULL, 3), S(CLIENT_SECRET), NULL, &err));
  CASE(INVALID_ARGUMENT, "call operation_id {NULL, 1}", call(client, SN(NULL, 1), NONE, &err));
  CASE(INVALID_ARGUMENT, "call params {NULL, 2}", call(client, S("getUsersMe"), SN(NULL, 2), &err));
  CASE(INVALID_ARGUMENT, "set_retry_statuses(NULL, 3)", purecore_config_set_retry_statuses(cfg, NULL, 3, &err));
  CASE(INVALID_ARGUMENT, "call headers NULL with length 2",
       purecore_client_call(client, S("getUsersMe"), NONE, NULL, 2, NULL, &(PurecoreResponse *){NULL}, &err));
  CASE(INVALID_ARGUMENT, "login_async args NULL with length 2",
       purecore_client_login_async(client, PURECORE_GRANT_CLIENT_CREDENTIALS, NULL, 2, NULL, ignore_login, NULL, &err));
  CASE(INVALID_ARGUMENT, "login_async arg {NULL, 3}",
       purecore_client_login_async(client, PURECORE_GRANT_CLIENT_CREDENTIALS, with_null, 2, NULL, ignore_login, NULL, &err));

  /* Absent (NULL) required strings. */
  CASE(INVALID_ARGUMENT, "set_environment(NULL)", purecore_config_set_environment(cfg, NONE, &err));
  CASE(INVALID_ARGUMENT, "set_environment_custom(NULL api)", purecore_config_set_environment_custom(cfg, NONE, S(EMU), &err));
  CASE(INVALID_ARGUMENT, "set_environment_custom(NULL login)", purecore_config_set_environment_custom(cfg, S(EMU), NONE, &err));
  CASE(INVALID_ARGUMENT, "add_ca_pem(NULL)", purecore_config_add_ca_pem(cfg, NONE, &err));
  CASE(INVALID_ARGUMENT, "set_default_header(NULL name)", purecore_config_set_default_header(cfg, NONE, S("v"), &err));
  CASE(INVALID_ARGUMENT, "set_host_language(NULL)", purecore_config_set_host_language(cfg, NONE, &err));
  CASE(INVALID_ARGUMENT, "client_set_environment(NULL)", purecore_client_set_environment(client, NONE, &err));
  CASE(INVALID_ARGUMENT, "client_set_config_file(NULL)", purecore_client_set_config_file(client, NONE, &err));
  CASE(INVALID_ARGUMENT, "login_client_credentials(NULL id)",
       purecore_client_login_client_credentials(client, NONE, S(CLIENT_SECRET), NULL, &err));
  CASE(INVALID_ARGUMENT, "login_client_credentials(NULL secret)",
       purecore_client_login_client_credentials(client, S(CLIENT_ID), NONE, NULL, &err));
  CASE(INVALID_ARGUMENT, "login_saml2_bearer(NULL org)",
       purecore_client_login_saml2_bearer(client, S(CLIENT_ID), S(CLIENT_SECRET), NONE, S("eA=="), NULL, &err));
  CASE(INVALID_ARGUMENT, "login_saml2_bearer(NULL assertion)",
       purecore_client_login_saml2_bearer(client, S(CLIENT_ID), S(CLIENT_SECRET), S("org"), NONE, NULL, &err));
  CASE(INVALID_ARGUMENT, "login_code(NULL code)",
       purecore_client_login_code(client, S(CLIENT_ID), S(CLIENT_SECRET), NONE, S(REDIRECT), NULL, &err));
  CASE(INVALID_ARGUMENT, "login_code(NULL redirect_uri)",
       purecore_client_login_code(client, S(CLIENT_ID), S(CLIENT_SECRET), S("c"), NONE, NULL, &err));
  CASE(INVALID_ARGUMENT, "refresh_code(NULL refresh_token)",
       purecore_client_refresh_code(client, S(CLIENT_ID), S(CLIENT_SECRET), NONE, NULL, &err));
  CASE(INVALID_ARGUMENT, "login_pkce(NULL verifier)",
       purecore_client_login_pkce(client, S(CLIENT_ID), S("c"), NONE, S(REDIRECT), NULL, &err));
  CASE(INVALID_ARGUMENT, "login_implicit_redirect(NULL)", implicit(client, NONE, NONE, &err));
  CASE(INVALID_ARGUMENT, "set_access_token(NULL)", purecore_client_set_access_token(client, NONE, -1, &err));
  CASE(INVALID_ARGUMENT, "call(NULL operation)", call(client, NONE, NONE, &err));
  CASE(INVALID_ARGUMENT, "parse_code_redirect(NULL)", code_of(NONE, NONE, &err));
  CASE(INVALID_ARGUMENT, "pkce_compute_challenge(NULL)", challenge(NONE, &err));
  r = ok_req;
  r.client_id = NONE;
  CASE(INVALID_ARGUMENT, "authorize_url(NULL client_id)", authorize(client, r, &err));
  r = ok_req;
  r.redirect_uri = NONE;
  CASE(INVALID_ARGUMENT, "authorize_url(NULL redirect_uri)", authorize(client, r, &err));

  /* Invalid UTF-8. */
  CASE(INVALID_ARGUMENT, "set_environment(bad UTF-8)", purecore_config_set_environment(cfg, BAD, &err));
  CASE(INVALID_ARGUMENT, "set_gateway(bad UTF-8 host)", purecore_config_set_gateway(cfg, BAD, NONE, 0, NONE, NONE, &err));
  CASE(INVALID_ARGUMENT, "set_proxy(bad UTF-8 password)",
       purecore_config_set_proxy(cfg, S("http://127.0.0.1:3128"), S("u"), BAD, &err));
  CASE(INVALID_ARGUMENT, "set_default_header(bad UTF-8 value)", purecore_config_set_default_header(cfg, S("X-A"), BAD, &err));
  CASE(INVALID_ARGUMENT, "set_user_agent_suffix(bad UTF-8)", purecore_config_set_user_agent_suffix(cfg, BAD, &err));
  CASE(INVALID_ARGUMENT, "set_logging(bad UTF-8 path)", purecore_config_set_logging(cfg, 0, 0, false, BAD, false, false, &err));
  CASE(INVALID_ARGUMENT, "add_ca_pem(bad UTF-8)", purecore_config_add_ca_pem(cfg, BAD, &err));
  CASE(INVALID_ARGUMENT, "login id (bad UTF-8)", purecore_client_login_client_credentials(client, BAD, S("s"), NULL, &err));
  CASE(INVALID_ARGUMENT, "login_async arg (bad UTF-8)",
       purecore_client_login_async(client, PURECORE_GRANT_CLIENT_CREDENTIALS, with_bad, 2, NULL, ignore_login, NULL, &err));
  CASE(INVALID_ARGUMENT, "call operation (bad UTF-8)", call(client, BAD, NONE, &err));
  CASE(INVALID_ARGUMENT, "call params (bad UTF-8)", call(client, S("getUsersMe"), BAD, &err));
  CASE(INVALID_ARGUMENT, "call header name (bad UTF-8)", call_with_header(client, BAD, S("v"), &err));
  CASE(INVALID_ARGUMENT, "call header value (bad UTF-8)", call_with_header(client, S("X-A"), BAD, &err));
  CASE(INVALID_ARGUMENT, "parse_code_redirect(bad UTF-8)", code_of(BAD, NONE, &err));
  CASE(INVALID_ARGUMENT, "pkce_compute_challenge(bad UTF-8)", challenge(BAD, &err));
  CASE(INVALID_ARGUMENT, "implicit redirect (bad UTF-8)", implicit(client, BAD, NONE, &err));
  CASE(INVALID_ARGUMENT, "set_access_token(bad UTF-8)", purecore_client_set_access_token(client, BAD, -1, &err));
  r = ok_req;
  r.state = BAD;
  CASE(INVALID_ARGUMENT, "authorize_url(bad UTF-8 state)", authorize(client, r, &err));

  /* Empty strings. */
  CASE(CONFIGURATION, "set_environment(\"\")", purecore_config_set_environment(cfg, S(""), &err));
  CASE(CONFIGURATION, "set_environment(\"   \")", purecore_config_set_environment(cfg, S("   "), &err));
  CASE(CONFIGURATION, "set_environment_custom(\"\", \"\")", purecore_config_set_environment_custom(cfg, S(""), S(""), &err));
  CASE(CONFIGURATION, "client_set_environment(\"\")", set_client_env(client, "", &err));
  CASE(INVALID_ARGUMENT, "set_access_token(\"\")", purecore_client_set_access_token(client, S(""), -1, &err));
  CASE(INVALID_ARGUMENT, "call(\"\")", call(client, S(""), NONE, &err));
  CASE(INVALID_ARGUMENT, "pkce_compute_challenge(\"\")", challenge(S(""), &err));
  CASE(AUTHENTICATION, "parse_code_redirect(\"\")", code_of(S(""), NONE, &err));
  CASE(AUTHENTICATION, "implicit redirect \"\"", implicit(client, S(""), NONE, &err));
  CASE(CONFIGURATION, "client_set_config_file(\"\")", purecore_client_set_config_file(client, S(""), &err));
  CASE(INVALID_ARGUMENT, "login_client_credentials(\"\", \"\")",
       purecore_client_login_client_credentials(client, S(""), S(""), NULL, &err));
  CASE(INVALID_ARGUMENT, "default header name \"\"", validate_with(empty_header_name, &err));
  r = ok_req;
  r.client_id = S("");
  CASE(INVALID_ARGUMENT, "authorize_url(client_id \"\")", authorize(client, r, &err));

  /* Negative and huge numbers. */
  CASE(CONFIGURATION, "set_retry(max_retries -1)", purecore_config_set_retry(cfg, -1, 10, 50, 100, false, &err));
  CASE(CONFIGURATION, "set_retry(max_retries 4294967295)", purecore_config_set_retry(cfg, 4294967295LL, 10, 50, 100, false, &err));
  CASE(CONFIGURATION, "set_retry(max_retries 101)", purecore_config_set_retry(cfg, 101, 10, 50, 100, false, &err));
  CASE(CONFIGURATION, "set_retry(wait_min -1)", purecore_config_set_retry(cfg, 1, -1, 50, 100, false, &err));
  CASE(CONFIGURATION, "set_retry(wait_max INT64_MAX)", purecore_config_set_retry(cfg, 1, 1, INT64_MAX, 100, false, &err));
  CASE(CONFIGURATION, "set_retry(max_total_wait INT64_MIN)", purecore_config_set_retry(cfg, 1, 1, 2, INT64_MIN, false, &err));
  CASE(CONFIGURATION, "set_timeouts(-1)", purecore_config_set_timeouts(cfg, -1, 0, 0, &err));
  CASE(CONFIGURATION, "set_timeouts(auth 1e19 -> INT64_MAX)", purecore_config_set_timeouts(cfg, 0, INT64_MAX, 0, &err));
  CASE(CONFIGURATION, "set_timeouts(connect 10000000001)", purecore_config_set_timeouts(cfg, 0, 0, 10000000001LL, &err));
  CASE(CONFIGURATION, "set_refresh(wait -1)", purecore_config_set_refresh(cfg, true, -1, 0, &err));
  CASE(CONFIGURATION, "set_refresh(margin huge)", purecore_config_set_refresh(cfg, true, 0, INT64_MAX, &err));
  CASE(CONFIGURATION, "set_live_reload(-1)", purecore_config_set_live_reload(cfg, true, -1, &err));
  CASE(CONFIGURATION, "set_gateway(port -1)", purecore_config_set_gateway(cfg, S("gw.example.test"), NONE, -1, NONE, NONE, &err));
  CASE(CONFIGURATION, "set_gateway(port 70000)",
       purecore_config_set_gateway(cfg, S("gw.example.test"), NONE, 70000, NONE, NONE, &err));
  CASE(INVALID_ARGUMENT, "set_logging(level 9)", purecore_config_set_logging(cfg, 9, 0, false, NONE, false, false, &err));
  CASE(INVALID_ARGUMENT, "set_logging(format 7)", purecore_config_set_logging(cfg, 0, 7, false, NONE, false, false, &err));
  CASE(INVALID_ARGUMENT, "set_config_file(mode 5)", purecore_config_set_config_file(cfg, 5, NONE, &err));
  CASE(INVALID_ARGUMENT, "set_config_file(PATH without path)",
       purecore_config_set_config_file(cfg, PURECORE_CONFIG_FILE_MODE_PATH, NONE, &err));
  CASE(CONFIGURATION, "set_access_token(expires -2)", purecore_client_set_access_token(client, S("tok"), -2, &err));
  CASE(CONFIGURATION, "set_access_token(expires INT64_MAX ms)",
       purecore_client_set_access_token(client, S("tok"), INT64_MAX, &err));
  CASE(CONFIGURATION, "set_access_token(expires INT64_MIN)", purecore_client_set_access_token(client, S("tok"), INT64_MIN, &err));
  CASE(INVALID_ARGUMENT, "pkce verifier length 0", verifier(0, &err));
  CASE(INVALID_ARGUMENT, "pkce verifier length 42", verifier(42, &err));
  CASE(INVALID_ARGUMENT, "pkce verifier length 129", verifier(129, &err));
  CASE(INVALID_ARGUMENT, "pkce verifier length SIZE_MAX (-1)", verifier(SIZE_MAX, &err));
  CASE(INVALID_ARGUMENT, "region_get(99)", purecore_region_get(99, NULL, NULL, &err));
  CASE(INVALID_ARGUMENT, "region_get(SIZE_MAX)", purecore_region_get(SIZE_MAX, NULL, NULL, &err));
  CASE(INVALID_ARGUMENT, "login_async(grant 42)",
       purecore_client_login_async(client, 42, two, 2, NULL, ignore_login, NULL, &err));
  CASE(INVALID_ARGUMENT, "login_async(3 args for 2)",
       purecore_client_login_async(client, PURECORE_GRANT_CLIENT_CREDENTIALS, two, 3, NULL, ignore_login, NULL, &err));
  CASE(INVALID_ARGUMENT, "login_async(SIZE_MAX args)",
       purecore_client_login_async(client, PURECORE_GRANT_PKCE, two, SIZE_MAX, NULL, ignore_login, NULL, &err));
  CASE(CONFIGURATION, "retry wait_min over wait_max", validate_with(wait_min_over_max, &err));

  /* Bad hosts and environments. */
  CASE(CONFIGURATION, "environment example.1", set_env("example.1", &err));
  CASE(CONFIGURATION, "environment mypurecloud.xn--ie", set_env("mypurecloud.xn--ie", &err));
  CASE(CONFIGURATION, "client environment example.1", set_client_env(client, "example.1", &err));
  CASE(CONFIGURATION, "environment nowhere_9", set_env("nowhere_9", &err));
  CASE(CONFIGURATION, "environment http://", set_env("http://", &err));
  CASE(CONFIGURATION, "environment ftp://example.test", set_env("ftp://example.test", &err));
  CASE(CONFIGURATION, "environment .com", set_env(".com", &err));
  CASE(CONFIGURATION, "environment exa mple.com", set_env("exa mple.com", &err));
  CASE(CONFIGURATION, "environment mypurecloud.ie/", set_env("mypurecloud.ie./", &err));
  CASE(CONFIGURATION, "environment bücher.example (not punycode)", set_env("b\xc3\xbc" "cher.example", &err));
  CASE(CONFIGURATION, "environment http://[::1", set_env("http://[::1", &err));
  CASE(CONFIGURATION, "environment with CR/LF", set_env("mypurecloud.ie\r\nX-Evil: 1", &err));
  CASE(CONFIGURATION, "environment_custom(not a url)", purecore_config_set_environment_custom(cfg, S("not a url"), S(EMU), &err));
  CASE(CONFIGURATION, "remote http:// without allow_insecure_http", validate_with(http_remote, &err));

  /* CR/LF in headers. */
  CASE(INVALID_ARGUMENT, "default header value with CR/LF", validate_with(crlf_header_value, &err));
  CASE(INVALID_ARGUMENT, "default header name with CR/LF", validate_with(crlf_header_name, &err));
  CASE(INVALID_ARGUMENT, "default header value with LF", validate_with(lf_header_value, &err));
  CASE(INVALID_ARGUMENT, "call header value with CR/LF", call_with_header(client, S("X-A"), S("a\r\nX-Evil: 1"), &err));
  CASE(INVALID_ARGUMENT, "call header name with CR/LF", call_with_header(client, S("X-A\r\n"), S("a"), &err));
  CASE(INVALID_ARGUMENT, "call header name empty", call_with_header(client, S(""), S("a"), &err));
  CASE(INVALID_ARGUMENT, "call header name with space", call_with_header(client, S("Bad Header"), S("a"), &err));
  CASE(INVALID_ARGUMENT, "call header value with NUL", call_with_header(client, S("X-A"), SN("a\0b", 3), &err));

  /* Invalid JSON parameters, unknown operations, missing parameters. */
  CASE(INVALID_ARGUMENT, "params {", call(client, S("getUsersMe"), S("{"), &err));
  CASE(INVALID_ARGUMENT, "params [1]", call(client, S("getUsersMe"), S("[1]"), &err));
  CASE(INVALID_ARGUMENT, "params \"text\"", call(client, S("getUsersMe"), S("\"text\""), &err));
  CASE(INVALID_ARGUMENT, "params 42", call(client, S("getUsersMe"), S("42"), &err));
  CASE(INVALID_ARGUMENT, "params {\"userId\":", call(client, S("getUser"), S("{\"userId\":"), &err));
  CASE(INVALID_ARGUMENT, "params trailing garbage", call(client, S("getUsersMe"), S("{} x"), &err));
  CASE(INVALID_ARGUMENT, "unknown operation", call(client, S("noSuchOperation"), NONE, &err));
  CASE(INVALID_ARGUMENT, "operation with CR/LF", call(client, S("getUsersMe\r\n"), NONE, &err));
  CASE(INVALID_ARGUMENT, "getUser without userId", call(client, S("getUser"), S("{}"), &err));
  CASE(INVALID_ARGUMENT, "getUser userId null", call(client, S("getUser"), S("{\"userId\":null}"), &err));
  CASE(INVALID_ARGUMENT, "deleteUser without userId", call(client, S("deleteUser"), NONE, &err));
  CASE(INVALID_ARGUMENT, "patchUser without body", call(client, S("patchUser"), S("{\"userId\":\"u\"}"), &err));
  CASE(INVALID_ARGUMENT, "getUser userId an object", call(client, S("getUser"), S("{\"userId\":{\"a\":1}}"), &err));

  /* Bad PEMs. */
  CASE(CONFIGURATION, "mTLS certificate without key", validate_with(half_identity_cert, &err));
  CASE(CONFIGURATION, "mTLS key without certificate", validate_with(half_identity_key, &err));
  CASE(CONFIGURATION, "CA PEM with bad base64", client_with(bad_ca, &err));
  CASE(CONFIGURATION, "CA PEM garbage", client_with(garbage_ca, &err));
  CASE(CONFIGURATION, "mTLS identity garbage", client_with(bad_identity, &err));

  /* Bad proxy URLs. */
  CASE(CONFIGURATION, "proxy ftp://", validate_with(proxy_ftp, &err));
  CASE(CONFIGURATION, "proxy http:// without host", validate_with(proxy_no_host, &err));
  CASE(CONFIGURATION, "proxy not a url", validate_with(proxy_not_url, &err));
  CASE(CONFIGURATION, "proxy port 99999", validate_with(proxy_bad_port, &err));
  CASE(CONFIGURATION, "proxy with a space", validate_with(proxy_spaces, &err));

  /* Bad redirects. */
  CASE(AUTHENTICATION, "code redirect not a url", code_of(S("not a url"), NONE, &err));
  CASE(AUTHENTICATION, "code redirect without code", code_of(S("http://localhost:8085/callback?state=s"), NONE, &err));
  CASE(AUTHENTICATION, "code redirect error=access_denied",
       code_of(S("http://localhost:8085/callback?error=access_denied&state=s"), NONE, &err));
  CASE(AUTHENTICATION, "code redirect with a wrong state",
       code_of(S("http://localhost:8085/callback?code=c&state=evil"), S("s"), &err));
  CASE(AUTHENTICATION, "implicit redirect without fragment", implicit(client, S("http://localhost:8085/callback"), NONE, &err));
  CASE(AUTHENTICATION, "implicit redirect without token",
       implicit(client, S("http://localhost:8085/callback#expires_in=60"), NONE, &err));
  CASE(AUTHENTICATION, "implicit redirect with error",
       implicit(client, S("http://localhost:8085/callback#error=access_denied"), NONE, &err));
  CASE(AUTHENTICATION, "implicit redirect with a wrong state",
       implicit(client, S("http://localhost:8085/callback#access_token=t&state=evil"), S("s"), &err));
  CASE(AUTHENTICATION, "implicit redirect with expires_in twice",
       implicit(client, S("http://localhost:8085/callback#access_token=t&expires_in=1&expires_in=9"), NONE, &err));
  CASE(AUTHENTICATION, "implicit redirect with access_token twice",
       implicit(client, S("http://localhost:8085/callback#access_token=a&access_token=b"), NONE, &err));
  CASE(AUTHENTICATION, "code redirect with code twice", code_of(S("http://localhost:8085/callback?code=a&code=b"), NONE, &err));

  /* Config files. */
  CASE(CONFIGURATION, "client_set_config_file(missing)",
       purecore_client_set_config_file(client, S("/nonexistent/purecore/config"), &err));
  CASE(CONFIGURATION, "client_new with a missing config file", client_with(missing_file, &err));
  CASE(CONFIGURATION, "client_set_config_file(a directory)", purecore_client_set_config_file(client, S("/tmp"), &err));

  purecore_config_free(cfg);

  /* A lifetime the clock cannot hold is clamped by the core, never a panic. */
  PurecoreAuthData *auth = NULL;
  PurecoreStatus st = purecore_client_login_implicit_redirect(
      client, S("http://localhost:8085/callback#access_token=t&expires_in=18446744073709551615"), NONE, &auth, NULL);
  if (st != PURECORE_STATUS_OK || !auth || auth->expires_in <= 0) {
    failures++;
    fprintf(stderr, "FAIL: a huge expires_in: %s\n", purecore_status_name(st));
  }
  purecore_auth_data_free(auth);
}

/* scenario: bad_input */
int main(int argc, char **argv) {
  EMU = argc > 1 ? argv[1] : getenv("EMULATOR_URL");
  if (!EMU || strncmp(EMU, "http://127.0.0.1:", 17) != 0) {
    fprintf(stderr, "usage: test_bad_input http://127.0.0.1:PORT (a running purecore-emulator)\n");
    return 2;
  }
  signal(SIGSEGV, on_crash);
  signal(SIGBUS, on_crash);
  signal(SIGABRT, on_crash);
  signal(SIGILL, on_crash);
  signal(SIGFPE, on_crash);
  pthread_t dog;
  pthread_create(&dog, NULL, watchdog, NULL);

  PurecoreClient *client = new_client();
  null_out_pointers(client);
  table(client);
  purecore_client_free(client);
  atomic_store(&finished, 1);
  pthread_join(dog, NULL);

  summary(0);
  if (cases < 100) {
    fprintf(stderr, "FAIL: only %d bad-input cases (want at least 100)\n", cases);
    failures++;
  }
  int ok = failures == 0 && hangs == 0 && untyped == 0 && wrong_kind == 0;
  return ok ? 0 : 1;
}
