// Type-checks the generated declarations (bindings-node/generated/index.d.ts) under --strict.
import { UsersApi, RoutingApi, Models, OperationCaller } from '../../../bindings-node/generated/index';

const caller: OperationCaller = {
  callOperation: async (_id: string, _params: Record<string, unknown>) => ({}),
};

async function main(): Promise<void> {
  const users = new UsersApi(caller);
  const me: Models.UserMe = await users.getUsersMe({ expand: ['presence'], customHeaders: { 'x-a': 'b' } });
  const user: Models.User = await users.getUser('id', { expand: ['groups'], state: 'active' });
  const name: string | undefined = user.name;
  const state: Models.User['state'] = 'some-future-state';
  const list: Models.UserEntityListing = await users.getUsers({ pageSize: 25, pageNumber: 1 });
  const entities: Array<Models.User> | undefined = list.entities;
  const patched: Models.User = await users.patchUser('id', { version: 1, name: 'n' });
  await users.deleteUser('id');
  const routing = new RoutingApi();
  const queue: Models.Queue = await routing.getRoutingQueue('q');
  // @ts-expect-error unknown option
  await users.getUser('id', { nope: 1 });
  // @ts-expect-error missing required argument
  await users.patchUser('id');
  console.log(me.id, name, state, entities, patched, queue.name);
}

void main;
