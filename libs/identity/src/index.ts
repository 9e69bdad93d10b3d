import './identity.events';

export * from './identity.module';
export * from './identity.errors';
export * from './identity.events';
export * from './auth/auth.service';
export * from './users/users.service';
export * from './me/personal-data.service';
export * from './municipalities/municipalities.service';
export * from './members/memberships.service';
export * from './members/access.service';
export * from './residency/residency.service';
export type { Locale } from './users/user.entity';
export { LOCALES } from './users/user.entity';
export type { MunicipalityRole } from './members/membership.entity';
export { MUNICIPALITY_ROLES } from './members/membership.entity';
