// Type-checked by test.sh with `tsc --noEmit --strict`: the package's declarations
// cover the client, its configuration, errors and every generated API class.
import platformClient, {
  ApiClient,
  ApiError,
  AuthData,
  ExtendedResponse,
  Models,
  PureCloudRegionHosts,
  RateLimitError,
  RoutingApi,
  UsersApi,
} from 'purecore';

async function main(): Promise<void> {
  const client: ApiClient = ApiClient.instance;
  client.setEnvironment(PureCloudRegionHosts.eu_west_1);
  client.config.refresh_access_token = true;
  client.config.refresh_token_wait_max = 10;
  client.config.logger.log_level = client.config.logger.logLevelEnum.level.LDebug;
  client.config.logger.log_format = 'json';
  client.config.logger.setLogger();
  client.setRetryConfig({ maxRetries: 5, onRetry: (e) => console.log(e.attempt, e.waitMs) });
  client.setDefaultHeaders({ 'X-App': 'typed' });
  client.setPreHook((req) => {
    req.headers['X-Hook'] = req.operationId;
    return req;
  });
  const auth: AuthData = await client.loginClientCredentialsGrant('id', 'secret');
  const expires: number | undefined = auth.tokenExpiryTime;

  const users = new platformClient.UsersApi();
  const me: Models.UserMe = await users.getUsersMe({ expand: ['presence'], customHeaders: { 'X-Call': '1' } });
  const user: Models.User = await new UsersApi(client).getUser(me.id ?? '', { expand: ['groups'] });
  const queue: Models.Queue = await new RoutingApi().getRoutingQueue('queue-id');

  const other = new ApiClient();
  other.setGateway({ host: 'gateway.example.com', port: -1, path_params_api: 'api', path_params_login: 'login' });
  other.setProxyAgent('http://user:pass@proxy.example.com:3128');
  other.setReturnExtendedResponses(true);
  const raw = (await other.request({ method: 'GET', path: '/api/v2/users/me' })) as ExtendedResponse<Models.UserMe>;
  const cid: string | undefined = raw.correlationId;

  try {
    await users.getUser('nobody');
  } catch (e) {
    if (e instanceof RateLimitError) console.log(e.retryAfter);
    else if (e instanceof ApiError) console.log(e.status, e.code, e.correlationId, e.body, e.headers['content-type']);
  }
  const verifier: string = client.generatePKCECodeVerifier(64);
  const challenge: string = await client.computePKCECodeChallenge(verifier);
  const { url, state } = client.buildAuthorizeUrl('id', 'http://localhost/cb', { responseType: 'code', codeChallenge: challenge });
  console.log(expires, user.name, queue.name, cid, url, state);
}

void main;
