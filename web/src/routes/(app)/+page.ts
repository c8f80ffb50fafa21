import { redirect } from '@sveltejs/kit';
import { localDb } from '$lib/local-db';
import { fetchSchoolSummary } from '$lib/services/school-summary';
import { endSession } from '$lib/session-actions';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ fetch, parent }) => {
  // The session check first: no request for the summary on behalf of nobody.
  await parent();
  const result = await fetchSchoolSummary(fetch, localDb(), () => new Date());
  if (result.kind === 'signed-out') redirect(307, await endSession('ended'));
  return { result };
};
