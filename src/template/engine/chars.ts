/**
 * Character classes of the scanner, as char-code tests (Handlebars' lexer uses regular
 * expressions; these are their exact equivalents).
 */

/** Backslash. */
export const BACKSLASH = 92;
/** `{` */
export const LBRACE = 123;
/** `}` */
export const RBRACE = 125;
/** `~` */
export const TILDE = 126;
/** `"` */
export const QUOTE = 34;
/** `'` */
export const APOS = 39;

/** JavaScript's `\s` (what `trim()` removes). */
export function isWs(c: number): boolean {
  if (c <= 32) return c === 32 || (c >= 9 && c <= 13);
  if (c < 160) return false;
  return (
    c === 160 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

/** `isIdChar` for ASCII, as a table (1: an identifier character). */
export const ASCII_ID: Uint8Array = /* @__PURE__ */ (() => {
  const table = new Uint8Array(128);
  for (let c = 0; c < 128; c++) table[c] = isIdChar(c) ? 1 : 0;
  return table;
})();

/** Characters an identifier may hold: ``[^\s!"#%-,\.\/;->@\[-\^`\{-~]``. */
export function isIdChar(c: number): boolean {
  if (c < 128) {
    if (c >= 97) return c <= 122 || c === 127; // a-z, DEL ({ | } ~ excluded)
    if (c >= 65) return c <= 90 || c === 95; // A-Z, _
    if (c >= 48) return c <= 58 || c === 63; // 0-9, :, ?
    if (c <= 32) return !isWs(c);
    return c === 36 || c === 45; // $, -
  }
  return !isWs(c);
}

/** What may follow an identifier: `[=~}\s\/.)|]`. */
export function endsId(c: number): boolean {
  return c === 61 || c === TILDE || c === RBRACE || c === 47 || c === 46 || c === 41 || c === 124 || isWs(c);
}

/** What may follow a literal (`true`, `42`): `[~}\s)]`. */
export function endsLiteral(c: number): boolean {
  return c === TILDE || c === RBRACE || c === 41 || isWs(c);
}

/** `[0-9]`. */
export function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** `\w`. */
export function isWordChar(c: number): boolean {
  return isDigit(c) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}
