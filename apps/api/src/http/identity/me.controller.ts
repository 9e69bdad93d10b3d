import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Patch } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { AuthUser, CurrentUser } from '@app/common';
import {
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
    description: 'Erases your personal data and signs you out everywhere. What you contributed stays, anonymised.',
  })
  @ApiNoContentResponse()
  erase(@CurrentUser() caller: AuthUser): Promise<void> {
    return this.personalData.erase(caller.id);
  }
}
