import { render } from 'preact';
import { App } from './app';
import { initialLocale } from './i18n';
import { startSendingWhenOnline } from './offline/pending-reports';
import './styles.css';

render(<App initialLocale={initialLocale()} />, document.getElementById('app')!);
startSendingWhenOnline();

// The service worker caches the shell only (public/sw.js); never in development, where Vite serves.
if ('serviceWorker' in navigator && import.meta.env.PROD) {
  void navigator.serviceWorker.register('/sw.js').catch(() => undefined);
}
