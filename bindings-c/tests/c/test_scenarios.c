/* The scenarios of tests/scenarios.toml that test_purecore.c does not run: proactive
 * refresh, live config reload, paging, gateway prefixes and proxies (on the shared
 * emulator), and TLS and mutual TLS (each on an emulator of its own, started here in
 * --tls or --mtls mode on a free port and stopped by its PID).
 * Run: test_scenarios http://127.0.0.1:PORT PATH/TO/purecore-emulator
 * Built by bindings-c/test.sh with gcc against include/purecore.h and libpurecore.a,
 * and run under valgrind. Prints "N passed, N failed". */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"

static const char *EMULATOR_BIN;

static const char *USER_ID = "00000000-0000-4000-8000-000000000001";

/* ---- the shared emulator's admin API ---- */

/* The recorded requests (JSON text, freed by the caller). */
static char *recorded(void) {
  EmuReply r;
  if (emu_http(EMU, "GET", "/admin/requests", NULL, &r) != 0) return strdup("");
  char *out = strdup(r.body);
  free(r.raw);
  return out;
}

static double now_s(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void sleep_ms(long ms) {
  struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
  while (nanosleep(&t, &t) != 0) {
  }
}

static char *read_file(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  size_t cap = 4096, len = 0;
  char *buf = malloc(cap);
  size_t n;
  while ((n = fread(buf + len, 1, cap - len - 1, f)) > 0) {
    len += n;
    if (len + 1 >= cap) buf = realloc(buf, cap *= 2);
  }
  fclose(f);
  buf[len] = 0;
  return buf;
}

/* Writes a whole file at once (a temporary file renamed over it), so a watcher never
 * reads half of it. */
static void write_file(const char *path, const char *text) {
  char tmp[512];
  snprintf(tmp, sizeof tmp, "%s.tmp", path);
  FILE *f = fopen(tmp, "w");
  if (!f || fputs(text, f) < 0 || fclose(f) != 0 || rename(tmp, path) != 0) {
    fprintf(stderr, "cannot write %s\n", path);
    exit(2);
  }
}

/* A client of the shared emulator: retries with short waits, default refresh. */
static PurecoreClient *client_for(const char *base, uint32_t max_retries, const char *ca_pem, const char *cert_pem,
                                  const char *key_pem) {
  PurecoreConfig *cfg = NULL;
  PurecoreClient *client = NULL;
  PurecoreError *err = NULL;
  purecore_config_new(&cfg, NULL);
  purecore_config_set_environment(cfg, S(base), NULL);
  purecore_config_set_retry(cfg, max_retries, 20, 100, 10000, false, NULL);
  if (ca_pem) purecore_config_add_ca_pem(cfg, S(ca_pem), NULL);
  if (cert_pem) purecore_config_set_client_identity(cfg, S(cert_pem), S(key_pem), NULL);
  if (purecore_client_new(cfg, &client, &err) != PURECORE_STATUS_OK) {
    fprintf(stderr, "client: %s\n", msg(err));
    exit(2);
  }
  purecore_config_free(cfg);
  return client;
}

/* GET /api/v2/users/me; returns the status, and whether the body is the built-in user's. */
static PurecoreStatus get_me(PurecoreClient *client, int *is_user) {
  PurecoreResponse *resp = NULL;
  PurecoreError *err = NULL;
  PurecoreStatus st = purecore_client_call(client, S("getUsersMe"), NONE, NULL, 0, NULL, &resp, &err);
  if (st != PURECORE_STATUS_OK) fprintf(stderr, "getUsersMe: %s\n", msg(err));
  if (is_user) *is_user = resp && resp->status == 200 && resp->body_len > 0 && strstr((const char *)resp->body, USER_ID);
  purecore_response_free(resp);
  purecore_error_free(err);
  return st;
}

/* ---- emulators of their own (--tls, --mtls), on free ports, stopped by PID ---- */

typedef struct {
  pid_t pid;
  int out;
  char url[128];
} OwnEmulator;

/* Starts `purecore-emulator --port 0 <args>` and reads the line saying where it listens.
 * The child is killed with this program if it dies first (PR_SET_PDEATHSIG). */
static void start_own(OwnEmulator *e, const char *a1, const char *a2, const char *a3) {
  int fds[2];
  if (pipe(fds) != 0) exit(2);
  pid_t pid = fork();
  if (pid < 0) exit(2);
  if (pid == 0) {
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    dup2(fds[1], 1);
    close(fds[0]);
    close(fds[1]);
    execl(EMULATOR_BIN, EMULATOR_BIN, "--port", "0", a1, a2, a3, (char *)NULL);
    _exit(127);
  }
  close(fds[1]);
  e->pid = pid;
  e->out = fds[0];
  char line[256];
  size_t len = 0;
  while (len + 1 < sizeof line) {
    ssize_t n = read(fds[0], line + len, 1);
    if (n <= 0 || line[len] == '\n') break;
    len++;
  }
  line[len] = 0;
  const char *prefix = "purecore-emulator listening on ";
  if (strncmp(line, prefix, strlen(prefix)) != 0) {
    fprintf(stderr, "the emulator (%s %s) did not start: '%s'\n", a1, a2 ? a2 : "", line);
    kill(pid, SIGTERM);
    waitpid(pid, NULL, 0);
    exit(2);
  }
  snprintf(e->url, sizeof e->url, "%s", line + strlen(prefix));
}

static void stop_own(OwnEmulator *e) {
  kill(e->pid, SIGTERM);
  waitpid(e->pid, NULL, 0);
  close(e->out);
}

/* A fresh temporary folder (removed with remove_dir). */
static void temp_dir(char *dir, size_t cap) {
  snprintf(dir, cap, "/tmp/purecore-c-scenarios-XXXXXX");
  if (!mkdtemp(dir)) exit(2);
}

static void remove_dir(const char *dir, const char *const files[]) {
  char path[512];
  for (size_t i = 0; files[i]; i++) {
    snprintf(path, sizeof path, "%s/%s", dir, files[i]);
    unlink(path);
  }
  rmdir(dir);
}

/* ---- the scenarios ---- */

/* The core renews within its expiry margin (30 s by default, capped at half the token's
 * lifetime): a token living 6 s is renewed after 3 s, before the server sees it expired,
 * and not on every call before that. (6 s, not the 4 s of the other languages, leaves
 * room for valgrind's slow first login.) */
/* scenario: refresh.proactive */
static void test_refresh_proactive(void) {
  admin("POST", "/admin/reset", "{}");
  admin("POST", "/admin/token-lifetime", "{\"seconds\":6}");
  PurecoreClient *client = client_for(EMU, 3, NULL, NULL, NULL);
  PurecoreAuthData *first = NULL, *second = NULL;
  PurecoreError *err = NULL;
  CHECK(purecore_client_login_client_credentials(client, S(CLIENT_ID), S(CLIENT_SECRET), &first, &err) == 0, "%s",
        msg(err));
  CHECK(get_me(client, NULL) == PURECORE_STATUS_OK, "first call");
  CHECK(counter("token_requests") == 1, "a fresh token is used, not renewed: %ld token requests",
        counter("token_requests"));
  sleep_ms(3300);
  CHECK(get_me(client, NULL) == PURECORE_STATUS_OK, "call within the margin");
  CHECK(counter("token_requests") == 2, "renewed within the margin: %ld token requests", counter("token_requests"));
  CHECK(counter("unauthorized") == 0, "no 401 seen: %ld", counter("unauthorized"));
  CHECK(purecore_client_get_auth_data(client, &second, NULL) == 0 && first && second &&
            strcmp(first->access_token, second->access_token) != 0,
        "a new token is in use");
  purecore_auth_data_free(first);
  purecore_auth_data_free(second);
  purecore_client_free(client);
  admin("POST", "/admin/reset", "{}"); /* restores the token lifetime */
}

static PurecoreStatus me_status(PurecoreClient *client, uint16_t *http_status, uint32_t *attempts) {
  PurecoreResponse *resp = NULL;
  PurecoreError *err = NULL;
  PurecoreStatus st = purecore_client_call(client, S("getUsersMe"), NONE, NULL, 0, NULL, &resp, &err);
  *http_status = resp ? resp->status : (err ? err->http_status : 0);
  *attempts = resp ? resp->attempts : (err && err->response ? err->response->attempts : 0);
  purecore_response_free(resp);
  purecore_error_free(err);
  return st;
}

/* Waits (up to 20 s) until the client's config file error is there (want_error) or gone;
 * copies its message. */
static int wait_file_error(PurecoreClient *client, int want_error, char *message, size_t cap) {
  double deadline = now_s() + 20;
  for (;;) {
    PurecoreError *file_err = NULL;
    purecore_client_get_config_file_error(client, &file_err, NULL);
    int has = file_err != NULL;
    if (file_err && message) snprintf(message, cap, "%s", file_err->message);
    purecore_error_free(file_err);
    if (has == want_error) return 1;
    if (now_s() > deadline) return 0;
    sleep_ms(50);
  }
}

/* scenario: config.reload */
static void test_config_reload(void) {
  admin("POST", "/admin/reset", "{}");
  char dir[64], path[128], text[512], message[1024] = "";
  temp_dir(dir, sizeof dir);
  snprintf(path, sizeof path, "%s/config", dir);
  snprintf(text, sizeof text, "[general]\nhost = %s\n[retry]\nretry_max = 0\n", EMU);
  write_file(path, text);

  PurecoreConfig *cfg = NULL;
  PurecoreClient *client = NULL;
  PurecoreError *err = NULL;
  purecore_config_new(&cfg, NULL);
  purecore_config_set_config_file(cfg, PURECORE_CONFIG_FILE_MODE_PATH, S(path), NULL);
  purecore_config_set_live_reload(cfg, true, 100, NULL);
  CHECK(purecore_client_new(cfg, &client, &err) == 0, "%s", msg(err));
  purecore_config_free(cfg);
  if (!client) return;
  CHECK(purecore_client_login_client_credentials(client, S(CLIENT_ID), S(CLIENT_SECRET), NULL, &err) == 0,
        "the file's host applies: %s", msg(err));
  uint16_t status = 0;
  uint32_t attempts = 0;
  admin("POST", "/admin/faults", "{\"kind\":\"status\",\"status\":503,\"count\":1,\"target\":\"api\"}");
  CHECK(me_status(client, &status, &attempts) == PURECORE_STATUS_HTTP_STATUS && status == 503 && attempts == 1,
        "retry_max = 0 from the file: %u after %u sends", status, attempts);

  /* A broken file (line 7) is reported and the previous settings stay. */
  snprintf(text, sizeof text,
           "[general]\nhost = %s\n[retry]\nretry_max = 3\nretry_wait_min = 0.01\n[logging]\nlog_level = loud\n", EMU);
  write_file(path, text);
  CHECK(wait_file_error(client, 1, message, sizeof message), "the broken file is noticed while running");
  CHECK(strstr(message, ":7:") != NULL, "the bad line is named: %s", message);
  admin("POST", "/admin/faults", "{\"kind\":\"status\",\"status\":503,\"count\":1,\"target\":\"api\"}");
  CHECK(me_status(client, &status, &attempts) == PURECORE_STATUS_HTTP_STATUS && status == 503 && attempts == 1,
        "a broken file keeps the settings: %u after %u sends", status, attempts);

  /* The fixed file applies while running: the 503 is retried now. */
  snprintf(text, sizeof text, "[general]\nhost = %s\n[retry]\nretry_max = 3\nretry_wait_min = 0.01\n", EMU);
  write_file(path, text);
  CHECK(wait_file_error(client, 0, NULL, 0), "the fixed file is read while running");
  admin("POST", "/admin/faults", "{\"kind\":\"status\",\"status\":503,\"count\":1,\"target\":\"api\"}");
  CHECK(me_status(client, &status, &attempts) == PURECORE_STATUS_OK && status == 200 && attempts == 2,
        "the change applies while running: %u after %u sends", status, attempts);

  /* The watcher does not hold the client (or the program) up. */
  double start = now_s();
  purecore_client_free(client);
  double took = now_s() - start;
  CHECK(took < 2.0, "freeing a watching client returns at once (%.2f s)", took);
  const char *files[] = {"config", "config.tmp", NULL};
  remove_dir(dir, files);
}

/* The ids of the objects in a listing's "entities" array (their own "id", not nested
 * ones); returns how many were found (at most cap). */
static size_t entity_ids(const char *body, char ids[][40], size_t cap) {
  const char *p = strstr(body, "\"entities\":[");
  size_t n = 0;
  if (!p) return 0;
  p += strlen("\"entities\":[");
  int depth = 0; /* 0: inside the array; 1: inside one entity */
  for (; *p; p++) {
    if (*p == '"') {
      if (depth == 1 && strncmp(p, "\"id\":\"", 6) == 0) {
        const char *v = p + 6, *end = strchr(v, '"');
        if (!end) break;
        if (n < cap) {
          size_t len = (size_t)(end - v) < 39 ? (size_t)(end - v) : 39;
          memcpy(ids[n], v, len);
          ids[n][len] = 0;
          n++;
        }
        p = end;
        continue;
      }
      for (p++; *p && *p != '"'; p++) {
        if (*p == '\\' && p[1]) p++;
      }
      if (!*p) break;
    } else if (*p == '{' || *p == '[') {
      depth++;
    } else if (*p == '}' || *p == ']') {
      if (depth == 0) break; /* the end of "entities" */
      depth--;
    }
  }
  return n;
}

/* scenario: paging.page_number */
static void test_paging_page_number(void) {
  enum { MAX = 200 };
  static char ids[MAX][40];
  admin("POST", "/admin/reset", "{}");
  PurecoreClient *client = client_for(EMU, 0, NULL, NULL, NULL);
  PurecoreError *err = NULL;
  CHECK(purecore_client_login_client_credentials(client, S(CLIENT_ID), S(CLIENT_SECRET), NULL, &err) == 0, "%s",
        msg(err));
  size_t n = 0;
  long page_count = -1, total = -1, pages = 0;
  int next_on_first = 0, next_on_last = 1;
  for (long page = 1; page <= 100; page++) {
    char params[64];
    snprintf(params, sizeof params, "{\"pageSize\":10,\"pageNumber\":%ld}", page);
    PurecoreResponse *resp = NULL;
    PurecoreStatus st = purecore_client_call(client, S("getUsers"), S(params), NULL, 0, NULL, &resp, &err);
    CHECK(st == PURECORE_STATUS_OK && resp && resp->status == 200, "page %ld: %s", page, msg(err));
    if (st != PURECORE_STATUS_OK || !resp) {
      purecore_error_free(err);
      err = NULL;
      break;
    }
    pages++;
    const char *body = (const char *)resp->body;
    n += entity_ids(body, ids + (n < MAX ? n : MAX), n < MAX ? MAX - n : 0);
    page_count = emu_json_number(body, "pageCount");
    total = emu_json_number(body, "total");
    if (page == 1) next_on_first = strstr(body, "\"nextUri\"") != NULL;
    next_on_last = strstr(body, "\"nextUri\"") != NULL;
    purecore_response_free(resp);
    if (page >= page_count) break;
  }
  CHECK(total == 57 && page_count == 6 && pages == page_count, "57 users on 6 pages of 10: total %ld, %ld of %ld pages",
        total, pages, page_count);
  CHECK(next_on_first && !next_on_last, "nextUri on the first page, none on the last");
  CHECK((long)n == total, "every user: %zu of %ld", n, total);
  size_t twice = 0;
  for (size_t i = 0; i < n && i < MAX; i++) {
    for (size_t j = i + 1; j < n && j < MAX; j++) twice += strcmp(ids[i], ids[j]) == 0;
  }
  CHECK(twice == 0 && n > 0 && strcmp(ids[0], USER_ID) == 0, "each user once (%zu repeated)", twice);
  CHECK(counter("GET /api/v2/users") == page_count, "one request per page, none past the last: %ld",
        counter("GET /api/v2/users"));
  purecore_client_free(client);
}

/* scenario: transport.gateway_proxy */
static void test_gateway_and_proxy(void) {
  admin("POST", "/admin/reset", "{}");
  int port = 0;
  sscanf(EMU, "http://127.0.0.1:%d", &port);
  PurecoreConfig *cfg = NULL;
  PurecoreClient *client = NULL;
  PurecoreError *err = NULL;
  char *api = NULL, *login = NULL, expect[128];

  /* Gateway path prefixes, in place of the region's hosts. */
  purecore_config_new(&cfg, NULL);
  purecore_config_set_environment(cfg, S("eu_west_1"), NULL);
  CHECK(purecore_config_set_gateway(cfg, S("127.0.0.1"), S("http"), port, S("gw/login"), S("gw/api"), &err) == 0, "%s",
        msg(err));
  CHECK(purecore_client_new(cfg, &client, &err) == 0, "%s", msg(err));
  purecore_config_free(cfg);
  purecore_client_get_environment(client, &api, &login, NULL);
  snprintf(expect, sizeof expect, "%s/gw/api", EMU);
  CHECK(api && strcmp(api, expect) == 0, "the gateway's API base: %s", api);
  snprintf(expect, sizeof expect, "%s/gw/login", EMU);
  CHECK(login && strcmp(login, expect) == 0, "the gateway's login base: %s", login);
  purecore_string_free(api);
  purecore_string_free(login);
  CHECK(purecore_client_login_client_credentials(client, S(CLIENT_ID), S(CLIENT_SECRET), NULL, &err) == 0, "%s",
        msg(err));
  CHECK(get_me(client, NULL) == PURECORE_STATUS_OK, "a call through the gateway");
  purecore_client_free(client);
  char *log = recorded();
  CHECK(strstr(log, "\"path\":\"/gw/login/oauth/token\"") && strstr(log, "\"path\":\"/gw/api/api/v2/users/me\""),
        "the prefixes reach the server: %.300s", log);
  free(log);

  /* A proxy with credentials: the emulator answers absolute-form requests, so it stands
   * in for the proxy of a host that does not exist. */
  admin("POST", "/admin/reset", "{}");
  purecore_config_new(&cfg, NULL);
  purecore_config_set_environment(cfg, S("http://purecore-proxy-test.localhost:9"), NULL);
  purecore_config_set_retry(cfg, 0, 20, 100, 10000, false, NULL);
  CHECK(purecore_config_set_proxy(cfg, S(EMU), S("proxyuser"), S("proxy-pass"), &err) == 0, "%s", msg(err));
  CHECK(purecore_client_new(cfg, &client, &err) == 0, "%s", msg(err));
  purecore_config_free(cfg);
  CHECK(purecore_client_login_client_credentials(client, S(CLIENT_ID), S(CLIENT_SECRET), NULL, &err) == 0,
        "login through the proxy: %s", msg(err));
  purecore_client_free(client);
  log = recorded();
  CHECK(strstr(log, "[\"proxy-authorization\",\"Basic cHJveHl1c2VyOnByb3h5LXBhc3M=\"]") &&
            strstr(log, "[\"host\",\"purecore-proxy-test.localhost:9\"]"),
        "the proxy saw the credentials and the target host: %.400s", log);
  free(log);

  /* HTTP_PROXY and NO_PROXY from the environment (read when the client first connects;
   * no other thread runs here). */
  admin("POST", "/admin/reset", "{}");
  const char *names[] = {"NO_PROXY", "no_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy", "http_proxy"};
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) unsetenv(names[i]);
  setenv("HTTP_PROXY", EMU, 1);
  client = client_for("http://purecore-env-proxy.localhost:9", 0, NULL, NULL, NULL);
  CHECK(purecore_client_login_client_credentials(client, S(CLIENT_ID), S(CLIENT_SECRET), NULL, &err) == 0,
        "login through HTTP_PROXY: %s", msg(err));
  purecore_client_free(client);
  log = recorded();
  CHECK(strstr(log, "[\"host\",\"purecore-env-proxy.localhost:9\"]") != NULL, "HTTP_PROXY is used: %.300s", log);
  free(log);
  setenv("NO_PROXY", "purecore-env-proxy.localhost", 1);
  client = client_for("http://purecore-env-proxy.localhost:9", 0, NULL, NULL, NULL);
  CHECK(purecore_client_login_client_credentials(client, S(CLIENT_ID), S(CLIENT_SECRET), NULL, &err) ==
            PURECORE_STATUS_CONNECTION,
        "with NO_PROXY the client connects directly, to a port where nothing listens: %s", msg(err));
  purecore_error_free(err);
  err = NULL;
  purecore_client_free(client);
  CHECK(counter("token_requests") == 1, "NO_PROXY bypassed the proxy: %ld token requests", counter("token_requests"));
  unsetenv("HTTP_PROXY");
  unsetenv("NO_PROXY");
}

