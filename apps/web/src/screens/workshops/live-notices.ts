import { useEffect } from 'preact/hooks';
import { currentUserId } from '../../api/session';
import { useSession } from '../../api/use-session';
import { subscribe } from '../../realtime/socket';

/** The workshop notifications that change a person's seat or its session. */
const SEAT_NOTICES = new Set(['workshop.seat_offered', 'workshop.offer_expired', 'workshop.session_moved', 'workshop.session_cancelled']);

/**
 * Calls `onNotice` when a notification about this workshop reaches the person live — a seat
 * offered to them, an offer lapsed, a session moved or cancelled — so the screen reads their
 * registrations again without a reload. It rides the person's own topic (`user:{id}`, joined by
 * the server), whose `notification.created` the notification rules of libs/workshops produce;
 * the notification only says "read again": the registration is the API's answer.
 */
export function useWorkshopNotices(workshopId: string | null | undefined, onNotice: () => void): void {
  const session = useSession();
  useEffect(() => {
    const userId = currentUserId();
    if (!session || !userId || !workshopId) return;
    return subscribe(`user:${userId}`, (event) => {
      if (event.type !== 'notification.created') return;
      const item = event.data as { type?: string; subjectType?: string; subjectId?: string };
      if (item.type && SEAT_NOTICES.has(item.type) && item.subjectType === 'workshop' && item.subjectId === workshopId) onNotice();
    });
  }, [!!session, workshopId]);
}
