/* The C ABI from C: every grant, calls, errors with their fields, retries, refresh under
 * threads, async calls and cancellation, settings, config file, logging. Every free
 * function is used. Run: test_purecore http://127.0.0.1:PORT (a running emulator).
 * Built by bindings-c/test.sh with gcc against include/purecore.h and libpurecore.a,
 * and run under valgrind. Prints "N passed, N failed". */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "check.h"

static const char *CODE_ID = "emulator-code-client", *CODE_SECRET = "emulator-code-secret";
static const char *PUBLIC_ID = "emulator-public-client", *REDIRECT = "http://localhost:8085/callback";

/* GET an authorize URL on the emulator; copies the Location it redirects to. */
static void follow_authorize(const char *url, char *location, size_t cap) {
  const char *path = strstr(url + strlen("http://"), "/");
  EmuReply r;
  location[0] = 0;
  if (emu_http(EMU, "GET", path, NULL, &r) == 0) {
    emu_header(&r, "location", location, cap);
    free(r.raw);
  }
}

static PurecoreClient *new_client(uint32_t max_retries) {
  PurecoreConfig *cfg = NULL;
  PurecoreClient *client = NULL;
  PurecoreError *err = NULL;
  purecore_config_new(&cfg, NULL);
  purecore_config_set_environment(cfg, S(EMU), NULL);
  purecore_config_set_retry(cfg, max_retries, 20, 100, 10000, false, NULL);
  if (purecore_client_new(cfg, &client, &err) != PURECORE_STATUS_OK) {
    fprintf(stderr, "client: %s\n", msg(err));
    exit(2);
  }
  purecore_config_free(cfg);
  return client;
}

