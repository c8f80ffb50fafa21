import { openLocalDb } from '$lib/local-db';
import { fetchSchoolSummary } from '$lib/services/school-summary';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ fetch }) => ({
  result: await fetchSchoolSummary(fetch, openLocalDb(), () => new Date()),
});