/* scenario: transport.tls */
static void test_transport_tls(void) {
  char dir[64], ca_path[128];
  temp_dir(dir, sizeof dir);
  snprintf(ca_path, sizeof ca_path, "%s/ca.pem", dir);
  OwnEmulator tls;
  start_own(&tls, "--tls", "--ca-out", ca_path);
  CHECK(strncmp(tls.url, "https://127.0.0.1:", 18) == 0, "HTTPS: %s", tls.url);
  char *ca = read_file(ca_path);
  CHECK(ca && strstr(ca, "BEGIN CERTIFICATE"), "the CA was written");

  PurecoreError *err = NULL;
  PurecoreClient *untrusted = client_for(tls.url, 0, NULL, NULL, NULL);
  CHECK(purecore_client_login_client_credentials(untrusted, S(CLIENT_ID), S(CLIENT_SECRET), NULL, &err) ==
                PURECORE_STATUS_CONNECTION &&
            strcasestr(err->message, "certificate") != NULL,
        "untrusted without the CA: %s", msg(err));
  purecore_error_free(err);
  err = NULL;
  purecore_client_free(untrusted);

  PurecoreClient *client = client_for(tls.url, 0, ca ? ca : "", NULL, NULL);
  CHECK(purecore_client_login_client_credentials(client, S(CLIENT_ID), S(CLIENT_SECRET), NULL, &err) == 0,
        "HTTPS with the emulator's CA: %s", msg(err));
  int is_user = 0;
  CHECK(get_me(client, &is_user) == PURECORE_STATUS_OK && is_user, "a call over HTTPS");
  purecore_client_free(client);
  free(ca);
  stop_own(&tls);
  const char *files[] = {"ca.pem", NULL};
  remove_dir(dir, files);
}

