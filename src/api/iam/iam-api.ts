// The IAM Query API: the table of actions s3push implements (users, keys, roles, policies).
import type { QueryApi } from '../query-api.js';

export const IAM_NAMESPACE = 'https://iam.amazonaws.com/doc/2010-05-08/';

export const iamApi: QueryApi = {
  namespace: IAM_NAMESPACE,
  actions: {},
};
