// IamStore contract: users and roles (names in any case, path prefixes, updates, delete conflicts), and the generation.
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import {
  accountA, accountB, createManaged, document, iamTest, plain, rejectsWith, roleOwner, roleRecord, userKey, userOwner, userRecord,
  type OpenIamStore,
} from './fixtures.js';

export function principalTests(open: OpenIamStore): void {
  describe('users', () => {
    iamTest(open, 'a user is created once, read back in any letter case, and kept per account', async (store) => {
      const alice = { ...userRecord('Alice', '/team/'), tags: [{ key: 'cost', value: 'media' }], permissionsBoundaryArn: `arn:aws:iam::${accountA}:policy/b` };
      await store.createUser(alice);
      assert.deepEqual(plain(await store.getUser(accountA, 'Alice')), plain(alice));
      assert.deepEqual(plain(await store.getUser(accountA, 'alice')), plain(alice), 'IAM names are case-insensitive');
      assert.equal(await store.getUser(accountB, 'Alice'), undefined);
      await rejectsWith(store.createUser(userRecord('ALICE')), 'EntityAlreadyExists', /User with name ALICE already exists/);
      await store.createUser(userRecord('Alice', '/', accountB));
      assert.equal((await store.getUser(accountB, 'alice'))?.path, '/');
    });

    iamTest(open, 'users are listed by path prefix, each account its own', async (store) => {
      await store.createUser(userRecord('zed', '/'));
      await store.createUser(userRecord('amy', '/ops/'));
      await store.createUser(userRecord('bob', '/ops/night/'));
      await store.createUser(userRecord('carl', '/opsx/'));
      await store.createUser(userRecord('other', '/', accountB));
      const names = async (prefix: string) => (await store.listUsers(accountA, prefix)).map((u) => u.name).sort();
      assert.deepEqual(await names('/'), ['amy', 'bob', 'carl', 'zed']);
      assert.deepEqual(await names('/ops/'), ['amy', 'bob']);
      assert.deepEqual(await names('/ops'), ['amy', 'bob', 'carl'], 'a prefix is a plain string prefix');
      assert.deepEqual(await names('/nobody/'), []);
    });

    iamTest(open, 'a user with keys or policies cannot be deleted until they are gone', async (store) => {
      const user = userRecord('dora');
      await store.createUser(user);
      await store.createAccessKey(userKey('AKIADORA000000000001', user));
      await rejectsWith(store.deleteUser(accountA, 'dora'), 'DeleteConflict', /must delete access keys first/);
      await store.deleteAccessKey(accountA, user.arn, 'AKIADORA000000000001');
      await store.putInlinePolicy({ owner: userOwner('dora'), policyName: 'p', document: document('s3:*') });
      await rejectsWith(store.deleteUser(accountA, 'dora'), 'DeleteConflict', /must delete policies first/);
      await store.deleteInlinePolicy(userOwner('dora'), 'p');
      const arn = await createManaged(store, 'm');
      await store.attachPolicy(userOwner('dora'), arn);
      await rejectsWith(store.deleteUser(accountA, 'dora'), 'DeleteConflict', /must detach all policies first/);
      await store.detachPolicy(userOwner('dora'), arn);
      await store.deleteUser(accountA, 'DORA');
      assert.equal(await store.getUser(accountA, 'dora'), undefined);
      await rejectsWith(store.deleteUser(accountA, 'dora'), 'NoSuchEntity', /The user with name dora cannot be found/);
    });
  });

  describe('roles', () => {
    iamTest(open, 'a role is created once, read in any case, listed by path prefix', async (store) => {
      const role = { ...roleRecord('Deliver', '/partners/'), description: 'partner writes', maxSessionDurationSeconds: 7200 };
      await store.createRole(role);
      await store.createRole(roleRecord('reader'));
      assert.deepEqual(plain(await store.getRole(accountA, 'deliver')), plain(role));
      await rejectsWith(store.createRole(roleRecord('DELIVER')), 'EntityAlreadyExists', /Role with name DELIVER already exists/);
      assert.deepEqual((await store.listRoles(accountA, '/partners/')).map((r) => r.name), ['Deliver']);
      assert.deepEqual((await store.listRoles(accountA, '/')).map((r) => r.name).sort(), ['Deliver', 'reader']);
      assert.deepEqual(await store.listRoles(accountB, '/'), []);
    });

    iamTest(open, 'updateRole changes only the fields given and persists them', async (store) => {
      await store.createRole({ ...roleRecord('r'), description: 'first' });
      const updated = await store.updateRole(accountA, 'R', { maxSessionDurationSeconds: 43_200 });
      assert.equal(updated.maxSessionDurationSeconds, 43_200);
      assert.equal(updated.description, 'first');
      await store.updateRole(accountA, 'r', { trustPolicy: '{"Statement":[]}', description: 'second' });
      const read = await store.getRole(accountA, 'r');
      assert.equal(read?.trustPolicy, '{"Statement":[]}');
      assert.equal(read?.description, 'second');
      assert.equal(read?.maxSessionDurationSeconds, 43_200);
      await rejectsWith(store.updateRole(accountA, 'missing', { description: 'x' }), 'NoSuchEntity', /The role with name missing cannot be found/);
    });

    iamTest(open, 'a role with policies cannot be deleted until they are gone', async (store) => {
      await store.createRole(roleRecord('r'));
      await store.putInlinePolicy({ owner: roleOwner('r'), policyName: 'p', document: document('s3:*') });
      await rejectsWith(store.deleteRole(accountA, 'r'), 'DeleteConflict', /must delete policies first/);
      await store.deleteInlinePolicy(roleOwner('r'), 'p');
      const arn = await createManaged(store, 'm');
      await store.attachPolicy(roleOwner('r'), arn);
      await rejectsWith(store.deleteRole(accountA, 'r'), 'DeleteConflict', /must detach all policies first/);
      await store.detachPolicy(roleOwner('r'), arn);
      await store.deleteRole(accountA, 'r');
      assert.equal(await store.getRole(accountA, 'r'), undefined);
      await rejectsWith(store.deleteRole(accountA, 'r'), 'NoSuchEntity');
    });
  });

  describe('generation', () => {
    iamTest(open, 'every successful mutation advances the IAM generation; failed ones and reads do not', async (store) => {
      const start = await store.iamGeneration();
      await store.createUser(userRecord('u'));
      const afterCreate = await store.iamGeneration();
      assert.ok(afterCreate > start);
      await store.getUser(accountA, 'u');
      await store.listUsers(accountA, '/');
      assert.equal(await store.iamGeneration(), afterCreate);
      await rejectsWith(store.createUser(userRecord('u')), 'EntityAlreadyExists');
      await rejectsWith(store.deleteRole(accountA, 'none'), 'NoSuchEntity');
      assert.equal(await store.iamGeneration(), afterCreate, 'a failed mutation changes nothing');
      await store.putInlinePolicy({ owner: userOwner('u'), policyName: 'p', document: document('s3:*') });
      assert.ok((await store.iamGeneration()) > afterCreate);
    });
  });
}
