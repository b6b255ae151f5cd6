// Every validation issue code with its cause and fix, in one place; `issue()` fills them in, and the
// same table renders docs/errors.md (a unit test keeps the two equal).
import { validatorLimits, type ValidationIssue } from './validator.js';

interface CatalogueEntry {
  /** The validator that reports the code. */
  validator: string;
  /** What went wrong; `{name}` is filled in from the delivery. */
  cause: string;
  /** What the partner should do. */
  fix: string;
}

const redeliver = 'then deliver it again under a new name with the next `_R<n>` suffix (e.g. `Title_Feature_R1.mov`)';

export const errorCatalogue = {
  TEST_FILE_TOO_LARGE: {
    validator: 'test-file',
    cause: '`{key}` is {sizeBytes} bytes; a connection test file may be at most {maxBytes} bytes.',
    fix: 'Deliver a small `test.txt` (one line of text is enough) to check the connection; deliver content under its own name.',
  },

  CHECKSUM_MISMATCH: {
    validator: 'integrity',
    cause: '`{sidecar}` declares {algorithm} `{expected}`, but the delivered bytes of `{key}` hash to `{actual}`.',
    fix: `The file changed or was damaged on the way, or the sidecar belongs to another file. Recompute the checksum of your source (\`md5sum\` / \`sha256sum\`): if it matches the sidecar, the copy is damaged: ${redeliver}; if not, deliver a sidecar made from the file you delivered.`,
  },
  CHECKSUM_SIDECAR_INVALID: {
    validator: 'integrity',
    cause: '`{sidecar}` does not hold a usable {algorithm} checksum: {reason}.',
    fix: 'Write the sidecar as `md5sum` / `sha256sum` do: the hex digest, optionally followed by two spaces and the file name (e.g. `9e107d9d372bb6826bd81d3542a419d6  Title_Feature.mov`).',
  },
  CHECKSUM_SIDECAR_WRONG_FILE: {
    validator: 'integrity',
    cause: '`{sidecar}` gives the checksum of `{named}`, not of `{fileName}`.',
    fix: 'Name each sidecar after the file it describes (`<file>.md5`) and make its line name that same file.',
  },
  CHECKSUM_SIDECAR_MISSING: {
    validator: 'integrity',
    cause: '`{key}` arrived without a checksum sidecar (`{expected}`), which this delivery account requires.',
    fix: 'Deliver `<file>.md5` or `<file>.sha256` next to each file, written by `md5sum` / `sha256sum` on your source.',
  },

  NAMING_NON_ASCII: {
    validator: 'naming',
    cause: '`{name}` contains characters outside ASCII: {characters}.',
    fix: 'Use only the letters A-Z and a-z, digits, `_` and `-` (transliterate accents: é → e).',
  },
  NAMING_SPACES: {
    validator: 'naming',
    cause: '`{name}` contains {count} space or whitespace character(s).',
    fix: 'Replace spaces with underscores (`Title Feature.mov` → `Title_Feature.mov`).',
  },
  NAMING_MULTIPLE_DOTS: {
    validator: 'naming',
    cause: '`{name}` has {count} periods; only the one before the extension is allowed.',
    fix: 'Remove the other periods or replace them with `_` (`Title.v2.final.mov` → `Title_v2_final.mov`), also in folder names.',
  },
  NAMING_BAD_CHARACTERS: {
    validator: 'naming',
    cause: '`{name}` contains characters that are not allowed: {characters}.',
    fix: 'Use only letters, digits, `_`, `-`, one `.` before the extension and `/` between folders.',
  },
  NAMING_HIDDEN_FILE: {
    validator: 'naming',
    cause: '`{name}` starts with a period, which makes it a hidden file (often left by a desktop, e.g. `.DS_Store`).',
    fix: 'Do not deliver hidden or system files; exclude them from your copy (e.g. `--exclude ".*"`).',
  },
  NAMING_NO_EXTENSION: {
    validator: 'naming',
    cause: '`{name}` has no extension, so its format cannot be told from its name.',
    fix: 'Add the extension of its format (`.mov`, `.wav`, `.scc`, `.xml`…).',
  },
  NAMING_EMPTY_SEGMENT: {
    validator: 'naming',
    cause: '`{name}` contains an empty folder name (`//`, or a leading or trailing `/`).',
    fix: 'Use single `/` between folder names and no leading or trailing `/`.',
  },
  NAMING_TOO_LONG: {
    validator: 'naming',
    cause: '`{segment}` is {length} characters; names may be at most {maxLength}.',
    fix: 'Shorten the file or folder name.',
  },
  NAMING_PATTERN: {
    validator: 'naming',
    cause: '`{name}` does not follow the naming convention agreed for this delivery account ({description}).',
    fix: 'Rename the file to follow the convention: {description}.',
  },

  FILE_TYPE_MISMATCH: {
    validator: 'file-type',
    cause: '`{key}` ends in `.{extension}` ({expected}) but its content is {detected}.',
    fix: 'Give the file the extension of its real format, or deliver the right file (check the export settings of the tool that wrote it).',
  },
  FILE_TYPE_UNKNOWN_EXTENSION: {
    validator: 'file-type',
    cause: '`.{extension}` is not a format this delivery account accepts (accepted: {accepted}).',
    fix: 'Deliver the file in one of the accepted formats, or ask the platform to accept this one.',
  },
  FILE_TYPE_EMPTY: {
    validator: 'file-type',
    cause: '`{key}` is empty (0 bytes).',
    fix: `An empty object usually means the copy failed or the source was a placeholder; check the source file, ${redeliver}.`,
  },

  MEDIA_UNREADABLE: {
    validator: 'media-probe',
    cause: '`{key}` could not be read as {expected}: {reason}.',
    fix: `Check that the file opens in your tools and that it was exported completely, ${redeliver}.`,
  },
  MEDIA_TRUNCATED: {
    validator: 'media-probe',
    cause: '`{key}` is shorter than its own structure says (truncated): {reason}.',
    fix: `The file was cut off, usually by an interrupted export or copy; compare its size with your source, ${redeliver}.`,
  },
  MEDIA_SPEC_NO_VIDEO: {
    validator: 'media-probe',
    cause: '`{key}` has no video track (found: {found}).',
    fix: 'Deliver the picture master with its video track; audio-only files belong in `.wav`.',
  },
  MEDIA_SPEC_NO_AUDIO: {
    validator: 'media-probe',
    cause: '`{key}` has no audio track, which this delivery account requires.',
    fix: 'Deliver the file with its audio tracks, or deliver the audio as separate `.wav` files if agreed.',
  },
  MEDIA_SPEC_RESOLUTION: {
    validator: 'media-probe',
    cause: 'The {track} is {width}x{height}; at least {minWidth}x{minHeight} is required.',
    fix: 'Deliver the file at the required resolution or higher (from the original master, not upscaled).',
  },
  MEDIA_SPEC_VIDEO_CODEC: {
    validator: 'media-probe',
    cause: 'The video codec is {actual}; accepted: {accepted}.',
    fix: 'Re-export the video with one of the accepted codecs.',
  },
  MEDIA_SPEC_FRAME_RATE: {
    validator: 'media-probe',
    cause: 'The frame rate is {actual} fps; accepted: {accepted}.',
    fix: 'Deliver the master at its native frame rate, which must be one of the accepted rates; do not convert the frame rate.',
  },
  MEDIA_SPEC_SCAN_TYPE: {
    validator: 'media-probe',
    cause: 'The scan type is {actual}; accepted: {accepted}.',
    fix: 'Re-export the video with an accepted scan type (usually progressive).',
  },
  MEDIA_SPEC_AUDIO_CODEC: {
    validator: 'media-probe',
    cause: 'Audio track {track} is {actual}; accepted: {accepted}.',
    fix: 'Re-export the audio with one of the accepted codecs (usually uncompressed PCM).',
  },
  MEDIA_SPEC_SAMPLE_RATE: {
    validator: 'media-probe',
    cause: 'Audio track {track} is sampled at {actual} Hz; accepted: {accepted}.',
    fix: 'Re-export the audio at an accepted sample rate (usually 48000 Hz).',
  },
  MEDIA_SPEC_BIT_DEPTH: {
    validator: 'media-probe',
    cause: 'Audio track {track} is {actual}-bit; accepted: {accepted}.',
    fix: 'Re-export the audio at an accepted bit depth (usually 24-bit).',
  },
  MEDIA_SPEC_CHANNELS: {
    validator: 'media-probe',
    cause: 'Audio track {track} has {actual} channel(s); at least {minChannels} are required.',
    fix: 'Deliver the audio with the agreed channel layout (e.g. stereo or 5.1).',
  },
  MEDIA_SPEC_DURATION: {
    validator: 'media-probe',
    cause: '`{key}` lasts {actual} s; it must last between {min} s and {max} s.',
    fix: 'Check that the right cut was delivered and that it was exported in full.',
  },

  MANIFEST_INVALID: {
    validator: 'manifest',
    cause: '`{key}` is not a valid {format} manifest: {reason}.',
    fix: 'Fix the manifest (see docs/errors.md, "Manifest formats") and deliver it again.',
  },
  MANIFEST_TOO_LARGE: {
    validator: 'manifest',
    cause: '`{key}` is too large to read: {reason}.',
    fix: 'Split the package into several manifests, each in its own folder.',
  },
  MANIFEST_BAD_PATH: {
    validator: 'manifest',
    cause: 'Entry {entry} of `{key}` has the path `{path}`, which is not a relative path inside the package folder.',
    fix: 'List files by their path relative to the manifest\'s folder (`video/Title_Feature.mov`), without `..`, `\\` or a leading `/`.',
  },
  MANIFEST_DUPLICATE_PATH: {
    validator: 'manifest',
    cause: '`{path}` is listed more than once in `{key}` with different details.',
    fix: 'List each file once; when one file carries several assets (an MMC video and its audio), give it the same size and checksum each time.',
  },
  MANIFEST_FILE_MISSING: {
    validator: 'manifest',
    cause: '`{path}` is listed in `{manifest}` but has not been delivered.',
    fix: 'Deliver the file at that path (names are case-sensitive), or correct the manifest.',
  },
  MANIFEST_SIZE_MISMATCH: {
    validator: 'manifest',
    cause: '`{path}` is {actual} bytes, but `{manifest}` says {expected} bytes.',
    fix: `Check which is right: if the delivered file is incomplete, ${redeliver}; otherwise correct the manifest.`,
  },
  MANIFEST_CHECKSUM_MISMATCH: {
    validator: 'manifest',
    cause: '`{path}` has {algorithm} `{actual}`, but `{manifest}` says `{expected}`.',
    fix: `Recompute the checksum of your source: if it matches the manifest, the copy is damaged: ${redeliver}; otherwise correct the manifest.`,
  },
  MANIFEST_EXTRA_FILE: {
    validator: 'manifest',
    cause: '`{path}` was delivered in the package folder of `{manifest}` but is not listed in it.',
    fix: 'Add the file to the manifest, or deliver it outside the package folder.',
  },
  OBJECT_GONE: {
    validator: 'pipeline',
    cause: 'The delivered version of `{key}` was deleted before it could be validated.',
    fix: 'Deliver the file again; do not delete delivered files.',
  },
  VALIDATOR_FAILED: {
    validator: 'pipeline',
    cause: 'The {validator} check could not run on this file because of an error on the platform.',
    fix: 'Nothing is wrong with your file as far as we know. Redeliver it later; if it happens again, send the delivery id to the platform operator.',
  },
  VALIDATION_TIMEOUT: {
    validator: 'pipeline',
    cause: 'Validation did not finish within {seconds} s.',
    fix: 'Redeliver the file; if it happens again, send the delivery id to the platform operator.',
  },
} as const satisfies Record<string, CatalogueEntry>;

