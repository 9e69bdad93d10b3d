import { useState } from 'preact/hooks';
import { api, unwrap } from '../../api/client';
import { describeError } from '../../api/errors';
import { setTokens } from '../../api/session';
import { Link } from '../../components/link';
import { useI18n } from '../../i18n';
import { navigate, ROUTES } from '../../router';

export function SignUpScreen() {
  const { t, locale } = useI18n();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const email = String(form.get('email'));
    const password = String(form.get('password'));
    setBusy(true);
    setError(null);
    try {
      unwrap(await api.POST('/api/v1/auth/register', { body: { email, password, displayName: String(form.get('displayName')), locale } }));
      // Signed in at once; the verification mail can be read later.
      const pair = unwrap(await api.POST('/api/v1/auth/login', { body: { email, password } }));
      setTokens({ accessToken: pair.accessToken, refreshToken: pair.refreshToken });
      navigate(`${ROUTES.town}?welcome=1`, true);
    } catch (failure) {
      setError(describeError(failure, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card narrow" aria-labelledby="sign-up-title">
      <h1 id="sign-up-title">{t('auth.signUp.title')}</h1>
      <form onSubmit={submit} class="stack">
        <label>
          {t('auth.displayName')}
          <input name="displayName" autocomplete="name" required maxLength={80} />
        </label>
        <label>
          {t('auth.email')}
          <input name="email" type="email" autocomplete="email" required maxLength={254} />
        </label>
        <label>
          {t('auth.password')}
          <input name="password" type="password" autocomplete="new-password" required minLength={10} maxLength={256} aria-describedby="password-hint" />
        </label>
        <p id="password-hint" class="muted">
          {t('auth.passwordHint')}
        </p>
        {error && (
          <p role="alert" class="notice notice-error">
            {error}
          </p>
        )}
        <button type="submit" class="primary" disabled={busy}>
          {t('auth.signUp.submit')}
        </button>
      </form>
      <p>
        <Link href={ROUTES.signIn}>{t('auth.toSignIn')}</Link>
      </p>
    </section>
  );
}