static void test_static_helpers(void) {
  CHECK(strlen(purecore_version()) > 0, "version");
  CHECK(strcmp(purecore_status_name(PURECORE_STATUS_RATE_LIMITED), "rate_limited") == 0, "status name");
  CHECK(purecore_region_count() == 18, "%zu regions", purecore_region_count());
  const char *name = NULL, *domain = NULL;
  CHECK(purecore_region_get(1, &name, &domain, NULL) == PURECORE_STATUS_OK && strcmp(domain, "mypurecloud.ie") == 0,
        "%s", name);
  PurecoreError *err = NULL;
  CHECK(purecore_region_get(99, &name, &domain, &err) == PURECORE_STATUS_INVALID_ARGUMENT, "out of range");
  purecore_error_free(err);

  char *verifier = NULL, *challenge = NULL;
  CHECK(purecore_pkce_generate_verifier(64, &verifier, NULL) == PURECORE_STATUS_OK && strlen(verifier) == 64, "verifier");
  CHECK(purecore_pkce_compute_challenge(S("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"), &challenge, NULL) == 0 &&
            strcmp(challenge, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM") == 0,
        "RFC 7636 vector");
  purecore_string_free(verifier);
  purecore_string_free(challenge);
  char *code = NULL;
  CHECK(purecore_parse_code_redirect(S("http://localhost:8085/callback?code=abc&state=xyz"), S("xyz"), &code, NULL) == 0 &&
            strcmp(code, "abc") == 0,
        "code");
  purecore_string_free(code);
  CHECK(purecore_parse_code_redirect(S("http://localhost:8085/callback?code=abc&state=evil"), S("xyz"), &code, &err) != 0 &&
            code == NULL,
        "a wrong state is refused");
  purecore_error_free(err);
}

static void test_settings(void) {
  PurecoreConfig *cfg = NULL;
  PurecoreError *err = NULL;
  CHECK(purecore_config_new(&cfg, NULL) == PURECORE_STATUS_OK, "config");
  CHECK(purecore_config_set_environment(cfg, S("nowhere_9"), &err) == PURECORE_STATUS_CONFIGURATION &&
            strstr(err->message, "unknown region") != NULL,
        "%s", msg(err));
  purecore_error_free(err);
  CHECK(purecore_config_set_environment(cfg, S("eu-west-1"), NULL) == 0, "region");
  CHECK(purecore_config_set_environment_custom(cfg, S(EMU), S(EMU), NULL) == 0, "custom");
  CHECK(purecore_config_set_gateway(cfg, S("gw.example.com"), S("https"), 8443, S("login"), S("api"), NULL) == 0, "gw");
  CHECK(purecore_config_set_gateway(cfg, NONE, NONE, 0, NONE, NONE, NULL) == 0, "no gateway");
  CHECK(purecore_config_set_allow_insecure_http(cfg, false, NULL) == 0, "insecure");
  CHECK(purecore_config_set_timeouts(cfg, 5000, 5000, 2000, NULL) == 0, "timeouts");
  CHECK(purecore_config_set_retry(cfg, 2, 10, 50, 1000, false, NULL) == 0, "retry");
  uint16_t statuses[] = {429, 503};
  CHECK(purecore_config_set_retry_statuses(cfg, statuses, 2, NULL) == 0, "statuses");
  CHECK(purecore_config_set_retry(cfg, 2, 100, 10, 1000, false, NULL) == 0, "set (checked as a whole later)");
  CHECK(purecore_config_validate(cfg, &err) == PURECORE_STATUS_CONFIGURATION && strstr(err->message, "wait_min"),
        "%s", msg(err));
  purecore_error_free(err);
  CHECK(purecore_config_set_retry(cfg, 2, 10, 100, 1000, false, NULL) == 0, "retry");
  CHECK(purecore_config_set_refresh(cfg, true, 5000, 10000, NULL) == 0, "refresh");
  CHECK(purecore_config_set_logging(cfg, PURECORE_LOG_LEVEL_NONE, PURECORE_LOG_FORMAT_JSON, false, NONE, false, false,
                                    NULL) == 0,
        "logging");
  CHECK(purecore_config_set_proxy(cfg, S("http://127.0.0.1:3128"), S("user"), S("pass"), NULL) == 0, "proxy");
  CHECK(purecore_config_set_proxy(cfg, S("ftp://x"), NONE, NONE, &err) == PURECORE_STATUS_OK, "checked by validate");
  CHECK(purecore_config_validate(cfg, &err) == PURECORE_STATUS_CONFIGURATION, "bad proxy: %s", msg(err));
  purecore_error_free(err);
  CHECK(purecore_config_set_proxy(cfg, NONE, NONE, NONE, NULL) == 0, "no proxy");
  CHECK(purecore_config_add_ca_pem(cfg, S("-----BEGIN CERTIFICATE-----\n"), NULL) == 0, "ca");
  CHECK(purecore_config_clear_ca_pems(cfg, NULL) == 0, "clear ca");
  CHECK(purecore_config_set_client_identity(cfg, S("cert"), NONE, NULL) == 0, "half an identity");
  CHECK(purecore_config_validate(cfg, &err) == PURECORE_STATUS_CONFIGURATION, "%s", msg(err));
  purecore_error_free(err);
  CHECK(purecore_config_set_client_identity(cfg, NONE, NONE, NULL) == 0, "no identity");
  CHECK(purecore_config_set_default_header(cfg, S("X-App"), S("c-test"), NULL) == 0, "header");
  CHECK(purecore_config_set_default_header(cfg, S("Bad Header"), S("x"), NULL) == 0, "stored");
  CHECK(purecore_config_validate(cfg, &err) == PURECORE_STATUS_INVALID_ARGUMENT, "bad header: %s", msg(err));
  purecore_error_free(err);
  CHECK(purecore_config_set_default_header(cfg, S("Bad Header"), NONE, NULL) == 0, "removed");
  CHECK(purecore_config_clear_default_headers(cfg, NULL) == 0, "cleared");
  CHECK(purecore_config_set_user_agent_suffix(cfg, S("c-test/1"), NULL) == 0, "ua");
  CHECK(purecore_config_set_host_language(cfg, S("c"), NULL) == 0, "lang");
  CHECK(purecore_config_set_live_reload(cfg, false, 200, NULL) == 0, "reload");
  CHECK(purecore_config_set_config_file(cfg, PURECORE_CONFIG_FILE_MODE_PATH, NONE, &err) == PURECORE_STATUS_INVALID_ARGUMENT,
        "a path is required");
  purecore_error_free(err);
  CHECK(purecore_config_set_config_file(cfg, PURECORE_CONFIG_FILE_MODE_NONE, NONE, NULL) == 0, "no file");
  CHECK(purecore_config_validate(cfg, &err) == PURECORE_STATUS_OK, "%s", msg(err));
  CHECK(purecore_config_set_environment(NULL, S("x"), &err) == PURECORE_STATUS_INVALID_ARGUMENT, "NULL config");
  purecore_error_free(err);
  purecore_config_free(cfg);
}

/* scenario: grant.client_credentials, grant.failure */
static void test_login_call_and_errors(void) {
  PurecoreClient *client = new_client(0);
  PurecoreError *err = NULL;
  PurecoreAuthData *auth = NULL;
  PurecoreResponse *resp = NULL;

  CHECK(purecore_client_call(client, S("getUsersMe"), NONE, NULL, 0, NULL, &resp, &err) ==
            PURECORE_STATUS_AUTHENTICATION,
        "no token yet");
  purecore_error_free(err);

  CHECK(purecore_client_login_client_credentials(client, S(CLIENT_ID), S("wrong"), &auth, &err) ==
            PURECORE_STATUS_AUTHENTICATION,
        "bad secret");
  CHECK(err && err->http_status == 401 && err->oauth_error && strcmp(err->oauth_error, "invalid_client") == 0 &&
            strstr(err->message, "wrong") == NULL,
        "%s", msg(err));
  purecore_error_free(err);

  CHECK(purecore_client_login_client_credentials(client, S(CLIENT_ID), S(CLIENT_SECRET), &auth, &err) == 0, "%s",
        msg(err));
  CHECK(auth && strlen(auth->access_token) > 0 && auth->expires_in > 0 && auth->expires_at_ms > 0 &&
            auth->refresh_token == NULL,
        "auth data");
  purecore_auth_data_free(auth);

  PurecoreHeaderRef hdr = {S("X-Trace"), S("c-1")};
  CHECK(purecore_client_call(client, S("getUsersMe"), S("{\"expand\":[\"presence\"]}"), &hdr, 1, NULL, &resp, &err) == 0,
        "%s", msg(err));
  if (resp) {
    CHECK(resp->status == 200 && resp->body_len > 0 && strstr((const char *)resp->body, "00000000-0000-4000-8000-000000000001"),
          "body");
    CHECK(resp->correlation_id != NULL && resp->headers_len > 0 && resp->attempts == 1, "extended response");
    int found = 0;
    for (size_t i = 0; i < resp->headers_len; i++) found |= strcmp(resp->headers[i].name, "content-type") == 0;
    CHECK(found, "content-type header");
  }
  purecore_response_free(resp);

  CHECK(purecore_client_call(client, S("getUser"), S("{\"userId\":\"no-such-user\"}"), NULL, 0, NULL, &resp, &err) ==
            PURECORE_STATUS_HTTP_STATUS,
        "404");
  CHECK(resp == NULL && err && err->kind == PURECORE_STATUS_HTTP_STATUS && err->http_status == 404 && err->code &&
            err->correlation_id && err->response && err->response->status == 404 && err->retry_after_ms == -1 &&
            !err->retryable,
        "%s", msg(err));
  purecore_error_free(err);

  admin("POST", "/admin/faults", "{\"kind\":\"status\",\"status\":429,\"retry_after\":3,\"count\":1,\"target\":\"api\"}");
  CHECK(purecore_client_call(client, S("getUsersMe"), NONE, NULL, 0, NULL, &resp, &err) == PURECORE_STATUS_RATE_LIMITED,
        "429 with retries off");
  CHECK(err && err->http_status == 429 && err->retry_after_ms == 3000 && err->retryable && strcmp(err->kind_name, "rate_limited") == 0,
        "%s", msg(err));
  purecore_error_free(err);

  CHECK(purecore_client_call(client, S("getUser"), S("{}"), NULL, 0, NULL, &resp, &err) == PURECORE_STATUS_INVALID_ARGUMENT &&
            strstr(err->message, "userId"),
        "missing parameter: %s", msg(err));
  purecore_error_free(err);
  CHECK(purecore_client_call(client, S("noSuchOperation"), NONE, NULL, 0, NULL, &resp, &err) ==
            PURECORE_STATUS_INVALID_ARGUMENT,
        "unknown operation");
  purecore_error_free(err);
  CHECK(purecore_client_call(client, S("getUsersMe"), S("[1]"), NULL, 0, NULL, &resp, &err) ==
            PURECORE_STATUS_INVALID_ARGUMENT,
        "params must be an object");
  purecore_error_free(err);

  /* Retries on, changed on the running client through get/set config. */
  PurecoreConfig *cfg = NULL;
  CHECK(purecore_client_get_config(client, &cfg, NULL) == 0, "get config");
  purecore_config_set_retry(cfg, 3, 10, 50, 5000, false, NULL);
  CHECK(purecore_client_set_config(client, cfg, &err) == 0, "%s", msg(err));
  purecore_config_free(cfg);
  admin("POST", "/admin/faults", "{\"kind\":\"status\",\"status\":503,\"count\":1,\"target\":\"api\"}");
  CHECK(purecore_client_call(client, S("getUsersMe"), NONE, NULL, 0, NULL, &resp, &err) == 0 && resp->attempts == 2,
        "503 retried: %s", msg(err));
  purecore_response_free(resp);

  char *api = NULL, *login = NULL;
  CHECK(purecore_client_get_environment(client, &api, &login, NULL) == 0 && strcmp(api, EMU) == 0, "%s", api);
  purecore_string_free(api);
  purecore_string_free(login);
  CHECK(purecore_client_logout(client, NULL) == 0, "logout");
  CHECK(purecore_client_get_auth_data(client, &auth, NULL) == 0 && auth == NULL, "no token after logout");
  purecore_client_free(client);
}

/* ---- refresh under threads ---- */

typedef struct {
  PurecoreClient *client;
  int status;
} Worker;

static void *worker(void *arg) {
  Worker *w = arg;
  PurecoreResponse *resp = NULL;
  PurecoreError *err = NULL;
  w->status = purecore_client_call(w->client, S("getUsersMe"), NONE, NULL, 0, NULL, &resp, &err);
  if (w->status != 0) fprintf(stderr, "worker: %s\n", msg(err));
  purecore_response_free(resp);
  purecore_error_free(err);
  return NULL;
}

/* scenario: refresh.concurrent, blocking.threads */
static void test_refresh_under_threads(void) {
  enum { N = 24 };
  PurecoreClient *client = new_client(3);
  CHECK(purecore_client_login_client_credentials(client, S(CLIENT_ID), S(CLIENT_SECRET), NULL, NULL) == 0, "login");
  long before = counter("token_requests");
  admin("POST", "/admin/expire-tokens", "{}");
  pthread_t threads[N];
  Worker workers[N];
  for (int i = 0; i < N; i++) {
    workers[i] = (Worker){client, -1};
    pthread_create(&threads[i], NULL, worker, &workers[i]);
  }
  int ok = 0;
  for (int i = 0; i < N; i++) {
    pthread_join(threads[i], NULL);
    ok += workers[i].status == 0;
  }
  CHECK(ok == N, "%d of %d calls succeeded", ok, N);
  CHECK(counter("token_requests") - before == 1, "%ld token requests", counter("token_requests") - before);
  purecore_client_free(client);
}

/* ---- async calls and cancellation ---- */

typedef struct {
  pthread_mutex_t mu;
  pthread_cond_t cv;
  int done;
  PurecoreStatus status;
  uint16_t http_status;
} Waiter;

static void on_done(void *user_data, PurecoreStatus status, PurecoreResponse *response, PurecoreError *error) {
  Waiter *w = user_data;
  pthread_mutex_lock(&w->mu);
  w->status = status;
  w->http_status = response ? response->status : (error ? error->http_status : 0);
  w->done = 1;
  pthread_cond_signal(&w->cv);
  pthread_mutex_unlock(&w->mu);
  purecore_response_free(response);
  purecore_error_free(error);
}

static void wait_for(Waiter *w) {
  pthread_mutex_lock(&w->mu);
  while (!w->done) pthread_cond_wait(&w->cv, &w->mu);
  w->done = 0;
  pthread_mutex_unlock(&w->mu);
}

static void test_async_and_cancel(void) {
  PurecoreClient *client = new_client(0);
  purecore_client_login_client_credentials(client, S(CLIENT_ID), S(CLIENT_SECRET), NULL, NULL);
  Waiter w = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, PURECORE_STATUS_INTERNAL, 0};
  CHECK(purecore_client_call_async(client, S("getUsersMe"), NONE, NULL, 0, NULL, on_done, &w, NULL) == 0, "async");
  wait_for(&w);
  CHECK(w.status == PURECORE_STATUS_OK && w.http_status == 200, "%d", w.status);

  admin("POST", "/admin/faults", "{\"kind\":\"delay\",\"ms\":20000,\"count\":1,\"target\":\"api\"}");
  PurecoreCancel *cancel = NULL;
  CHECK(purecore_cancel_new(&cancel, NULL) == 0, "cancel token");
  CHECK(purecore_client_call_async(client, S("getUsersMe"), NONE, NULL, 0, cancel, on_done, &w, NULL) == 0, "async");
  usleep(200 * 1000);
  CHECK(purecore_cancel_cancel(cancel, NULL) == 0, "cancel");
  wait_for(&w);
  CHECK(w.status == PURECORE_STATUS_CANCELLED, "%s", purecore_status_name(w.status));
  /* A blocking call given a cancelled token stops at once. */
  PurecoreResponse *resp = NULL;
  PurecoreError *err = NULL;
  CHECK(purecore_client_call(client, S("getUsersMe"), NONE, NULL, 0, cancel, &resp, &err) == PURECORE_STATUS_CANCELLED,
        "cancelled before start");
  CHECK(err && strcmp(err->kind_name, "cancelled") == 0, "%s", msg(err));
  purecore_error_free(err);
  purecore_cancel_free(cancel);
  CHECK(purecore_client_call_async(client, S("getUsersMe"), NONE, NULL, 0, NULL, NULL, &w, &err) ==
            PURECORE_STATUS_INVALID_ARGUMENT,
        "a callback is required");
  purecore_error_free(err);
  purecore_client_free(client);
}

