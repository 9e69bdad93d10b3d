import { useEffect, useState } from 'preact/hooks';
import { api, type Schemas } from '../api/client';
import { currentUserId, onTokensChange } from '../api/session';
import { onReconnect, subscribe } from '../realtime/socket';

export type InboxItem = Schemas['NotificationResponseDto'];

/**
 * The unread count of the person's inbox, for the header badge: always the API's count, read
 * again on each `notification.created` of their own topic (`user:{id}`) and after a
 * reconnection; screens that read items call `refreshUnread()`. The live event only says "read
 * again": adding one to the count instead counted twice a notification that a read made just
 * before its event (after a reconnection, say) had already included.
 */
let unread = 0;
const listeners = new Set<(count: number) => void>();
const created = new Set<(item: InboxItem) => void>();
let stopLive: (() => void) | null = null;
/** Numbers each read of the count: only the latest read's answer is shown. */
let lastRead = 0;

function publish(count: number): void {
  unread = count;
  for (const listener of listeners) listener(count);
}

export async function refreshUnread(): Promise<void> {
  if (!currentUserId()) return publish(0);
  const read = ++lastRead;
  const result = await api.GET('/api/v1/me/notifications', { params: { query: { limit: 1 } } }).catch(() => null);
  // An older read answering late would show a count the newer one has replaced.
  if (!result?.data || read !== lastRead) return;
  publish(result.data.unreadCount);
}

function follow(): void {
  stopLive?.();
  stopLive = null;
  const userId = currentUserId();
  void refreshUnread();
  if (!userId) return;
  const stopEvents = subscribe(`user:${userId}`, (event) => {
    if (event.type !== 'notification.created') return;
    void refreshUnread();
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
