// The connection check: `test.txt` at a delivery account's root proves that partner → access point works.
import { issue } from './error-catalogue.js';
import { MeteredReader, relativeKey, startResult, type DeliveredObject, type ValidationContext, type Validator, type ValidatorResult } from './validator.js';

export interface TestFileConfig {
  /** The file name partners deliver at the account root (case-sensitive). Default `test.txt`. */
  fileName: string;
  /** A test file larger than this fails with TEST_FILE_TOO_LARGE. Default 1 MiB. */
  sizeBytesMax: number;
  /** How much of the content is read back (and shown as `firstLine`), proving the bytes are readable. Default 256. */
  previewBytes: number;
}

export const defaultTestFileConfig: TestFileConfig = {
  fileName: 'test.txt',
  sizeBytesMax: 1024 * 1024,
  previewBytes: 256,
};

/**
 * Applies to `<rootPrefix><fileName>` only (a `test.txt` in a sub-folder is ordinary content). Passing
 * means the delivery account in `context.scope` is verified; details name it for the pipeline to record.
 */
export const testFileValidator: Validator<TestFileConfig> = {
  name: 'test-file',

  appliesTo(object: DeliveredObject, config: TestFileConfig, context: ValidationContext): boolean {
    return isTestFile(object.key, config, context);
  },

  async validate(object, config, context, signal): Promise<ValidatorResult> {
    const result = startResult(this.name);
    const { partner, deliveryAccount } = context.scope;
    if (object.sizeBytes > config.sizeBytesMax) {
      return result.done('failed', [issue('TEST_FILE_TOO_LARGE', { key: object.key, sizeBytes: object.sizeBytes, maxBytes: config.sizeBytesMax })], {
        partner,
        deliveryAccount,
        verified: false,
      });
    }
    const reader = new MeteredReader(object.reader, signal);
    const head = await reader.head(config.previewBytes);
    const firstLine = head.toString('utf8').split(/\r?\n/, 1)[0]?.replace(/[^\x20-\x7e]/g, '?') ?? '';
    return result.done('passed', [], {
      partner,
      deliveryAccount,
      verified: true,
      key: object.key,
      sizeBytes: object.sizeBytes,
      firstLine,
      bytesRead: reader.bytesRead,
    });
  },
};

export function isTestFile(key: string, config: TestFileConfig, context: ValidationContext): boolean {
  return key.startsWith(context.scope.rootPrefix) && relativeKey(key, context.scope) === config.fileName;
}
