/* Benchmark (not a test): purecore beside two raw clients, against the emulator at
 * PURECORE_EMULATOR_URL: libcurl (an HTTP client library, keep-alive handle per thread)
 * and a hand-written HTTP/1.1 keep-alive socket client (the floor: no HTTP library at
 * all). Sequential latency (median of N calls) and throughput with 64 calls in flight
 * (64 threads), GET /api/v2/users/me. Run by bindings-c/bench.sh c. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "../include/purecore.h"

enum { SEQUENTIAL = 2000, IN_FLIGHT = 64, PER_WORKER = 100 };
enum { PURECORE, RAW_SOCKET, LIBCURL };
static int port;
static char token[512];
static char url_me[256];
static PurecoreClient *client;

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- raw client: one keep-alive connection per thread ---- */
typedef struct { int fd; char buf[65536]; } Conn;

static int conn_open(Conn *c) {
  c->fd = socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  struct sockaddr_in a = {0};
  a.sin_family = AF_INET;
  a.sin_port = htons((unsigned short)port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return connect(c->fd, (struct sockaddr *)&a, sizeof a);
}

/* Sends one request and reads one response (Content-Length framing); returns the status. */
static int conn_roundtrip(Conn *c, const char *req, size_t len, const char **body) {
  if (write(c->fd, req, len) != (ssize_t)len) return -1;
  size_t got = 0;
  for (;;) {
    ssize_t r = read(c->fd, c->buf + got, sizeof c->buf - 1 - got);
    if (r <= 0) return -1;
    got += (size_t)r;
    c->buf[got] = 0;
    char *end = strstr(c->buf, "\r\n\r\n");
    if (!end) continue;
    char *cl = strcasestr(c->buf, "content-length:");
    size_t need = (size_t)(end + 4 - c->buf) + (cl ? strtoul(cl + 15, NULL, 10) : 0);
    if (got >= need) {
      if (body) *body = end + 4;
      return atoi(c->buf + 9);
    }
  }
}

static int raw_call(Conn *c) {
  char req[1024];
  int n = snprintf(req, sizeof req, "GET /api/v2/users/me HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nAuthorization: Bearer %s\r\n\r\n", port, token);
  return conn_roundtrip(c, req, (size_t)n, NULL) == 200 ? 0 : -1;
}

static int pc_call(void) {
  PurecoreResponse *resp = NULL;
  PurecoreStatus st = purecore_client_call(client, PURECORE_STR("getUsersMe"), PURECORE_STR_NULL, NULL, 0, NULL, &resp, NULL);
  purecore_response_free(resp);
  return st == PURECORE_STATUS_OK ? 0 : -1;
}

/* ---- libcurl: one easy handle (keep-alive connection) per thread ---- */
static size_t discard(char *p, size_t size, size_t n, void *u) {
  (void)p;
  (void)u;
  return size * n;
}

typedef struct { CURL *h; struct curl_slist *headers; } Curl;

static void curl_open(Curl *c) {
  char auth[600];
  snprintf(auth, sizeof auth, "Authorization: Bearer %s", token);
  c->h = curl_easy_init();
  c->headers = curl_slist_append(NULL, auth);
  curl_easy_setopt(c->h, CURLOPT_URL, url_me);
  curl_easy_setopt(c->h, CURLOPT_HTTPHEADER, c->headers);
  curl_easy_setopt(c->h, CURLOPT_WRITEFUNCTION, discard);
  curl_easy_setopt(c->h, CURLOPT_TCP_NODELAY, 1L);
}

static void curl_close(Curl *c) {
  curl_easy_cleanup(c->h);
  curl_slist_free_all(c->headers);
}

static int curl_call(Curl *c) {
  long code = 0;
  if (curl_easy_perform(c->h) != CURLE_OK) return -1;
  curl_easy_getinfo(c->h, CURLINFO_RESPONSE_CODE, &code);
  return code == 200 ? 0 : -1;
}

/* One client of a kind, opened per thread. */
typedef struct { int mode; Conn conn; Curl curl; } Caller;

static void caller_open(Caller *k, int mode) {
  k->mode = mode;
  if (mode == RAW_SOCKET && conn_open(&k->conn) != 0) exit(1);
  if (mode == LIBCURL) curl_open(&k->curl);
}

static void caller_close(Caller *k) {
  if (k->mode == RAW_SOCKET) close(k->conn.fd);
  if (k->mode == LIBCURL) curl_close(&k->curl);
}

static int call(Caller *k) {
  switch (k->mode) {
    case RAW_SOCKET: return raw_call(&k->conn);
    case LIBCURL: return curl_call(&k->curl);
    default: return pc_call();
  }
}

static int cmp(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static double latency(int mode) {
  static double d[SEQUENTIAL];
  Caller *k = malloc(sizeof *k);
  caller_open(k, mode);
  for (int i = 0; i < 100; i++) if (call(k) != 0) exit(1);
  for (int i = 0; i < SEQUENTIAL; i++) {
    double s = now();
    if (call(k) != 0) exit(1);
    d[i] = now() - s;
  }
  caller_close(k);
  free(k);
  qsort(d, SEQUENTIAL, sizeof d[0], cmp);
  return d[SEQUENTIAL / 2];
}

static void *worker(void *arg) {
  Caller *k = malloc(sizeof *k);
  caller_open(k, *(int *)arg);
  for (int i = 0; i < PER_WORKER; i++) if (call(k) != 0) exit(1);
  caller_close(k);
  free(k);
  return NULL;
}

static double throughput(int mode) {
  pthread_t t[IN_FLIGHT];
  double s = now();
  for (int i = 0; i < IN_FLIGHT; i++) pthread_create(&t[i], NULL, worker, &mode);
  for (int i = 0; i < IN_FLIGHT; i++) pthread_join(t[i], NULL);
  return IN_FLIGHT * PER_WORKER / (now() - s);
}

int main(void) {
  const char *url = getenv("PURECORE_EMULATOR_URL");
  if (!url || sscanf(url, "http://127.0.0.1:%d", &port) != 1) return 2;
  snprintf(url_me, sizeof url_me, "%s/api/v2/users/me", url);
  curl_global_init(CURL_GLOBAL_DEFAULT);
  PurecoreConfig *cfg = NULL;
  PurecoreAuthData *auth = NULL;
  purecore_config_new(&cfg, NULL);
  purecore_config_set_environment(cfg, PURECORE_STR(url), NULL);
  purecore_client_new(cfg, &client, NULL);
  purecore_config_free(cfg);
  if (purecore_client_login_client_credentials(client, PURECORE_STR("emulator-client"), PURECORE_STR("emulator-secret"), &auth, NULL)) return 1;
  snprintf(token, sizeof token, "%s", auth->access_token); /* the raw client uses the same token */
  purecore_auth_data_free(auth);

  double raw_lat = latency(RAW_SOCKET), curl_lat = latency(LIBCURL), pc_lat = latency(PURECORE);
  double raw_tp = throughput(RAW_SOCKET), curl_tp = throughput(LIBCURL), pc_tp = throughput(PURECORE);
  printf("c: sequential median latency: libcurl %.3f ms, raw socket %.3f ms, purecore %.3f ms\n", curl_lat * 1e3,
         raw_lat * 1e3, pc_lat * 1e3);
  printf("c:   purecore / libcurl %.2fx (target <= 1.2x), purecore / raw socket %.2fx\n", pc_lat / curl_lat,
         pc_lat / raw_lat);
  printf("c: %d in flight: libcurl %.0f calls/s, raw socket %.0f calls/s, purecore %.0f calls/s\n", IN_FLIGHT, curl_tp,
         raw_tp, pc_tp);
  printf("c:   purecore / libcurl %.2fx (target >= 0.8x), purecore / raw socket %.2fx\n", pc_tp / curl_tp,
         pc_tp / raw_tp);
  purecore_client_free(client);
  curl_global_cleanup();
  return 0;
}
