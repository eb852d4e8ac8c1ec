'use strict';
// paging.page_number through the generated API class, as a user of the official SDK walks it.
const test = require('node:test');
const assert = require('node:assert/strict');
const { platformClient, startEmulator, loggedIn } = require('./helpers');

let emu;
test.before(async () => {
  emu = await startEmulator();
});
test.after(() => emu.stop());

// scenario: paging.page_number
test('paging.page_number: every page of getUsers, each user once, one request per page and none past the last', async () => {
  const client = await loggedIn(emu);
  const usersApi = new platformClient.UsersApi(client);
  const ids = [];
  let page;
  for (let pageNumber = 1; ; pageNumber++) {
    page = await usersApi.getUsers({ pageSize: 1, pageNumber });
    ids.push(...page.entities.map((u) => u.id));
    if (pageNumber >= page.pageCount) break;
  }
  assert.ok(page.total >= 2, 'more than one page');
  assert.equal(ids.length, page.total, 'every user');
  assert.equal(new Set(ids).size, ids.length, 'no user twice');
  const sent = (await emu.requests()).filter((r) => r.path === '/api/v2/users' && r.query.includes('pageSize=1'));
  assert.equal(sent.length, page.pageCount);
});
