import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Patch, Req } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { AuthUser, CurrentUser } from '@app/common';
import type { FastifyRequest } from 'fastify';
import {
  EraseAccountDto,
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
