/** A piece of a message's text: words as they are, or a web address to be shown as a link. */
export type TextPart =
  { readonly kind: 'text'; readonly text: string } | { readonly kind: 'link'; readonly href: string };

const ADDRESS = /\bhttps?:\/\/[^\s<>"]+[^\s<>".,;:!?)\]'’]/giu;

/**
 * Splits plain text into words and web addresses. Only http and https addresses become links, so
 * nothing a person typed can run as a script; no HTML from people is ever rendered.
 */
export function textParts(text: string): TextPart[] {
  const parts: TextPart[] = [];
  let last = 0;
  for (const match of text.matchAll(ADDRESS)) {
    const start = match.index;
    if (start > last) parts.push({ kind: 'text', text: text.slice(last, start) });
    parts.push({ kind: 'link', href: match[0] });
    last = start + match[0].length;
  }
  if (last < text.length) parts.push({ kind: 'text', text: text.slice(last) });
  return parts;
}
