import { Body, Controller, Get, Header, Headers, HttpCode, Param, Post, Query, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { DomainException, fieldErrorMessage, Public } from '@app/common';
import { InvalidUserTokenError, MunicipalitiesService, PasswordResetService, RegistrationService } from '@app/identity';
import { ReportNotFoundError, ReportsService } from '@app/reports';
import type { FastifyReply } from 'fastify';
import { AuthRateLimit } from '../../common/auth-rate-limit';
import { emailVerifiedPage, invalidTokenPage, passwordChangedPage, ResetFormProblem, resetPasswordFormPage } from './account-pages';
import { MailedTokenQueryDto, ResetPasswordFormDto } from './page-forms.dto';
import { PAGE_STYLESHEET, pageLocale } from './page-layout';
import { PagesExceptionFilter } from './pages-exception.filter';
import { PublicReportPageData, publicReportPage } from './report-page';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HTML = 'text/html; charset=utf-8';

/**
 * Where the links the product mails lead, until the web app (apps/web) serves them: the two
 * account token flows and a report's public page, as small HTML pages in fr or en (by
 * Accept-Language). Adapters only: each page is one call to the service the API routes use.
 * Kept out of the OpenAPI document (they are pages, not API), under the exact paths the mails
 * carry, in a module of their own so the web app can take them over by removing it.
 */
@ApiExcludeController()
@Public()
@UseFilters(PagesExceptionFilter)
@Controller()
export class MailLinkPagesController {
  constructor(
    private readonly registration: RegistrationService,
    private readonly passwordReset: PasswordResetService,
    private readonly reports: ReportsService,
    private readonly municipalities: MunicipalitiesService,
  ) {}

  @Get('pages/page.css')
  @Header('Content-Type', 'text/css; charset=utf-8')
  @Header('Cache-Control', 'public, max-age=3600')
  stylesheet(): string {
    return PAGE_STYLESHEET;
  }

  /** The verification mail's link: confirms the address at once and says so. */
  @Get('verify-email')
  @AuthRateLimit()
  @Header('Content-Type', HTML)
  @Header('Cache-Control', 'no-store')
  async verifyEmail(@Query() query: MailedTokenQueryDto, @Headers('accept-language') acceptLanguage: string | undefined, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    const locale = pageLocale(acceptLanguage);
    try {
      await this.registration.verifyEmail(query.token);
    } catch (error) {
      if (!(error instanceof InvalidUserTokenError)) throw error;
      reply.status(400);
      return invalidTokenPage(locale, 'verify');
    }
    return emailVerifiedPage(locale);
  }

  /** The reset mail's link: a form for the new password (the token is checked when it is posted). */
  @Get('reset-password')
  @Header('Content-Type', HTML)
  @Header('Cache-Control', 'no-store')
  resetPasswordForm(@Query() query: MailedTokenQueryDto, @Headers('accept-language') acceptLanguage: string | undefined): string {
    return resetPasswordFormPage(pageLocale(acceptLanguage), query.token);
  }

  /** The form's post: the new password through the same service as POST /api/v1/auth/reset-password. */
  @Post('reset-password')
  @AuthRateLimit()
  @HttpCode(200)
  @Header('Content-Type', HTML)
  @Header('Cache-Control', 'no-store')
  async resetPassword(@Body() form: ResetPasswordFormDto, @Headers('accept-language') acceptLanguage: string | undefined, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    const locale = pageLocale(acceptLanguage);
    const refuse = (problems: Array<ResetFormProblem | string>) => {
      reply.status(400);
      return resetPasswordFormPage(locale, form.token, problems);
    };
    if (!form.password || !form.passwordConfirmation) return refuse(['missing']);
    if (form.password !== form.passwordConfirmation) return refuse(['mismatch']);
    try {
      await this.passwordReset.resetPassword(form.token, form.password);
    } catch (error) {
      if (error instanceof InvalidUserTokenError) {
        reply.status(400);
        return invalidTokenPage(locale, 'reset');
      }
      // The password policy's refusal: the form again, with its reasons (the link still works).
      if (error instanceof DomainException && error.code === 'VALIDATION_FAILED') return refuse(error.fieldErrors.map((e) => fieldErrorMessage(e, locale)));
      throw error;
    }
    return passwordChangedPage(locale);
  }

  /** A report's public page (the link of every notification about it); 404 when the public may not see it. */
  @Get('reports/:id')
  @Header('Content-Type', HTML)
  @Header('Cache-Control', 'no-cache')
  @Header('Vary', 'Accept-Language')
  async report(@Param('id') id: string, @Headers('accept-language') acceptLanguage: string | undefined): Promise<string> {
    if (!UUID.test(id)) throw new ReportNotFoundError();
    // Always as the anonymous public sees it: moderation, anonymity and name display apply.
    const view = (await this.reports.get(undefined, id)) as unknown as PublicReportPageData & { municipality: string };
    const municipality = await this.municipalities.requireBySlug(view.municipality);
    return publicReportPage(pageLocale(acceptLanguage), view, municipality);
  }
}
