/**
 * Unique Pupil Numbers (DfE): a check letter then twelve characters (LA code, establishment
 * number, year of allocation, serial). A temporary UPN ends in a letter instead of a digit.
 */

const CHECK_LETTERS = 'ABCDEFGHJKLMNPQRTUVWXYZ';
const UPN_SHAPE = /^[ABCDEFGHJKLMNPQRTUVWXYZ]\d{11}[\dABCDEFGHJKLMNPQRTUVWXYZ]$/;

/** The check letter for the twelve characters after it, or null if they are malformed. */
export function upnCheckLetter(rest: string): string | null {
  if (!/^\d{11}[\dABCDEFGHJKLMNPQRTUVWXYZ]$/.test(rest)) return null;
  let total = 0;
  for (let index = 0; index < rest.length; index++) {
    const char = rest.charAt(index);
    const value = /\d/.test(char) ? Number(char) : CHECK_LETTERS.indexOf(char);
    total += value * (index + 2);
  }
  return CHECK_LETTERS.charAt(total % 23);
}

export function isValidUpn(upn: string): boolean {
  if (!UPN_SHAPE.test(upn)) return false;
  return upnCheckLetter(upn.slice(1)) === upn.charAt(0);
}

/** A valid UPN for a local authority, establishment, two-digit year and serial. */
export function makeUpn(laCode: number, estab: number, year: number, serial: number): string {
  const rest =
    String(laCode).padStart(3, '0') +
    String(estab).padStart(4, '0') +
    String(year % 100).padStart(2, '0') +
    String(serial).padStart(3, '0');
  const letter = upnCheckLetter(rest);
  if (letter === null) throw new RangeError(`Cannot build a UPN from ${rest}`);
  return letter + rest;
}
