import { useState } from 'preact/hooks';
import { api, unwrap } from '../../api/client';
import { describeError } from '../../api/errors';
import { setTokens } from '../../api/session';
import { Link } from '../../components/link';
import { useI18n } from '../../i18n';
import { navigate, ROUTES } from '../../router';
import { chosenTown } from '../../town';

export function SignInScreen({ notice }: { notice?: string }) {
  const { t } = useI18n();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    setBusy(true);
    setError(null);
    try {
      const pair = unwrap(await api.POST('/api/v1/auth/login', { body: { email: String(form.get('email')), password: String(form.get('password')) } }));
      setTokens({ accessToken: pair.accessToken, refreshToken: pair.refreshToken });
      navigate(chosenTown() ? ROUTES.newReport : ROUTES.town, true);
    } catch (failure) {
      setError(describeError(failure, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card narrow" aria-labelledby="sign-in-title">
      <h1 id="sign-in-title">{t('auth.signIn.title')}</h1>
      {notice && (
        <p class="notice" role="status">
          {notice}
        </p>
      )}
      <form onSubmit={submit} class="stack">
        <label>
          {t('auth.email')}
          <input name="email" type="email" autocomplete="username" required maxLength={254} />
        </label>
        <label>
          {t('auth.password')}
          <input name="password" type="password" autocomplete="current-password" required maxLength={256} />
        </label>
        {error && (
          <p role="alert" class="notice notice-error">
            {error}
          </p>
        )}
        <button type="submit" class="primary" disabled={busy}>
          {t('auth.signIn.submit')}
        </button>
      </form>
      <p>
        <Link href={ROUTES.signUp}>{t('auth.toSignUp')}</Link>
      </p>
      <p>
        <Link href={ROUTES.forgotPassword}>{t('auth.forgot')}</Link>
      </p>
    </section>
  );
}
