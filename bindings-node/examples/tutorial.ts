// The refresh tutorial's code, type-checked by test.sh with `tsc --noEmit --strict`.
import { PlatformClient, UsersApi, AnalyticsApi, ApiError, Models, ResponseOf } from 'purecore';

const platformClient = new PlatformClient();
platformClient.setLoginClientCredentials('mypurecloud.com', 'client-id', 'client-secret');
platformClient.setRetryPolicy({ maxRetries: 3, initialDelayMs: 500, maxDelayMs: 30000, retryStatusCodes: [429, 503] });
platformClient.setAuthenticationTimeout(10000);
platformClient.setLogLevel('debug');
platformClient.setProxy({ host: 'proxy.example.com', port: 3128, username: 'user', password: 'pass' });
platformClient.setPersistSettings(true, 'my_app');
platformClient.config.token_expiry_margin = 60;

async function main(): Promise<void> {
  const usersApi = new UsersApi(platformClient);
  const response: ResponseOf<Models.User> = await usersApi.getUser('user-id', { expand: ['presence'] });
  const id: string | undefined = response.body.id;
  const status: number = response.status;
  const correlation: string | undefined = response.headers['inin-correlation-id'];
  // @ts-expect-error: through a PlatformClient the model is under `.body`
  void response.id;

  const analyticsApi = new AnalyticsApi(platformClient);
  try {
    const query = await analyticsApi.postAnalyticsConversationsDetailsQuery({ interval: '2026-01-01T00:00:00Z/2026-01-08T00:00:00Z' });
    const conversations: Models.AnalyticsConversationWithoutAttributes[] = query.body.conversations ?? [];
    console.log(conversations.length);
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) console.log('check the credentials');
    else throw err;
  }

  // The official style in the same program still resolves to bodies.
  const me: Models.UserMe = await new UsersApi().getUsersMe();
  console.log(id, status, correlation, me.id);
}

void main;
