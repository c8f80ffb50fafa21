/*
 * Imported by the generated service worker. A push carries only a title and where to go ("New
 * message from <school>", /inbox/<id>): the words of a message never pass through a push service.
 */
self.addEventListener('push', (event) => {
  let data = { title: 'New message', url: '/inbox' };
  try {
    data = { ...data, ...event.data.json() };
  } catch {
    // A push without a readable payload still says there is something to read.
  }
  const url = typeof data.url === 'string' && data.url.startsWith('/') ? data.url : '/inbox';
  event.waitUntil(
    self.registration.showNotification(String(data.title), {
      body: 'Open SchoolPing to read it.',
      icon: '/icon.svg',
      tag: url,
      data: { url },
    }),
  );
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const url = new URL(event.notification.data?.url ?? '/inbox', self.location.origin).href;
  event.waitUntil(
    self.clients.matchAll({ type: 'window', includeUncontrolled: true }).then((windows) => {
      const open = windows.find((client) => new URL(client.url).origin === self.location.origin);
      if (open) return open.navigate(url).then((client) => client?.focus());
      return self.clients.openWindow(url);
    }),
  );
});