/* ---- exchange hook ---- */

typedef struct {
  pthread_mutex_t mu;
  int count, token_calls, statuses[8];
  char correlation[8][64], header_cid[8][64];
} Exchanges;

static void on_exchange(void *user_data, const PurecoreExchangeEvent *ev) {
  Exchanges *x = user_data;
  pthread_mutex_lock(&x->mu);
  if (ev->is_token_call) {
    x->token_calls++;
  } else if (x->count < 8) {
    int i = x->count++;
    x->statuses[i] = ev->status;
    snprintf(x->correlation[i], sizeof x->correlation[i], "%s", ev->correlation_id ? ev->correlation_id : "");
    x->header_cid[i][0] = 0;
    for (size_t h = 0; h < ev->headers_len; h++) {
      if (ev->headers[h].name.len == 19 && memcmp(ev->headers[h].name.ptr, "inin-correlation-id", 19) == 0) {
        snprintf(x->header_cid[i], sizeof x->header_cid[i], "%.*s", (int)ev->headers[h].value.len, ev->headers[h].value.ptr);
      }
    }
  }
  pthread_mutex_unlock(&x->mu);
}

static void test_exchange_hook(void) {
  Exchanges x = {PTHREAD_MUTEX_INITIALIZER, 0, 0, {0}, {{0}}, {{0}}};
  PurecoreConfig *cfg = NULL;
  PurecoreClient *client = NULL;
  purecore_config_new(&cfg, NULL);
  purecore_config_set_environment(cfg, S(EMU), NULL);
  purecore_config_set_retry(cfg, 2, 20, 100, 10000, false, NULL);
  CHECK(purecore_config_set_exchange_hook(cfg, on_exchange, &x, NULL) == 0, "hook set");
  CHECK(purecore_client_new(cfg, &client, NULL) == 0, "client");
  purecore_config_free(cfg);
  purecore_client_login_client_credentials(client, S(CLIENT_ID), S(CLIENT_SECRET), NULL, NULL);
  admin("POST", "/admin/faults", "{\"kind\":\"status\",\"status\":503,\"count\":1,\"target\":\"api\"}");
  PurecoreResponse *resp = NULL;
  CHECK(purecore_client_call(client, S("getUsersMe"), NONE, NULL, 0, NULL, &resp, NULL) == 0, "call");
  purecore_response_free(resp);
  CHECK(x.token_calls == 1 && x.count == 2, "%d token exchanges, %d API exchanges", x.token_calls, x.count);
  CHECK(x.statuses[0] == 503 && x.statuses[1] == 200, "every attempt seen: %d then %d", x.statuses[0], x.statuses[1]);
  CHECK(x.correlation[1][0] && strcmp(x.correlation[1], x.header_cid[1]) == 0, "headers come along: '%s' '%s'",
        x.correlation[1], x.header_cid[1]);
  purecore_client_free(client);
}

/* ---- async login ---- */

typedef struct {
  pthread_mutex_t mu;
  pthread_cond_t cv;
  int done;
  PurecoreStatus status;
  int has_token;
  char kind[32];
} LoginWaiter;

static void on_login(void *user_data, PurecoreStatus status, PurecoreAuthData *auth, PurecoreError *error) {
  LoginWaiter *w = user_data;
  pthread_mutex_lock(&w->mu);
  w->status = status;
  w->has_token = auth && auth->access_token && strlen(auth->access_token) > 0;
  snprintf(w->kind, sizeof w->kind, "%s", error ? error->kind_name : "");
  w->done = 1;
  pthread_cond_signal(&w->cv);
  pthread_mutex_unlock(&w->mu);
  purecore_auth_data_free(auth);
  purecore_error_free(error);
}

static void wait_login(LoginWaiter *w) {
  pthread_mutex_lock(&w->mu);
  while (!w->done) pthread_cond_wait(&w->cv, &w->mu);
  w->done = 0;
  pthread_mutex_unlock(&w->mu);
}

