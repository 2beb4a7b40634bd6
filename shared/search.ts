/**
 * Text search as the console's search boxes mean it: `needle` occurs in `haystack`, ignoring
 * case, full-width/half-width forms (ＡＢ１２ = ab12) and white space, so a name or the digits of
 * a masked ID number are found however they were typed.
 */
export function containsText(haystack: string, needle: string): boolean {
  const wanted = fold(needle);
  return wanted !== '' && fold(haystack).includes(wanted);
}

const fold = (text: string) => text.normalize('NFKC').replace(/\s+/g, '').toLowerCase();