/* scenario: transport.mtls */
static void test_transport_mtls(void) {
  char dir[64], path[128];
  temp_dir(dir, sizeof dir);
  OwnEmulator mtls;
  start_own(&mtls, "--mtls", dir, NULL);
  snprintf(path, sizeof path, "%s/ca.pem", dir);
  char *ca = read_file(path);
  snprintf(path, sizeof path, "%s/client.pem", dir);
  char *cert = read_file(path);
  snprintf(path, sizeof path, "%s/client-key.pem", dir);
  char *key = read_file(path);
  CHECK(ca && cert && key, "the emulator wrote ca.pem, client.pem and client-key.pem");
  if (ca && cert && key) {
    PurecoreError *err = NULL;
    PurecoreClient *without = client_for(mtls.url, 0, ca, NULL, NULL);
    CHECK(purecore_client_login_client_credentials(without, S(CLIENT_ID), S(CLIENT_SECRET), NULL, &err) ==
              PURECORE_STATUS_CONNECTION,
          "refused without a client certificate: %s", msg(err));
    purecore_error_free(err);
    err = NULL;
    purecore_client_free(without);

    PurecoreClient *client = client_for(mtls.url, 0, ca, cert, key);
    CHECK(purecore_client_login_client_credentials(client, S(CLIENT_ID), S(CLIENT_SECRET), NULL, &err) == 0,
          "login with the client certificate: %s", msg(err));
    int is_user = 0;
    CHECK(get_me(client, &is_user) == PURECORE_STATUS_OK && is_user, "a call over mutual TLS");
    purecore_client_free(client);
  }
  free(ca);
  free(cert);
  free(key);
  stop_own(&mtls);
  const char *files[] = {"ca.pem", "client.pem", "client-key.pem", NULL};
  remove_dir(dir, files);
}

int main(int argc, char **argv) {
  EMU = argc > 1 ? argv[1] : getenv("EMULATOR_URL");
  EMULATOR_BIN = argc > 2 ? argv[2] : getenv("PURECORE_EMULATOR");
  struct stat st;
  if (!EMU || strncmp(EMU, "http://127.0.0.1:", 17) != 0 || !EMULATOR_BIN || stat(EMULATOR_BIN, &st) != 0) {
    fprintf(stderr, "usage: test_scenarios http://127.0.0.1:PORT PATH/TO/purecore-emulator\n");
    return 2;
  }
  test_paging_page_number();
  test_config_reload();
  test_refresh_proactive();
  test_gateway_and_proxy();
  test_transport_tls();
  test_transport_mtls();
  printf("%d passed, %d failed\n", passed, failed);
  return failed == 0 ? 0 : 1;
}
