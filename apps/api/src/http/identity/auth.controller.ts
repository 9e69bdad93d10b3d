import { Body, Controller, HttpCode, HttpStatus, Post, Req } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { AuthUser, CurrentUser, Public } from '@app/common';
import {
  AcceptedResponseDto,
  AuthService,
  ClientInfo,
  ForgotPasswordDto,
  LoginDto,
  PasswordResetService,
  RefreshDto,
  RegisterDto,
  RegistrationService,
  ResetPasswordDto,
  TokenPairResponseDto,
  toUserProfileResponse,
  UserProfileResponseDto,
  VerifyEmailDto,
} from '@app/identity';
import type { FastifyRequest } from 'fastify';
import { AuthRateLimit } from '../../common/auth-rate-limit';

const FORGOT_PASSWORD_ANSWER: AcceptedResponseDto = {
  message: 'If an account exists for this address, a mail with a link to reset its password is on its way.',
};

function clientOf(req: FastifyRequest): ClientInfo {
  return { ip: req.ip, userAgent: req.headers['user-agent'] };
}

@ApiTags('auth')
@Controller('api/v1/auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly registration: RegistrationService,
    private readonly passwordReset: PasswordResetService,
  ) {}

  @Post('register')
  @Public()
  @AuthRateLimit()
  @ApiOperation({ summary: 'Create an account', description: 'Mails a verification link; signing in works before it is followed.' })
  @ApiCreatedResponse({ type: UserProfileResponseDto })
  @ApiBadRequestResponse({ description: 'Invalid fields (VALIDATION_FAILED), including a weak or common password.' })
  @ApiConflictResponse({ description: 'EMAIL_TAKEN' })
  @ApiTooManyRequestsResponse({ description: 'RATE_LIMITED' })
  async register(@Body() dto: RegisterDto): Promise<UserProfileResponseDto> {
    return toUserProfileResponse(await this.registration.register(dto));
  }

  @Post('login')
  @Public()
  @AuthRateLimit()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Sign in with email and password' })
  @ApiOkResponse({ type: TokenPairResponseDto })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED' })
  @ApiUnauthorizedResponse({ description: 'INVALID_CREDENTIALS' })
  @ApiTooManyRequestsResponse({ description: 'TOO_MANY_LOGIN_ATTEMPTS (with Retry-After) or RATE_LIMITED' })
  login(@Body() dto: LoginDto, @Req() req: FastifyRequest): Promise<TokenPairResponseDto> {
    return this.auth.login(dto.email, dto.password, clientOf(req));
  }

  @Post('refresh')
  @Public()
  @AuthRateLimit()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Exchange a refresh token for a new pair',
    description: 'The token is single-use. Presenting a used one again revokes the whole session (REFRESH_TOKEN_REUSED).',
  })
  @ApiOkResponse({ type: TokenPairResponseDto })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED' })
  @ApiUnauthorizedResponse({ description: 'REFRESH_TOKEN_INVALID or REFRESH_TOKEN_REUSED' })
  refresh(@Body() dto: RefreshDto): Promise<TokenPairResponseDto> {
    return this.auth.refresh(dto.refreshToken);
  }

  @Post('logout')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Sign out this session', description: 'Its refresh token and access tokens stop working.' })
  @ApiNoContentResponse()
  @ApiUnauthorizedResponse({ description: 'UNAUTHENTICATED' })
  logout(@CurrentUser() caller: AuthUser): Promise<void> {
    return this.auth.logout(caller);
  }

  @Post('verify-email')
  @Public()
  @AuthRateLimit()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Confirm the email address with the mailed token' })
  @ApiNoContentResponse()
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED, or TOKEN_INVALID when unknown, used or expired.' })
  verifyEmail(@Body() dto: VerifyEmailDto): Promise<void> {
    return this.registration.verifyEmail(dto.token);
  }

  @Post('resend-verification')
  @AuthRateLimit()
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Mail a new verification link to the signed-in person' })
  @ApiAcceptedResponse({ type: AcceptedResponseDto })
  @ApiUnauthorizedResponse({ description: 'UNAUTHENTICATED' })
  @ApiConflictResponse({ description: 'EMAIL_ALREADY_VERIFIED' })
  async resendVerification(@CurrentUser() caller: AuthUser): Promise<AcceptedResponseDto> {
    await this.registration.resendVerification(caller.id);
    return { message: 'A new verification mail is on its way.' };
  }

  @Post('forgot-password')
  @Public()
  @AuthRateLimit()
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ summary: 'Mail a password reset link', description: 'Answers the same whether or not the account exists.' })
  @ApiAcceptedResponse({ type: AcceptedResponseDto })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED' })
  async forgotPassword(@Body() dto: ForgotPasswordDto): Promise<AcceptedResponseDto> {
    await this.passwordReset.requestReset(dto.email);
    return FORGOT_PASSWORD_ANSWER;
  }

  @Post('reset-password')
  @Public()
  @AuthRateLimit()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Set a new password with the mailed token', description: 'Signs the account out everywhere.' })
  @ApiNoContentResponse()
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED (weak password), or TOKEN_INVALID when unknown, used or expired.' })
  resetPassword(@Body() dto: ResetPasswordDto): Promise<void> {
    return this.passwordReset.resetPassword(dto.token, dto.password);
  }
}
