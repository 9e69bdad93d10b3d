import { api, unwrap } from '../../api/client';

/** What this browser can do about web push, and whether it is on for this device. */
export type PushState = 'unsupported' | 'off-on-server' | 'denied' | 'subscribed' | 'not-subscribed';

export function pushSupported(): boolean {
  return 'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window;
}

/** The VAPID key is base64url; PushManager wants its bytes. */
function keyBytes(base64url: string): ArrayBuffer {
  const padded = base64url.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (base64url.length % 4)) % 4);
  return Uint8Array.from(atob(padded), (c) => c.charCodeAt(0)).buffer as ArrayBuffer;
}

async function registration(): Promise<ServiceWorkerRegistration> {
  // main.tsx registers /sw.js in production builds; register here too so a dev build can opt in.
  return (await navigator.serviceWorker.getRegistration()) ?? navigator.serviceWorker.register('/sw.js');
}

export async function pushState(serverHasPush: boolean): Promise<PushState> {
  if (!pushSupported()) return 'unsupported';
  if (!serverHasPush) return 'off-on-server';
  if (Notification.permission === 'denied') return 'denied';
  const current = await (await registration()).pushManager.getSubscription();
  return current ? 'subscribed' : 'not-subscribed';
}

/**
 * Asks the browser for a subscription with the server's VAPID key and gives it to the API
 * (`POST /me/push-subscriptions`). A subscription the API refuses is dropped again, so the
 * browser never holds one the server does not know.
 */
export async function subscribePush(): Promise<PushState> {
  const { publicKey } = unwrap(await api.GET('/api/v1/notifications/push-key'));
  if (!publicKey) return 'off-on-server';
  if ((await Notification.requestPermission()) !== 'granted') return 'denied';
  const reg = await registration();
  await navigator.serviceWorker.ready;
  const subscription = (await reg.pushManager.getSubscription()) ?? (await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(publicKey) }));
  const json = subscription.toJSON() as { endpoint: string; keys: { p256dh: string; auth: string } };
  try {
    unwrap(await api.POST('/api/v1/me/push-subscriptions', { body: { endpoint: json.endpoint, keys: { p256dh: json.keys.p256dh, auth: json.keys.auth } } }));
  } catch (failure) {
    await subscription.unsubscribe().catch(() => undefined);
    throw failure;
  }
  return 'subscribed';
}

/** Forgets this device's subscription on the server first, then in the browser. */
export async function unsubscribePush(): Promise<PushState> {
  const subscription = await (await registration()).pushManager.getSubscription();
  if (subscription) {
    unwrap(await api.DELETE('/api/v1/me/push-subscriptions', { body: { endpoint: subscription.endpoint } }));
    await subscription.unsubscribe();
  }
  return 'not-subscribed';
}
