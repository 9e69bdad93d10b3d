import { ApiProperty, ApiPropertyOptional, PartialType, OmitType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { ATTRIBUTE_DATATYPES, AttributeDatatype } from '../categories/report-category.entity';

export class LocalizedTextDto {
  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  fr?: string;

  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  en?: string;
}

export class AttributeValueDto {
  @ApiProperty({ maxLength: 100 })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  key: string;

  @ApiProperty({ maxLength: 200 })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name: string;
}

export class CategoryAttributeDto {
  @ApiProperty({ example: 'depth', description: 'Open311 attribute code', pattern: '^[A-Za-z0-9_-]{1,64}$' })
  @Matches(/^[A-Za-z0-9_-]{1,64}$/)
  code: string;

  @ApiProperty({ enum: ATTRIBUTE_DATATYPES })
  @IsIn(ATTRIBUTE_DATATYPES)
  datatype: AttributeDatatype;

  @ApiProperty()
  @IsBoolean()
  required: boolean;

  @ApiProperty({ maxLength: 500, description: 'The question shown to the citizen' })
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  description: string;

  @ApiPropertyOptional({ minimum: 0, maximum: 1000 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1000)
  order?: number;

  @ApiPropertyOptional({ type: [AttributeValueDto], description: 'Required for singlevaluelist and multivaluelist' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => AttributeValueDto)
  values?: AttributeValueDto[];
}

export class DurationDto {
  @ApiProperty({ minimum: 1, maximum: 2000 })
  @IsInt()
  @Min(1)
  @Max(2000)
  amount: number;

  @ApiProperty({ enum: ['hours', 'days'], description: 'Working hours or working days on the municipality calendar' })
  @IsIn(['hours', 'days'])
  unit: 'hours' | 'days';
}

export class ServiceLevelDto {
  @ApiPropertyOptional({ type: DurationDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => DurationDto)
  acknowledgeWithin?: DurationDto;

  @ApiPropertyOptional({ type: DurationDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => DurationDto)
  resolveWithin?: DurationDto;
}

export class ServiceLevelsDto {
  @ApiPropertyOptional({ type: ServiceLevelDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => ServiceLevelDto)
  low?: ServiceLevelDto;

  @ApiPropertyOptional({ type: ServiceLevelDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => ServiceLevelDto)
  normal?: ServiceLevelDto;

  @ApiPropertyOptional({ type: ServiceLevelDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => ServiceLevelDto)
  high?: ServiceLevelDto;

  @ApiPropertyOptional({ type: ServiceLevelDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => ServiceLevelDto)
  urgent?: ServiceLevelDto;
}

export class CreateCategoryDto {
  @ApiProperty({ example: 'pothole', pattern: '^[a-z0-9][a-z0-9_-]{1,62}$', description: 'Open311 service_code, unique per municipality' })
  @Matches(/^[a-z0-9][a-z0-9_-]{1,62}$/, { message: 'code must be 2-63 lowercase letters, digits, _ or -' })
  code: string;

  @ApiProperty({ type: LocalizedTextDto, description: 'At least one of fr, en' })
  @ValidateNested()
  @Type(() => LocalizedTextDto)
  name: LocalizedTextDto;

  @ApiPropertyOptional({ type: LocalizedTextDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => LocalizedTextDto)
  description?: LocalizedTextDto;

  @ApiPropertyOptional({ maxLength: 100, example: 'roads' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  department?: string;

  @ApiPropertyOptional({ type: [String], maxItems: 30 })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(30)
  @IsString({ each: true })
  @MaxLength(50, { each: true })
  keywords?: string[];

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  active?: boolean;

  @ApiPropertyOptional({ type: [CategoryAttributeDto], maxItems: 30 })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(30)
  @ValidateNested({ each: true })
  @Type(() => CategoryAttributeDto)
  attributes?: CategoryAttributeDto[];

  @ApiPropertyOptional({ type: ServiceLevelsDto, description: 'Per priority, deadlines in working time' })
  @IsOptional()
  @ValidateNested()
  @Type(() => ServiceLevelsDto)
  serviceLevels?: ServiceLevelsDto;
}

export class UpdateCategoryDto extends PartialType(OmitType(CreateCategoryDto, ['code'] as const)) {}

export class CategoryResponseDto {
  @ApiProperty() id: string;
  @ApiProperty() code: string;
  @ApiProperty({ type: LocalizedTextDto }) name: LocalizedTextDto;
  @ApiProperty({ type: LocalizedTextDto }) description: LocalizedTextDto;
  @ApiProperty({ nullable: true, type: String }) department: string | null;
  @ApiProperty({ type: [String] }) keywords: string[];
  @ApiProperty() active: boolean;
  @ApiProperty({ type: [CategoryAttributeDto] }) attributes: CategoryAttributeDto[];
  @ApiProperty({ type: ServiceLevelsDto }) serviceLevels: ServiceLevelsDto;
}
