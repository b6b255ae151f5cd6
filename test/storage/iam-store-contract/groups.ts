// IamStore contract: groups (names in any case, path prefixes, quotas), membership, group policies, delete conflicts.
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import { limits } from '../../../src/core/limits.js';
import {
  accountA, accountB, createManaged, document, groupOwner, groupRecord, iamTest, plain, rejectsWith, userRecord, type OpenIamStore,
} from './fixtures.js';

export function groupTests(open: OpenIamStore): void {
  describe('groups', () => {
    iamTest(open, 'a group is created once, read back in any letter case, listed by path prefix, per account', async (store) => {
      const editors = groupRecord('Editors', '/media/');
      await store.createGroup(editors);
      await store.createGroup(groupRecord('admins'));
      await store.createGroup(groupRecord('Editors', '/', accountB));
      assert.deepEqual(plain(await store.getGroup(accountA, 'editors')), plain(editors));
      await rejectsWith(store.createGroup(groupRecord('EDITORS')), 'EntityAlreadyExists', /Group with name EDITORS already exists/);
      assert.deepEqual((await store.listGroups(accountA, '/')).map((g) => g.name), ['admins', 'Editors']);
      assert.deepEqual((await store.listGroups(accountA, '/media/')).map((g) => g.name), ['Editors']);
      assert.deepEqual((await store.listGroups(accountB, '/')).map((g) => g.arn), [`arn:aws:iam::${accountB}:group/Editors`]);
    });

    iamTest(open, 'members are added once, listed both ways, and removed; missing users or groups are NoSuchEntity', async (store) => {
      await store.createGroup(groupRecord('editors'));
      await store.createGroup(groupRecord('viewers'));
      await store.createUser(userRecord('Ann'));
      await store.createUser(userRecord('bob'));
      await store.addUserToGroup(accountA, 'EDITORS', 'ann');
      await store.addUserToGroup(accountA, 'editors', 'Ann');
      await store.addUserToGroup(accountA, 'editors', 'bob');
      await store.addUserToGroup(accountA, 'viewers', 'bob');
      assert.deepEqual((await store.listGroupMembers(accountA, 'editors')).map((u) => u.name), ['Ann', 'bob'], 'added once, stored spelling');
      assert.deepEqual((await store.listGroupsForUser(accountA, 'BOB')).map((g) => g.name), ['editors', 'viewers']);
      await rejectsWith(store.addUserToGroup(accountA, 'editors', 'nobody'), 'NoSuchEntity', /user with name nobody/);
      await rejectsWith(store.addUserToGroup(accountA, 'nogroup', 'bob'), 'NoSuchEntity', /group with name nogroup/);
      await rejectsWith(store.addUserToGroup(accountB, 'editors', 'bob'), 'NoSuchEntity');
      await store.removeUserFromGroup(accountA, 'editors', 'ANN');
      assert.deepEqual((await store.listGroupMembers(accountA, 'editors')).map((u) => u.name), ['bob']);
      await rejectsWith(store.removeUserFromGroup(accountA, 'editors', 'ann'), 'NoSuchEntity');
      assert.deepEqual(await store.listGroupsForUser(accountA, 'ann'), []);
    });

    iamTest(open, `a user belongs to at most ${limits.groupsPerUserMax} groups`, async (store) => {
      await store.createUser(userRecord('joiner'));
      for (let i = 0; i <= limits.groupsPerUserMax; i++) await store.createGroup(groupRecord(`g${i}`));
      for (let i = 0; i < limits.groupsPerUserMax; i++) await store.addUserToGroup(accountA, `g${i}`, 'joiner');
      await store.addUserToGroup(accountA, 'g0', 'joiner');
      await rejectsWith(store.addUserToGroup(accountA, `g${limits.groupsPerUserMax}`, 'joiner'), 'LimitExceeded', /GroupsPerUser/);
    });

    iamTest(open, 'groups own inline and attached policies; a group with members or policies cannot be deleted, nor a member user', async (store) => {
      await store.createGroup(groupRecord('ops'));
      await store.createUser(userRecord('carol'));
      await store.addUserToGroup(accountA, 'ops', 'carol');
      await rejectsWith(store.deleteUser(accountA, 'carol'), 'DeleteConflict', /remove user from all groups/);
      await rejectsWith(store.deleteGroup(accountA, 'ops'), 'DeleteConflict', /remove users from group first/);
      await store.removeUserFromGroup(accountA, 'ops', 'carol');
      await store.putInlinePolicy({ owner: groupOwner('ops'), policyName: 'read', document: document('s3:GetObject') });
      assert.deepEqual((await store.listInlinePolicies(groupOwner('OPS'))).map((p) => p.policyName), ['read']);
      await rejectsWith(store.deleteGroup(accountA, 'ops'), 'DeleteConflict', /must delete policies first/);
      await store.deleteInlinePolicy(groupOwner('ops'), 'read');
      const arn = await createManaged(store, 'ops-managed');
      await store.attachPolicy(groupOwner('ops'), arn);
      assert.deepEqual((await store.listPolicyAttachments(arn)).map((o) => `${o.kind}:${o.name}`), ['group:ops']);
      assert.equal((await store.attachedPolicyDocuments(groupOwner('ops'))).length, 1);
      await rejectsWith(store.deleteGroup(accountA, 'ops'), 'DeleteConflict', /must detach all policies first/);
      await store.detachPolicy(groupOwner('ops'), arn);
      await store.deleteGroup(accountA, 'OPS');
      assert.equal(await store.getGroup(accountA, 'ops'), undefined);
      await rejectsWith(store.deleteGroup(accountA, 'ops'), 'NoSuchEntity', /The group with name ops cannot be found/);
      await rejectsWith(store.putInlinePolicy({ owner: groupOwner('ops'), policyName: 'p', document: document('s3:*') }), 'NoSuchEntity');
      await store.deleteUser(accountA, 'carol');
    });

    iamTest(open, 'membership changes advance the IAM generation', async (store) => {
      await store.createGroup(groupRecord('g'));
      await store.createUser(userRecord('u'));
      const before = await store.iamGeneration();
      await store.addUserToGroup(accountA, 'g', 'u');
      const added = await store.iamGeneration();
      assert.ok(added > before);
      await store.removeUserFromGroup(accountA, 'g', 'u');
      assert.ok((await store.iamGeneration()) > added);
    });
  });
}