export type IssueCode = keyof typeof errorCatalogue;

type Placeholders<S extends string> = S extends `${string}{${infer Name}}${infer Rest}` ? Name | Placeholders<Rest> : never;
type EntryText<C extends IssueCode> = (typeof errorCatalogue)[C]['cause'] | (typeof errorCatalogue)[C]['fix'];
/** The values an issue of code C needs, checked by the compiler against the catalogue text. */
export type IssueParams<C extends IssueCode> = Record<Placeholders<EntryText<C>>, string | number>;

function fill(template: string, params: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (_whole, name: string) => {
    const value = String(params[name] ?? `{${name}}`);
    const max = validatorLimits.issueValueCharsMax;
    return value.length > max ? `${value.slice(0, max - 1)}…` : value;
  });
}

/** An issue of the given code with its cause and fix filled in. */
export function issue<C extends IssueCode>(code: C, ...params: [Placeholders<EntryText<C>>] extends [never] ? [] : [IssueParams<C>]): ValidationIssue {
  const entry: CatalogueEntry = errorCatalogue[code];
  const values = (params[0] ?? {}) as Record<string, string | number>;
  return { code, cause: fill(entry.cause, values), fix: fill(entry.fix, values) };
}

const validatorTitles: Record<string, string> = {
  'test-file': 'Connection test file (`test.txt`)',
  integrity: 'Integrity (checksum sidecars)',
  naming: 'File naming',
  'file-type': 'File type',
  'media-probe': 'Media probe',
  manifest: 'Package manifest',
  pipeline: 'The ingest pipeline itself',
};

