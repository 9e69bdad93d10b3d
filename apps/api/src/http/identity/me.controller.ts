import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Patch, Post, Req } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { AuthUser, CurrentUser } from '@app/common';
import type { FastifyRequest } from 'fastify';
import { AuthRateLimit } from '../../common/auth-rate-limit';
import {
  AcceptedResponseDto,
  ChangeEmailDto,
  ChangePasswordDto,
  EmailChangeService,
  EraseAccountDto,
  PasswordChangeService,
  PersonalDataExportResponseDto,
  PersonalDataService,
  toUserProfileResponse,
  UpdateMeDto,
  UserProfileResponseDto,
  UsersService,
} from '@app/identity';

@ApiTags('me')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'UNAUTHENTICATED or SESSION_REVOKED' })
@Controller('api/v1/me')
export class MeController {
  constructor(
    private readonly users: UsersService,
    private readonly personalData: PersonalDataService,
    private readonly emailChanges: EmailChangeService,
    private readonly passwordChanges: PasswordChangeService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Your profile' })
  @ApiOkResponse({ type: UserProfileResponseDto })
  async get(@CurrentUser() caller: AuthUser): Promise<UserProfileResponseDto> {
    return toUserProfileResponse(await this.users.getProfile(caller.id));
  }

  @Patch()
  @ApiOperation({ summary: 'Change your display name or language' })
  @ApiOkResponse({ type: UserProfileResponseDto })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED' })
  async update(@CurrentUser() caller: AuthUser, @Body() dto: UpdateMeDto): Promise<UserProfileResponseDto> {
    return toUserProfileResponse(await this.users.updateProfile(caller.id, dto));
  }

  @Post('email')
  @AuthRateLimit()
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    summary: 'Move your account to another e-mail address',
    description:
      'Needs your password. A link is mailed to the new address (/verify-email, valid 24 h); the account moves only when it is opened ' +
      '(POST /api/v1/auth/verify-email with its token), and the old address is then told. A newer request voids an older link.',
  })
  @ApiAcceptedResponse({ type: AcceptedResponseDto })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED (newEmail, password; or newEmail is already yours)' })
  @ApiForbiddenResponse({ description: 'PASSWORD_INCORRECT' })
  @ApiConflictResponse({ description: 'EMAIL_TAKEN: another account uses that address' })
  @ApiTooManyRequestsResponse({ description: 'RATE_LIMITED or TOO_MANY_LOGIN_ATTEMPTS' })
  async changeEmail(@CurrentUser() caller: AuthUser, @Body() dto: ChangeEmailDto, @Req() req: FastifyRequest): Promise<AcceptedResponseDto> {
    await this.emailChanges.request(caller.id, dto.newEmail, dto.password, req.ip);
    return { message: 'A link to confirm the new address is on its way there.' };
  }

  @Post('password')
  @AuthRateLimit()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary: 'Change your password',
    description: 'Needs your current password. Every other session is signed out; this one goes on.',
  })
  @ApiNoContentResponse()
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED (currentPassword, newPassword: too weak, contains your name or e-mail)' })
  @ApiForbiddenResponse({ description: 'PASSWORD_INCORRECT (field currentPassword)' })
  @ApiTooManyRequestsResponse({ description: 'RATE_LIMITED or TOO_MANY_LOGIN_ATTEMPTS' })
  changePassword(@CurrentUser() caller: AuthUser, @Body() dto: ChangePasswordDto, @Req() req: FastifyRequest): Promise<void> {
    return this.passwordChanges.change(caller, dto.currentPassword, dto.newPassword, req.ip);
  }

  @Get('export')
  @ApiOperation({ summary: 'Download all your personal data (GDPR art. 15 and 20)' })
  @ApiOkResponse({ type: PersonalDataExportResponseDto })
  export(@CurrentUser() caller: AuthUser): Promise<PersonalDataExportResponseDto> {
    return this.personalData.exportFor(caller.id);
  }

  @Delete()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary: 'Delete your account (GDPR art. 17)',
    description:
      'Needs your password again. Erases your personal data and signs you out everywhere. What you contributed stays without your name, ' +
      'or, with removeContributions, its texts are replaced and your photos deleted.',
  })
  @ApiNoContentResponse()
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED (password, removeContributions)' })
  @ApiForbiddenResponse({ description: 'PASSWORD_INCORRECT' })
  erase(@CurrentUser() caller: AuthUser, @Body() dto: EraseAccountDto, @Req() req: FastifyRequest): Promise<void> {
    return this.personalData.erase(caller.id, { password: dto.password, removeContributions: dto.removeContributions, ip: req.ip });
  }
}