static void test_async_login(void) {
  PurecoreClient *client = new_client(0);
  LoginWaiter w = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, PURECORE_STATUS_INTERNAL, 0, ""};
  PurecoreError *err = NULL;
  PurecoreStr wrong[] = {S(CLIENT_ID), S("not-the-secret")};
  CHECK(purecore_client_login_async(client, PURECORE_GRANT_CLIENT_CREDENTIALS, wrong, 2, NULL, on_login, &w, NULL) == 0,
        "started");
  wait_login(&w);
  CHECK(w.status == PURECORE_STATUS_AUTHENTICATION && !w.has_token && strcmp(w.kind, "authentication") == 0, "%s %s",
        purecore_status_name(w.status), w.kind);

  PurecoreStr args[] = {S(CLIENT_ID), S(CLIENT_SECRET)};
  CHECK(purecore_client_login_async(client, PURECORE_GRANT_CLIENT_CREDENTIALS, args, 2, NULL, on_login, &w, NULL) == 0,
        "started");
  wait_login(&w);
  CHECK(w.status == PURECORE_STATUS_OK && w.has_token, "%s", purecore_status_name(w.status));
  PurecoreResponse *resp = NULL;
  CHECK(purecore_client_call(client, S("getUsersMe"), NONE, NULL, 0, NULL, &resp, &err) == 0 && resp->status == 200,
        "the async login's token is used: %s", msg(err));
  purecore_response_free(resp);

  /* Bad input is reported at once and the callback is never called. */
  CHECK(purecore_client_login_async(client, PURECORE_GRANT_SAML2_BEARER, args, 2, NULL, on_login, &w, &err) ==
                PURECORE_STATUS_INVALID_ARGUMENT &&
            strstr(err->message, "client_id, client_secret, org_name, assertion") != NULL,
        "%s", msg(err));
  purecore_error_free(err);
  CHECK(purecore_client_login_async(client, 42, args, 2, NULL, on_login, &w, &err) == PURECORE_STATUS_INVALID_ARGUMENT &&
            strstr(err->message, "unknown grant 42") != NULL,
        "%s", msg(err));
  purecore_error_free(err);

  /* A slow token request is cancelled. */
  admin("POST", "/admin/faults", "{\"kind\":\"delay\",\"ms\":20000,\"count\":1,\"target\":\"token\"}");
  PurecoreCancel *cancel = NULL;
  purecore_cancel_new(&cancel, NULL);
  CHECK(purecore_client_login_async(client, PURECORE_GRANT_CLIENT_CREDENTIALS, args, 2, cancel, on_login, &w, NULL) == 0,
        "started");
  usleep(200 * 1000);
  purecore_cancel_cancel(cancel, NULL);
  wait_login(&w);
  CHECK(w.status == PURECORE_STATUS_CANCELLED, "%s", purecore_status_name(w.status));
  purecore_cancel_free(cancel);
  purecore_client_free(client);
}

/* ---- every grant ---- */

/* scenario: grant.saml2, grant.code, grant.pkce, grant.implicit, grant.token */
static void test_grants(void) {
  PurecoreClient *client = new_client(0);
  PurecoreAuthData *auth = NULL;
  PurecoreError *err = NULL;
  char *url = NULL, *state = NULL, *code = NULL, location[2048];

  CHECK(purecore_client_login_saml2_bearer(client, S(CLIENT_ID), S(CLIENT_SECRET), S("emulator-org"),
                                           S("PHNhbWwyOkFzc2VydGlvbiB4bWxuczpzYW1sMj0idXJuOm9hc2lzOm5hbWVzOnRjOlNBTUw6Mi4wOmFzc2VydGlvbiIgSUQ9Il9lbXVsYXRvciIgVmVyc2lvbj0iMi4wIiBJc3N1ZUluc3RhbnQ9IjIwMjQtMDEtMDFUMDA6MDA6MDBaIj48c2FtbDI6SXNzdWVyPmVtdWxhdG9yLWlkcDwvc2FtbDI6SXNzdWVyPjxzYW1sMjpTdWJqZWN0PjxzYW1sMjpOYW1lSUQ+ZW11bGF0b3IudXNlckBleGFtcGxlLnRlc3Q8L3NhbWwyOk5hbWVJRD48L3NhbWwyOlN1YmplY3Q+PC9zYW1sMjpBc3NlcnRpb24+"),
                                           NULL, &err) == 0,
        "saml2: %s", msg(err));
  CHECK(purecore_client_login_saml2_bearer(client, S(CLIENT_ID), S(CLIENT_SECRET), S("other-org"), S("eA=="), NULL,
                                           &err) == PURECORE_STATUS_AUTHENTICATION &&
            strcmp(err->oauth_error, "invalid_grant") == 0,
        "saml2 wrong org: %s", msg(err));
  purecore_error_free(err);

  /* Code grant: authorize redirect -> code -> token -> explicit refresh. */
  PurecoreAuthorizeRequest req = {S(CODE_ID), S(REDIRECT), S("code"), S("st-1"), NONE, NONE, NONE, NONE, NONE, NONE};
  CHECK(purecore_client_authorize_url(client, &req, &url, &state, NULL) == 0 && strcmp(state, "st-1") == 0, "url");
  follow_authorize(url, location, sizeof location);
  CHECK(purecore_parse_code_redirect(S(location), S(state), &code, &err) == 0, "%s: %s", location, msg(err));
  CHECK(purecore_client_login_code(client, S(CODE_ID), S(CODE_SECRET), S(code ? code : ""), S(REDIRECT), &auth, &err) == 0,
        "code: %s", msg(err));
  CHECK(auth && auth->refresh_token != NULL, "refresh token");
  if (auth && auth->refresh_token) {
    PurecoreAuthData *again = NULL;
    CHECK(purecore_client_refresh_code(client, S(CODE_ID), S(CODE_SECRET), S(auth->refresh_token), &again, &err) == 0 &&
              strcmp(again->access_token, auth->access_token) != 0,
          "refresh: %s", msg(err));
    purecore_auth_data_free(again);
  }
  CHECK(purecore_client_login_code(client, S(CODE_ID), S(CODE_SECRET), S(code ? code : ""), S(REDIRECT), NULL, &err) ==
            PURECORE_STATUS_AUTHENTICATION,
        "a code is single-use");
  purecore_error_free(err);
  purecore_auth_data_free(auth);
  purecore_string_free(url);
  purecore_string_free(state);
  purecore_string_free(code);

  /* PKCE: verifier, S256 challenge, exchange without a secret. */
  char *verifier = NULL, *challenge = NULL;
  purecore_pkce_generate_verifier(50, &verifier, NULL);
  purecore_pkce_compute_challenge(S(verifier), &challenge, NULL);
  PurecoreAuthorizeRequest preq = {S(PUBLIC_ID), S(REDIRECT), S("code"), NONE, S(challenge), NONE, NONE, NONE, NONE, NONE};
  purecore_client_authorize_url(client, &preq, &url, &state, NULL);
  follow_authorize(url, location, sizeof location);
  CHECK(purecore_parse_code_redirect(S(location), S(state), &code, &err) == 0, "%s", msg(err));
  CHECK(purecore_client_login_pkce(client, S(PUBLIC_ID), S(code ? code : ""), S(verifier), S(REDIRECT), NULL, &err) == 0,
        "pkce: %s", msg(err));
  purecore_string_free(verifier);
  purecore_string_free(challenge);
  purecore_string_free(url);
  purecore_string_free(state);
  purecore_string_free(code);

  /* Implicit: the token comes back in the redirect's fragment. */
  PurecoreAuthorizeRequest ireq = {S(PUBLIC_ID), S(REDIRECT), S("token"), NONE, NONE, S("emulator-org"), NONE, NONE,
                                   S("user@example.test"), S("login")};
  purecore_client_authorize_url(client, &ireq, &url, &state, NULL);
  CHECK(strstr(url, "login_hint=user%40example.test") && strstr(url, "prompt=login"), "%s", url);
  follow_authorize(url, location, sizeof location);
  CHECK(purecore_client_login_implicit_redirect(client, S(location), S("forged"), NULL, &err) != 0, "state is checked");
  purecore_error_free(err);
  CHECK(purecore_client_login_implicit_redirect(client, S(location), S(state), &auth, &err) == 0 && auth->expires_in > 0,
        "implicit: %s", msg(err));
  purecore_auth_data_free(auth);
  purecore_string_free(url);
  purecore_string_free(state);
  PurecoreResponse *resp = NULL;
  CHECK(purecore_client_call(client, S("getUsersMe"), NONE, NULL, 0, NULL, &resp, &err) == 0, "%s", msg(err));
  purecore_response_free(resp);

  /* A caller-supplied token is used and never renewed. */
  CHECK(purecore_client_set_access_token(client, S("not-a-real-token"), -1, NULL) == 0, "set token");
  CHECK(purecore_client_get_auth_data(client, &auth, NULL) == 0 && strcmp(auth->access_token, "not-a-real-token") == 0,
        "auth data");
  purecore_auth_data_free(auth);
  long before = counter("token_requests");
  CHECK(purecore_client_call(client, S("getUsersMe"), NONE, NULL, 0, NULL, &resp, &err) == PURECORE_STATUS_AUTHENTICATION &&
            err->http_status == 401,
        "401: %s", msg(err));
  CHECK(counter("token_requests") == before, "no renewal");
  purecore_error_free(err);
  purecore_client_free(client);
}

