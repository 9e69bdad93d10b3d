import { useState } from 'preact/hooks';
import { api, unwrap } from '../../api/client';
import { describeError } from '../../api/errors';
import { Link } from '../../components/link';
import { useI18n } from '../../i18n';
import { ROUTES } from '../../router';

/** Asks for a reset link; the mailed link opens the API's /reset-password page. */
export function ForgotPasswordScreen() {
  const { t } = useI18n();
  const [sent, setSent] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (event: Event) => {
    event.preventDefault();
    const email = String(new FormData(event.currentTarget as HTMLFormElement).get('email'));
    try {
      unwrap(await api.POST('/api/v1/auth/forgot-password', { body: { email } }));
      setSent(true);
      setError(null);
    } catch (failure) {
      setError(describeError(failure, t));
    }
  };

  return (
    <section class="card narrow" aria-labelledby="forgot-title">
      <h1 id="forgot-title">{t('auth.forgot.title')}</h1>
      {sent ? (
        <p role="status" class="notice">
          {t('auth.forgot.sent')}
        </p>
      ) : (
        <form onSubmit={submit} class="stack">
          <label>
            {t('auth.email')}
            <input name="email" type="email" autocomplete="email" required maxLength={254} />
          </label>
          {error && (
            <p role="alert" class="notice notice-error">
              {error}
            </p>
          )}
          <button type="submit" class="primary">
            {t('auth.forgot.submit')}
          </button>
        </form>
      )}
      <p>
        <Link href={ROUTES.signIn}>{t('auth.toSignIn')}</Link>
      </p>
    </section>
  );
}
