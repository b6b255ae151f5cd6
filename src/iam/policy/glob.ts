// IAM wildcard patterns (`*` = any run of characters, `?` = one character), compiled once, matched without RegExp.
//
// Why not RegExp: policies are written by account owners and partners; a pattern such as
// `*a*a*a*…*b` makes a backtracking regex super-linear. The two-pointer matcher below is
// O(pattern × value) in the worst case and O(value) for the usual shapes (exact, `*`, `prefix*`).

const literal = 0;
const star = 1;
const question = 2;

export interface Glob {
  /** The pattern text; which characters are wildcards is recorded in `wild`. */
  readonly text: string;
  /** Per character of `text`: 0 literal, 1 `*`, 2 `?`. Undefined when nothing is a wildcard. */
  readonly wild: Uint8Array | undefined;
  readonly shape: 'exact' | 'any' | 'prefix' | 'general';
  /** For shape 'prefix' (`abc*`): the text before the star. */
  readonly prefix: string;
}

/** A piece of a pattern being assembled: text whose `*`/`?` are wildcards, or plain literal text. */
export interface GlobPiece {
  text: string;
  wildcards: boolean;
}

/** Compiles pattern text in which every `*` and `?` is a wildcard. */
export function compileGlob(text: string): Glob {
  return globFromPieces([{ text, wildcards: true }]);
}

/** A glob that matches `text` literally (no wildcards). */
export function literalGlob(text: string): Glob {
  return { text, wild: undefined, shape: 'exact', prefix: '' };
}

/** Assembles a glob from pieces, e.g. policy text with a resolved `${aws:username}` (literal) in between. */
export function globFromPieces(pieces: readonly GlobPiece[]): Glob {
  let text = '';
  let anyWild = false;
  for (const piece of pieces) {
    text += piece.text;
    if (piece.wildcards && (piece.text.includes('*') || piece.text.includes('?'))) anyWild = true;
  }
  if (!anyWild) return literalGlob(text);
  const wild = new Uint8Array(text.length);
  let offset = 0;
  for (const piece of pieces) {
    if (piece.wildcards) {
      for (let i = 0; i < piece.text.length; i++) {
        const c = piece.text.charCodeAt(i);
        if (c === 42) wild[offset + i] = star;
        else if (c === 63) wild[offset + i] = question;
      }
    }
    offset += piece.text.length;
  }
  return { text, wild, shape: shapeOf(text, wild), prefix: text.slice(0, -1) };
}

function shapeOf(text: string, wild: Uint8Array): Glob['shape'] {
  let stars = 0;
  let questions = 0;
  for (const w of wild) {
    if (w === star) stars++;
    else if (w === question) questions++;
  }
  if (questions === 0 && stars === 1 && wild[text.length - 1] === star) return text.length === 1 ? 'any' : 'prefix';
  return 'general';
}

export function globMatches(glob: Glob, value: string): boolean {
  switch (glob.shape) {
    case 'exact':
      return value === glob.text;
    case 'any':
      return true;
    case 'prefix':
      return value.startsWith(glob.prefix);
    case 'general':
      return generalMatch(glob.text, glob.wild!, value);
  }
}

/** Classic greedy match with backtracking to the last star only: no exponential blow-up. */
function generalMatch(pattern: string, wild: Uint8Array, value: string): boolean {
  let p = 0;
  let v = 0;
  let starAt = -1;
  let resumeAt = 0;
  const pLength = pattern.length;
  const vLength = value.length;
  while (v < vLength) {
    if (p < pLength) {
      const w = wild[p];
      if (w === star) {
        starAt = p++;
        resumeAt = v;
        continue;
      }
      if (w === question || (w === literal && pattern.charCodeAt(p) === value.charCodeAt(v))) {
        p++;
        v++;
        continue;
      }
    }
    if (starAt < 0) return false;
    p = starAt + 1;
    v = ++resumeAt;
  }
  while (p < pLength && wild[p] === star) p++;
  return p === pLength;
}