/* ---- logging, retry hook, config file ---- */

static atomic_int log_lines, secret_seen, retries_seen;

static void on_log(void *user_data, PurecoreLogLevel level, const char *line, size_t len) {
  (void)user_data;
  (void)level;
  atomic_fetch_add(&log_lines, 1);
  if (len && (strstr(line, CLIENT_SECRET) || strstr(line, "ZW11bGF0b3ItY2xpZW50OmVtdWxhdG9yLXNlY3JldA"))) {
    atomic_fetch_add(&secret_seen, 1);
  }
}

static void on_retry(void *user_data, const PurecoreRetryEvent *event) {
  (void)user_data;
  if (event->status == 503 && event->attempt == 1 && strcmp(event->method, "GET") == 0) atomic_fetch_add(&retries_seen, 1);
}

/* scenario: logging.redaction */
static void test_logging_hooks_and_config_file(void) {
  PurecoreConfig *cfg = NULL;
  PurecoreClient *client = NULL;
  PurecoreError *err = NULL;
  purecore_config_new(&cfg, NULL);
  purecore_config_set_retry(cfg, 2, 10, 50, 5000, false, NULL);
  purecore_config_set_logging(cfg, PURECORE_LOG_LEVEL_TRACE, PURECORE_LOG_FORMAT_JSON, false, NONE, true, true, NULL);
  purecore_config_set_log_callback(cfg, on_log, NULL, NULL);
  purecore_config_set_retry_hook(cfg, on_retry, NULL, NULL);
  char path[] = "/tmp/purecore-c-test-XXXXXX";
  int fd = mkstemp(path);
  FILE *f = fdopen(fd, "w");
  fprintf(f, "[general]\nhost = %s\nlive_reload_config = false\n", EMU);
  fclose(f);
  purecore_config_set_config_file(cfg, PURECORE_CONFIG_FILE_MODE_PATH, S(path), NULL);
  CHECK(purecore_client_new(cfg, &client, &err) == 0, "%s", msg(err));
  purecore_config_free(cfg);
  char *api = NULL;
  purecore_client_get_environment(client, &api, NULL, NULL);
  CHECK(api && strcmp(api, EMU) == 0, "the file's host applies: %s", api);
  purecore_string_free(api);

  CHECK(purecore_client_login_client_credentials(client, S(CLIENT_ID), S(CLIENT_SECRET), NULL, &err) == 0, "%s", msg(err));
  admin("POST", "/admin/faults", "{\"kind\":\"status\",\"status\":503,\"count\":1,\"target\":\"api\"}");
  PurecoreResponse *resp = NULL;
  CHECK(purecore_client_call(client, S("getUsersMe"), NONE, NULL, 0, NULL, &resp, &err) == 0, "%s", msg(err));
  purecore_response_free(resp);
  CHECK(atomic_load(&log_lines) >= 2, "%d log lines", atomic_load(&log_lines));
  CHECK(atomic_load(&secret_seen) == 0, "no secret in the log");
  CHECK(atomic_load(&retries_seen) == 1, "retry hook: %d", atomic_load(&retries_seen));

  f = fopen(path, "w");
  fprintf(f, "[general]\nhost = %s\n[logging]\nlog_level = loud\n", EMU);
  fclose(f);
  CHECK(purecore_client_reload_config_file(client, &err) == PURECORE_STATUS_CONFIGURATION && strstr(err->message, ":4:"),
        "the bad line is named: %s", msg(err));
  purecore_error_free(err);
  PurecoreError *file_err = NULL;
  CHECK(purecore_client_get_config_file_error(client, &file_err, NULL) == 0 && file_err != NULL, "kept");
  purecore_error_free(file_err);
  CHECK(purecore_client_call(client, S("getUsersMe"), NONE, NULL, 0, NULL, &resp, &err) == 0, "still works");
  purecore_response_free(resp);
  CHECK(purecore_client_set_environment(client, S("mypurecloud.de"), NULL) == 0, "set env");
  CHECK(purecore_client_set_config_file(client, S("/nonexistent/purecore/config"), &err) != 0, "missing file");
  purecore_error_free(err);
  unlink(path);
  purecore_client_free(client);
}

/* ---- scenarios of tests/scenarios.toml (each against a reset emulator) ---- */

static PurecoreClient *logged_in(uint32_t max_retries, bool refresh) {
  admin("POST", "/admin/reset", "{}");
  PurecoreConfig *cfg = NULL;
  PurecoreClient *client = NULL;
  PurecoreError *err = NULL;
  purecore_config_new(&cfg, NULL);
  purecore_config_set_environment(cfg, S(EMU), NULL);
  purecore_config_set_retry(cfg, max_retries, 20, 100, 10000, false, NULL);
  purecore_config_set_refresh(cfg, refresh, 0, 0, NULL);
  if (purecore_client_new(cfg, &client, &err) != PURECORE_STATUS_OK ||
      purecore_client_login_client_credentials(client, S(CLIENT_ID), S(CLIENT_SECRET), NULL, &err) != PURECORE_STATUS_OK) {
    fprintf(stderr, "client: %s\n", msg(err));
    exit(2);
  }
  purecore_config_free(cfg);
  return client;
}

