// The <Owner> element S3 prints for buckets and objects: canonical user id and display name.
import { el, wrap } from '../../protocol/xml.js';
import type { RequestContext } from '../context.js';

export async function ownerXml(ctx: RequestContext, accountId: string, elementName = 'Owner'): Promise<string> {
  const account = await ctx.services.meta.getAccount(accountId);
  return wrap(elementName, el('ID', account?.canonicalUserId ?? accountId) + el('DisplayName', account?.name ?? accountId));
}
