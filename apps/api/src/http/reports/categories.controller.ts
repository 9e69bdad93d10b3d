import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import { AuthUser, CurrentUser, Public } from '@app/common';
import { CategoriesService, CategoryResponseDto, CreateCategoryDto, UpdateCategoryDto } from '@app/reports';

@ApiTags('report categories')
@Controller('api/v1/municipalities/:slug/categories')
export class CategoriesController {
  constructor(private readonly categories: CategoriesService) {}

  @Post()
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Create a report category (Open311 service); municipality admin' })
  @ApiCreatedResponse({ type: CategoryResponseDto })
  @ApiForbiddenResponse({ description: 'Not an admin of this municipality' })
  @ApiConflictResponse({ description: 'Code already used here' })
  create(@CurrentUser() user: AuthUser, @Param('slug') slug: string, @Body() dto: CreateCategoryDto) {
    return this.categories.create(user, slug, dto);
  }

  @Get()
  @Public()
  @ApiOperation({ summary: "List a municipality's categories (active ones; staff may include inactive)" })
  @ApiQuery({ name: 'includeInactive', required: false, type: Boolean })
  @ApiOkResponse({ type: [CategoryResponseDto] })
  list(@CurrentUser() user: AuthUser | undefined, @Param('slug') slug: string, @Query('includeInactive') includeInactive?: string) {
    return this.categories.list(slug, user, includeInactive === 'true');
  }

  @Get(':code')
  @Public()
  @ApiOperation({ summary: 'One category with its attribute definitions' })
  @ApiOkResponse({ type: CategoryResponseDto })
  @ApiNotFoundResponse()
  get(@Param('slug') slug: string, @Param('code') code: string) {
    return this.categories.get(slug, code);
  }

  @Patch(':code')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Change a category; municipality admin' })
  @ApiOkResponse({ type: CategoryResponseDto })
  @ApiForbiddenResponse()
  @ApiNotFoundResponse()
  update(@CurrentUser() user: AuthUser, @Param('slug') slug: string, @Param('code') code: string, @Body() dto: UpdateCategoryDto) {
    return this.categories.update(user, slug, code, dto);
  }
}
