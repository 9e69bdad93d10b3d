import { api, ApiError, unwrap } from '../../../api/client';
import { useAsync } from '../../../components/async';
import type { Venue } from './session-fields';
import type { Member } from './workshop-fields';

export interface TownAdmin {
  zone: string;
  /** The town's outline (GeoJSON), drawn on the venue location map; null when it has none. */
  boundary: object | null;
  venues: Venue[];
  /** The town's people with the facilitator role; null when the reader may not list members (not staff). */
  facilitators: Member[] | null;
  /** Names of the town's members by id, for naming a facilitator in a clash. */
  names: Map<string, string>;
  /** Staff may write venues; the member list is theirs only, so reading it says who is staff. */
  isStaff: boolean;
}

async function members(slug: string): Promise<Member[] | null> {
  const people: Member[] = [];
  let cursor: string | undefined;
  // A town has tens of members, not thousands: follow the pages to the end.
  for (let page = 0; page < 20; page++) {
    const result = await api.GET('/api/v1/municipalities/{slug}/members', { params: { path: { slug }, query: { limit: 100, ...(cursor ? { cursor } : {}) } } });
    if (result.response.status === 403) return null;
    const answer = unwrap(result);
    people.push(...answer.items);
    if (!answer.nextCursor) break;
    cursor = answer.nextCursor;
  }
  return people;
}

/** What the workshop admin screens need of the town: its timezone, venues, and facilitators. */
export function useTownAdmin(slug: string) {
  return useAsync<TownAdmin>(async () => {
    const [town, venues, people] = await Promise.all([
      api.GET('/api/v1/municipalities/{slug}', { params: { path: { slug } } }).then(unwrap),
      api.GET('/api/v1/municipalities/{slug}/venues', { params: { path: { slug } } }).then(unwrap),
      members(slug).catch((failure: unknown) => {
        if (failure instanceof ApiError && failure.status === 403) return null;
        throw failure;
      }),
    ]);
    return {
      zone: town.timezone,
      boundary: town.boundary ?? null,
      venues,
      facilitators: people ? people.filter((m) => m.roles.includes('facilitator')).sort((a, b) => a.displayName.localeCompare(b.displayName)) : null,
      names: new Map((people ?? []).map((m) => [m.userId, m.displayName])),
      isStaff: people !== null,
    };
  }, [slug]);
}