static double now_s(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* scenario: retry.429 */
static void test_retry_429(void) {
  PurecoreClient *client = logged_in(3, true);
  PurecoreResponse *resp = NULL;
  PurecoreError *err = NULL;
  admin("POST", "/admin/faults", "{\"kind\":\"status\",\"status\":429,\"retry_after\":1,\"count\":1,\"target\":\"api\"}");
  double start = now_s();
  PurecoreStatus st = purecore_client_call(client, S("getUsersMe"), NONE, NULL, 0, NULL, &resp, &err);
  double took = now_s() - start;
  CHECK(st == PURECORE_STATUS_OK && resp && resp->status == 200 && resp->attempts == 2, "429 then 200: %s", msg(err));
  CHECK(took >= 1.0, "Retry-After: 1 is honoured (%.2f s)", took);
  purecore_response_free(resp);
  purecore_error_free(err);
  purecore_client_free(client);
}

/* scenario: retry.post_not_resent */
static void test_retry_post_not_resent(void) {
  PurecoreClient *client = logged_in(3, true);
  PurecoreResponse *resp = NULL;
  PurecoreError *err = NULL;
  admin("POST", "/admin/faults", "{\"kind\":\"status\",\"status\":500,\"count\":1,\"target\":\"api\",\"method\":\"POST\"}");
  PurecoreStatus st = purecore_client_call(
      client, S("postAnalyticsConversationsDetailsQuery"),
      S("{\"body\":{\"interval\":\"2024-01-01T00:00:00Z/2024-01-02T00:00:00Z\"}}"), NULL, 0, NULL, &resp, &err);
  CHECK(st == PURECORE_STATUS_HTTP_STATUS && err && err->http_status == 500, "the 500 is returned: %s", msg(err));
  long sent = counter("POST /api/v2/analytics/conversations/details/query");
  CHECK(sent == 1, "a POST meeting a 500 is sent once, not %ld times", sent);
  purecore_response_free(resp);
  purecore_error_free(err);
  purecore_client_free(client);
}

/* scenario: retry.exhausted */
static void test_retry_exhausted(void) {
  PurecoreClient *client = logged_in(3, true);
  PurecoreResponse *resp = NULL;
  PurecoreError *err = NULL;
  admin("POST", "/admin/faults", "{\"kind\":\"status\",\"status\":503,\"count\":10,\"target\":\"api\"}");
  PurecoreStatus st = purecore_client_call(client, S("getUsersMe"), NONE, NULL, 0, NULL, &resp, &err);
  CHECK(st == PURECORE_STATUS_HTTP_STATUS && err && err->http_status == 503 && err->code && err->correlation_id &&
            err->response && err->response->status == 503 && err->response->body_len > 0 && err->response->attempts == 4,
        "the last reply is kept, with the number of sends: %s (attempts %u)", msg(err),
        err && err->response ? err->response->attempts : 0);
  purecore_response_free(resp);
  purecore_error_free(err);
  purecore_client_free(client);
}

/* scenario: errors.non_json */
static void test_errors_non_json(void) {
  PurecoreClient *client = logged_in(0, true);
  PurecoreResponse *resp = NULL;
  PurecoreError *err = NULL;
  admin("POST", "/admin/faults",
        "{\"kind\":\"status\",\"status\":502,\"count\":1,\"target\":\"api\",\"body\":\"<html>Bad gateway</html>\","
        "\"content_type\":\"text/html\"}");
  PurecoreStatus st = purecore_client_call(client, S("getUsersMe"), NONE, NULL, 0, NULL, &resp, &err);
  CHECK(st == PURECORE_STATUS_HTTP_STATUS && err && err->http_status == 502 && err->response &&
            err->response->body_len == strlen("<html>Bad gateway</html>") &&
            memcmp(err->response->body, "<html>Bad gateway</html>", err->response->body_len) == 0 &&
            strstr(err->message, "Bad gateway") != NULL,
        "an HTML error body keeps its text: %s", msg(err));
  purecore_error_free(err);
  err = NULL;
  admin("POST", "/admin/faults", "{\"kind\":\"status\",\"status\":500,\"count\":1,\"target\":\"api\",\"body\":\"\"}");
  st = purecore_client_call(client, S("getUsersMe"), NONE, NULL, 0, NULL, &resp, &err);
  CHECK(st == PURECORE_STATUS_HTTP_STATUS && err && err->http_status == 500 && err->response && err->response->body_len == 0,
        "an empty error body: %s", msg(err));
  purecore_response_free(resp);
  purecore_error_free(err);
  purecore_client_free(client);
}

/* scenario: refresh.off */
static void test_refresh_off(void) {
  PurecoreClient *client = logged_in(3, false);
  PurecoreResponse *resp = NULL;
  PurecoreError *err = NULL;
  admin("POST", "/admin/expire-tokens", "{}");
  PurecoreStatus st = purecore_client_call(client, S("getUsersMe"), NONE, NULL, 0, NULL, &resp, &err);
  CHECK(st == PURECORE_STATUS_AUTHENTICATION && err && err->http_status == 401, "the 401 comes through: %s", msg(err));
  CHECK(counter("token_requests") == 1, "no renewal: %ld token requests", counter("token_requests"));
  purecore_response_free(resp);
  purecore_error_free(err);
  purecore_client_free(client);
}

typedef struct {
  PurecoreClient *client;
  PurecoreStatus status;
  int names_refresh;
} RefreshWaiter;

static void *refresh_waiter(void *arg) {
  RefreshWaiter *w = arg;
  PurecoreResponse *resp = NULL;
  PurecoreError *err = NULL;
  w->status = purecore_client_call(w->client, S("getUsersMe"), NONE, NULL, 0, NULL, &resp, &err);
  w->names_refresh = err && err->message && strstr(err->message, "refresh") != NULL;
  purecore_response_free(resp);
  purecore_error_free(err);
  return NULL;
}

/* scenario: refresh.failure */
static void test_refresh_failure(void) {
  enum { N = 8 };
  PurecoreClient *client = logged_in(1, true);
  admin("POST", "/admin/expire-tokens", "{}");
  admin("POST", "/admin/faults", "{\"kind\":\"status\",\"status\":503,\"count\":100,\"target\":\"token\"}");
  pthread_t threads[N];
  RefreshWaiter waiters[N];
  for (int i = 0; i < N; i++) {
    waiters[i] = (RefreshWaiter){client, PURECORE_STATUS_OK, 0};
    pthread_create(&threads[i], NULL, refresh_waiter, &waiters[i]);
  }
  int failed_with_refresh = 0;
  for (int i = 0; i < N; i++) {
    pthread_join(threads[i], NULL);
    failed_with_refresh += waiters[i].status == PURECORE_STATUS_AUTHENTICATION && waiters[i].names_refresh;
  }
  CHECK(failed_with_refresh == N, "the failed refresh reaches every waiting caller: %d of %d", failed_with_refresh, N);
  purecore_client_free(client);
  /* The unused token faults would fail the logins of the next program on this emulator. */
  admin("POST", "/admin/reset", "{}");
}

/* PURECORE_* variables are read when a client is made; set here with setenv while no
   other client runs (the environment is the process's). */
/* scenario: config.env */
static void test_environment_variables(void) {
  admin("POST", "/admin/reset", "{}");
  PurecoreClient *client = NULL;
  PurecoreResponse *resp = NULL;
  PurecoreError *err = NULL;
  setenv("PURECORE_ENVIRONMENT", EMU, 1);
  setenv("PURECORE_RETRY_MAX_RETRIES", "1", 1);
  setenv("PURECORE_RETRY_WAIT_MIN", "0.02", 1);
  CHECK(purecore_client_new(NULL, &client, &err) == PURECORE_STATUS_OK, "%s", msg(err));
  purecore_error_free(err);
  err = NULL;
  if (client) {
    char *api = NULL;
    CHECK(purecore_client_get_environment(client, &api, NULL, NULL) == 0 && api && strncmp(api, EMU, strlen(EMU) - 1) == 0,
          "PURECORE_ENVIRONMENT names where calls go: %s", api ? api : "(none)");
    purecore_string_free(api);
    CHECK(purecore_client_login_client_credentials(client, S(CLIENT_ID), S(CLIENT_SECRET), NULL, &err) == 0, "%s",
          msg(err));
    purecore_error_free(err);
    err = NULL;
    admin("POST", "/admin/faults", "{\"kind\":\"status\",\"status\":503,\"count\":10,\"target\":\"api\"}");
    PurecoreStatus st = purecore_client_call(client, S("getUsersMe"), NONE, NULL, 0, NULL, &resp, &err);
    CHECK(st == PURECORE_STATUS_HTTP_STATUS && err && err->response && err->response->attempts == 2,
          "PURECORE_RETRY_MAX_RETRIES=1: two sends, not %u", err && err->response ? err->response->attempts : 0);
    purecore_response_free(resp);
    purecore_error_free(err);
    err = NULL;
    purecore_client_free(client);
    client = NULL;
  }
  setenv("PURECORE_RETRY_MAX_RETRIES", "lots", 1);
  CHECK(purecore_client_new(NULL, &client, &err) == PURECORE_STATUS_CONFIGURATION && client == NULL && err &&
            strcmp(err->message, "environment variable PURECORE_RETRY_MAX_RETRIES: retry.max_retries must be a whole "
                                 "number from 0 to 100, not 'lots'") == 0,
        "a bad value names the variable: %s", msg(err));
  purecore_error_free(err);
  unsetenv("PURECORE_ENVIRONMENT");
  unsetenv("PURECORE_RETRY_MAX_RETRIES");
  unsetenv("PURECORE_RETRY_WAIT_MIN");
  admin("POST", "/admin/reset", "{}");
}

/* ---- request and response hooks of the client ---- */

/* Adds a header, rewrites a POST body, and checks what the getters give. */
static int32_t on_request(void *user_data, PurecoreHookRequest *req) {
  atomic_int *calls = user_data;
  atomic_fetch_add(calls, 1);
  PurecoreStr method = NONE, url = NONE, op = NONE, accept = NONE;
  if (purecore_hook_request_method(req, &method, NULL) != 0 || purecore_hook_request_url(req, &url, NULL) != 0 ||
      purecore_hook_request_operation_id(req, &op, NULL) != 0 ||
      purecore_hook_request_get_header(req, S("Accept"), &accept, NULL) != 0)
    return PURECORE_STATUS_INTERNAL;
  if (!accept.ptr || !url.ptr || strncmp(url.ptr, EMU, strlen(EMU)) != 0 || !op.ptr) return PURECORE_STATUS_INTERNAL;
  size_t n = 0;
  PurecoreHeaderRef first;
  if (purecore_hook_request_header_count(req, &n, NULL) != 0 || n == 0 ||
      purecore_hook_request_header_at(req, 0, &first, NULL) != 0 ||
      purecore_hook_request_header_at(req, n, &first, NULL) != PURECORE_STATUS_INVALID_ARGUMENT)
    return PURECORE_STATUS_INTERNAL;
  if (purecore_hook_request_url(req, NULL, NULL) != PURECORE_STATUS_INVALID_ARGUMENT ||
      purecore_hook_request_set_header(req, NONE, S("x"), NULL) != PURECORE_STATUS_INVALID_ARGUMENT)
    return PURECORE_STATUS_INTERNAL;
  if (purecore_hook_request_set_header(req, S("X-C-Hook"), S("c-hook-was-here"), NULL) != 0) return PURECORE_STATUS_INTERNAL;
  if (method.len == 4 && memcmp(method.ptr, "POST", 4) == 0) {
    const uint8_t *body = NULL;
    size_t len = 0;
    if (purecore_hook_request_body(req, &body, &len, NULL) != 0 || !body || len == 0) return PURECORE_STATUS_INTERNAL;
    const char *next = "{\"interval\":\"2021-03-04T00:00:00Z/2021-03-05T00:00:00Z\"}";
    if (purecore_hook_request_set_body(req, (const uint8_t *)next, strlen(next), NULL) != 0) return PURECORE_STATUS_INTERNAL;
  }
  return PURECORE_STATUS_OK;
}

static int32_t refuse_request(void *user_data, PurecoreHookRequest *req) {
  (void)user_data;
  purecore_hook_request_set_error_message(req, S("no calls today"), NULL);
  return PURECORE_STATUS_CONFIGURATION;
}

static int32_t elsewhere_request(void *user_data, PurecoreHookRequest *req) {
  (void)user_data;
  return purecore_hook_request_set_url(req, S("https://elsewhere.example/api/v2/users/me"), NULL) == 0 ? 0 : 99;
}

static int32_t odd_status(void *user_data, PurecoreHookRequest *req) {
  (void)user_data;
  (void)req;
  return 4242;
}

typedef struct {
  pthread_mutex_t mu;
  int count, attempts[8], statuses[8], error_statuses[8];
  int body_seen;
} Attempts;

static int32_t on_response(void *user_data, const PurecoreHookResponse *r) {
  Attempts *a = user_data;
  pthread_mutex_lock(&a->mu);
  if (a->count < 8) {
    int i = a->count++;
    a->attempts[i] = (int)r->attempt;
    a->statuses[i] = r->status;
    a->error_statuses[i] = r->error_status;
    if (r->status == 200 && r->body_len > 0 && memmem(r->body, r->body_len, "\"id\"", 4)) a->body_seen = 1;
    if (r->method.len != 3 || memcmp(r->method.ptr, "GET", 3) != 0 || !r->operation_id.ptr) a->body_seen = -100;
    if (r->error_status != PURECORE_STATUS_OK && !r->error_message.ptr) a->body_seen = -100;
  }
  pthread_mutex_unlock(&a->mu);
  return PURECORE_STATUS_OK;
}

static int32_t stop_response(void *user_data, const PurecoreHookResponse *r) {
  (void)user_data;
  (void)r;
  return PURECORE_STATUS_RATE_LIMITED;
}

/* The emulator's log of requests holds `needle`. */
static int recorded(const char *needle) {
  EmuReply r;
  if (emu_http(EMU, "GET", "/admin/requests", NULL, &r) != 0) return 0;
  int found = strstr(r.body, needle) != NULL;
  free(r.raw);
  return found;
}

/* scenario: hooks.request, hooks.response */
static void test_request_and_response_hooks(void) {
  PurecoreClient *client = logged_in(3, true);
  PurecoreResponse *resp = NULL;
  PurecoreError *err = NULL;
  atomic_int calls = 0;

  /* The request hook adds a header (sent, on every attempt) and rewrites a POST body. */
  CHECK(purecore_client_set_request_hook(client, on_request, &calls, &err) == 0, "request hook set: %s", msg(err));
  admin("POST", "/admin/faults", "{\"kind\":\"status\",\"status\":503,\"count\":1,\"target\":\"api\"}");
  PurecoreStatus st = purecore_client_call(client, S("getUsersMe"), NONE, NULL, 0, NULL, &resp, &err);
  CHECK(st == 0 && resp && resp->attempts == 2, "retried call: %s", msg(err));
  purecore_response_free(resp);
  resp = NULL;
  CHECK(atomic_load(&calls) == 1, "the request hook runs once per call, not %d times", atomic_load(&calls));
  CHECK(counter("GET /api/v2/users/me") == 2, "sent twice");
  CHECK(recorded("c-hook-was-here"), "the emulator received the header the hook added");
  st = purecore_client_call(client, S("postAnalyticsConversationsDetailsQuery"),
                            S("{\"body\":{\"interval\":\"2024-01-01T00:00:00Z/2024-01-02T00:00:00Z\"}}"), NULL, 0, NULL,
                            &resp, &err);
  CHECK(st == 0, "POST with a changed body: %s", msg(err));
  purecore_response_free(resp);
  resp = NULL;
  CHECK(recorded("2021-03-04T00:00:00Z/2021-03-05T00:00:00Z"), "the emulator received the body the hook set");

  /* A failing request hook ends the call before anything is sent, with its kind and message. */
  CHECK(purecore_client_set_request_hook(client, refuse_request, NULL, NULL) == 0, "refusing hook set");
  long before = counter("GET /api/v2/users/me");
  st = purecore_client_call(client, S("getUsersMe"), NONE, NULL, 0, NULL, &resp, &err);
  CHECK(st == PURECORE_STATUS_CONFIGURATION && err && strstr(err->message, "request hook") &&
            strstr(err->message, "no calls today"),
        "the hook's failure: %d %s", st, msg(err));
  CHECK(counter("GET /api/v2/users/me") == before, "nothing sent");
  purecore_error_free(err);
  err = NULL;
  CHECK(purecore_client_set_request_hook(client, elsewhere_request, NULL, NULL) == 0, "hook set");
  st = purecore_client_call(client, S("getUsersMe"), NONE, NULL, 0, NULL, &resp, &err);
  CHECK(st == PURECORE_STATUS_INVALID_ARGUMENT && err && strstr(err->message, "not a URL on the API host"),
        "a URL on another host is refused (the token goes with it): %d %s", st, msg(err));
  purecore_error_free(err);
  err = NULL;
  CHECK(purecore_client_set_request_hook(client, odd_status, NULL, NULL) == 0, "hook set");
  st = purecore_client_call(client, S("getUsersMe"), NONE, NULL, 0, NULL, &resp, &err);
  CHECK(st == PURECORE_STATUS_INTERNAL && err && strstr(err->message, "4242"), "an unknown status: %d %s", st, msg(err));
  purecore_error_free(err);
  err = NULL;
  CHECK(counter("GET /api/v2/users/me") == before, "nothing sent");
  CHECK(purecore_client_set_request_hook(client, NULL, NULL, NULL) == 0, "request hook removed");

  /* The response hook sees every attempt: a 503 and a 429 retried, then the 200. */
  Attempts a = {PTHREAD_MUTEX_INITIALIZER, 0, {0}, {0}, {0}, 0};
  CHECK(purecore_client_set_response_hook(client, on_response, &a, NULL) == 0, "response hook set");
  admin("POST", "/admin/faults",
        "[{\"kind\":\"status\",\"status\":503,\"count\":1,\"target\":\"api\"},"
        "{\"kind\":\"status\",\"status\":429,\"count\":1,\"target\":\"api\"}]");
  st = purecore_client_call(client, S("getUsersMe"), NONE, NULL, 0, NULL, &resp, &err);
  CHECK(st == 0 && resp && resp->attempts == 3, "503, 429, 200: %s", msg(err));
  purecore_response_free(resp);
  resp = NULL;
  CHECK(a.count == 3 && a.attempts[0] == 1 && a.attempts[1] == 2 && a.attempts[2] == 3, "%d attempts seen", a.count);
  CHECK(a.statuses[0] == 503 && a.statuses[1] == 429 && a.statuses[2] == 200, "statuses %d %d %d", a.statuses[0],
        a.statuses[1], a.statuses[2]);
  CHECK(a.error_statuses[0] == PURECORE_STATUS_HTTP_STATUS && a.error_statuses[1] == PURECORE_STATUS_RATE_LIMITED &&
            a.error_statuses[2] == PURECORE_STATUS_OK,
        "error kinds %d %d %d", a.error_statuses[0], a.error_statuses[1], a.error_statuses[2]);
  CHECK(a.body_seen == 1, "the body and the method come along (%d)", a.body_seen);

  /* A response hook's failure ends the call with its kind. */
  CHECK(purecore_client_set_response_hook(client, stop_response, NULL, NULL) == 0, "stopping hook set");
  st = purecore_client_call(client, S("getUsersMe"), NONE, NULL, 0, NULL, &resp, &err);
  CHECK(st == PURECORE_STATUS_RATE_LIMITED && err && strstr(err->message, "response hook"), "%d %s", st, msg(err));
  purecore_error_free(err);
  err = NULL;
  CHECK(purecore_client_set_response_hook(client, NULL, NULL, NULL) == 0, "response hook removed");
  st = purecore_client_call(client, S("getUsersMe"), NONE, NULL, 0, NULL, &resp, &err);
  CHECK(st == 0, "no hooks: %s", msg(err));
  purecore_response_free(resp);

  /* NULL arguments are typed errors. */
  PurecoreStr out = NONE;
  size_t n = 0;
  const uint8_t *body = NULL;
  CHECK(purecore_client_set_request_hook(NULL, on_request, NULL, &err) == PURECORE_STATUS_INVALID_ARGUMENT && err &&
            strstr(err->message, "client"),
        "NULL client: %s", msg(err));
  purecore_error_free(err);
  err = NULL;
  CHECK(purecore_client_set_response_hook(NULL, on_response, NULL, NULL) == PURECORE_STATUS_INVALID_ARGUMENT, "NULL");
  CHECK(purecore_hook_request_url(NULL, &out, NULL) == PURECORE_STATUS_INVALID_ARGUMENT, "NULL request");
  CHECK(purecore_hook_request_method(NULL, &out, NULL) == PURECORE_STATUS_INVALID_ARGUMENT, "NULL request");
  CHECK(purecore_hook_request_header_count(NULL, &n, NULL) == PURECORE_STATUS_INVALID_ARGUMENT, "NULL request");
  CHECK(purecore_hook_request_set_header(NULL, S("a"), S("b"), NULL) == PURECORE_STATUS_INVALID_ARGUMENT, "NULL");
  CHECK(purecore_hook_request_remove_header(NULL, S("a"), NULL) == PURECORE_STATUS_INVALID_ARGUMENT, "NULL");
  CHECK(purecore_hook_request_body(NULL, &body, &n, NULL) == PURECORE_STATUS_INVALID_ARGUMENT, "NULL");
  CHECK(purecore_hook_request_set_body(NULL, NULL, 0, NULL) == PURECORE_STATUS_INVALID_ARGUMENT, "NULL");
  CHECK(purecore_hook_request_set_url(NULL, S("x"), NULL) == PURECORE_STATUS_INVALID_ARGUMENT, "NULL");
  CHECK(purecore_hook_request_set_error_message(NULL, S("x"), NULL) == PURECORE_STATUS_INVALID_ARGUMENT, "NULL");
  purecore_client_free(client);
}

int main(int argc, char **argv) {
  EMU = argc > 1 ? argv[1] : getenv("EMULATOR_URL");
  if (!EMU || strncmp(EMU, "http://127.0.0.1:", 17) != 0) {
    fprintf(stderr, "usage: test_purecore http://127.0.0.1:PORT (a running purecore-emulator)\n");
    return 2;
  }
  admin("POST", "/admin/reset", "{}");
  test_static_helpers();
  test_settings();
  test_login_call_and_errors();
  test_refresh_under_threads();
  test_async_and_cancel();
  test_async_login();
  test_exchange_hook();
  test_grants();
  test_logging_hooks_and_config_file();
  test_retry_429();
  test_retry_post_not_resent();
  test_retry_exhausted();
  test_errors_non_json();
  test_refresh_off();
  test_refresh_failure();
  test_environment_variables();
  test_request_and_response_hooks();
  printf("%d passed, %d failed\n", passed, failed);
  return failed == 0 ? 0 : 1;
}
