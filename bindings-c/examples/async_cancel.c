/* purecore C example: an asynchronous call with a completion callback, and a slow call
 * stopped with a cancellation token. For event-loop hosts: the callback runs on a
 * purecore thread; here it signals a condition variable.
 * Needs PURECORE_EMULATOR_URL (a running purecore-emulator). */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "../include/purecore.h"
#include "emu_http.h"

typedef struct {
  pthread_mutex_t mu;
  pthread_cond_t cv;
  int done;
} Waiter;

static void on_done(void *user_data, PurecoreStatus status, PurecoreResponse *response, PurecoreError *error) {
  Waiter *w = user_data;
  if (status == PURECORE_STATUS_OK)
    printf("   callback: HTTP %u, %zu bytes\n", response->status, response->body_len);
  else
    printf("   callback: %s: %s\n", error->kind_name, error->message);
  purecore_response_free(response); /* the callback owns both */
  purecore_error_free(error);
  pthread_mutex_lock(&w->mu);
  w->done = 1;
  pthread_cond_signal(&w->cv);
  pthread_mutex_unlock(&w->mu);
}

static void wait_for(Waiter *w) {
  pthread_mutex_lock(&w->mu);
  while (!w->done) pthread_cond_wait(&w->cv, &w->mu);
  w->done = 0;
  pthread_mutex_unlock(&w->mu);
}

int main(void) {
  const char *url = getenv("PURECORE_EMULATOR_URL");
  if (!url) return 2;
  PurecoreConfig *cfg = NULL;
  PurecoreClient *client = NULL;
  PurecoreError *err = NULL;
  purecore_config_new(&cfg, NULL);
  purecore_config_set_environment(cfg, PURECORE_STR(url), NULL);
  purecore_client_new(cfg, &client, NULL);
  purecore_config_free(cfg);
  if (purecore_client_login_client_credentials(client, PURECORE_STR("emulator-client"), PURECORE_STR("emulator-secret"),
                                               NULL, &err)) {
    fprintf(stderr, "login: %s\n", err->message);
    purecore_error_free(err);
    return 1;
  }
  Waiter w = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0};

  printf("1. an async call\n");
  purecore_client_call_async(client, PURECORE_STR("getUsersMe"), PURECORE_STR_NULL, NULL, 0, NULL, on_done, &w, NULL);
  wait_for(&w);

  printf("2. a slow call (the emulator delays it 30 s), cancelled after 200 ms\n");
  EmuReply r;
  if (emu_http(url, "POST", "/admin/faults", "{\"kind\":\"delay\",\"ms\":30000,\"count\":1}", &r) == 0) free(r.raw);
  PurecoreCancel *cancel = NULL;
  purecore_cancel_new(&cancel, NULL);
  purecore_client_call_async(client, PURECORE_STR("getUsersMe"), PURECORE_STR_NULL, NULL, 0, cancel, on_done, &w, NULL);
  usleep(200 * 1000);
  purecore_cancel_cancel(cancel, NULL);
  wait_for(&w);
  purecore_cancel_free(cancel);
  purecore_client_free(client);
  return 0;
}
