import { useEffect, useRef } from 'preact/hooks';
import { currentUserId } from '../../api/session';
import { useSession } from '../../api/use-session';
import { subscribe } from '../../realtime/socket';

/** The workshop notifications that change a person's seat or its session. */
const SEAT_NOTICES = new Set(['workshop.seat_offered', 'workshop.offer_expired', 'workshop.session_moved', 'workshop.session_cancelled']);

/** Pass as the workshop to hear of every workshop's seats (the "my registrations" screen). */
export const ANY_WORKSHOP = '*';

/**
 * Calls `onNotice` when a notification about this workshop reaches the person live — a seat
 * offered to them, an offer lapsed, a session moved or cancelled — so the screen reads their
 * registrations again without a reload. It rides the person's own topic (`user:{id}`, joined by
 * the server), whose `notification.created` the notification rules of libs/workshops produce;
 * the notification only says "read again": the registration is the API's answer.
 *
 * It also calls `onNotice` each time the live connection comes (back) up after the screen was
 * shown: a notice sent while the phone was offline (or before the socket first connected) never
 * reached it, and socket.io's recovery cannot be counted on (a window of minutes, one instance's
 * memory of the rooms), so the state is read again rather than trusted.
 */
export function useWorkshopNotices(workshopId: string | null | undefined, onNotice: () => void): void {
  const session = useSession();
  const notice = useRef(onNotice);
  notice.current = onNotice;
  useEffect(() => {
    const userId = currentUserId();
    if (!session || !userId || !workshopId) return;
    let live = false;
    let subscribing = true;
    const stop = subscribe(
      `user:${userId}`,
      (event) => {
        if (event.type !== 'notification.created') return;
        const item = event.data as { type?: string; subjectType?: string; subjectId?: string };
        const ours = workshopId === ANY_WORKSHOP || item.subjectId === workshopId;
        if (item.type && SEAT_NOTICES.has(item.type) && item.subjectType === 'workshop' && ours) notice.current();
      },
      (ok) => {
        // Already connected when subscribing: what the screen just loaded is current.
        if (ok && !live && !subscribing) notice.current();
        live = ok;
      },
    );
    subscribing = false;
    return stop;
  }, [!!session, workshopId]);
}
