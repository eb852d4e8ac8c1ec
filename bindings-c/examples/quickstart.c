/* purecore C quickstart.
 *
 * Against the local emulator (bindings-c/demo.sh starts one and passes
 * PURECORE_EMULATOR_URL): client credentials, GET users/me by operation id, a forced
 * token expiry that is refreshed transparently, and a 429 that is retried.
 * Against a real org when GENESYS_CLOUD_REGION, GENESYS_CLOUD_CLIENT_ID and
 * GENESYS_CLOUD_CLIENT_SECRET are set: client credentials, then the organization.
 *
 * Build: gcc -I../include quickstart.c ../../target/debug/libpurecore.a -lpthread -ldl -lm -lgcc_s -lrt -lutil */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../include/purecore.h"
#include "emu_http.h"

static int fail(const char *what, PurecoreError *err) {
  fprintf(stderr, "%s failed: [%s] %s (status %u, code %s, correlation id %s)\n", what, err ? err->kind_name : "?",
          err ? err->message : "?", err ? err->http_status : 0, err && err->code ? err->code : "-",
          err && err->correlation_id ? err->correlation_id : "-");
  purecore_error_free(err);
  return 1;
}

static long token_requests(const char *url) {
  EmuReply r;
  if (emu_http(url, "GET", "/admin/counters", NULL, &r) != 0) return -1;
  long n = emu_json_number(r.body, "token_requests");
  free(r.raw);
  return n;
}

static void admin_post(const char *url, const char *path, const char *json) {
  EmuReply r;
  if (emu_http(url, "POST", path, json, &r) == 0) free(r.raw);
}

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int real_org(const char *region, const char *id, const char *secret) {
  PurecoreConfig *cfg = NULL;
  PurecoreClient *client = NULL;
  PurecoreError *err = NULL;
  PurecoreAuthData *auth = NULL;
  PurecoreResponse *resp = NULL;
  purecore_config_new(&cfg, NULL);
  if (purecore_config_set_environment(cfg, PURECORE_STR(region), &err)) return fail("region", err);
  if (purecore_client_new(cfg, &client, &err)) return fail("client", err);
  purecore_config_free(cfg);
  if (purecore_client_login_client_credentials(client, PURECORE_STR(id), PURECORE_STR(secret), &auth, &err))
    return fail("login", err);
  printf("logged in to %s; token expires in %lld s\n", region, (long long)auth->expires_in);
  purecore_auth_data_free(auth);
  if (purecore_client_call(client, PURECORE_STR("getOrganizationsMe"), PURECORE_STR_NULL, NULL, 0, NULL, &resp, &err))
    return fail("getOrganizationsMe", err);
  printf("organization: %.*s\n", (int)resp->body_len, (const char *)resp->body);
  purecore_response_free(resp);
  purecore_client_free(client);
  return 0;
}

int main(void) {
  const char *region = getenv("GENESYS_CLOUD_REGION"), *id = getenv("GENESYS_CLOUD_CLIENT_ID"),
             *secret = getenv("GENESYS_CLOUD_CLIENT_SECRET");
  if (region && *region && id && *id && secret && *secret) return real_org(region, id, secret);
  const char *url = getenv("PURECORE_EMULATOR_URL");
  if (!url) {
    fprintf(stderr, "set PURECORE_EMULATOR_URL (demo.sh does) or the GENESYS_CLOUD_* variables\n");
    return 2;
  }

  PurecoreConfig *cfg = NULL;
  PurecoreClient *client = NULL;
  PurecoreError *err = NULL;
  PurecoreAuthData *auth = NULL;
  PurecoreResponse *resp = NULL;
  purecore_config_new(&cfg, NULL);
  if (purecore_config_set_environment(cfg, PURECORE_STR(url), &err)) return fail("environment", err);
  if (purecore_client_new(cfg, &client, &err)) return fail("client", err);
  purecore_config_free(cfg);

  /* START quickstart (README.md shows this part; scripts/check-parity keeps it equal) */
  /* 1. Log in with client credentials. */
  if (purecore_client_login_client_credentials(client, PURECORE_STR("emulator-client"),
                                               PURECORE_STR("emulator-secret"), &auth, &err))
    return fail("login", err);
  printf("1. logged in; token expires in %lld s\n", (long long)auth->expires_in);
  purecore_auth_data_free(auth);

  /* 2. GET /api/v2/users/me?expand=presence, by operation id. */
  if (purecore_client_call(client, PURECORE_STR("getUsersMe"), PURECORE_STR("{\"expand\":[\"presence\"]}"), NULL, 0,
                           NULL, &resp, &err))
    return fail("getUsersMe", err);
  printf("2. users/me: status %u, %zu bytes, correlation id %s\n", resp->status, resp->body_len,
         resp->correlation_id ? resp->correlation_id : "-");
  purecore_response_free(resp);
  /* END quickstart */

  /* 3. The server expires every token; the next call refreshes once and goes through. */
  admin_post(url, "/admin/expire-tokens", "{}");
  long before = token_requests(url);
  if (purecore_client_call(client, PURECORE_STR("getUsersMe"), PURECORE_STR_NULL, NULL, 0, NULL, &resp, &err))
    return fail("getUsersMe after expiry", err);
  printf("3. after a forced expiry: status %u, %ld new token request(s), no error seen\n", resp->status,
         token_requests(url) - before);
  purecore_response_free(resp);

  /* 4. The next answer is a 429 with Retry-After: 1; the call waits and succeeds. */
  admin_post(url, "/admin/faults", "{\"kind\":\"status\",\"status\":429,\"retry_after\":1,\"count\":1}");
  double started = now();
  if (purecore_client_call(client, PURECORE_STR("getUsersMe"), PURECORE_STR_NULL, NULL, 0, NULL, &resp, &err))
    return fail("getUsersMe after a 429", err);
  printf("4. after a 429 with Retry-After 1: status %u in %u attempts, %.1f s\n", resp->status, resp->attempts,
         now() - started);
  purecore_response_free(resp);

  /* 5. An error carries its fields. */
  if (purecore_client_call(client, PURECORE_STR("getUser"), PURECORE_STR("{\"userId\":\"nobody\"}"), NULL, 0, NULL,
                           &resp, &err) != PURECORE_STATUS_OK) {
    printf("5. getUser(nobody): %s, HTTP %u, code %s, correlation id %s\n", err->kind_name, err->http_status,
           err->code ? err->code : "-", err->correlation_id ? err->correlation_id : "-");
    purecore_error_free(err);
  }
  purecore_client_free(client);
  return 0;
}
