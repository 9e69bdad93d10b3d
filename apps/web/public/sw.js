/*
 * TellMyCity's service worker: the shell only. Navigations go to the network first and fall back
 * to the cached shell offline; the content-hashed files under /assets/ are cached when first
 * fetched (they never change under their name). Nothing else is cached: API answers carry personal
 * data (my reports, notifications) and live updates are a socket; the app keeps its offline
 * reports in IndexedDB itself.
 */
const CACHE = 'civic-shell-v1';
const SHELL = '/';

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.add(new Request(SHELL, { cache: 'reload' })))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((name) => name !== CACHE).map((name) => caches.delete(name))))
      .then(() => self.clients.claim()),
  );
});

/** Keeps only the assets the current shell refers to. */
async function pruneAssets(cache, shellText) {
  const wanted = new Set(shellText.match(/\/assets\/[^"']+/g) || []);
  for (const request of await cache.keys()) {
    const path = new URL(request.url).pathname;
    if (path.startsWith('/assets/') && !wanted.has(path)) await cache.delete(request);
  }
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;

  if (request.mode === 'navigate') {
    event.respondWith(
      fetch(request)
        .then(async (response) => {
          if (response.ok && response.headers.get('content-type')?.includes('text/html')) {
            const cache = await caches.open(CACHE);
            await cache.put(SHELL, response.clone());
            pruneAssets(cache, await response.clone().text());
          }
          return response;
        })
        .catch(async () => (await caches.match(SHELL)) || Response.error()),
    );
    return;
  }

  if (url.pathname.startsWith('/assets/')) {
    event.respondWith(
      caches.match(request).then(
        (cached) =>
          cached ||
          fetch(request).then(async (response) => {
            if (response.ok) await (await caches.open(CACHE)).put(request, response.clone());
            return response;
          }),
      ),
    );
  }
});

/*
 * Web push (libs/notifications sends {id, type, title, body, url}): shown as a system notification;
 * tapping it focuses an open tab of the app on that page, or opens one. Only same-origin URLs are
 * opened: the payload comes from our server, but a page elsewhere has no business here.
 */
self.addEventListener('push', (event) => {
  let message = {};
  try {
    message = event.data ? event.data.json() : {};
  } catch {
    message = { title: event.data ? event.data.text() : '' };
  }
  const title = message.title || 'TellMyCity';
  event.waitUntil(self.registration.showNotification(title, { body: message.body || '', tag: message.id, icon: '/icon.svg', data: { url: message.url || '/' } }));
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  let target = new URL('/notifications', self.location.origin);
  try {
    const url = new URL(event.notification.data && event.notification.data.url, self.location.origin);
    if (url.origin === self.location.origin) target = url;
  } catch {
    // keep the inbox
  }
  event.waitUntil(
    self.clients.matchAll({ type: 'window', includeUncontrolled: true }).then((windows) => {
      for (const client of windows) {
        if (new URL(client.url).origin === self.location.origin && 'navigate' in client) return client.focus().then(() => client.navigate(target.href));
      }
      return self.clients.openWindow(target.href);
    }),
  );
});
