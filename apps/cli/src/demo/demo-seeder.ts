import { Injectable } from '@nestjs/common';
import {
  Actor,
  MembershipsService,
  MunicipalitiesService,
  MunicipalitySlugTakenError,
  RegistrationService,
  ResidencyService,
} from '@app/identity';
import { CategoriesService, CategoryCodeTakenError } from '@app/reports';
import { DEMO_MUNICIPALITIES, DEMO_PASSWORD, DEMO_PLATFORM_ADMIN, DemoAccount } from './demo-metropolis';
import { DemoReportsSeeder } from './demo-reports-seeder';
import { DemoModulesSeeder } from './demo-modules-seeder';

export interface SeedResult {
  /** True when the database already held municipalities and `onlyIfFresh` was asked. */
  skipped: boolean;
  municipalities: string[];
  accounts: string[];
  categories: string[];
  residents: string[];
  /** Reports filed by this run (`<town>#<number>`), and the photos and comments added to them. */
  reports: string[];
  photos: number;
  comments: number;
  /** Modules filled by this run (`<town>:proposals`, `:budget`, `:panel`, `:survey`, `:workshop`). */
  modules: string[];
}

/**
 * Builds the demo metropolis through the libraries' own services, as their HTTP routes would:
 * the same rules, audit entries and outbox events. Every step looks before it creates (by slug,
 * email or code), so a second run changes nothing.
 */
@Injectable()
export class DemoSeeder {
  constructor(
    private readonly registration: RegistrationService,
    private readonly municipalities: MunicipalitiesService,
    private readonly memberships: MembershipsService,
    private readonly residency: ResidencyService,
    private readonly categories: CategoriesService,
    private readonly demoReports: DemoReportsSeeder,
    private readonly demoModules: DemoModulesSeeder,
  ) {}

  async run(options: { onlyIfFresh?: boolean } = {}): Promise<SeedResult> {
    const result: SeedResult = { skipped: false, municipalities: [], accounts: [], categories: [], residents: [], reports: [], photos: 0, comments: 0, modules: [] };
    if (options.onlyIfFresh) {
      const existing = await this.municipalities.list({ limit: 1 });
      if (existing.items.length > 0) return { ...result, skipped: true };
    }

    const admin = await this.account(DEMO_PLATFORM_ADMIN, result);
    // The seed acts as the demo platform admin; no session exists, the services only read id and role.
    const actor: Actor = { id: admin, isPlatformAdmin: true };

    for (const town of DEMO_MUNICIPALITIES) {
      try {
        const { accounts: _accounts, categories: _categories, ...definition } = town;
        await this.municipalities.create(actor, definition);
        result.municipalities.push(town.slug);
      } catch (error) {
        if (!(error instanceof MunicipalitySlugTakenError)) throw error;
      }

      const people = new Map<string, string>();
      for (const account of town.accounts) {
        const userId = await this.account(account, result);
        people.set(account.email.split('@')[0].split('.')[0], userId);
        if (account.roles?.length) {
          // PUT semantics and no-op when unchanged: re-running writes nothing.
          await this.memberships.setRoles(actor, town.slug, userId, { roles: account.roles, department: account.department ?? null });
        }
        if (account.resident) {
          const { created } = await this.residency.verify(actor, town.slug, userId);
          if (created) result.residents.push(`${town.slug}:${account.email}`);
        }
      }

      for (const category of town.categories) {
        try {
          await this.categories.create(actor, town.slug, category);
          result.categories.push(`${town.slug}/${category.code}`);
        } catch (error) {
          if (!(error instanceof CategoryCodeTakenError)) throw error;
        }
      }

      // After the categories: reports in every state, with photos and comments (once: see DemoReportsSeeder).
      const filed = await this.demoReports.seed({ slug: town.slug, resident: people.get('resident')!, citizen: people.get('citizen')!, staff: people.get('staff')! });
      result.reports.push(...filed.reports);
      result.photos += filed.photos;
      result.comments += filed.comments;

      // Then the participation modules: proposals, a budget in its vote, a panel, a survey, a workshop.
      result.modules.push(
        ...(await this.demoModules.seed({
          slug: town.slug,
          timezone: town.timezone,
          admin: people.get('admin')!,
          staff: people.get('staff')!,
          resident: people.get('resident')!,
          citizen: people.get('citizen')!,
        })),
      );
    }
    return result;
  }

  private async account(account: DemoAccount, result: SeedResult): Promise<string> {
    const { user, created } = await this.registration.provisionAccount({
      email: account.email,
      password: DEMO_PASSWORD,
      displayName: account.displayName,
      locale: account.locale,
      isPlatformAdmin: account.isPlatformAdmin ?? false,
    });
    if (created) result.accounts.push(account.email);
    return user.id;
  }
}
