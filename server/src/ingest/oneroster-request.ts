import { effectiveDay } from '@schoolping/shared';
import { readOneRosterBundle } from './oneroster/bundle.ts';
import { parseOneRoster } from './oneroster/parse.ts';
import type { ParseResult } from './types.ts';

/** A OneRoster bundle arrives as one zip (application/zip) or as CSV files in a multipart form. */
export async function readOneRosterRequest(request: Request, now: Date): Promise<ParseResult> {
  const type = request.headers.get('content-type') ?? '';
  let bundle: ReturnType<typeof readOneRosterBundle>;
  if (type.startsWith('application/zip')) {
    bundle = readOneRosterBundle({ zip: new Uint8Array(await request.arrayBuffer()) });
  } else if (type.startsWith('multipart/form-data')) {
    const form = await request.formData();
    const files = new Map<string, string>();
    const utf8 = new TextDecoder('utf-8', { fatal: true });
    for (const value of form.values()) {
      if (typeof value === 'string') continue;
      try {
        files.set(value.name, utf8.decode(await value.arrayBuffer()));
      } catch {
        return {
          ok: false,
          errors: [
            {
              where: value.name,
              code: 'not-utf8',
              message: `${value.name} is not UTF-8 text; save it as UTF-8 and send it again.`,
            },
          ],
        };
      }
    }
    bundle = readOneRosterBundle({ files });
  } else {
    return {
      ok: false,
      errors: [
        {
          where: '',
          code: 'unsupported-media-type',
          message: 'Send a OneRoster zip (application/zip) or the CSV files as multipart/form-data.',
        },
      ],
    };
  }
  if (!bundle.ok) return { ok: false, errors: bundle.errors };
  return parseOneRoster(bundle.files, { today: effectiveDay(now) });
}
