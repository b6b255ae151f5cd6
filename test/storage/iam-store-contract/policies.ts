// IamStore contract: inline policies, managed policies and their versions, attachments.
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import {
  accountA, accountB, createManaged, document, iamTest, managedRecord, rejectsWith, roleOwner, roleRecord, t0, userOwner, userRecord,
  type OpenIamStore,
} from './fixtures.js';
import type { IamStore } from '../../../src/storage/iam-store.js';

async function addVersion(store: IamStore, arn: string, action: string, isDefault = false, createdMs = t0): Promise<string> {
  return (await store.createPolicyVersion({ policyArn: arn, document: document(action), isDefault, createdMs })).versionId;
}

export function policyTests(open: OpenIamStore): void {
  describe('inline policies', () => {
    iamTest(open, 'put creates then replaces; get, list and delete; users and roles are separate owners', async (store) => {
      await store.createUser(userRecord('same'));
      await store.createRole(roleRecord('same'));
      await store.putInlinePolicy({ owner: userOwner('same'), policyName: 'b', document: document('s3:GetObject') });
      await store.putInlinePolicy({ owner: userOwner('same'), policyName: 'a', document: document('s3:PutObject') });
      await store.putInlinePolicy({ owner: userOwner('same'), policyName: 'B', document: document('s3:ListBucket') });
      await store.putInlinePolicy({ owner: roleOwner('same'), policyName: 'r', document: document('iam:GetRole') });
      const user = await store.listInlinePolicies(userOwner('same'));
      assert.deepEqual(user.map((p) => p.policyName).sort(), ['a', 'b'], 'a policy name differing only in case replaces');
      assert.equal((await store.getInlinePolicy(userOwner('same'), 'b'))?.document, document('s3:ListBucket'));
      assert.equal((await store.getInlinePolicy(userOwner('SAME'), 'A'))?.document, document('s3:PutObject'));
      assert.deepEqual((await store.listInlinePolicies(roleOwner('same'))).map((p) => p.policyName), ['r']);
      assert.equal(await store.getInlinePolicy(roleOwner('same'), 'a'), undefined);
      await store.deleteInlinePolicy(userOwner('same'), 'a');
      assert.equal(await store.getInlinePolicy(userOwner('same'), 'a'), undefined);
      await rejectsWith(store.deleteInlinePolicy(userOwner('same'), 'a'), 'NoSuchEntity', /The user policy with name a cannot be found/);
    });

    iamTest(open, 'an inline policy needs an existing owner', async (store) => {
      await rejectsWith(store.putInlinePolicy({ owner: roleOwner('ghost'), policyName: 'p', document: document('s3:*') }), 'NoSuchEntity', /role with name ghost/);
      await rejectsWith(store.deleteInlinePolicy(userOwner('ghost'), 'p'), 'NoSuchEntity', /user with name ghost/);
      await store.createUser(userRecord('ghost', '/', accountB));
      await rejectsWith(store.putInlinePolicy({ owner: userOwner('ghost'), policyName: 'p', document: document('s3:*') }), 'NoSuchEntity');
    });
  });

  describe('managed policies', () => {
    iamTest(open, 'a managed policy is created with v1 as default; names are unique per account in any case', async (store) => {
      const policy = { ...managedRecord('Deliver', '/media/'), description: 'writes', tags: [{ key: 'k', value: 'v' }] };
      await store.createManagedPolicy(policy, { policyArn: policy.arn, versionId: 'v1', document: document('s3:PutObject'), isDefault: true, createdMs: t0 });
      const read = await store.getManagedPolicy(policy.arn);
      assert.equal(read?.defaultVersionId, 'v1');
      assert.equal(read?.attachmentCount, 0);
      assert.equal(read?.description, 'writes');
      assert.deepEqual(read?.tags, [{ key: 'k', value: 'v' }]);
      const v1 = await store.getPolicyVersion(policy.arn, 'v1');
      assert.equal(v1?.document, document('s3:PutObject'));
      assert.equal(v1?.isDefault, true);
      const again = managedRecord('DELIVER');
      await rejectsWith(store.createManagedPolicy(again, { policyArn: again.arn, versionId: 'v1', document: document('s3:*'), isDefault: true, createdMs: t0 }),
        'EntityAlreadyExists', /A policy called DELIVER already exists/);
      await rejectsWith(createManaged(store, 'Deliver', 's3:*', '/other/'), 'EntityAlreadyExists', /already exists/);
      const other = managedRecord('Deliver', '/', accountB);
      await store.createManagedPolicy(other, { policyArn: other.arn, versionId: 'v1', document: document('s3:*'), isDefault: true, createdMs: t0 });
      assert.equal(await store.getManagedPolicy(`arn:aws:iam::${accountA}:policy/nothing`), undefined);
    });

    iamTest(open, 'listing by path prefix and only-attached', async (store) => {
      await store.createUser(userRecord('u'));
      const a = await createManaged(store, 'a', 's3:*', '/x/');
      await createManaged(store, 'b', 's3:*', '/x/y/');
      await createManaged(store, 'c', 's3:*', '/');
      await store.attachPolicy(userOwner('u'), a);
      const names = async (pathPrefix: string, onlyAttached: boolean) =>
        (await store.listManagedPolicies(accountA, { pathPrefix, onlyAttached })).map((p) => p.name).sort();
      assert.deepEqual(await names('/', false), ['a', 'b', 'c']);
      assert.deepEqual(await names('/x/', false), ['a', 'b']);
      assert.deepEqual(await names('/', true), ['a']);
      assert.deepEqual(await store.listManagedPolicies(accountB, { pathPrefix: '/', onlyAttached: false }), []);
      const listed = (await store.listManagedPolicies(accountA, { pathPrefix: '/', onlyAttached: false })).find((p) => p.name === 'a');
      assert.equal(listed?.attachmentCount, 1);
    });

    iamTest(open, 'versions: ids are never reused, at most five, newest first by number, default moves', async (store) => {
      const arn = await createManaged(store, 'p');
      assert.equal(await addVersion(store, arn, 's3:A'), 'v2');
      assert.equal(await addVersion(store, arn, 's3:B'), 'v3');
      assert.equal(await addVersion(store, arn, 's3:C'), 'v4');
      assert.equal(await addVersion(store, arn, 's3:D'), 'v5');
      await rejectsWith(addVersion(store, arn, 's3:E'), 'LimitExceeded', /up to 5 versions/);
      for (const v of ['v2', 'v3', 'v4']) await store.deletePolicyVersion(arn, v);
      assert.equal(await addVersion(store, arn, 's3:F'), 'v6', 'deleted ids are not reused');
      for (const action of ['s3:G', 's3:H']) await addVersion(store, arn, action);
      await store.deletePolicyVersion(arn, 'v6');
      await store.deletePolicyVersion(arn, 'v7');
      assert.equal(await addVersion(store, arn, 's3:I'), 'v9');
      assert.equal(await addVersion(store, arn, 's3:J', true), 'v10');
      const versions = await store.listPolicyVersions(arn);
      assert.deepEqual(versions.map((v) => v.versionId), ['v10', 'v9', 'v8', 'v5', 'v1'], 'v10 sorts before v9');
      assert.deepEqual(versions.map((v) => v.isDefault), [true, false, false, false, false]);
      assert.equal((await store.getManagedPolicy(arn))?.defaultVersionId, 'v10');
      assert.equal((await store.getPolicyVersion(arn, 'v10'))?.document, document('s3:J'));
      assert.equal(await store.getPolicyVersion(arn, 'v2'), undefined);
      await rejectsWith(store.listPolicyVersions(`arn:aws:iam::${accountA}:policy/none`), 'NoSuchEntity');
    });

    iamTest(open, 'UpdateDate moves when a version is created, not when the default is switched', async (store) => {
      const arn = await createManaged(store, 'p');
      await addVersion(store, arn, 's3:A', false, t0 + 5_000);
      assert.equal((await store.getManagedPolicy(arn))?.updatedMs, t0 + 5_000);
      assert.equal((await store.getManagedPolicy(arn))?.defaultVersionId, 'v1');
      await store.setDefaultPolicyVersion(arn, 'v2');
      const policy = await store.getManagedPolicy(arn);
      assert.equal(policy?.defaultVersionId, 'v2');
      assert.equal(policy?.updatedMs, t0 + 5_000);
      assert.equal((await store.getPolicyVersion(arn, 'v1'))?.isDefault, false);
      await rejectsWith(store.setDefaultPolicyVersion(arn, 'v9'), 'NoSuchEntity');
      await rejectsWith(store.deletePolicyVersion(arn, 'v2'), 'DeleteConflict', /default version/);
      await rejectsWith(store.deletePolicyVersion(arn, 'v7'), 'NoSuchEntity');
    });

    iamTest(open, 'a policy is deleted only when detached and down to its default version', async (store) => {
      await store.createRole(roleRecord('r'));
      const arn = await createManaged(store, 'p');
      await addVersion(store, arn, 's3:A');
      await store.attachPolicy(roleOwner('r'), arn);
      await rejectsWith(store.deleteManagedPolicy(arn), 'DeleteConflict', /attached/);
      await store.detachPolicy(roleOwner('r'), arn);
      await rejectsWith(store.deleteManagedPolicy(arn), 'DeleteConflict', /versions/);
      await store.deletePolicyVersion(arn, 'v2');
      await store.deleteManagedPolicy(arn);
      assert.equal(await store.getManagedPolicy(arn), undefined);
      assert.equal(await store.getPolicyVersion(arn, 'v1'), undefined, 'the default version goes with the policy');
      await rejectsWith(store.deleteManagedPolicy(arn), 'NoSuchEntity');
      const again = await createManaged(store, 'p', 's3:Other');
      assert.equal((await store.getPolicyVersion(again, 'v1'))?.document, document('s3:Other'), 'the name can be reused');
    });
  });

  describe('attachments', () => {
    iamTest(open, 'attach is idempotent, listed both ways, and gives the default documents', async (store) => {
      await store.createRole(roleRecord('r'));
      await store.createUser(userRecord('u'));
      const a = await createManaged(store, 'a', 's3:GetObject');
      const b = await createManaged(store, 'b', 's3:PutObject');
      await store.attachPolicy(roleOwner('r'), b);
      await store.attachPolicy(roleOwner('R'), a);
      await store.attachPolicy(roleOwner('r'), a);
      await store.attachPolicy(userOwner('u'), a);
      assert.deepEqual((await store.listAttachedPolicies(roleOwner('r'))).map((p) => p.name).sort(), ['a', 'b']);
      assert.equal((await store.getManagedPolicy(a))?.attachmentCount, 2);
      const owners = await store.listPolicyAttachments(a);
      assert.deepEqual(owners.map((o) => `${o.kind}:${o.name.toLowerCase()}`).sort(), ['role:r', 'user:u']);
      await addVersion(store, b, 's3:DeleteObject', true);
      const documents = await store.attachedPolicyDocuments(roleOwner('r'));
      assert.deepEqual(documents.map((d) => [d.name, d.document]).sort(), [['a', document('s3:GetObject')], ['b', document('s3:DeleteObject')]]);
    });

    iamTest(open, 'attach needs the owner and the policy; detach needs the attachment', async (store) => {
      await store.createRole(roleRecord('r'));
      const a = await createManaged(store, 'a');
      await rejectsWith(store.attachPolicy(roleOwner('ghost'), a), 'NoSuchEntity', /role with name ghost/);
      await rejectsWith(store.attachPolicy(roleOwner('r'), `arn:aws:iam::${accountA}:policy/none`), 'NoSuchEntity');
      await rejectsWith(store.detachPolicy(roleOwner('r'), a), 'NoSuchEntity');
      await rejectsWith(store.detachPolicy(roleOwner('ghost'), a), 'NoSuchEntity', /role with name ghost/);
    });

    iamTest(open, 'at most ten managed policies per principal; re-attaching at the quota is still fine', async (store) => {
      await store.createUser(userRecord('u'));
      const arns: string[] = [];
      for (let i = 0; i < 11; i++) arns.push(await createManaged(store, `p${i}`));
      for (const arn of arns.slice(0, 10)) await store.attachPolicy(userOwner('u'), arn);
      await rejectsWith(store.attachPolicy(userOwner('u'), arns[10]!), 'LimitExceeded', /PoliciesPerUser: 10/);
      await store.attachPolicy(userOwner('u'), arns[3]!);
      assert.equal((await store.listAttachedPolicies(userOwner('u'))).length, 10);
    });
  });
}
