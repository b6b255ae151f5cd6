// PolicyError: a policy document that fails validation, with the message AWS gives and a precise detail.
//
// The API layer maps it to MalformedPolicyDocument (IAM, STS) or MalformedPolicy (S3, S3 Control);
// `problem: 'size'` lets IAM answer LimitExceeded as AWS does for oversized inline policies.

export type PolicyProblem = 'syntax' | 'size';

export class PolicyError extends Error {
  override readonly name = 'PolicyError';

  constructor(
    /** The text AWS puts in the error message, e.g. "Policy document should not specify a principal." */
    message: string,
    /** What exactly is wrong and where, e.g. `Statement[1].Principal: partial wildcard "arn:aws:iam::*:role/x"`. */
    readonly detail: string,
    readonly problem: PolicyProblem = 'syntax',
  ) {
    super(message);
  }
}

/** Who validates the document decides the wording: IAM (identity, session, boundary, trust) or S3 (bucket, access point). */
export type PolicyDialect = 'iam' | 's3';

/**
 * AWS's messages. Sources: IAM and S3 answers quoted in public issues (e.g. versity/versitygw#647–650,
 * "Missing required field Principal", "Actions/Conditions must be prefaced by a vendor"). Where AWS's
 * exact text is not known (marked "ours"), the message says plainly what is wrong.
 */
export const policyMessages = {
  iam: {
    syntax: 'Syntax errors in policy.',
    notJson: 'Syntax errors in policy.',
    version: 'The policy failed legacy parsing',
    missingStatement: 'Syntax errors in policy.',
    emptyStatement: 'Syntax errors in policy.',
    unknownField: (_field: string) => 'Syntax errors in policy.',
    missingEffect: 'Missing required field Effect',
    effect: (_effect: string) => 'Syntax errors in policy.',
    principalNotAllowed: 'Policy document should not specify a principal.',
    notPrincipalInTrust: 'NotPrincipal is not supported in a role trust policy.', // ours
    missingPrincipal: 'Missing required field Principal',
    invalidPrincipal: (entry: string) => `Invalid principal in policy: ${entry}`,
    missingAction: 'Policy statement must contain actions.',
    invalidAction: (_action: string) => 'Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.',
    missingResource: 'Policy statement must contain resources.',
    prohibitedResource: 'Has prohibited field Resource',
    invalidResource: (resource: string) => `Resource ${resource} must be in ARN format or "*".`,
    sid: 'Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*',
    duplicateSid: 'Statement IDs (SID) in a single policy must be unique.',
    conditionKey: (_key: string) => 'Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.',
    conditionOperator: (operator: string) => `Invalid condition operator: ${operator}`, // ours
    size: (maxBytes: number) => `Cannot exceed quota for PolicySize: ${maxBytes}`,
  },
  s3: {
    syntax: 'This policy contains invalid Json',
    notJson: "Policies must be valid JSON and the first byte must be '{'",
    version: 'The policy must contain a valid version string',
    missingStatement: 'Missing required field Statement',
    emptyStatement: 'Could not parse the policy: Statement is empty!',
    unknownField: (field: string) => `Unknown field ${field}`,
    missingEffect: 'Missing required field Effect',
    effect: (effect: string) => `Invalid effect: ${effect}`,
    principalNotAllowed: 'Policy document should not specify a principal.',
    notPrincipalInTrust: 'NotPrincipal is not supported in a role trust policy.',
    missingPrincipal: 'Missing required field Principal',
    invalidPrincipal: (_entry: string) => 'Invalid principal in policy',
    missingAction: 'Missing required field Action',
    invalidAction: (_action: string) => 'Policy has invalid action',
    missingResource: 'Missing required field Resource',
    prohibitedResource: 'Has prohibited field Resource',
    invalidResource: (_resource: string) => 'Policy has invalid resource',
    sid: 'Statement IDs (SID) must be alpha-numeric.',
    duplicateSid: 'Statement IDs (SID) in a single policy must be unique.',
    conditionKey: (_key: string) => 'Policy has an invalid condition key',
    conditionOperator: (operator: string) => `Invalid Condition type : ${operator}`, // ours
    size: (maxBytes: number) => `Policies must not exceed ${maxBytes} bytes`, // ours
  },
} as const satisfies Record<PolicyDialect, unknown>;

export type PolicyMessages = (typeof policyMessages)[PolicyDialect];