const manifestFormats = `## Manifest formats

A package manifest lists the files of a delivery; paths are relative to the manifest's folder.

- **JSON** (\`manifest.json\`, \`*_manifest.json\`):
  \`{"package": "Title_2024", "files": [{"path": "video/Title_Feature.mov", "size": 1234, "md5": "<hex>", "sha256": "<hex>"}]}\`
  (\`size\` and the checksums are optional; at least \`path\`).
- **CSV** (\`manifest.csv\`, \`*_manifest.csv\`): a header row \`path,size,md5\` or \`path,size,sha256\`
  (columns in any order; \`size\` and the checksum columns optional), then one row per file.
- **MovieLabs MMC** (\`*_mmc.xml\`, \`*_manifest.xml\`): every \`Inventory\` \`Video\`, \`Audio\`, \`Subtitle\`, \`Image\`
  and \`Metadata\` entry's \`ContainerReference/ContainerLocation\` (\`file://\` and a leading \`/\` are ignored), with
  \`ContainerReference/Length\` and \`Hash method="MD5"\` / \`"SHA-256"\` when present.
`;

/** docs/errors.md: every code, grouped by validator, with its cause and fix. */
export function renderErrorCatalogueMarkdown(): string {
  const lines = [
    '# Delivery validation errors',
    '',
    '<!-- Generated from src/delivery/validators/error-catalogue.ts by renderErrorCatalogueMarkdown(); do not edit. -->',
    '',
    'Every rejected delivery shows one or more of these codes with the cause and the fix. Words in',
    '`{braces}` are filled in with the facts of the delivery (file names, sizes, checksums).',
    '',
  ];
  for (const [validator, title] of Object.entries(validatorTitles)) {
    lines.push(`## ${title}`, '');
    for (const [code, entry] of Object.entries(errorCatalogue) as [string, CatalogueEntry][]) {
      if (entry.validator !== validator) continue;
      lines.push(`### ${code}`, '', `- **Cause:** ${entry.cause}`, `- **Fix:** ${entry.fix}`, '');
    }
  }
  lines.push(manifestFormats);
  return lines.join('\n');
}
