// Runs a delivery through the validators (connection test file, naming, file type, integrity, media probe,
// manifest), each configured from the partner's settings, reading the stored object by byte ranges only.
import { readExtents } from '../../storage/extents.js';
import type { DeliveryRecord, PartnerRecord, ValidationOutcome } from '../../storage/delivery-store.js';
import type { ObjectVersion } from '../../storage/types.js';
import type { DeliveryContext } from '../delivery-context.js';
import type { DeliveryValidator, ValidationVerdict } from './validation-queue.js';
import type { DeliveredObject, DeliveryScope, ValidationContext, Validator, ValidatorResult, ChecksumName } from '../validators/validator.js';
import { testFileValidator, defaultTestFileConfig } from '../validators/test-file.js';
import { namingValidator, defaultNamingConfig } from '../validators/naming.js';
import { fileTypeValidator, defaultFileTypeConfig } from '../validators/file-type.js';
import { integrityValidator, defaultIntegrityConfig } from '../validators/integrity.js';
import { defaultMediaProbeConfig, type MediaProbeValidator } from '../validators/media-probe.js';
import { manifestValidator, defaultManifestConfig } from '../validators/manifest.js';
import { issue } from '../validators/error-catalogue.js';

/** A byte-range reader over an object version's extents (bounded reads; nothing is read whole). */
function readerOf(context: DeliveryContext, version: ObjectVersion): DeliveredObject['reader'] {
  return {
    sizeBytes: version.sizeBytes,
    async read(start: number, endExclusive: number, signal?: AbortSignal): Promise<Buffer> {
      const end = Math.min(endExclusive, version.sizeBytes);
      if (end <= start) return Buffer.alloc(0);
      const parts: Buffer[] = [];
      for await (const chunk of readExtents(context.blobs, version.extents, { start, end }, signal)) parts.push(chunk);
      return Buffer.concat(parts);
    },
  };
}

function deliveredObject(context: DeliveryContext, version: ObjectVersion): DeliveredObject {
  const checksums: Partial<Record<ChecksumName, string>> = {};
  if (version.checksum) checksums[version.checksum.algorithm] = version.checksum.value;
  if (!version.etag.includes('-')) checksums.MD5 = version.etag;
  return {
    key: version.key,
    sizeBytes: version.sizeBytes,
    etag: version.etag,
    ...(version.headers.contentType ? { contentType: version.headers.contentType } : {}),
    checksums,
    reader: readerOf(context, version),
  };
}

function scopeOf(partner: PartnerRecord, record: DeliveryRecord): DeliveryScope {
  const accountRoot = `${partner.prefix}/${record.deliveryAccount}/`;
  return { partner: partner.name, deliveryAccount: record.deliveryAccount, rootPrefix: record.key.startsWith(accountRoot) ? accountRoot : `${partner.prefix}/` };
}

function validationContext(context: DeliveryContext, scope: DeliveryScope): ValidationContext {
  const bucket = context.platform.deliveryBucket;
  return {
    scope,
    async getObject(key) {
      const version = await context.meta.getObjectVersion(bucket, key);
      return version && !version.isDeleteMarker ? deliveredObject(context, version) : undefined;
    },
    async listKeys(prefix, limit) {
      const page = await context.meta.listObjects(bucket, { prefix, maxKeys: limit });
      return page.objects.map((o) => o.key);
    },
  };
}

interface Step {
  validator: Validator<never>;
  config: unknown;
}

function stepsFor(partner: PartnerRecord, media: MediaProbeValidator): Step[] {
  const settings = partner.settings;
  const steps: Step[] = [
    { validator: testFileValidator as Validator<never>, config: defaultTestFileConfig },
    { validator: namingValidator as Validator<never>, config: { ...defaultNamingConfig, ...(settings.namingPattern ? { pattern: settings.namingPattern } : {}) } },
    { validator: fileTypeValidator as Validator<never>, config: defaultFileTypeConfig },
    { validator: integrityValidator as Validator<never>, config: defaultIntegrityConfig },
    { validator: media as unknown as Validator<never>, config: { ...defaultMediaProbeConfig, ...settings.media } },
    { validator: manifestValidator as Validator<never>, config: defaultManifestConfig },
  ];
  const disabled = new Set(settings.disabledValidators ?? []);
  return steps.filter((s) => !disabled.has(s.validator.name));
}

function outcomeOf(result: ValidatorResult): ValidationOutcome {
  return { validator: result.validator, outcome: result.outcome, issues: result.issues, ...(result.details ? { details: result.details } : {}), durationMs: result.durationMs };
}

export function createDeliveryValidator(context: DeliveryContext, media: MediaProbeValidator): DeliveryValidator {
  return async (record: DeliveryRecord, signal: AbortSignal): Promise<ValidationVerdict> => {
    const partner = await context.deliveries.getPartner(record.partnerId);
    const version = await context.meta.getObjectVersion(record.bucket, record.key, record.versionId);
    if (!partner || !version || version.isDeleteMarker) {
      const rejection = issue('OBJECT_GONE', { key: record.key });
      return { validations: [{ validator: 'pipeline', outcome: 'failed', issues: [rejection], durationMs: 0 }], rejection };
    }
    const object = deliveredObject(context, version);
    const scope = scopeOf(partner, record);
    const vcontext = validationContext(context, scope);
    const validations: ValidationOutcome[] = [];
    let mediaSummary: Record<string, unknown> | undefined;
    for (const { validator, config } of stepsFor(partner, media)) {
      if (!validator.appliesTo(object, config as never, vcontext)) continue;
      let result: ValidatorResult;
      try {
        result = await validator.validate(object, config as never, vcontext, signal);
      } catch (error) {
        if (signal.aborted) throw error;
        context.log.error('validator failed', { delivery: record.id, validator: validator.name, error: String(error) });
        result = { validator: validator.name, outcome: 'failed', issues: [issue('VALIDATOR_FAILED', { validator: validator.name })], durationMs: 0 };
      }
      validations.push(outcomeOf(result));
      if (validator.name === 'test-file' && result.outcome === 'passed') {
        await context.deliveries.markDeliveryAccountVerified(partner.id, record.deliveryAccount, record.deliveredMs, record.deliveredBy);
      }
      if (validator.name === 'media-probe' && result.details?.['summary']) mediaSummary = result.details['summary'] as Record<string, unknown>;
    }
    const rejection = validations.find((v) => v.outcome === 'failed')?.issues[0];
    return { validations, ...(mediaSummary ? { media: mediaSummary } : {}), ...(rejection ? { rejection } : {}) };
  };
}
