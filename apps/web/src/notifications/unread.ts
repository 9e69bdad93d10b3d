import { useEffect, useState } from 'preact/hooks';
import { api, type Schemas } from '../api/client';
import { currentUserId, onTokensChange } from '../api/session';
import { onReconnect, subscribe } from '../realtime/socket';

export type InboxItem = Schemas['NotificationResponseDto'];

/**
 * The unread count of the person's inbox, for the header badge: read from the API, then kept
 * live by `notification.created` on their own topic (`user:{id}`); screens that read items call
 * `refreshUnread()`.
 */
let unread = 0;
const listeners = new Set<(count: number) => void>();
const created = new Set<(item: InboxItem) => void>();
let stopLive: (() => void) | null = null;
/** Bumped by each live notification: a count read before one arrived is out of date. */
let generation = 0;

function publish(count: number): void {
  unread = count;
  for (const listener of listeners) listener(count);
}

export async function refreshUnread(): Promise<void> {
  if (!currentUserId()) return publish(0);
  const asked = generation;
  const result = await api.GET('/api/v1/me/notifications', { params: { query: { limit: 1 } } }).catch(() => null);
  if (!result?.data) return;
  if (asked === generation) publish(result.data.unreadCount);
  else await refreshUnread();
}

function follow(): void {
  stopLive?.();
  stopLive = null;
  const userId = currentUserId();
  void refreshUnread();
  if (!userId) return;
  const stopEvents = subscribe(`user:${userId}`, (event) => {
    if (event.type !== 'notification.created') return;
    generation += 1;
    publish(unread + 1);
    for (const listener of created) listener(event.data as InboxItem);
  });
  const stopReconnect = onReconnect(() => void refreshUnread());
  stopLive = () => {
    stopEvents();
    stopReconnect();
  };
}

let started = false;
export function useUnreadCount(): number {
  const [count, setCount] = useState(unread);
  useEffect(() => {
    if (!started) {
      started = true;
      follow();
      onTokensChange(follow);
    }
    listeners.add(setCount);
    setCount(unread);
    return () => void listeners.delete(setCount);
  }, []);
  return count;
}

/** New inbox items as they arrive (the inbox screen prepends them). */
export function onNotification(listener: (item: InboxItem) => void): () => void {
  created.add(listener);
  return () => void created.delete(listener);
}
